/* Code generated at run time, as a JIT inside the guest makes it: written into a mapping, run
 * hot, patched (an immediate, an opcode in the middle of a function, the part of a function on
 * the next page), made read-only with mprotect and writable again, unmapped and replaced by
 * other code at the same address, and patched by a forked child whose parent must keep its own
 * copy. Every call's result is printed, so a stale translation shows as a wrong number. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

typedef long (*fn)(long);

#define PAGE 4096

/* mov rax, rdi; add rax, imm32; ret (the opcode byte of add is at +4, its immediate at +5) */
static void emit_add(unsigned char *p, int32_t k) {
    unsigned char code[] = {0x48, 0x89, 0xf8, 0x48, 0x05, 0, 0, 0, 0, 0xc3};
    memcpy(code + 5, &k, 4);
    memcpy(p, code, sizeof code);
}

static long run(fn f, int calls) {
    long sum = 0;
    for (int i = 0; i < calls; i++) {
        sum += f(i);
    }
    return sum;
}

int main(void) {
    unsigned char *code = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    fn f = (fn)code;
    fn g = (fn)(code + 64);
    emit_add(code, 1);
    emit_add(code + 64, 1000);

    /* an immediate patched between hot runs, and again inside one loop */
    for (int round = 0; round < 5; round++) {
        int32_t k = round * 7 + 1;
        memcpy(code + 5, &k, 4);
        printf("round %d: f %ld g %ld\n", round, run(f, 3000), run(g, 10));
    }
    long sum = 0;
    for (int i = 0; i < 4000; i++) {
        if (i % 500 == 0) {
            int32_t k = i;
            memcpy(code + 5, &k, 4);
        }
        sum += f(i);
    }
    printf("patched in the loop: %ld\n", sum);

    /* add becomes sub: an opcode in the middle of a hot function */
    code[4] = 0x2d;
    printf("sub: %ld, g untouched: %ld\n", run(f, 3000), run(g, 10));

    /* read-only and executable, then writable again and patched */
    if (mprotect(code, PAGE, PROT_READ | PROT_EXEC) != 0) {
        perror("mprotect");
        return 1;
    }
    printf("read-only: %ld\n", run(f, 3000));
    mprotect(code, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
    emit_add(code, -5);
    printf("writable again: %ld\n", run(f, 3000));

    /* a function across a page boundary; its tail, on the second page, is patched */
    unsigned char *h = code + 2 * PAGE - 6; /* the immediate starts on the first page, ends on the second */
    emit_add(h, 11);
    printf("across pages: %ld\n", run((fn)h, 3000));
    int32_t big = 0x01020304;
    memcpy(h + 5, &big, 4);
    printf("across pages, patched: %ld\n", run((fn)h, 3000));

    /* a function whose first block (on one page) jumps to its second (alone on the next page):
     * patching the second must reach the next call although the first is untouched */
    unsigned char *pair = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pair == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    unsigned char first[] = {0x48, 0x89, 0xf8, 0xeb, 0x00}; /* mov rax, rdi; jmp to the next page */
    memcpy(pair + PAGE - sizeof first, first, sizeof first);
    unsigned char second[] = {0x48, 0x05, 5, 0, 0, 0, 0xc3}; /* add rax, 5; ret */
    memcpy(pair + PAGE, second, sizeof second);
    fn split = (fn)(pair + PAGE - sizeof first);
    printf("jump to the next page: %ld\n", run(split, 3000));
    int32_t k2 = 1000;
    memcpy(pair + PAGE + 2, &k2, 4);
    printf("jump to the next page, its block patched: %ld\n", run(split, 3000));
    munmap(pair, 2 * PAGE);

    /* unmapped and replaced by other code at the same address */
    munmap(code, PAGE);
    unsigned char *again = mmap(code, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (again != code) {
        perror("mmap fixed");
        return 1;
    }
    emit_add(code, 123);
    printf("remapped: %ld\n", run(f, 3000));

    /* a forked child patches its copy; the parent's code stays as it was */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        emit_add(code, 77);
        printf("child: %ld\n", run(f, 3000));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("parent after child: %ld (child status %d)\n", run(f, 3000), status);
    return 0;
}
