package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * SSE2/MMX packed integer arithmetic, comparison, logic and shifts (SDM Vol. 1, 9.4 and
 * 11.4.3): each instruction has an MMX form (no prefix, mm, mm/m64) and an SSE2 form (66,
 * xmm, xmm/m128 aligned). Almost all of them work independently on each 64-bit lane, so the
 * semantics are written once as a {@link Lane} function, SWAR-style where glibc's string
 * functions lean on them (PCMPEQB, PMINUB, logic).
 */
public final class SseInteger {
    private SseInteger() {}

    /** One 64-bit lane of a packed-integer instruction. */
    @FunctionalInterface
    interface Lane {
        long apply(long a, long b);
    }

    static final long H8 = 0x8080808080808080L;
    static final long H16 = 0x8000800080008000L;
    static final long H32 = 0x8000000080000000L;
    static final long L7 = 0x7f7f7f7f7f7f7f7fL;

    static void register(OpcodeTable t) {
        // The forms glibc's string functions run hot get direct semantics (no Lane dispatch).
        t.add(MAP_0F, 0x74, PFX_66, "pcmpeqb", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { pcmpeqbXmm(c, i); } });
        t.add(MAP_0F, 0xda, PFX_66, "pminub", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { pminubXmm(c, i); } });
        t.add(MAP_0F, 0xef, PFX_66, "pxor", MODRM, new Exec() { public void exec(Cpu c, Insn i) { pxorXmm(c, i); } });
        t.add(MAP_0F, 0xeb, PFX_66, "por", MODRM, new Exec() { public void exec(Cpu c, Insn i) { porXmm(c, i); } });
        t.add(MAP_0F, 0xdb, PFX_66, "pand", MODRM, new Exec() { public void exec(Cpu c, Insn i) { pandXmm(c, i); } });
        mmxOnly(t, 0x74, "pcmpeqb", SseInteger::pcmpeqb);
        mmxOnly(t, 0xda, "pminub", SseInteger::pminub);
        mmxOnly(t, 0xef, "pxor", (a, b) -> a ^ b);
        mmxOnly(t, 0xeb, "por", (a, b) -> a | b);
        mmxOnly(t, 0xdb, "pand", (a, b) -> a & b);

        both(t, 0xfc, "paddb", SseInteger::paddb);
        both(t, 0xfd, "paddw", SseInteger::paddw);
        both(t, 0xfe, "paddd", SseInteger::paddd);
        both(t, 0xd4, "paddq", (a, b) -> a + b);
        both(t, 0xf8, "psubb", SseInteger::psubb);
        both(t, 0xf9, "psubw", SseInteger::psubw);
        both(t, 0xfa, "psubd", SseInteger::psubd);
        both(t, 0xfb, "psubq", (a, b) -> a - b);
        both(t, 0xec, "paddsb", (a, b) -> lanes(a, b, 8, (x, y) -> satS(x + y, 8)));
        both(t, 0xed, "paddsw", (a, b) -> lanes(a, b, 16, (x, y) -> satS(x + y, 16)));
        both(t, 0xdc, "paddusb", (a, b) -> lanesU(a, b, 8, (x, y) -> satU(x + y, 8)));
        both(t, 0xdd, "paddusw", (a, b) -> lanesU(a, b, 16, (x, y) -> satU(x + y, 16)));
        both(t, 0xe8, "psubsb", (a, b) -> lanes(a, b, 8, (x, y) -> satS(x - y, 8)));
        both(t, 0xe9, "psubsw", (a, b) -> lanes(a, b, 16, (x, y) -> satS(x - y, 16)));
        both(t, 0xd8, "psubusb", (a, b) -> lanesU(a, b, 8, (x, y) -> satU(x - y, 8)));
        both(t, 0xd9, "psubusw", (a, b) -> lanesU(a, b, 16, (x, y) -> satU(x - y, 16)));
        both(t, 0xd5, "pmullw", (a, b) -> lanes(a, b, 16, (x, y) -> x * y));
        both(t, 0xe5, "pmulhw", (a, b) -> lanes(a, b, 16, (x, y) -> (x * y) >> 16));
        both(t, 0xe4, "pmulhuw", (a, b) -> lanesU(a, b, 16, (x, y) -> (x * y) >>> 16));
        both(t, 0xf4, "pmuludq", (a, b) -> (a & 0xffffffffL) * (b & 0xffffffffL));
        both(t, 0xf5, "pmaddwd", SseInteger::pmaddwd);
        both(t, 0xe0, "pavgb", (a, b) -> lanesU(a, b, 8, (x, y) -> (x + y + 1) >> 1));
        both(t, 0xe3, "pavgw", (a, b) -> lanesU(a, b, 16, (x, y) -> (x + y + 1) >> 1));
        both(t, 0xde, "pmaxub", SseInteger::pmaxub);
        both(t, 0xea, "pminsw", (a, b) -> lanes(a, b, 16, Math::min));
        both(t, 0xee, "pmaxsw", (a, b) -> lanes(a, b, 16, Math::max));
        both(t, 0xf6, "psadbw", SseInteger::psadbw);
        both(t, 0x75, "pcmpeqw", (a, b) -> lanes(a, b, 16, (x, y) -> x == y ? -1 : 0));
        both(t, 0x76, "pcmpeqd", (a, b) -> lanes(a, b, 32, (x, y) -> x == y ? -1 : 0));
        both(t, 0x64, "pcmpgtb", (a, b) -> lanes(a, b, 8, (x, y) -> x > y ? -1 : 0));
        both(t, 0x65, "pcmpgtw", (a, b) -> lanes(a, b, 16, (x, y) -> x > y ? -1 : 0));
        both(t, 0x66, "pcmpgtd", (a, b) -> lanes(a, b, 32, (x, y) -> x > y ? -1 : 0));
        both(t, 0xdf, "pandn", (a, b) -> ~a & b);

        shiftByReg(t, 0xd1, "psrlw", SseInteger::psrlw);
        shiftByReg(t, 0xd2, "psrld", SseInteger::psrld);
        shiftByReg(t, 0xd3, "psrlq", SseInteger::psrlq);
        shiftByReg(t, 0xe1, "psraw", SseInteger::psraw);
        shiftByReg(t, 0xe2, "psrad", SseInteger::psrad);
        shiftByReg(t, 0xf1, "psllw", SseInteger::psllw);
        shiftByReg(t, 0xf2, "pslld", SseInteger::pslld);
        shiftByReg(t, 0xf3, "psllq", SseInteger::psllq);
        shiftByImm(t, 0x71, 2, "psrlw", SseInteger::psrlw);
        shiftByImm(t, 0x71, 4, "psraw", SseInteger::psraw);
        shiftByImm(t, 0x71, 6, "psllw", SseInteger::psllw);
        shiftByImm(t, 0x72, 2, "psrld", SseInteger::psrld);
        shiftByImm(t, 0x72, 4, "psrad", SseInteger::psrad);
        shiftByImm(t, 0x72, 6, "pslld", SseInteger::pslld);
        shiftByImm(t, 0x73, 2, "psrlq", SseInteger::psrlq);
        shiftByImm(t, 0x73, 6, "psllq", SseInteger::psllq);
    }

    /** Registers the MMX (no prefix) and SSE2 (66) forms of a lane-wise instruction. */
    private static void both(OpcodeTable t, int op, String name, Lane f) {
        t.add(MAP_0F, op, PFX_NONE, name, MODRM, new Exec() { public void exec(Cpu c, Insn i) { mmx(c, i, f); } });
        t.add(MAP_0F, op, PFX_66, name, MODRM, new Exec() { public void exec(Cpu c, Insn i) { packed(c, i, f); } });
    }

    private static void mmxOnly(OpcodeTable t, int op, String name, Lane f) {
        t.add(MAP_0F, op, PFX_NONE, name, MODRM, new Exec() { public void exec(Cpu c, Insn i) { mmx(c, i, f); } });
    }

    // ---------------------------------------------------------------- operand forms

    /** PCMPEQB xmm1, xmm2/m128. */
    static void pcmpeqbXmm(Cpu c, Insn i) {
        long a = Sse.srcAddr(c, i);
        long l = Sse.srcLo(c, i, a);
        long h = Sse.srcHi(c, i, a);
        int d = 2 * i.reg;
        c.xmm[d] = pcmpeqb(c.xmm[d], l);
        c.xmm[d + 1] = pcmpeqb(c.xmm[d + 1], h);
    }

    /** PMINUB xmm1, xmm2/m128. */
    static void pminubXmm(Cpu c, Insn i) {
        long a = Sse.srcAddr(c, i);
        long l = Sse.srcLo(c, i, a);
        long h = Sse.srcHi(c, i, a);
        int d = 2 * i.reg;
        c.xmm[d] = pminub(c.xmm[d], l);
        c.xmm[d + 1] = pminub(c.xmm[d + 1], h);
    }

    /** PXOR xmm1, xmm2/m128. */
    static void pxorXmm(Cpu c, Insn i) {
        long a = Sse.srcAddr(c, i);
        long l = Sse.srcLo(c, i, a);
        long h = Sse.srcHi(c, i, a);
        int d = 2 * i.reg;
        c.xmm[d] ^= l;
        c.xmm[d + 1] ^= h;
    }

    /** POR xmm1, xmm2/m128. */
    static void porXmm(Cpu c, Insn i) {
        long a = Sse.srcAddr(c, i);
        long l = Sse.srcLo(c, i, a);
        long h = Sse.srcHi(c, i, a);
        int d = 2 * i.reg;
        c.xmm[d] |= l;
        c.xmm[d + 1] |= h;
    }

    /** PAND xmm1, xmm2/m128. */
    static void pandXmm(Cpu c, Insn i) {
        long a = Sse.srcAddr(c, i);
        long l = Sse.srcLo(c, i, a);
        long h = Sse.srcHi(c, i, a);
        int d = 2 * i.reg;
        c.xmm[d] &= l;
        c.xmm[d + 1] &= h;
    }

    /** OP xmm1, xmm2/m128 (aligned), lane by lane. */
    static void packed(Cpu c, Insn i, Lane f) {
        long[] x = c.xmm;
        int d = 2 * i.reg;
        if (i.rm >= 0) {
            int s = 2 * i.rm;
            x[d] = f.apply(x[d], x[s]);
            x[d + 1] = f.apply(x[d + 1], x[s + 1]);
        } else {
            long a = Sse.aligned16(c, i);
            long lo = c.mmu.read64(a);
            long hi = c.mmu.read64(a + 8);
            x[d] = f.apply(x[d], lo);
            x[d + 1] = f.apply(x[d + 1], hi);
        }
    }

    /** OP mm1, mm2/m64. */
    static void mmx(Cpu c, Insn i, Lane f) {
        long b = Sse.mmSrc(c, i);
        Sse.setMm(c, i.reg, f.apply(Sse.mm(c, i.reg), b));
    }

    // ---------------------------------------------------------------- element helpers

    /** A signed element operation (operands sign-extended into ints). */
    @FunctionalInterface
    interface Elem {
        int apply(int x, int y);
    }

    /** Applies a signed element operation to each {@code bits}-wide element of a lane. */
    static long lanes(long a, long b, int bits, Elem f) {
        long m = bits == 32 ? 0xffffffffL : (1L << bits) - 1;
        int sh = 32 - bits;
        long r = 0;
        for (int k = 0; k < 64; k += bits) {
            int x = (int) (a >>> k) << sh >> sh;
            int y = (int) (b >>> k) << sh >> sh;
            r |= (f.apply(x, y) & m) << k;
        }
        return r;
    }

    /** Applies an unsigned element operation (8- or 16-bit elements zero-extended). */
    static long lanesU(long a, long b, int bits, Elem f) {
        long m = (1L << bits) - 1;
        long r = 0;
        for (int k = 0; k < 64; k += bits) {
            int x = (int) ((a >>> k) & m);
            int y = (int) ((b >>> k) & m);
            r |= (f.apply(x, y) & m) << k;
        }
        return r;
    }

    static int satS(int v, int bits) {
        int max = (1 << (bits - 1)) - 1;
        return Math.max(-max - 1, Math.min(max, v));
    }

    static int satU(int v, int bits) {
        return Math.max(0, Math.min((1 << bits) - 1, v));
    }

    // ---------------------------------------------------------------- lane functions (SDM Vol. 2)

    public static long paddb(long a, long b) {
        return ((a & ~H8) + (b & ~H8)) ^ ((a ^ b) & H8);
    }

    static long paddw(long a, long b) {
        return ((a & ~H16) + (b & ~H16)) ^ ((a ^ b) & H16);
    }

    static long paddd(long a, long b) {
        return ((a & ~H32) + (b & ~H32)) ^ ((a ^ b) & H32);
    }

    public static long psubb(long a, long b) {
        return ((a | H8) - (b & ~H8)) ^ ((a ^ ~b) & H8);
    }

    static long psubw(long a, long b) {
        return ((a | H16) - (b & ~H16)) ^ ((a ^ ~b) & H16);
    }

    static long psubd(long a, long b) {
        return ((a | H32) - (b & ~H32)) ^ ((a ^ ~b) & H32);
    }

    /** PCMPEQB: 0xff in each byte where a and b are equal. */
    public static long pcmpeqb(long a, long b) {
        long x = a ^ b;
        long nonzero = ((x & L7) + L7) | x;
        return ((~nonzero & H8) >>> 7) * 0xff;
    }

    /** Per byte, 0xff where a < b unsigned (the borrow out of each byte of a - b). */
    static long below8(long a, long b) {
        long diff = ((a | H8) - (b & ~H8)) ^ ((a ^ ~b) & H8);
        long borrow = ((~a & b) | (~(a ^ b) & diff)) & H8;
        return (borrow >>> 7) * 0xff;
    }

    public static long pminub(long a, long b) {
        long lt = below8(a, b);
        return (a & lt) | (b & ~lt);
    }

    static long pmaxub(long a, long b) {
        long lt = below8(a, b);
        return (b & lt) | (a & ~lt);
    }

    static long pmaddwd(long a, long b) {
        long r = 0;
        for (int k = 0; k < 64; k += 32) {
            int s = (short) (a >>> k) * (short) (b >>> k) + (short) (a >>> (k + 16)) * (short) (b >>> (k + 16));
            r |= (s & 0xffffffffL) << k;
        }
        return r;
    }

    static long psadbw(long a, long b) {
        long sum = 0;
        for (int k = 0; k < 64; k += 8) {
            sum += Math.abs((int) ((a >>> k) & 0xff) - (int) ((b >>> k) & 0xff));
        }
        return sum;
    }

    // ---------------------------------------------------------------- shifts

    /**
     * Shifts by a count from the source operand: the full 64-bit count, so counts above the
     * element width give zero (or the sign for arithmetic shifts) (SDM Vol. 2B, PSLLW).
     */
    private static void shiftByReg(OpcodeTable t, int op, String name, Lane f) {
        t.add(MAP_0F, op, PFX_NONE, name, MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                long count = Sse.mmSrc(c, i);
                Sse.setMm(c, i.reg, f.apply(Sse.mm(c, i.reg), count));
            }
        });
        t.add(MAP_0F, op, PFX_66, name, MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                long count = Sse.srcLo(c, i, Sse.srcAddr(c, i));
                int d = 2 * i.reg;
                c.xmm[d] = f.apply(c.xmm[d], count);
                c.xmm[d + 1] = f.apply(c.xmm[d + 1], count);
            }
        });
    }

    /** Shift groups 0F 71/72/73 /digit ib: the register operand is ModRM.rm. */
    private static void shiftByImm(OpcodeTable t, int op, int digit, String name, Lane f) {
        t.addGroupReg(MAP_0F, op, PFX_NONE, digit, name, IB, new Exec() {
            public void exec(Cpu c, Insn i) {
                Sse.mmxEnter(c);
                Sse.setMm(c, i.rm, f.apply(Sse.mm(c, i.rm), i.imm & 0xff));
            }
        });
        t.addGroupReg(MAP_0F, op, PFX_66, digit, name, IB, new Exec() {
            public void exec(Cpu c, Insn i) {
                int d = 2 * i.rm;
                long count = i.imm & 0xff;
                c.xmm[d] = f.apply(c.xmm[d], count);
                c.xmm[d + 1] = f.apply(c.xmm[d + 1], count);
            }
        });
    }

    private static boolean over(long count, int bits) {
        return Long.compareUnsigned(count, bits - 1) > 0;
    }

    static long psllw(long a, long n) {
        return over(n, 16) ? 0 : (a << n) & ~(0x0001000100010001L * ((1L << n) - 1));
    }

    static long psrlw(long a, long n) {
        return over(n, 16) ? 0 : (a >>> n) & (0x0001000100010001L * (0xffffL >>> n));
    }

    static long psraw(long a, long n) {
        int s = over(n, 16) ? 15 : (int) n;
        long r = 0;
        for (int k = 0; k < 64; k += 16) {
            r |= (((short) (a >>> k) >> s) & 0xffffL) << k;
        }
        return r;
    }

    static long pslld(long a, long n) {
        return over(n, 32) ? 0 : (a << n) & ~(0x0000000100000001L * ((1L << n) - 1));
    }

    static long psrld(long a, long n) {
        return over(n, 32) ? 0 : (a >>> n) & (0x0000000100000001L * (0xffffffffL >>> n));
    }

    static long psrad(long a, long n) {
        int s = over(n, 32) ? 31 : (int) n;
        return ((long) ((int) a >> s) & 0xffffffffL) | ((long) ((int) (a >>> 32) >> s) << 32);
    }

    static long psllq(long a, long n) {
        return over(n, 64) ? 0 : a << n;
    }

    static long psrlq(long a, long n) {
        return over(n, 64) ? 0 : a >>> n;
    }
}
