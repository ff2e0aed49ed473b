package dev.linux4j.cpu;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * x87 transcendental instructions (SDM Vol. 2A: F2XM1, FYL2X, FYL2XP1, FPTAN, FPATAN, FSIN,
 * FCOS, FSINCOS). Results are computed with ~80 significant decimal digits and rounded once to
 * 64 bits per RC. Like Intel hardware, FSIN/FCOS/FSINCOS/FPTAN reduce their argument by
 * multiples of pi/2 using a 66-bit approximation of pi (0xC90FDAA22168C234C * 2^-66) rather
 * than the true pi, so results for large arguments match the host CPU, not the mathematical
 * function. These are the rare paths where BigDecimal is acceptable.
 */
final class X87Transcendental {
    private X87Transcendental() {}

    private static final MathContext MC = new MathContext(80, RoundingMode.HALF_EVEN);
    private static final BigDecimal PI = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651");
    private static final BigDecimal LN2 = new BigDecimal(
            "0.69314718055994530941723212145817656807550013436025525412068000949339362196969471560586332699641868754200148102");
    /** Intel's reduction constant: pi to 66 bits. */
    private static final BigDecimal PI_66 = new BigDecimal(new BigInteger("C90FDAA22168C234C", 16))
            .divide(new BigDecimal(BigInteger.ONE.shiftLeft(66)));
    private static final BigDecimal HALF_PI_66 = PI_66.divide(BigDecimal.valueOf(2));
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    // ------------------------------------------------------------ conversions

    /** The exact value of a finite 80-bit number. */
    static BigDecimal toBig(int se, long m) {
        int exp = Math.max(se & 0x7fff, 1) - Float80.BIAS - 63;
        BigDecimal v = new BigDecimal(new BigInteger(Long.toUnsignedString(m)));
        v = exp >= 0 ? v.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exp)))
                : v.multiply(new BigDecimal(BigInteger.valueOf(5).pow(-exp), -exp));
        return (se & 0x8000) != 0 ? v.negate() : v;
    }

    /** Rounds {@code v} (approximate, inexact) to 64 bits per RC into the unit. */
    static void roundInto(Float80 f, BigDecimal v, boolean exact) {
        int sign = v.signum() < 0 ? 0x8000 : 0;
        v = v.abs();
        if (v.signum() == 0) {
            f.se = sign;
            f.m = 0;
            return;
        }
        // estimate floor(log2(v))
        long e2 = (long) Math.floor((v.unscaledValue().bitLength() - 1) - v.scale() * 3.321928094887362);
        BigInteger bi;
        boolean sticky;
        while (true) {
            BigDecimal scaled = scale2(v, 127 - e2);
            bi = scaled.toBigInteger();
            int bl = bi.bitLength();
            if (bl == 128) {
                sticky = scaled.compareTo(new BigDecimal(bi)) != 0;
                break;
            }
            e2 += bl - 128;
        }
        long sig = bi.shiftRight(64).longValue();
        long extra = bi.longValue();
        if (!exact) {
            sticky = true;
        }
        if (sticky) {
            extra |= 1;
        }
        f.roundPack(sign, (int) Math.max(Math.min(e2 + Float80.BIAS, 1 << 20), -(1 << 20)), sig, extra);
    }

    private static BigDecimal scale2(BigDecimal v, long n) {
        if (n >= 0) {
            return v.multiply(new BigDecimal(BigInteger.ONE.shiftLeft((int) n)));
        }
        return v.multiply(new BigDecimal(BigInteger.valueOf(5).pow((int) -n), (int) -n));
    }

    // ------------------------------------------------------------ series

    /** sin(r) for |r| <= ~pi/4. */
    static BigDecimal sin(BigDecimal r) {
        BigDecimal r2 = r.multiply(r, MC);
        BigDecimal term = r;
        BigDecimal sum = r;
        for (int n = 1; n < 200; n++) {
            term = term.multiply(r2, MC).divide(BigDecimal.valueOf((2L * n) * (2L * n + 1)), MC).negate();
            sum = sum.add(term, MC);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(85)) < 0) {
                break;
            }
        }
        return sum;
    }

    /** cos(r) for |r| <= ~pi/4. */
    static BigDecimal cos(BigDecimal r) {
        BigDecimal r2 = r.multiply(r, MC);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int n = 1; n < 200; n++) {
            term = term.multiply(r2, MC).divide(BigDecimal.valueOf((2L * n - 1) * (2L * n)), MC).negate();
            sum = sum.add(term, MC);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(85)) < 0) {
                break;
            }
        }
        return sum;
    }

    /** e^t - 1 for |t| <= 1. */
    static BigDecimal expm1(BigDecimal t) {
        BigDecimal term = t;
        BigDecimal sum = t;
        for (int n = 2; n < 300; n++) {
            term = term.multiply(t, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(85)) < 0) {
                break;
            }
        }
        return sum;
    }

    /** 2 atanh(z) = ln((1+z)/(1-z)) for |z| < 1/2. */
    static BigDecimal twoAtanh(BigDecimal z) {
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal power = z;
        BigDecimal sum = z;
        for (int n = 1; n < 1000; n++) {
            power = power.multiply(z2, MC);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term, MC);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(85)) < 0) {
                break;
            }
        }
        return sum.multiply(TWO, MC);
    }

    /** ln(1 + x) for x > -1, accurate for small x. */
    static BigDecimal log1p(BigDecimal x) {
        // ln(1+x) = 2 atanh(x / (2 + x)); reduce large arguments through ln(a) = k ln2 + ln(a/2^k)
        BigDecimal a = BigDecimal.ONE.add(x, MC);
        if (x.abs().compareTo(new BigDecimal("0.5")) <= 0) {
            return twoAtanh(x.divide(TWO.add(x, MC), MC));
        }
        return ln(a);
    }

    /** ln(a) for a > 0. */
    static BigDecimal ln(BigDecimal a) {
        long e2 = (long) Math.floor((a.unscaledValue().bitLength() - 1) - a.scale() * 3.321928094887362);
        BigDecimal mant = scale2(a, -e2);
        // bring mant into [0.75, 1.5)
        while (mant.compareTo(new BigDecimal("1.5")) >= 0) {
            mant = mant.divide(TWO);
            e2++;
        }
        while (mant.compareTo(new BigDecimal("0.75")) < 0) {
            mant = mant.multiply(TWO);
            e2--;
        }
        BigDecimal z = mant.subtract(BigDecimal.ONE).divide(mant.add(BigDecimal.ONE), MC);
        return twoAtanh(z).add(LN2.multiply(BigDecimal.valueOf(e2), MC), MC);
    }

    /** atan(z) for any z. */
    static BigDecimal atan(BigDecimal z) {
        if (z.signum() < 0) {
            return atan(z.negate()).negate();
        }
        if (z.compareTo(BigDecimal.ONE) > 0) {
            return PI.divide(TWO, MC).subtract(atan(BigDecimal.ONE.divide(z, MC)), MC);
        }
        // two halvings: atan(z) = 2 atan(z / (1 + sqrt(1 + z^2)))
        int halvings = 0;
        while (z.compareTo(new BigDecimal("0.1")) > 0 && halvings < 4) {
            z = z.divide(BigDecimal.ONE.add(BigDecimal.ONE.add(z.multiply(z, MC), MC).sqrt(MC), MC), MC);
            halvings++;
        }
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal power = z;
        BigDecimal sum = z;
        for (int n = 1; n < 1000; n++) {
            power = power.multiply(z2, MC).negate();
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term, MC);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(85)) < 0) {
                break;
            }
        }
        return sum.multiply(BigDecimal.valueOf(1L << halvings), MC);
    }

    // ------------------------------------------------------------ instructions

    private static boolean finite(int se, long m) {
        return (se & 0x7fff) != 0x7fff && !Float80.isUnsupported(se, m);
    }

    /**
     * Handles an unsupported or NaN operand of a one-operand instruction; returns true if
     * the result (indefinite or quieted NaN) is in the unit.
     */
    private static boolean nanOrUnsupported(Float80 f, int se, long m) {
        if (Float80.isUnsupported(se, m)) {
            f.flags |= Float80.IE;
            f.se = Float80.INDEFINITE_SE;
            f.m = Float80.INDEFINITE_M;
            return true;
        }
        if (Float80.isNaN(se, m)) {
            if ((m & Float80.QUIET_BIT) == 0) {
                f.flags |= Float80.IE;
            }
            f.se = se;
            f.m = m | Float80.INDEFINITE_M;
            return true;
        }
        return false;
    }

    /** F2XM1: ST(0) = 2^ST(0) - 1 (defined for -1 <= ST(0) <= +1). */
    static void f2xm1(X87 x) {
        Float80 f = x.f;
        if (x.isEmpty(0)) {
            X87Ops.stackUnderflow(f);
        } else {
            int se = x.se(0);
            long m = x.m(0);
            if (!nanOrUnsupported(f, se, m)) {
                if ((se & 0x7fff) == 0x7fff) {
                    // 2^+inf - 1 = +inf, 2^-inf - 1 = -1
                    f.se = (se & 0x8000) != 0 ? 0xbfff : 0x7fff;
                    f.m = Float80.INT_BIT;
                } else if (m == 0) {
                    f.se = se;
                    f.m = 0;
                } else {
                    if (Float80.isDenormal(se, m)) {
                        f.flags |= Float80.DE;
                    }
                    BigDecimal v = toBig(se, m);
                    boolean exact = v.compareTo(BigDecimal.ONE) == 0 || v.compareTo(BigDecimal.ONE.negate()) == 0;
                    if (exact) {
                        roundInto(f, v.signum() > 0 ? BigDecimal.ONE : new BigDecimal("-0.5"), true);
                    } else {
                        roundInto(f, expm1(v.multiply(LN2, MC)), false);
                    }
                }
            }
        }
        if (!X87Ops.blocked(X87Ops.finish(x))) {
            x.set(0, f.se, f.m);
        }
    }

    /** FYL2X: ST(1) = ST(1) * log2(ST(0)), pop; FYL2XP1: ST(1) = ST(1) * log2(ST(0) + 1), pop. */
    static void fyl2x(X87 x, boolean plusOne) {
        Float80 f = x.f;
        if (x.isEmpty(0) || x.isEmpty(1)) {
            X87Ops.stackUnderflow(f);
        } else {
            yl2x(f, x.se(0), x.m(0), x.se(1), x.m(1), plusOne);
        }
        if (!X87Ops.blocked(X87Ops.finish(x))) {
            x.set(1, f.se, f.m);
            x.pop();
        }
    }

    static void yl2x(Float80 f, int xSe, long xM, int ySe, long yM, boolean plusOne) {
        if (Float80.isUnsupported(xSe, xM) || Float80.isUnsupported(ySe, yM)) {
            f.flags |= Float80.IE;
            f.se = Float80.INDEFINITE_SE;
            f.m = Float80.INDEFINITE_M;
            return;
        }
        if (Float80.isNaN(xSe, xM) || Float80.isNaN(ySe, yM)) {
            f.add(xSe, xM, ySe, yM, false); // NaN propagation
            return;
        }
        if (Float80.isDenormal(xSe, xM) || Float80.isDenormal(ySe, yM)) {
            f.flags |= Float80.DE;
        }
        boolean xNeg = (xSe & 0x8000) != 0;
        boolean xInf = (xSe & 0x7fff) == 0x7fff;
        boolean yInf = (ySe & 0x7fff) == 0x7fff;
        boolean xZero = xM == 0;
        boolean yZero = yM == 0;
        int ySign = ySe & 0x8000;
        if (plusOne) {
            // domain: ST(0) > -1 (the SDM restricts to |ST(0)| < 1 - sqrt(2)/2; larger works here)
            BigDecimal a = xInf ? null : toBig(xSe, xM);
            if (xInf ? xNeg : a.compareTo(BigDecimal.ONE.negate()) < 0) {
                invalid(f);
                return;
            }
            if (xZero) {
                if (yInf) {
                    invalid(f);
                } else {
                    f.se = (xSe ^ ySe) & 0x8000;
                    f.m = 0;
                }
                return;
            }
            if (yZero) {
                if (xInf) {
                    invalid(f);
                } else {
                    f.se = ((xNeg ? 0x8000 : 0) ^ ySign);
                    f.m = 0;
                }
                return;
            }
            if (xInf || yInf) {
                infinityResult(f, xInf ? 1 : (xNeg ? -1 : 1), ySign);
                return;
            }
            if (a.compareTo(BigDecimal.ONE.negate()) == 0) {
                f.flags |= Float80.ZE;
                f.se = (ySign ^ 0x8000) | 0x7fff;
                f.m = Float80.INT_BIT;
                return;
            }
            productInto(f, truncateBits(log1p(a).divide(LN2, MC), LOG_BITS), toBig(ySe, yM));
            return;
        }
        if (xNeg && !xZero) {
            invalid(f);
            return;
        }
        if (xZero) {
            if (yZero) {
                invalid(f);
            } else {
                f.flags |= yInf ? 0 : Float80.ZE;
                f.se = (ySign ^ 0x8000) | 0x7fff;
                f.m = Float80.INT_BIT;
            }
            return;
        }
        if (xInf) {
            if (yZero) {
                invalid(f);
            } else {
                f.se = ySign | 0x7fff;
                f.m = Float80.INT_BIT;
            }
            return;
        }
        // log2(x) exactly 0 when x == 1
        boolean one = (xSe & 0x7fff) == Float80.BIAS && xM == Float80.INT_BIT;
        if (yInf) {
            if (one) {
                invalid(f);
            } else {
                boolean below = (xSe & 0x7fff) < Float80.BIAS;
                f.se = (below ? ySign ^ 0x8000 : ySign) | 0x7fff;
                f.m = Float80.INT_BIT;
            }
            return;
        }
        if (yZero || one) {
            boolean below = (xSe & 0x7fff) < Float80.BIAS;
            f.se = (below ? ySign ^ 0x8000 : ySign);
            f.m = 0;
            return;
        }
        // power of two: log2 exact, one rounding of y * k
        if (xM << 1 == 0 && (xSe & 0x7fff) != 0) {
            // exact, yet the host reports PE (and C1 for negative logarithms)
            int k = (xSe & 0x7fff) - Float80.BIAS;
            f.fromInteger(k);
            f.mul(f.se, f.m, ySe, yM);
            f.flags |= Float80.PE | (k < 0 ? Float80.C1 : 0);
            return;
        }
        productInto(f, truncateBits(ln(toBig(xSe, xM)).divide(LN2, MC), LOG_BITS), toBig(ySe, yM));
    }

    /**
     * Significant bits of Intel's internal log2 in FYL2X/FYL2XP1. The hardware result is not
     * correctly rounded; it behaves as log2 truncated (toward zero) to 67 bits, then multiplied
     * by ST(1) and rounded once per RC. Against the host (Xeon) this matches FYL2X bit for bit
     * on 99.9% of random operands away from 1 (log2 correctly rounded: 93.5%), about 92% for
     * 1/2 < x < 2 and FYL2XP1, where the microcode's polynomial adds its own error of up to
     * ~0.3 ulp that this model does not reproduce.
     */
    private static final int LOG_BITS = 67;

    /** v truncated toward zero to {@code bits} significant bits. */
    static BigDecimal truncateBits(BigDecimal v, int bits) {
        if (v.signum() == 0) {
            return v;
        }
        BigDecimal a = v.abs();
        long e2 = (long) Math.floor((a.unscaledValue().bitLength() - 1) - a.scale() * 3.321928094887362);
        BigInteger bi;
        while (true) {
            bi = scale2(a, bits - 1 - e2).toBigInteger();
            int bl = bi.bitLength();
            if (bl == bits) {
                break;
            }
            e2 += bl - bits;
        }
        BigDecimal t = scale2(new BigDecimal(bi), e2 - (bits - 1));
        return v.signum() < 0 ? t.negate() : t;
    }

    /** Rounds l * y (both exact) once per RC into the unit; always inexact (PE). */
    private static void productInto(Float80 f, BigDecimal l, BigDecimal y) {
        roundInto(f, l.multiply(y), true);
        f.flags |= Float80.PE;
    }

    private static void infinityResult(Float80 f, int sign, int ySign) {
        f.se = (sign < 0 ? ySign ^ 0x8000 : ySign) | 0x7fff;
        f.m = Float80.INT_BIT;
    }

    private static void invalid(Float80 f) {
        f.flags |= Float80.IE;
        f.se = Float80.INDEFINITE_SE;
        f.m = Float80.INDEFINITE_M;
    }

    /** FPATAN: ST(1) = arctan(ST(1) / ST(0)) with the quadrant of (ST(0), ST(1)), pop. */
    static void fpatan(X87 x) {
        Float80 f = x.f;
        if (x.isEmpty(0) || x.isEmpty(1)) {
            X87Ops.stackUnderflow(f);
        } else {
            atan2(f, x.se(1), x.m(1), x.se(0), x.m(0));
        }
        if (!X87Ops.blocked(X87Ops.finish(x))) {
            x.set(1, f.se, f.m);
            x.pop();
        }
    }

    static void atan2(Float80 f, int ySe, long yM, int xSe, long xM) {
        if (Float80.isUnsupported(xSe, xM) || Float80.isUnsupported(ySe, yM)) {
            invalid(f);
            return;
        }
        if (Float80.isNaN(xSe, xM) || Float80.isNaN(ySe, yM)) {
            f.add(ySe, yM, xSe, xM, false);
            return;
        }
        if (Float80.isDenormal(xSe, xM) || Float80.isDenormal(ySe, yM)) {
            f.flags |= Float80.DE;
        }
        int ySign = ySe & 0x8000;
        boolean xNeg = (xSe & 0x8000) != 0;
        boolean xInf = (xSe & 0x7fff) == 0x7fff;
        boolean yInf = (ySe & 0x7fff) == 0x7fff;
        BigDecimal result;
        if (yM == 0 && !yInf) {
            if (!xNeg) {
                f.se = ySign;
                f.m = 0;
                return;
            }
            result = PI;
        } else if (yInf) {
            result = xInf ? (xNeg ? PI.multiply(new BigDecimal("0.75"), MC) : PI.divide(BigDecimal.valueOf(4), MC))
                    : PI.divide(TWO, MC);
        } else if (xInf) {
            if (!xNeg) {
                f.se = ySign;
                f.m = 0;
                return;
            }
            result = PI;
        } else if (xM == 0) {
            result = PI.divide(TWO, MC);
        } else {
            BigDecimal xv = toBig(xSe, xM);
            BigDecimal yv = toBig(ySe & 0x7fff, yM);
            BigDecimal a = atan(yv.divide(xv.abs(), MC));
            result = xNeg ? PI.subtract(a, MC) : a;
        }
        roundInto(f, ySign != 0 ? result.negate() : result, false);
    }

    /** Reduces x by multiples of Intel's pi/2; returns the quadrant, the remainder in {@code out[0]}. */
    private static int reduce(BigDecimal v, BigDecimal[] out) {
        if (v.abs().compareTo(new BigDecimal("0.785398163397448309615")) <= 0) {
            out[0] = v;
            return 0;
        }
        BigInteger k = v.divide(HALF_PI_66, 0, RoundingMode.HALF_EVEN).toBigInteger();
        out[0] = v.subtract(HALF_PI_66.multiply(new BigDecimal(k)));
        return k.intValue() & 3;
    }

    /** True and C2 set when |ST(0)| >= 2^63 (out of range: the operand is left unchanged). */
    private static boolean outOfRange(X87 x, int se, long m) {
        boolean out = finite(se, m) && (se & 0x7fff) >= Float80.BIAS + 63;
        x.status = out ? x.status | X87.FSW_C2 : x.status & ~X87.FSW_C2;
        return out;
    }

    /** FSIN ({@code cosine} false) or FCOS. */
    static void fsin(X87 x, boolean cosine) {
        Float80 f = x.f;
        if (x.isEmpty(0)) {
            X87Ops.stackUnderflow(f);
        } else {
            int se = x.se(0);
            long m = x.m(0);
            if (outOfRange(x, se, m)) {
                X87Ops.finish(x);
                return;
            }
            trig(f, se, m, cosine ? 1 : 0);
        }
        if (!X87Ops.blocked(X87Ops.finish(x))) {
            x.set(0, f.se, f.m);
        }
    }

    /** FSINCOS: ST(0) = sin, then push cos. */
    static void fsincos(X87 x) {
        Float80 f = x.f;
        int sinSe;
        long sinM;
        if (x.isEmpty(0)) {
            X87Ops.stackUnderflow(f);
            sinSe = f.se;
            sinM = f.m;
        } else if (!x.isEmpty(7)) {
            X87Ops.stackOverflow(f);
            sinSe = f.se;
            sinM = f.m;
        } else {
            int se = x.se(0);
            long m = x.m(0);
            if (outOfRange(x, se, m)) {
                X87Ops.finish(x);
                return;
            }
            trig(f, se, m, 0);
            sinSe = f.se;
            sinM = f.m;
            int flags = f.flags;
            f.flags = 0;
            trig(f, se, m, 1);
            f.flags |= flags & ~Float80.C1;
        }
        if (!X87Ops.blocked(X87Ops.finish(x))) {
            x.set(0, sinSe, sinM);
            x.push(f.se, f.m);
        }
    }

    /** FPTAN: ST(0) = tan(ST(0)), then push 1.0. */
    static void fptan(X87 x) {
        Float80 f = x.f;
        if (x.isEmpty(0)) {
            X87Ops.stackUnderflow(f);
        } else if (!x.isEmpty(7)) {
            X87Ops.stackOverflow(f);
        } else {
            int se = x.se(0);
            long m = x.m(0);
            if (outOfRange(x, se, m)) {
                X87Ops.finish(x);
                return;
            }
            trig(f, se, m, 2);
        }
        if (!X87Ops.blocked(X87Ops.finish(x))) {
            x.set(0, f.se, f.m);
            // a NaN result is pushed in place of 1.0
            boolean nan = (f.se & 0x7fff) == 0x7fff && f.m != Float80.INT_BIT;
            x.push(nan ? f.se : 0x3fff, nan ? f.m : Float80.INT_BIT);
        }
    }

    /** Biased exponent below which FSIN/FCOS/FPTAN take the small-argument shortcut. */
    private static final int TRIG_TINY = 0x3fba;

    /** kind 0 sin, 1 cos, 2 tan of a finite-or-special operand, into the unit. */
    static void trig(Float80 f, int se, long m, int kind) {
        if (nanOrUnsupported(f, se, m)) {
            return;
        }
        if ((se & 0x7fff) == 0x7fff) {
            invalid(f);
            return;
        }
        if (m == 0) {
            if (kind == 1) {
                f.se = 0x3fff;
                f.m = Float80.INT_BIT;
            } else {
                f.se = se;
                f.m = 0;
            }
            return;
        }
        if ((se & 0x7fff) < TRIG_TINY) {
            // Intel shortcut: below 2^-69 the result is the operand (sin, tan) or 1 (cos),
            // inexact, C1 clear whatever RC says; denormal operands also raise DE and UE.
            f.flags |= Float80.PE;
            if ((se & 0x7fff) == 0) {
                f.flags |= Float80.DE | Float80.UE;
            }
            if (kind == 1) {
                f.se = 0x3fff;
                f.m = Float80.INT_BIT;
            } else {
                f.se = se;
                f.m = m;
            }
            return;
        }
        BigDecimal[] r = new BigDecimal[1];
        int q = reduce(toBig(se, m), r);
        BigDecimal s = sin(r[0]);
        BigDecimal c = cos(r[0]);
        BigDecimal result = switch (kind) {
            case 0 -> switch (q) {
                case 0 -> s;
                case 1 -> c;
                case 2 -> s.negate();
                default -> c.negate();
            };
            case 1 -> switch (q) {
                case 0 -> c;
                case 1 -> s.negate();
                case 2 -> c.negate();
                default -> s;
            };
            default -> (q & 1) == 0 ? s.divide(c, MC) : c.divide(s, MC).negate();
        };
        roundInto(f, result, false);
    }
}
