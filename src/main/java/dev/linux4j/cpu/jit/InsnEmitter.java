package dev.linux4j.cpu.jit;

import static dev.linux4j.cpu.jit.Gen.CD_CPU;
import static dev.linux4j.cpu.jit.Gen.CPU;
import static dev.linux4j.cpu.jit.Gen.FA;
import static dev.linux4j.cpu.jit.Gen.FAUX;
import static dev.linux4j.cpu.jit.Gen.FB;
import static dev.linux4j.cpu.jit.Gen.FRES;
import static dev.linux4j.cpu.jit.Gen.F_ADD;
import static dev.linux4j.cpu.jit.Gen.F_EXPL;
import static dev.linux4j.cpu.jit.Gen.F_LOGIC;
import static dev.linux4j.cpu.jit.Gen.F_RESULT;
import static dev.linux4j.cpu.jit.Gen.F_SUB;
import static dev.linux4j.cpu.jit.Gen.MMU;
import static dev.linux4j.cpu.jit.Gen.T1;
import static dev.linux4j.cpu.jit.Gen.T2;
import static dev.linux4j.cpu.jit.Gen.T3;
import static dev.linux4j.cpu.jit.Gen.T4;
import static dev.linux4j.cpu.jit.Gen.T5;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;

import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.Insn;
import dev.linux4j.cpu.IntegerAluMulDiv;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;

/**
 * Inline bytecode for the hot instruction forms, each a transcription of the interpreter's
 * semantics (IntegerAlu, DataMovement, Shifts, IntegerAluMulDiv — SDM Vol. 2) onto the locals of
 * {@link Gen}: same operand reads in the same order, same result, same lazy-flag record. Every
 * memory access comes before any register or flag update, so an instruction that faults has
 * changed nothing; its exception handler writes back the state from before it.
 *
 * <p>Forms not handled here call the instruction's {@code Exec}: SSE/x87 forms that touch no
 * general register or flag keep the registers in locals (only the address registers are
 * written back); any other form writes everything back and reloads the registers afterwards.
 */
final class InsnEmitter {
    private InsnEmitter() {}

    private static final ClassDesc CD_MUL_DIV = ClassDesc.of(IntegerAluMulDiv.class.getName());

    // IntegerAlu operation numbers.
    private static final int ADD = 0;
    private static final int OR = 1;
    private static final int ADC = 2;
    private static final int SBB = 3;
    private static final int AND = 4;
    private static final int SUB = 5;
    private static final int XOR = 6;
    private static final int CMP = 7;

    /** Nothing emitted: the form is not handled inline. */
    static final int NONE = 0;
    /** Emitted inline; cannot fault. */
    static final int SAFE = 1;
    /** Emitted inline; may fault or trap (gets an exception handler). */
    static final int FAULTS = 2;

    /** Emits one non-terminating instruction (inline when it can, else through its Exec). */
    static void emit(Gen g, Insn i) {
        int kind = g.flagKind;
        int size = g.flagSize;
        Label start = g.beginFault();
        int r = NONE;
        if ((i.prefixes & (Insn.P_LOCK | Insn.P_VEX)) == 0) {
            r = inline(g, i);
            if (r == NONE) {
                r = SseEmitter.inline(g, i);
            }
        }
        if (r == FAULTS) {
            g.endFault(start, i, kind, size);
        } else if (r == NONE) {
            generic(g, i);
        }
    }

    private static void generic(Gen g, Insn i) {
        CodeBuilder code = g.code;
        boolean xmm = touchesXmm(i);
        if (xmmOnly(i) && (i.prefixes & (Insn.P_VEX | Insn.P_LOCK)) == 0) {
            int need = addressRegs(i);
            if (i.rm >= 0 && i.opcode == 0x12a) {
                need |= 1 << i.rm; // CVTSI2SS/SD reads a general register
            }
            g.writeBackRegs(g.dirty & need);
            g.dirty &= ~need;
            // Only the XMM halves the form reads are written back, and those it writes reloaded.
            int[] fp = xmm ? SseEmitter.footprint(i) : null;
            if (fp != null) {
                g.writeBackXmm(g.xdirty & fp[0]);
                g.xdirty &= ~fp[0];
            } else if (xmm) {
                g.syncXmm();
            }
            Label start = g.beginFault();
            g.callExec(i);
            g.endFault(start, i, g.flagKind, g.flagSize);
            if (fp != null) {
                g.reloadXmm(fp[1] & g.usedXmm);
                g.xdirty &= ~fp[1];
            } else if (xmm) {
                g.reloadXmm(g.usedXmm);
            }
            return;
        }
        if (SseEmitter.xmmToGpr(i)) {
            // PMOVMSKB, MOVMSKPS/PD, CVT(T)SS/SD2SI: XMM (or memory) in, one general register out.
            g.writeBackRegs(g.dirty & addressRegs(i));
            g.dirty &= ~addressRegs(i);
            if (i.rm >= 0) {
                int halves = 3 << (2 * i.rm);
                g.writeBackXmm(g.xdirty & halves);
                g.xdirty &= ~halves;
            }
            Label start = g.beginFault();
            g.callExec(i);
            g.endFault(start, i, g.flagKind, g.flagSize);
            g.use(i.reg);
            code.aload(Gen.REGS).bipush(i.reg).laload().lstore(Gen.reg(i.reg));
            g.dirty &= ~(1 << i.reg);
            return;
        }
        if (xmm) {
            g.syncXmm();
        }
        g.syncGprs();
        code.aload(CPU).loadConstant(i.next).putfield(CD_CPU, "rip", CD_long);
        // XMM registers this form cannot touch stay in locals: a fault writes them back.
        Label start = g.beginFault();
        g.callExec(i);
        g.endFault(start, i, g.flagKind, g.flagSize);
        g.reloadRegs(g.usedRegs);
        if (xmm) {
            g.reloadXmm(g.usedXmm);
        }
    }

    /** The general registers the memory operand's address reads. */
    static int addressRegs(Insn i) {
        if (i.rm >= 0) {
            return 0;
        }
        return (i.base >= 0 ? 1 << i.base : 0) | (i.index >= 0 ? 1 << i.index : 0);
    }

    /**
     * Whether the semantics of {@code i} may read or write {@code cpu.xmm}: conservatively every
     * form of the two- and three-byte maps but the integer ones (one-byte forms, x87 included,
     * never do; FXSAVE/FXRSTOR are 0F AE).
     */
    static boolean touchesXmm(Insn i) {
        int map = i.opcode >> 8;
        if (map != 1) {
            return map != 0;
        }
        int b = i.opcode & 0xff;
        boolean integer = b == 0x05 || b == 0x0b || b == 0x0d || (b >= 0x18 && b <= 0x1f) || b == 0x31
                || (b >= 0x40 && b <= 0x4f) || (b >= 0x80 && b <= 0x9f) || (b >= 0xa0 && b <= 0xad)
                || (b >= 0xaf && b <= 0xc1) || b == 0xc3 || b == 0xc7 || (b >= 0xc8 && b <= 0xcf);
        return !integer;
    }

    /**
     * SSE, MMX and x87 forms whose semantics read general registers only to address memory and
     * write neither general registers nor flags (checked against the families' sources).
     */
    static boolean xmmOnly(Insn i) {
        int op = i.opcode;
        if (op >= 0xd8 && op <= 0xdf) {
            // x87; DA/DB/DF register forms include FCMOVcc, FCOMI (flags) and FNSTSW AX.
            return i.rm < 0 || op == 0xd8 || op == 0xd9 || op == 0xdc || op == 0xdd || op == 0xde;
        }
        if ((op >> 8) != 1) {
            return false;
        }
        int b = op & 0xff;
        return (b >= 0x10 && b <= 0x17) || b == 0x28 || b == 0x29 || b == 0x2a || b == 0x2b
                || (b >= 0x51 && b <= 0x5f) || (b >= 0x60 && b <= 0x6d) || b == 0x6f
                || (b >= 0x70 && b <= 0x76) || b == 0x7f || b == 0xc2 || b == 0xc6
                || (b >= 0xd0 && b <= 0xef && b != 0xd7) || (b >= 0xf0 && b <= 0xfe && b != 0xf7);
    }

    /** {@link #flagEffect}: reads or writes no status flag, cannot fault. */
    static final int FLAGS_NONE = 0;
    /** {@link #flagEffect}: sets all six status flags from its operands alone, cannot fault. */
    static final int FLAGS_KILL = 1;
    /** {@link #flagEffect}: sets some status flags and keeps the others, cannot fault. */
    static final int FLAGS_PARTIAL = 2;
    /** {@link #flagEffect}: may read the flags, fault, or leave inline emission (conservative). */
    static final int FLAGS_USE = 3;

    /**
     * How {@code i}, as emitted here, treats the status flags; mirrors {@link #inline}. A form
     * that may fault counts as a use, as its fault handler writes back the flags from before it
     * (the guest's signal handler sees them). Anything not classified is a use.
     */
    static int flagEffect(Insn i) {
        if ((i.prefixes & (Insn.P_LOCK | Insn.P_VEX)) != 0) {
            return FLAGS_USE;
        }
        int op = i.opcode;
        if (op == 0x8d || (op == 0x90 && i.reg == Cpu.RAX && (i.prefixes & Insn.P_REP) == 0)
                || (op >= 0x118 && op <= 0x11f) || op == 0x10d) {
            return FLAGS_NONE; // LEA, NOP, hint NOPs: no access
        }
        if (i.modrm >= 0 && i.rm < 0) {
            return FLAGS_USE; // a memory operand may fault
        }
        if (op >= 0 && op < 0x40 && (op & 7) <= 5) {
            int alu = (op >> 3) & 7;
            return alu == ADC || alu == SBB ? FLAGS_USE : FLAGS_KILL;
        }
        if (op >= 0xb0 && op <= 0xbf) {
            return FLAGS_NONE;
        }
        return switch (op) {
            case 0x80, 0x81, 0x83 -> i.digit() == ADC || i.digit() == SBB ? FLAGS_USE : FLAGS_KILL;
            case 0x84, 0x85, 0xa8, 0xa9 -> FLAGS_KILL;
            case 0xf6, 0xf7 -> switch (i.digit()) {
                case 0, 1, 3 -> FLAGS_KILL; // TEST, NEG
                case 2 -> FLAGS_NONE; // NOT
                default -> FLAGS_USE;
            };
            case 0xfe, 0xff -> i.digit() <= 1 ? FLAGS_PARTIAL : FLAGS_USE;
            case 0x88, 0x89, 0x8a, 0x8b, 0x1b6, 0x1b7, 0x1be, 0x1bf, 0x63, 0x98, 0x99 -> FLAGS_NONE;
            case 0x1c8, 0x1c9, 0x1ca, 0x1cb, 0x1cc, 0x1cd, 0x1ce, 0x1cf -> FLAGS_NONE; // BSWAP
            case 0xc6, 0xc7 -> i.digit() == 0 ? FLAGS_NONE : FLAGS_USE;
            case 0xc0, 0xc1, 0xd0, 0xd1 -> {
                int count = (int) (op == 0xd0 || op == 0xd1 ? 1 : i.imm) & (i.opsize == 8 ? 63 : 31);
                int digit = i.digit();
                if (digit == 2 || digit == 3) {
                    yield FLAGS_USE; // RCL/RCR read CF
                }
                yield count == 0 ? FLAGS_NONE : digit <= 1 ? FLAGS_PARTIAL : FLAGS_KILL;
            }
            case 0x1af, 0x69, 0x6b -> i.opsize < 4 ? FLAGS_USE : FLAGS_KILL;
            default -> FLAGS_USE;
        };
    }

    /** Emits {@code i} inline; NONE (nothing emitted) if the form is not handled here. */
    private static int inline(Gen g, Insn i) {
        int op = i.opcode;
        int size = i.opsize;
        if (op >= 0 && op < 0x40 && (op & 7) <= 5) {
            int alu = (op >> 3) & 7;
            return switch (op & 7) {
                case 0, 1 -> aluEG(g, i, alu, size);
                case 2, 3 -> aluGE(g, i, alu, size);
                default -> aluAccImm(g, i, alu, size);
            };
        }
        switch (op) {
            case 0x80, 0x81, 0x83 -> {
                return aluEImm(g, i, i.digit(), size);
            }
            case 0x84, 0x85 -> {
                return test(g, i, size, false);
            }
            case 0xa8, 0xa9 -> {
                if (!g.flagsDead) {
                    g.loadReg(Cpu.RAX, 8);
                    g.code.loadConstant(i.imm).land().lstore(FRES);
                    g.setFlags(F_LOGIC, size);
                }
                return SAFE;
            }
            case 0xf6, 0xf7 -> {
                return switch (i.digit()) {
                    case 0, 1 -> test(g, i, size, true);
                    case 2, 3 -> notNeg(g, i, size, i.digit() == 3);
                    case 6 -> op == 0xf7 && size >= 4 ? div(g, i, size) : NONE;
                    default -> NONE;
                };
            }
            case 0xfe, 0xff -> {
                return i.digit() <= 1 ? incDec(g, i, size, i.digit() == 0) : NONE;
            }
            case 0x88, 0x89 -> {
                return movEG(g, i, size);
            }
            case 0x8a, 0x8b -> {
                g.readE(i, size);
                g.storeReg(size == 1 ? i.regB : i.reg, size);
                return i.rm < 0 ? FAULTS : SAFE;
            }
            case 0xc6, 0xc7 -> {
                return i.digit() == 0 ? movEImm(g, i, size) : NONE;
            }
            case 0x8d -> {
                g.offset(i);
                g.storeReg(i.reg, size);
                return SAFE;
            }
            case 0x1b6, 0x1b7, 0x1be, 0x1bf -> {
                int from = (op & 1) == 0 ? 1 : 2;
                g.readE(i, from);
                if (op >= 0x1be) {
                    g.signExtend(from);
                }
                g.storeReg(i.reg, size);
                return i.rm < 0 ? FAULTS : SAFE;
            }
            case 0x63 -> {
                if (size == 8) {
                    g.readE(i, 4);
                    g.signExtend(4);
                } else {
                    g.readE(i, size);
                }
                g.storeReg(i.reg, size);
                return i.rm < 0 ? FAULTS : SAFE;
            }
            case 0x6a, 0x68 -> {
                push(g, size, () -> g.code.loadConstant(i.imm));
                return FAULTS;
            }
            case 0xc0, 0xc1, 0xd0, 0xd1 -> {
                return shift(g, i, size);
            }
            case 0xd2, 0xd3 -> {
                return shiftByCl(g, i, size);
            }
            case 0x98 -> {
                // CBW / CWDE / CDQE (DataMovement.cbw)
                g.loadReg(Cpu.RAX, size / 2);
                g.signExtend(size / 2);
                g.storeReg(Cpu.RAX, size);
                return SAFE;
            }
            case 0x99 -> {
                // CWD / CDQ / CQO (DataMovement.cwd): rDX = the sign of rAX
                g.loadReg(Cpu.RAX, size);
                g.signExtend(size);
                g.code.bipush(63).lshr();
                g.storeReg(Cpu.RDX, size);
                return SAFE;
            }
            case 0x1bc, 0x1bd -> {
                return bitScan(g, i, size, op == 0x1bc);
            }
            case 0x1af -> {
                if (size < 4) {
                    return NONE;
                }
                g.readE(i, size);
                g.code.lstore(T2);
                g.loadReg(i.reg, size);
                g.code.lstore(T1);
                imul(g, i, size);
                return i.rm < 0 ? FAULTS : SAFE;
            }
            case 0x69, 0x6b -> {
                if (size < 4) {
                    return NONE;
                }
                g.readE(i, size);
                g.code.lstore(T1);
                g.code.loadConstant(i.imm).lstore(T2);
                imul(g, i, size);
                return i.rm < 0 ? FAULTS : SAFE;
            }
            default -> { }
        }
        if (op >= 0xb0 && op <= 0xbf) {
            g.code.loadConstant(i.imm);
            g.storeReg(size == 1 ? i.regB : i.reg, size);
            return SAFE;
        }
        if (op >= 0x50 && op <= 0x57) {
            push(g, size, () -> g.loadReg(i.reg, size));
            return FAULTS;
        }
        if (op >= 0x58 && op <= 0x5f) {
            pop(g, i, size);
            return FAULTS;
        }
        if (op >= 0x1c8 && op <= 0x1cf) {
            bswap(g, i, size);
            return SAFE;
        }
        if (op >= 0x140 && op <= 0x14f) {
            return cmov(g, i, size);
        }
        if (op >= 0x190 && op <= 0x19f) {
            return setcc(g, i);
        }
        if (op == 0x90 && i.reg == Cpu.RAX && (i.prefixes & Insn.P_REP) == 0) {
            return SAFE; // NOP
        }
        if ((op >= 0x118 && op <= 0x11f) || op == 0x10d) {
            return SAFE; // hint NOPs, ENDBR64, PREFETCHh: the operand is never accessed
        }
        return NONE;
    }

    // ---------------------------------------------------------------- ALU

    /**
     * Computes {@code T1 op T2} into T3 (IntegerAlu.compute); ADC and SBB first take CF of the
     * flags before the instruction into T5 (IntegerAlu.carryIn).
     */
    private static void compute(Gen g, int alu) {
        CodeBuilder code = g.code;
        if (alu == ADC || alu == SBB) {
            g.cf();
            code.i2l().lstore(T5);
        }
        code.lload(T1).lload(T2);
        switch (alu) {
            case ADC -> code.ladd().lload(T5).ladd();
            case SBB -> code.lsub().lload(T5).lsub();
            default -> operate(code, alu);
        }
        code.lstore(T3);
    }

    /** The two longs on the stack → {@code a op b}, for the ALU operations but ADC and SBB. */
    private static void operate(CodeBuilder code, int alu) {
        switch (alu) {
            case ADD -> code.ladd();
            case OR -> code.lor();
            case AND -> code.land();
            case XOR -> code.lxor();
            default -> code.lsub(); // SUB, CMP
        }
    }

    /** The lazy-flags kind an ALU operation but ADC and SBB leaves (IntegerAlu.setFlags). */
    private static int flagKind(int alu) {
        return alu == ADD ? F_ADD : alu == SUB || alu == CMP ? F_SUB : F_LOGIC;
    }

    /** Records the flags of {@code alu} from T1, T2, T3 (and T5 for ADC, SBB) (IntegerAlu.setFlags). */
    private static void aluFlags(Gen g, int alu, int size) {
        CodeBuilder code = g.code;
        if (g.flagsDead) {
            return;
        }
        switch (alu) {
            case ADC, SBB -> {
                // flagsAdc/flagsSbb's CF, OF and AF at once (Cpu.carryFlags), ZF SF PF from the result
                code.loadConstant(alu == SBB ? 1 : 0).lload(T1).lload(T2).lload(T5).lload(T3).bipush(size);
                code.invokestatic(CD_CPU, "carryFlags", MethodTypeDesc.of(CD_long, CD_boolean, CD_long, CD_long,
                        CD_long, CD_long, CD_int));
                code.lstore(FAUX).lload(T3).lstore(FRES);
                g.setFlags(F_RESULT, size);
            }
            case ADD, SUB, CMP -> {
                code.lload(T1).lstore(FA).lload(T2).lstore(FB).lload(T3).lstore(FRES);
                g.setFlags(flagKind(alu), size);
            }
            default -> {
                code.lload(T3).lstore(FRES);
                g.setFlags(flagKind(alu), size);
            }
        }
    }

    /** op Eb,Gb / Ev,Gv. */
    private static int aluEG(Gen g, Insn i, int alu, int size) {
        int src = size == 1 ? i.regB : i.reg;
        if (i.rm >= 0) {
            aluReg(g, size == 1 ? i.rmB : i.rm, alu, size, () -> g.loadReg(src, size));
            return SAFE;
        }
        g.loadReg(src, size);
        g.code.lstore(T2);
        aluMem(g, i, alu, size);
        return FAULTS;
    }

    /**
     * The register-destination form: {@code source} pushes the source operand (a register, a
     * constant, or T2). Computes on the operand stack, stores back (not for CMP), then records
     * the flags where they are live: for {@code add rdi, 1} with dead flags, four bytecodes
     * where the temporaries of {@link #compute} took twelve. Every bytecode counts while HotSpot
     * interprets a fresh region (a fifth of python3's guest thread) and in the class file.
     * ADC and SBB keep the temporaries (they read CF first).
     */
    private static void aluReg(Gen g, int n, int alu, int size, Runnable source) {
        CodeBuilder code = g.code;
        if (alu == ADC || alu == SBB) {
            source.run();
            code.lstore(T2);
            g.loadReg(n, size);
            code.lstore(T1);
            compute(g, alu);
            code.lload(T3);
            g.storeReg(n, size);
            aluFlags(g, alu, size);
            return;
        }
        if (alu == CMP && g.flagsDead) {
            return; // nothing to compute: the source is a register, a constant or T2
        }
        boolean operands = !g.flagsDead && (alu == ADD || alu == SUB || alu == CMP);
        g.loadReg(n, size);
        if (operands) {
            code.dup2().lstore(FA);
        }
        source.run();
        if (operands) {
            code.dup2().lstore(FB);
        }
        operate(code, alu);
        if (!g.flagsDead) {
            code.dup2().lstore(FRES);
        }
        if (alu == CMP) {
            code.pop2();
        } else {
            g.storeReg(n, size);
        }
        if (!g.flagsDead) {
            g.setFlags(flagKind(alu), size);
        }
    }

    /** The memory-destination form: read, compute, store, then the flags (IntegerAlu.opMem). */
    private static void aluMem(Gen g, Insn i, int alu, int size) {
        CodeBuilder code = g.code;
        g.ea(i);
        code.lstore(Gen.T4);
        code.aload(MMU).lload(Gen.T4);
        g.readAt(size);
        code.lstore(T1);
        compute(g, alu);
        if (alu != CMP) {
            code.aload(MMU).lload(Gen.T4).lload(T3);
            g.writeAt(size);
        }
        aluFlags(g, alu, size);
    }

    /** op Gb,Eb / Gv,Ev. */
    private static int aluGE(Gen g, Insn i, int alu, int size) {
        int dst = size == 1 ? i.regB : i.reg;
        if (i.rm >= 0) {
            int src = size == 1 ? i.rmB : i.rm;
            aluReg(g, dst, alu, size, () -> g.loadReg(src, size));
            return SAFE;
        }
        g.readMem(i, size);
        g.code.lstore(T2);
        aluReg(g, dst, alu, size, () -> g.code.lload(T2));
        return FAULTS;
    }

    /** op AL,Ib / rAX,Iz. */
    private static int aluAccImm(Gen g, Insn i, int alu, int size) {
        aluReg(g, Cpu.RAX, alu, size, () -> g.code.loadConstant(i.imm));
        return SAFE;
    }

    /** Group 1: op Eb,Ib / Ev,Iz / Ev,Ib. */
    private static int aluEImm(Gen g, Insn i, int alu, int size) {
        if (i.rm >= 0) {
            aluReg(g, size == 1 ? i.rmB : i.rm, alu, size, () -> g.code.loadConstant(i.imm));
            return SAFE;
        }
        g.code.loadConstant(i.imm).lstore(T2);
        aluMem(g, i, alu, size);
        return FAULTS;
    }

    /** TEST E,G (84/85) or TEST E,imm (F6/F7 /0 /1): flagsLogic(E & other). */
    private static int test(Gen g, Insn i, int size, boolean imm) {
        if (g.flagsDead && i.rm >= 0) {
            return SAFE;
        }
        g.readE(i, size);
        if (imm) {
            g.code.loadConstant(i.imm);
        } else {
            g.loadReg(size == 1 ? i.regB : i.reg, size);
        }
        g.code.land().lstore(FRES);
        g.setFlags(F_LOGIC, size);
        return i.rm < 0 ? FAULTS : SAFE;
    }

    /** NOT / NEG on a register or memory (IntegerAlu.opE). */
    private static int notNeg(Gen g, Insn i, int size, boolean neg) {
        CodeBuilder code = g.code;
        if (i.rm >= 0) {
            int n = size == 1 ? i.rmB : i.rm;
            g.loadReg(n, size);
            code.lstore(T1);
            code.lload(T1);
            if (neg) {
                code.lneg();
            } else {
                code.loadConstant(-1L).lxor();
            }
            code.lstore(T3).lload(T3);
            g.storeReg(n, size);
        } else {
            g.ea(i);
            code.lstore(Gen.T4);
            code.aload(MMU).lload(Gen.T4);
            g.readAt(size);
            code.lstore(T1).lload(T1);
            if (neg) {
                code.lneg();
            } else {
                code.loadConstant(-1L).lxor();
            }
            code.lstore(T3);
            code.aload(MMU).lload(Gen.T4).lload(T3);
            g.writeAt(size);
        }
        if (neg && !g.flagsDead) {
            code.lconst_0().lstore(FA).lload(T1).lstore(FB).lload(T3).lstore(FRES);
            g.setFlags(F_SUB, size);
        }
        return i.rm < 0 ? FAULTS : SAFE;
    }

    /** INC / DEC: CF kept, OF and AF from the operand and result (IntegerAlu.setFlags). */
    private static int incDec(Gen g, Insn i, int size, boolean inc) {
        CodeBuilder code = g.code;
        int n = size == 1 ? i.rmB : i.rm;
        if (i.rm >= 0) {
            g.loadReg(n, size);
            code.lstore(T1);
        } else {
            g.ea(i);
            code.lstore(Gen.T4);
            code.aload(MMU).lload(Gen.T4);
            g.readAt(size);
            code.lstore(T1);
        }
        code.lload(T1).lconst_1();
        if (inc) {
            code.ladd();
        } else {
            code.lsub();
        }
        code.lstore(T3);
        if (i.rm >= 0) {
            code.lload(T3);
            g.storeReg(n, size);
        } else {
            code.aload(MMU).lload(Gen.T4).lload(T3);
            g.writeAt(size);
        }
        if (g.flagsDead) {
            return i.rm < 0 ? FAULTS : SAFE;
        }
        // aux = carry | of | af, with the carry of the flags before the instruction
        g.cf();
        code.i2l();
        if (inc) {
            code.lload(T1).loadConstant(-1L).lxor().lload(T3).land();
        } else {
            code.lload(T1).lload(T3).loadConstant(-1L).lxor().land();
        }
        code.bipush(size * 8 - 1).lushr().lconst_1().land().bipush(11).lshl().lor();
        code.lload(T1).lload(T3).lxor().loadConstant(0x10L).land().lor();
        code.lstore(FAUX).lload(T3).lstore(FRES);
        g.setFlags(F_RESULT, size);
        return i.rm < 0 ? FAULTS : SAFE;
    }

    // ---------------------------------------------------------------- moves

    /** MOV Eb,Gb / Ev,Gv. */
    private static int movEG(Gen g, Insn i, int size) {
        int src = size == 1 ? i.regB : i.reg;
        if (i.rm >= 0) {
            g.loadReg(src, size);
            g.storeReg(size == 1 ? i.rmB : i.rm, size);
            return SAFE;
        }
        g.code.aload(MMU);
        g.ea(i);
        g.loadReg(src, size);
        g.writeAt(size);
        return FAULTS;
    }

    /** MOV Eb,Ib / Ev,Iz (C6/C7 /0). */
    private static int movEImm(Gen g, Insn i, int size) {
        if (i.rm >= 0) {
            g.code.loadConstant(i.imm);
            g.storeReg(size == 1 ? i.rmB : i.rm, size);
            return SAFE;
        }
        g.code.aload(MMU);
        g.ea(i);
        g.code.loadConstant(i.imm);
        g.writeAt(size);
        return FAULTS;
    }

    /** CMOVcc Gv,Ev: the source is read whatever the condition; a 32-bit destination is zero-extended. */
    private static int cmov(Gen g, Insn i, int size) {
        CodeBuilder code = g.code;
        g.readE(i, size);
        code.lstore(T1);
        g.cond(i.opcode & 0xf);
        Label no = code.newLabel();
        Label done = code.newLabel();
        code.ifeq(no);
        code.lload(T1);
        g.storeReg(i.reg, size);
        code.goto_(done);
        code.labelBinding(no);
        if (size == 4) {
            g.loadReg(i.reg, 4);
            g.storeReg(i.reg, 4);
        } else {
            g.use(i.reg);
        }
        code.labelBinding(done);
        return i.rm < 0 ? FAULTS : SAFE;
    }

    /** SETcc Eb. */
    private static int setcc(Gen g, Insn i) {
        CodeBuilder code = g.code;
        if (i.rm >= 0) {
            g.cond(i.opcode & 0xf);
            code.i2l();
            g.storeReg(i.rmB, 1);
            return SAFE;
        }
        g.ea(i);
        code.lstore(Gen.T4);
        g.cond(i.opcode & 0xf);
        code.i2l().lstore(T1);
        code.aload(MMU).lload(Gen.T4).lload(T1);
        g.writeAt(1);
        return FAULTS;
    }

    // ---------------------------------------------------------------- stack

    /** PUSH: sp = RSP - size; store; RSP = sp (Cpu.push). */
    private static void push(Gen g, int size, Runnable value) {
        CodeBuilder code = g.code;
        g.loadReg(Cpu.RSP, 8);
        code.loadConstant((long) size).lsub().lstore(T3);
        value.run();
        code.lstore(T1);
        code.aload(MMU).lload(T3).lload(T1);
        g.writeAt(size);
        code.lload(T3);
        g.storeReg(Cpu.RSP, 8);
    }

    /** POP r: v = read(RSP); RSP += size; reg = v (Cpu.pop then setReg). */
    private static void pop(Gen g, Insn i, int size) {
        CodeBuilder code = g.code;
        code.aload(MMU);
        g.loadReg(Cpu.RSP, 8);
        g.readAt(size);
        code.lstore(T1);
        g.loadReg(Cpu.RSP, 8);
        code.loadConstant((long) size).ladd();
        g.storeReg(Cpu.RSP, 8);
        code.lload(T1);
        g.storeReg(i.reg, size);
    }

    /** CALL rel32's push of the return address (the jump is the caller's edge). */
    static void emitCallPush(Gen g, Insn i) {
        int kind = g.flagKind;
        int size = g.flagSize;
        Label start = g.beginFault();
        push(g, 8, () -> g.code.loadConstant(i.next));
        g.endFault(start, i, kind, size);
    }

    /** RET's pop: the target into T1, RSP += 8 (ControlFlow.retNear); the caller dispatches on T1. */
    static void emitRetPop(Gen g, Insn i) {
        CodeBuilder code = g.code;
        int kind = g.flagKind;
        int size = g.flagSize;
        Label start = g.beginFault();
        code.aload(MMU);
        g.loadReg(Cpu.RSP, 8);
        g.readAt(8);
        code.lstore(T1);
        g.endFault(start, i, kind, size);
        g.loadReg(Cpu.RSP, 8);
        code.loadConstant(8L).ladd();
        g.storeReg(Cpu.RSP, 8);
    }

    // ---------------------------------------------------------------- bits

    /** BSWAP r (DataMovement.bswap): the 16-bit form clears the low word, as Intel CPUs do. */
    private static void bswap(Gen g, Insn i, int size) {
        CodeBuilder code = g.code;
        switch (size) {
            case 2 -> code.lconst_0();
            case 4 -> {
                g.loadReg(i.reg, 4);
                code.l2i().invokestatic(ClassDesc.of("java.lang.Integer"), "reverseBytes",
                        MethodTypeDesc.of(CD_int, CD_int)).i2l();
            }
            default -> {
                g.loadReg(i.reg, 8);
                code.invokestatic(ClassDesc.of("java.lang.Long"), "reverseBytes", MethodTypeDesc.of(CD_long, CD_long));
            }
        }
        g.storeReg(i.reg, size);
    }

    /**
     * BSF / BSR Gv,Ev (BitOps.bsf, bsr): a zero source leaves the destination and sets ZF and
     * PF alone; otherwise the index goes to the destination and the flags are PF of the index.
     * Only without an F2/F3 prefix (F3 0F BC/BD are TZCNT/LZCNT where BMI is implemented).
     */
    private static int bitScan(Gen g, Insn i, int size, boolean forward) {
        if ((i.prefixes & (Insn.P_REP | Insn.P_REPNE | Insn.P_MANDATORY_F2 | Insn.P_MANDATORY_F3)) != 0) {
            return NONE;
        }
        CodeBuilder code = g.code;
        g.readE(i, size);
        code.lstore(T1);
        Label zero = code.newLabel();
        Label done = code.newLabel();
        code.lload(T1).lconst_0().lcmp().ifeq(zero);
        if (forward) {
            code.lload(T1).invokestatic(ClassDesc.of("java.lang.Long"), "numberOfTrailingZeros",
                    MethodTypeDesc.of(CD_int, CD_long));
        } else {
            code.bipush(63).lload(T1).invokestatic(ClassDesc.of("java.lang.Long"), "numberOfLeadingZeros",
                    MethodTypeDesc.of(CD_int, CD_long)).isub();
        }
        code.i2l().lstore(T3);
        if (!g.flagsDead) {
            g.parity(T3); // PF of the index (IntegerAlu.parity)
            code.i2l().iconst_2().lshl().lstore(FAUX);
        }
        code.lload(T3);
        g.storeReg(i.reg, size);
        code.goto_(done);
        code.labelBinding(zero);
        if (!g.flagsDead) {
            code.loadConstant(Cpu.ZF | Cpu.PF).lstore(FAUX);
        }
        code.labelBinding(done);
        if (!g.flagsDead) {
            g.setFlags(F_EXPL, 8);
        }
        return i.rm < 0 ? FAULTS : SAFE;
    }

    // ---------------------------------------------------------------- shifts, multiply

    /** SHL/SAL, SHR, SAR by an immediate or 1 on a register (Shifts.group2 and shl/shr/sar). */
    private static int shift(Gen g, Insn i, int size) {
        int digit = i.digit();
        if (i.rm >= 0 && (digit == 0 || digit == 1)) {
            return rotate(g, i, size, digit == 0);
        }
        if (i.rm < 0 || (digit != 4 && digit != 5 && digit != 6 && digit != 7)) {
            return NONE;
        }
        CodeBuilder code = g.code;
        int count = (int) (i.opcode == 0xd0 || i.opcode == 0xd1 ? 1 : i.imm) & (size == 8 ? 63 : 31);
        int n = size == 1 ? i.rmB : i.rm;
        int bits = size * 8;
        g.loadReg(n, size);
        code.lstore(T1);
        if (count == 0) {
            code.lload(T1);
            g.storeReg(n, size);
            return SAFE;
        }
        // the result into T3 (SAR's sign-extended operand into T2)
        switch (digit) {
            case 4, 6 -> code.lload(T1).bipush(count).lshl().lstore(T3);
            case 5 -> code.lload(T1).bipush(count).lushr().lstore(T3);
            default -> {
                code.lload(T1);
                g.signExtend(size);
                code.lstore(T2);
                code.lload(T2).bipush(count).lshr().lstore(T3);
            }
        }
        if (g.flagsDead) {
            code.lload(T3);
            g.storeReg(n, size);
            return SAFE;
        }
        // CF (the last bit shifted out) | OF (for SHL and SHR)
        switch (digit) {
            case 4, 6 -> {
                if (count <= bits) {
                    code.lload(T1).bipush(bits - count).lushr().lconst_1().land();
                } else {
                    code.lconst_0();
                }
                code.lload(T1).lload(T1).iconst_1().lshl().lxor().bipush(bits - 1).lushr().lconst_1().land()
                        .bipush(11).lshl().lor();
            }
            case 5 -> {
                code.lload(T1).bipush(count - 1).lushr().lconst_1().land();
                code.lload(T1).bipush(bits - 1).lushr().lconst_1().land().bipush(11).lshl().lor();
            }
            default -> code.lload(T2).bipush(count - 1).lshr().lconst_1().land();
        }
        code.lstore(FAUX);
        code.lload(T3);
        g.storeReg(n, size);
        code.lload(T3).lstore(FRES);
        g.setFlags(F_RESULT, size);
        return SAFE;
    }

    /**
     * SHL/SAL, SHR, SAR by CL on a register whose flags no later instruction reads
     * (Shifts.group2): the value alone. A count that masks to 0 leaves the value (and, for a
     * 32-bit register, zero-extends it) and every flag as it was, so where the flags are live
     * the form stays with the interpreter's semantics.
     */
    private static int shiftByCl(Gen g, Insn i, int size) {
        int digit = i.digit();
        if (i.rm < 0 || !g.flagsDead || digit < 4) {
            return NONE;
        }
        CodeBuilder code = g.code;
        int n = size == 1 ? i.rmB : i.rm;
        g.loadReg(n, size);
        if (digit == 7) {
            g.signExtend(size);
        }
        g.loadReg(Cpu.RCX, 1);
        code.l2i().bipush(size == 8 ? 63 : 31).iand();
        switch (digit) {
            case 4, 6 -> code.lshl();
            case 5 -> code.lushr();
            default -> code.lshr();
        }
        g.storeReg(n, size);
        return SAFE;
    }

    /**
     * ROL/ROR by an immediate or 1 on a register (Shifts.rol/ror): CF from the result, and OF
     * (the first step's) only for a count of 1; the other flags are kept (IntegerAlu.setFlagBits).
     * A count that masks to 0 changes no flag but still writes (zero-extends) the register.
     */
    private static int rotate(Gen g, Insn i, int size, boolean left) {
        CodeBuilder code = g.code;
        int count = (int) (i.opcode == 0xd0 || i.opcode == 0xd1 ? 1 : i.imm) & (size == 8 ? 63 : 31);
        int n = size == 1 ? i.rmB : i.rm;
        int bits = size * 8;
        int r = count & (bits - 1);
        g.loadReg(n, size);
        code.lstore(T1);
        if (count == 0) {
            code.lload(T1);
            g.storeReg(n, size);
            return SAFE;
        }
        // res = rotate(a, r) within the operand size
        if (bits == 64) {
            code.lload(T1).bipush(r).invokestatic(ClassDesc.of("java.lang.Long"), left ? "rotateLeft" : "rotateRight",
                    MethodTypeDesc.of(CD_long, CD_long, CD_int));
        } else if (bits == 32) {
            // Integer.rotateXxx is a C2 intrinsic: one 32-bit rotate instead of two 64-bit shifts
            code.lload(T1).l2i().bipush(r).invokestatic(ClassDesc.of("java.lang.Integer"),
                    left ? "rotateLeft" : "rotateRight", MethodTypeDesc.of(CD_int, CD_int, CD_int))
                    .i2l().loadConstant(0xffffffffL).land();
        } else {
            int first = left ? r : bits - r;
            code.lload(T1).bipush(first).lshl().lload(T1).bipush(bits - first).lushr().lor()
                    .loadConstant(Gen.mask(size)).land();
        }
        code.lstore(T3);
        if (g.flagsDead) {
            code.lload(T3);
            g.storeReg(n, size);
            return SAFE;
        }
        // the new bits: CF, and OF for a count of 1
        code.lload(T3);
        if (!left) {
            code.bipush(bits - 1).lushr();
        }
        code.lconst_1().land();
        long which = Cpu.CF;
        if (count == 1) {
            which |= Cpu.OF;
            if (left) {
                code.lload(T1).lload(T1).iconst_1().lshl().lxor().bipush(bits - 1).lushr();
            } else {
                code.lload(T1).lload(T1).bipush(bits - 1).lushr().lxor();
            }
            code.lconst_1().land().bipush(11).lshl().lor();
        }
        code.lstore(T2);
        switch (g.flagKind) {
            case F_RESULT, F_EXPL -> { } // CF, OF live in FAUX (status word or CF|OF|AF)
            case F_LOGIC -> {
                code.lconst_0().lstore(FAUX); // flagsLogic is flagsResult with CF = OF = AF = 0
                g.setFlags(F_RESULT, g.flagSize);
            }
            default -> {
                g.syncFlags();
                code.aload(CPU).invokevirtual(CD_CPU, "statusFlags", MethodTypeDesc.of(CD_long)).lstore(FAUX);
                g.setFlags(F_EXPL, 8);
            }
        }
        code.lload(FAUX).loadConstant(~which).land().lload(T2).lor().lstore(FAUX);
        code.lload(T3);
        g.storeReg(n, size);
        return SAFE;
    }

    /**
     * DIV r/m32 and r/m64 (IntegerAluMulDiv.div): the quotient through the interpreter's own
     * quotient/quotient64, which raise #DE (a zero divisor, a quotient too wide) before any
     * register changes; the remainder is the dividend's low half minus quotient x divisor. The
     * flags are left as they were, as the interpreter leaves them.
     */
    private static int div(Gen g, Insn i, int size) {
        CodeBuilder code = g.code;
        g.readE(i, size);
        code.lstore(T2);
        if (size == 4) {
            // n = EDX:EAX in T1
            g.loadReg(Cpu.RDX, 8);
            code.bipush(32).lshl();
            g.loadReg(Cpu.RAX, 4);
            code.lor().lstore(T1);
            code.lload(T1).lload(T2).bipush(32).invokestatic(CD_MUL_DIV, "quotient",
                    MethodTypeDesc.of(CD_long, CD_long, CD_long, CD_int));
        } else {
            g.loadReg(Cpu.RAX, 8);
            code.lstore(T1);
            g.loadReg(Cpu.RDX, 8);
            code.lload(T1).lload(T2).invokestatic(CD_MUL_DIV, "quotient64",
                    MethodTypeDesc.of(CD_long, CD_long, CD_long, CD_long));
        }
        code.lstore(T3);
        code.lload(T1).lload(T3).lload(T2).lmul().lsub();
        g.storeReg(Cpu.RDX, size);
        code.lload(T3);
        g.storeReg(Cpu.RAX, size);
        return FAULTS;
    }

    /**
     * Two/three-operand IMUL of T1 and T2 (IntegerAluMulDiv.imulTruncated and mulFlags). CF = OF
     * = whether the full product differs from the truncated one, computed without a branch: a
     * data-dependent branch here is often one-sided, and the uncommon trap C2 puts on its rare
     * side would keep the comparison alive even where the flags are dead.
     */
    private static void imul(Gen g, Insn i, int size) {
        CodeBuilder code = g.code;
        if (size == 8) {
            code.lload(T1).lload(T2).lmul().lstore(T3);
        } else {
            code.lload(T1).l2i().i2l().lload(T2).l2i().i2l().lmul().lstore(T3);
        }
        if (g.flagsDead) {
            code.lload(T3);
            g.storeReg(i.reg, size);
            return;
        }
        // d = (high part) ^ (sign of the truncated product), zero iff no overflow
        if (size == 8) {
            code.lload(T1).lload(T2).invokestatic(ClassDesc.of("java.lang.Math"), "multiplyHigh",
                    MethodTypeDesc.of(CD_long, CD_long, CD_long));
            code.lload(T3).bipush(63).lshr().lxor();
        } else {
            code.lload(T3).lload(T3).l2i().i2l().lxor();
        }
        code.lstore(T4);
        // (d | -d) >>> 63 is 1 iff d != 0; times CF | OF
        code.lload(T4).lload(T4).lneg().lor().bipush(63).lushr().loadConstant(Cpu.CF | Cpu.OF).lmul();
        // | SF | PF
        code.lload(T3).bipush(size * 8 - 1).lushr().lconst_1().land().bipush(7).lshl().lor();
        g.parity(T3);
        code.i2l().iconst_2().lshl().lor();
        code.lstore(FAUX);
        code.lload(T3);
        g.storeReg(i.reg, size);
        g.setFlags(F_EXPL, size);
    }
}
