package dev.linux4j.cpu.jit;

import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.Insn;

/**
 * Runtime helpers of the SSE forms {@link SseEmitter} compiles inline. Each element helper is
 * the fast path of the interpreter's element semantics (SseFloat, SseConvert — SDM Vol. 1, 4.8
 * and 11.5) transcribed condition for condition: MXCSR all-masked and round to nearest, normal
 * operands and result, where the only exception flag to raise is PE (sticky, so its test is done
 * only while PE is clear). Outside that case a helper returns a sentinel, and the compiled code
 * runs the instruction's own semantics through {@link #scalar}, {@link #packed} and friends, so
 * every other case (NaNs, infinities, denormals, -0.0 operands, other rounding modes, DAZ/FTZ,
 * unmasked exceptions and their #XM) is the interpreter's by construction.
 *
 * <p>The helpers are small, so HotSpot inlines them into the region's method.
 */
final class SseOps {
    private SseOps() {}

    /** Returned by the binary64 element helpers off the fast path: an SNaN no fast path yields. */
    static final long SLOW = 0x7ff4_0000_0000_0badL;
    /** Returned by {@link #comisd} off the fast path (not a flag combination). */
    static final long SLOW_FLAGS = -1L;
    /** Returned by {@link #cvttsd2si} off the fast path (no in-range truncation gives it). */
    static final long SLOW_INT = Long.MIN_VALUE;

    // MXCSR (SDM Vol. 1, 10.2.3), as SoftFloat names them.
    private static final int PE = 1 << 5;
    private static final int DAZ = 1 << 6;
    private static final int MASKS = 0x1f80;
    /** All exceptions masked and round to nearest: bits 7-14 as at power-on. */
    private static final int FAST_MASK = 0x7f80;
    private static final int FAST_VALUE = 0x1f80;

    // A value's exponent field tested with one signed comparison of (v << 1), offset so that the
    // unsigned range wanted starts at Long.MIN_VALUE.
    private static final long NORMAL_BIAS = Long.MIN_VALUE - (1L << 53);
    private static final long NORMAL_LIMIT = Long.MIN_VALUE + (0x7feL << 53);
    private static final long WIDE_BIAS = Long.MIN_VALUE - (128L << 53);
    private static final long WIDE_LIMIT = Long.MIN_VALUE + (1919L << 53);

    /** Biased exponent neither 0 nor 0x7ff (SseFloat.normal64). */
    static boolean normal(long v) {
        return (v << 1) + NORMAL_BIAS < NORMAL_LIMIT;
    }

    /** Biased exponent 128 to 0x7fe: at least 2^-895, so the FMA residual of a product or quotient is exact (SseFloat.wide64). */
    static boolean wide(long v) {
        return (v << 1) + WIDE_BIAS < WIDE_LIMIT;
    }

    /** +0.0 or -0.0. */
    static boolean zero(long v) {
        return (v << 1) == 0;
    }

    /** Normal or a zero: an operand that raises no exception but PE, and a result that signals none. */
    static boolean normalOrZero(long v) {
        return normal(v) || zero(v);
    }

    /** MXCSR as the fast paths need it: every exception masked, round to nearest. */
    static boolean fast(int mxcsr) {
        return (mxcsr & FAST_MASK) == FAST_VALUE;
    }

    // ---------------------------------------------------------------- binary64 elements

    /*
     * Each element helper is the interpreter's fast path (SseFloat.add64 ...: normal operands
     * and result) kept small for inlining, with a second, out-of-line chance (the *Rare methods)
     * that also takes zeros where the IEEE result is then exact and raises nothing (SDM Vol. 1,
     * 4.9.1: no operand is a NaN, infinity or denormal, and a zero result is an exact
     * cancellation or comes from a zero operand), so PE is the only flag to decide, by the same
     * residual tests, which are exact for these operands too. Everything else returns SLOW.
     */

    /** ADDSD/ADDPD element (SDM Vol. 2A, ADDSD), else {@link #SLOW}. */
    static long add(Cpu c, long a, long b) {
        return sum(c, a, b, Double.longBitsToDouble(b));
    }

    /** SUBSD/SUBPD element: the sum with the negated second operand, as SseFloat.sub64. */
    static long sub(Cpu c, long a, long b) {
        return sum(c, a, b, -Double.longBitsToDouble(b));
    }

    /** a + y, where y is b or its negation. */
    private static long sum(Cpu c, long a, long b, double y) {
        double x = Double.longBitsToDouble(a);
        long rb = Double.doubleToRawLongBits(x + y);
        int m = c.mxcsr;
        if (fast(m) && normal(a) && normal(b) && normal(rb)) {
            if ((m & PE) == 0) {
                inexactSum(c, x, y);
            }
            return rb;
        }
        return sumRare(c, a, b, y, rb);
    }

    private static long sumRare(Cpu c, long a, long b, double y, long rb) {
        if (fast(c.mxcsr) && normalOrZero(a) && normalOrZero(b) && normalOrZero(rb)) {
            inexactSum(c, Double.longBitsToDouble(a), y);
            return rb;
        }
        return SLOW;
    }

    /** Sets PE if x + y is inexact (TwoSum's error term, exact without overflow). */
    private static void inexactSum(Cpu c, double x, double y) {
        double r = x + y;
        double bv = r - x;
        if ((x - (r - bv)) + (y - bv) != 0) {
            c.mxcsr |= PE;
        }
    }

    /** MULSD/MULPD element: SseFloat.mul64's fast path, and a zero operand (an exact zero). */
    static long mul(Cpu c, long a, long b) {
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        double r = x * y;
        long rb = Double.doubleToRawLongBits(r);
        int m = c.mxcsr;
        if (fast(m) && normal(a) && normal(b) && wide(rb)) {
            if ((m & PE) == 0 && Math.fma(x, y, -r) != 0) {
                c.mxcsr = m | PE;
            }
            return rb;
        }
        return mulRare(c, a, b, rb);
    }

    private static long mulRare(Cpu c, long a, long b, long rb) {
        if (fast(c.mxcsr) && normalOrZero(a) && normalOrZero(b) && (zero(a) || zero(b))) {
            return rb; // a zero product of finite operands: exact
        }
        return SLOW;
    }

    /** DIVSD/DIVPD element: SseFloat.div64's fast path, and a zero dividend (an exact zero). */
    static long div(Cpu c, long a, long b) {
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        double r = x / y;
        long rb = Double.doubleToRawLongBits(r);
        int m = c.mxcsr;
        if (fast(m) && wide(a) && normal(b) && normal(rb)) {
            if ((m & PE) == 0 && Math.fma(-r, y, x) != 0) {
                c.mxcsr = m | PE;
            }
            return rb;
        }
        return fast(m) && zero(a) && normal(b) ? rb : SLOW;
    }

    /** SQRTSD/SQRTPD element, the square root of {@code b}: SseFloat.sqrt64's fast path, and ±0 (exact). */
    static long sqrt(Cpu c, long a, long b) {
        int m = c.mxcsr;
        if (fast(m) && b > 0 && wide(b)) {
            double x = Double.longBitsToDouble(b);
            double r = Math.sqrt(x);
            if ((m & PE) == 0 && Math.fma(-r, r, x) != 0) {
                c.mxcsr = m | PE;
            }
            return Double.doubleToRawLongBits(r);
        }
        return fast(m) && zero(b) ? b : SLOW; // sqrt(-0) = -0
    }

    /**
     * COMISD/UCOMISD (SDM Vol. 2A, COMISD): the status flags (ZF PF CF; OF SF AF clear) when
     * neither operand is a NaN (IE) or a denormal (DE, or DAZ): then nothing is signalled and
     * MXCSR plays no part. Else {@link #SLOW_FLAGS}.
     */
    static long comisd(long a, long b) {
        if (!ordered(a) || !ordered(b)) {
            return SLOW_FLAGS;
        }
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        return x > y ? 0 : x < y ? Cpu.CF : Cpu.ZF;
    }

    /** Neither a NaN nor a denormal: normal, zero or infinite. */
    static boolean ordered(long v) {
        return (v << 1) + NORMAL_BIAS <= NORMAL_LIMIT || zero(v);
    }

    /** CVTSI2SD's exact case (|v| < 2^53: no rounding, no flag), else {@link #SLOW}. */
    static long cvtsi2sd(long v) {
        if (v > -(1L << 53) && v < (1L << 53)) {
            return Double.doubleToRawLongBits(v);
        }
        return SLOW;
    }

    /**
     * CVTTSD2SI r32/r64 (SDM Vol. 2A): SseConvert.toGpr with every exception masked and the
     * in-range fast path of SseConvert.cvttsd2si; else {@link #SLOW_INT}. The 32-bit result is
     * zero-extended, as the register write does.
     */
    static long cvttsd2si(Cpu c, long v, boolean is64) {
        int m = c.mxcsr;
        double x = Double.longBitsToDouble(v);
        if ((m & MASKS) != MASKS || (m & DAZ) != 0
                || !(is64 ? x > -0x1p63 && x < 0x1p63 : x > -0x1p31 - 1 && x < 0x1p31)) {
            return SLOW_INT;
        }
        long r = (long) x;
        if ((m & PE) == 0 && r != x) {
            c.mxcsr = m | PE;
        }
        return is64 ? r : r & 0xffffffffL;
    }

    // ---------------------------------------------------------------- the instruction's own semantics

    /**
     * Runs {@code i}'s semantics with the low halves of XMM[reg] and (a register source) XMM[rm]
     * taken from the compiled code's locals; returns the new low half of XMM[reg].
     */
    static long scalar(Cpu c, Insn i, long d0, long s0) {
        long[] x = c.xmm;
        x[2 * i.reg] = d0;
        if (i.rm >= 0) {
            x[2 * i.rm] = s0;
        }
        i.exec.exec(c, i);
        return x[2 * i.reg];
    }

    /** Runs {@code i}'s semantics with XMM[reg] and (a register source) XMM[rm] from the locals. */
    static void packed(Cpu c, Insn i, long d0, long d1, long s0, long s1) {
        long[] x = c.xmm;
        x[2 * i.reg] = d0;
        x[2 * i.reg + 1] = d1;
        if (i.rm >= 0) {
            x[2 * i.rm] = s0;
            x[2 * i.rm + 1] = s1;
        }
        i.exec.exec(c, i);
    }

    /** As {@link #scalar}, for a form that sets the status flags: returns them. */
    static long flags(Cpu c, Insn i, long d0, long s0) {
        scalar(c, i, d0, s0);
        return c.statusFlags();
    }

    /** Runs a conversion to a general register (XMM[rm] low half from the locals); returns that register. */
    static long toGpr(Cpu c, Insn i, long s0) {
        if (i.rm >= 0) {
            c.xmm[2 * i.rm] = s0;
        }
        i.exec.exec(c, i);
        return c.r[i.reg];
    }

    /** Runs a conversion from a general register or memory; returns the new low half of XMM[reg]. */
    static long fromGpr(Cpu c, Insn i) {
        i.exec.exec(c, i);
        return c.xmm[2 * i.reg];
    }
}
