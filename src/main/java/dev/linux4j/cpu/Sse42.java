package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * Instruction family: SSE4.2 and POPCNT (SDM Vol. 1, 12.11-12.12): the packed string compares
 * PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM; CRC32; PCMPGTQ; POPCNT.
 *
 * <p>The string compares follow SDM Vol. 2, 4.1 ("Imm8 Control Byte Operation for PCMPESTRI /
 * PCMPESTRM / PCMPISTRI / PCMPISTRM"). xmm1 (ModRM.reg) is the set, the ranges or the needle;
 * xmm2/m128 (ModRM.r/m) is the string. imm8[1:0] is the source format (unsigned bytes, unsigned
 * words, signed bytes, signed words), imm8[3:2] the aggregation (equal any, ranges, equal each,
 * equal ordered), imm8[5:4] the polarity and imm8[6] the output selection; imm8[7] is ignored.
 * Their m128 operand need not be aligned (SDM Vol. 2B, PCMPESTRI, "Other Exceptions": no #GP
 * for a misaligned operand, unlike other legacy SSE m128 operands). IntRes1 and IntRes2 are ints of 16 (bytes) or 8 (words) bits here.
 *
 * <p>TZCNT and LZCNT (F3 0F BC/BD) are not registered here: CPUID advertises neither BMI1 nor
 * ABM, so those encodings run as BSF and BSR, as on a CPU without them (see {@link BitOps}).
 */
final class Sse42 {
    private Sse42() {}

    static void register(OpcodeTable t) {
        t.add(MAP_0F3A, 0x60, PFX_66, "pcmpestrm", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pcmpestrm(c, i); } });
        t.add(MAP_0F3A, 0x61, PFX_66, "pcmpestri", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pcmpestri(c, i); } });
        t.add(MAP_0F3A, 0x62, PFX_66, "pcmpistrm", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pcmpistrm(c, i); } });
        t.add(MAP_0F3A, 0x63, PFX_66, "pcmpistri", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pcmpistri(c, i); } });
        t.add(MAP_0F38, 0x37, PFX_66, "pcmpgtq", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { pcmpgtq(c, i); } });
        t.add(MAP_0F38, 0xf0, PFX_F2, "crc32", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { crc32GyEb(c, i); } });
        t.add(MAP_0F38, 0xf1, PFX_F2, "crc32", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { crc32GyEv(c, i); } });
        t.add(MAP_0F, 0xb8, PFX_F3, "popcnt", MODRM, new Exec() { public void exec(Cpu c, Insn i) { popcnt(c, i); } });
    }

    // ---------------------------------------------------------------- packed string compares

    private static final int FMT_WORDS = 1;
    private static final long L7 = 0x7f7f7f7f7f7f7f7fL;
    private static final long L15 = 0x7fff7fff7fff7fffL;
    private static final long H8 = 0x8080808080808080L;
    private static final long H16 = 0x8000800080008000L;

    /**
     * PCMPESTRI xmm1, xmm2/m128, imm8 (66 0F 3A 61; REX.W: lengths in RAX, RDX): explicit
     * lengths, index into ECX.
     */
    static void pcmpestri(Cpu c, Insn i) {
        compareStrings(c, i, true, false);
    }

    /**
     * PCMPESTRM xmm1, xmm2/m128, imm8 (66 0F 3A 60; REX.W: lengths in RAX, RDX): explicit
     * lengths, mask into XMM0.
     */
    static void pcmpestrm(Cpu c, Insn i) {
        compareStrings(c, i, true, true);
    }

    /** PCMPISTRI xmm1, xmm2/m128, imm8 (66 0F 3A 63): implicit (NUL-terminated) lengths, index into ECX. */
    static void pcmpistri(Cpu c, Insn i) {
        compareStrings(c, i, false, false);
    }

    /** PCMPISTRM xmm1, xmm2/m128, imm8 (66 0F 3A 62): implicit (NUL-terminated) lengths, mask into XMM0. */
    static void pcmpistrm(Cpu c, Insn i) {
        compareStrings(c, i, false, true);
    }

    /**
     * The four packed string compares (SDM Vol. 2, 4.1): xmm1 against xmm2/m128 (never checked
     * for alignment), with explicit lengths (EAX/EDX, RAX/RDX with REX.W) or implicit ones (the
     * first NUL element); IntRes2 gives the index into ECX or the mask into XMM0, and the flags.
     */
    private static void compareStrings(Cpu c, Insn i, boolean explicit, boolean toMask) {
        int imm = (int) i.imm;
        long addr = Sse.srcAddrU(c, i);
        long bLo = Sse.srcLo(c, i, addr);
        long bHi = Sse.srcHi(c, i, addr);
        long aLo = c.xmm[2 * i.reg];
        long aHi = c.xmm[2 * i.reg + 1];
        int n = elements(imm);
        int la;
        int lb;
        if (explicit) {
            boolean wide = i.hasPrefix(Insn.P_REX_W);
            la = explicitLength(c.r[Cpu.RAX], wide, n);
            lb = explicitLength(c.r[Cpu.RDX], wide, n);
        } else {
            la = implicitLength(aLo, aHi, imm);
            lb = implicitLength(bLo, bHi, imm);
        }
        int res = intRes2(aLo, aHi, la, bLo, bHi, lb, imm);
        if (toMask) {
            writeMask(c, res, imm);
        } else {
            c.setReg(Cpu.RCX, 4, index(res, imm));
        }
        setFlags(c, res, la, lb, n);
    }

    /** The element count: 16 bytes or 8 words (imm8[0]). */
    static int elements(int imm) {
        return (imm & FMT_WORDS) != 0 ? 8 : 16;
    }

    /**
     * An explicit length (SDM Vol. 2, 4.1.1; PCMPESTRI): EAX/EDX as a signed 32-bit value,
     * RAX/RDX with REX.W; its absolute value, saturated to the element count.
     */
    static int explicitLength(long reg, boolean wide, int n) {
        long v = wide ? reg : (int) reg;
        return v >= n || v <= -n ? n : (int) Math.abs(v);
    }

    /** An implicit length (SDM Vol. 2, 4.1.1): the index of the first zero element, or the element count. */
    static int implicitLength(long lo, long hi, int imm) {
        int zeros = zeroElements(lo, hi, imm);
        return zeros == 0 ? elements(imm) : Integer.numberOfTrailingZeros(zeros);
    }

    /**
     * IntRes2 (SDM Vol. 2, 4.1.3 and 4.1.4): the aggregation of the comparisons of xmm1's
     * {@code la} valid elements with xmm2/m128's {@code lb}, with the overrides for invalid
     * elements (4.1.6, "Valid/Invalid Override of Comparisons"), then the polarity.
     */
    static int intRes2(long aLo, long aHi, int la, long bLo, long bHi, int lb, int imm) {
        int n = elements(imm);
        int all = (1 << n) - 1;
        int validB = (1 << lb) - 1;
        int res1 = switch ((imm >> 2) & 3) {
            case 0 -> equalAny(aLo, aHi, la, bLo, bHi, imm) & validB;
            case 1 -> ranges(aLo, aHi, la, bLo, bHi, lb, imm);
            case 2 -> {
                // Equal each: both valid compare, both invalid force true, else force false.
                int equal = zeroElements(aLo ^ bLo, aHi ^ bHi, imm);
                int validA = (1 << la) - 1;
                yield (equal & validA & validB) | (all & ~validA & ~validB);
            }
            default -> equalOrdered(aLo, aHi, la, bLo, bHi, lb, imm);
        };
        return switch ((imm >> 4) & 3) {
            case 1 -> ~res1 & all;        // negative
            case 3 -> res1 ^ validB;      // masked negative: only xmm2/m128's valid elements
            default -> res1;              // positive, masked positive
        };
    }

    /** Equal any: bit j when string element j equals some valid element of the set. */
    private static int equalAny(long aLo, long aHi, int la, long bLo, long bHi, int imm) {
        int res = 0;
        for (int k = 0; k < la; k++) {
            res |= equalTo(bLo, bHi, element(aLo, aHi, k, imm & FMT_WORDS), imm);
        }
        return res;
    }

    /**
     * Ranges: bit j when valid string element j lies in some pair (xmm1[2k] &lt;= x &lt;= xmm1[2k + 1])
     * whose two bounds are valid, compared as the source format's signed or unsigned integers.
     */
    private static int ranges(long aLo, long aHi, int la, long bLo, long bHi, int lb, int imm) {
        int res = 0;
        for (int k = 0; k + 1 < la; k += 2) {
            int low = element(aLo, aHi, k, imm);
            int high = element(aLo, aHi, k + 1, imm);
            for (int j = 0; j < lb; j++) {
                int x = element(bLo, bHi, j, imm);
                if (low <= x && x <= high) {
                    res |= 1 << j;
                }
            }
        }
        return res;
    }

    /**
     * Equal ordered: bit j when the needle (xmm1's valid elements) occurs in the string at j,
     * where needle elements past the end of the 16 bytes match anything (they are not compared),
     * an invalid needle element matches anything and a valid one never matches past the string's end.
     */
    private static int equalOrdered(long aLo, long aHi, int la, long bLo, long bHi, int lb, int imm) {
        int n = elements(imm);
        int res = (1 << n) - 1;
        int validB = (1 << lb) - 1;
        for (int k = 0; k < la; k++) {
            int at = equalTo(bLo, bHi, element(aLo, aHi, k, imm & FMT_WORDS), imm) & validB;
            // Start j needs string element j + k to match; starts j >= n - k do not test element k.
            int untested = ((1 << n) - 1) & ~((1 << (n - k)) - 1);
            res &= (at >>> k) | untested;
        }
        return res;
    }

    /** Element {@code k} of an operand: unsigned when {@code fmt} has no sign bit, else sign-extended. */
    static int element(long lo, long hi, int k, int fmt) {
        int bits = (fmt & FMT_WORDS) != 0 ? 16 : 8;
        int at = k * bits;
        long v = (at < 64 ? lo : hi) >>> (at & 63);
        return switch (fmt & 3) {
            case 0 -> (int) v & 0xff;
            case 1 -> (int) v & 0xffff;
            case 2 -> (byte) v;
            default -> (short) v;
        };
    }

    /** The mask of the elements of (lo, hi) equal to {@code value}'s element bits. */
    private static int equalTo(long lo, long hi, int value, int imm) {
        long spread = (imm & FMT_WORDS) != 0 ? (value & 0xffffL) * 0x0001000100010001L
                : (value & 0xffL) * 0x0101010101010101L;
        return zeroElements(lo ^ spread, hi ^ spread, imm);
    }

    /** The mask of the zero elements of (lo, hi). */
    static int zeroElements(long lo, long hi, int imm) {
        if ((imm & FMT_WORDS) != 0) {
            return (int) Long.compress(~(((lo & L15) + L15) | lo | L15), H16)
                    | (int) Long.compress(~(((hi & L15) + L15) | hi | L15), H16) << 4;
        }
        return (int) Long.compress(~(((lo & L7) + L7) | lo | L7), H8)
                | (int) Long.compress(~(((hi & L7) + L7) | hi | L7), H8) << 8;
    }

    /** PCMPxSTRI's index (SDM Vol. 2, 4.1.5): least (imm8[6] = 0) or most significant set bit, or the count if none. */
    static int index(int res, int imm) {
        if (res == 0) {
            return elements(imm);
        }
        return (imm & 0x40) == 0 ? Integer.numberOfTrailingZeros(res) : 31 - Integer.numberOfLeadingZeros(res);
    }

    /** PCMPxSTRM's XMM0 (SDM Vol. 2, 4.1.5): IntRes2 zero-extended (imm8[6] = 0), or expanded to a byte/word mask. */
    private static void writeMask(Cpu c, int res, int imm) {
        if ((imm & 0x40) == 0) {
            c.xmm[0] = res & 0xffffL;
            c.xmm[1] = 0;
        } else if ((imm & FMT_WORDS) != 0) {
            c.xmm[0] = Long.expand(res, 0x0001000100010001L) * 0xffff;
            c.xmm[1] = Long.expand(res >>> 4, 0x0001000100010001L) * 0xffff;
        } else {
            c.xmm[0] = Long.expand(res, 0x0101010101010101L) * 0xff;
            c.xmm[1] = Long.expand(res >>> 8, 0x0101010101010101L) * 0xff;
        }
    }

    /**
     * The flags of the four string compares (SDM Vol. 2B, PCMPESTRI, "Flags Affected"): CF when
     * IntRes2 is not zero, ZF when xmm2/m128 is shorter than the element count (holds a NUL, for
     * the implicit forms), SF likewise for xmm1, OF from IntRes2[0]; AF and PF cleared.
     */
    private static void setFlags(Cpu c, int res, int la, int lb, int n) {
        c.setStatusFlags((res != 0 ? Cpu.CF : 0) | (lb < n ? Cpu.ZF : 0) | (la < n ? Cpu.SF : 0)
                | ((res & 1) != 0 ? Cpu.OF : 0));
    }

    // ---------------------------------------------------------------- PCMPGTQ

    /** PCMPGTQ xmm1, xmm2/m128 (66 0F 38 37): signed quadword greater-than, m128 aligned. */
    static void pcmpgtq(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        c.xmm[d] = c.xmm[d] > lo ? -1L : 0;
        c.xmm[d + 1] = c.xmm[d + 1] > hi ? -1L : 0;
    }

    // ---------------------------------------------------------------- CRC32

    /** The bit-reflected CRC32C (Castagnoli) polynomial 11EDC6F41H (SDM Vol. 2A, CRC32). */
    private static final int POLY_REFLECTED = 0x82f63b78;
    private static final int[] TABLE = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            int crc = b;
            for (int k = 0; k < 8; k++) {
                crc = (crc >>> 1) ^ (POLY_REFLECTED & -(crc & 1));
            }
            TABLE[b] = crc;
        }
    }

    /** CRC32 r32, r/m8 (F2 0F 38 F0) and CRC32 r64, r/m8 (F2 REX.W 0F 38 F0). */
    static void crc32GyEb(Cpu c, Insn i) {
        long src = c.readE(i, 1);
        c.setReg(i.reg, 8, crc32c((int) c.r[i.reg], src, 1) & 0xffffffffL);
    }

    /**
     * CRC32 r32, r/m16 (66 F2 0F 38 F1), CRC32 r32, r/m32 (F2 0F 38 F1) and CRC32 r64, r/m64
     * (F2 REX.W 0F 38 F1): the destination's low 32 bits are the running CRC, the result is
     * zero-extended to 64 bits.
     */
    static void crc32GyEv(Cpu c, Insn i) {
        int size = i.opsize;
        long src = c.readE(i, size);
        c.setReg(i.reg, 8, crc32c((int) c.r[i.reg], src, size) & 0xffffffffL);
    }

    /**
     * Accumulates the low {@code bytes} bytes of {@code data} (least significant first) into
     * {@code crc}: the SDM's bit-reflected polynomial division, without initial or final
     * inversion.
     */
    static int crc32c(int crc, long data, int bytes) {
        for (int k = 0; k < bytes; k++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ (int) (data >>> (8 * k))) & 0xff];
        }
        return crc;
    }

    // ---------------------------------------------------------------- POPCNT

    /** POPCNT r16/32/64, r/m16/32/64 (F3 0F B8): ZF when the source is zero, the other status flags cleared. */
    static void popcnt(Cpu c, Insn i) {
        int size = i.opsize;
        long src = c.readE(i, size);
        c.setReg(i.reg, size, Long.bitCount(src));
        c.setStatusFlags(src == 0 ? Cpu.ZF : 0);
    }
}
