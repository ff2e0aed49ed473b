package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * SSE/SSE2/MMX data rearrangement (SDM Vol. 1, 10.4.4 and 11.4.4): PUNPCKL/H BW WD DQ QDQ and
 * UNPCKL/H PS PD, PACKSSWB PACKSSDW PACKUSWB, PSHUFD PSHUFHW PSHUFLW PSHUFW, SHUFPS SHUFPD,
 * PINSRW PEXTRW, PSLLDQ PSRLDQ.
 */
final class SseShuffle {
    private SseShuffle() {}

    static void register(OpcodeTable t) {
        unpack(t, 0x60, "punpcklbw", 8, false);
        unpack(t, 0x61, "punpcklwd", 16, false);
        unpack(t, 0x62, "punpckldq", 32, false);
        unpack(t, 0x68, "punpckhbw", 8, true);
        unpack(t, 0x69, "punpckhwd", 16, true);
        unpack(t, 0x6a, "punpckhdq", 32, true);
        t.add(MAP_0F, 0x6c, PFX_66, "punpcklqdq", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { unpackXmm(c, i, 64, false); } });
        t.add(MAP_0F, 0x6d, PFX_66, "punpckhqdq", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { unpackXmm(c, i, 64, true); } });
        t.add(MAP_0F, 0x14, PFX_NONE, "unpcklps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { unpackXmm(c, i, 32, false); } });
        t.add(MAP_0F, 0x15, PFX_NONE, "unpckhps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { unpackXmm(c, i, 32, true); } });
        t.add(MAP_0F, 0x14, PFX_66, "unpcklpd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { unpackXmm(c, i, 64, false); } });
        t.add(MAP_0F, 0x15, PFX_66, "unpckhpd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { unpackXmm(c, i, 64, true); } });

        pack(t, 0x63, "packsswb", 16, true);
        pack(t, 0x6b, "packssdw", 32, true);
        pack(t, 0x67, "packuswb", 16, false);

        t.add(MAP_0F, 0x70, PFX_NONE, "pshufw", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pshufw(c, i); } });
        t.add(MAP_0F, 0x70, PFX_66, "pshufd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pshufd(c, i); } });
        t.add(MAP_0F, 0x70, PFX_F3, "pshufhw", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pshufxw(c, i, true); } });
        t.add(MAP_0F, 0x70, PFX_F2, "pshuflw", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pshufxw(c, i, false); } });
        t.add(MAP_0F, 0xc6, PFX_NONE, "shufps", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { shufps(c, i); } });
        t.add(MAP_0F, 0xc6, PFX_66, "shufpd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { shufpd(c, i); } });

        t.add(MAP_0F, 0xc4, PFX_NONE, "pinsrw", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pinsrwMmx(c, i); } });
        t.add(MAP_0F, 0xc4, PFX_66, "pinsrw", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { pinsrwXmm(c, i); } });
        t.add(MAP_0F, 0xc5, PFX_NONE, "pextrw", MODRM | IB | REG_ONLY, new Exec() {
            public void exec(Cpu c, Insn i) {
                Sse.mmxEnter(c);
                c.setReg(i.reg, 8, (Sse.mm(c, i.rm) >>> (16 * (i.imm & 3))) & 0xffff);
            }
        });
        t.add(MAP_0F, 0xc5, PFX_66, "pextrw", MODRM | IB | REG_ONLY, new Exec() {
            public void exec(Cpu c, Insn i) {
                int k = (int) i.imm & 7;
                c.setReg(i.reg, 8, (c.xmm[2 * i.rm + (k >> 2)] >>> (16 * (k & 3))) & 0xffff);
            }
        });

        t.addGroupReg(MAP_0F, 0x73, PFX_66, 3, "psrldq", IB,
                new Exec() { public void exec(Cpu c, Insn i) { psrldq(c, 2 * i.rm, (int) i.imm & 0xff); } });
        t.addGroupReg(MAP_0F, 0x73, PFX_66, 7, "pslldq", IB,
                new Exec() { public void exec(Cpu c, Insn i) { pslldq(c, 2 * i.rm, (int) i.imm & 0xff); } });
    }

    // ---------------------------------------------------------------- unpack

    /** Interleaves the elements of the low 32 bits of a and b: a0 b0 a1 b1 ... */
    static long interleave(long a, long b, int bits) {
        long m = bits == 32 ? 0xffffffffL : (1L << bits) - 1;
        long r = 0;
        for (int k = 0, o = 0; o < 64; k += bits, o += 2 * bits) {
            r |= ((a >>> k) & m) << o;
            r |= ((b >>> k) & m) << (o + bits);
        }
        return r;
    }

    private static void unpack(OpcodeTable t, int op, String name, int bits, boolean high) {
        t.add(MAP_0F, op, PFX_NONE, name, MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                // The low forms read only 32 bits from memory (SDM Vol. 2B, PUNPCKLBW: mm/m32).
                long b = i.rm >= 0 ? Sse.mm(c, i.rm) : high ? c.mmu.read64(c.ea(i)) : c.mmu.read32(c.ea(i));
                Sse.mmxEnter(c);
                long a = Sse.mm(c, i.reg);
                Sse.setMm(c, i.reg, high ? interleave(a >>> 32, b >>> 32, bits) : interleave(a, b, bits));
            }
        });
        t.add(MAP_0F, op, PFX_66, name, MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { unpackXmm(c, i, bits, high); } });
    }

    /** PUNPCKL/H xmm1, xmm2/m128 (also UNPCKL/H PS/PD). */
    static void unpackXmm(Cpu c, Insn i, int bits, boolean high) {
        long addr = Sse.srcAddr(c, i);
        int d = 2 * i.reg;
        long a;
        long b;
        if (high) {
            a = c.xmm[d + 1];
            b = Sse.srcHi(c, i, addr);
        } else {
            a = c.xmm[d];
            b = Sse.srcLo(c, i, addr);
        }
        if (bits == 64) {
            c.xmm[d] = a;
            c.xmm[d + 1] = b;
        } else {
            c.xmm[d] = interleave(a, b, bits);
            c.xmm[d + 1] = interleave(a >>> 32, b >>> 32, bits);
        }
    }

    // ---------------------------------------------------------------- pack

    /** Narrows the elements of a 64-bit lane to half their width with saturation: 32 bits out. */
    static long narrow(long v, int bits, boolean signedDst) {
        int half = bits / 2;
        int sh = 32 - bits;
        int max = signedDst ? (1 << (half - 1)) - 1 : (1 << half) - 1;
        int min = signedDst ? -(1 << (half - 1)) : 0;
        long hm = (1L << half) - 1;
        long r = 0;
        for (int k = 0, o = 0; k < 64; k += bits, o += half) {
            int x = (int) (v >>> k) << sh >> sh;
            r |= ((long) Math.max(min, Math.min(max, x)) & hm) << o;
        }
        return r;
    }

    private static void pack(OpcodeTable t, int op, String name, int bits, boolean signedDst) {
        t.add(MAP_0F, op, PFX_NONE, name, MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                long b = Sse.mmSrc(c, i);
                long a = Sse.mm(c, i.reg);
                Sse.setMm(c, i.reg, narrow(a, bits, signedDst) | (narrow(b, bits, signedDst) << 32));
            }
        });
        t.add(MAP_0F, op, PFX_66, name, MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                long addr = Sse.srcAddr(c, i);
                long bl = Sse.srcLo(c, i, addr);
                long bh = Sse.srcHi(c, i, addr);
                int d = 2 * i.reg;
                long lo = narrow(c.xmm[d], bits, signedDst) | (narrow(c.xmm[d + 1], bits, signedDst) << 32);
                c.xmm[d + 1] = narrow(bl, bits, signedDst) | (narrow(bh, bits, signedDst) << 32);
                c.xmm[d] = lo;
            }
        });
    }

    // ---------------------------------------------------------------- shuffles

    /** The 16-bit words of v picked by the four 2-bit fields of imm. */
    static long shuffle16(long v, int imm) {
        long r = 0;
        for (int k = 0; k < 4; k++) {
            r |= ((v >>> (16 * ((imm >> (2 * k)) & 3))) & 0xffff) << (16 * k);
        }
        return r;
    }

    static void pshufw(Cpu c, Insn i) {
        long v = Sse.mmSrc(c, i);
        Sse.setMm(c, i.reg, shuffle16(v, (int) i.imm));
    }

    private static long dword(long lo, long hi, int k) {
        return ((k < 2 ? lo : hi) >>> (32 * (k & 1))) & 0xffffffffL;
    }

    /** PSHUFD xmm1, xmm2/m128, imm8 (SDM Vol. 2B, PSHUFD). */
    static void pshufd(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int imm = (int) i.imm;
        int d = 2 * i.reg;
        c.xmm[d] = dword(lo, hi, imm & 3) | (dword(lo, hi, (imm >> 2) & 3) << 32);
        c.xmm[d + 1] = dword(lo, hi, (imm >> 4) & 3) | (dword(lo, hi, (imm >> 6) & 3) << 32);
    }

    /** PSHUFHW / PSHUFLW: shuffle the words of one quadword, copy the other. */
    static void pshufxw(Cpu c, Insn i, boolean high) {
        long addr = Sse.srcAddr(c, i);
        long lo = Sse.srcLo(c, i, addr);
        long hi = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        if (high) {
            hi = shuffle16(hi, (int) i.imm);
        } else {
            lo = shuffle16(lo, (int) i.imm);
        }
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }

    /** SHUFPS xmm1, xmm2/m128, imm8: two dwords from xmm1, two from the source. */
    static void shufps(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        long al = c.xmm[d];
        long ah = c.xmm[d + 1];
        int imm = (int) i.imm;
        c.xmm[d] = dword(al, ah, imm & 3) | (dword(al, ah, (imm >> 2) & 3) << 32);
        c.xmm[d + 1] = dword(bl, bh, (imm >> 4) & 3) | (dword(bl, bh, (imm >> 6) & 3) << 32);
    }

    /** SHUFPD xmm1, xmm2/m128, imm8. */
    static void shufpd(Cpu c, Insn i) {
        long addr = Sse.srcAddr(c, i);
        long bl = Sse.srcLo(c, i, addr);
        long bh = Sse.srcHi(c, i, addr);
        int d = 2 * i.reg;
        int imm = (int) i.imm;
        long lo = (imm & 1) != 0 ? c.xmm[d + 1] : c.xmm[d];
        c.xmm[d + 1] = (imm & 2) != 0 ? bh : bl;
        c.xmm[d] = lo;
    }

    // ---------------------------------------------------------------- word insert

    private static long word(Cpu c, Insn i) {
        return i.rm >= 0 ? c.r[i.rm] & 0xffff : c.mmu.read16(c.ea(i));
    }

    static void pinsrwMmx(Cpu c, Insn i) {
        long w = word(c, i);
        Sse.mmxEnter(c);
        int s = 16 * ((int) i.imm & 3);
        Sse.setMm(c, i.reg, (Sse.mm(c, i.reg) & ~(0xffffL << s)) | (w << s));
    }

    static void pinsrwXmm(Cpu c, Insn i) {
        long w = word(c, i);
        int k = (int) i.imm & 7;
        int q = 2 * i.reg + (k >> 2);
        int s = 16 * (k & 3);
        c.xmm[q] = (c.xmm[q] & ~(0xffffL << s)) | (w << s);
    }

    // ---------------------------------------------------------------- byte shifts

    /** PSRLDQ xmm, imm8: the 128-bit register shifted right by imm8 bytes (over 15 gives 0). */
    static void psrldq(Cpu c, int d, int n) {
        long lo = c.xmm[d];
        long hi = c.xmm[d + 1];
        if (n > 15) {
            lo = hi = 0;
        } else if (n >= 8) {
            lo = hi >>> (8 * (n - 8));
            hi = 0;
        } else if (n > 0) {
            lo = (lo >>> (8 * n)) | (hi << (64 - 8 * n));
            hi >>>= 8 * n;
        }
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }

    /** PSLLDQ xmm, imm8. */
    static void pslldq(Cpu c, int d, int n) {
        long lo = c.xmm[d];
        long hi = c.xmm[d + 1];
        if (n > 15) {
            lo = hi = 0;
        } else if (n >= 8) {
            hi = lo << (8 * (n - 8));
            lo = 0;
        } else if (n > 0) {
            hi = (hi << (8 * n)) | (lo >>> (64 - 8 * n));
            lo <<= 8 * n;
        }
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }
}
