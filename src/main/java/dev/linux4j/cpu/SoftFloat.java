package dev.linux4j.cpu;

/**
 * IEEE 754 binary32/binary64 arithmetic as the SSE unit performs it under MXCSR control (SDM
 * Vol. 1, 4.8 and 11.5): all four rounding modes, FTZ and DAZ, the six exception flags, SNaN
 * quieting and the SSE NaN propagation rules (SDM Vol. 1, Table 4-7), the QNaN floating-point
 * indefinite. This is the slow path: the family classes compute the common case (round to
 * nearest, normal operands and result) with Java arithmetic and come here for everything else.
 *
 * <p>Values are raw bits: a binary32 lives in the low 32 bits of a {@code long}. Exception flags
 * are ORed into {@link Cpu#mxcsr}; whether an unmasked exception traps is decided by the caller
 * (see {@link SseFloat}), since on a trap no element of the destination is written.
 *
 * <p>Method: the exact result is reduced to a significand {@code m} (unsigned, with a sticky
 * bit jammed into its least significant bit where bits were lost) and a power of two, then
 * rounded once by {@link #roundPack}. Addition and multiplication are exact in integers; division
 * and square root use Java's correctly rounded operations on operands normalised to [1, 2) plus
 * the sign of the exact residual from {@link Math#fma}, which decides every directed rounding.
 */
final class SoftFloat {
    private SoftFloat() {}

    // MXCSR (SDM Vol. 1, 10.2.3).
    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32;
    static final int FLAGS = 0x3f;
    static final int DAZ = 1 << 6;
    static final int MASKS = 0x1f80;
    static final int RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;
    static final int FTZ = 1 << 15;
    /** The bits of MXCSR a fast path must see as {@link #FAST_VALUE}: all masked, round to nearest. */
    static final int FAST_MASK = 0x7f80;
    static final int FAST_VALUE = 0x1f80;

    static final long D_SIGN = 0x8000000000000000L;
    static final long D_EXP = 0x7ff0000000000000L;
    static final long D_FRAC = 0x000fffffffffffffL;
    static final long D_QUIET = 0x0008000000000000L;
    /** QNaN floating-point indefinite, binary64. */
    static final long D_INDEFINITE = 0xfff8000000000000L;
    static final int F_SIGN = 0x80000000;
    static final int F_EXP = 0x7f800000;
    static final int F_FRAC = 0x007fffff;
    static final int F_QUIET = 0x00400000;
    /** QNaN floating-point indefinite, binary32. */
    static final int F_INDEFINITE = 0xffc00000;

    static final int OP_ADD = 0, OP_SUB = 1, OP_MUL = 2, OP_DIV = 3;

    static int rc(Cpu c) {
        return (c.mxcsr >> 13) & 3;
    }

    // ---------------------------------------------------------------- classification (format-generic)

    static long signBit(boolean f32) {
        return f32 ? 0x80000000L : D_SIGN;
    }

    static long expMask(boolean f32) {
        return f32 ? 0x7f800000L : D_EXP;
    }

    static long fracMask(boolean f32) {
        return f32 ? 0x007fffffL : D_FRAC;
    }

    static long quietBit(boolean f32) {
        return f32 ? 0x00400000L : D_QUIET;
    }

    static long indefinite(boolean f32) {
        return f32 ? 0xffc00000L : D_INDEFINITE;
    }

    static boolean isNaN(long v, boolean f32) {
        return (v & expMask(f32)) == expMask(f32) && (v & fracMask(f32)) != 0;
    }

    static boolean isSNaN(long v, boolean f32) {
        return isNaN(v, f32) && (v & quietBit(f32)) == 0;
    }

    static boolean isInf(long v, boolean f32) {
        return (v & (expMask(f32) | fracMask(f32))) == expMask(f32);
    }

    static boolean isZero(long v, boolean f32) {
        return (v & (expMask(f32) | fracMask(f32))) == 0;
    }

    static boolean isDenormal(long v, boolean f32) {
        return (v & expMask(f32)) == 0 && (v & fracMask(f32)) != 0;
    }

    static boolean isNeg(long v, boolean f32) {
        return (v & signBit(f32)) != 0;
    }

    /** Masks a binary32 to its 32 bits (keeps binary64 as is). */
    static long trim(long v, boolean f32) {
        return f32 ? v & 0xffffffffL : v;
    }

    /** DAZ: a denormal operand reads as a zero of the same sign (SDM Vol. 1, 10.2.3.4). */
    static long daz(Cpu c, long v, boolean f32) {
        if ((c.mxcsr & DAZ) != 0 && isDenormal(v, f32)) {
            return v & signBit(f32);
        }
        return v;
    }

    static void raise(Cpu c, int flags) {
        c.mxcsr |= flags;
    }

    /** Unbiased exponent e of a finite nonzero value with {@link #unpackM} m: value = m * 2^e. */
    static int unpackE(long v, boolean f32) {
        int be = (int) ((v & expMask(f32)) >>> (f32 ? 23 : 52));
        int fracBits = f32 ? 23 : 52;
        int e;
        if (be == 0) {
            long f = v & fracMask(f32);
            int shift = Long.numberOfLeadingZeros(f) - (63 - fracBits);
            e = (f32 ? -149 : -1074) - shift;
        } else {
            e = be - (f32 ? 150 : 1075);
        }
        return f32 ? e - 29 : e;
    }

    /** The significand of a finite nonzero value, normalised so its leading 1 is bit 52. */
    static long unpackM(long v, boolean f32) {
        int be = (int) ((v & expMask(f32)) >>> (f32 ? 23 : 52));
        int fracBits = f32 ? 23 : 52;
        long f = v & fracMask(f32);
        long m;
        if (be == 0) {
            m = f << (Long.numberOfLeadingZeros(f) - (63 - fracBits));
        } else {
            m = f | (1L << fracBits);
        }
        return f32 ? m << 29 : m;
    }

    static long zero(boolean neg, boolean f32) {
        return neg ? signBit(f32) : 0;
    }

    static long infinity(boolean neg, boolean f32) {
        return (neg ? signBit(f32) : 0) | expMask(f32);
    }

    // ---------------------------------------------------------------- rounding

    private static boolean roundUp(int rc, boolean neg, long kept, long rest) {
        return switch (rc) {
            case RC_NEAREST -> Long.compareUnsigned(rest, D_SIGN) > 0 || (rest == D_SIGN && (kept & 1) != 0);
            case RC_DOWN -> neg && rest != 0;
            case RC_UP -> !neg && rest != 0;
            default -> false;
        };
    }

    /**
     * Rounds {@code (neg ? -1 : 1) * m * 2^e} ({@code m} unsigned, nonzero, its bit 0 possibly a
     * sticky bit) to binary32 or binary64 under MXCSR.RC and FTZ, raising PE, OE and UE.
     * Tininess is detected after rounding, as x86 does; a masked underflow is flagged only when
     * the result is also inexact, an unmasked one always (SDM Vol. 1, 4.9.1.5).
     */
    static long roundPack(Cpu c, boolean neg, long m, int e, boolean f32) {
        int p = f32 ? 24 : 53;
        int emin = f32 ? -126 : -1022;
        int emax = f32 ? 127 : 1023;
        int rc = rc(c);
        int lz = Long.numberOfLeadingZeros(m);
        m <<= lz;
        e -= lz;
        int exp = e + 63;
        long kept = m >>> (64 - p);
        long rest = m << p;
        boolean inexact = rest != 0;
        if (roundUp(rc, neg, kept, rest)) {
            kept++;
            if (kept == 1L << p) {
                kept >>>= 1;
                exp++;
            }
        }
        long sign = neg ? signBit(f32) : 0;
        if (exp > emax) {
            // Unmasked, the result would be delivered with its exponent wrapped: PE only if that is inexact.
            raise(c, (c.mxcsr & (OE << 7)) == 0 && !inexact ? OE : OE | PE);
            boolean toInf = rc == RC_NEAREST || (rc == RC_UP && !neg) || (rc == RC_DOWN && neg);
            return toInf ? sign | expMask(f32) : sign | (expMask(f32) - 1) | fracMask(f32);
        }
        if (exp < emin) {
            if ((c.mxcsr & (UE << 7)) == 0) {
                raise(c, inexact ? UE | PE : UE);
                return sign;
            }
            if ((c.mxcsr & FTZ) != 0) {
                raise(c, UE | PE);
                return sign;
            }
            int s = (emin - p + 1) - e; // bits below the denormal grid
            long kept2;
            long rest2;
            if (s >= 64) {
                kept2 = 0;
                rest2 = s == 64 ? m : 1;
            } else {
                kept2 = m >>> s;
                rest2 = m << (64 - s);
            }
            if (roundUp(rc, neg, kept2, rest2)) {
                kept2++;
            }
            if (rest2 != 0) {
                raise(c, UE | PE);
            }
            return sign | kept2;
        }
        if (inexact) {
            raise(c, PE);
        }
        return sign | ((long) (exp + (f32 ? 127 : 1023)) << (p - 1)) | (kept & fracMask(f32));
    }

    /** Rounds a nonzero double {@code q} (exact result q + a residual of sign {@code err}) times 2^scale. */
    private static long roundResidual(Cpu c, boolean neg, double q, int err, int scale, boolean f32) {
        long qb = Double.doubleToRawLongBits(q);
        long m = (unpackM(qb, false) << 3) + err;
        return roundPack(c, neg, m, unpackE(qb, false) - 3 + scale, f32);
    }

    /** The value of a significand normalised to bit 52, as a double in [1, 2). */
    private static double unit(long m) {
        return Double.longBitsToDouble(0x3ff0000000000000L | (m & D_FRAC));
    }

    // ---------------------------------------------------------------- NaN rules

    /**
     * SSE NaN propagation for a two-operand instruction (SDM Vol. 1, Table 4-7): the first source
     * operand's NaN if it is one, else the second's, quieted; IE when either is an SNaN.
     */
    static long propagateNaN(Cpu c, long a, long b, boolean f32) {
        if (isSNaN(a, f32) || isSNaN(b, f32)) {
            raise(c, IE);
        }
        return (isNaN(a, f32) ? a : b) | quietBit(f32);
    }

    // ---------------------------------------------------------------- arithmetic

    /** ADD, SUB, MUL or DIV of two values of one format under full MXCSR control. */
    static long arith(Cpu c, int op, long a, long b, boolean f32) {
        a = daz(c, trim(a, f32), f32);
        b = daz(c, trim(b, f32), f32);
        if (isNaN(a, f32) || isNaN(b, f32)) {
            return propagateNaN(c, a, b, f32);
        }
        if (op == OP_SUB) {
            b ^= signBit(f32);
        }
        boolean aInf = isInf(a, f32), bInf = isInf(b, f32);
        boolean aZero = isZero(a, f32), bZero = isZero(b, f32);
        boolean aNeg = isNeg(a, f32), bNeg = isNeg(b, f32);
        boolean invalid = switch (op) {
            case OP_MUL -> (aInf && bZero) || (aZero && bInf);
            case OP_DIV -> (aInf && bInf) || (aZero && bZero);
            default -> aInf && bInf && aNeg != bNeg;
        };
        if (invalid) {
            raise(c, IE);
            return indefinite(f32);
        }
        boolean xneg = aNeg != bNeg;
        if (op == OP_DIV && bZero && !aInf) {
            raise(c, ZE); // takes precedence over DE for a denormal dividend, as the host shows
            return infinity(xneg, f32);
        }
        if (isDenormal(a, f32) || isDenormal(b, f32)) {
            raise(c, DE);
        }
        if (op == OP_MUL || op == OP_DIV) {
            if (aInf || (op == OP_MUL && bInf)) {
                return infinity(xneg, f32);
            }
            if (aZero || bZero || bInf) {
                return zero(xneg, f32);
            }
            return op == OP_MUL ? mulFinite(c, xneg, a, b, f32) : divFinite(c, xneg, a, b, f32);
        }
        if (aInf) {
            return a;
        }
        if (bInf) {
            return b;
        }
        if (aZero && bZero) {
            return aNeg == bNeg ? a : zero(rc(c) == RC_DOWN, f32);
        }
        if (aZero || bZero) {
            long v = aZero ? b : a;
            return roundPack(c, isNeg(v, f32), unpackM(v, f32), unpackE(v, f32), f32);
        }
        return addFinite(c, a, b, f32);
    }

    /** Exact sum of two finite nonzero values, rounded once. */
    private static long addFinite(Cpu c, long a, long b, boolean f32) {
        long ma = unpackM(a, f32), mb = unpackM(b, f32);
        int ea = unpackE(a, f32), eb = unpackE(b, f32);
        boolean aNeg = isNeg(a, f32), bNeg = isNeg(b, f32);
        if (ea < eb || (ea == eb && ma < mb)) { // make a the larger magnitude
            long tm = ma; ma = mb; mb = tm;
            int te = ea; ea = eb; eb = te;
            boolean tn = aNeg; aNeg = bNeg; bNeg = tn;
        }
        int d = ea - eb;
        long big;
        long small;
        int e;
        if (d <= 10) {
            big = ma << d;
            small = mb;
            e = eb;
        } else {
            big = ma << 10;
            e = ea - 10;
            int s = d - 10;
            small = s >= 63 ? 1 : (mb >>> s) | ((mb << (64 - s)) != 0 ? 1 : 0);
        }
        long m = aNeg == bNeg ? big + small : big - small;
        if (m == 0) {
            return zero(rc(c) == RC_DOWN, f32);
        }
        return roundPack(c, aNeg, m, e, f32);
    }

    /** Exact product (128-bit) of two finite nonzero values, rounded once. */
    private static long mulFinite(Cpu c, boolean neg, long a, long b, boolean f32) {
        long ma = unpackM(a, f32), mb = unpackM(b, f32);
        int e = unpackE(a, f32) + unpackE(b, f32);
        long hi = Math.multiplyHigh(ma, mb);
        long lo = ma * mb;
        if (hi == 0) {
            return roundPack(c, neg, lo, e, f32);
        }
        int lz = Long.numberOfLeadingZeros(hi);
        long m = (hi << lz) | (lo >>> (64 - lz)) | ((lo << lz) != 0 ? 1 : 0);
        return roundPack(c, neg, m, e + 64 - lz, f32);
    }

    private static long divFinite(Cpu c, boolean neg, long a, long b, boolean f32) {
        long ma = unpackM(a, f32), mb = unpackM(b, f32);
        int scale = (unpackE(a, f32) + 52) - (unpackE(b, f32) + 52);
        double x = unit(ma), y = unit(mb);
        double q = x / y;
        int err = (int) Math.signum(Math.fma(-q, y, x));
        return roundResidual(c, neg, q, err, scale, f32);
    }

    /** Square root under full MXCSR control. */
    static long sqrt(Cpu c, long a, boolean f32) {
        a = daz(c, trim(a, f32), f32);
        if (isNaN(a, f32)) {
            if (isSNaN(a, f32)) {
                raise(c, IE);
            }
            return a | quietBit(f32);
        }
        if (isZero(a, f32)) {
            return a;
        }
        if (isNeg(a, f32)) {
            raise(c, IE);
            return indefinite(f32);
        }
        if (isInf(a, f32)) {
            return a;
        }
        if (isDenormal(a, f32)) {
            raise(c, DE);
        }
        long m = unpackM(a, f32);
        int ex = unpackE(a, f32) + 52;
        double x = unit(m);
        if ((ex & 1) != 0) {
            x *= 2;
            ex--;
        }
        double q = Math.sqrt(x);
        int err = (int) Math.signum(Math.fma(-q, q, x));
        return roundResidual(c, false, q, err, ex >> 1, f32);
    }

    // ---------------------------------------------------------------- format conversion

    /** CVTSS2SD / CVTSD2SS / CVTPS2PD / CVTPD2PS element: binary32 <-> binary64. */
    static long convert(Cpu c, long a, boolean fromF32) {
        boolean toF32 = !fromF32;
        a = daz(c, trim(a, fromF32), fromF32);
        boolean neg = isNeg(a, fromF32);
        if (isNaN(a, fromF32)) {
            if (isSNaN(a, fromF32)) {
                raise(c, IE);
            }
            long payload = a & fracMask(fromF32) | quietBit(fromF32);
            payload = fromF32 ? payload << 29 : payload >>> 29;
            return (neg ? signBit(toF32) : 0) | expMask(toF32) | payload;
        }
        if (isInf(a, fromF32)) {
            return infinity(neg, toF32);
        }
        if (isZero(a, fromF32)) {
            return zero(neg, toF32);
        }
        if (isDenormal(a, fromF32)) {
            raise(c, DE);
        }
        return roundPack(c, neg, unpackM(a, fromF32), unpackE(a, fromF32), toF32);
    }

    /** CVTSI2SS / CVTSI2SD / CVTDQ2PS / CVTDQ2PD element: a signed integer to binary32/64. */
    static long fromInt(Cpu c, long v, boolean f32) {
        if (v == 0) {
            return 0;
        }
        boolean neg = v < 0;
        return roundPack(c, neg, neg ? -v : v, 0, f32);
    }

    /**
     * CVT(T)SS2SI / CVT(T)SD2SI / CVT(T)PS2DQ ... element: to a 32- or 64-bit signed integer,
     * rounding by MXCSR.RC or truncating; NaN or out of range gives the integer indefinite and IE.
     */
    static long toInt(Cpu c, long a, boolean f32, boolean is64, boolean truncate) {
        a = daz(c, trim(a, f32), f32);
        long indefinite = is64 ? Long.MIN_VALUE : 0x80000000L;
        if (isNaN(a, f32)) {
            raise(c, IE);
            return indefinite;
        }
        double x = f32 ? Float.intBitsToFloat((int) a) : Double.longBitsToDouble(a);
        double r;
        switch (truncate ? RC_ZERO : rc(c)) {
            case RC_NEAREST -> r = Math.rint(x);
            case RC_DOWN -> r = Math.floor(x);
            case RC_UP -> r = Math.ceil(x);
            default -> r = x < 0 ? Math.ceil(x) : Math.floor(x);
        }
        boolean inRange = is64 ? r >= -0x1p63 && r < 0x1p63 : r >= -0x1p31 && r < 0x1p31;
        if (!inRange) {
            raise(c, IE);
            return indefinite;
        }
        if (r != x) {
            raise(c, PE);
        }
        long v = (long) r;
        return is64 ? v : v & 0xffffffffL;
    }

    // ---------------------------------------------------------------- comparison

    /**
     * Compares for CMPPS/CMPSS/... predicate {@code pred} (0-7: EQ LT LE UNORD NEQ NLT NLE ORD).
     * LT, LE, NLT, NLE signal IE on any NaN; the others only on an SNaN (SDM Vol. 2A, CMPPS).
     */
    static boolean compare(Cpu c, long a, long b, int pred, boolean f32) {
        a = daz(c, trim(a, f32), f32);
        b = daz(c, trim(b, f32), f32);
        boolean unordered = isNaN(a, f32) || isNaN(b, f32);
        if (unordered) {
            boolean signaling = (pred & 3) == 1 || (pred & 3) == 2;
            if (signaling || isSNaN(a, f32) || isSNaN(b, f32)) {
                raise(c, IE);
            }
            return pred == 3 || pred == 4 || pred == 5 || pred == 6;
        }
        if (isDenormal(a, f32) || isDenormal(b, f32)) {
            raise(c, DE);
        }
        double x = f32 ? Float.intBitsToFloat((int) a) : Double.longBitsToDouble(a);
        double y = f32 ? Float.intBitsToFloat((int) b) : Double.longBitsToDouble(b);
        return switch (pred) {
            case 0 -> x == y;
            case 1 -> x < y;
            case 2 -> x <= y;
            case 3 -> false;
            case 4 -> x != y;
            case 5 -> !(x < y);
            case 6 -> !(x <= y);
            default -> true;
        };
    }

    /**
     * MINSS/MINSD/MAXSS/MAXSD element: the second operand when either is a NaN (returned as is,
     * not quieted) or both are zeros; IE on any NaN (SDM Vol. 2B, MINPS).
     */
    static long minMax(Cpu c, long a, long b, boolean max, boolean f32) {
        a = daz(c, trim(a, f32), f32);
        b = daz(c, trim(b, f32), f32);
        if (isNaN(a, f32) || isNaN(b, f32)) {
            raise(c, IE);
            return b;
        }
        if (isDenormal(a, f32) || isDenormal(b, f32)) {
            raise(c, DE);
        }
        double x = f32 ? Float.intBitsToFloat((int) a) : Double.longBitsToDouble(a);
        double y = f32 ? Float.intBitsToFloat((int) b) : Double.longBitsToDouble(b);
        return (max ? x > y : x < y) ? a : b;
    }
}
