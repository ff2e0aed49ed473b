package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * Instruction family: ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST, INC, DEC, NOT, NEG (SDM Vol. 2),
 * with MUL, IMUL, DIV and IDIV in {@link IntegerAluMulDiv}.
 *
 * <p>Every read-modify-write form has one shape: read the destination, compute the result with
 * {@link #compute}, store it, and only then record the flags with {@link #setFlags}, so a store
 * that faults leaves the flags as they were (faults are precise). With LOCK the store is a
 * compare-and-exchange loop (SDM Vol. 3A, 9.1.2.2).
 */
final class IntegerAlu {
    private IntegerAlu() {}

    // Operation numbers: 0-7 are the /digit of group 1 and bits 5:3 of opcodes 00-3D
    // (SDM Vol. 2, Table A-2); 8-11 are the unary read-modify-write operations.
    static final int ADD = 0;
    static final int OR = 1;
    static final int ADC = 2;
    static final int SBB = 3;
    static final int AND = 4;
    static final int SUB = 5;
    static final int XOR = 6;
    static final int CMP = 7;
    static final int NOT = 8;
    static final int NEG = 9;
    static final int INC = 10;
    static final int DEC = 11;

    static void register(OpcodeTable t) {
        registerBinary(t);
        registerGroup1(t);
        registerTest(t);
        registerUnary(t);
        IntegerAluMulDiv.register(t);
    }

    /** Opcodes 00-3D: op Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev / AL,Ib / rAX,Iz. */
    private static void registerBinary(OpcodeTable t) {
        int b = MODRM | SIZE_BYTE;
        int v = MODRM;
        int lb = b | LOCKABLE;
        int lv = v | LOCKABLE;
        t.add(0x00, "add", lb, new Exec() { public void exec(Cpu c, Insn i) { opEbGb(c, i, ADD); } });
        t.add(0x01, "add", lv, new Exec() { public void exec(Cpu c, Insn i) { opEvGv(c, i, ADD); } });
        t.add(0x02, "add", b, new Exec() { public void exec(Cpu c, Insn i) { opGbEb(c, i, ADD); } });
        t.add(0x03, "add", v, new Exec() { public void exec(Cpu c, Insn i) { opGvEv(c, i, ADD); } });
        t.add(0x04, "add", SIZE_BYTE | IB, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, ADD); } });
        t.add(0x05, "add", IZ, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, ADD); } });
        t.add(0x08, "or", lb, new Exec() { public void exec(Cpu c, Insn i) { opEbGb(c, i, OR); } });
        t.add(0x09, "or", lv, new Exec() { public void exec(Cpu c, Insn i) { opEvGv(c, i, OR); } });
        t.add(0x0a, "or", b, new Exec() { public void exec(Cpu c, Insn i) { opGbEb(c, i, OR); } });
        t.add(0x0b, "or", v, new Exec() { public void exec(Cpu c, Insn i) { opGvEv(c, i, OR); } });
        t.add(0x0c, "or", SIZE_BYTE | IB, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, OR); } });
        t.add(0x0d, "or", IZ, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, OR); } });
        t.add(0x10, "adc", lb, new Exec() { public void exec(Cpu c, Insn i) { opEbGb(c, i, ADC); } });
        t.add(0x11, "adc", lv, new Exec() { public void exec(Cpu c, Insn i) { opEvGv(c, i, ADC); } });
        t.add(0x12, "adc", b, new Exec() { public void exec(Cpu c, Insn i) { opGbEb(c, i, ADC); } });
        t.add(0x13, "adc", v, new Exec() { public void exec(Cpu c, Insn i) { opGvEv(c, i, ADC); } });
        t.add(0x14, "adc", SIZE_BYTE | IB, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, ADC); } });
        t.add(0x15, "adc", IZ, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, ADC); } });
        t.add(0x18, "sbb", lb, new Exec() { public void exec(Cpu c, Insn i) { opEbGb(c, i, SBB); } });
        t.add(0x19, "sbb", lv, new Exec() { public void exec(Cpu c, Insn i) { opEvGv(c, i, SBB); } });
        t.add(0x1a, "sbb", b, new Exec() { public void exec(Cpu c, Insn i) { opGbEb(c, i, SBB); } });
        t.add(0x1b, "sbb", v, new Exec() { public void exec(Cpu c, Insn i) { opGvEv(c, i, SBB); } });
        t.add(0x1c, "sbb", SIZE_BYTE | IB, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, SBB); } });
        t.add(0x1d, "sbb", IZ, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, SBB); } });
        t.add(0x20, "and", lb, new Exec() { public void exec(Cpu c, Insn i) { opEbGb(c, i, AND); } });
        t.add(0x21, "and", lv, new Exec() { public void exec(Cpu c, Insn i) { opEvGv(c, i, AND); } });
        t.add(0x22, "and", b, new Exec() { public void exec(Cpu c, Insn i) { opGbEb(c, i, AND); } });
        t.add(0x23, "and", v, new Exec() { public void exec(Cpu c, Insn i) { opGvEv(c, i, AND); } });
        t.add(0x24, "and", SIZE_BYTE | IB, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, AND); } });
        t.add(0x25, "and", IZ, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, AND); } });
        t.add(0x28, "sub", lb, new Exec() { public void exec(Cpu c, Insn i) { opEbGb(c, i, SUB); } });
        t.add(0x29, "sub", lv, new Exec() { public void exec(Cpu c, Insn i) { opEvGv(c, i, SUB); } });
        t.add(0x2a, "sub", b, new Exec() { public void exec(Cpu c, Insn i) { opGbEb(c, i, SUB); } });
        t.add(0x2b, "sub", v, new Exec() { public void exec(Cpu c, Insn i) { opGvEv(c, i, SUB); } });
        t.add(0x2c, "sub", SIZE_BYTE | IB, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, SUB); } });
        t.add(0x2d, "sub", IZ, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, SUB); } });
        t.add(0x30, "xor", lb, new Exec() { public void exec(Cpu c, Insn i) { opEbGb(c, i, XOR); } });
        t.add(0x31, "xor", lv, new Exec() { public void exec(Cpu c, Insn i) { opEvGv(c, i, XOR); } });
        t.add(0x32, "xor", b, new Exec() { public void exec(Cpu c, Insn i) { opGbEb(c, i, XOR); } });
        t.add(0x33, "xor", v, new Exec() { public void exec(Cpu c, Insn i) { opGvEv(c, i, XOR); } });
        t.add(0x34, "xor", SIZE_BYTE | IB, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, XOR); } });
        t.add(0x35, "xor", IZ, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, XOR); } });
        t.add(0x38, "cmp", b, new Exec() { public void exec(Cpu c, Insn i) { opEbGb(c, i, CMP); } });
        t.add(0x39, "cmp", v, new Exec() { public void exec(Cpu c, Insn i) { opEvGv(c, i, CMP); } });
        t.add(0x3a, "cmp", b, new Exec() { public void exec(Cpu c, Insn i) { opGbEb(c, i, CMP); } });
        t.add(0x3b, "cmp", v, new Exec() { public void exec(Cpu c, Insn i) { opGvEv(c, i, CMP); } });
        t.add(0x3c, "cmp", SIZE_BYTE | IB, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, CMP); } });
        t.add(0x3d, "cmp", IZ, new Exec() { public void exec(Cpu c, Insn i) { opAccImm(c, i, CMP); } });
    }

    /** Group 1: 80 op Eb,Ib; 81 op Ev,Iz; 83 op Ev,Ib (sign-extended). 82 is invalid in 64-bit mode. */
    private static void registerGroup1(OpcodeTable t) {
        group1(t, ADD, "add", new Exec() { public void exec(Cpu c, Insn i) { opEImm(c, i, ADD); } });
        group1(t, OR, "or", new Exec() { public void exec(Cpu c, Insn i) { opEImm(c, i, OR); } });
        group1(t, ADC, "adc", new Exec() { public void exec(Cpu c, Insn i) { opEImm(c, i, ADC); } });
        group1(t, SBB, "sbb", new Exec() { public void exec(Cpu c, Insn i) { opEImm(c, i, SBB); } });
        group1(t, AND, "and", new Exec() { public void exec(Cpu c, Insn i) { opEImm(c, i, AND); } });
        group1(t, SUB, "sub", new Exec() { public void exec(Cpu c, Insn i) { opEImm(c, i, SUB); } });
        group1(t, XOR, "xor", new Exec() { public void exec(Cpu c, Insn i) { opEImm(c, i, XOR); } });
        group1(t, CMP, "cmp", new Exec() { public void exec(Cpu c, Insn i) { opEImm(c, i, CMP); } });
    }

    private static void group1(OpcodeTable t, int op, String mnemonic, Exec exec) {
        int lock = op == CMP ? 0 : LOCKABLE;
        t.addGroup(MAP_1B, 0x80, PFX_NONE, op, mnemonic, SIZE_BYTE | IB | lock, exec);
        t.addGroup(MAP_1B, 0x81, PFX_NONE, op, mnemonic, IZ | lock, exec);
        t.addGroup(MAP_1B, 0x83, PFX_NONE, op, mnemonic, IB | lock, exec);
    }

    /** TEST: 84 Eb,Gb; 85 Ev,Gv; A8 AL,Ib; A9 rAX,Iz; F6 /0 /1 Eb,Ib; F7 /0 /1 Ev,Iz. */
    private static void registerTest(OpcodeTable t) {
        t.add(0x84, "test", MODRM | SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { testEG(c, i, 1); } });
        t.add(0x85, "test", MODRM, new Exec() { public void exec(Cpu c, Insn i) { testEG(c, i, i.opsize); } });
        t.add(0xa8, "test", SIZE_BYTE | IB,
                new Exec() { public void exec(Cpu c, Insn i) { c.flagsLogic(c.r[Cpu.RAX] & i.imm, 1); } });
        t.add(0xa9, "test", IZ,
                new Exec() { public void exec(Cpu c, Insn i) { c.flagsLogic(c.r[Cpu.RAX] & i.imm, i.opsize); } });
        Exec testImm = new Exec() { public void exec(Cpu c, Insn i) { c.flagsLogic(c.readE(i) & i.imm, i.opsize); } };
        // F6/F7 /1 is an undocumented alias of /0 that CPUs execute (AMD documents it).
        for (int digit = 0; digit <= 1; digit++) {
            t.addGroup(MAP_1B, 0xf6, PFX_NONE, digit, "test", SIZE_BYTE | IB, testImm);
            t.addGroup(MAP_1B, 0xf7, PFX_NONE, digit, "test", IZ, testImm);
        }
    }

    /** F6/F7 /2 NOT, /3 NEG; FE /0 INC Eb, /1 DEC Eb; FF /0 INC Ev, /1 DEC Ev. */
    private static void registerUnary(OpcodeTable t) {
        int l = LOCKABLE;
        t.addGroup(MAP_1B, 0xf6, PFX_NONE, 2, "not", SIZE_BYTE | l,
                new Exec() { public void exec(Cpu c, Insn i) { opE(c, i, NOT); } });
        t.addGroup(MAP_1B, 0xf7, PFX_NONE, 2, "not", l,
                new Exec() { public void exec(Cpu c, Insn i) { opE(c, i, NOT); } });
        t.addGroup(MAP_1B, 0xf6, PFX_NONE, 3, "neg", SIZE_BYTE | l,
                new Exec() { public void exec(Cpu c, Insn i) { opE(c, i, NEG); } });
        t.addGroup(MAP_1B, 0xf7, PFX_NONE, 3, "neg", l,
                new Exec() { public void exec(Cpu c, Insn i) { opE(c, i, NEG); } });
        t.addGroup(MAP_1B, 0xfe, PFX_NONE, 0, "inc", SIZE_BYTE | l,
                new Exec() { public void exec(Cpu c, Insn i) { opE(c, i, INC); } });
        t.addGroup(MAP_1B, 0xfe, PFX_NONE, 1, "dec", SIZE_BYTE | l,
                new Exec() { public void exec(Cpu c, Insn i) { opE(c, i, DEC); } });
        t.addGroup(MAP_1B, 0xff, PFX_NONE, 0, "inc", l,
                new Exec() { public void exec(Cpu c, Insn i) { opE(c, i, INC); } });
        t.addGroup(MAP_1B, 0xff, PFX_NONE, 1, "dec", l,
                new Exec() { public void exec(Cpu c, Insn i) { opE(c, i, DEC); } });
    }

    // ---------------------------------------------------------------- operand forms

    /** The register number of the r/m operand at {@code size} (AH-BH are 16-19 for bytes). */
    static int rmReg(Insn i, int size) {
        return size == 1 ? i.rmB : i.rm;
    }

    static int gReg(Insn i, int size) {
        return size == 1 ? i.regB : i.reg;
    }

    /** op Eb,Gb (opcodes 00, 08, ... 38). */
    static void opEbGb(Cpu cpu, Insn i, int op) {
        long b = cpu.reg(i.regB, 1);
        if (i.rm >= 0) {
            long res = alu(cpu, op, cpu.reg(i.rmB, 1), b, 1);
            if (op != CMP) {
                cpu.setReg(i.rmB, 1, res);
            }
        } else {
            opMem(cpu, i, op, b, 1);
        }
    }

    /** op Ev,Gv (opcodes 01, 09, ... 39). */
    static void opEvGv(Cpu cpu, Insn i, int op) {
        int size = i.opsize;
        long b = cpu.reg(i.reg, size);
        if (i.rm >= 0) {
            long res = alu(cpu, op, cpu.reg(i.rm, size), b, size);
            if (op != CMP) {
                cpu.setReg(i.rm, size, res);
            }
        } else {
            opMem(cpu, i, op, b, size);
        }
    }

    /** op Gb,Eb (opcodes 02, 0A, ... 3A). */
    static void opGbEb(Cpu cpu, Insn i, int op) {
        long b = cpu.readE(i, 1);
        long res = alu(cpu, op, cpu.reg(i.regB, 1), b, 1);
        if (op != CMP) {
            cpu.setReg(i.regB, 1, res);
        }
    }

    /** op Gv,Ev (opcodes 03, 0B, ... 3B). */
    static void opGvEv(Cpu cpu, Insn i, int op) {
        int size = i.opsize;
        long b = cpu.readE(i, size);
        long res = alu(cpu, op, cpu.reg(i.reg, size), b, size);
        if (op != CMP) {
            cpu.setReg(i.reg, size, res);
        }
    }

    /** op AL,Ib / op rAX,Iz (opcodes 04, 05, ... 3D). */
    static void opAccImm(Cpu cpu, Insn i, int op) {
        int size = i.opsize;
        long res = alu(cpu, op, cpu.reg(Cpu.RAX, size), i.imm, size);
        if (op != CMP) {
            cpu.setReg(Cpu.RAX, size, res);
        }
    }

    /** Group 1: op Eb,Ib / Ev,Iz / Ev,Ib. */
    static void opEImm(Cpu cpu, Insn i, int op) {
        int size = i.opsize;
        if (i.rm >= 0) {
            int n = rmReg(i, size);
            long res = alu(cpu, op, cpu.reg(n, size), i.imm, size);
            if (op != CMP) {
                cpu.setReg(n, size, res);
            }
        } else {
            opMem(cpu, i, op, i.imm, size);
        }
    }

    /** Unary read-modify-write: NOT, NEG, INC, DEC on Eb or Ev. */
    static void opE(Cpu cpu, Insn i, int op) {
        int size = i.opsize;
        if (i.rm >= 0) {
            int n = rmReg(i, size);
            cpu.setReg(n, size, alu(cpu, op, cpu.reg(n, size), 0, size));
        } else {
            opMem(cpu, i, op, 0, size);
        }
    }

    /** TEST Eb,Gb / Ev,Gv (SDM Vol. 2B, TEST). */
    static void testEG(Cpu cpu, Insn i, int size) {
        cpu.flagsLogic(cpu.readE(i, size) & cpu.readG(i, size), size);
    }

    /**
     * The memory-destination form of {@code op}: plain read-modify-write, or with LOCK an atomic
     * compare-and-exchange loop. Flags are recorded after the store.
     */
    static void opMem(Cpu cpu, Insn i, int op, long b, int size) {
        long addr = cpu.ea(i);
        long a = cpu.mmu.read(addr, size);
        if (op == CMP) {
            alu(cpu, op, a, b, size);
            return;
        }
        long carry = carryIn(cpu, op);
        long res = compute(op, a, b, carry);
        if ((i.prefixes & Insn.P_LOCK) == 0) {
            cpu.mmu.write(addr, res, size);
        } else {
            while (true) {
                long seen = cpu.mmu.compareAndExchange(addr, a, res, size);
                if (seen == a) {
                    break;
                }
                a = seen;
                res = compute(op, a, b, carry);
            }
        }
        setFlags(cpu, op, a, b, carry, res, size);
    }

    // ---------------------------------------------------------------- semantics

    /** Computes {@code op} on {@code a} and {@code b}, records the flags and returns the result. */
    static long alu(Cpu cpu, int op, long a, long b, int size) {
        long carry = carryIn(cpu, op);
        long res = compute(op, a, b, carry);
        setFlags(cpu, op, a, b, carry, res, size);
        return res;
    }

    /** CF before the instruction, for the operations that read it (ADC, SBB) or keep it (INC, DEC). */
    static long carryIn(Cpu cpu, int op) {
        return switch (op) {
            case ADC, SBB, INC, DEC -> cpu.cf() ? 1 : 0;
            default -> 0;
        };
    }

    /** The result of {@code op} in the low bits (upper bits are don't-care; callers truncate on store). */
    static long compute(int op, long a, long b, long carry) {
        return switch (op) {
            case ADD -> a + b;
            case OR -> a | b;
            case ADC -> a + b + carry;
            case SBB -> a - b - carry;
            case AND -> a & b;
            case SUB, CMP -> a - b;
            case XOR -> a ^ b;
            case NOT -> ~a;
            case NEG -> -a;
            case INC -> a + 1;
            default -> a - 1; // DEC
        };
    }

    /**
     * Records the flags of {@code op} (SDM Vol. 2, "Flags Affected" of each instruction). AF after
     * AND, OR, XOR is undefined; it is cleared, as the CPUs we compare with do.
     */
    static void setFlags(Cpu cpu, int op, long a, long b, long carry, long res, int size) {
        switch (op) {
            case ADD -> cpu.flagsAdd(a, b, res, size);
            case ADC -> cpu.flagsAdc(a, b, carry, res, size);
            case SBB -> cpu.flagsSbb(a, b, carry, res, size);
            case SUB, CMP -> cpu.flagsSub(a, b, res, size);
            case OR, AND, XOR -> cpu.flagsLogic(res, size);
            case NEG -> cpu.flagsSub(0, a, res, size);
            case INC -> {
                // SDM Vol. 2A, INC: CF unchanged; OF when a was the largest positive value.
                long of = ((~a & res) >>> (size * 8 - 1) & 1) != 0 ? Cpu.OF : 0;
                long af = ((a ^ res) & 0x10) != 0 ? Cpu.AF : 0;
                cpu.flagsResult(res, size, carry | of | af);
            }
            case DEC -> {
                // SDM Vol. 2A, DEC: CF unchanged; OF when a was the most negative value.
                long of = ((a & ~res) >>> (size * 8 - 1) & 1) != 0 ? Cpu.OF : 0;
                long af = ((a ^ res) & 0x10) != 0 ? Cpu.AF : 0;
                cpu.flagsResult(res, size, carry | of | af);
            }
            default -> {
                // NOT: no flags
            }
        }
    }

    // ---------------------------------------------------------------- partial flag updates

    /**
     * Replaces the status flags in {@code which} by {@code bits}, keeping the others, without
     * materialising the lazy flags when the last writer recorded CF/OF/AF explicitly.
     */
    static void setFlagBits(Cpu cpu, long which, long bits) {
        if (cpu.flagKind == Cpu.K_RESULT && (which & ~(Cpu.CF | Cpu.OF | Cpu.AF)) == 0) {
            cpu.flagAux = (cpu.flagAux & ~which) | bits;
        } else {
            cpu.setStatusFlags((cpu.statusFlags() & ~which) | bits);
        }
    }

    /** PF for the low byte of {@code v} (SDM Vol. 1, 3.4.3.1: set if the number of 1 bits is even). */
    static long parity(long v) {
        return (Integer.bitCount((int) v & 0xff) & 1) == 0 ? Cpu.PF : 0;
    }
}
