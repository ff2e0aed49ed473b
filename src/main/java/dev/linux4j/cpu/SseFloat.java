package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;
import static dev.linux4j.cpu.SoftFloat.*;

/**
 * SSE/SSE2 floating-point arithmetic, comparison and logic (SDM Vol. 1, 10.4.2 and 11.4.1):
 * ADD SUB MUL DIV SQRT MIN MAX RCP RSQRT in PS/PD/SS/SD forms, CMPccPS..., (U)COMISS/SD,
 * AND/ANDN/OR/XOR PS/PD.
 *
 * <p>Each element operation has a fast path for round to nearest with every exception masked
 * and normal operands and result, where the only flag to compute is PE (and only while it is
 * still clear: it is sticky). Everything else goes to {@link SoftFloat}. Single precision lives
 * in the low 32 bits of a {@code long} element.
 */
final class SseFloat {
    private SseFloat() {}

    /** One element of a two-operand floating-point instruction, on raw bits. */
    @FunctionalInterface
    interface Elem {
        long apply(Cpu c, long a, long b);
    }

    static final long M32 = 0xffffffffL;

    static void register(OpcodeTable t) {
        arithForms(t, 0x58, "add", SseFloat::add32, SseFloat::add64);
        arithForms(t, 0x59, "mul", SseFloat::mul32, SseFloat::mul64);
        arithForms(t, 0x5c, "sub", SseFloat::sub32, SseFloat::sub64);
        arithForms(t, 0x5e, "div", SseFloat::div32, SseFloat::div64);
        arithForms(t, 0x51, "sqrt", SseFloat::sqrt32, SseFloat::sqrt64);
        arithForms(t, 0x5d, "min", SseFloat::min32, SseFloat::min64);
        arithForms(t, 0x5f, "max", SseFloat::max32, SseFloat::max64);
        t.add(MAP_0F, 0x52, PFX_NONE, "rsqrtps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { packedSingle(c, i, SseApprox::rsqrt); } });
        t.add(MAP_0F, 0x52, PFX_F3, "rsqrtss", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { scalarSingle(c, i, SseApprox::rsqrt); } });
        t.add(MAP_0F, 0x53, PFX_NONE, "rcpps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { packedSingle(c, i, SseApprox::rcp); } });
        t.add(MAP_0F, 0x53, PFX_F3, "rcpss", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { scalarSingle(c, i, SseApprox::rcp); } });

        t.add(MAP_0F, 0xc2, PFX_NONE, "cmpps", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { cmpps(c, i); } });
        t.add(MAP_0F, 0xc2, PFX_66, "cmppd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { cmppd(c, i); } });
        t.add(MAP_0F, 0xc2, PFX_F3, "cmpss", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { cmpss(c, i); } });
        t.add(MAP_0F, 0xc2, PFX_F2, "cmpsd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { cmpsd(c, i); } });
        t.add(MAP_0F, 0x2e, PFX_NONE, "ucomiss", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { comis(c, i, true, false); } });
        t.add(MAP_0F, 0x2e, PFX_66, "ucomisd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { comis(c, i, false, false); } });
        t.add(MAP_0F, 0x2f, PFX_NONE, "comiss", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { comis(c, i, true, true); } });
        t.add(MAP_0F, 0x2f, PFX_66, "comisd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { comis(c, i, false, true); } });

        logic(t, 0x54, "and", (a, b) -> a & b);
        logic(t, 0x55, "andn", (a, b) -> ~a & b);
        logic(t, 0x56, "or", (a, b) -> a | b);
        logic(t, 0x57, "xor", (a, b) -> a ^ b);
    }

    private static void arithForms(OpcodeTable t, int op, String name, Elem single, Elem dbl) {
        t.add(MAP_0F, op, PFX_NONE, name + "ps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { packedSingle(c, i, single); } });
        t.add(MAP_0F, op, PFX_66, name + "pd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { packedDouble(c, i, dbl); } });
        t.add(MAP_0F, op, PFX_F3, name + "ss", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { scalarSingle(c, i, single); } });
        Exec sd = switch (op) {
            // The scalar double forms gcc emits for plain C arithmetic call their element directly.
            case 0x58 -> new Exec() { public void exec(Cpu c, Insn i) { addsd(c, i); } };
            case 0x5c -> new Exec() { public void exec(Cpu c, Insn i) { subsd(c, i); } };
            case 0x59 -> new Exec() { public void exec(Cpu c, Insn i) { mulsd(c, i); } };
            case 0x5e -> new Exec() { public void exec(Cpu c, Insn i) { divsd(c, i); } };
            case 0x51 -> new Exec() { public void exec(Cpu c, Insn i) { sqrtsd(c, i); } };
            default -> new Exec() { public void exec(Cpu c, Insn i) { scalarDouble(c, i, dbl); } };
        };
        t.add(MAP_0F, op, PFX_F2, name + "sd", MODRM, sd);
    }

    /** ADDSD xmm1, xmm2/m64 (SDM Vol. 2A, ADDSD). */
    static void addsd(Cpu c, Insn i) {
        long b = Sse.src64(c, i);
        if ((c.mxcsr & MASKS) == MASKS) {
            c.xmm[2 * i.reg] = add64(c, c.xmm[2 * i.reg], b);
        } else {
            scalarDouble(c, i, SseFloat::add64);
        }
    }

    /** SUBSD xmm1, xmm2/m64. */
    static void subsd(Cpu c, Insn i) {
        long b = Sse.src64(c, i);
        if ((c.mxcsr & MASKS) == MASKS) {
            c.xmm[2 * i.reg] = sub64(c, c.xmm[2 * i.reg], b);
        } else {
            scalarDouble(c, i, SseFloat::sub64);
        }
    }

    /** MULSD xmm1, xmm2/m64. */
    static void mulsd(Cpu c, Insn i) {
        long b = Sse.src64(c, i);
        if ((c.mxcsr & MASKS) == MASKS) {
            c.xmm[2 * i.reg] = mul64(c, c.xmm[2 * i.reg], b);
        } else {
            scalarDouble(c, i, SseFloat::mul64);
        }
    }

    /** DIVSD xmm1, xmm2/m64. */
    static void divsd(Cpu c, Insn i) {
        long b = Sse.src64(c, i);
        if ((c.mxcsr & MASKS) == MASKS) {
            c.xmm[2 * i.reg] = div64(c, c.xmm[2 * i.reg], b);
        } else {
            scalarDouble(c, i, SseFloat::div64);
        }
    }

    /** SQRTSD xmm1, xmm2/m64. */
    static void sqrtsd(Cpu c, Insn i) {
        long b = Sse.src64(c, i);
        if ((c.mxcsr & MASKS) == MASKS) {
            c.xmm[2 * i.reg] = sqrt64(c, 0, b);
        } else {
            scalarDouble(c, i, SseFloat::sqrt64);
        }
    }

    private static void logic(OpcodeTable t, int op, String name, SseInteger.Lane f) {
        Exec e = new Exec() { public void exec(Cpu c, Insn i) { SseInteger.packed(c, i, f); } };
        t.add(MAP_0F, op, PFX_NONE, name + "ps", MODRM, e);
        t.add(MAP_0F, op, PFX_66, name + "pd", MODRM, e);
    }

    // ---------------------------------------------------------------- exception protocol

    /**
     * Starts an instruction that may raise SIMD floating-point exceptions. With any exception
     * unmasked, the flags are cleared so {@link #end} can see which this instruction raised.
     */
    static int begin(Cpu c) {
        int saved = c.mxcsr;
        if ((saved & MASKS) != MASKS) {
            c.mxcsr = saved & ~FLAGS;
        }
        return saved;
    }

    /**
     * Ends it: the raised flags stay set (sticky) and an unmasked one raises #XM before any
     * destination is written (SDM Vol. 1, 11.5.1).
     */
    static void end(Cpu c, int saved) {
        if ((saved & MASKS) != MASKS) {
            int fresh = c.mxcsr & FLAGS;
            int unmasked = fresh & ~(saved >> 7);
            if ((unmasked & (IE | DE | ZE)) != 0) {
                // An unmasked pre-computation exception in any element: the instruction stops
                // before computing, so no element reports PE, OE or UE (SDM Vol. 1, 11.5.1).
                fresh &= IE | DE | ZE;
            }
            c.mxcsr = saved | fresh;
            if (unmasked != 0) {
                throw CpuTrap.SIMD_FP_ERROR;
            }
        }
    }

    // ---------------------------------------------------------------- operand forms

    /** OPps xmm1, xmm2/m128: four binary32 elements. */
    static void packedSingle(Cpu c, Insn i, Elem f) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        long al = c.xmm[d];
        long ah = c.xmm[d + 1];
        int saved = begin(c);
        long r0 = f.apply(c, al & M32, bl & M32);
        long r1 = f.apply(c, al >>> 32, bl >>> 32);
        long r2 = f.apply(c, ah & M32, bh & M32);
        long r3 = f.apply(c, ah >>> 32, bh >>> 32);
        end(c, saved);
        c.xmm[d] = (r0 & M32) | (r1 << 32);
        c.xmm[d + 1] = (r2 & M32) | (r3 << 32);
    }

    /** OPpd xmm1, xmm2/m128: two binary64 elements. */
    static void packedDouble(Cpu c, Insn i, Elem f) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        int saved = begin(c);
        long r0 = f.apply(c, c.xmm[d], bl);
        long r1 = f.apply(c, c.xmm[d + 1], bh);
        end(c, saved);
        c.xmm[d] = r0;
        c.xmm[d + 1] = r1;
    }

    /** OPss xmm1, xmm2/m32: the low element; the rest of xmm1 is kept. */
    static void scalarSingle(Cpu c, Insn i, Elem f) {
        long b = Sse.src32(c, i);
        int d = 2 * i.reg;
        long a = c.xmm[d];
        int saved = begin(c);
        long r = f.apply(c, a & M32, b);
        end(c, saved);
        c.xmm[d] = (a & ~M32) | (r & M32);
    }

    /** OPsd xmm1, xmm2/m64: the low element; the high quadword of xmm1 is kept. */
    static void scalarDouble(Cpu c, Insn i, Elem f) {
        long b = Sse.src64(c, i);
        int d = 2 * i.reg;
        if ((c.mxcsr & MASKS) == MASKS) {
            c.xmm[d] = f.apply(c, c.xmm[d], b);
            return;
        }
        int saved = begin(c);
        long r = f.apply(c, c.xmm[d], b);
        end(c, saved);
        c.xmm[d] = r;
    }

    // ---------------------------------------------------------------- binary64 elements

    /** Biased exponent neither 0 nor 0x7ff. */
    static boolean normal64(long v) {
        long e = v & D_EXP;
        return e != 0 && e != D_EXP;
    }

    /** Normal and at least 2^-895, so the FMA residual of a product or quotient is exact. */
    static boolean wide64(long v) {
        long e = v & D_EXP;
        return e >= (128L << 52) && e != D_EXP;
    }

    static boolean fast(Cpu c) {
        return (c.mxcsr & FAST_MASK) == FAST_VALUE;
    }

    /** ADDSD element (SDM Vol. 2A, ADDSD). */
    static long add64(Cpu c, long a, long b) {
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        double r = x + y;
        long rb = Double.doubleToRawLongBits(r);
        if (fast(c) && normal64(a) && normal64(b) && normal64(rb)) {
            if ((c.mxcsr & PE) == 0) {
                double bv = r - x;
                if ((x - (r - bv)) + (y - bv) != 0) {
                    c.mxcsr |= PE;
                }
            }
            return rb;
        }
        return arith(c, OP_ADD, a, b, false);
    }

    /** SUBSD element. */
    static long sub64(Cpu c, long a, long b) {
        double x = Double.longBitsToDouble(a);
        double y = -Double.longBitsToDouble(b);
        double r = x + y;
        long rb = Double.doubleToRawLongBits(r);
        if (fast(c) && normal64(a) && normal64(b) && normal64(rb)) {
            if ((c.mxcsr & PE) == 0) {
                double bv = r - x;
                if ((x - (r - bv)) + (y - bv) != 0) {
                    c.mxcsr |= PE;
                }
            }
            return rb;
        }
        return arith(c, OP_SUB, a, b, false);
    }

    /** MULSD element. */
    static long mul64(Cpu c, long a, long b) {
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        double r = x * y;
        long rb = Double.doubleToRawLongBits(r);
        if (fast(c) && normal64(a) && normal64(b) && wide64(rb)) {
            if ((c.mxcsr & PE) == 0 && Math.fma(x, y, -r) != 0) {
                c.mxcsr |= PE;
            }
            return rb;
        }
        return arith(c, OP_MUL, a, b, false);
    }

    /** DIVSD element. */
    static long div64(Cpu c, long a, long b) {
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        double r = x / y;
        long rb = Double.doubleToRawLongBits(r);
        if (fast(c) && wide64(a) && normal64(b) && normal64(rb)) {
            if ((c.mxcsr & PE) == 0 && Math.fma(-r, y, x) != 0) {
                c.mxcsr |= PE;
            }
            return rb;
        }
        return arith(c, OP_DIV, a, b, false);
    }

    /** SQRTSD element: the square root of the second operand. */
    static long sqrt64(Cpu c, long a, long b) {
        if (fast(c) && b > 0 && wide64(b)) {
            double x = Double.longBitsToDouble(b);
            double r = Math.sqrt(x);
            if ((c.mxcsr & PE) == 0 && Math.fma(-r, r, x) != 0) {
                c.mxcsr |= PE;
            }
            return Double.doubleToRawLongBits(r);
        }
        return sqrt(c, b, false);
    }

    static long min64(Cpu c, long a, long b) {
        return minMax(c, a, b, false, false);
    }

    static long max64(Cpu c, long a, long b) {
        return minMax(c, a, b, true, false);
    }

    // ---------------------------------------------------------------- binary32 elements

    static boolean normal32(long v) {
        long e = v & F_EXP;
        return e != 0 && e != F_EXP;
    }

    /** ADDSS element. */
    static long add32(Cpu c, long a, long b) {
        float x = Float.intBitsToFloat((int) a);
        float y = Float.intBitsToFloat((int) b);
        float r = x + y;
        long rb = Float.floatToRawIntBits(r) & M32;
        if (fast(c) && normal32(a) && normal32(b) && normal32(rb)) {
            if ((c.mxcsr & PE) == 0) {
                float bv = r - x;
                if ((x - (r - bv)) + (y - bv) != 0) {
                    c.mxcsr |= PE;
                }
            }
            return rb;
        }
        return arith(c, OP_ADD, a, b, true);
    }

    static long sub32(Cpu c, long a, long b) {
        float x = Float.intBitsToFloat((int) a);
        float y = -Float.intBitsToFloat((int) b);
        float r = x + y;
        long rb = Float.floatToRawIntBits(r) & M32;
        if (fast(c) && normal32(a) && normal32(b) && normal32(rb)) {
            if ((c.mxcsr & PE) == 0) {
                float bv = r - x;
                if ((x - (r - bv)) + (y - bv) != 0) {
                    c.mxcsr |= PE;
                }
            }
            return rb;
        }
        return arith(c, OP_SUB, a, b, true);
    }

    static long mul32(Cpu c, long a, long b) {
        float x = Float.intBitsToFloat((int) a);
        float y = Float.intBitsToFloat((int) b);
        float r = x * y;
        long rb = Float.floatToRawIntBits(r) & M32;
        if (fast(c) && normal32(a) && normal32(b) && normal32(rb)) {
            if ((c.mxcsr & PE) == 0 && (double) x * y != r) {
                c.mxcsr |= PE;
            }
            return rb;
        }
        return arith(c, OP_MUL, a, b, true);
    }

    static long div32(Cpu c, long a, long b) {
        float x = Float.intBitsToFloat((int) a);
        float y = Float.intBitsToFloat((int) b);
        float r = x / y;
        long rb = Float.floatToRawIntBits(r) & M32;
        if (fast(c) && normal32(a) && normal32(b) && normal32(rb)) {
            if ((c.mxcsr & PE) == 0 && (double) x - (double) r * y != 0) {
                c.mxcsr |= PE;
            }
            return rb;
        }
        return arith(c, OP_DIV, a, b, true);
    }

    static long sqrt32(Cpu c, long a, long b) {
        if (fast(c) && (b & F_SIGN) == 0 && normal32(b)) {
            double x = Float.intBitsToFloat((int) b);
            float r = (float) Math.sqrt(x); // correctly rounded: 53 >= 2 * 24 + 2
            if ((c.mxcsr & PE) == 0 && x - (double) r * r != 0) {
                c.mxcsr |= PE;
            }
            return Float.floatToRawIntBits(r) & M32;
        }
        return sqrt(c, b, true);
    }

    static long min32(Cpu c, long a, long b) {
        return minMax(c, a, b, false, true);
    }

    static long max32(Cpu c, long a, long b) {
        return minMax(c, a, b, true, true);
    }

    // ---------------------------------------------------------------- comparisons

    private static long mask(boolean v, long ones) {
        return v ? ones : 0;
    }

    /** CMPPS xmm1, xmm2/m128, imm8 (SDM Vol. 2A, CMPPS; predicate imm8[2:0]). */
    static void cmpps(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        long al = c.xmm[d];
        long ah = c.xmm[d + 1];
        int p = (int) i.imm & 7;
        int saved = begin(c);
        long r0 = mask(compare(c, al, bl, p, true), M32);
        long r1 = mask(compare(c, al >>> 32, bl >>> 32, p, true), M32);
        long r2 = mask(compare(c, ah, bh, p, true), M32);
        long r3 = mask(compare(c, ah >>> 32, bh >>> 32, p, true), M32);
        end(c, saved);
        c.xmm[d] = r0 | (r1 << 32);
        c.xmm[d + 1] = r2 | (r3 << 32);
    }

    /** CMPPD xmm1, xmm2/m128, imm8. */
    static void cmppd(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        int p = (int) i.imm & 7;
        int saved = begin(c);
        long r0 = mask(compare(c, c.xmm[d], bl, p, false), -1L);
        long r1 = mask(compare(c, c.xmm[d + 1], bh, p, false), -1L);
        end(c, saved);
        c.xmm[d] = r0;
        c.xmm[d + 1] = r1;
    }

    /** CMPSS xmm1, xmm2/m32, imm8. */
    static void cmpss(Cpu c, Insn i) {
        long b = Sse.src32(c, i);
        int d = 2 * i.reg;
        long a = c.xmm[d];
        int saved = begin(c);
        long r = mask(compare(c, a, b, (int) i.imm & 7, true), M32);
        end(c, saved);
        c.xmm[d] = (a & ~M32) | r;
    }

    /** CMPSD xmm1, xmm2/m64, imm8. */
    static void cmpsd(Cpu c, Insn i) {
        long b = Sse.src64(c, i);
        int d = 2 * i.reg;
        int saved = begin(c);
        long r = mask(compare(c, c.xmm[d], b, (int) i.imm & 7, false), -1L);
        end(c, saved);
        c.xmm[d] = r;
    }

    /**
     * COMISS/COMISD/UCOMISS/UCOMISD (SDM Vol. 2A, COMISD): ZF PF CF = 111 unordered, 000 greater,
     * 001 less, 100 equal; OF SF AF cleared. COMIS signals IE on any NaN, UCOMIS only on SNaN.
     */
    static void comis(Cpu c, Insn i, boolean f32, boolean signaling) {
        long a;
        long b;
        if (f32) {
            b = Sse.src32(c, i);
            a = c.xmm[2 * i.reg] & M32;
        } else {
            b = Sse.src64(c, i);
            a = c.xmm[2 * i.reg];
        }
        long flags;
        if (fast(c) && (f32 ? normal32(a) && normal32(b) : normal64(a) && normal64(b))) {
            double x = f32 ? Float.intBitsToFloat((int) a) : Double.longBitsToDouble(a);
            double y = f32 ? Float.intBitsToFloat((int) b) : Double.longBitsToDouble(b);
            flags = x > y ? 0 : x < y ? Cpu.CF : Cpu.ZF;
        } else {
            int saved = begin(c);
            flags = comisSlow(c, a, b, f32, signaling);
            end(c, saved);
        }
        c.setStatusFlags(flags);
    }

    private static long comisSlow(Cpu c, long a, long b, boolean f32, boolean signaling) {
        a = daz(c, a, f32);
        b = daz(c, b, f32);
        if (isNaN(a, f32) || isNaN(b, f32)) {
            if (signaling || isSNaN(a, f32) || isSNaN(b, f32)) {
                raise(c, IE);
            }
            return Cpu.ZF | Cpu.PF | Cpu.CF;
        }
        if (isDenormal(a, f32) || isDenormal(b, f32)) {
            raise(c, DE);
        }
        double x = f32 ? Float.intBitsToFloat((int) a) : Double.longBitsToDouble(a);
        double y = f32 ? Float.intBitsToFloat((int) b) : Double.longBitsToDouble(b);
        return x > y ? 0 : x < y ? Cpu.CF : Cpu.ZF;
    }
}
