/*
 * x87 arithmetic over edge values under every rounding control (RC) and precision control
 * (PC): FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR (register, m32fp, m64fp, m16int, m32int forms, and
 * the popping forms), FSQRT, FRNDINT, FSCALE, FXTRACT, FPREM, FPREM1, FCHS, FABS.
 * Prints the 80-bit results in hex and the FSW bits the SDM defines for each instruction.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

typedef struct { uint64_t m; uint16_t se; } __attribute__((packed)) f80;

static const f80 vals[] = {
    {0, 0}, {0, 0x8000},                                        /* +-0 */
    {0x8000000000000000ULL, 0x3fff}, {0x8000000000000000ULL, 0xbfff}, /* +-1 */
    {0xc000000000000000ULL, 0x4000},                            /* 3 */
    {0xaaaaaaaaaaaaaaabULL, 0x3ffd},                            /* ~1/3 */
    {0xffffffffffffffffULL, 0x3ffe},                            /* 1 - ulp */
    {0x8000000000000001ULL, 0x3fff},                            /* 1 + ulp */
    {0x8000000000000400ULL, 0x3fff},                            /* PC53 tie */
    {0x8000008000000000ULL, 0x3fff},                            /* PC24 tie */
    {0xffffffffffffffffULL, 0x7ffe}, {0xffffffffffffffffULL, 0xfffe}, /* +-max */
    {0x8000000000000000ULL, 0x0001},                            /* min normal */
    {0x4000000000000000ULL, 0x0000},                            /* denormal */
    {0x0000000000000001ULL, 0x8000},                            /* -min denormal */
    {0x8000000000000000ULL, 0x0000},                            /* pseudo-denormal */
    {0x8000000000000000ULL, 0x7fff}, {0x8000000000000000ULL, 0xffff}, /* +-inf */
    {0xc000000000000000ULL, 0xffff},                            /* indefinite */
    {0xc000000000001234ULL, 0x7fff},                            /* QNaN */
    {0xa000000000005678ULL, 0x7fff},                            /* SNaN */
    {0x4000000000000000ULL, 0x3fff},                            /* unnormal */
    {0x9e3779b97f4a7c15ULL, 0x401f},                            /* big */
    {0xc90fdaa22168c235ULL, 0x4000},                            /* pi */
    {0xb17217f7d1cf79acULL, 0xbffe},                            /* -ln2 */
    {0x8000000000000000ULL, 0x403e},                            /* 2^63 */
    {0xd5c31cc4d1f6e0b7ULL, 0x3fc3},                            /* tiny */
    {0x8000000000000000ULL, 0x4010},                            /* 2^17 */
    {0xfffffffffffff800ULL, 0x43fe},                            /* DBL_MAX */
    {0xc000000000000000ULL, 0x3ffe},                            /* 0.75 */
    {0x9000000000000000ULL, 0xc001},                            /* -4.5 */
    {0xa000000000000000ULL, 0x4001},                            /* 5 */
};
#define NV (int)(sizeof vals / sizeof vals[0])

struct rec { uint16_t cw; uint16_t pad[7]; f80 a; uint8_t p1[6]; f80 b; uint8_t p2[6];
             f80 r0; uint8_t p3[6]; f80 r1; uint8_t p4[6]; uint16_t sw; uint8_t p5[14]; uint64_t mem[2]; };

#define PRE "fninit\n fldcw (%0)\n fldt 32(%0)\n fldt 16(%0)\n"
#define POST "\n fnstsw 80(%0)\n fstpt 48(%0)\n fstpt 64(%0)\n fninit\n"
#define OP(name, text) static void name(struct rec *p) { __asm__ volatile(PRE text POST :: "r"(p) : "memory", "cc"); }

OP(op_fadd, "fadd %%st(1), %%st")
OP(op_fsub, "fsub %%st(1), %%st")
OP(op_fsubr, "fsubr %%st(1), %%st")
OP(op_fmul, "fmul %%st(1), %%st")
OP(op_fdiv, "fdiv %%st(1), %%st")
OP(op_fdivr, "fdivr %%st(1), %%st")
OP(op_faddp, "faddp %%st, %%st(1)")
OP(op_fsubp, "fsubp %%st, %%st(1)")
OP(op_fmulp, "fmulp %%st, %%st(1)")
OP(op_fdivrp, "fdivrp %%st, %%st(1)")
OP(op_fsqrt, "fsqrt")
OP(op_frndint, "frndint")
OP(op_fscale, "fscale")
OP(op_fxtract, "fxtract")
OP(op_fprem, "fprem")
OP(op_fprem1, "fprem1")
OP(op_fchs, "fchs")
OP(op_fabs, "fabs")
OP(op_fadds, "fadds 96(%0)")
OP(op_fmull, "fmull 96(%0)")
OP(op_fdivrl, "fdivrl 96(%0)")
OP(op_fisubs, "fisubs 96(%0)")
OP(op_fidivl, "fidivl 96(%0)")

struct op { const char *name; void (*f)(struct rec *); unsigned mask; int mem; };
/* Defined FSW bits: exceptions (0x7f), C1 (0x200), TOP; C0 C2 C3 too where the SDM defines them. */
#define ARITH 0x3a7f
static const struct op ops[] = {
    {"fadd", op_fadd, ARITH, 0}, {"fsub", op_fsub, ARITH, 0}, {"fsubr", op_fsubr, ARITH, 0},
    {"fmul", op_fmul, ARITH, 0}, {"fdiv", op_fdiv, ARITH, 0}, {"fdivr", op_fdivr, ARITH, 0},
    {"faddp", op_faddp, ARITH, 0}, {"fsubp", op_fsubp, ARITH, 0}, {"fmulp", op_fmulp, ARITH, 0},
    {"fdivrp", op_fdivrp, ARITH, 0},
    {"fsqrt", op_fsqrt, ARITH, 0}, {"frndint", op_frndint, ARITH, 0}, {"fscale", op_fscale, ARITH, 0},
    {"fxtract", op_fxtract, ARITH, 0}, {"fprem", op_fprem, 0x7f7f, 0}, {"fprem1", op_fprem1, 0x7f7f, 0},
    {"fchs", op_fchs, ARITH, 0}, {"fabs", op_fabs, ARITH, 0},
    {"fadds", op_fadds, ARITH, 1}, {"fmull", op_fmull, ARITH, 2}, {"fdivrl", op_fdivrl, ARITH, 2},
    {"fisubs", op_fisubs, ARITH, 3}, {"fidivl", op_fidivl, ARITH, 4},
};

static void hex80(const f80 *v) { printf("%04x%016llx", v->se, (unsigned long long)v->m); }

static int unary(const struct op *o) {
    return !strcmp(o->name, "fsqrt") || !strcmp(o->name, "frndint") || !strcmp(o->name, "fxtract")
        || !strcmp(o->name, "fchs") || !strcmp(o->name, "fabs");
}

int main(void) {
    static const unsigned pcs[] = {3, 2, 0};
    static const float fmem[] = {1.0f, -0.0f, 3.0e38f, 1.0e-40f, 0.1f, -7.5f};
    static const double dmem[] = {1.0, -2.5, 1e308, 4.9e-324, 0.1, 1e-300};
    static const int16_t wmem[] = {0, 1, -1, 32767, -32768, 3};
    static const int32_t lmem[] = {0, 7, -1, 2147483647, -2147483647 - 1, 10};
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        const struct op *o = &ops[k];
        for (int rc = 0; rc < 4; rc++) {
            for (int pi = 0; pi < 3; pi++) {
                uint16_t cw = 0x007f | (pcs[pi] << 8) | (rc << 10);
                int nb = o->mem ? 6 : unary(o) ? 1 : NV;
                /* every operand pair at the default FCW, a subset under the other controls */
                int step = (rc == 0 && pi == 0) ? 1 : 3;
                for (int i = 0; i < NV; i += (o->mem || unary(o)) ? 1 : step) {
                    for (int j = 0; j < nb; j += o->mem ? 1 : step) {
                        struct rec r;
                        memset(&r, 0, sizeof r);
                        r.cw = cw;
                        r.a = vals[i];
                        r.b = unary(o) ? vals[2] : o->mem ? vals[3] : vals[j];
                        if (o->mem == 1) memcpy(r.mem, &fmem[j], 4);
                        if (o->mem == 2) memcpy(r.mem, &dmem[j], 8);
                        if (o->mem == 3) memcpy(r.mem, &wmem[j], 2);
                        if (o->mem == 4) memcpy(r.mem, &lmem[j], 4);
                        o->f(&r);
                        printf("%s cw=%04x a=%d b=%d ", o->name, cw, i, j);
                        hex80(&r.r0);
                        printf(" ");
                        hex80(&r.r1);
                        printf(" sw=%04x\n", r.sw & o->mask);
                    }
                }
            }
        }
    }
    return 0;
}
