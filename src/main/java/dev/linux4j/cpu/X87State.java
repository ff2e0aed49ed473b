package dev.linux4j.cpu;

/**
 * x87 control instructions (SDM Vol. 1, 8.3.12 and Vol. 2): FLDCW, FNSTCW, FNSTSW, FNCLEX,
 * FNINIT, FLDENV, FNSTENV, FNSAVE, FRSTOR. The "N" forms do not check for pending exceptions;
 * FLDCW, FLDENV and FRSTOR recompute the ES/B summary so that a newly unmasked pending
 * exception raises #MF at the next waiting instruction.
 */
final class X87State {
    private X87State() {}

    /** Size of the x87 environment in 32/64-bit mode (SDM Vol. 1, Figure 8-9). */
    static final int ENV_SIZE = 28;
    /** Size of the FNSAVE image (SDM Vol. 1, Figure 8-10). */
    static final int SAVE_SIZE = 108;

    /** The FCW as stored: bits 6 and 13-15 are reserved, bit 6 reads as 1. */
    static int controlFromMemory(int v) {
        return (v & 0x1f3f) | 0x40;
    }

    /** FLDCW m2byte. */
    static void fldcw(Cpu cpu, Insn insn) {
        X87 x = cpu.x87;
        x.control = controlFromMemory(cpu.mmu.read16(cpu.ea(insn)));
        x.updateSummary();
    }

    /** FNSTCW m2byte. */
    static void fnstcw(Cpu cpu, Insn insn) {
        cpu.mmu.write16(cpu.ea(insn), cpu.x87.control);
    }

    /** FNSTSW m2byte (DD /7). */
    static void fnstswMem(Cpu cpu, Insn insn) {
        cpu.mmu.write16(cpu.ea(insn), cpu.x87.statusWord());
    }

    /** FNSTSW AX (DF E0; DF E1-E7 are #UD). */
    static void fnstswAx(Cpu cpu, Insn insn) {
        if ((insn.modrm & 7) != 0) {
            throw CpuTrap.INVALID_OPCODE;
        }
        cpu.setReg(Cpu.RAX, 2, cpu.x87.statusWord());
    }

    /** DB E0-E7: FNCLEX (E2), FNINIT (E3); FENI, FDISI, FSETPM (E0, E1, E4) are no-ops since the 387. */
    static void groupDBE0(Cpu cpu, Insn insn) {
        X87 x = cpu.x87;
        switch (insn.modrm & 7) {
            case 0, 1, 4 -> {
            }
            case 2 -> x.status &= ~(0x80ff);
            case 3 -> x.reset();
            default -> throw CpuTrap.INVALID_OPCODE;
        }
    }

    /** Writes the 28-byte environment; reserved upper halves read as 0xFFFF as on hardware. */
    private static void storeEnv(Cpu cpu, long a) {
        X87 x = cpu.x87;
        cpu.mmu.write32(a, 0xffff0000 | x.control);
        cpu.mmu.write32(a + 4, 0xffff0000 | x.statusWord());
        cpu.mmu.write32(a + 8, 0xffff0000 | x.fullTagWord());
        cpu.mmu.write32(a + 12, (int) x.fip);
        cpu.mmu.write32(a + 16, (x.fop & 0x7ff) << 16);
        cpu.mmu.write32(a + 20, (int) x.fdp);
        cpu.mmu.write32(a + 24, 0xffff0000);
    }

    /** FNSTENV m28byte: stores the environment, then masks all exceptions. */
    static void fnstenv(Cpu cpu, Insn insn) {
        long a = cpu.ea(insn);
        cpu.mmu.probeWrite(a, ENV_SIZE);
        storeEnv(cpu, a);
        cpu.x87.control |= 0x3f;
    }

    /** FNSAVE m108byte: environment and ST(0)-ST(7), then FNINIT. */
    static void fnsave(Cpu cpu, Insn insn) {
        long a = cpu.ea(insn);
        cpu.mmu.probeWrite(a, SAVE_SIZE);
        storeEnv(cpu, a);
        X87 x = cpu.x87;
        for (int i = 0; i < 8; i++) {
            long r = a + ENV_SIZE + 10L * i;
            cpu.mmu.write64(r, x.m(i));
            cpu.mmu.write16(r + 8, x.se(i));
        }
        x.reset();
    }

    /** FLDENV m28byte (a waiting-style load: the summary follows the loaded flags and masks). */
    static void fldenv(Cpu cpu, Insn insn) {
        long a = cpu.ea(insn);
        int fcw = cpu.mmu.read16(a);
        int fsw = cpu.mmu.read16(a + 4);
        int ftw = cpu.mmu.read16(a + 8);
        long fip = cpu.mmu.read32(a + 12) & 0xffffffffL;
        int fop = (cpu.mmu.read32(a + 16) >>> 16) & 0x7ff;
        long fdp = cpu.mmu.read32(a + 20) & 0xffffffffL;
        loadEnv(cpu.x87, fcw, fsw, ftw, fip, fop, fdp);
    }

    private static void loadEnv(X87 x, int fcw, int fsw, int ftw, long fip, int fop, long fdp) {
        x.control = controlFromMemory(fcw);
        x.setStatusWord(fsw);
        x.setTagWord(ftw);
        x.fip = fip;
        x.fop = fop;
        x.fdp = fdp;
        x.updateSummary();
    }

    /** FRSTOR m108byte. */
    static void frstor(Cpu cpu, Insn insn) {
        long a = cpu.ea(insn);
        int fcw = cpu.mmu.read16(a);
        int fsw = cpu.mmu.read16(a + 4);
        int ftw = cpu.mmu.read16(a + 8);
        long fip = cpu.mmu.read32(a + 12) & 0xffffffffL;
        int fop = (cpu.mmu.read32(a + 16) >>> 16) & 0x7ff;
        long fdp = cpu.mmu.read32(a + 20) & 0xffffffffL;
        long[] m = new long[8];
        int[] se = new int[8];
        for (int i = 0; i < 8; i++) {
            long r = a + ENV_SIZE + 10L * i;
            m[i] = cpu.mmu.read64(r);
            se[i] = cpu.mmu.read16(r + 8);
        }
        X87 x = cpu.x87;
        int top = (fsw >> 11) & 7;
        for (int i = 0; i < 8; i++) {
            int p = (top + i) & 7;
            x.signExp[p] = se[i];
            x.mantissa[p] = m[i];
        }
        loadEnv(x, fcw, fsw, ftw, fip, fop, fdp);
    }
}
