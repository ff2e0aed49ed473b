/* Generates x87-vectors.txt on the host CPU:
 *   gcc -O2 -masm=intel -include stdlib.h -DOPS='"x87-vectors-ops.h"' -o gen x87-vectors-gen.c && ./gen 20 > x87-vectors.txt
 * (argument 1: vectors per instruction, argument 2: optional PRNG seed). */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint64_t s = 0x123456789abcdefULL;
static void seed(uint64_t v) { if (v) s = v; }
static uint64_t rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }

#define PRE "fninit\n fldcw [rdi]\n fld tbyte ptr [rdi+32]\n fld tbyte ptr [rdi+16]\n"
#define POST "\n fnstsw [rdi+80]\n fstp tbyte ptr [rdi+48]\n fstp tbyte ptr [rdi+64]\n fninit\n"

typedef void (*fn)(unsigned char *);
struct op { const char *text; char btype; fn f; };

#define OP(id, text, bt) static void op_##id(unsigned char *p) { \
  uint64_t fl; __asm__ volatile(PRE text "\n pushfq\n pop %0\n" POST : "=r"(fl) : "D"(p) : "memory", "cc"); \
  memcpy(p + 88, &fl, 8); }
#include OPS
#undef OP
#define OP(id, text, bt) { text, bt, op_##id },
static struct op ops[] = {
#include OPS
};

static void gen80(unsigned char *b, int cls) {
  uint64_t m; int se;
  int sign = (rnd() & 1) << 15;
  switch (cls) {
  case 0: se = 0; m = 0; break;                                   /* zero */
  case 1: se = 0; m = rnd() >> (rnd() % 64); m &= ~(1ULL << 63); break; /* denormal */
  case 2: se = 0x7fff; m = 1ULL << 63; break;                      /* inf */
  case 3: se = 0x7fff; m = (1ULL << 63) | (rnd() >> 2) | (rnd() & 1 ? 1ULL << 62 : 0); if ((m << 1) == 0) m |= 1; break; /* nan */
  case 4: se = 1 + rnd() % 0x7ffe; m = rnd() | (1ULL << 63); break; /* any normal */
  case 5: se = 0x3fff - 70 + rnd() % 140; m = rnd() | (1ULL << 63); break; /* moderate */
  case 6: se = 0x3fff + rnd() % 64; m = rnd() | (1ULL << 63); if (rnd() & 1) m &= ~0ULL << (rnd() % 64); break; /* integers-ish */
  case 7: se = (rnd() & 1) ? 1 + rnd() % 80 : 0x7ffe - rnd() % 80; m = rnd() | (1ULL << 63); break; /* near limits */
  case 8: se = 0x3fff + (int)(rnd() % 8) - 4; m = (1ULL << 63) | (rnd() >> (rnd() % 64)); if (rnd()&1) m |= 0xffffffffffULL; break; /* near 1, ties */
  case 9: se = 1 + rnd() % 0x7ffe; m = rnd() & ~(1ULL << 63); break; /* unnormal */
  default: se = 0x3fff + (int)(rnd() % 20) - 10; m = (1ULL << 63) | ((rnd() & 0xff) << 40) | (rnd()&1 ? 0x8000000000ULL : 0x400ULL); break; /* PC ties */
  }
  se |= sign;
  memcpy(b, &m, 8); b[8] = se; b[9] = se >> 8;
}

static int pickcls(void) {
  static const int w[] = {0,1,2,3,4,5,5,6,6,7,8,8,10,10,5,4};
  int c = w[rnd() % 16];
  if (c == 4 && rnd() % 40 == 0) c = 9;
  return c;
}

static void genb(unsigned char *b, char t) {
  memset(b, 0, 16);
  uint64_t r = rnd();
  switch (t) {
  case 'f': { uint32_t v = r; int k = rnd() % 6; if (k == 0) v &= 0x807fffff; else if (k == 1) v |= 0x7f800000; else if (k == 2) v = (v & 0x80ffffff) | 0x3f000000; memcpy(b, &v, 4); break; }
  case 'd': { uint64_t v = r; int k = rnd() % 6; if (k == 0) v &= 0x800fffffffffffffULL; else if (k == 1) v |= 0x7ff0000000000000ULL; else if (k == 2) v = (v & 0x80ffffffffffffffULL) | 0x3f00000000000000ULL; memcpy(b, &v, 8); break; }
  case 'w': { int16_t v = (rnd() & 1) ? (int16_t)r : (int16_t)(r % 200) - 100; memcpy(b, &v, 2); break; }
  case 'i': { int32_t v = (rnd() & 1) ? (int32_t)r : (int32_t)(r % 2000) - 1000; memcpy(b, &v, 4); break; }
  case 'q': { int64_t v = (rnd() & 1) ? (int64_t)r : (int64_t)(r % 2000) - 1000; memcpy(b, &v, 8); break; }
  case 'b': { for (int i = 0; i < 9; i++) { int d = rnd() % 100; b[i] = ((d / 10) << 4) | (d % 10); } b[9] = (rnd() & 1) ? 0x80 : 0; break; }
  default: gen80(b, pickcls());
  }
}

static void hex(const unsigned char *b, int n) { for (int i = n - 1; i >= 0; i--) printf("%02x", b[i]); }

int main(int argc, char **argv) {
  int per = argc > 1 ? atoi(argv[1]) : 40;
  if (argc > 2) seed(strtoull(argv[2], 0, 0));
  int nops = sizeof ops / sizeof ops[0];
  for (int i = 0; i < nops; i++) {
    printf("#op %d %c ", i, ops[i].btype);
    for (const char *c = ops[i].text; *c; c++) { if (*c == '\n') printf("\\n"); else putchar(*c); }
    printf("\n");
  }
  for (int i = 0; i < nops; i++) {
    for (int k = 0; k < per; k++) {
      unsigned char p[112]; memset(p, 0, sizeof p);
      uint16_t cw = 0x037f | ((rnd() % 4) << 10);
      int pc = rnd() % 3; cw = (cw & ~0x300) | ((pc == 0 ? 3 : pc == 1 ? 2 : 0) << 8);
      if (k < per / 2) cw = 0x037f;
      memcpy(p, &cw, 2);
      gen80(p + 16, pickcls());
      genb(p + 32, ops[i].btype);
      if (ops[i].btype == 'x' && rnd() % 8 == 0) memcpy(p + 32, p + 16, 10); /* equal operands */
      ops[i].f(p);
      printf("%d %04x ", i, cw); hex(p + 16, 10); printf(" "); hex(p + 32, 10); printf(" ");
      hex(p + 48, 10); printf(" "); hex(p + 64, 10); printf(" %04x %04x ", p[80] | p[81] << 8, (unsigned)(*(uint64_t *)(p + 88) & 0x8d5));
      hex(p + 96, 10); printf("\n");
    }
  }
  return 0;
}
