package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;
import static dev.linux4j.cpu.SoftFloat.*;

/**
 * Instruction family: SSE4.1 (SDM Vol. 1, 12.10), every form 66-prefixed in the 0F 38 and 0F 3A
 * maps: dword multiplies (PMULLD, PMULDQ), dot products (DPPS, DPPD), the streaming load
 * MOVNTDQA, blends by immediate (BLENDPS, BLENDPD, PBLENDW) and by the implicit XMM0 mask
 * (BLENDVPS, BLENDVPD, PBLENDVB), byte/word/dword minimum and maximum, ROUNDPS/PD/SS/SD,
 * element insertion and extraction (INSERTPS, EXTRACTPS, PINSRB/D/Q, PEXTRB/W/D/Q), sign and
 * zero extension (PMOVSX, PMOVZX), PTEST, PCMPEQQ, PACKUSDW, PHMINPOSUW and MPSADBW.
 *
 * <p>A 128-bit memory operand must be 16-byte aligned (#GP otherwise), as for every legacy SSE
 * instruction; the narrower memory operands (PMOVSX/ZX m16/m32/m64, ROUNDSS m32, ROUNDSD m64,
 * INSERTPS m32, the PINSR and PEXTR forms) have no alignment requirement.
 */
final class Sse41 {
    private Sse41() {}

    static final long M32 = 0xffffffffL;

    static void register(OpcodeTable t) {
        // 0F 38: two-operand forms.
        t.add(MAP_0F38, 0x10, PFX_66, "pblendvb", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { pblendvb(c, i); } });
        t.add(MAP_0F38, 0x14, PFX_66, "blendvps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { blendvps(c, i); } });
        t.add(MAP_0F38, 0x15, PFX_66, "blendvpd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { blendvpd(c, i); } });
        t.add(MAP_0F38, 0x17, PFX_66, "ptest", MODRM, new Exec() { public void exec(Cpu c, Insn i) { ptest(c, i); } });
        pmovx(t, 0x20, "pmovsxbw", 8, 16, true);
        pmovx(t, 0x21, "pmovsxbd", 8, 32, true);
        pmovx(t, 0x22, "pmovsxbq", 8, 64, true);
        pmovx(t, 0x23, "pmovsxwd", 16, 32, true);
        pmovx(t, 0x24, "pmovsxwq", 16, 64, true);
        pmovx(t, 0x25, "pmovsxdq", 32, 64, true);
        pmovx(t, 0x30, "pmovzxbw", 8, 16, false);
        pmovx(t, 0x31, "pmovzxbd", 8, 32, false);
        pmovx(t, 0x32, "pmovzxbq", 8, 64, false);
        pmovx(t, 0x33, "pmovzxwd", 16, 32, false);
        pmovx(t, 0x34, "pmovzxwq", 16, 64, false);
        pmovx(t, 0x35, "pmovzxdq", 32, 64, false);
        lanes(t, 0x28, "pmuldq", Sse41::pmuldq);
        lanes(t, 0x29, "pcmpeqq", Sse41::pcmpeqq);
        t.add(MAP_0F38, 0x2a, PFX_66, "movntdqa", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { movntdqa(c, i); } });
        t.add(MAP_0F38, 0x2b, PFX_66, "packusdw", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { packusdw(c, i); } });
        lanes(t, 0x38, "pminsb", Sse41::pminsb);
        lanes(t, 0x39, "pminsd", Sse41::pminsd);
        lanes(t, 0x3a, "pminuw", Sse41::pminuw);
        lanes(t, 0x3b, "pminud", Sse41::pminud);
        lanes(t, 0x3c, "pmaxsb", Sse41::pmaxsb);
        lanes(t, 0x3d, "pmaxsd", Sse41::pmaxsd);
        lanes(t, 0x3e, "pmaxuw", Sse41::pmaxuw);
        lanes(t, 0x3f, "pmaxud", Sse41::pmaxud);
        lanes(t, 0x40, "pmulld", Sse41::pmulld);
        t.add(MAP_0F38, 0x41, PFX_66, "phminposuw", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { phminposuw(c, i); } });

        // 0F 3A: forms with an imm8.
        t.add(MAP_0F3A, 0x08, PFX_66, "roundps", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { roundps(c, i); } });
        t.add(MAP_0F3A, 0x09, PFX_66, "roundpd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { roundpd(c, i); } });
        t.add(MAP_0F3A, 0x0a, PFX_66, "roundss", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { roundss(c, i); } });
        t.add(MAP_0F3A, 0x0b, PFX_66, "roundsd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { roundsd(c, i); } });
        t.add(MAP_0F3A, 0x0c, PFX_66, "blendps", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { blendps(c, i); } });
        t.add(MAP_0F3A, 0x0d, PFX_66, "blendpd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { blendpd(c, i); } });
        t.add(MAP_0F3A, 0x0e, PFX_66, "pblendw", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pblendw(c, i); } });
        t.add(MAP_0F3A, 0x14, PFX_66, "pextrb", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pextrb(c, i); } });
        t.add(MAP_0F3A, 0x15, PFX_66, "pextrw", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pextrw(c, i); } });
        t.add(MAP_0F3A, 0x16, PFX_66, "pextrd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pextrdq(c, i); } });
        t.add(MAP_0F3A, 0x17, PFX_66, "extractps", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { extractps(c, i); } });
        t.add(MAP_0F3A, 0x20, PFX_66, "pinsrb", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pinsrb(c, i); } });
        t.add(MAP_0F3A, 0x21, PFX_66, "insertps", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { insertps(c, i); } });
        t.add(MAP_0F3A, 0x22, PFX_66, "pinsrd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pinsrdq(c, i); } });
        t.add(MAP_0F3A, 0x40, PFX_66, "dpps", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { dpps(c, i); } });
        t.add(MAP_0F3A, 0x41, PFX_66, "dppd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { dppd(c, i); } });
        t.add(MAP_0F3A, 0x42, PFX_66, "mpsadbw", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { mpsadbw(c, i); } });
    }

    /** Registers OP xmm1, xmm2/m128 (aligned) computed independently on each 64-bit lane. */
    private static void lanes(OpcodeTable t, int op, String name, SseInteger.Lane f) {
        t.add(MAP_0F38, op, PFX_66, name, MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { SseInteger.packed(c, i, f); } });
    }

    // ---------------------------------------------------------------- lane functions (SDM Vol. 2B)

    /** PMULLD lane: the low 32 bits of each signed dword product (SDM Vol. 2B, PMULLD). */
    static long pmulld(long a, long b) {
        return SseInteger.lanes(a, b, 32, (x, y) -> x * y);
    }

    /** PCMPEQQ lane: all ones where the quadwords are equal (SDM Vol. 2B, PCMPEQQ). */
    static long pcmpeqq(long a, long b) {
        return a == b ? -1L : 0L;
    }

    /** PMINSB lane: the signed minimum of each byte (SDM Vol. 2B, PMINSB). */
    static long pminsb(long a, long b) {
        return SseInteger.lanes(a, b, 8, Math::min);
    }

    /** PMAXSB lane: the signed maximum of each byte (SDM Vol. 2B, PMAXSB). */
    static long pmaxsb(long a, long b) {
        return SseInteger.lanes(a, b, 8, Math::max);
    }

    /** PMINUW lane: the unsigned minimum of each word (SDM Vol. 2B, PMINUW). */
    static long pminuw(long a, long b) {
        return SseInteger.lanesU(a, b, 16, Math::min);
    }

    /** PMAXUW lane: the unsigned maximum of each word (SDM Vol. 2B, PMAXUW). */
    static long pmaxuw(long a, long b) {
        return SseInteger.lanesU(a, b, 16, Math::max);
    }

    /** PMINSD lane: the signed minimum of each dword (SDM Vol. 2B, PMINSD). */
    static long pminsd(long a, long b) {
        return SseInteger.lanes(a, b, 32, Math::min);
    }

    /** PMAXSD lane: the signed maximum of each dword (SDM Vol. 2B, PMAXSD). */
    static long pmaxsd(long a, long b) {
        return SseInteger.lanes(a, b, 32, Math::max);
    }

    /** PMULDQ lane: the signed 64-bit product of the low dwords (SDM Vol. 2B, PMULDQ). */
    static long pmuldq(long a, long b) {
        return (long) (int) a * (long) (int) b;
    }

    /** PMINUD lane: the unsigned minimum of each dword (SDM Vol. 2B, PMINUD). */
    static long pminud(long a, long b) {
        long lo = Integer.compareUnsigned((int) a, (int) b) <= 0 ? a : b;
        long hi = Integer.compareUnsigned((int) (a >>> 32), (int) (b >>> 32)) <= 0 ? a : b;
        return (lo & M32) | (hi & ~M32);
    }

    /** PMAXUD lane: the unsigned maximum of each dword (SDM Vol. 2B, PMAXUD). */
    static long pmaxud(long a, long b) {
        long lo = Integer.compareUnsigned((int) a, (int) b) >= 0 ? a : b;
        long hi = Integer.compareUnsigned((int) (a >>> 32), (int) (b >>> 32)) >= 0 ? a : b;
        return (lo & M32) | (hi & ~M32);
    }

    // ---------------------------------------------------------------- whole-register integer forms

    /** PACKUSDW xmm1, xmm2/m128: signed dwords to unsigned words with saturation (SDM Vol. 2B, PACKUSDW). */
    static void packusdw(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        long lo = SseShuffle.narrow(c.xmm[d], 32, false) | (SseShuffle.narrow(c.xmm[d + 1], 32, false) << 32);
        c.xmm[d + 1] = SseShuffle.narrow(bl, 32, false) | (SseShuffle.narrow(bh, 32, false) << 32);
        c.xmm[d] = lo;
    }

    /** MOVNTDQA xmm1, m128: an aligned load; the non-temporal hint has no effect here (SDM Vol. 2B, MOVNTDQA). */
    static void movntdqa(Cpu c, Insn i) {
        long a = Sse.aligned16(c, i);
        long lo = c.mmu.read64(a);
        long hi = c.mmu.read64(a + 8);
        c.xmm[2 * i.reg] = lo;
        c.xmm[2 * i.reg + 1] = hi;
    }

    /**
     * PTEST xmm1, xmm2/m128: ZF = (xmm1 AND src) is zero, CF = (NOT xmm1 AND src) is zero; AF,
     * OF, PF and SF cleared (SDM Vol. 2B, PTEST).
     */
    static void ptest(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        long al = c.xmm[2 * i.reg];
        long ah = c.xmm[2 * i.reg + 1];
        long flags = 0;
        if (((al & bl) | (ah & bh)) == 0) {
            flags |= Cpu.ZF;
        }
        if (((~al & bl) | (~ah & bh)) == 0) {
            flags |= Cpu.CF;
        }
        c.setStatusFlags(flags);
    }

    /**
     * PHMINPOSUW xmm1, xmm2/m128: the smallest unsigned word of the source in bits 15:0, its
     * index (the lowest on ties) in bits 18:16, every other bit zero (SDM Vol. 2B, PHMINPOSUW).
     */
    static void phminposuw(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int min = (int) (lo & 0xffff);
        int index = 0;
        for (int k = 1; k < 8; k++) {
            int w = (int) (((k < 4 ? lo : hi) >>> (16 * (k & 3))) & 0xffff);
            if (w < min) {
                min = w;
                index = k;
            }
        }
        c.xmm[2 * i.reg] = min | ((long) index << 16);
        c.xmm[2 * i.reg + 1] = 0;
    }

    /**
     * MPSADBW xmm1, xmm2/m128, imm8: eight sums of absolute differences between the source dword
     * imm8[1:0] and the eight overlapping 4-byte blocks of xmm1 from byte 4 * imm8[2] (SDM Vol.
     * 2B, MPSADBW).
     */
    static void mpsadbw(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long sl = Sse.srcLo(c, i, addr);
        long sh = Sse.srcHi(c, i, addr);
        int imm = (int) i.imm;
        int d = 2 * i.reg;
        long dl = c.xmm[d];
        long dh = c.xmm[d + 1];
        int s = imm & 3;
        int block = (int) ((s < 2 ? sl : sh) >>> (32 * (s & 1)));
        int start = 4 * ((imm >> 2) & 1);
        long lo = 0;
        long hi = 0;
        for (int k = 0; k < 8; k++) {
            int sum = 0;
            for (int j = 0; j < 4; j++) {
                int n = start + k + j;
                int a = (int) (((n < 8 ? dl : dh) >>> (8 * (n & 7))) & 0xff);
                int b = (block >>> (8 * j)) & 0xff;
                sum += Math.abs(a - b);
            }
            if (k < 4) {
                lo |= (long) sum << (16 * k);
            } else {
                hi |= (long) sum << (16 * (k - 4));
            }
        }
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }

    // ---------------------------------------------------------------- sign and zero extension

    /**
     * Registers PMOVSX/PMOVZX xmm1, xmm2/m{16,32,64}: the low 128 * from / to bits of the source,
     * each {@code from}-bit element extended to {@code to} bits (SDM Vol. 2B, PMOVSX; PMOVZX). The
     * memory operand is exactly that wide and may be misaligned.
     */
    private static void pmovx(OpcodeTable t, int op, String name, int from, int to, boolean signed) {
        t.add(MAP_0F38, op, PFX_66, name, MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { pmovx(c, i, from, to, signed); } });
    }

    /** PMOVSXBW ... PMOVZXDQ xmm1, xmm2/m{16,32,64}. */
    static void pmovx(Cpu c, Insn i, int from, int to, boolean signed) {
        int bytes = 16 * from / to;
        long v = i.rm >= 0 ? c.xmm[2 * i.rm] : c.mmu.read(c.ea(i), bytes);
        long mask = from == 32 ? M32 : (1L << from) - 1;
        long outMask = to == 64 ? -1L : (1L << to) - 1;
        int perLane = 64 / to;
        long lo = 0;
        long hi = 0;
        for (int k = 0; k < 2 * perLane; k++) {
            long e = (v >>> (from * k)) & mask;
            if (signed) {
                e = e << (64 - from) >> (64 - from);
            }
            e &= outMask;
            if (k < perLane) {
                lo |= e << (to * k);
            } else {
                hi |= e << (to * (k - perLane));
            }
        }
        c.xmm[2 * i.reg] = lo;
        c.xmm[2 * i.reg + 1] = hi;
    }

    // ---------------------------------------------------------------- blends

    /** Per element of a 64-bit lane, all ones where the selecting bit of {@code bits} is set. */
    private static long selectMask(int bits, int width) {
        long elem = width == 64 ? -1L : (1L << width) - 1;
        long m = 0;
        for (int k = 0; k < 64 / width; k++) {
            if ((bits & (1 << k)) != 0) {
                m |= elem << (width * k);
            }
        }
        return m;
    }

    /** xmm1 = the source where the mask lane is ones, xmm1 where it is zeros. */
    private static void blend(Cpu c, Insn i, long maskLo, long maskHi) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        c.xmm[d] = (c.xmm[d] & ~maskLo) | (bl & maskLo);
        c.xmm[d + 1] = (c.xmm[d + 1] & ~maskHi) | (bh & maskHi);
    }

    /** BLENDPS xmm1, xmm2/m128, imm8: dword k from the source when imm8[k] (SDM Vol. 2A, BLENDPS). */
    static void blendps(Cpu c, Insn i) {
        int imm = (int) i.imm;
        blend(c, i, selectMask(imm & 3, 32), selectMask((imm >> 2) & 3, 32));
    }

    /** BLENDPD xmm1, xmm2/m128, imm8: qword k from the source when imm8[k] (SDM Vol. 2A, BLENDPD). */
    static void blendpd(Cpu c, Insn i) {
        int imm = (int) i.imm;
        blend(c, i, selectMask(imm & 1, 64), selectMask((imm >> 1) & 1, 64));
    }

    /** PBLENDW xmm1, xmm2/m128, imm8: word k from the source when imm8[k] (SDM Vol. 2B, PBLENDW). */
    static void pblendw(Cpu c, Insn i) {
        int imm = (int) i.imm;
        blend(c, i, selectMask(imm & 15, 16), selectMask((imm >> 4) & 15, 16));
    }

    /**
     * PBLENDVB xmm1, xmm2/m128, &lt;XMM0&gt;: byte k from the source when bit 7 of XMM0's byte k
     * is set (SDM Vol. 2B, PBLENDVB).
     */
    static void pblendvb(Cpu c, Insn i) {
        blend(c, i, ((c.xmm[0] & SseInteger.H8) >>> 7) * 0xff, ((c.xmm[1] & SseInteger.H8) >>> 7) * 0xff);
    }

    /**
     * BLENDVPS xmm1, xmm2/m128, &lt;XMM0&gt;: dword k from the source when bit 31 of XMM0's dword
     * k is set (SDM Vol. 2A, BLENDVPS).
     */
    static void blendvps(Cpu c, Insn i) {
        blend(c, i, ((c.xmm[0] & SseInteger.H32) >>> 31) * M32, ((c.xmm[1] & SseInteger.H32) >>> 31) * M32);
    }

    /**
     * BLENDVPD xmm1, xmm2/m128, &lt;XMM0&gt;: qword k from the source when bit 63 of XMM0's qword
     * k is set (SDM Vol. 2A, BLENDVPD).
     */
    static void blendvpd(Cpu c, Insn i) {
        blend(c, i, c.xmm[0] >> 63, c.xmm[1] >> 63);
    }

    // ---------------------------------------------------------------- insertion and extraction

    /** Dword k (0-3) of an XMM register. */
    private static long dword(Cpu c, int reg, int k) {
        return (c.xmm[2 * reg + (k >> 1)] >>> (32 * (k & 1))) & M32;
    }

    /** Writes {@code v} ({@code bits} wide) at element {@code k} of XMM {@code reg}. */
    private static void setElement(Cpu c, int reg, int bits, int k, long v) {
        int perLane = 64 / bits;
        int q = 2 * reg + k / perLane;
        int s = bits * (k % perLane);
        long m = bits == 64 ? -1L : ((1L << bits) - 1) << s;
        c.xmm[q] = (c.xmm[q] & ~m) | ((v << s) & m);
    }

    /** Element {@code k} ({@code bits} wide) of XMM {@code reg}, zero-extended. */
    private static long element(Cpu c, int reg, int bits, int k) {
        int perLane = 64 / bits;
        long v = c.xmm[2 * reg + k / perLane] >>> (bits * (k % perLane));
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    /**
     * Stores an extracted element to r/m: a register destination (r32 or r64) receives it
     * zero-extended to 64 bits, a memory destination exactly {@code bytes} bytes.
     */
    private static void storeExtracted(Cpu c, Insn i, long v, int bytes) {
        if (i.rm >= 0) {
            c.r[i.rm] = v;
        } else {
            c.mmu.write(c.ea(i), v, bytes);
        }
    }

    /** PEXTRB reg/m8, xmm2, imm8: byte imm8[3:0] (SDM Vol. 2B, PEXTRB). */
    static void pextrb(Cpu c, Insn i) {
        storeExtracted(c, i, element(c, i.reg, 8, (int) i.imm & 15), 1);
    }

    /** PEXTRW reg/m16, xmm, imm8 (66 0F 3A 15): word imm8[2:0] (SDM Vol. 2B, PEXTRW). */
    static void pextrw(Cpu c, Insn i) {
        storeExtracted(c, i, element(c, i.reg, 16, (int) i.imm & 7), 2);
    }

    /**
     * PEXTRD r/m32, xmm2, imm8 (dword imm8[1:0]) and, with REX.W, PEXTRQ r/m64, xmm2, imm8 (qword
     * imm8[0]) (SDM Vol. 2B, PEXTRB/PEXTRD/PEXTRQ).
     */
    static void pextrdq(Cpu c, Insn i) {
        if (i.opsize == 8) {
            storeExtracted(c, i, element(c, i.reg, 64, (int) i.imm & 1), 8);
        } else {
            storeExtracted(c, i, element(c, i.reg, 32, (int) i.imm & 3), 4);
        }
    }

    /** EXTRACTPS reg/m32, xmm1, imm8: dword imm8[1:0]; REX.W is ignored (SDM Vol. 2A, EXTRACTPS). */
    static void extractps(Cpu c, Insn i) {
        storeExtracted(c, i, dword(c, i.reg, (int) i.imm & 3), 4);
    }

    /** PINSRB xmm1, r32/m8, imm8: the low byte of r32 (or m8) into byte imm8[3:0] (SDM Vol. 2B, PINSRB). */
    static void pinsrb(Cpu c, Insn i) {
        long v = i.rm >= 0 ? c.r[i.rm] & 0xff : c.mmu.read8(c.ea(i));
        setElement(c, i.reg, 8, (int) i.imm & 15, v);
    }

    /**
     * PINSRD xmm1, r/m32, imm8 (dword imm8[1:0]) and, with REX.W, PINSRQ xmm1, r/m64, imm8 (qword
     * imm8[0]) (SDM Vol. 2B, PINSRB/PINSRD/PINSRQ).
     */
    static void pinsrdq(Cpu c, Insn i) {
        if (i.opsize == 8) {
            long v = i.rm >= 0 ? c.r[i.rm] : c.mmu.read64(c.ea(i));
            setElement(c, i.reg, 64, (int) i.imm & 1, v);
        } else {
            long v = i.rm >= 0 ? c.r[i.rm] & M32 : c.mmu.read32(c.ea(i)) & M32;
            setElement(c, i.reg, 32, (int) i.imm & 3, v);
        }
    }

    /**
     * INSERTPS xmm1, xmm2/m32, imm8: the source dword (imm8[7:6] of a register, or m32) into
     * dword imm8[5:4] of xmm1, then the dwords set in imm8[3:0] zeroed (SDM Vol. 2A, INSERTPS).
     */
    static void insertps(Cpu c, Insn i) {
        int imm = (int) i.imm;
        long v = i.rm >= 0 ? dword(c, i.rm, (imm >> 6) & 3) : c.mmu.read32(c.ea(i)) & M32;
        setElement(c, i.reg, 32, (imm >> 4) & 3, v);
        int d = 2 * i.reg;
        c.xmm[d] &= ~selectMask(imm & 3, 32);
        c.xmm[d + 1] &= ~selectMask((imm >> 2) & 3, 32);
    }

    // ---------------------------------------------------------------- dot products

    /**
     * The exception bookkeeping of a dot product, which the host CPU shows to work in stages
     * (the multiplies, the pairwise adds, the final adds), each like one packed instruction: a
     * stage with an unmasked pre-computation exception (IE, DE) in any element sets only those
     * flags and raises #XM; otherwise it sets all its flags and raises #XM if one is unmasked
     * (SDM Vol. 1, 11.5.2), the flags of earlier stages kept. An overflow with OE unmasked sets
     * OE without PE, as the host shows.
     */
    private static final class Stages {
        private final Cpu c;
        private final int saved;
        private int raised;
        private int pre;
        private int post;

        Stages(Cpu c) {
            this.c = c;
            this.saved = c.mxcsr;
        }

        long apply(SseFloat.Elem f, long a, long b) {
            c.mxcsr = saved & ~FLAGS;
            long r = f.apply(c, a, b);
            int flags = c.mxcsr & FLAGS;
            if ((flags & OE) != 0 && (saved & (OE << 7)) == 0) {
                flags &= ~PE;
            }
            pre |= flags & (IE | DE | ZE);
            post |= flags & (OE | UE | PE);
            c.mxcsr = saved | raised;
            return r;
        }

        void end() {
            int unmasked = ~(saved >> 7) & FLAGS;
            raised |= (pre & unmasked) != 0 ? pre : pre | post;
            pre = 0;
            post = 0;
            c.mxcsr = saved | raised;
            if ((raised & unmasked) != 0) {
                throw CpuTrap.SIMD_FP_ERROR;
            }
        }
    }

    /**
     * DPPS xmm1, xmm2/m128, imm8 (SDM Vol. 2A, DPPS): the products of the dwords selected by
     * imm8[7:4] (+0.0 for the others), summed pairwise, each multiply and add rounded under
     * MXCSR; the sum goes to the dwords selected by imm8[3:0], +0.0 to the others. The sums are
     * commutative but for which NaN propagates, and there the host shows each destination dword
     * k computing its own: (p[k^1] + p[k]) + (p[k^3] + p[k^2]).
     */
    static void dpps(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        long al = c.xmm[d];
        long ah = c.xmm[d + 1];
        int imm = (int) i.imm;
        Stages s = new Stages(c);
        SseFloat.Elem mul = SseFloat::mul32;
        SseFloat.Elem add = SseFloat::add32;
        long p0 = (imm & 0x10) != 0 ? s.apply(mul, al & M32, bl & M32) : 0;
        long p1 = (imm & 0x20) != 0 ? s.apply(mul, al >>> 32, bl >>> 32) : 0;
        long p2 = (imm & 0x40) != 0 ? s.apply(mul, ah & M32, bh & M32) : 0;
        long p3 = (imm & 0x80) != 0 ? s.apply(mul, ah >>> 32, bh >>> 32) : 0;
        s.end();
        long t0 = s.apply(add, p1, p0);
        long t1 = s.apply(add, p0, p1);
        long t2 = s.apply(add, p3, p2);
        long t3 = s.apply(add, p2, p3);
        s.end();
        long u0 = s.apply(add, t0, t2) & M32;
        long u1 = s.apply(add, t1, t3) & M32;
        long u2 = s.apply(add, t2, t0) & M32;
        long u3 = s.apply(add, t3, t1) & M32;
        s.end();
        long lo = u0 | (u1 << 32);
        long hi = u2 | (u3 << 32);
        c.xmm[d] = lo & selectMask(imm & 3, 32);
        c.xmm[d + 1] = hi & selectMask((imm >> 2) & 3, 32);
    }

    /**
     * DPPD xmm1, xmm2/m128, imm8 (SDM Vol. 2A, DPPD): the products of the qwords selected by
     * imm8[5:4] (+0.0 for the others) summed, each operation rounded under MXCSR; the sum goes to
     * the qwords selected by imm8[1:0], +0.0 to the others. As for DPPS, destination qword k
     * computes p[k] + p[k^1] (it matters for which NaN propagates).
     */
    static void dppd(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        int imm = (int) i.imm;
        Stages s = new Stages(c);
        SseFloat.Elem add = SseFloat::add64;
        long p0 = (imm & 0x10) != 0 ? s.apply(SseFloat::mul64, c.xmm[d], bl) : 0;
        long p1 = (imm & 0x20) != 0 ? s.apply(SseFloat::mul64, c.xmm[d + 1], bh) : 0;
        s.end();
        long u0 = s.apply(add, p0, p1);
        long u1 = s.apply(add, p1, p0);
        s.end();
        c.xmm[d] = (imm & 1) != 0 ? u0 : 0;
        c.xmm[d + 1] = (imm & 2) != 0 ? u1 : 0;
    }

    // ---------------------------------------------------------------- rounding to integral values

    /**
     * One ROUNDPS/ROUNDPD/ROUNDSS/ROUNDSD element (SDM Vol. 2B, ROUNDPD): rounds to an integral
     * value in the mode imm8[1:0] (nearest even, down, up, toward zero), or MXCSR.RC when imm8[2]
     * is set. An SNaN raises IE and is quieted, a QNaN passes through; an inexact result raises PE
     * unless imm8[3] suppresses it. DE is never signalled; DAZ applies to denormal sources.
     */
    static long round(Cpu c, long v, int imm, boolean f32) {
        v = daz(c, trim(v, f32), f32);
        if (isNaN(v, f32)) {
            if (isSNaN(v, f32)) {
                raise(c, IE);
            }
            return v | quietBit(f32);
        }
        double x = f32 ? Float.intBitsToFloat((int) v) : Double.longBitsToDouble(v);
        int mode = (imm & 4) != 0 ? rc(c) : imm & 3;
        double r = switch (mode) {
            case RC_NEAREST -> Math.rint(x);
            case RC_DOWN -> Math.floor(x);
            case RC_UP -> Math.ceil(x);
            default -> x < 0 ? Math.ceil(x) : Math.floor(x);
        };
        if (r != x && (imm & 8) == 0) {
            raise(c, PE);
        }
        return f32 ? Float.floatToRawIntBits((float) r) & M32 : Double.doubleToRawLongBits(r);
    }

    /** ROUNDPS xmm1, xmm2/m128, imm8 (SDM Vol. 2B, ROUNDPS). */
    static void roundps(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int imm = (int) i.imm;
        int saved = SseFloat.begin(c);
        long r0 = round(c, lo & M32, imm, true);
        long r1 = round(c, lo >>> 32, imm, true);
        long r2 = round(c, hi & M32, imm, true);
        long r3 = round(c, hi >>> 32, imm, true);
        SseFloat.end(c, saved);
        c.xmm[2 * i.reg] = r0 | (r1 << 32);
        c.xmm[2 * i.reg + 1] = r2 | (r3 << 32);
    }

    /** ROUNDPD xmm1, xmm2/m128, imm8 (SDM Vol. 2B, ROUNDPD). */
    static void roundpd(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int imm = (int) i.imm;
        int saved = SseFloat.begin(c);
        long r0 = round(c, lo, imm, false);
        long r1 = round(c, hi, imm, false);
        SseFloat.end(c, saved);
        c.xmm[2 * i.reg] = r0;
        c.xmm[2 * i.reg + 1] = r1;
    }

    /** ROUNDSS xmm1, xmm2/m32, imm8: the low dword; the rest of xmm1 is kept (SDM Vol. 2B, ROUNDSS). */
    static void roundss(Cpu c, Insn i) {
        long v = Sse.src32(c, i);
        int d = 2 * i.reg;
        int saved = SseFloat.begin(c);
        long r = round(c, v, (int) i.imm, true);
        SseFloat.end(c, saved);
        c.xmm[d] = (c.xmm[d] & ~M32) | r;
    }

    /** ROUNDSD xmm1, xmm2/m64, imm8: the low qword; the high qword of xmm1 is kept (SDM Vol. 2B, ROUNDSD). */
    static void roundsd(Cpu c, Insn i) {
        long v = Sse.src64(c, i);
        int saved = SseFloat.begin(c);
        long r = round(c, v, (int) i.imm, false);
        SseFloat.end(c, saved);
        c.xmm[2 * i.reg] = r;
    }
}
