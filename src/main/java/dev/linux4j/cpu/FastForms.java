package dev.linux4j.cpu;

import static dev.linux4j.cpu.IntegerAlu.ADD;
import static dev.linux4j.cpu.IntegerAlu.AND;
import static dev.linux4j.cpu.IntegerAlu.CMP;
import static dev.linux4j.cpu.IntegerAlu.OR;
import static dev.linux4j.cpu.IntegerAlu.SUB;
import static dev.linux4j.cpu.IntegerAlu.XOR;

/**
 * The interpreter's specialised forms of the most frequently executed instructions. The decoder
 * gives an instruction one of these instead of its opcode's general {@link Exec} when its operand
 * size and operands fit: a 64-bit or 32-bit register operand, or a memory operand of one of the
 * three usual shapes (base + displacement, base + index x scale + displacement, absolute or
 * RIP-relative), with no segment override and no address-size prefix. The general form decides
 * the operand size, register or memory, the address's parts, the segment and the address size
 * at every execution; these decide them once, at decoding. The semantics are the families' own
 * (the same {@link IntegerAlu#alu} and {@link Cpu} flag methods and {@link dev.linux4j.memory.Mmu}
 * accesses), so a specialised form computes what the general one does; FastFormsTest runs each
 * against the general form from random states.
 *
 * <p>Chosen by counting the forms cc1 runs (gcc -O2 of bench/gen-c's 500 lines, --jit=off:
 * 790 M guest instructions): these cover about 60% of them. Measured, medians of interleaved
 * runs: xorshift 10,000,000 with --jit=off 1.93 -> 1.45 s; gcc -O2 of 500 lines (--jit=off)
 * 10.6 -> 10.4 s, python3 -c pass 1.10 -> 1.07 s, sha256sum of 64 MiB unchanged within noise. cc1's
 * time is the interpreter's dispatch and its cache misses on decoded instructions more than
 * their semantics.
 */
final class FastForms {
    private FastForms() {
    }

    // Memory operand shapes.
    private static final int BASE_DISP = 0;
    private static final int BASE_INDEX_DISP = 1;
    private static final int ABSOLUTE = 2;

    /**
     * The specialised form of a decoded instruction, or {@code generic} when it has none. The
     * arguments are the decoder's: {@code opcode} with its map in the high byte, {@code rm} -1
     * for a memory operand.
     */
    static Exec specialize(Exec generic, int opcode, int opsize, int prefixes, int modrm, int rm, int base,
            int index, int seg) {
        if (opsize != 8 && opsize != 4 || (prefixes & (Insn.P_LOCK | Insn.P_REP | Insn.P_REPNE)) != 0) {
            return generic;
        }
        boolean q = opsize == 8;
        if (modrm < 0) {
            return switch (opcode) {
                case 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57 -> q ? PUSH_Q : generic;
                case 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f -> q ? POP_Q : generic;
                case 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf -> q ? MOV_GI_Q : MOV_GI_D;
                default -> generic;
            };
        }
        int digit = (modrm >> 3) & 7;
        if (rm >= 0) {
            return switch (opcode) {
                case 0x89 -> q ? MOV_EG_Q : MOV_EG_D;
                case 0x8b -> q ? MOV_GE_Q : MOV_GE_D;
                case 0x85 -> q ? TEST_EG_Q : TEST_EG_D;
                case 0x39 -> q ? CMP_EG_Q : CMP_EG_D;
                case 0x31 -> q ? XOR_EG_Q : XOR_EG_D;
                case 0x01 -> q ? ADD_EG_Q : ADD_EG_D;
                case 0x29 -> q ? SUB_EG_Q : SUB_EG_D;
                case 0x63 -> q ? MOVSXD_GE_Q : generic;
                case 0xc7 -> digit != 0 ? generic : q ? MOV_EI_Q : MOV_EI_D;
                case 0x83 -> switch (digit) {
                    case 0 -> q ? ADD_EI_Q : ADD_EI_D;
                    case 1 -> q ? OR_EI_Q : OR_EI_D;
                    case 4 -> q ? AND_EI_Q : AND_EI_D;
                    case 5 -> q ? SUB_EI_Q : SUB_EI_D;
                    case 7 -> q ? CMP_EI_Q : CMP_EI_D;
                    default -> generic;
                };
                default -> generic;
            };
        }
        if (seg != Insn.SEG_NONE || (prefixes & Insn.P_ADDRSIZE) != 0) {
            return generic;
        }
        int shape = base >= 0 ? (index >= 0 ? BASE_INDEX_DISP : BASE_DISP) : (index >= 0 ? -1 : ABSOLUTE);
        if (shape < 0) {
            return generic;
        }
        Exec form = switch (opcode) {
            case 0x8b -> (q ? LOAD_Q : LOAD_D)[shape];
            case 0x89 -> (q ? STORE_Q : STORE_D)[shape];
            case 0x8d -> (q ? LEA_Q : LEA_D)[shape];
            default -> null;
        };
        if (form != null || shape != BASE_DISP) {
            return form != null ? form : generic;
        }
        // the less frequent ones, with a base + displacement operand only
        return switch (opcode) {
            case 0x1b6 -> MOVZX_B_LOAD;
            case 0x1b7 -> MOVZX_W_LOAD;
            case 0x63 -> q ? MOVSXD_LOAD_Q : generic;
            case 0xc7 -> digit != 0 ? generic : q ? STORE_IMM_Q : STORE_IMM_D;
            case 0x39 -> q ? CMP_MG_Q : CMP_MG_D;
            case 0x3b -> q ? CMP_GM_Q : CMP_GM_D;
            case 0x83 -> digit != 7 ? generic : q ? CMP_MI_Q : CMP_MI_D;
            default -> generic;
        };
    }

    // ---------------------------------------------------------------- addresses

    static long baseDisp(Cpu c, Insn i) {
        return c.r[i.base] + i.disp;
    }

    static long baseIndexDisp(Cpu c, Insn i) {
        return c.r[i.base] + (c.r[i.index] << i.scale) + i.disp;
    }

    // ---------------------------------------------------------------- stack

    private static final Exec PUSH_Q = new Exec() { public void exec(Cpu c, Insn i) { c.push64(c.r[i.reg]); } };
    private static final Exec POP_Q = new Exec() {
        public void exec(Cpu c, Insn i) {
            long v = c.pop64();
            c.r[i.reg] = v;
        }
    };

    // ---------------------------------------------------------------- register MOV

    private static final Exec MOV_EG_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = c.r[i.reg]; } };
    private static final Exec MOV_EG_D = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = c.r[i.reg] & 0xffffffffL; } };
    private static final Exec MOV_GE_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.r[i.rm]; } };
    private static final Exec MOV_GE_D = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.r[i.rm] & 0xffffffffL; } };

    // ---------------------------------------------------------------- loads, stores, LEA

    private static final Exec[] LOAD_Q = {
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.mmu.read64(baseDisp(c, i)); } },
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.mmu.read64(baseIndexDisp(c, i)); } },
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.mmu.read64(i.disp); } },
    };
    private static final Exec[] LOAD_D = {
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.mmu.read32(baseDisp(c, i)) & 0xffffffffL; } },
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.mmu.read32(baseIndexDisp(c, i)) & 0xffffffffL; } },
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.mmu.read32(i.disp) & 0xffffffffL; } },
    };
    private static final Exec[] STORE_Q = {
        new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write64(baseDisp(c, i), c.r[i.reg]); } },
        new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write64(baseIndexDisp(c, i), c.r[i.reg]); } },
        new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write64(i.disp, c.r[i.reg]); } },
    };
    private static final Exec[] STORE_D = {
        new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write32(baseDisp(c, i), (int) c.r[i.reg]); } },
        new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write32(baseIndexDisp(c, i), (int) c.r[i.reg]); } },
        new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write32(i.disp, (int) c.r[i.reg]); } },
    };
    private static final Exec[] LEA_Q = {
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = baseDisp(c, i); } },
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = baseIndexDisp(c, i); } },
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = i.disp; } },
    };
    private static final Exec[] LEA_D = {
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = baseDisp(c, i) & 0xffffffffL; } },
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = baseIndexDisp(c, i) & 0xffffffffL; } },
        new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = i.disp & 0xffffffffL; } },
    };

    private static final Exec MOVZX_B_LOAD = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.mmu.read8(baseDisp(c, i)); } };
    private static final Exec MOVZX_W_LOAD = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.mmu.read16(baseDisp(c, i)); } };
    private static final Exec MOVSXD_LOAD_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = c.mmu.read32(baseDisp(c, i)); } };
    private static final Exec STORE_IMM_Q = new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write64(baseDisp(c, i), i.imm); } };
    private static final Exec STORE_IMM_D = new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write32(baseDisp(c, i), (int) i.imm); } };

    // ---------------------------------------------------------------- immediates, sign extension

    private static final Exec MOV_GI_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = i.imm; } };
    private static final Exec MOV_GI_D = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = i.imm & 0xffffffffL; } };
    private static final Exec MOV_EI_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = i.imm; } };
    private static final Exec MOV_EI_D = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = i.imm & 0xffffffffL; } };
    private static final Exec MOVSXD_GE_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.reg] = (int) c.r[i.rm]; } };

    // ---------------------------------------------------------------- compares with memory

    private static final Exec CMP_MG_Q = new Exec() {
        public void exec(Cpu c, Insn i) { IntegerAlu.alu(c, CMP, c.mmu.read64(baseDisp(c, i)), c.r[i.reg], 8); }
    };
    private static final Exec CMP_MG_D = new Exec() {
        public void exec(Cpu c, Insn i) { IntegerAlu.alu(c, CMP, c.mmu.read32(baseDisp(c, i)) & 0xffffffffL, c.r[i.reg] & 0xffffffffL, 4); }
    };
    private static final Exec CMP_GM_Q = new Exec() {
        public void exec(Cpu c, Insn i) { IntegerAlu.alu(c, CMP, c.r[i.reg], c.mmu.read64(baseDisp(c, i)), 8); }
    };
    private static final Exec CMP_GM_D = new Exec() {
        public void exec(Cpu c, Insn i) { IntegerAlu.alu(c, CMP, c.r[i.reg] & 0xffffffffL, c.mmu.read32(baseDisp(c, i)) & 0xffffffffL, 4); }
    };
    private static final Exec CMP_MI_Q = new Exec() { public void exec(Cpu c, Insn i) { IntegerAlu.alu(c, CMP, c.mmu.read64(baseDisp(c, i)), i.imm, 8); } };
    private static final Exec CMP_MI_D = new Exec() {
        public void exec(Cpu c, Insn i) { IntegerAlu.alu(c, CMP, c.mmu.read32(baseDisp(c, i)) & 0xffffffffL, i.imm, 4); }
    };

    // ---------------------------------------------------------------- ALU on registers

    private static final Exec TEST_EG_Q = new Exec() { public void exec(Cpu c, Insn i) { c.flagsLogic(c.r[i.rm] & c.r[i.reg], 8); } };
    private static final Exec TEST_EG_D = new Exec() {
        public void exec(Cpu c, Insn i) { c.flagsLogic(c.r[i.rm] & c.r[i.reg] & 0xffffffffL, 4); }
    };
    private static final Exec CMP_EG_Q = new Exec() { public void exec(Cpu c, Insn i) { IntegerAlu.alu(c, CMP, c.r[i.rm], c.r[i.reg], 8); } };
    private static final Exec CMP_EG_D = new Exec() {
        public void exec(Cpu c, Insn i) { IntegerAlu.alu(c, CMP, c.r[i.rm] & 0xffffffffL, c.r[i.reg] & 0xffffffffL, 4); }
    };
    private static final Exec XOR_EG_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, XOR, c.r[i.rm], c.r[i.reg], 8); } };
    private static final Exec XOR_EG_D = new Exec() {
        public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, XOR, c.r[i.rm] & 0xffffffffL, c.r[i.reg] & 0xffffffffL, 4) & 0xffffffffL; }
    };
    private static final Exec ADD_EG_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, ADD, c.r[i.rm], c.r[i.reg], 8); } };
    private static final Exec ADD_EG_D = new Exec() {
        public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, ADD, c.r[i.rm] & 0xffffffffL, c.r[i.reg] & 0xffffffffL, 4) & 0xffffffffL; }
    };
    private static final Exec SUB_EG_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, SUB, c.r[i.rm], c.r[i.reg], 8); } };
    private static final Exec SUB_EG_D = new Exec() {
        public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, SUB, c.r[i.rm] & 0xffffffffL, c.r[i.reg] & 0xffffffffL, 4) & 0xffffffffL; }
    };

    private static final Exec ADD_EI_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, ADD, c.r[i.rm], i.imm, 8); } };
    private static final Exec ADD_EI_D = new Exec() {
        public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, ADD, c.r[i.rm] & 0xffffffffL, i.imm, 4) & 0xffffffffL; }
    };
    private static final Exec OR_EI_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, OR, c.r[i.rm], i.imm, 8); } };
    private static final Exec OR_EI_D = new Exec() {
        public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, OR, c.r[i.rm] & 0xffffffffL, i.imm, 4) & 0xffffffffL; }
    };
    private static final Exec AND_EI_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, AND, c.r[i.rm], i.imm, 8); } };
    private static final Exec AND_EI_D = new Exec() {
        public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, AND, c.r[i.rm] & 0xffffffffL, i.imm, 4) & 0xffffffffL; }
    };
    private static final Exec SUB_EI_Q = new Exec() { public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, SUB, c.r[i.rm], i.imm, 8); } };
    private static final Exec SUB_EI_D = new Exec() {
        public void exec(Cpu c, Insn i) { c.r[i.rm] = IntegerAlu.alu(c, SUB, c.r[i.rm] & 0xffffffffL, i.imm, 4) & 0xffffffffL; }
    };
    private static final Exec CMP_EI_Q = new Exec() { public void exec(Cpu c, Insn i) { IntegerAlu.alu(c, CMP, c.r[i.rm], i.imm, 8); } };
    private static final Exec CMP_EI_D = new Exec() { public void exec(Cpu c, Insn i) { IntegerAlu.alu(c, CMP, c.r[i.rm] & 0xffffffffL, i.imm, 4); } };
}
