package dev.linux4j.cpu;

/**
 * Instruction family: SSE, SSE2 and MMX (SDM Vol. 1, chapters 9-11). The forms are registered
 * by sub-family: {@link SseMove}, {@link SseFloat}, {@link SseConvert}, {@link SseInteger},
 * {@link SseShuffle}, {@link Mmx} and {@link SseState}. This class holds the operand helpers
 * they share.
 *
 * <p>XMMn is {@code cpu.xmm[2n]} (low quadword) and {@code cpu.xmm[2n + 1]} (high). MMn aliases
 * the significand of x87 physical register n (SDM Vol. 1, 9.5).
 */
final class Sse {
    private Sse() {}

    static void register(OpcodeTable t) {
        SseMove.register(t);
        SseFloat.register(t);
        SseConvert.register(t);
        SseInteger.register(t);
        SseShuffle.register(t);
        Mmx.register(t);
        SseState.register(t);
        Sse3.register(t);
        Sse41.register(t);
        Sse42.register(t);
    }

    // ---------------------------------------------------------------- memory operands

    /**
     * The address of a 16-byte memory operand that must be aligned: a legacy SSE instruction
     * with a misaligned m128 raises #GP (SDM Vol. 1, 11.6.7; MOVUPS/MOVDQU are the exceptions).
     */
    static long aligned16(Cpu c, Insn i) {
        long a = c.ea(i);
        if ((a & 15) != 0) {
            throw CpuTrap.GENERAL_PROTECTION;
        }
        return a;
    }

    /** Low quadword of the xmm/m128 source (aligned memory). */
    static long srcLo(Cpu c, Insn i, long addr) {
        return i.rm >= 0 ? c.xmm[2 * i.rm] : c.mmu.read64(addr);
    }

    /** High quadword of the xmm/m128 source. */
    static long srcHi(Cpu c, Insn i, long addr) {
        return i.rm >= 0 ? c.xmm[2 * i.rm + 1] : c.mmu.read64(addr + 8);
    }

    /** The address of an aligned m128 source, or 0 for a register source. */
    static long srcAddr(Cpu c, Insn i) {
        return i.rm >= 0 ? 0 : aligned16(c, i);
    }

    /** The address of an unaligned m128 source, or 0 for a register source. */
    static long srcAddrU(Cpu c, Insn i) {
        return i.rm >= 0 ? 0 : c.ea(i);
    }

    /** The low 64 bits of an xmm/m64 source. */
    static long src64(Cpu c, Insn i) {
        return i.rm >= 0 ? c.xmm[2 * i.rm] : c.mmu.read64(c.ea(i));
    }

    /** The low 32 bits of an xmm/m32 source (zero-extended). */
    static long src32(Cpu c, Insn i) {
        return i.rm >= 0 ? c.xmm[2 * i.rm] & 0xffffffffL : c.mmu.read32(c.ea(i)) & 0xffffffffL;
    }

    /** Stores 16 bytes, checking the whole range is writable first (precise faults). */
    static void store128(Cpu c, long addr, long lo, long hi) {
        if ((addr & 0xfff) > 0xff0) {
            c.mmu.probeWrite(addr, 16);
        }
        c.mmu.write64(addr, lo);
        c.mmu.write64(addr + 8, hi);
    }

    // ---------------------------------------------------------------- MMX registers

    /**
     * Every MMX instruction but EMMS puts the x87 unit in MMX state: TOP = 0 and all tags valid
     * (SDM Vol. 1, 9.5.1).
     */
    static void mmxEnter(Cpu c) {
        c.x87.top = 0;
        c.x87.tag = 0;
    }

    /** Reads MMn (n 0-7; REX bits do not extend MMX register numbers). */
    static long mm(Cpu c, int n) {
        return c.x87.mantissa[n & 7];
    }

    /** Writes MMn: the significand of physical register n, exponent and sign all ones. */
    static void setMm(Cpu c, int n, long v) {
        X87 x = c.x87;
        x.mantissa[n & 7] = v;
        x.signExp[n & 7] = 0xffff;
        x.top = 0;
        x.tag = 0;
    }

    /** The mm/m64 source of an MMX instruction (and the MMX-state transition). */
    static long mmSrc(Cpu c, Insn i) {
        long v = i.rm >= 0 ? mm(c, i.rm) : c.mmu.read64(c.ea(i));
        mmxEnter(c);
        return v;
    }
}
