package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;
import static dev.linux4j.cpu.SoftFloat.*;

/**
 * SSE/SSE2 conversions (SDM Vol. 1, 10.4.6 and 11.4.2): between signed integers and binary32/64
 * honouring MXCSR.RC or truncating (the CVTT forms), and between the two floating-point
 * formats. Out-of-range and NaN sources give the integer indefinite (0x80000000 or
 * 0x8000000000000000) and IE.
 */
final class SseConvert {
    private SseConvert() {}

    /** One element conversion, on raw bits. */
    @FunctionalInterface
    interface Conv {
        long apply(Cpu c, long v);
    }

    static final long M32 = 0xffffffffL;

    static void register(OpcodeTable t) {
        t.add(MAP_0F, 0x2a, PFX_F3, "cvtsi2ss", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { cvtsi2ss(c, i); } });
        t.add(MAP_0F, 0x2a, PFX_F2, "cvtsi2sd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { cvtsi2sd(c, i); } });
        t.add(MAP_0F, 0x2c, PFX_F3, "cvttss2si", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { toGpr(c, i, true, true); } });
        t.add(MAP_0F, 0x2c, PFX_F2, "cvttsd2si", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { toGpr(c, i, false, true); } });
        t.add(MAP_0F, 0x2d, PFX_F3, "cvtss2si", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { toGpr(c, i, true, false); } });
        t.add(MAP_0F, 0x2d, PFX_F2, "cvtsd2si", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { toGpr(c, i, false, false); } });
        t.add(MAP_0F, 0x5a, PFX_F3, "cvtss2sd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { cvtss2sd(c, i); } });
        t.add(MAP_0F, 0x5a, PFX_F2, "cvtsd2ss", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { cvtsd2ss(c, i); } });

        t.add(MAP_0F, 0x5a, PFX_NONE, "cvtps2pd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { widen(c, i, SseConvert::f2d); } });
        t.add(MAP_0F, 0xe6, PFX_F3, "cvtdq2pd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { widen(c, i, SseConvert::i2d); } });
        t.add(MAP_0F, 0x5a, PFX_66, "cvtpd2ps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { narrow(c, i, SseConvert::d2f); } });
        t.add(MAP_0F, 0xe6, PFX_F2, "cvtpd2dq", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { narrow(c, i, SseConvert::d2i); } });
        t.add(MAP_0F, 0xe6, PFX_66, "cvttpd2dq", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { narrow(c, i, SseConvert::d2it); } });
        t.add(MAP_0F, 0x5b, PFX_NONE, "cvtdq2ps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { packed4(c, i, SseConvert::i2f); } });
        t.add(MAP_0F, 0x5b, PFX_66, "cvtps2dq", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { packed4(c, i, SseConvert::f2i); } });
        t.add(MAP_0F, 0x5b, PFX_F3, "cvttps2dq", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { packed4(c, i, SseConvert::f2it); } });

        t.add(MAP_0F, 0x2a, PFX_NONE, "cvtpi2ps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { cvtpi2ps(c, i); } });
        t.add(MAP_0F, 0x2a, PFX_66, "cvtpi2pd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { cvtpi2pd(c, i); } });
        t.add(MAP_0F, 0x2d, PFX_NONE, "cvtps2pi", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { toMmx(c, i, Sse.src64(c, i), SseConvert::f2i); } });
        t.add(MAP_0F, 0x2c, PFX_NONE, "cvttps2pi", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { toMmx(c, i, Sse.src64(c, i), SseConvert::f2it); } });
        t.add(MAP_0F, 0x2d, PFX_66, "cvtpd2pi", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { toMmxFromPd(c, i, SseConvert::d2i); } });
        t.add(MAP_0F, 0x2c, PFX_66, "cvttpd2pi", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { toMmxFromPd(c, i, SseConvert::d2it); } });
    }

    // ---------------------------------------------------------------- elements

    static long i2f(Cpu c, long v) {
        int x = (int) v;
        if (x > -(1 << 24) && x < (1 << 24)) {
            return Float.floatToRawIntBits(x) & M32;
        }
        return fromInt(c, x, true);
    }

    static long i2d(Cpu c, long v) {
        return Double.doubleToRawLongBits((int) v);
    }

    static long f2d(Cpu c, long v) {
        if (SseFloat.normal32(v)) {
            return Double.doubleToRawLongBits(Float.intBitsToFloat((int) v));
        }
        return convert(c, v, true);
    }

    static long d2f(Cpu c, long v) {
        if (SseFloat.fast(c) && SseFloat.normal64(v)) {
            double x = Double.longBitsToDouble(v);
            float r = (float) x;
            long rb = Float.floatToRawIntBits(r) & M32;
            if (SseFloat.normal32(rb)) {
                if ((c.mxcsr & PE) == 0 && r != x) {
                    c.mxcsr |= PE;
                }
                return rb;
            }
        }
        return convert(c, v, false);
    }

    static long f2i(Cpu c, long v) {
        return toInt(c, v, true, false, false);
    }

    static long f2it(Cpu c, long v) {
        return toInt(c, v, true, false, true);
    }

    static long d2i(Cpu c, long v) {
        return toInt(c, v, false, false, false);
    }

    static long d2it(Cpu c, long v) {
        return toInt(c, v, false, false, true);
    }

    /** CVTTSD2SI element: truncation, with a fast path for in-range values. */
    static long cvttsd2si(Cpu c, long v, boolean is64) {
        double x = Double.longBitsToDouble(v);
        if ((c.mxcsr & DAZ) == 0 && (is64 ? x > -0x1p63 && x < 0x1p63 : x > -0x1p31 - 1 && x < 0x1p31)) {
            long r = (long) x;
            if ((c.mxcsr & PE) == 0 && r != x) {
                c.mxcsr |= PE;
            }
            return is64 ? r : r & M32;
        }
        return toInt(c, v, false, is64, true);
    }

    // ---------------------------------------------------------------- scalar forms

    /** CVTSI2SS xmm, r/m32 or r/m64 (REX.W). */
    static void cvtsi2ss(Cpu c, Insn i) {
        long v = Cpu.signExtend(c.readE(i, i.opsize), i.opsize);
        int d = 2 * i.reg;
        int saved = SseFloat.begin(c);
        long r = v > -(1 << 24) && v < (1 << 24) ? Float.floatToRawIntBits(v) & M32 : fromInt(c, v, true);
        SseFloat.end(c, saved);
        c.xmm[d] = (c.xmm[d] & ~M32) | r;
    }

    /** CVTSI2SD xmm, r/m32 or r/m64 (REX.W). */
    static void cvtsi2sd(Cpu c, Insn i) {
        long v = Cpu.signExtend(c.readE(i, i.opsize), i.opsize);
        int d = 2 * i.reg;
        if (v > -(1L << 53) && v < (1L << 53)) {
            c.xmm[d] = Double.doubleToRawLongBits(v);
            return;
        }
        int saved = SseFloat.begin(c);
        long r = fromInt(c, v, false);
        SseFloat.end(c, saved);
        c.xmm[d] = r;
    }

    /** CVT(T)SS2SI / CVT(T)SD2SI r32/r64, xmm/m32/m64. */
    static void toGpr(Cpu c, Insn i, boolean f32, boolean truncate) {
        long v = f32 ? Sse.src32(c, i) : Sse.src64(c, i);
        boolean is64 = i.opsize == 8;
        int saved = SseFloat.begin(c);
        long r = !f32 && truncate ? cvttsd2si(c, v, is64) : toInt(c, v, f32, is64, truncate);
        SseFloat.end(c, saved);
        c.setReg(i.reg, is64 ? 8 : 4, r);
    }

    /** CVTSS2SD xmm1, xmm2/m32. */
    static void cvtss2sd(Cpu c, Insn i) {
        long v = Sse.src32(c, i);
        int saved = SseFloat.begin(c);
        long r = f2d(c, v);
        SseFloat.end(c, saved);
        c.xmm[2 * i.reg] = r;
    }

    /** CVTSD2SS xmm1, xmm2/m64. */
    static void cvtsd2ss(Cpu c, Insn i) {
        long v = Sse.src64(c, i);
        int d = 2 * i.reg;
        int saved = SseFloat.begin(c);
        long r = d2f(c, v);
        SseFloat.end(c, saved);
        c.xmm[d] = (c.xmm[d] & ~M32) | r;
    }

    // ---------------------------------------------------------------- packed forms

    /** 32-bit to 32-bit elements, xmm1, xmm2/m128 (CVTDQ2PS, CVT(T)PS2DQ). */
    static void packed4(Cpu c, Insn i, Conv f) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int saved = SseFloat.begin(c);
        long r0 = f.apply(c, lo & M32);
        long r1 = f.apply(c, lo >>> 32);
        long r2 = f.apply(c, hi & M32);
        long r3 = f.apply(c, hi >>> 32);
        SseFloat.end(c, saved);
        c.xmm[2 * i.reg] = (r0 & M32) | (r1 << 32);
        c.xmm[2 * i.reg + 1] = (r2 & M32) | (r3 << 32);
    }

    /** Two 32-bit elements from xmm2/m64 to two 64-bit ones (CVTPS2PD, CVTDQ2PD). */
    static void widen(Cpu c, Insn i, Conv f) {
        long v = Sse.src64(c, i);
        int saved = SseFloat.begin(c);
        long r0 = f.apply(c, v & M32);
        long r1 = f.apply(c, v >>> 32);
        SseFloat.end(c, saved);
        c.xmm[2 * i.reg] = r0;
        c.xmm[2 * i.reg + 1] = r1;
    }

    /** Two 64-bit elements from xmm2/m128 to the low two dwords; the high quadword is zeroed. */
    static void narrow(Cpu c, Insn i, Conv f) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int saved = SseFloat.begin(c);
        long r0 = f.apply(c, lo);
        long r1 = f.apply(c, hi);
        SseFloat.end(c, saved);
        c.xmm[2 * i.reg] = (r0 & M32) | (r1 << 32);
        c.xmm[2 * i.reg + 1] = 0;
    }

    /** The mm/m64 source of CVTPI2PS/CVTPI2PD: an MMX register source enters MMX state. */
    private static long mmOrMem(Cpu c, Insn i) {
        if (i.rm >= 0) {
            Sse.mmxEnter(c);
            return Sse.mm(c, i.rm);
        }
        return c.mmu.read64(c.ea(i));
    }

    /** CVTPI2PS xmm, mm/m64: the high quadword of xmm is kept. */
    static void cvtpi2ps(Cpu c, Insn i) {
        long v = i.rm >= 0 ? Sse.mm(c, i.rm) : c.mmu.read64(c.ea(i));
        int saved = SseFloat.begin(c);
        long r0 = i2f(c, v & M32);
        long r1 = i2f(c, v >>> 32);
        SseFloat.end(c, saved);
        if (i.rm >= 0) {
            Sse.mmxEnter(c);
        }
        c.xmm[2 * i.reg] = (r0 & M32) | (r1 << 32);
    }

    /** CVTPI2PD xmm, mm/m64 (exact). */
    static void cvtpi2pd(Cpu c, Insn i) {
        long v = mmOrMem(c, i);
        c.xmm[2 * i.reg] = i2d(c, v & M32);
        c.xmm[2 * i.reg + 1] = i2d(c, v >>> 32);
    }

    /** CVT(T)PS2PI mm, xmm/m64. */
    static void toMmx(Cpu c, Insn i, long v, Conv f) {
        int saved = SseFloat.begin(c);
        long r0 = f.apply(c, v & M32);
        long r1 = f.apply(c, v >>> 32);
        SseFloat.end(c, saved);
        Sse.setMm(c, i.reg, (r0 & M32) | (r1 << 32));
    }

    /** CVT(T)PD2PI mm, xmm/m128. */
    static void toMmxFromPd(Cpu c, Insn i, Conv f) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int saved = SseFloat.begin(c);
        long r0 = f.apply(c, lo);
        long r1 = f.apply(c, hi);
        SseFloat.end(c, saved);
        Sse.setMm(c, i.reg, (r0 & M32) | (r1 << 32));
    }
}
