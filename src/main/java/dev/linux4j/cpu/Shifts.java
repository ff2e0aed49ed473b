package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * Instruction family: ROL, ROR, RCL, RCR, SHL/SAL, SHR, SAR (group 2), SHLD, SHRD (SDM Vol. 2);
 * the bit instructions BT, BTS, BTR, BTC, BSF, BSR are in {@link BitOps}.
 *
 * <p>The count is masked to 5 bits (6 with REX.W); a masked count of 0 changes no flag, but a
 * 32-bit register destination is still written, so its upper half is cleared (as the hardware
 * does). Flags the SDM leaves undefined follow the Intel CPUs we compare with (checked over
 * every size, count and operand class): shifts clear AF; for counts other than 1, OF is the OF
 * of the first 1-bit step (SHL, RCL: MSB XOR the next bit; SHR: MSB; SAR: 0; RCR: MSB XOR the
 * incoming CF; SHLD: as SHL; SHRD: MSB(dest) XOR LSB(src)), except that ROL and ROR with an
 * immediate count leave OF unchanged while with a count in CL they too set the first step's OF.
 */
final class Shifts {
    private Shifts() {}

    static final int ROL = 0;
    static final int ROR = 1;
    static final int RCL = 2;
    static final int RCR = 3;
    static final int SHL = 4;
    static final int SHR = 5;
    static final int SAL = 6;
    static final int SAR = 7;

    private static final String[] NAMES = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};

    static void register(OpcodeTable t) {
        registerGroup2(t, ROL, ROL);
        registerGroup2(t, ROR, ROR);
        registerGroup2(t, RCL, RCL);
        registerGroup2(t, RCR, RCR);
        registerGroup2(t, SHL, SHL);
        registerGroup2(t, SHR, SHR);
        // /6 (SAL) is an alias of /4 (SHL) on every x86 CPU.
        registerGroup2(t, SAL, SHL);
        registerGroup2(t, SAR, SAR);

        t.add(MAP_0F, 0xa4, PFX_NONE, "shld", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { shiftDouble(c, i, true, (int) i.imm); } });
        t.add(MAP_0F, 0xa5, PFX_NONE, "shld", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { shiftDouble(c, i, true, (int) c.r[Cpu.RCX]); } });
        t.add(MAP_0F, 0xac, PFX_NONE, "shrd", MODRM | IB,
                new Exec() { public void exec(Cpu c, Insn i) { shiftDouble(c, i, false, (int) i.imm); } });
        t.add(MAP_0F, 0xad, PFX_NONE, "shrd", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { shiftDouble(c, i, false, (int) c.r[Cpu.RCX]); } });

        BitOps.register(t);
    }

    /** C0/C1 (count Ib), D0/D1 (count 1), D2/D3 (count CL), byte and full-size forms. */
    private static void registerGroup2(OpcodeTable t, int digit, int op) {
        Exec byImm = new Exec() { public void exec(Cpu c, Insn i) { group2(c, i, op, (int) i.imm, false); } };
        Exec byOne = new Exec() { public void exec(Cpu c, Insn i) { group2(c, i, op, 1, false); } };
        Exec byCl = new Exec() { public void exec(Cpu c, Insn i) { group2(c, i, op, (int) c.r[Cpu.RCX], true); } };
        String m = NAMES[digit];
        t.addGroup(MAP_1B, 0xc0, PFX_NONE, digit, m, SIZE_BYTE | IB, byImm);
        t.addGroup(MAP_1B, 0xc1, PFX_NONE, digit, m, IB, byImm);
        t.addGroup(MAP_1B, 0xd0, PFX_NONE, digit, m, SIZE_BYTE, byOne);
        t.addGroup(MAP_1B, 0xd1, PFX_NONE, digit, m, 0, byOne);
        t.addGroup(MAP_1B, 0xd2, PFX_NONE, digit, m, SIZE_BYTE, byCl);
        t.addGroup(MAP_1B, 0xd3, PFX_NONE, digit, m, 0, byCl);
    }

    /** Group 2 on Eb or Ev with an unmasked count; {@code byCl} for the D2/D3 forms. */
    static void group2(Cpu cpu, Insn i, int op, int count, boolean byCl) {
        int size = i.opsize;
        count &= size == 8 ? 63 : 31;
        if (i.rm >= 0) {
            int n = size == 1 ? i.rmB : i.rm;
            cpu.setReg(n, size, shift(cpu, op, cpu.reg(n, size), count, size, byCl));
        } else {
            long addr = cpu.ea(i);
            long a = cpu.mmu.read(addr, size);
            cpu.mmu.probeWrite(addr, size); // the flags must not change if the store faults
            cpu.mmu.write(addr, shift(cpu, op, a, count, size, byCl), size);
        }
    }

    /**
     * Applies group-2 operation {@code op} to the zero-extended {@code a}; {@code count} is masked.
     * {@code byCl} tells a count in CL from an immediate one, which matters only for the
     * undefined OF of ROL and ROR.
     */
    static long shift(Cpu cpu, int op, long a, int count, int size, boolean byCl) {
        if (count == 0) {
            return a;
        }
        return switch (op) {
            case ROL -> rol(cpu, a, count, size, byCl);
            case ROR -> ror(cpu, a, count, size, byCl);
            case RCL -> rcl(cpu, a, count, size);
            case RCR -> rcr(cpu, a, count, size);
            case SHL -> shl(cpu, a, count, size);
            case SHR -> shr(cpu, a, count, size);
            default -> sar(cpu, a, count, size);
        };
    }

    /** SHL/SAL (SDM Vol. 2B, SAL/SAR/SHL/SHR), count 1..63 already masked. */
    static long shl(Cpu cpu, long a, int count, int size) {
        int bits = size * 8;
        long res = a << count;
        long cf = count <= bits ? (a >>> (bits - count)) & 1 : 0;
        long of = firstStepOfLeft(a, bits);
        cpu.flagsResult(res, size, cf | of);
        return res;
    }

    /** SHR (SDM Vol. 2B, SAL/SAR/SHL/SHR): {@code a} is zero-extended. */
    static long shr(Cpu cpu, long a, int count, int size) {
        long res = a >>> count;
        long cf = (a >>> (count - 1)) & 1;
        long of = ((a >>> (size * 8 - 1)) & 1) != 0 ? Cpu.OF : 0;
        cpu.flagsResult(res, size, cf | of);
        return res;
    }

    /** SAR (SDM Vol. 2B, SAL/SAR/SHL/SHR): OF is cleared. */
    static long sar(Cpu cpu, long a, int count, int size) {
        long s = Cpu.signExtend(a, size);
        long res = s >> count;
        cpu.flagsResult(res, size, (s >> (count - 1)) & 1);
        return res;
    }

    /**
     * ROL (SDM Vol. 2B, RCL/RCR/ROL/ROR): CF = LSB(result); OF for count 1 = MSB(result) XOR CF.
     * For other counts OF is undefined: a count in CL sets it as the first 1-bit step would, an
     * immediate count leaves it unchanged (as the Intel CPUs we compare with do).
     */
    static long rol(Cpu cpu, long a, int count, int size, boolean byCl) {
        int bits = size * 8;
        int r = count & (bits - 1);
        long res = bits == 64 ? Long.rotateLeft(a, r) : ((a << r) | (a >>> (bits - r))) & Cpu.mask(size);
        long cf = res & 1;
        if (count == 1 || byCl) {
            IntegerAlu.setFlagBits(cpu, Cpu.CF | Cpu.OF, cf | firstStepOfLeft(a, bits));
        } else {
            IntegerAlu.setFlagBits(cpu, Cpu.CF, cf);
        }
        return res;
    }

    /** ROR (SDM Vol. 2B, RCL/RCR/ROL/ROR): CF = MSB(result); OF for count 1 = the two top bits differ. */
    static long ror(Cpu cpu, long a, int count, int size, boolean byCl) {
        int bits = size * 8;
        int r = count & (bits - 1);
        long res = bits == 64 ? Long.rotateRight(a, r) : ((a >>> r) | (a << (bits - r))) & Cpu.mask(size);
        long cf = (res >>> (bits - 1)) & 1;
        if (count == 1 || byCl) {
            long of = ((a ^ (a >>> (bits - 1))) & 1) != 0 ? Cpu.OF : 0;
            IntegerAlu.setFlagBits(cpu, Cpu.CF | Cpu.OF, cf | of);
        } else {
            IntegerAlu.setFlagBits(cpu, Cpu.CF, cf);
        }
        return res;
    }

    /**
     * RCL (SDM Vol. 2B, RCL/RCR/ROL/ROR): rotates the (size+1)-bit CF:dest left; for bytes and
     * words the count is taken mod 9 and 17, and a count that reduces to 0 changes nothing.
     */
    static long rcl(Cpu cpu, long a, int count, int size) {
        int bits = size * 8;
        long cfIn = cpu.cf() ? 1 : 0;
        long res;
        long cf;
        if (bits == 64) {
            res = (a << count) | (cfIn << (count - 1)) | (count > 1 ? a >>> (65 - count) : 0);
            cf = (a >>> (64 - count)) & 1;
        } else {
            int c = bits < 32 ? count % (bits + 1) : count;
            if (c == 0) {
                return a;
            }
            long v = (cfIn << bits) | a;
            long rot = ((v << c) | (v >>> (bits + 1 - c))) & ((1L << (bits + 1)) - 1);
            res = rot & Cpu.mask(size);
            cf = rot >>> bits;
        }
        IntegerAlu.setFlagBits(cpu, Cpu.CF | Cpu.OF, cf | firstStepOfLeft(a, bits));
        return res;
    }

    /** RCR (SDM Vol. 2B, RCL/RCR/ROL/ROR): OF = MSB(dest) XOR CF, both before the rotation. */
    static long rcr(Cpu cpu, long a, int count, int size) {
        int bits = size * 8;
        long cfIn = cpu.cf() ? 1 : 0;
        long res;
        long cf;
        if (bits == 64) {
            res = (a >>> count) | (cfIn << (64 - count)) | (count > 1 ? a << (65 - count) : 0);
            cf = (a >>> (count - 1)) & 1;
        } else {
            int c = bits < 32 ? count % (bits + 1) : count;
            if (c == 0) {
                return a;
            }
            long v = (cfIn << bits) | a;
            long rot = ((v >>> c) | (v << (bits + 1 - c))) & ((1L << (bits + 1)) - 1);
            res = rot & Cpu.mask(size);
            cf = rot >>> bits;
        }
        long of = ((a >>> (bits - 1)) & 1) != cfIn ? Cpu.OF : 0;
        IntegerAlu.setFlagBits(cpu, Cpu.CF | Cpu.OF, cf | of);
        return res;
    }

    /**
     * OF of a 1-bit left shift or rotation of {@code a}: MSB(a) XOR the bit below it. For counts
     * above 1, where the SDM leaves OF undefined, SHL, RCL and ROL by CL set this value too.
     */
    private static long firstStepOfLeft(long a, int bits) {
        return (((a ^ (a << 1)) >>> (bits - 1)) & 1) != 0 ? Cpu.OF : 0;
    }

    // ---------------------------------------------------------------- SHLD, SHRD

    /** SHLD/SHRD Ev,Gv,Ib / Ev,Gv,CL. */
    static void shiftDouble(Cpu cpu, Insn i, boolean left, int count) {
        int size = i.opsize;
        count &= size == 8 ? 63 : 31;
        long src = cpu.reg(i.reg, size);
        if (i.rm >= 0) {
            long a = cpu.reg(i.rm, size);
            cpu.setReg(i.rm, size, left ? shld(cpu, a, src, count, size) : shrd(cpu, a, src, count, size));
        } else {
            long addr = cpu.ea(i);
            long a = cpu.mmu.read(addr, size);
            cpu.mmu.probeWrite(addr, size);
            cpu.mmu.write(addr, left ? shld(cpu, a, src, count, size) : shrd(cpu, a, src, count, size), size);
        }
    }

    /**
     * SHLD (SDM Vol. 2B, SHLD): shifts {@code dest} left, filling from the top of {@code src}. A
     * 16-bit count above 16 is undefined; it behaves as the hardware does, shifting the 48-bit
     * dest:src:dest.
     */
    static long shld(Cpu cpu, long dest, long src, int count, int size) {
        if (count == 0) {
            return dest;
        }
        long res;
        long cf;
        switch (size) {
            case 2 -> {
                long v = (dest << 32) | (src << 16) | dest;
                res = (v >>> (32 - count)) & 0xffff;
                cf = (v >>> (48 - count)) & 1;
            }
            case 4 -> {
                long v = (dest << 32) | src;
                res = (v >>> (32 - count)) & 0xffffffffL;
                cf = (v >>> (64 - count)) & 1;
            }
            default -> {
                res = (dest << count) | (src >>> (64 - count));
                cf = (dest >>> (64 - count)) & 1;
            }
        }
        // OF (defined for count 1): the sign changed. For larger counts, as the first 1-bit step.
        long of = firstStepOfLeft(dest, size * 8);
        cpu.flagsResult(res, size, cf | of);
        return res;
    }

    /** SHRD (SDM Vol. 2B, SHRD): shifts {@code dest} right, filling from the bottom of {@code src}. */
    static long shrd(Cpu cpu, long dest, long src, int count, int size) {
        if (count == 0) {
            return dest;
        }
        long res;
        long cf;
        switch (size) {
            case 2 -> {
                long v = (dest << 32) | (src << 16) | dest;
                res = (v >>> count) & 0xffff;
                cf = (v >>> (count - 1)) & 1;
            }
            case 4 -> {
                long v = (src << 32) | dest;
                res = (v >>> count) & 0xffffffffL;
                cf = (v >>> (count - 1)) & 1;
            }
            default -> {
                res = (dest >>> count) | (src << (64 - count));
                cf = (dest >>> (count - 1)) & 1;
            }
        }
        // OF (defined for count 1): the sign changed, i.e. MSB(dest) XOR LSB(src), for any count.
        long of = (((dest >>> (size * 8 - 1)) ^ src) & 1) != 0 ? Cpu.OF : 0;
        cpu.flagsResult(res, size, cf | of);
        return res;
    }
}
