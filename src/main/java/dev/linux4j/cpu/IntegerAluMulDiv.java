package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * Instruction family: MUL, IMUL (one-, two- and three-operand forms), DIV, IDIV (SDM Vol. 2).
 *
 * <p>Flags the SDM leaves undefined are set as the Intel CPUs we compare with set them: after
 * MUL and IMUL, SF and PF describe the low half of the product, ZF and AF are clear; DIV and IDIV
 * leave all flags unchanged.
 */
public final class IntegerAluMulDiv {
    private IntegerAluMulDiv() {}

    static void register(OpcodeTable t) {
        t.addGroup(MAP_1B, 0xf6, PFX_NONE, 4, "mul", SIZE_BYTE,
                new Exec() { public void exec(Cpu c, Insn i) { mul(c, c.readE(i, 1), 1); } });
        t.addGroup(MAP_1B, 0xf7, PFX_NONE, 4, "mul", 0,
                new Exec() { public void exec(Cpu c, Insn i) { mul(c, c.readE(i), i.opsize); } });
        t.addGroup(MAP_1B, 0xf6, PFX_NONE, 5, "imul", SIZE_BYTE,
                new Exec() { public void exec(Cpu c, Insn i) { imul(c, c.readE(i, 1), 1); } });
        t.addGroup(MAP_1B, 0xf7, PFX_NONE, 5, "imul", 0,
                new Exec() { public void exec(Cpu c, Insn i) { imul(c, c.readE(i), i.opsize); } });
        t.addGroup(MAP_1B, 0xf6, PFX_NONE, 6, "div", SIZE_BYTE,
                new Exec() { public void exec(Cpu c, Insn i) { div(c, c.readE(i, 1), 1); } });
        t.addGroup(MAP_1B, 0xf7, PFX_NONE, 6, "div", 0,
                new Exec() { public void exec(Cpu c, Insn i) { div(c, c.readE(i), i.opsize); } });
        t.addGroup(MAP_1B, 0xf6, PFX_NONE, 7, "idiv", SIZE_BYTE,
                new Exec() { public void exec(Cpu c, Insn i) { idiv(c, c.readE(i, 1), 1); } });
        t.addGroup(MAP_1B, 0xf7, PFX_NONE, 7, "idiv", 0,
                new Exec() { public void exec(Cpu c, Insn i) { idiv(c, c.readE(i), i.opsize); } });
        t.add(MAP_0F, 0xaf, PFX_NONE, "imul", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { imulGvEv(c, i); } });
        t.add(0x69, "imul", MODRM | IZ, new Exec() { public void exec(Cpu c, Insn i) { imulGvEvIv(c, i, i.imm); } });
        t.add(0x6b, "imul", MODRM | IB, new Exec() { public void exec(Cpu c, Insn i) { imulGvEvIv(c, i, i.imm); } });
    }

    // ---------------------------------------------------------------- multiply

    /**
     * MUL r/m (SDM Vol. 2B, MUL): AX ← AL × r/m8, DX:AX ← AX × r/m16, EDX:EAX ← EAX × r/m32,
     * RDX:RAX ← RAX × r/m64, unsigned; CF = OF = (upper half ≠ 0).
     */
    static void mul(Cpu cpu, long src, int size) {
        long a = cpu.reg(Cpu.RAX, size);
        long lo;
        long hi;
        switch (size) {
            case 1 -> {
                long p = a * src;
                cpu.setReg(Cpu.RAX, 2, p);
                lo = p;
                hi = p >>> 8;
            }
            case 2 -> {
                long p = a * src;
                cpu.setReg(Cpu.RAX, 2, p);
                cpu.setReg(Cpu.RDX, 2, p >>> 16);
                lo = p;
                hi = p >>> 16;
            }
            case 4 -> {
                long p = a * src;
                cpu.setReg(Cpu.RAX, 4, p);
                cpu.setReg(Cpu.RDX, 4, p >>> 32);
                lo = p;
                hi = p >>> 32;
            }
            default -> {
                lo = a * src;
                hi = Math.unsignedMultiplyHigh(a, src);
                cpu.r[Cpu.RAX] = lo;
                cpu.r[Cpu.RDX] = hi;
            }
        }
        mulFlags(cpu, lo, hi != 0, size);
    }

    /**
     * IMUL r/m, one-operand form (SDM Vol. 2A, IMUL): signed, into AX, DX:AX, EDX:EAX or RDX:RAX;
     * CF = OF = (the product does not fit in the low half).
     */
    static void imul(Cpu cpu, long src, int size) {
        long a = cpu.reg(Cpu.RAX, size);
        boolean overflow;
        long lo;
        switch (size) {
            case 1 -> {
                long p = (long) (byte) a * (byte) src;
                cpu.setReg(Cpu.RAX, 2, p);
                lo = p;
                overflow = p != (byte) p;
            }
            case 2 -> {
                long p = (long) (short) a * (short) src;
                cpu.setReg(Cpu.RAX, 2, p);
                cpu.setReg(Cpu.RDX, 2, p >> 16);
                lo = p;
                overflow = p != (short) p;
            }
            case 4 -> {
                long p = (long) (int) a * (int) src;
                cpu.setReg(Cpu.RAX, 4, p);
                cpu.setReg(Cpu.RDX, 4, p >> 32);
                lo = p;
                overflow = p != (int) p;
            }
            default -> {
                lo = a * src;
                long hi = Math.multiplyHigh(a, src);
                cpu.r[Cpu.RAX] = lo;
                cpu.r[Cpu.RDX] = hi;
                overflow = hi != (lo >> 63);
            }
        }
        mulFlags(cpu, lo, overflow, size);
    }

    /** IMUL Gv,Ev (0F AF): Gv ← Gv × Ev, truncated. */
    static void imulGvEv(Cpu cpu, Insn i) {
        int size = i.opsize;
        long b = cpu.readE(i, size);
        cpu.setReg(i.reg, size, imulTruncated(cpu, cpu.reg(i.reg, size), b, size));
    }

    /** IMUL Gv,Ev,Iz (69), Gv,Ev,Ib (6B): Gv ← Ev × imm, truncated. */
    static void imulGvEvIv(Cpu cpu, Insn i, long b) {
        int size = i.opsize;
        long a = cpu.readE(i, size);
        cpu.setReg(i.reg, size, imulTruncated(cpu, a, b, size));
    }

    /** The two/three-operand IMUL product truncated to {@code size}; CF = OF = truncation lost bits. */
    static long imulTruncated(Cpu cpu, long a, long b, int size) {
        long lo;
        boolean overflow;
        if (size == 8) {
            lo = a * b;
            overflow = Math.multiplyHigh(a, b) != (lo >> 63);
        } else {
            lo = Cpu.signExtend(a, size) * Cpu.signExtend(b, size);
            overflow = lo != Cpu.signExtend(lo, size);
        }
        mulFlags(cpu, lo, overflow, size);
        return lo;
    }

    private static void mulFlags(Cpu cpu, long lo, boolean overflow, int size) {
        long f = overflow ? Cpu.CF | Cpu.OF : 0;
        if ((lo >>> (size * 8 - 1) & 1) != 0) {
            f |= Cpu.SF;
        }
        cpu.setStatusFlags(f | IntegerAlu.parity(lo));
    }

    // ---------------------------------------------------------------- divide

    /**
     * DIV r/m (SDM Vol. 2A, DIV): unsigned AX, DX:AX, EDX:EAX or RDX:RAX by r/m into quotient
     * (AL/AX/EAX/RAX) and remainder (AH/DX/EDX/RDX). #DE when the divisor is 0 or the quotient
     * does not fit.
     */
    static void div(Cpu cpu, long d, int size) {
        switch (size) {
            case 1 -> {
                long n = cpu.r[Cpu.RAX] & 0xffff;
                long q = quotient(n, d, 8);
                cpu.setReg(Cpu.RAX, 2, ((n - q * d) << 8) | q);
            }
            case 2 -> {
                long n = ((cpu.r[Cpu.RDX] & 0xffff) << 16) | (cpu.r[Cpu.RAX] & 0xffff);
                long q = quotient(n, d, 16);
                cpu.setReg(Cpu.RAX, 2, q);
                cpu.setReg(Cpu.RDX, 2, n - q * d);
            }
            case 4 -> {
                long n = (cpu.r[Cpu.RDX] << 32) | (cpu.r[Cpu.RAX] & 0xffffffffL);
                long q = quotient(n, d, 32);
                cpu.setReg(Cpu.RAX, 4, q);
                cpu.setReg(Cpu.RDX, 4, n - q * d);
            }
            default -> {
                long lo = cpu.r[Cpu.RAX];
                long q = quotient64(cpu.r[Cpu.RDX], lo, d);
                cpu.r[Cpu.RAX] = q;
                cpu.r[Cpu.RDX] = lo - q * d;
            }
        }
    }

    /**
     * DIV's quotient of the dividend {@code n} (AX, DX:AX or EDX:EAX, zero-extended) by
     * {@code d}: #DE for a zero divisor or a quotient wider than {@code bits}. The remainder is
     * {@code n - q * d}. Compiled code calls it too.
     */
    public static long quotient(long n, long d, int bits) {
        if (d == 0) {
            throw CpuTrap.DIVIDE_ERROR;
        }
        long q = Long.divideUnsigned(n, d);
        if ((q >>> bits) != 0) {
            throw CpuTrap.DIVIDE_ERROR;
        }
        return q;
    }

    /**
     * DIV r/m64's quotient of RDX:RAX by {@code d}: #DE for a zero divisor or a quotient wider
     * than 64 bits (RDX not below the divisor). The remainder is {@code lo - q * d}. Compiled
     * code calls it too.
     */
    public static long quotient64(long hi, long lo, long d) {
        if (d == 0) {
            throw CpuTrap.DIVIDE_ERROR;
        }
        if (hi == 0) {
            return Long.divideUnsigned(lo, d);
        }
        if (Long.compareUnsigned(hi, d) >= 0) {
            throw CpuTrap.DIVIDE_ERROR;
        }
        return divideUnsigned128(hi, lo, d);
    }

    /**
     * IDIV r/m (SDM Vol. 2A, IDIV): signed division, quotient truncated toward zero, remainder
     * with the dividend's sign. #DE when the divisor is 0 or the quotient does not fit.
     */
    static void idiv(Cpu cpu, long src, int size) {
        long d = Cpu.signExtend(src, size);
        if (d == 0) {
            throw CpuTrap.DIVIDE_ERROR;
        }
        switch (size) {
            case 1 -> {
                long n = (short) cpu.r[Cpu.RAX];
                long q = n / d;
                if (q != (byte) q) {
                    throw CpuTrap.DIVIDE_ERROR;
                }
                cpu.setReg(Cpu.RAX, 2, ((n % d & 0xff) << 8) | (q & 0xff));
            }
            case 2 -> {
                long n = (int) ((cpu.r[Cpu.RDX] << 16) | (cpu.r[Cpu.RAX] & 0xffff));
                long q = n / d;
                if (q != (short) q) {
                    throw CpuTrap.DIVIDE_ERROR;
                }
                cpu.setReg(Cpu.RAX, 2, q);
                cpu.setReg(Cpu.RDX, 2, n % d);
            }
            case 4 -> {
                long n = (cpu.r[Cpu.RDX] << 32) | (cpu.r[Cpu.RAX] & 0xffffffffL);
                if (n == Long.MIN_VALUE && d == -1) {
                    throw CpuTrap.DIVIDE_ERROR;
                }
                long q = n / d;
                if (q != (int) q) {
                    throw CpuTrap.DIVIDE_ERROR;
                }
                cpu.setReg(Cpu.RAX, 4, q);
                cpu.setReg(Cpu.RDX, 4, n % d);
            }
            default -> idiv128(cpu, d);
        }
    }

    /** IDIV r/m64: RDX:RAX (signed 128-bit) by {@code d}. */
    private static void idiv128(Cpu cpu, long d) {
        long hi = cpu.r[Cpu.RDX];
        long lo = cpu.r[Cpu.RAX];
        if (hi == (lo >> 63)) {
            // The dividend fits in 64 bits: only MIN / -1 overflows.
            if (lo == Long.MIN_VALUE && d == -1) {
                throw CpuTrap.DIVIDE_ERROR;
            }
            cpu.r[Cpu.RAX] = lo / d;
            cpu.r[Cpu.RDX] = lo % d;
            return;
        }
        boolean negativeDividend = hi < 0;
        if (negativeDividend) {
            lo = -lo;
            hi = lo == 0 ? -hi : ~hi;
        }
        long dm = d < 0 ? -d : d; // |d| as unsigned (MIN stays 2^63)
        if (Long.compareUnsigned(hi, dm) >= 0) {
            throw CpuTrap.DIVIDE_ERROR;
        }
        long q = divideUnsigned128(hi, lo, dm);
        long r = lo - q * dm;
        boolean negativeQuotient = negativeDividend != (d < 0);
        if (negativeQuotient) {
            if (Long.compareUnsigned(q, Long.MIN_VALUE) > 0) {
                throw CpuTrap.DIVIDE_ERROR;
            }
            q = -q;
        } else if (q < 0) {
            throw CpuTrap.DIVIDE_ERROR;
        }
        cpu.r[Cpu.RAX] = q;
        cpu.r[Cpu.RDX] = negativeDividend ? -r : r;
    }

    /**
     * The unsigned quotient of the 128-bit {@code hi:lo} by {@code d}, which must exceed {@code hi}
     * (so the quotient fits in 64 bits). Knuth's algorithm D in base 2^32, as in Hacker's Delight
     * (2nd ed.), section 9-4, "divlu".
     */
    static long divideUnsigned128(long hi, long lo, long d) {
        final long b = 1L << 32;
        int s = Long.numberOfLeadingZeros(d);
        d <<= s;
        long dn1 = d >>> 32;
        long dn0 = d & 0xffffffffL;
        long un32 = s == 0 ? hi : (hi << s) | (lo >>> (64 - s));
        long un10 = lo << s;
        long un1 = un10 >>> 32;
        long un0 = un10 & 0xffffffffL;

        long q1 = Long.divideUnsigned(un32, dn1);
        long rhat = un32 - q1 * dn1;
        while (Long.compareUnsigned(q1, b) >= 0 || Long.compareUnsigned(q1 * dn0, (rhat << 32) + un1) > 0) {
            q1--;
            rhat += dn1;
            if (Long.compareUnsigned(rhat, b) >= 0) {
                break;
            }
        }
        long un21 = (un32 << 32) + un1 - q1 * d;

        long q0 = Long.divideUnsigned(un21, dn1);
        rhat = un21 - q0 * dn1;
        while (Long.compareUnsigned(q0, b) >= 0 || Long.compareUnsigned(q0 * dn0, (rhat << 32) + un0) > 0) {
            q0--;
            rhat += dn1;
            if (Long.compareUnsigned(rhat, b) >= 0) {
                break;
            }
        }
        return (q1 << 32) + q0;
    }
}
