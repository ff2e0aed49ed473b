/*
 * MMX: register aliasing with the x87 stack (TOP = 0, all tags valid, exponent/sign all ones
 * after an MMX write; EMMS empties the tags), MOVD/MOVQ forms, and MMX register-register forms
 * of the packed-integer instructions.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct env { uint16_t cw, r0, sw, r1, tw, r2; uint32_t rest[4]; };

static void show(const char *what) {
    struct env e;
    __asm__ volatile("fnstenv %0" : "=m"(e));
    __asm__ volatile("fldcw %0" : : "m"(e.cw)); /* fnstenv masks exceptions; restore the CW */
    printf("%-24s cw %04x sw %04x top %d tw %04x\n", what, e.cw, e.sw & 0xffff, (e.sw >> 11) & 7, e.tw);
}

static void regs(const char *what) {
    static unsigned char a[512] __attribute__((aligned(16)));
    __asm__ volatile("fxsave %0" : "=m"(a));
    printf("%s ftw %02x:", what, a[4]);
    for (int k = 0; k < 8; k++) {
        printf(" ");
        for (int b = 9; b >= 0; b--) printf("%02x", a[32 + 16 * k + b]);
    }
    printf("\n");
}

int main(void) {
    uint64_t v = 0x0123456789abcdefull, r;
    __asm__ volatile("fninit");
    show("fninit");
    __asm__ volatile("fld1\n\tfldpi");
    show("fld1 fldpi");
    __asm__ volatile("movq %0, %%mm2" : : "m"(v) : "mm2");
    show("movq mm2");
    regs("after movq mm2");
    __asm__ volatile("emms");
    show("emms");
    __asm__ volatile("fninit\n\tfld1\n\tfld1\n\tfld1");
    show("3x fld1");
    __asm__ volatile("movq %%mm0, %0" : "=m"(r));
    show("movq from mm0 (read)");
    printf("mm0 %016llx\n", (unsigned long long)r);
    __asm__ volatile("emms\n\tfninit");
    /* x87 usable after EMMS */
    double d = 2.5, e;
    __asm__ volatile("fldl %1\n\tfaddl %1\n\tfstpl %0" : "=m"(e) : "m"(d));
    printf("x87 after emms %g\n", e);
    show("after x87");

    static const uint64_t vals[] = {
        0x0000000000000000ull, 0xffffffffffffffffull, 0x8000800080008000ull, 0x7fff7fff7fff7fffull,
        0x80807f7f01fe00ffull, 0x0123456789abcdefull, 0xfedcba9876543210ull, 0x00ff00ff7fff8000ull,
    };
    for (unsigned i = 0; i < 8; i++) {
        for (unsigned j = 0; j < 8; j++) {
            uint64_t a = vals[i], b = vals[j], o[12];
#define MM(k, insn) __asm__ volatile("movq %1, %%mm0\n\tmovq %2, %%mm1\n\t" insn " %%mm1, %%mm0\n\tmovq %%mm0, %0" \
                                     : "=m"(o[k]) : "m"(a), "m"(b) : "mm0", "mm1")
            MM(0, "paddw"); MM(1, "psubusb"); MM(2, "pmulhw"); MM(3, "pmaddwd"); MM(4, "pcmpgtw"); MM(5, "packsswb");
            MM(6, "punpckhwd"); MM(7, "pavgb"); MM(8, "psadbw"); MM(9, "pmuludq"); MM(10, "paddq"); MM(11, "pandn");
            printf("%016llx %016llx:", (unsigned long long)a, (unsigned long long)b);
            for (int k = 0; k < 12; k++) printf(" %016llx", (unsigned long long)o[k]);
            printf("\n");
        }
    }
    show("after mmx ops");
    __asm__ volatile("emms");
    show("emms");
    unsigned long g;
    uint32_t m32 = 0xcafef00d;
    __asm__ volatile("movd %2, %%mm7\n\tmovq %%mm7, %0\n\tmovq %%mm7, %1\n\temms" : "=m"(r), "=r"(g) : "m"(m32) : "mm7");
    printf("movd mm7,m32 %016llx %lx\n", (unsigned long long)r, g);
    __asm__ volatile("movd %%mm7, %0\n\temms" : "=m"(m32));
    printf("movd m32,mm7 %08x\n", m32);
    return 0;
}
