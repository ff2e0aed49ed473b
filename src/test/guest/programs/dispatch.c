/* A bytecode interpreter dispatching with computed gotos (as CPython's does) and a call through
 * a table of function pointers: indirect jumps and calls with many targets, hot enough for the
 * JIT to translate the handlers, whose exits then see a different target nearly every time.
 * Prints checksums. */
#include <stdint.h>
#include <stdio.h>

enum { PUSH, ADD, MUL, XOR, DUP, SWAP, ROT, DROP, JNZ, DEC, CALL, HALT };

typedef uint64_t (*fn)(uint64_t);
static uint64_t f0(uint64_t x) { return x * 0xbf58476d1ce4e5b9ULL + 1; }
static uint64_t f1(uint64_t x) { return x ^ (x >> 31); }
static uint64_t f2(uint64_t x) { return x + 0x9e3779b97f4a7c15ULL; }
static uint64_t f3(uint64_t x) { return (x << 5) | (x >> 59); }
static fn table[] = {f0, f1, f2, f3};

static uint64_t run(const int *code, uint64_t seed, long rounds) {
    static void *labels[] = {&&push, &&add, &&mul, &&xor, &&dup, &&swap, &&rot, &&drop, &&jnz, &&dec,
                             &&call, &&halt};
    uint64_t stack[64];
    int sp = 0;
    const int *pc = code;
    stack[sp++] = seed;
    stack[sp++] = (uint64_t) rounds;
#define NEXT goto *labels[*pc++]
    NEXT;
push: stack[sp++] = (uint64_t) *pc++; NEXT;
add: sp--; stack[sp - 1] += stack[sp]; NEXT;
mul: sp--; stack[sp - 1] *= (stack[sp] * 0x9e3779b97f4a7c15ULL) | 1; NEXT;
xor: sp--; stack[sp - 1] ^= stack[sp]; NEXT;
dup: stack[sp] = stack[sp - 1]; sp++; NEXT;
swap: { uint64_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; } NEXT;
rot: { uint64_t t = stack[sp - 3]; stack[sp - 3] = stack[sp - 2]; stack[sp - 2] = stack[sp - 1]; stack[sp - 1] = t; } NEXT;
drop: sp--; NEXT;
jnz: { int off = *pc++; if (stack[sp - 1] != 0) pc += off; } NEXT;
dec: stack[sp - 1]--; NEXT;
call: stack[sp - 1] = table[stack[sp - 1] & 3](stack[sp - 1]); NEXT;
halt: return stack[0] ^ (uint64_t) sp;
#undef NEXT
}

int main(void) {
    /* stack: seed counter. Each round: seed = h(g((seed * K) + 7) ^ 5) + counter, g and h from the
     * table by the low bits of their argument. */
    static const int prog[] = {
        /* 0 */ SWAP, PUSH, 13, MUL, CALL, PUSH, 7, ADD, PUSH, 5, XOR, CALL,
        /* 12 */ SWAP, DUP, ROT, ADD, SWAP, DEC, JNZ, -20, PUSH, 3, DROP, HALT,
    };
    uint64_t total = 0;
    for (int k = 0; k < 400; k++) {
        uint64_t r = run(prog, 0x1234567u + (uint64_t) k, 100 + k % 7);
        total = total * 31 + r;
        if (k % 50 == 0) {
            printf("run %d: %016llx\n", k, (unsigned long long) r);
        }
    }
    printf("total %016llx\n", (unsigned long long) total);
    return 0;
}
