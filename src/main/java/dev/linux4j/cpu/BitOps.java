package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * Instruction family: BT, BTS, BTR, BTC (register and immediate bit offsets), BSF, BSR
 * (SDM Vol. 2A).
 *
 * <p>The BT family changes only CF (the other status flags keep their values, as on the Intel
 * CPUs we compare with). BSF/BSR with a zero source set ZF and PF and leave the destination
 * entirely unchanged, upper half included; otherwise they clear ZF and set PF from the index.
 * TZCNT and LZCNT (F3 0F BC/BD) execute as BSF and BSR, which is what a CPU without BMI1/ABM
 * does, and CPUID advertises neither.
 */
final class BitOps {
    private BitOps() {}

    static final int BT = 0;
    static final int BTS = 1;
    static final int BTR = 2;
    static final int BTC = 3;

    static void register(OpcodeTable t) {
        t.add(MAP_0F, 0xa3, PFX_NONE, "bt", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { btEvGv(c, i, BT); } });
        t.add(MAP_0F, 0xab, PFX_NONE, "bts", MODRM | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { btEvGv(c, i, BTS); } });
        t.add(MAP_0F, 0xb3, PFX_NONE, "btr", MODRM | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { btEvGv(c, i, BTR); } });
        t.add(MAP_0F, 0xbb, PFX_NONE, "btc", MODRM | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { btEvGv(c, i, BTC); } });
        t.addGroup(MAP_0F, 0xba, PFX_NONE, 4, "bt", IB,
                new Exec() { public void exec(Cpu c, Insn i) { btEvIb(c, i, BT); } });
        t.addGroup(MAP_0F, 0xba, PFX_NONE, 5, "bts", IB | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { btEvIb(c, i, BTS); } });
        t.addGroup(MAP_0F, 0xba, PFX_NONE, 6, "btr", IB | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { btEvIb(c, i, BTR); } });
        t.addGroup(MAP_0F, 0xba, PFX_NONE, 7, "btc", IB | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { btEvIb(c, i, BTC); } });
        t.add(MAP_0F, 0xbc, PFX_NONE, "bsf", MODRM, new Exec() { public void exec(Cpu c, Insn i) { bsf(c, i); } });
        t.add(MAP_0F, 0xbd, PFX_NONE, "bsr", MODRM, new Exec() { public void exec(Cpu c, Insn i) { bsr(c, i); } });
    }

    /**
     * BT* Ev,Gv. With a memory operand the register is a signed bit offset that may reach outside
     * the operand: the operand-size word at EA + size × (offset div bits) is addressed (SDM Vol.
     * 2A, BT, "Bit(BitBase, BitOffset)").
     */
    static void btEvGv(Cpu cpu, Insn i, int op) {
        int size = i.opsize;
        int bits = size * 8;
        long offset = cpu.reg(i.reg, size);
        if (i.rm >= 0) {
            bitOpReg(cpu, i.rm, size, (int) offset & (bits - 1), op);
        } else {
            long signed = Cpu.signExtend(offset, size);
            int shift = Integer.numberOfTrailingZeros(bits);
            long addr = cpu.ea(i) + (signed >> shift) * size;
            bitOpMem(cpu, i, addr, size, (int) signed & (bits - 1), op);
        }
    }

    /** BT* Ev,Ib (0F BA /4-/7): the immediate is taken modulo the operand width. */
    static void btEvIb(Cpu cpu, Insn i, int op) {
        int size = i.opsize;
        int bit = (int) i.imm & (size * 8 - 1);
        if (i.rm >= 0) {
            bitOpReg(cpu, i.rm, size, bit, op);
        } else {
            bitOpMem(cpu, i, cpu.ea(i), size, bit, op);
        }
    }

    private static void bitOpReg(Cpu cpu, int n, int size, int bit, int op) {
        long a = cpu.reg(n, size);
        IntegerAlu.setFlagBits(cpu, Cpu.CF, (a >>> bit) & 1);
        if (op != BT) {
            cpu.setReg(n, size, apply(op, a, bit));
        }
    }

    private static void bitOpMem(Cpu cpu, Insn i, long addr, int size, int bit, int op) {
        long a = cpu.mmu.read(addr, size);
        if (op != BT) {
            long res = apply(op, a, bit);
            if ((i.prefixes & Insn.P_LOCK) == 0) {
                cpu.mmu.write(addr, res, size);
            } else {
                while (true) {
                    long seen = cpu.mmu.compareAndExchange(addr, a, res, size);
                    if (seen == a) {
                        break;
                    }
                    a = seen;
                    res = apply(op, a, bit);
                }
            }
        }
        IntegerAlu.setFlagBits(cpu, Cpu.CF, (a >>> bit) & 1);
    }

    private static long apply(int op, long a, int bit) {
        return switch (op) {
            case BTS -> a | (1L << bit);
            case BTR -> a & ~(1L << bit);
            default -> a ^ (1L << bit); // BTC
        };
    }

    /** BSF Gv,Ev (SDM Vol. 2A, BSF): index of the least significant set bit. */
    static void bsf(Cpu cpu, Insn i) {
        int size = i.opsize;
        long src = cpu.readE(i, size);
        if (src == 0) {
            cpu.setStatusFlags(Cpu.ZF | Cpu.PF);
            return;
        }
        int index = Long.numberOfTrailingZeros(src);
        cpu.setReg(i.reg, size, index);
        cpu.setStatusFlags(IntegerAlu.parity(index));
    }

    /** BSR Gv,Ev (SDM Vol. 2A, BSR): index of the most significant set bit. */
    static void bsr(Cpu cpu, Insn i) {
        int size = i.opsize;
        long src = cpu.readE(i, size);
        if (src == 0) {
            cpu.setStatusFlags(Cpu.ZF | Cpu.PF);
            return;
        }
        int index = 63 - Long.numberOfLeadingZeros(src);
        cpu.setReg(i.reg, size, index);
        cpu.setStatusFlags(IntegerAlu.parity(index));
    }
}
