package dev.linux4j.cpu;

/**
 * Software 80-bit extended-precision arithmetic as the x87 FPU performs it (SDM Vol. 1, chapter
 * 4.2 and 8): a 64-bit significand with explicit integer bit, a 15-bit exponent (bias 16383),
 * signed zeros, denormals and pseudo-denormals, infinities, QNaN/SNaN, the real indefinite, and
 * the unsupported encodings (unnormals, pseudo-infinities, pseudo-NaNs) that raise invalid.
 *
 * <p>One instance is an arithmetic unit: {@link #begin(int)} loads the FCW (precision control
 * bits 8-9, rounding control bits 10-11, exception masks bits 0-5) and clears {@link #flags};
 * an operation leaves its result in {@link #se}/{@link #m} and ORs the exceptions it detected
 * (FSW bit positions: IE DE ZE OE UE PE, plus {@link #C1} when the result was rounded up) into
 * {@link #flags}. Values are passed as (sign/exponent, significand) pairs, so nothing is
 * allocated. Rounding follows the structure of Berkeley SoftFloat's
 * {@code softfloat_roundPackToExtF80} (tininess detected after rounding, as on x86).
 */
public final class Float80 {
    // FSW exception bits (SDM Vol. 1, 8.1.3).
    public static final int IE = 0x01;
    public static final int DE = 0x02;
    public static final int ZE = 0x04;
    public static final int OE = 0x08;
    public static final int UE = 0x10;
    public static final int PE = 0x20;
    public static final int SF = 0x40;
    /** FSW C1: set when an inexact result was rounded up (away from zero). */
    public static final int C1 = 0x200;

    public static final int BIAS = 16383;
    public static final int EXP_MAX = 0x7fff;
    public static final long INT_BIT = Long.MIN_VALUE;
    public static final long QUIET_BIT = 0x4000000000000000L;
    /** The real indefinite: a negative QNaN with significand 0xC000000000000000. */
    public static final int INDEFINITE_SE = 0xffff;
    public static final long INDEFINITE_M = 0xC000000000000000L;

    /** Rounding control (FCW bits 10-11). */
    public static final int RC_NEAREST = 0;
    public static final int RC_DOWN = 1;
    public static final int RC_UP = 2;
    public static final int RC_ZERO = 3;

    /** Over/underflow exponent bias adjustment for unmasked OE/UE (SDM Vol. 1, 8.5.4-8.5.5). */
    private static final int WRAP = 24576;

    /** The FCW this operation runs under. */
    public int control = 0x037f;
    /** Exceptions detected since {@link #begin(int)}, plus {@link #C1}. */
    public int flags;
    /** Result: sign (bit 15) and biased exponent. */
    public int se;
    /** Result: significand. */
    public long m;

    // scratch for 128-bit helpers
    private long rem;

    public Float80() {}

    /** Starts an operation under control word {@code fcw}. */
    public void begin(int fcw) {
        control = fcw;
        flags = 0;
        operandDenormal = false;
    }

    /**
     * Set when a binary32/binary64 memory operand was denormal: it is normal in 80 bits, but
     * the operation still raises DE when it reaches the denormal check.
     */
    boolean operandDenormal;

    private int rc() {
        return (control >> 10) & 3;
    }

    // ------------------------------------------------------------ classification

    public static boolean isNaN(int se, long m) {
        return (se & EXP_MAX) == EXP_MAX && m < 0 && (m << 1) != 0;
    }

    public static boolean isSignalingNaN(int se, long m) {
        return isNaN(se, m) && (m & QUIET_BIT) == 0;
    }

    public static boolean isInf(int se, long m) {
        return (se & EXP_MAX) == EXP_MAX && m == INT_BIT;
    }

    /** Unnormals, pseudo-infinities and pseudo-NaNs: invalid operands since the 387. */
    public static boolean isUnsupported(int se, long m) {
        return (se & EXP_MAX) != 0 && m >= 0;
    }

    /** Denormals and pseudo-denormals (exponent 0, significand non-zero). */
    public static boolean isDenormal(int se, long m) {
        return (se & EXP_MAX) == 0 && m != 0;
    }

    public static boolean isZero(int se, long m) {
        return (se & EXP_MAX) == 0 && m == 0;
    }

    private void setResult(int se, long m) {
        this.se = se;
        this.m = m;
    }

    private void indefinite() {
        flags |= IE;
        se = INDEFINITE_SE;
        m = INDEFINITE_M;
    }

    /**
     * NaN propagation for two operands, at least one of which is a NaN (SDM Vol. 1, Table 4-7;
     * SoftFloat's 8086 {@code softfloat_propagateNaNExtF80UI}).
     */
    private void propagateNaN(int aSe, long aM, int bSe, long bM) {
        boolean sigA = isSignalingNaN(aSe, aM);
        boolean sigB = isSignalingNaN(bSe, bM);
        boolean returnA;
        if (sigA || sigB) {
            flags |= IE;
            if (sigA) {
                returnA = sigB ? largerMagnitudeIsA(aSe, aM, bSe, bM) : !isNaN(bSe, bM);
            } else {
                returnA = isNaN(aSe, aM);
            }
        } else {
            returnA = largerMagnitudeIsA(aSe, aM, bSe, bM);
        }
        if (returnA) {
            setResult(aSe, aM | INDEFINITE_M);
        } else {
            setResult(bSe, bM | INDEFINITE_M);
        }
    }

    private static boolean largerMagnitudeIsA(int aSe, long aM, int bSe, long bM) {
        int ea = aSe & EXP_MAX;
        int eb = bSe & EXP_MAX;
        if (ea != eb) {
            return ea > eb;
        }
        int c = Long.compareUnsigned(aM, bM);
        if (c != 0) {
            return c > 0;
        }
        return aSe < bSe;
    }

    /** One-operand NaN result: quiets an SNaN (raising IE). */
    private void propagateNaN(int se, long m) {
        if ((m & QUIET_BIT) == 0) {
            flags |= IE;
        }
        setResult(se, m | INDEFINITE_M);
    }

    /**
     * Common special-operand handling for two-operand arithmetic: unsupported encodings give
     * the indefinite, NaNs propagate, denormals raise DE. Returns true when the result is done.
     */
    private boolean specialPair(int aSe, long aM, int bSe, long bM) {
        if (isUnsupported(aSe, aM) || isUnsupported(bSe, bM)) {
            indefinite();
            return true;
        }
        if (isNaN(aSe, aM) || isNaN(bSe, bM)) {
            propagateNaN(aSe, aM, bSe, bM);
            return true;
        }
        return false;
    }

    /** DE for denormal operands, raised once an operation goes on to use them. */
    private void denormalCheck(int aSe, long aM, int bSe, long bM) {
        if (operandDenormal || isDenormal(aSe, aM) || isDenormal(bSe, bM)) {
            flags |= DE;
        }
    }

    // ------------------------------------------------------------ rounding

    /**
     * Rounds {@code sig:extra} (sig normalized, integer bit set, unless the value is zero) at
     * biased exponent {@code exp} (any int) to the precision and rounding control, handling
     * overflow, underflow and denormal results, and stores the result.
     */
    void roundPack(int sign, int exp, long sig, long extra) {
        if (sig == 0 && extra == 0) {
            setResult(sign, 0);
            return;
        }
        int pc = (control >> 8) & 3;
        if (pc == 0 || pc == 2) {
            roundPackReduced(sign, exp, sig, extra, pc == 0 ? 0xFFFFFFFFFFL : 0x7FFL);
        } else {
            roundPack64(sign, exp, sig, extra);
        }
    }

    private void roundPackReduced(int sign, int exp, long sig, long extra, long roundMask) {
        int rc = rc();
        boolean nearest = rc == RC_NEAREST;
        long roundIncrement = nearest ? (roundMask >>> 1) + 1
                : rc == (sign != 0 ? RC_DOWN : RC_UP) ? roundMask : 0;
        if (extra != 0) {
            sig |= 1;
        }
        long roundBits = sig & roundMask;
        if (exp <= 0 || exp >= EXP_MAX - 1) {
            if (exp <= 0) {
                boolean tiny = exp < 0 || Long.compareUnsigned(sig, sig + roundIncrement) <= 0;
                if (tiny && (control & UE) == 0) {
                    flags |= UE;
                    exp += WRAP;
                } else {
                    sig = shiftRightJam64(sig, 1 - exp);
                    roundBits = sig & roundMask;
                    if (roundBits != 0) {
                        if (tiny) {
                            flags |= UE;
                        }
                        flags |= PE;
                    }
                    long truncated = sig & ~roundMask;
                    sig += roundIncrement;
                    exp = sig < 0 ? 1 : 0;
                    long unit = roundMask + 1;
                    if (nearest && roundBits << 1 == unit) {
                        roundMask |= unit;
                    }
                    sig &= ~roundMask;
                    if (roundBits != 0 && sig != truncated) {
                        flags |= C1;
                    }
                    setResult(sign | exp, sig);
                    return;
                }
            }
            if (exp > EXP_MAX - 1 || (exp == EXP_MAX - 1 && Long.compareUnsigned(sig + roundIncrement, sig) < 0)) {
                if ((control & OE) == 0) {
                    flags |= OE;
                    exp -= WRAP;
                } else {
                    overflow(sign, ~roundMask);
                    return;
                }
            }
        }
        if (roundBits != 0) {
            flags |= PE;
        }
        long truncated = sig & ~roundMask;
        sig += roundIncrement;
        boolean carried = Long.compareUnsigned(sig, roundIncrement) < 0;
        if (carried) {
            exp++;
            sig = INT_BIT;
        }
        long unit = roundMask + 1;
        if (nearest && roundBits << 1 == unit) {
            roundMask |= unit;
        }
        sig &= ~roundMask;
        if (roundBits != 0 && (carried || sig != truncated)) {
            flags |= C1;
        }
        setResult(sign | exp, sig);
    }

    private void roundPack64(int sign, int exp, long sig, long extra) {
        int rc = rc();
        boolean nearest = rc == RC_NEAREST;
        boolean increment = nearest ? extra < 0 : rc == (sign != 0 ? RC_DOWN : RC_UP) && extra != 0;
        if (exp <= 0 || exp >= EXP_MAX - 1) {
            if (exp <= 0) {
                boolean tiny = exp < 0 || !increment || sig != -1L;
                if (tiny && (control & UE) == 0) {
                    flags |= UE;
                    exp += WRAP;
                } else {
                    int shift = 1 - exp;
                    // shiftRightJam64Extra
                    if (shift < 64) {
                        extra = (sig << (64 - shift)) | (extra != 0 ? 1 : 0);
                        sig >>>= shift;
                    } else {
                        extra = (shift == 64 ? sig : (sig != 0 ? 1 : 0)) | (extra != 0 ? 1 : 0);
                        sig = 0;
                    }
                    if (extra != 0) {
                        if (tiny) {
                            flags |= UE;
                        }
                        flags |= PE;
                    }
                    increment = nearest ? extra < 0 : rc == (sign != 0 ? RC_DOWN : RC_UP) && extra != 0;
                    long before = sig;
                    if (increment) {
                        sig++;
                        if (nearest && (extra & Long.MAX_VALUE) == 0) {
                            sig &= ~1L;
                        }
                    }
                    if (sig != before) {
                        flags |= C1;
                    }
                    setResult(sign | (sig < 0 ? 1 : 0), sig);
                    return;
                }
            }
            if (exp > EXP_MAX - 1 || (exp == EXP_MAX - 1 && sig == -1L && increment)) {
                if ((control & OE) == 0) {
                    flags |= OE;
                    exp -= WRAP;
                } else {
                    overflow(sign, -1L);
                    return;
                }
            }
        }
        if (extra != 0) {
            flags |= PE;
        }
        if (increment) {
            long before = sig;
            sig++;
            if (sig == 0) {
                exp++;
                sig = INT_BIT;
                flags |= C1;
            } else {
                if (nearest && (extra & Long.MAX_VALUE) == 0) {
                    sig &= ~1L;
                }
                if (sig != before) {
                    flags |= C1;
                }
            }
        }
        setResult(sign | exp, sig);
    }

    /** Masked overflow: infinity or the largest finite value, by rounding direction. */
    private void overflow(int sign, long maxSig) {
        flags |= OE | PE;
        int rc = rc();
        if (rc == RC_NEAREST || rc == (sign != 0 ? RC_DOWN : RC_UP)) {
            flags |= C1;
            setResult(sign | EXP_MAX, INT_BIT);
        } else {
            setResult(sign | (EXP_MAX - 1), maxSig);
        }
    }

    static long shiftRightJam64(long a, int dist) {
        if (dist <= 0) {
            return a;
        }
        if (dist < 63) {
            return (a >>> dist) | ((a << (64 - dist)) != 0 ? 1 : 0);
        }
        return a != 0 ? 1 : 0;
    }

    /** Normalizes the 128-bit {@code hi:lo} and rounds it at exponent {@code exp}. */
    private void normalizeRoundPack(int sign, int exp, long hi, long lo) {
        if (hi == 0) {
            if (lo == 0) {
                setResult(sign, 0);
                return;
            }
            hi = lo;
            lo = 0;
            exp -= 64;
        }
        int s = Long.numberOfLeadingZeros(hi);
        if (s != 0) {
            hi = (hi << s) | (lo >>> (64 - s));
            lo <<= s;
            exp -= s;
        }
        roundPack(sign, exp, hi, lo);
    }

    /** Rounds an operand to the current precision (FLD does not, but arithmetic on it does). */
    public void round(int se, long m) {
        if (isUnsupported(se, m)) {
            indefinite();
        } else if (isNaN(se, m)) {
            propagateNaN(se, m);
        } else if ((se & EXP_MAX) == EXP_MAX || m == 0) {
            setResult(se, m);
        } else {
            if (isDenormal(se, m)) {
                flags |= DE;
            }
            normalizeRoundPack(se & 0x8000, Math.max(se & EXP_MAX, 1), m, 0);
        }
    }

    // ------------------------------------------------------------ add, subtract

    /** a + b, or a - b when {@code subtract} (FADD, FSUB; SDM Vol. 2A). */
    public void add(int aSe, long aM, int bSe, long bM, boolean subtract) {
        if (specialPair(aSe, aM, bSe, bM)) {
            return;
        }
        denormalCheck(aSe, aM, bSe, bM);
        if (subtract) {
            bSe ^= 0x8000;
        }
        int aExp = aSe & EXP_MAX;
        int bExp = bSe & EXP_MAX;
        int aSign = aSe & 0x8000;
        int bSign = bSe & 0x8000;
        if (aExp == EXP_MAX) {
            if (bExp == EXP_MAX && aSign != bSign) {
                indefinite();
            } else {
                setResult(aSe, INT_BIT);
            }
            return;
        }
        if (bExp == EXP_MAX) {
            setResult(bSe, INT_BIT);
            return;
        }
        if (aM == 0 && bM == 0) {
            setResult(aSign == bSign ? aSign : rc() == RC_DOWN ? 0x8000 : 0, 0);
            return;
        }
        if (aM == 0) {
            normalizeRoundPack(bSign, Math.max(bExp, 1), bM, 0);
            return;
        }
        if (bM == 0) {
            normalizeRoundPack(aSign, Math.max(aExp, 1), aM, 0);
            return;
        }
        aExp = Math.max(aExp, 1);
        bExp = Math.max(bExp, 1);
        if (aExp < bExp || (aExp == bExp && Long.compareUnsigned(aM, bM) < 0)) {
            int t = aExp;
            aExp = bExp;
            bExp = t;
            long tm = aM;
            aM = bM;
            bM = tm;
            t = aSign;
            aSign = bSign;
            bSign = t;
        }
        int d = aExp - bExp;
        long bHi;
        long bLo;
        if (d == 0) {
            bHi = bM;
            bLo = 0;
        } else if (d < 64) {
            bHi = bM >>> d;
            bLo = bM << (64 - d);
        } else if (d == 64) {
            bHi = 0;
            bLo = bM;
        } else if (d < 128) {
            bHi = 0;
            bLo = (bM >>> (d - 64)) | ((bM << (128 - d)) != 0 ? 1 : 0);
        } else {
            bHi = 0;
            bLo = 1;
        }
        if (aSign == bSign) {
            long lo = bLo;
            long hi = aM + bHi;
            if (Long.compareUnsigned(hi, aM) < 0) {
                lo = (lo >>> 1) | (hi << 63) | (lo & 1);
                hi = (hi >>> 1) | INT_BIT;
                aExp++;
            }
            normalizeRoundPack(aSign, aExp, hi, lo);
        } else {
            long lo = -bLo;
            long hi = aM - bHi - (bLo != 0 ? 1 : 0);
            if (hi == 0 && lo == 0) {
                setResult(rc() == RC_DOWN ? 0x8000 : 0, 0);
                return;
            }
            normalizeRoundPack(aSign, aExp, hi, lo);
        }
    }

    // ------------------------------------------------------------ multiply

    /** a * b (FMUL; SDM Vol. 2A). */
    public void mul(int aSe, long aM, int bSe, long bM) {
        if (specialPair(aSe, aM, bSe, bM)) {
            return;
        }
        denormalCheck(aSe, aM, bSe, bM);
        int sign = (aSe ^ bSe) & 0x8000;
        int aExp = aSe & EXP_MAX;
        int bExp = bSe & EXP_MAX;
        if (aExp == EXP_MAX || bExp == EXP_MAX) {
            if (aM == 0 || bM == 0) {
                indefinite();
            } else {
                setResult(sign | EXP_MAX, INT_BIT);
            }
            return;
        }
        if (aM == 0 || bM == 0) {
            setResult(sign, 0);
            return;
        }
        aExp = Math.max(aExp, 1);
        bExp = Math.max(bExp, 1);
        int s = Long.numberOfLeadingZeros(aM);
        aM <<= s;
        aExp -= s;
        s = Long.numberOfLeadingZeros(bM);
        bM <<= s;
        bExp -= s;
        long hi = Math.unsignedMultiplyHigh(aM, bM);
        long lo = aM * bM;
        normalizeRoundPack(sign, aExp + bExp - BIAS + 1, hi, lo);
    }

    // ------------------------------------------------------------ divide

    /** a / b (FDIV; SDM Vol. 2A). */
    public void div(int aSe, long aM, int bSe, long bM) {
        if (specialPair(aSe, aM, bSe, bM)) {
            return;
        }
        int sign = (aSe ^ bSe) & 0x8000;
        int aExp = aSe & EXP_MAX;
        int bExp = bSe & EXP_MAX;
        if (bM == 0) {
            // invalid and divide-by-zero take priority over the denormal operand (SDM Vol. 1, 4.9.2)
            if (aM == 0) {
                indefinite();
            } else if (aExp == EXP_MAX) {
                setResult(sign | EXP_MAX, INT_BIT);
            } else {
                flags |= ZE;
                setResult(sign | EXP_MAX, INT_BIT);
            }
            return;
        }
        if (aExp == EXP_MAX && bExp == EXP_MAX) {
            indefinite();
            return;
        }
        denormalCheck(aSe, aM, bSe, bM);
        if (aExp == EXP_MAX) {
            setResult(sign | EXP_MAX, INT_BIT);
            return;
        }
        if (bExp == EXP_MAX) {
            setResult(sign, 0);
            return;
        }
        if (aM == 0) {
            setResult(sign, 0);
            return;
        }
        aExp = Math.max(aExp, 1);
        bExp = Math.max(bExp, 1);
        int s = Long.numberOfLeadingZeros(aM);
        aM <<= s;
        aExp -= s;
        s = Long.numberOfLeadingZeros(bM);
        bM <<= s;
        bExp -= s;
        int exp;
        long u1;
        long u0;
        if (Long.compareUnsigned(aM, bM) >= 0) {
            u1 = aM >>> 1;
            u0 = aM << 63;
            exp = aExp - bExp + BIAS;
        } else {
            u1 = aM;
            u0 = 0;
            exp = aExp - bExp + BIAS - 1;
        }
        long q1 = divlu(u1, u0, bM);
        long q0 = divlu(rem, 0, bM);
        roundPack(sign, exp, q1, q0 | (rem != 0 ? 1 : 0));
    }

    /**
     * Unsigned 128/64 division (Hacker's Delight, divlu) for a normalized divisor (bit 63 set)
     * and {@code u1 < v}: returns the 64-bit quotient and leaves the remainder in {@link #rem}.
     */
    long divlu(long u1, long u0, long v) {
        final long b = 1L << 32;
        long vn1 = v >>> 32;
        long vn0 = v & 0xFFFFFFFFL;
        long un1 = u0 >>> 32;
        long un0 = u0 & 0xFFFFFFFFL;
        long q1 = Long.divideUnsigned(u1, vn1);
        long rhat = u1 - q1 * vn1;
        while (Long.compareUnsigned(q1, b) >= 0 || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, b) >= 0) {
                break;
            }
        }
        long un21 = (u1 << 32) + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, b) >= 0 || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, b) >= 0) {
                break;
            }
        }
        rem = (un21 << 32) + un0 - q0 * v;
        return (q1 << 32) | q0;
    }

    // ------------------------------------------------------------ square root

    /** sqrt(a) (FSQRT; SDM Vol. 2A). */
    public void sqrt(int aSe, long aM) {
        if (isUnsupported(aSe, aM)) {
            indefinite();
            return;
        }
        if (isNaN(aSe, aM)) {
            propagateNaN(aSe, aM);
            return;
        }
        int sign = aSe & 0x8000;
        int exp = aSe & EXP_MAX;
        if (aM == 0) {
            setResult(aSe, 0);
            return;
        }
        if (sign != 0) {
            indefinite();
            return;
        }
        if (exp == EXP_MAX) {
            setResult(aSe, INT_BIT);
            return;
        }
        if (exp == 0) {
            flags |= DE;
            exp = 1;
        }
        int s = Long.numberOfLeadingZeros(aM);
        aM <<= s;
        exp -= s;
        int k = exp - BIAS;
        long nHi;
        long nLo;
        if ((k & 1) == 0) {
            nHi = aM >>> 1;
            nLo = aM << 63;
        } else {
            nHi = aM;
            nLo = 0;
        }
        int resultExp = Math.floorDiv(k, 2) + BIAS;
        long r = isqrt128(nHi, nLo);
        long sqHi = Math.unsignedMultiplyHigh(r, r);
        long sqLo = r * r;
        long remLo = nLo - sqLo;
        long remHi = nHi - sqHi - (Long.compareUnsigned(nLo, sqLo) < 0 ? 1 : 0);
        long extra;
        if (remHi == 0 && remLo == 0) {
            extra = 0;
        } else if (remHi != 0 || Long.compareUnsigned(remLo, r) > 0) {
            extra = INT_BIT | 1;
        } else {
            extra = 1;
        }
        roundPack(0, resultExp, r, extra);
    }

    /** floor(sqrt(hi:lo)) for 2^126 <= hi:lo < 2^128. */
    private long isqrt128(long nHi, long nLo) {
        double d = (unsignedToDouble(nHi) + unsignedToDouble(nLo) * 0x1p-64) * 0x1p64;
        double root = Math.sqrt(d);
        long r = root >= 0x1p64 ? -1L : root >= 0x1p63 ? (long) (root - 0x1p63) ^ INT_BIT : (long) root;
        if (Long.compareUnsigned(nHi, r) < 0) {
            long q = divlu(nHi, nLo, r | INT_BIT);
            long sum = (r >>> 1) + (q >>> 1) + (r & q & 1);
            r = sum;
        } else {
            r = -1L;
        }
        // correct to the exact floor
        while (true) {
            long sqHi = Math.unsignedMultiplyHigh(r, r);
            long sqLo = r * r;
            if (Long.compareUnsigned(sqHi, nHi) > 0 || (sqHi == nHi && Long.compareUnsigned(sqLo, nLo) > 0)) {
                r--;
            } else {
                break;
            }
        }
        while (r != -1L) {
            long r1 = r + 1;
            long sqHi = Math.unsignedMultiplyHigh(r1, r1);
            long sqLo = r1 * r1;
            if (Long.compareUnsigned(sqHi, nHi) < 0 || (sqHi == nHi && Long.compareUnsigned(sqLo, nLo) <= 0)) {
                r = r1;
            } else {
                break;
            }
        }
        return r;
    }

    static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }

    // ------------------------------------------------------------ compare

    public static final int CMP_GT = 0;
    public static final int CMP_LT = 1;
    public static final int CMP_EQ = 2;
    public static final int CMP_UNORDERED = 3;

    /**
     * Compares a with b (FCOM/FUCOM/FCOMI/FUCOMI): SNaNs always raise IE, QNaNs raise IE unless
     * {@code quiet}; unsupported operands raise IE and compare unordered; denormals raise DE.
     */
    public int compare(int aSe, long aM, int bSe, long bM, boolean quiet) {
        if (isUnsupported(aSe, aM) || isUnsupported(bSe, bM)) {
            flags |= IE;
            return CMP_UNORDERED;
        }
        boolean aNaN = isNaN(aSe, aM);
        boolean bNaN = isNaN(bSe, bM);
        if (aNaN || bNaN) {
            if (!quiet || isSignalingNaN(aSe, aM) || isSignalingNaN(bSe, bM)) {
                flags |= IE;
            }
            return CMP_UNORDERED;
        }
        denormalCheck(aSe, aM, bSe, bM);
        boolean aZero = aM == 0;
        boolean bZero = bM == 0;
        if (aZero && bZero) {
            return CMP_EQ;
        }
        boolean aNeg = (aSe & 0x8000) != 0;
        boolean bNeg = (bSe & 0x8000) != 0;
        if (aZero) {
            return bNeg ? CMP_GT : CMP_LT;
        }
        if (bZero) {
            return aNeg ? CMP_LT : CMP_GT;
        }
        if (aNeg != bNeg) {
            return aNeg ? CMP_LT : CMP_GT;
        }
        int aExp = Math.max(aSe & EXP_MAX, 1);
        int bExp = Math.max(bSe & EXP_MAX, 1);
        int c = aExp != bExp ? Integer.compare(aExp, bExp) : Long.compareUnsigned(aM, bM);
        if (c == 0) {
            return CMP_EQ;
        }
        return (c > 0) != aNeg ? CMP_GT : CMP_LT;
    }

    // ------------------------------------------------------------ integer rounding

    private boolean lastInexact;
    private boolean lastUp;

    /**
     * {@code m >>> shift} (shift >= 1) rounded per RC, for a value with sign {@code neg};
     * records inexactness and round-up in {@link #lastInexact}/{@link #lastUp}.
     */
    private long roundShift(long m, int shift, boolean neg) {
        long ip;
        boolean roundBit;
        boolean sticky;
        if (shift < 64) {
            ip = m >>> shift;
            long frac = m << (64 - shift);
            roundBit = frac < 0;
            sticky = (frac << 1) != 0;
        } else if (shift == 64) {
            ip = 0;
            roundBit = m < 0;
            sticky = (m << 1) != 0;
        } else {
            ip = 0;
            roundBit = false;
            sticky = m != 0;
        }
        lastInexact = roundBit || sticky;
        boolean inc = switch (rc()) {
            case RC_NEAREST -> roundBit && (sticky || (ip & 1) != 0);
            case RC_DOWN -> neg && lastInexact;
            case RC_UP -> !neg && lastInexact;
            default -> false;
        };
        lastUp = inc;
        return inc ? ip + 1 : ip;
    }

    /** Integer indefinite for an integer of {@code bytes} bytes. */
    public static long integerIndefinite(int bytes) {
        return 1L << (bytes * 8 - 1);
    }

    /**
     * Converts to a signed integer of {@code bytes} bytes (FIST/FISTP, or FISTTP when
     * {@code truncate}); invalid gives the integer indefinite.
     */
    public long toInteger(int se, long m, int bytes, boolean truncate) {
        if (isUnsupported(se, m) || (se & EXP_MAX) == EXP_MAX) {
            flags |= IE;
            return integerIndefinite(bytes);
        }
        if (m == 0) {
            return 0;
        }
        boolean neg = (se & 0x8000) != 0;
        int exp = Math.max(se & EXP_MAX, 1);
        int shift = BIAS + 63 - exp;
        long mag;
        if (shift <= 0) {
            if (shift == 0 && m == INT_BIT && neg && bytes == 8) {
                return Long.MIN_VALUE;
            }
            flags |= IE;
            return integerIndefinite(bytes);
        }
        int savedControl = control;
        if (truncate) {
            control |= RC_ZERO << 10;
        }
        mag = roundShift(m, shift, neg);
        control = savedControl;
        long limit = 1L << (bytes * 8 - 1);
        // mag is unsigned: rounding 2^63 - 1/2 up gives 2^63
        int cmp = Long.compareUnsigned(mag, limit);
        boolean fits = neg ? cmp <= 0 : cmp < 0;
        if (!fits) {
            flags |= IE;
            return integerIndefinite(bytes);
        }
        if (lastInexact) {
            flags |= PE;
            if (lastUp) {
                flags |= C1;
            }
        }
        return neg ? -mag : mag;
    }

    /** Loads a signed integer exactly (FILD). */
    public void fromInteger(long v) {
        if (v == 0) {
            setResult(0, 0);
            return;
        }
        int sign = v < 0 ? 0x8000 : 0;
        long mag = v < 0 ? -v : v;
        int s = Long.numberOfLeadingZeros(mag);
        setResult(sign | (BIAS + 63 - s), mag << s);
    }

    /** Rounds to an integral value per RC (FRNDINT; SDM Vol. 2A). */
    public void roundToIntegral(int se, long m) {
        if (isUnsupported(se, m)) {
            indefinite();
            return;
        }
        if (isNaN(se, m)) {
            propagateNaN(se, m);
            return;
        }
        int exp = se & EXP_MAX;
        if (exp == EXP_MAX || m == 0 || exp >= BIAS + 63) {
            setResult(se, m);
            return;
        }
        if (exp == 0) {
            flags |= DE;
            exp = 1;
        }
        boolean neg = (se & 0x8000) != 0;
        int shift = BIAS + 63 - exp;
        long ip = roundShift(m, shift, neg);
        if (lastInexact) {
            flags |= PE;
            if (lastUp) {
                flags |= C1;
            }
        }
        if (ip == 0) {
            setResult(se & 0x8000, 0);
            return;
        }
        int s = Long.numberOfLeadingZeros(ip);
        setResult((se & 0x8000) | (BIAS + 63 - s), ip << s);
    }

    // ------------------------------------------------------------ binary32 / binary64

    /** Loads an IEEE binary32 or binary64 value exactly (FLD m32fp/m64fp). */
    public void fromBinary(long bits, int fracBits, int expBits) {
        fromBinary(bits, fracBits, expBits, false);
    }

    /**
     * Converts an IEEE binary32/binary64 value exactly. As an arithmetic {@code operand}, an
     * SNaN stays signaling (the operation raises IE and propagates it) and a denormal sets
     * {@link #operandDenormal}; as a load, the SNaN is quieted with IE and a denormal raises DE.
     */
    public void fromBinary(long bits, int fracBits, int expBits, boolean operand) {
        int sign = (int) (bits >>> (fracBits + expBits)) & 1;
        int e = (int) (bits >>> fracBits) & ((1 << expBits) - 1);
        long frac = bits & ((1L << fracBits) - 1);
        int tBias = (1 << (expBits - 1)) - 1;
        int s16 = sign << 15;
        if (e == (1 << expBits) - 1) {
            if (frac == 0) {
                setResult(s16 | EXP_MAX, INT_BIT);
            } else {
                long mm = INT_BIT | (frac << (63 - fracBits));
                if (operand) {
                    setResult(s16 | EXP_MAX, mm);
                    return;
                }
                if ((mm & QUIET_BIT) == 0) {
                    flags |= IE;
                }
                setResult(s16 | EXP_MAX, mm | QUIET_BIT);
            }
            return;
        }
        if (e == 0) {
            if (frac == 0) {
                setResult(s16, 0);
                return;
            }
            if (operand) {
                operandDenormal = true;
            } else {
                flags |= DE;
            }
            int s = Long.numberOfLeadingZeros(frac);
            // value = frac * 2^(1 - tBias - fracBits)
            setResult(s16 | (1 - tBias - fracBits + 63 - s + BIAS), frac << s);
            return;
        }
        setResult(s16 | (e - tBias + BIAS), INT_BIT | (frac << (63 - fracBits)));
    }

    /** Rounds to IEEE binary32 or binary64 (FST m32fp/m64fp); returns the bits. */
    public long toBinary(int se, long m, int fracBits, int expBits) {
        long signBit = (long) ((se >> 15) & 1) << (fracBits + expBits);
        long expAll = (1L << expBits) - 1;
        long quiet = 1L << (fracBits - 1);
        if (isUnsupported(se, m)) {
            flags |= IE;
            return (1L << (fracBits + expBits)) | (expAll << fracBits) | quiet;
        }
        int exp = se & EXP_MAX;
        if (exp == EXP_MAX) {
            if (m == INT_BIT) {
                return signBit | (expAll << fracBits);
            }
            if ((m & QUIET_BIT) == 0) {
                flags |= IE;
            }
            return signBit | (expAll << fracBits) | quiet | ((m << 1) >>> (64 - fracBits));
        }
        if (m == 0) {
            return signBit;
        }
        boolean neg = signBit != 0;
        exp = Math.max(exp, 1);
        int s = Long.numberOfLeadingZeros(m);
        m <<= s;
        exp -= s;
        int tBias = (int) (expAll >> 1);
        int te = exp - BIAS + tBias;
        int p = fracBits + 1;
        if (te >= 1) {
            long r = roundShift(m, 64 - p, neg);
            if (r == 1L << p) {
                r >>>= 1;
                te++;
            }
            if (te >= expAll) {
                if ((control & OE) == 0) {
                    flags |= OE | (lastInexact ? PE : 0);
                    return -1; // not stored
                }
                flags |= OE | PE;
                int rc = rc();
                if (rc == RC_NEAREST || rc == (neg ? RC_DOWN : RC_UP)) {
                    flags |= C1;
                    return signBit | (expAll << fracBits);
                }
                return signBit | ((expAll - 1) << fracBits) | ((1L << fracBits) - 1);
            }
            if (lastInexact) {
                flags |= PE | (lastUp ? C1 : 0);
            }
            return signBit | ((long) te << fracBits) | (r & ((1L << fracBits) - 1));
        }
        // tiny: tininess after rounding means the unbounded-exponent result is below the minimum
        long full = roundShift(m, 64 - p, neg);
        boolean tiny = te < 0 || full != 1L << p;
        if (tiny && (control & UE) == 0) {
            flags |= UE;
            return -1; // not stored
        }
        long r = roundShift(m, 64 - p + (1 - te), neg);
        if (lastInexact) {
            flags |= PE | (lastUp ? C1 : 0) | (tiny ? UE : 0);
        }
        return signBit | r;
    }

    // ------------------------------------------------------------ remainder

    /** Quotient bits of the last {@link #remainder}: Q2 Q1 Q0 in bits 2-0. */
    public int quotient;
    /** True when the last {@link #remainder} was partial (C2 = 1). */
    public boolean partial;

    /**
     * FPREM ({@code ieee} false: truncating quotient) or FPREM1 (round-to-nearest quotient) of
     * a by b, SDM Vol. 2A. An exponent difference of 64 or more reduces partially by
     * 2^(32 + diff mod 32) as Intel hardware (and Bochs) do.
     */
    public void remainder(int aSe, long aM, int bSe, long bM, boolean ieee) {
        quotient = 0;
        partial = false;
        if (specialPair(aSe, aM, bSe, bM)) {
            return;
        }
        int aExp = aSe & EXP_MAX;
        int bExp = bSe & EXP_MAX;
        if (aExp == EXP_MAX || bM == 0) {
            indefinite();
            return;
        }
        denormalCheck(aSe, aM, bSe, bM);
        if (bExp == EXP_MAX || aM == 0) {
            // a is returned, a pseudo-denormal in its canonical encoding (biased exponent 1)
            boolean pseudoDenormal = aExp == 0 && aM < 0;
            setResult(pseudoDenormal ? aSe | 1 : aSe, aM);
            return;
        }
        int sign = aSe & 0x8000;
        aExp = Math.max(aExp, 1);
        bExp = Math.max(bExp, 1);
        int s = Long.numberOfLeadingZeros(aM);
        aM <<= s;
        aExp -= s;
        s = Long.numberOfLeadingZeros(bM);
        bM <<= s;
        bExp -= s;
        int d = aExp - bExp;
        if (d < 0) {
            if (ieee && d == -1 && Long.compareUnsigned(aM, bM) > 0) {
                // |a| > |b|/2: quotient 1, remainder a - b = -(b - a) with |a| in (b/2, b)
                long hi = bM - (aM >>> 1) - (aM & 1);
                long lo = aM << 63;
                quotient = 1;
                normalizeRoundPack(sign ^ 0x8000, bExp, hi, lo);
                return;
            }
            normalizeRoundPack(sign, aExp, aM, 0);
            return;
        }
        int shift = d;
        int resultExp = bExp;
        if (d >= 64) {
            int n = (d & 31) | 32;
            shift = n;
            resultExp = aExp - n;
            partial = true;
        }
        // a's significand scaled by 2^shift, divided by b's significand
        long u1 = shift == 0 ? 0 : aM >>> (64 - shift);
        long u0 = aM << shift;
        long q;
        long r;
        if (shift == 0) {
            boolean ge = Long.compareUnsigned(aM, bM) >= 0;
            q = ge ? 1 : 0;
            r = ge ? aM - bM : aM;
        } else {
            q = divlu(u1, u0, bM);
            r = rem;
        }
        if (partial) {
            // a - b * q * 2^(d - n), exact: remainder at a's exponent scale
            normalizeRoundPack(sign, resultExp, r, 0);
            return;
        }
        if (ieee && r != 0) {
            long half = bM - r; // r > b - r  <=>  2r > b
            int c = Long.compareUnsigned(r, half);
            if (c > 0 || (c == 0 && (q & 1) != 0)) {
                q++;
                r = half;
                sign ^= 0x8000;
            }
        }
        quotient = (int) (q & 7);
        if (r == 0) {
            setResult(aSe & 0x8000, 0);
            return;
        }
        normalizeRoundPack(sign, resultExp, r, 0);
    }

    // ------------------------------------------------------------ FSCALE, FXTRACT

    /** a * 2^trunc(b) (FSCALE; SDM Vol. 2A). */
    public void scale(int aSe, long aM, int bSe, long bM) {
        if (specialPair(aSe, aM, bSe, bM)) {
            return;
        }
        denormalCheck(aSe, aM, bSe, bM);
        int aExp = aSe & EXP_MAX;
        int bExp = bSe & EXP_MAX;
        boolean bNeg = (bSe & 0x8000) != 0;
        if (bExp == EXP_MAX) {
            // b infinite
            if (bNeg) {
                if (aExp == EXP_MAX) {
                    indefinite();
                } else {
                    setResult(aSe & 0x8000, 0);
                }
            } else {
                if (aM == 0) {
                    indefinite();
                } else {
                    setResult((aSe & 0x8000) | EXP_MAX, INT_BIT);
                }
            }
            return;
        }
        if (aExp == EXP_MAX || aM == 0) {
            setResult(aSe, aM);
            return;
        }
        int n;
        int be = Math.max(bExp, 1);
        if (bM == 0 || be < BIAS) {
            n = 0;
        } else if (be >= BIAS + 30) {
            n = bNeg ? -(1 << 30) : (1 << 30);
        } else {
            long ip = bM >>> (BIAS + 63 - be);
            n = (int) (bNeg ? -ip : ip);
        }
        int exp = Math.max(aExp, 1);
        int s = Long.numberOfLeadingZeros(aM);
        normalizeRoundPack(aSe & 0x8000, exp - s + n, aM << s, 0);
    }

    /** Exponent part of the last {@link #extract}, as an 80-bit value. */
    public int extractExpSe;
    public long extractExpM;

    /** FXTRACT: exponent into {@link #extractExpSe}/{@link #extractExpM}, significand into se/m. */
    public void extract(int se, long m) {
        if (isUnsupported(se, m)) {
            indefinite();
            extractExpSe = INDEFINITE_SE;
            extractExpM = INDEFINITE_M;
            return;
        }
        if (isNaN(se, m)) {
            propagateNaN(se, m);
            extractExpSe = this.se;
            extractExpM = this.m;
            return;
        }
        int exp = se & EXP_MAX;
        if (exp == EXP_MAX) {
            extractExpSe = EXP_MAX;
            extractExpM = INT_BIT;
            setResult(se, m);
            return;
        }
        if (m == 0) {
            flags |= ZE;
            extractExpSe = 0x8000 | EXP_MAX;
            extractExpM = INT_BIT;
            setResult(se, 0);
            return;
        }
        if (exp == 0) {
            flags |= DE;
            exp = 1;
        }
        int s = Long.numberOfLeadingZeros(m);
        int e = exp - s - BIAS;
        fromInteger(e);
        extractExpSe = this.se;
        extractExpM = this.m;
        setResult((se & 0x8000) | BIAS, m << s);
    }

    // ------------------------------------------------------------ packed BCD

    /** Loads an 18-digit packed BCD integer (FBLD); {@code lo} holds bytes 0-7. */
    public void fromBcd(long lo, int hi16) {
        long v = 0;
        for (int i = 1; i >= 0; i--) {
            int b = (hi16 >> (i * 8)) & 0xff;
            if (i == 1) {
                continue; // byte 9: sign only
            }
            v = v * 100 + ((b >> 4) & 0xf) * 10 + (b & 0xf);
        }
        for (int i = 7; i >= 0; i--) {
            int b = (int) (lo >>> (i * 8)) & 0xff;
            v = v * 100 + ((b >> 4) & 0xf) * 10 + (b & 0xf);
        }
        fromInteger(v);
        if ((hi16 & 0x8000) != 0) {
            se |= 0x8000;
        }
    }

    /** Low 8 bytes of the last {@link #toBcd}; {@link #bcdHi} holds bytes 8-9. */
    public long bcdLo;
    public int bcdHi;

    /** Rounds per RC and converts to 18-digit packed BCD (FBSTP); the BCD indefinite if invalid. */
    public void toBcd(int se, long m) {
        boolean invalid = isUnsupported(se, m) || (se & EXP_MAX) == EXP_MAX;
        long v = 0;
        if (!invalid && m != 0) {
            boolean neg = (se & 0x8000) != 0;
            int exp = Math.max(se & EXP_MAX, 1);
            int shift = BIAS + 63 - exp;
            if (shift <= 0) {
                invalid = true;
            } else {
                v = roundShift(m, shift, neg);
                if (v < 0 || v > 999_999_999_999_999_999L) {
                    invalid = true;
                } else if (lastInexact) {
                    flags |= PE | (lastUp ? C1 : 0);
                }
            }
        }
        if (invalid) {
            flags |= IE;
            bcdLo = 0xC000000000000000L;
            bcdHi = 0xffff;
            return;
        }
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            int d = (int) (v % 100);
            v /= 100;
            lo |= (long) (((d / 10) << 4) | (d % 10)) << (i * 8);
        }
        int d = (int) (v % 100);
        bcdLo = lo;
        bcdHi = ((d / 10) << 4) | (d % 10) | ((se & 0x8000) != 0 ? 0x8000 : 0);
    }
}
