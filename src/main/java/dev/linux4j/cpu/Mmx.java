package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * MMX data movement and state (SDM Vol. 1, chapter 9): MOVD/MOVQ with MMX registers, MOVNTQ,
 * MASKMOVQ, MOVQ2DQ, MOVDQ2Q and EMMS. The MMX arithmetic forms are registered beside their
 * SSE2 twins in {@link SseInteger} and {@link SseShuffle}.
 */
final class Mmx {
    private Mmx() {}

    static void register(OpcodeTable t) {
        t.add(MAP_0F, 0x6e, PFX_NONE, "movd", MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                long v = c.readE(i, i.opsize);
                Sse.setMm(c, i.reg, v);
            }
        });
        t.add(MAP_0F, 0x7e, PFX_NONE, "movd", MODRM, new Exec() {
            public void exec(Cpu c, Insn i) {
                c.writeE(i, i.opsize, Sse.mm(c, i.reg));
                Sse.mmxEnter(c);
            }
        });
        t.add(MAP_0F, 0x6f, PFX_NONE, "movq", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { Sse.setMm(c, i.reg, Sse.mmSrc(c, i)); } });
        t.add(MAP_0F, 0x7f, PFX_NONE, "movq", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { movqStore(c, i); } });
        t.add(MAP_0F, 0xe7, PFX_NONE, "movntq", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { movqStore(c, i); } });
        t.add(MAP_0F, 0xf7, PFX_NONE, "maskmovq", MODRM | REG_ONLY, new Exec() {
            public void exec(Cpu c, Insn i) {
                SseMove.maskedStore(c, SseMove.rdiAddress(c, i), Sse.mm(c, i.reg), Sse.mm(c, i.rm));
                Sse.mmxEnter(c);
            }
        });
        t.add(MAP_0F, 0xd6, PFX_F3, "movq2dq", MODRM | REG_ONLY, new Exec() {
            public void exec(Cpu c, Insn i) {
                c.xmm[2 * i.reg] = Sse.mm(c, i.rm);
                c.xmm[2 * i.reg + 1] = 0;
                Sse.mmxEnter(c);
            }
        });
        t.add(MAP_0F, 0xd6, PFX_F2, "movdq2q", MODRM | REG_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { Sse.setMm(c, i.reg, c.xmm[2 * i.rm]); } });
        t.add(MAP_0F, 0x77, PFX_NONE, "emms", 0, new Exec() { public void exec(Cpu c, Insn i) { emms(c); } });
    }

    /** MOVQ mm/m64, mm and MOVNTQ m64, mm. */
    static void movqStore(Cpu c, Insn i) {
        long v = Sse.mm(c, i.reg);
        if (i.rm >= 0) {
            Sse.setMm(c, i.rm, v);
        } else {
            c.mmu.write64(c.ea(i), v);
            Sse.mmxEnter(c);
        }
    }

    /** EMMS: every x87 register empty (SDM Vol. 2A, EMMS). */
    static void emms(Cpu c) {
        c.x87.tag = 0xffff;
    }
}
