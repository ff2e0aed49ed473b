/*
 * x87 data movement and conversions: FLD/FST/FSTP m32fp m64fp m80fp, FILD/FIST/FISTP/FISTTP
 * m16 m32 m64, FBLD/FBSTP, the constants under every RC, FXCH, FCMOVcc, FCOM/FUCOM/FCOMI/
 * FUCOMI/FICOM/FTST/FXAM condition codes and EFLAGS, FLDCW/FNSTCW, FNSTSW AX, FNCLEX,
 * FNSTENV/FLDENV and FNSAVE/FRSTOR (control, status and tag words only: the pointers hold
 * addresses), FFREE, FINCSTP/FDECSTP, and stack overflow/underflow responses.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

typedef struct { uint64_t m; uint16_t se; } __attribute__((packed)) f80;

static const f80 vals[] = {
    {0, 0}, {0, 0x8000}, {0x8000000000000000ULL, 0x3fff}, {0x8000000000000000ULL, 0xbfff},
    {0xc000000000000000ULL, 0x3ffe}, {0xa000000000000000ULL, 0x3ffe}, {0xe000000000000000ULL, 0xbfff},
    {0xa000000000000000ULL, 0x4000}, {0xb000000000000000ULL, 0xc000}, {0xaaaaaaaaaaaaaaabULL, 0x3ffd},
    {0xffffffffffffffffULL, 0x403d}, {0x8000000000000000ULL, 0xc03e}, {0xfffffffffffffffeULL, 0x403e},
    {0xfffe000000000000ULL, 0x400d}, {0x8000000000000000ULL, 0x400e}, {0x8000800000000000ULL, 0xc00e},
    {0xffffffffffffffffULL, 0x7ffe}, {0x8000000000000000ULL, 0x0001}, {0x4000000000000000ULL, 0x0000},
    {0x8000000000000000ULL, 0x7fff}, {0x8000000000000000ULL, 0xffff}, {0xc000000000000000ULL, 0xffff},
    {0xc000000000001234ULL, 0x7fff}, {0xa000000000005678ULL, 0xffff}, {0x4000000000000000ULL, 0x3fff},
    {0xffffff8000000000ULL, 0x407e}, {0xffffff7fffffffffULL, 0x407e}, {0x8000000000000000ULL, 0x3f6a},
    {0xfffffffffffff800ULL, 0x43fe}, {0xfffffffffffffc00ULL, 0x43fe}, {0x8000000000000000ULL, 0x3bcd},
    {0x8000000000000000ULL, 0x3bcc}, {0xde0b6b3a763ffff0ULL, 0x4039}, {0xde0b6b3a7640000cULL, 0x4039},
    {0x8ac7230489e80000ULL, 0x403f}, {0xc90fdaa22168c235ULL, 0x4000},
};
#define NV (int)(sizeof vals / sizeof vals[0])

static void hex80(const f80 *v) { printf("%04x%016llx", v->se, (unsigned long long)v->m); }

struct rec { uint16_t cw; uint16_t pad[7]; f80 a; uint8_t p1[6]; f80 b; uint8_t p2[6];
             f80 r0; uint8_t p3[6]; f80 r1; uint8_t p4[6]; uint16_t sw; uint8_t p5[6]; uint64_t fl; uint8_t mem[16]; };

#define PRE "fninit\n fldcw (%1)\n fldt 32(%1)\n fldt 16(%1)\n"
#define POST "\n fnstsw 80(%1)\n pushfq\n pop %0\n fstpt 48(%1)\n fstpt 64(%1)\n fninit\n"
#define OP(name, text) static void name(struct rec *p) { uint64_t f; __asm__ volatile(PRE text POST : "=&r"(f) : "r"(p) : "memory", "cc"); p->fl = f; }

OP(o_fsts, "fsts 96(%1)")
OP(o_fstl, "fstl 96(%1)")
OP(o_fstpt, "fstpt 96(%1)")
OP(o_fists, "fists 96(%1)")
OP(o_fistl, "fistl 96(%1)")
OP(o_fistpll, "fistpll 96(%1)")
OP(o_fisttps, "fisttps 96(%1)")
OP(o_fisttpl, "fisttpl 96(%1)")
OP(o_fisttpll, "fisttpll 96(%1)")
OP(o_fbstp, "fbstp 96(%1)")
OP(o_fcom, "fcom %%st(1)")
OP(o_fucomp, "fucomp %%st(1)")
OP(o_fcompp, "fcompp")
OP(o_fucompp, "fucompp")
OP(o_fcomi, "fcomi %%st(1), %%st")
OP(o_fucomip, "fucomip %%st(1), %%st")
OP(o_ftst, "ftst")
OP(o_fxam, "fxam")
OP(o_fxch, "fxch %%st(1)")
OP(o_fcmovb, "fucomi %%st(1), %%st\n fcmovb %%st(1), %%st")
OP(o_fcmove, "fucomi %%st(1), %%st\n fcmove %%st(1), %%st")
OP(o_fcmovbe, "fucomi %%st(1), %%st\n fcmovbe %%st(1), %%st")
OP(o_fcmovu, "fucomi %%st(1), %%st\n fcmovu %%st(1), %%st")
OP(o_fcmovnb, "fucomi %%st(1), %%st\n fcmovnb %%st(1), %%st")
OP(o_fcmovne, "fucomi %%st(1), %%st\n fcmovne %%st(1), %%st")
OP(o_fcmovnbe, "fucomi %%st(1), %%st\n fcmovnbe %%st(1), %%st")
OP(o_fcmovnu, "fucomi %%st(1), %%st\n fcmovnu %%st(1), %%st")

struct op { const char *name; void (*f)(struct rec *); unsigned swmask; int memlen; int flags; };
static const struct op ops[] = {
    {"fsts", o_fsts, 0x3a7f, 4, 0}, {"fstl", o_fstl, 0x3a7f, 8, 0}, {"fstpt", o_fstpt, 0x3a7f, 10, 0},
    {"fists", o_fists, 0x3a7f, 2, 0}, {"fistl", o_fistl, 0x3a7f, 4, 0}, {"fistpll", o_fistpll, 0x3a7f, 8, 0},
    {"fisttps", o_fisttps, 0x3a7f, 2, 0}, {"fisttpl", o_fisttpl, 0x3a7f, 4, 0}, {"fisttpll", o_fisttpll, 0x3a7f, 8, 0},
    {"fbstp", o_fbstp, 0x3a7f, 10, 0},
    {"fcom", o_fcom, 0x7f7f, 0, 0}, {"fucomp", o_fucomp, 0x7f7f, 0, 0}, {"fcompp", o_fcompp, 0x7f7f, 0, 0},
    {"fucompp", o_fucompp, 0x7f7f, 0, 0}, {"fcomi", o_fcomi, 0x3a7f, 0, 1}, {"fucomip", o_fucomip, 0x3a7f, 0, 1},
    {"ftst", o_ftst, 0x7f7f, 0, 0}, {"fxam", o_fxam, 0x7f7f, 0, 0}, {"fxch", o_fxch, 0x3a7f, 0, 0},
    {"fcmovb", o_fcmovb, 0x3a7f, 0, 1}, {"fcmove", o_fcmove, 0x3a7f, 0, 1}, {"fcmovbe", o_fcmovbe, 0x3a7f, 0, 1},
    {"fcmovu", o_fcmovu, 0x3a7f, 0, 1}, {"fcmovnb", o_fcmovnb, 0x3a7f, 0, 1}, {"fcmovne", o_fcmovne, 0x3a7f, 0, 1},
    {"fcmovnbe", o_fcmovnbe, 0x3a7f, 0, 1}, {"fcmovnu", o_fcmovnu, 0x3a7f, 0, 1},
};

static unsigned short load_sw(const void *mem, int kind, f80 *out) {
    unsigned short sw;
    switch (kind) {
    case 0: __asm__ volatile("fninit\n flds %2\n fnstsw %1\n fstpt %0" : "=m"(*out), "=m"(sw) : "m"(*(const uint32_t *)mem)); break;
    case 1: __asm__ volatile("fninit\n fldl %2\n fnstsw %1\n fstpt %0" : "=m"(*out), "=m"(sw) : "m"(*(const uint64_t *)mem)); break;
    case 2: __asm__ volatile("fninit\n filds %2\n fnstsw %1\n fstpt %0" : "=m"(*out), "=m"(sw) : "m"(*(const uint16_t *)mem)); break;
    case 3: __asm__ volatile("fninit\n fildl %2\n fnstsw %1\n fstpt %0" : "=m"(*out), "=m"(sw) : "m"(*(const uint32_t *)mem)); break;
    case 4: __asm__ volatile("fninit\n fildll %2\n fnstsw %1\n fstpt %0" : "=m"(*out), "=m"(sw) : "m"(*(const uint64_t *)mem)); break;
    default: __asm__ volatile("fninit\n fbld %2\n fnstsw %1\n fstpt %0" : "=m"(*out), "=m"(sw) : "m"(*(const f80 *)mem)); break;
    }
    return sw;
}

static void loads(void) {
    static const uint32_t f32[] = {0, 0x80000000, 0x3f800000, 0x7f7fffff, 0x00000001, 0x807fffff, 0x7f800000,
                                   0xff800000, 0x7fc00000, 0x7f800001, 0xffa00000, 0x3eaaaaab};
    static const uint64_t f64[] = {0, 0x8000000000000000ULL, 0x3ff0000000000000ULL, 0x7fefffffffffffffULL, 1,
                                   0x800fffffffffffffULL, 0x7ff0000000000000ULL, 0x7ff8000000000000ULL,
                                   0x7ff0000000000001ULL, 0xfff4000000000000ULL, 0x3fd5555555555555ULL};
    static const uint64_t ints[] = {0, 1, 0xffffffffffffffffULL, 0x7fff, 0x8000, 0x7fffffff, 0x80000000ULL,
                                    0x7fffffffffffffffULL, 0x8000000000000000ULL, 123456789, 0xfffffffffffffc18ULL};
    static const uint8_t bcd[][10] = {{0}, {1}, {0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0},
                                      {0x21, 0x43, 0x65, 0x87, 0x09, 0, 0, 0, 0, 0x80}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80},
                                      {0x10, 0, 0, 0, 0, 0, 0, 0, 0x12, 0}};
    f80 out;
    for (unsigned i = 0; i < sizeof f32 / 4; i++) { unsigned sw = load_sw(&f32[i], 0, &out); printf("flds %08x ", f32[i]); hex80(&out); printf(" sw=%04x\n", sw & 0x3a7f); }
    for (unsigned i = 0; i < sizeof f64 / 8; i++) { unsigned sw = load_sw(&f64[i], 1, &out); printf("fldl %016llx ", (unsigned long long)f64[i]); hex80(&out); printf(" sw=%04x\n", sw & 0x3a7f); }
    for (int k = 2; k <= 4; k++)
        for (unsigned i = 0; i < sizeof ints / 8; i++) { unsigned sw = load_sw(&ints[i], k, &out); printf("fild%d %016llx ", k, (unsigned long long)ints[i]); hex80(&out); printf(" sw=%04x\n", sw & 0x3a7f); }
    for (unsigned i = 0; i < sizeof bcd / 10; i++) { unsigned sw = load_sw(bcd[i], 5, &out); printf("fbld %d ", i); hex80(&out); printf(" sw=%04x\n", sw & 0x3a7f); }
}

static void constants(void) {
    for (int rc = 0; rc < 4; rc++) {
        uint16_t cw = 0x037f | (rc << 10);
        f80 v[7];
        unsigned short sw;
        __asm__ volatile("fninit\n fldcw %8\n fld1\n fldl2t\n fldl2e\n fldpi\n fldlg2\n fldln2\n fldz\n fnstsw %7\n"
                         "fstpt %6\n fstpt %5\n fstpt %4\n fstpt %3\n fstpt %2\n fstpt %1\n fstpt %0\n fninit"
                         : "=m"(v[0]), "=m"(v[1]), "=m"(v[2]), "=m"(v[3]), "=m"(v[4]), "=m"(v[5]), "=m"(v[6]), "=m"(sw) : "m"(cw));
        printf("constants rc=%d", rc);
        for (int i = 0; i < 7; i++) { printf(" "); hex80(&v[i]); }
        printf(" sw=%04x\n", sw & 0x3a7f);
    }
}

static void control(void) {
    uint16_t cws[] = {0x0000, 0xffff, 0x037f, 0x0c3f, 0x1234};
    for (unsigned i = 0; i < 5; i++) {
        uint16_t out;
        __asm__ volatile("fldcw %1\n fnstcw %0\n fninit" : "=m"(out) : "m"(cws[i]));
        printf("fldcw %04x -> %04x\n", cws[i], out);
    }
    /* stack overflow and underflow, masked */
    unsigned short ax, sw2;
    f80 top;
    __asm__ volatile("fninit\n fld1\n fld1\n fld1\n fld1\n fld1\n fld1\n fld1\n fld1\n fldpi\n fnstsw %%ax\n fstpt %0\n fninit"
                     : "=m"(top), "=a"(ax));
    printf("overflow "); hex80(&top); printf(" sw=%04x\n", ax & 0x3aff & ~0x80);
    __asm__ volatile("fninit\n fld1\n fstp %%st(0)\n fadd %%st(0), %%st\n fnstsw %%ax\n fstpt %0\n fninit" : "=m"(top), "=a"(ax));
    printf("underflow "); hex80(&top); printf(" sw=%04x\n", ax & 0x3aff & ~0x80);
    /* FNCLEX, FINCSTP, FDECSTP, FFREE, tag word via FNSTENV */
    unsigned char env[28], save[108];
    __asm__ volatile("fninit\n fldz\n fld1\n fldpi\n fldt %2\n ffree %%st(2)\n fincstp\n fdivs %3\n fnstsw %1\n fnstenv %0\n fninit"
                     : "=m"(env), "=m"(sw2) : "m"(vals[18]), "m"(vals[0]));
    printf("env cw=%04x sw=%04x tw=%04x sw2=%04x\n", env[0] | env[1] << 8, (env[4] | env[5] << 8) & 0x3aff, env[8] | env[9] << 8, sw2 & 0x3aff);
    /* FNSAVE/FRSTOR round trip: the register image and the words */
    __asm__ volatile("fninit\n fldpi\n fldt %1\n fldt %2\n fdecstp\n fnsave %0\n fninit"
                     : "=m"(save) : "m"(vals[21]), "m"(vals[17]));
    printf("fnsave cw=%04x sw=%04x tw=%04x regs", save[0] | save[1] << 8, (save[4] | save[5] << 8) & 0x3aff, save[8] | save[9] << 8);
    for (int i = 28; i < 108; i++) printf("%02x", save[i]);
    printf("\n");
    unsigned char save2[108];
    __asm__ volatile("frstor %1\n fnsave %0\n fninit" : "=m"(save2) : "m"(save));
    printf("frstor/fnsave %s tw=%04x\n", memcmp(save + 28, save2 + 28, 80) == 0 ? "same" : "differ", save2[8] | save2[9] << 8);
    /* FLDENV: load an environment with TOP=3 and a tag word, read it back */
    memcpy(env, (unsigned char[]){0x7f, 0x0e, 0xff, 0xff, 0x00, 0x18, 0xff, 0xff, 0xff, 0x3f, 0xff, 0xff}, 12);
    unsigned char env2[28];
    __asm__ volatile("fninit\n fldenv %1\n fnstenv %0\n fninit" : "=m"(env2) : "m"(env));
    printf("fldenv cw=%04x sw=%04x tw=%04x\n", env2[0] | env2[1] << 8, env2[4] | env2[5] << 8, env2[8] | env2[9] << 8);
}

int main(void) {
    loads();
    constants();
    control();
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        const struct op *o = &ops[k];
        for (int rc = 0; rc < 4; rc++) {
            int pairs = o->memlen || !strcmp(o->name, "ftst") || !strcmp(o->name, "fxam");
            for (int i = 0; i < NV; i++) {
                for (int j = 0; j < (pairs ? 1 : NV); j += (rc == 0 ? 1 : 5)) {
                    struct rec r;
                    memset(&r, 0, sizeof r);
                    r.cw = 0x037f | (rc << 10);
                    r.a = vals[i];
                    r.b = vals[pairs ? 2 : j];
                    o->f(&r);
                    printf("%s rc=%d a=%d b=%d ", o->name, rc, i, j);
                    hex80(&r.r0);
                    printf(" ");
                    hex80(&r.r1);
                    printf(" sw=%04x", r.sw & o->swmask);
                    if (o->flags) printf(" fl=%03llx", (unsigned long long)(r.fl & 0x8d5));
                    if (o->memlen) { printf(" mem="); for (int b = o->memlen - 1; b >= 0; b--) printf("%02x", r.mem[b]); }
                    printf("\n");
                }
            }
            if (!o->memlen && strcmp(o->name, "fsts") && rc == 0) {
                /* comparisons do not depend on RC */
                if (strncmp(o->name, "fst", 3) && strncmp(o->name, "fist", 4) && strcmp(o->name, "fbstp")) break;
            }
        }
    }
    return 0;
}
