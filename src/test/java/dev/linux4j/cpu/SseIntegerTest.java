package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SSE2/MMX packed integer instructions (SDM Vol. 2). */
class SseIntegerTest {
    static CpuHarness xmm(String asm, long aLo, long aHi, long bLo, long bHi) {
        CpuHarness h = CpuHarness.ofAsm(asm);
        h.cpu.xmm[0] = aLo;
        h.cpu.xmm[1] = aHi;
        h.cpu.xmm[2] = bLo;
        h.cpu.xmm[3] = bHi;
        return h.runToEnd();
    }

    @Test
    void strlenPathPcmpeqbPmovmskb() {
        // glibc strlen: pcmpeqb against zero, pmovmskb, bsf.
        CpuHarness h = xmm("pcmpeqb xmm1, xmm0\npmovmskb eax, xmm1", 0, 0, 0x0000616263646566L, 0x6100000000000061L);
        assertThat(h.cpu.xmm[2]).isEqualTo(0xffff000000000000L);
        assertThat(h.cpu.xmm[3]).isEqualTo(0x00ffffffffffff00L);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x7ec0L);
    }

    @Test
    void pminubPmaxubAreUnsigned() {
        CpuHarness h = xmm("movdqa xmm4, xmm0\npminub xmm0, xmm1\npmaxub xmm4, xmm1",
                0x00ff7f8001fe8081L, 0, 0xff00807f02fd8180L, 0x1L);
        assertThat(h.cpu.xmm[0]).isEqualTo(0x00007f7f01fd8080L);
        assertThat(h.cpu.xmm[8]).isEqualTo(0xffff808002fe8181L);
        assertThat(h.cpu.xmm[1]).isZero();
    }

    @Test
    void addSubtractWrapAndSaturate() {
        assertThat(xmm("paddb xmm0, xmm1", 0x7fff01L, 0, 0x0101ffL, 0).cpu.xmm[0]).isEqualTo(0x800000L);
        assertThat(xmm("paddsb xmm0, xmm1", 0x7f80L, 0, 0x01ffL, 0).cpu.xmm[0]).isEqualTo(0x7f80L);
        assertThat(xmm("paddusw xmm0, xmm1", 0xfff0L, 0, 0x0020L, 0).cpu.xmm[0]).isEqualTo(0xffffL);
        assertThat(xmm("psubusb xmm0, xmm1", 0x1005L, 0, 0x0110L, 0).cpu.xmm[0]).isEqualTo(0x0f00L);
        assertThat(xmm("psubd xmm0, xmm1", 0, 0, 1, 0).cpu.xmm[0]).isEqualTo(0xffffffffL);
        assertThat(xmm("psubq xmm0, xmm1", 0, 0, 1, 0).cpu.xmm[0]).isEqualTo(-1L);
    }

    @Test
    void multiplies() {
        assertThat(xmm("pmulhw xmm0, xmm1", 0x8000L, 0, 0x8000L, 0).cpu.xmm[0]).isEqualTo(0x4000L);
        assertThat(xmm("pmulhuw xmm0, xmm1", 0xffffL, 0, 0xffffL, 0).cpu.xmm[0]).isEqualTo(0xfffeL);
        assertThat(xmm("pmullw xmm0, xmm1", 0x1234L, 0, 0x10L, 0).cpu.xmm[0]).isEqualTo(0x2340L);
        assertThat(xmm("pmuludq xmm0, xmm1", 0xffffffffL, 2, 0xffffffffL, 3).cpu.xmm[0]).isEqualTo(0xfffffffe00000001L);
        assertThat(xmm("pmaddwd xmm0, xmm1", 0x80008000L, 0, 0x80008000L, 0).cpu.xmm[0]).isEqualTo(0x80000000L);
        assertThat(xmm("psadbw xmm0, xmm1", 0x00ff00ff00ff00ffL, 1, 0xff00ff00ff00ff00L, 0).cpu.xmm[0]).isEqualTo(8 * 255);
    }

    @Test
    void shifts() {
        assertThat(xmm("psllw xmm0, 4", 0x8421L, 0, 0, 0).cpu.xmm[0]).isEqualTo(0x4210L);
        assertThat(xmm("psraw xmm0, 20", 0x8000L, 0, 0, 0).cpu.xmm[0]).isEqualTo(0xffffL);
        assertThat(xmm("psrld xmm0, xmm1", -1L, -1L, 33, 0).cpu.xmm[0]).isZero();
        assertThat(xmm("psrad xmm0, xmm1", 0x80000000_00000010L, 0, 4, -1).cpu.xmm[0]).isEqualTo(0xf8000000_00000001L);
        CpuHarness h = xmm("pslldq xmm0, 3", 0x1122334455667788L, 0x99aabbccddeeff00L, 0, 0);
        assertThat(h.cpu.xmm[0]).isEqualTo(0x4455667788000000L);
        assertThat(h.cpu.xmm[1]).isEqualTo(0xccddeeff00112233L);
        h = xmm("psrldq xmm0, 9", 0x1122334455667788L, 0x99aabbccddeeff00L, 0, 0);
        assertThat(h.cpu.xmm[0]).isEqualTo(0x0099aabbccddeeffL);
        assertThat(h.cpu.xmm[1]).isZero();
    }

    @Test
    void comparesAreSigned() {
        assertThat(xmm("pcmpgtb xmm0, xmm1", 0x017fL, 0, 0x80ffL, 0).cpu.xmm[0]).isEqualTo(0xffffL);
        assertThat(xmm("pcmpeqd xmm0, xmm1", 5L | (6L << 32), 0, 5, 0).cpu.xmm[0]).isEqualTo(0xffffffffL);
    }

    @Test
    void misalignedMemoryOperandIsGeneralProtection() {
        CpuHarness h = CpuHarness.ofAsm("paddb xmm0, [rax]");
        h.cpu.r[Cpu.RAX] = CpuHarness.DATA + 8;
        CpuExit exit = h.run();
        assertThat(((CpuExit.Fault) exit).kind()).isEqualTo(CpuExit.FaultKind.GENERAL_PROTECTION);
    }

    @Test
    void mmxFormsWriteTheX87Registers() {
        CpuHarness h = CpuHarness.ofAsm("paddw mm1, mm2");
        h.cpu.x87.mantissa[1] = 0x0001000200030004L;
        h.cpu.x87.mantissa[2] = 0x0010002000300040L;
        h.cpu.x87.top = 5;
        h.cpu.x87.tag = 0xffff;
        h.runToEnd();
        assertThat(h.cpu.x87.mantissa[1]).isEqualTo(0x0011002200330044L);
        assertThat(h.cpu.x87.signExp[1]).isEqualTo(0xffff);
        assertThat(h.cpu.x87.top).isZero();
        assertThat(h.cpu.x87.tag).isZero();
        h = CpuHarness.ofAsm("emms");
        h.cpu.x87.tag = 0;
        assertThat(h.runToEnd().cpu.x87.tag).isEqualTo(0xffff);
    }
}
