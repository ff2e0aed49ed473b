package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * Instruction family: SSE3 and SSSE3 (SDM Vol. 1, 12.2-12.7).
 *
 * <p>SSE3: ADDSUBPD/PS, HADDPD/PS, HSUBPD/PS (whose elements are {@link SseFloat}'s, so MXCSR
 * rounding, DAZ/FTZ, NaN propagation and exception flags are the SSE ones), MOVDDUP, MOVSLDUP,
 * MOVSHDUP and LDDQU. FISTTP (DB/DD/DF /1) is registered by {@link X87Ops}; MONITOR and MWAIT
 * are not implemented (CPUID does not advertise MONITOR).
 *
 * <p>SSSE3 (0F 38 00-0B, 1C-1E and 0F 3A 0F): each instruction has an MMX form (no prefix, mm,
 * mm/m64) and an XMM form (66, xmm, xmm/m128 aligned: legacy SSE, so a misaligned m128 is #GP,
 * SDM Vol. 2, Table 2-21 exception type 4). The horizontal ones (PHADD/PHSUB) pair adjacent
 * elements of the destination for the low half of the result and of the source for the high
 * half; they are written once as a {@link SseInteger.Lane} over two quadwords. The vertical ones
 * are lane functions as in {@link SseInteger}; PSHUFB and PALIGNR move bytes across lanes.
 */
final class Sse3 {
    private Sse3() {}

    private static final long M32 = 0xffffffffL;

    static void register(OpcodeTable t) {
        // SSE3
        t.add(MAP_0F, 0xd0, PFX_66, "addsubpd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { addsubpd(c, i); } });
        t.add(MAP_0F, 0xd0, PFX_F2, "addsubps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { addsubps(c, i); } });
        t.add(MAP_0F, 0x7c, PFX_66, "haddpd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { horizontalPd(c, i, SseFloat::add64); } });
        t.add(MAP_0F, 0x7c, PFX_F2, "haddps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { horizontalPs(c, i, SseFloat::add32); } });
        t.add(MAP_0F, 0x7d, PFX_66, "hsubpd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { horizontalPd(c, i, SseFloat::sub64); } });
        t.add(MAP_0F, 0x7d, PFX_F2, "hsubps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { horizontalPs(c, i, SseFloat::sub32); } });
        t.add(MAP_0F, 0x12, PFX_F2, "movddup", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { movddup(c, i); } });
        t.add(MAP_0F, 0x12, PFX_F3, "movsldup", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { movsldup(c, i); } });
        t.add(MAP_0F, 0x16, PFX_F3, "movshdup", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { movshdup(c, i); } });
        t.add(MAP_0F, 0xf0, PFX_F2, "lddqu", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { lddqu(c, i); } });

        // SSSE3
        t.add(MAP_0F38, 0x00, PFX_NONE, "pshufb", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { pshufbMmx(c, i); } });
        t.add(MAP_0F38, 0x00, PFX_66, "pshufb", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { pshufbXmm(c, i); } });
        horizontal(t, 0x01, "phaddw", (x, y) -> pairs(x, y, 16, (p, q) -> p + q));
        horizontal(t, 0x02, "phaddd", (x, y) -> pairs(x, y, 32, (p, q) -> p + q));
        horizontal(t, 0x03, "phaddsw", (x, y) -> pairs(x, y, 16, (p, q) -> SseInteger.satS(p + q, 16)));
        horizontal(t, 0x05, "phsubw", (x, y) -> pairs(x, y, 16, (p, q) -> p - q));
        horizontal(t, 0x06, "phsubd", (x, y) -> pairs(x, y, 32, (p, q) -> p - q));
        horizontal(t, 0x07, "phsubsw", (x, y) -> pairs(x, y, 16, (p, q) -> SseInteger.satS(p - q, 16)));
        vertical(t, 0x04, "pmaddubsw", Sse3::pmaddubsw);
        vertical(t, 0x0b, "pmulhrsw", Sse3::pmulhrsw);
        vertical(t, 0x08, "psignb", (a, b) -> psign(a, b, 8));
        vertical(t, 0x09, "psignw", (a, b) -> psign(a, b, 16));
        vertical(t, 0x0a, "psignd", (a, b) -> psign(a, b, 32));
        vertical(t, 0x1c, "pabsb", (a, b) -> pabs(b, 8));
        vertical(t, 0x1d, "pabsw", (a, b) -> pabs(b, 16));
        vertical(t, 0x1e, "pabsd", (a, b) -> pabs(b, 32));
        t.add(MAP_0F3A, 0x0f, PFX_NONE, "palignr", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { palignrMmx(c, i); } });
        t.add(MAP_0F3A, 0x0f, PFX_66, "palignr", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { palignrXmm(c, i); } });
    }

    // ================================================================ SSE3 floating point

    /**
     * ADDSUBPD xmm1, xmm2/m128 (SDM Vol. 2A, ADDSUBPD): xmm1[63:0] = xmm1[63:0] - src[63:0],
     * xmm1[127:64] = xmm1[127:64] + src[127:64].
     */
    static void addsubpd(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        int saved = SseFloat.begin(c);
        long r0 = SseFloat.sub64(c, c.xmm[d], bl);
        long r1 = SseFloat.add64(c, c.xmm[d + 1], bh);
        SseFloat.end(c, saved);
        c.xmm[d] = r0;
        c.xmm[d + 1] = r1;
    }

    /**
     * ADDSUBPS xmm1, xmm2/m128 (SDM Vol. 2A, ADDSUBPS): the even binary32 elements subtract, the
     * odd ones add.
     */
    static void addsubps(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        long al = c.xmm[d];
        long ah = c.xmm[d + 1];
        int saved = SseFloat.begin(c);
        long r0 = SseFloat.sub32(c, al & M32, bl & M32);
        long r1 = SseFloat.add32(c, al >>> 32, bl >>> 32);
        long r2 = SseFloat.sub32(c, ah & M32, bh & M32);
        long r3 = SseFloat.add32(c, ah >>> 32, bh >>> 32);
        SseFloat.end(c, saved);
        c.xmm[d] = (r0 & M32) | (r1 << 32);
        c.xmm[d + 1] = (r2 & M32) | (r3 << 32);
    }

    /**
     * HADDPD / HSUBPD xmm1, xmm2/m128 (SDM Vol. 2A, HADDPD; HSUBPD): xmm1[63:0] = xmm1[63:0] op
     * xmm1[127:64], xmm1[127:64] = src[63:0] op src[127:64]. The lower element is the first
     * operand (the one a NaN result is taken from when both are NaNs).
     */
    static void horizontalPd(Cpu c, Insn i, SseFloat.Elem f) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        int saved = SseFloat.begin(c);
        long r0 = f.apply(c, c.xmm[d], c.xmm[d + 1]);
        long r1 = f.apply(c, bl, bh);
        SseFloat.end(c, saved);
        c.xmm[d] = r0;
        c.xmm[d + 1] = r1;
    }

    /**
     * HADDPS / HSUBPS xmm1, xmm2/m128 (SDM Vol. 2A, HADDPS; HSUBPS): the result's elements are
     * xmm1[0] op xmm1[1], xmm1[2] op xmm1[3], src[0] op src[1], src[2] op src[3].
     */
    static void horizontalPs(Cpu c, Insn i, SseFloat.Elem f) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        long al = c.xmm[d];
        long ah = c.xmm[d + 1];
        int saved = SseFloat.begin(c);
        long r0 = f.apply(c, al & M32, al >>> 32);
        long r1 = f.apply(c, ah & M32, ah >>> 32);
        long r2 = f.apply(c, bl & M32, bl >>> 32);
        long r3 = f.apply(c, bh & M32, bh >>> 32);
        SseFloat.end(c, saved);
        c.xmm[d] = (r0 & M32) | (r1 << 32);
        c.xmm[d + 1] = (r2 & M32) | (r3 << 32);
    }

    // ================================================================ SSE3 moves

    /** MOVDDUP xmm1, xmm2/m64 (SDM Vol. 2B, MOVDDUP): the low quadword in both halves; m64 unaligned. */
    static void movddup(Cpu c, Insn i) {
        long v = Sse.src64(c, i);
        int d = 2 * i.reg;
        c.xmm[d] = v;
        c.xmm[d + 1] = v;
    }

    /** MOVSLDUP xmm1, xmm2/m128 (SDM Vol. 2B, MOVSLDUP): the even dwords duplicated. */
    static void movsldup(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        c.xmm[d] = (lo & M32) | (lo << 32);
        c.xmm[d + 1] = (hi & M32) | (hi << 32);
    }

    /** MOVSHDUP xmm1, xmm2/m128 (SDM Vol. 2B, MOVSHDUP): the odd dwords duplicated. */
    static void movshdup(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        c.xmm[d] = (lo >>> 32) | (lo & ~M32);
        c.xmm[d + 1] = (hi >>> 32) | (hi & ~M32);
    }

    /** LDDQU xmm1, m128 (SDM Vol. 2A, LDDQU): an unaligned 128-bit load (register form #UD). */
    static void lddqu(Cpu c, Insn i) {
        long a = c.ea(i);
        long lo = c.mmu.read64(a);
        long hi = c.mmu.read64(a + 8);
        int d = 2 * i.reg;
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }

    // ================================================================ SSSE3 operand forms

    /** Registers the MMX and XMM forms of a lane-wise SSSE3 instruction (0F 38 op). */
    private static void vertical(OpcodeTable t, int op, String name, SseInteger.Lane f) {
        t.add(MAP_0F38, op, PFX_NONE, name, MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { SseInteger.mmx(c, i, f); } });
        t.add(MAP_0F38, op, PFX_66, name, MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { SseInteger.packed(c, i, f); } });
    }

    /**
     * Registers the MMX and XMM forms of a horizontal SSSE3 instruction, whose lane function
     * {@code f(x, y)} gives the pairwise results of quadword x then of quadword y.
     */
    private static void horizontal(OpcodeTable t, int op, String name, SseInteger.Lane f) {
        t.add(MAP_0F38, op, PFX_NONE, name, MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { SseInteger.mmx(c, i, f); } });
        t.add(MAP_0F38, op, PFX_66, name, MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { horizontalXmm(c, i, f); } });
    }

    /** PHADDx / PHSUBx xmm1, xmm2/m128: low quadword from xmm1's pairs, high from the source's. */
    static void horizontalXmm(Cpu c, Insn i, SseInteger.Lane f) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        c.xmm[d] = f.apply(c.xmm[d], c.xmm[d + 1]);
        c.xmm[d + 1] = f.apply(bl, bh);
    }

    // ================================================================ SSSE3 lane functions

    /**
     * PHADDW/PHADDD/PHADDSW/PHSUBW/PHSUBD/PHSUBSW (SDM Vol. 2B): {@code f(e[2k], e[2k+1])} for
     * each pair of signed {@code bits}-wide elements of x, then of y, packed into 64 bits.
     */
    static long pairs(long x, long y, int bits, SseInteger.Elem f) {
        return pairsOf(x, bits, f) | (pairsOf(y, bits, f) << 32);
    }

    /** The pairwise results of one quadword: 32 bits. */
    private static long pairsOf(long q, int bits, SseInteger.Elem f) {
        long m = bits == 32 ? M32 : (1L << bits) - 1;
        int sh = 32 - bits;
        long r = 0;
        for (int k = 0, o = 0; k < 64; k += 2 * bits, o += bits) {
            int p = (int) (q >>> k) << sh >> sh;
            int s = (int) (q >>> (k + bits)) << sh >> sh;
            r |= (f.apply(p, s) & m) << o;
        }
        return r;
    }

    /**
     * PMADDUBSW (SDM Vol. 2B): each signed word is the saturated sum of two products of an
     * unsigned byte of the destination and the signed byte of the source beside it.
     */
    static long pmaddubsw(long a, long b) {
        long r = 0;
        for (int k = 0; k < 64; k += 16) {
            int p = (int) ((a >>> k) & 0xff) * (byte) (b >>> k);
            int q = (int) ((a >>> (k + 8)) & 0xff) * (byte) (b >>> (k + 8));
            r |= (SseInteger.satS(p + q, 16) & 0xffffL) << k;
        }
        return r;
    }

    /**
     * PMULHRSW (SDM Vol. 2B): per signed word, bits 16:1 of the product scaled by 2^-14 and
     * rounded ({@code ((a * b >> 14) + 1) >> 1}); 0x8000 * 0x8000 gives 0x8000.
     */
    static long pmulhrsw(long a, long b) {
        return SseInteger.lanes(a, b, 16, (x, y) -> ((x * y >> 14) + 1) >> 1);
    }

    /** PSIGNB/W/D (SDM Vol. 2B): a negated where b is negative, zero where b is zero, else a. */
    static long psign(long a, long b, int bits) {
        return SseInteger.lanes(a, b, bits, (x, y) -> y < 0 ? -x : y == 0 ? 0 : x);
    }

    /** PABSB/W/D (SDM Vol. 2B): the unsigned absolute value of each signed element (-2^(n-1) stays). */
    static long pabs(long b, int bits) {
        return SseInteger.lanes(b, 0, bits, (x, y) -> Math.abs(x));
    }

    // ================================================================ PSHUFB

    /**
     * The bytes of the 16-byte table lo:hi picked by the control bytes of {@code mask}: zero where
     * a control byte has bit 7 set, else table byte (control &amp; 15).
     */
    static long shuffleBytes(long lo, long hi, long mask) {
        long r = 0;
        for (int k = 0; k < 64; k += 8) {
            int s = (int) (mask >>> k) & 0xff;
            if (s < 0x80) {
                long table = (s & 8) == 0 ? lo : hi;
                r |= ((table >>> (8 * (s & 7))) & 0xff) << k;
            }
        }
        return r;
    }

    /** PSHUFB xmm1, xmm2/m128 (SDM Vol. 2B, PSHUFB). */
    static void pshufbXmm(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long ml = Sse.srcLo(c, i, addr);
        long mh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        long lo = c.xmm[d];
        long hi = c.xmm[d + 1];
        c.xmm[d] = shuffleBytes(lo, hi, ml);
        c.xmm[d + 1] = shuffleBytes(lo, hi, mh);
    }

    /** PSHUFB mm1, mm2/m64 (SDM Vol. 2B, PSHUFB): control bits 2:0 index the 8 bytes of mm1. */
    static void pshufbMmx(Cpu c, Insn i) {
        long mask = Sse.mmSrc(c, i);
        long a = Sse.mm(c, i.reg);
        Sse.setMm(c, i.reg, shuffleBytes(a, a, mask));
    }

    // ================================================================ PALIGNR

    /** Quadword k (from the low end) of the value q3:q2:q1:q0; zero past q3. */
    private static long quad(long q0, long q1, long q2, long q3, int k) {
        return switch (k) {
            case 0 -> q0;
            case 1 -> q1;
            case 2 -> q2;
            case 3 -> q3;
            default -> 0;
        };
    }

    /** The 8 bytes starting at byte n of the 32-byte value q3:q2:q1:q0 (zeros shifted in). */
    static long window(long q0, long q1, long q2, long q3, int n) {
        int k = n >>> 3;
        int s = 8 * (n & 7);
        long low = quad(q0, q1, q2, q3, k);
        if (s == 0) {
            return low;
        }
        return (low >>> s) | (quad(q0, q1, q2, q3, k + 1) << (64 - s));
    }

    /**
     * PALIGNR xmm1, xmm2/m128, imm8 (SDM Vol. 2B, PALIGNR): the 32-byte xmm1:src shifted right by
     * imm8 bytes, low 16 bytes kept (imm8 over 31 gives zero).
     */
    static void palignrXmm(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        long al = c.xmm[d];
        long ah = c.xmm[d + 1];
        int n = (int) i.imm & 0xff;
        c.xmm[d] = window(bl, bh, al, ah, n);
        c.xmm[d + 1] = window(bl, bh, al, ah, n + 8);
    }

    /** PALIGNR mm1, mm2/m64, imm8: the 16-byte mm1:src shifted right by imm8 bytes, low 8 kept. */
    static void palignrMmx(Cpu c, Insn i) {
        long b = Sse.mmSrc(c, i);
        long a = Sse.mm(c, i.reg);
        Sse.setMm(c, i.reg, window(b, a, 0, 0, (int) i.imm & 0xff));
    }
}
