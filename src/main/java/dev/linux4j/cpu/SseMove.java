package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * SSE/SSE2/MMX data movement (SDM Vol. 1, 10.4.1, 11.4.1.1, 11.4.3, 9.4.1): MOVUPS MOVAPS
 * MOVUPD MOVAPD MOVDQU MOVDQA MOVSS MOVSD MOVLPS/PD MOVHPS/PD MOVHLPS MOVLHPS MOVD MOVQ
 * MOVQ2DQ MOVDQ2Q, the non-temporal stores, MASKMOVDQU MASKMOVQ, MOVMSKPS/PD and PMOVMSKB.
 */
public final class SseMove {
    private SseMove() {}

    static void register(OpcodeTable t) {
        // 128-bit loads and stores.
        t.add(MAP_0F, 0x10, PFX_NONE, "movups", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { loadUnaligned(c, i); } });
        t.add(MAP_0F, 0x10, PFX_66, "movupd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { loadUnaligned(c, i); } });
        t.add(MAP_0F, 0x6f, PFX_F3, "movdqu", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { loadUnaligned(c, i); } });
        t.add(MAP_0F, 0x28, PFX_NONE, "movaps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { loadAligned(c, i); } });
        t.add(MAP_0F, 0x28, PFX_66, "movapd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { loadAligned(c, i); } });
        t.add(MAP_0F, 0x6f, PFX_66, "movdqa", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { loadAligned(c, i); } });
        t.add(MAP_0F, 0x11, PFX_NONE, "movups", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { storeUnaligned(c, i); } });
        t.add(MAP_0F, 0x11, PFX_66, "movupd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { storeUnaligned(c, i); } });
        t.add(MAP_0F, 0x7f, PFX_F3, "movdqu", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { storeUnaligned(c, i); } });
        t.add(MAP_0F, 0x29, PFX_NONE, "movaps", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { storeAligned(c, i); } });
        t.add(MAP_0F, 0x29, PFX_66, "movapd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { storeAligned(c, i); } });
        t.add(MAP_0F, 0x7f, PFX_66, "movdqa", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { storeAligned(c, i); } });
        t.add(MAP_0F, 0x2b, PFX_NONE, "movntps", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { storeAligned(c, i); } });
        t.add(MAP_0F, 0x2b, PFX_66, "movntpd", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { storeAligned(c, i); } });
        t.add(MAP_0F, 0xe7, PFX_66, "movntdq", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { storeAligned(c, i); } });

        // Scalar moves.
        t.add(MAP_0F, 0x10, PFX_F3, "movss", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { movssLoad(c, i); } });
        t.add(MAP_0F, 0x11, PFX_F3, "movss", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { movssStore(c, i); } });
        t.add(MAP_0F, 0x10, PFX_F2, "movsd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { movsdLoad(c, i); } });
        t.add(MAP_0F, 0x11, PFX_F2, "movsd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { movsdStore(c, i); } });

        // Half-register moves.
        t.add(MAP_0F, 0x12, PFX_NONE, "movlps", MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                long v = i.rm >= 0 ? c.xmm[2 * i.rm + 1] : c.mmu.read64(c.ea(i)); // MOVHLPS for registers
                c.xmm[2 * i.reg] = v;
            }
        });
        t.add(MAP_0F, 0x12, PFX_66, "movlpd", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { c.xmm[2 * i.reg] = c.mmu.read64(c.ea(i)); } });
        t.add(MAP_0F, 0x13, PFX_NONE, "movlps", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write64(c.ea(i), c.xmm[2 * i.reg]); } });
        t.add(MAP_0F, 0x13, PFX_66, "movlpd", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write64(c.ea(i), c.xmm[2 * i.reg]); } });
        t.add(MAP_0F, 0x16, PFX_NONE, "movhps", MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                long v = i.rm >= 0 ? c.xmm[2 * i.rm] : c.mmu.read64(c.ea(i)); // MOVLHPS for registers
                c.xmm[2 * i.reg + 1] = v;
            }
        });
        t.add(MAP_0F, 0x16, PFX_66, "movhpd", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { c.xmm[2 * i.reg + 1] = c.mmu.read64(c.ea(i)); } });
        t.add(MAP_0F, 0x17, PFX_NONE, "movhps", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write64(c.ea(i), c.xmm[2 * i.reg + 1]); } });
        t.add(MAP_0F, 0x17, PFX_66, "movhpd", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write64(c.ea(i), c.xmm[2 * i.reg + 1]); } });

        // MOVD / MOVQ.
        t.add(MAP_0F, 0x6e, PFX_66, "movd", MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                long v = c.readE(i, i.opsize);
                c.xmm[2 * i.reg] = v;
                c.xmm[2 * i.reg + 1] = 0;
            }
        });
        t.add(MAP_0F, 0x7e, PFX_66, "movd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeE(i, i.opsize, c.xmm[2 * i.reg]); } });
        t.add(MAP_0F, 0x7e, PFX_F3, "movq", MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                long v = Sse.src64(c, i);
                c.xmm[2 * i.reg] = v;
                c.xmm[2 * i.reg + 1] = 0;
            }
        });
        t.add(MAP_0F, 0xd6, PFX_66, "movq", MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                if (i.rm >= 0) {
                    c.xmm[2 * i.rm] = c.xmm[2 * i.reg];
                    c.xmm[2 * i.rm + 1] = 0;
                } else {
                    c.mmu.write64(c.ea(i), c.xmm[2 * i.reg]);
                }
            }
        });
        t.add(MAP_0F, 0xc3, PFX_NONE, "movnti", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeE(i, i.opsize, c.r[i.reg]); } });

        // Sign masks.
        t.add(MAP_0F, 0x50, PFX_NONE, "movmskps", MODRM | REG_ONLY, new Exec() {
            public void exec(Cpu c, Insn i) { c.setReg(i.reg, 8, movmskps(c.xmm[2 * i.rm], c.xmm[2 * i.rm + 1])); }
        });
        t.add(MAP_0F, 0x50, PFX_66, "movmskpd", MODRM | REG_ONLY, new Exec() {
            public void exec(Cpu c, Insn i) {
                c.setReg(i.reg, 8, (c.xmm[2 * i.rm] >>> 63) | ((c.xmm[2 * i.rm + 1] >>> 63) << 1));
            }
        });
        t.add(MAP_0F, 0xd7, PFX_66, "pmovmskb", MODRM | REG_ONLY, new Exec() {
            public void exec(Cpu c, Insn i) {
                c.setReg(i.reg, 8, pmovmskb(c.xmm[2 * i.rm]) | (pmovmskb(c.xmm[2 * i.rm + 1]) << 8));
            }
        });
        t.add(MAP_0F, 0xd7, PFX_NONE, "pmovmskb", MODRM | REG_ONLY, new Exec() {
            public void exec(Cpu c, Insn i) {
                Sse.mmxEnter(c);
                c.setReg(i.reg, 8, pmovmskb(Sse.mm(c, i.rm)));
            }
        });

        t.add(MAP_0F, 0xf7, PFX_66, "maskmovdqu", MODRM | REG_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { maskmovdqu(c, i); } });
    }

    // ---------------------------------------------------------------- 128-bit moves

    /** MOVUPS/MOVUPD/MOVDQU xmm1, xmm2/m128. */
    static void loadUnaligned(Cpu c, Insn i) {
        int d = 2 * i.reg;
        if (i.rm >= 0) {
            c.xmm[d] = c.xmm[2 * i.rm];
            c.xmm[d + 1] = c.xmm[2 * i.rm + 1];
        } else {
            long a = c.ea(i);
            long lo = c.mmu.read64(a);
            c.xmm[d + 1] = c.mmu.read64(a + 8);
            c.xmm[d] = lo;
        }
    }

    /** MOVAPS/MOVAPD/MOVDQA xmm1, xmm2/m128: #GP on a misaligned operand. */
    static void loadAligned(Cpu c, Insn i) {
        int d = 2 * i.reg;
        if (i.rm >= 0) {
            c.xmm[d] = c.xmm[2 * i.rm];
            c.xmm[d + 1] = c.xmm[2 * i.rm + 1];
        } else {
            long a = Sse.aligned16(c, i);
            long lo = c.mmu.read64(a);
            c.xmm[d + 1] = c.mmu.read64(a + 8);
            c.xmm[d] = lo;
        }
    }

    /** MOVUPS/MOVUPD/MOVDQU xmm2/m128, xmm1. */
    static void storeUnaligned(Cpu c, Insn i) {
        int s = 2 * i.reg;
        if (i.rm >= 0) {
            c.xmm[2 * i.rm] = c.xmm[s];
            c.xmm[2 * i.rm + 1] = c.xmm[s + 1];
        } else {
            Sse.store128(c, c.ea(i), c.xmm[s], c.xmm[s + 1]);
        }
    }

    /** MOVAPS/MOVAPD/MOVDQA/MOVNTPS/MOVNTPD/MOVNTDQ xmm2/m128, xmm1. */
    static void storeAligned(Cpu c, Insn i) {
        int s = 2 * i.reg;
        if (i.rm >= 0) {
            c.xmm[2 * i.rm] = c.xmm[s];
            c.xmm[2 * i.rm + 1] = c.xmm[s + 1];
        } else {
            long a = Sse.aligned16(c, i);
            c.mmu.write64(a, c.xmm[s]);
            c.mmu.write64(a + 8, c.xmm[s + 1]);
        }
    }

    // ---------------------------------------------------------------- scalar moves

    /** MOVSS xmm1, xmm2 merges the low dword; MOVSS xmm1, m32 zeroes the rest. */
    static void movssLoad(Cpu c, Insn i) {
        int d = 2 * i.reg;
        if (i.rm >= 0) {
            c.xmm[d] = (c.xmm[d] & 0xffffffff00000000L) | (c.xmm[2 * i.rm] & 0xffffffffL);
        } else {
            c.xmm[d] = c.mmu.read32(c.ea(i)) & 0xffffffffL;
            c.xmm[d + 1] = 0;
        }
    }

    static void movssStore(Cpu c, Insn i) {
        long v = c.xmm[2 * i.reg];
        if (i.rm >= 0) {
            int d = 2 * i.rm;
            c.xmm[d] = (c.xmm[d] & 0xffffffff00000000L) | (v & 0xffffffffL);
        } else {
            c.mmu.write32(c.ea(i), (int) v);
        }
    }

    /** MOVSD xmm1, xmm2 keeps the high quadword; MOVSD xmm1, m64 zeroes it. */
    static void movsdLoad(Cpu c, Insn i) {
        int d = 2 * i.reg;
        if (i.rm >= 0) {
            c.xmm[d] = c.xmm[2 * i.rm];
        } else {
            c.xmm[d] = c.mmu.read64(c.ea(i));
            c.xmm[d + 1] = 0;
        }
    }

    static void movsdStore(Cpu c, Insn i) {
        long v = c.xmm[2 * i.reg];
        if (i.rm >= 0) {
            c.xmm[2 * i.rm] = v;
        } else {
            c.mmu.write64(c.ea(i), v);
        }
    }

    // ---------------------------------------------------------------- masks

    /** The sign bit of each byte, byte 0 in bit 0 (one multiply gathers them into the top byte). */
    public static long pmovmskb(long v) {
        return ((v & SseInteger.H8) * 0x0002040810204081L) >>> 56;
    }

    static long movmskps(long lo, long hi) {
        return ((lo >>> 31) & 1) | ((lo >>> 62) & 2) | (((hi >>> 31) & 1) << 2) | (((hi >>> 63) & 1) << 3);
    }

    /** The implicit DS:RDI destination of MASKMOVDQU/MASKMOVQ (EDI with a 67 prefix). */
    static long rdiAddress(Cpu c, Insn i) {
        long a = c.r[Cpu.RDI];
        if ((i.prefixes & Insn.P_ADDRSIZE) != 0) {
            a &= 0xffffffffL;
        }
        if (i.seg != Insn.SEG_NONE) {
            a += i.seg == Insn.SEG_FS ? c.fsBase : c.gsBase;
        }
        return a;
    }

    /**
     * Stores the bytes of {@code data} whose mask byte has its top bit set, at addr. All selected
     * bytes are checked writable before any is written.
     */
    static void maskedStore(Cpu c, long addr, long data, long mask) {
        long sel = mask & SseInteger.H8;
        for (long s = sel; s != 0; s &= s - 1) {
            c.mmu.probeWrite(addr + (Long.numberOfTrailingZeros(s) >> 3), 1);
        }
        for (long s = sel; s != 0; s &= s - 1) {
            int k = Long.numberOfTrailingZeros(s) >> 3;
            c.mmu.write8(addr + k, (int) (data >>> (8 * k)));
        }
    }

    /** MASKMOVDQU xmm1, xmm2 (SDM Vol. 2B): byte-masked store of xmm1 at DS:RDI. */
    static void maskmovdqu(Cpu c, Insn i) {
        long a = rdiAddress(c, i);
        int s = 2 * i.reg;
        int m = 2 * i.rm;
        long sel = (c.xmm[m] | c.xmm[m + 1]) & SseInteger.H8;
        for (int half = 0; half < 2; half++) {
            long mask = c.xmm[m + half] & SseInteger.H8;
            for (long b = mask; b != 0; b &= b - 1) {
                c.mmu.probeWrite(a + 8 * half + (Long.numberOfTrailingZeros(b) >> 3), 1);
            }
        }
        if (sel != 0) {
            maskedStore(c, a, c.xmm[s], c.xmm[m]);
            maskedStore(c, a + 8, c.xmm[s + 1], c.xmm[m + 1]);
        }
    }
}
