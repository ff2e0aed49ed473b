package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

import dev.linux4j.memory.Mmu;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 0F AE group (SDM Vol. 2A/2B): FXSAVE/FXRSTOR (and their REX.W forms), LDMXCSR, STMXCSR,
 * LFENCE, MFENCE, SFENCE and CLFLUSH.
 */
final class SseState {
    private SseState() {}

    /** MXCSR_MASK as FXSAVE reports it: every MXCSR bit 0-15 is supported, DAZ included. */
    static final int MXCSR_MASK = 0xffff;
    /** The size of the FXSAVE area the instructions write (bytes 416-511 are left alone). */
    static final int FXSAVE_USED = 416;

    static void register(OpcodeTable t) {
        t.addGroupMem(MAP_0F, 0xae, PFX_NONE, 0, "fxsave", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fxsave(c, Sse.aligned16(c, i)); } });
        t.addGroupMem(MAP_0F, 0xae, PFX_NONE, 1, "fxrstor", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fxrstor(c, Sse.aligned16(c, i)); } });
        t.addGroupMem(MAP_0F, 0xae, PFX_NONE, 2, "ldmxcsr", 0,
                new Exec() { public void exec(Cpu c, Insn i) { ldmxcsr(c, c.mmu.read32(c.ea(i))); } });
        t.addGroupMem(MAP_0F, 0xae, PFX_NONE, 3, "stmxcsr", 0,
                new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write32(c.ea(i), c.mxcsr); } });
        t.addGroupMem(MAP_0F, 0xae, PFX_NONE, 7, "clflush", 0,
                new Exec() { public void exec(Cpu c, Insn i) { c.mmu.read8(c.ea(i)); } });
        t.addGroupReg(MAP_0F, 0xae, PFX_NONE, 5, "lfence", 0,
                new Exec() { public void exec(Cpu c, Insn i) { Mmu.fullFence(); } });
        t.addGroupReg(MAP_0F, 0xae, PFX_NONE, 6, "mfence", 0,
                new Exec() { public void exec(Cpu c, Insn i) { Mmu.fullFence(); } });
        t.addGroupReg(MAP_0F, 0xae, PFX_NONE, 7, "sfence", 0,
                new Exec() { public void exec(Cpu c, Insn i) { Mmu.fullFence(); } });
    }

    /** LDMXCSR m32: #GP if a reserved bit (16-31) is set (SDM Vol. 2A, LDMXCSR). */
    static void ldmxcsr(Cpu c, int v) {
        if ((v & ~MXCSR_MASK) != 0) {
            throw CpuTrap.GENERAL_PROTECTION;
        }
        c.mxcsr = v;
    }

    /** The abridged tag word: bit i set when physical register i is not empty. */
    static int abridgedTag(int tag) {
        int ftw = 0;
        for (int p = 0; p < 8; p++) {
            if (((tag >> (2 * p)) & 3) != 3) {
                ftw |= 1 << p;
            }
        }
        return ftw;
    }

    /** The full tag of a non-empty register, from its contents (SDM Vol. 1, 8.1.7). */
    static int tagOf(long mantissa, int signExp) {
        int exp = signExp & 0x7fff;
        if (exp == 0x7fff) {
            return 2;
        }
        if (exp == 0) {
            return mantissa == 0 ? 1 : 2;
        }
        return mantissa < 0 ? 0 : 2; // integer bit clear: unnormal
    }

    /**
     * FXSAVE m512byte (SDM Vol. 1, Table 10-2; 64-bit layout): FCW, FSW with TOP, abridged FTW,
     * FOP/FIP/FDP as 0, MXCSR, MXCSR_MASK, ST0-ST7 (ST(i) is physical register (TOP+i) mod 8) in
     * 16-byte slots, XMM0-15.
     */
    static void fxsave(Cpu c, long a) {
        Mmu m = c.mmu;
        m.probeWrite(a, FXSAVE_USED);
        byte[] image = fxsaveImage(c);
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < FXSAVE_USED; off += 8) {
            m.write64(a + off, b.getLong(off));
        }
    }

    /**
     * The first {@link #FXSAVE_USED} bytes of FXSAVE's image of {@code c}'s state, in a 512-byte
     * array (the rest zero): what FXSAVE stores, and what ptrace's NT_FPREGSET reads.
     */
    static byte[] fxsaveImage(Cpu c) {
        X87 x = c.x87;
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) x.control);
        b.putShort(2, (short) ((x.status & ~0x3800) | ((x.top & 7) << 11)));
        b.putShort(4, (short) abridgedTag(x.tag)); // FOP, FIP, FDP: 0
        b.putInt(24, c.mxcsr);
        b.putInt(28, MXCSR_MASK);
        for (int st = 0; st < 8; st++) {
            int p = (x.top + st) & 7;
            b.putLong(32 + 16 * st, x.mantissa[p]);
            b.putLong(32 + 16 * st + 8, x.signExp[p] & 0xffff);
        }
        for (int n = 0; n < 32; n++) {
            b.putLong(160 + 8 * n, c.xmm[n]);
        }
        return b.array();
    }

    /** FXRSTOR m512byte: the inverse of {@link #fxsave}; #GP if the MXCSR image sets reserved bits. */
    static void fxrstor(Cpu c, long a) {
        Mmu m = c.mmu;
        X87 x = c.x87;
        m.read8(a);
        m.read8(a + FXSAVE_USED - 1);
        int mxcsr = m.read32(a + 24);
        if ((mxcsr & ~MXCSR_MASK) != 0) {
            throw CpuTrap.GENERAL_PROTECTION;
        }
        x.control = m.read16(a);
        int fsw = m.read16(a + 2);
        x.top = (fsw >> 11) & 7;
        x.status = fsw & ~0x3800;
        int ftw = m.read8(a + 4);
        for (int st = 0; st < 8; st++) {
            int p = (x.top + st) & 7;
            long slot = a + 32 + 16 * st;
            x.mantissa[p] = m.read64(slot);
            x.signExp[p] = m.read16(slot + 8);
        }
        int tag = 0;
        for (int p = 0; p < 8; p++) {
            int t = (ftw & (1 << p)) == 0 ? 3 : tagOf(x.mantissa[p], x.signExp[p]);
            tag |= t << (2 * p);
        }
        x.tag = tag;
        c.mxcsr = mxcsr;
        for (int n = 0; n < 32; n++) {
            c.xmm[n] = m.read64(a + 160 + 8 * n);
        }
    }
}
