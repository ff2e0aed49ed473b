package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SSE/SSE2 conversions (SDM Vol. 2A, CVT*). */
class SseConvertTest {
    static CpuHarness run(String asm, long rax, long xmm1, int mxcsr) {
        CpuHarness h = CpuHarness.ofAsm(asm);
        h.cpu.r[Cpu.RAX] = rax;
        h.cpu.xmm[2] = xmm1;
        h.cpu.mxcsr = mxcsr;
        return h.runToEnd();
    }

    static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    @Test
    void truncatingAndRoundingToInteger() {
        assertThat(run("cvttsd2si ecx, xmm1", 0, d(-2.5), 0x1f80).cpu.r[Cpu.RCX]).isEqualTo(0xfffffffeL);
        assertThat(run("cvtsd2si ecx, xmm1", 0, d(-2.5), 0x1f80).cpu.r[Cpu.RCX]).isEqualTo(0xfffffffeL);
        assertThat(run("cvtsd2si ecx, xmm1", 0, d(2.5), 0x1f80).cpu.r[Cpu.RCX]).isEqualTo(2);
        assertThat(run("cvtsd2si ecx, xmm1", 0, d(2.5), 0x5f80).cpu.r[Cpu.RCX]).isEqualTo(3);
        assertThat(run("cvtsd2si rcx, xmm1", 0, d(-2.5), 0x3f80).cpu.r[Cpu.RCX]).isEqualTo(-3);
        CpuHarness h = run("cvttsd2si ecx, xmm1", 0, d(3e9), 0x1f80);
        assertThat(h.cpu.r[Cpu.RCX]).isEqualTo(0x80000000L);
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.IE);
        h = run("cvttsd2si rcx, xmm1", 0, d(Double.NaN), 0x1f80);
        assertThat(h.cpu.r[Cpu.RCX]).isEqualTo(Long.MIN_VALUE);
        h = run("cvttss2si ecx, xmm1", 0, Float.floatToRawIntBits(1.5f), 0x1f80);
        assertThat(h.cpu.r[Cpu.RCX]).isEqualTo(1);
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.PE);
    }

    @Test
    void integerToFloatingPoint() {
        CpuHarness h = run("cvtsi2sd xmm0, eax\ncvtsi2sd xmm2, rax", 0xffffffff_fffffffdL, 0, 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(d(-3));
        assertThat(h.cpu.xmm[4]).isEqualTo(d(-3));
        // 2^53 + 1 is not representable: nearest-even gives 2^53, up gives 2^53 + 2.
        assertThat(run("cvtsi2sd xmm0, rax", (1L << 53) + 1, 0, 0x1f80).cpu.xmm[0]).isEqualTo(d(0x1p53));
        h = run("cvtsi2sd xmm0, rax", (1L << 53) + 1, 0, 0x5f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(d(0x1p53 + 2));
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.PE);
        assertThat(run("cvtsi2ss xmm0, eax", 0x1000001, 0, 0x7f80).cpu.xmm[0] & 0xffffffffL)
                .isEqualTo(Float.floatToRawIntBits(0x1p24f));
    }

    @Test
    void betweenFormats() {
        CpuHarness h = run("cvtsd2ss xmm0, xmm1", 0, d(1e300), 0x1f80);
        assertThat(h.cpu.xmm[0] & 0xffffffffL).isEqualTo(0x7f800000L);
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.OE | SoftFloat.PE);
        h = run("cvtss2sd xmm0, xmm1", 0, 0x7fa00001L, 0x1f80); // SNaN: quieted, IE
        assertThat(h.cpu.xmm[0]).isEqualTo(0x7ffc000020000000L);
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.IE);
        h = run("cvtpd2ps xmm0, xmm1", 0, d(0.5), 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(Float.floatToRawIntBits(0.5f) & 0xffffffffL);
        assertThat(h.cpu.xmm[1]).isZero();
    }

    @Test
    void packedIntegerConversions() {
        CpuHarness h = CpuHarness.ofAsm("cvttps2dq xmm0, xmm1\ncvtdq2pd xmm2, xmm0");
        h.cpu.xmm[2] = (Float.floatToRawIntBits(-1.75f) & 0xffffffffL) | ((long) Float.floatToRawIntBits(3e9f) << 32);
        h.runToEnd();
        assertThat(h.cpu.xmm[0]).isEqualTo(0x80000000_ffffffffL);
        assertThat(h.cpu.xmm[4]).isEqualTo(d(-1));
        assertThat(h.cpu.xmm[5]).isEqualTo(d(-2147483648.0));
    }
}
