package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SSE/SSE2 floating-point arithmetic: values and MXCSR flags from the SDM and IEEE 754. */
class SseFloatTest {
    static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    static long f(float v) {
        return Float.floatToRawIntBits(v) & 0xffffffffL;
    }

    /** Runs {@code asm} with xmm0 = a (low), xmm1 = b (low) under {@code mxcsr}. */
    static CpuHarness run(String asm, long a, long b, int mxcsr) {
        CpuHarness h = CpuHarness.ofAsm(asm);
        h.cpu.xmm[0] = a;
        h.cpu.xmm[1] = 0x1111111111111111L;
        h.cpu.xmm[2] = b;
        h.cpu.xmm[3] = 0x2222222222222222L;
        h.cpu.mxcsr = mxcsr;
        return h.runToEnd();
    }

    @Test
    void addsdKeepsHighQuadwordAndSetsPrecision() {
        CpuHarness h = run("addsd xmm0, xmm1", d(1.0), d(2.0), 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(d(3.0));
        assertThat(h.cpu.xmm[1]).isEqualTo(0x1111111111111111L);
        assertThat(h.cpu.mxcsr).isEqualTo(0x1f80);
        h = run("addsd xmm0, xmm1", d(1.0), d(0x1p-60), 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(d(1.0));
        assertThat(h.cpu.mxcsr).isEqualTo(0x1f80 | SoftFloat.PE);
    }

    @Test
    void divisionHonoursEachRoundingMode() {
        // 1/3 = 0x3FD5555555555555 rounded to nearest and down; up is one ulp more.
        assertThat(run("divsd xmm0, xmm1", d(1), d(3), 0x1f80).cpu.xmm[0]).isEqualTo(0x3fd5555555555555L);
        assertThat(run("divsd xmm0, xmm1", d(1), d(3), 0x3f80).cpu.xmm[0]).isEqualTo(0x3fd5555555555555L);
        assertThat(run("divsd xmm0, xmm1", d(1), d(3), 0x5f80).cpu.xmm[0]).isEqualTo(0x3fd5555555555556L);
        assertThat(run("divsd xmm0, xmm1", d(-1), d(3), 0x3f80).cpu.xmm[0]).isEqualTo(0xbfd5555555555556L);
        assertThat(run("divsd xmm0, xmm1", d(-1), d(3), 0x7f80).cpu.xmm[0]).isEqualTo(0xbfd5555555555555L);
        // 1/3 in binary32: 0x3EAAAAAB to nearest, 0x3EAAAAAA toward zero.
        assertThat(run("divss xmm0, xmm1", f(1), f(3), 0x1f80).cpu.xmm[0] & 0xffffffffL).isEqualTo(0x3eaaaaabL);
        assertThat(run("divss xmm0, xmm1", f(1), f(3), 0x7f80).cpu.xmm[0] & 0xffffffffL).isEqualTo(0x3eaaaaaaL);
    }

    @Test
    void overflowUnderflowAndDivideByZeroFlags() {
        CpuHarness h = run("mulsd xmm0, xmm1", d(Double.MAX_VALUE), d(2), 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(d(Double.POSITIVE_INFINITY));
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.OE | SoftFloat.PE);
        h = run("mulsd xmm0, xmm1", d(Double.MAX_VALUE), d(2), 0x7f80); // toward zero: max finite
        assertThat(h.cpu.xmm[0]).isEqualTo(d(Double.MAX_VALUE));
        h = run("mulsd xmm0, xmm1", d(0x1p-1000), d(0x1p-60), 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(d(0x1p-1060));
        assertThat(h.cpu.mxcsr & 0x3f).isZero(); // exact denormal result: no underflow when masked
        h = run("mulsd xmm0, xmm1", d(0x1.8p-1000), d(0x1p-74), 0x1f80);
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.UE | SoftFloat.PE);
        h = run("mulsd xmm0, xmm1", d(0x1p-1000), d(0x1p-60), 0x9f80); // FTZ
        assertThat(h.cpu.xmm[0]).isZero();
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.UE | SoftFloat.PE);
        h = run("divsd xmm0, xmm1", d(-1), d(0), 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(d(Double.NEGATIVE_INFINITY));
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.ZE);
    }

    @Test
    void nanRules() {
        long snan = 0x7ff4000000000001L;
        long qnan = 0xfff8000000000123L;
        CpuHarness h = run("addsd xmm0, xmm1", snan, qnan, 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(0x7ffc000000000001L); // first operand's NaN, quieted
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.IE);
        h = run("subsd xmm0, xmm1", d(1), qnan, 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(qnan); // the second operand's sign is not flipped
        assertThat(h.cpu.mxcsr & 0x3f).isZero();
        h = run("mulsd xmm0, xmm1", d(0), d(Double.POSITIVE_INFINITY), 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(0xfff8000000000000L); // QNaN floating-point indefinite
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.IE);
        h = run("sqrtss xmm0, xmm1", 0, f(-1), 0x1f80);
        assertThat(h.cpu.xmm[0] & 0xffffffffL).isEqualTo(0xffc00000L);
        h = run("minsd xmm0, xmm1", qnan, d(5), 0x1f80); // MIN returns the second operand
        assertThat(h.cpu.xmm[0]).isEqualTo(d(5));
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.IE);
        h = run("maxsd xmm0, xmm1", d(-0.0), d(0.0), 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(d(0.0));
        h = run("minsd xmm0, xmm1", d(0.0), d(-0.0), 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(d(-0.0));
    }

    @Test
    void unmaskedExceptionTrapsWithoutWriting() {
        CpuHarness h = CpuHarness.ofAsm("divsd xmm0, xmm1");
        h.cpu.xmm[0] = d(1);
        h.cpu.xmm[2] = d(0);
        h.cpu.mxcsr = 0x1f80 & ~(SoftFloat.ZE << 7);
        CpuExit exit = h.run();
        assertThat(exit).isInstanceOf(CpuExit.Fault.class);
        assertThat(((CpuExit.Fault) exit).kind()).isEqualTo(CpuExit.FaultKind.SIMD_FP_ERROR);
        assertThat(h.cpu.xmm[0]).isEqualTo(d(1));
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.ZE);
    }

    @Test
    void packedSingleAndDouble() {
        CpuHarness h = CpuHarness.ofAsm("addps xmm0, xmm1\naddpd xmm2, xmm3");
        h.cpu.xmm[0] = f(1) | (f(2) << 32);
        h.cpu.xmm[1] = f(3) | (f(4) << 32);
        h.cpu.xmm[2] = f(10) | (f(20) << 32);
        h.cpu.xmm[3] = f(30) | (f(40) << 32);
        h.cpu.xmm[4] = d(1.5);
        h.cpu.xmm[5] = d(-2);
        h.cpu.xmm[6] = d(2.5);
        h.cpu.xmm[7] = d(0.5);
        h.runToEnd();
        assertThat(h.cpu.xmm[0]).isEqualTo(f(11) | (f(22) << 32));
        assertThat(h.cpu.xmm[1]).isEqualTo(f(33) | (f(44) << 32));
        assertThat(h.cpu.xmm[4]).isEqualTo(d(4));
        assertThat(h.cpu.xmm[5]).isEqualTo(d(-1.5));
    }

    @Test
    void compareAndComis() {
        CpuHarness h = run("cmpsd xmm0, xmm1, 1", d(1), d(2), 0x1f80);
        assertThat(h.cpu.xmm[0]).isEqualTo(-1L);
        h = run("cmpsd xmm0, xmm1, 6", d(1), d(Double.NaN), 0x1f80); // NLE is true on unordered
        assertThat(h.cpu.xmm[0]).isEqualTo(-1L);
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.IE); // signaling predicate
        h = run("ucomisd xmm0, xmm1", d(1), d(Double.NaN), 0x1f80);
        assertThat(h.cpu.statusFlags()).isEqualTo(Cpu.ZF | Cpu.PF | Cpu.CF);
        assertThat(h.cpu.mxcsr & 0x3f).isZero();
        h = run("comisd xmm0, xmm1", d(1), d(Double.NaN), 0x1f80);
        assertThat(h.cpu.mxcsr & 0x3f).isEqualTo(SoftFloat.IE);
        assertThat(run("comisd xmm0, xmm1", d(1), d(2), 0x1f80).cpu.statusFlags()).isEqualTo(Cpu.CF);
        assertThat(run("comisd xmm0, xmm1", d(3), d(2), 0x1f80).cpu.statusFlags()).isZero();
        assertThat(run("comiss xmm0, xmm1", f(2), f(2), 0x1f80).cpu.statusFlags()).isEqualTo(Cpu.ZF);
    }

    @Test
    void sqrtAndLogic() {
        assertThat(run("sqrtsd xmm0, xmm1", 0, d(2), 0x1f80).cpu.xmm[0]).isEqualTo(0x3ff6a09e667f3bcdL);
        assertThat(run("sqrtsd xmm0, xmm1", 0, d(2), 0x5f80).cpu.xmm[0]).isEqualTo(0x3ff6a09e667f3bcdL);
        assertThat(run("sqrtsd xmm0, xmm1", 0, d(2), 0x3f80).cpu.xmm[0]).isEqualTo(0x3ff6a09e667f3bccL);
        assertThat(run("andnpd xmm0, xmm1", 0xff00ff00ff00ff00L, 0x0ff00ff00ff00ff0L, 0x1f80).cpu.xmm[0])
                .isEqualTo(0x00f000f000f000f0L);
        assertThat(run("xorps xmm0, xmm0", 1234, 0, 0x1f80).cpu.xmm[0]).isZero();
    }

    @Test
    void reciprocalApproximationsMatchTheReferenceHost() {
        assertThat(run("rcpss xmm0, xmm1", 0, f(1), 0x1f80).cpu.xmm[0] & 0xffffffffL).isEqualTo(0x3f7ff000L);
        assertThat(run("rsqrtss xmm0, xmm1", 0, f(4), 0x1f80).cpu.xmm[0] & 0xffffffffL).isEqualTo(0x3efff000L);
        assertThat(run("rcpss xmm0, xmm1", 0, 0x00400000L, 0x1f80).cpu.xmm[0] & 0xffffffffL).isEqualTo(0x7f800000L);
        assertThat(run("rsqrtss xmm0, xmm1", 0, f(-1), 0x1f80).cpu.xmm[0] & 0xffffffffL).isEqualTo(0xffc00000L);
    }
}
