package dev.linux4j.cpu.jit;

import static dev.linux4j.cpu.jit.Gen.CD_CPU;
import static dev.linux4j.cpu.jit.Gen.CD_INSN;
import static dev.linux4j.cpu.jit.Gen.CPU;
import static dev.linux4j.cpu.jit.Gen.FAUX;
import static dev.linux4j.cpu.jit.Gen.F_EXPL;
import static dev.linux4j.cpu.jit.Gen.MMU;
import static dev.linux4j.cpu.jit.Gen.T1;
import static dev.linux4j.cpu.jit.Gen.T2;
import static dev.linux4j.cpu.jit.Gen.T3;
import static dev.linux4j.cpu.jit.Gen.T4;
import static dev.linux4j.cpu.jit.Gen.XMMS;
import static dev.linux4j.cpu.jit.InsnEmitter.FAULTS;
import static dev.linux4j.cpu.jit.InsnEmitter.NONE;
import static dev.linux4j.cpu.jit.InsnEmitter.SAFE;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import dev.linux4j.cpu.CpuTrap;
import dev.linux4j.cpu.Insn;
import dev.linux4j.cpu.SseInteger;
import dev.linux4j.cpu.SseMove;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;

/**
 * Inline bytecode for the SSE/SSE2 forms gcc emits for scalar and packed double arithmetic
 * (SDM Vol. 1, 11.4): 128/64/32-bit moves, the bitwise logic, the 64-bit unpacks and SHUFPD,
 * ADD/SUB/MUL/DIV/SQRT SD and PD, (U)COMISD, CVTSI2SD and CVTTSD2SI. XMM halves live in the
 * locals of {@link Gen}. Data movement is transcribed from SseMove/SseInteger/SseShuffle (same
 * reads in the same order, the #GP check of aligned forms first); the floating-point forms call
 * {@link SseOps}' fast paths and, when those decline, the instruction's own semantics with the
 * operands written back first, so MXCSR flags, NaNs and traps are the interpreter's.
 */
final class SseEmitter {
    private SseEmitter() {}

    // Mandatory-prefix columns, as the Decoder selects them.
    static final int COL_NONE = 0;
    static final int COL_66 = 1;
    static final int COL_F3 = 2;
    static final int COL_F2 = 3;

    private static final ClassDesc CD_OPS = ClassDesc.of(SseOps.class.getName());
    private static final ClassDesc CD_TRAP = ClassDesc.of(CpuTrap.class.getName());
    private static final MethodTypeDesc MTD_ELEM = MethodTypeDesc.of(CD_long, CD_CPU, CD_long, CD_long);
    private static final MethodTypeDesc MTD_SCALAR = MethodTypeDesc.of(CD_long, CD_CPU, CD_INSN, CD_long, CD_long);
    private static final MethodTypeDesc MTD_PACKED = MethodTypeDesc.of(CD_void, CD_CPU, CD_INSN, CD_long, CD_long,
            CD_long, CD_long);

    /** The mandatory-prefix column the decoder chose for a 0F-map form (its P_MANDATORY bit). */
    static int column(Insn i) {
        return i.hasPrefix(Insn.P_MANDATORY_F2) ? COL_F2 : i.hasPrefix(Insn.P_MANDATORY_F3) ? COL_F3
                : i.hasPrefix(Insn.P_MANDATORY_66) ? COL_66 : COL_NONE;
    }

    /**
     * The XMM halves an SSE form run through its own semantics reads and writes, {read, write}
     * masks, for the forms of the common shape "XMM[reg] = f(XMM[reg], XMM[rm] or memory)"
     * (checked against the families' sources); null when not known to be of that shape.
     */
    static int[] footprint(Insn i) {
        if ((i.opcode >> 8) != 1 || (i.prefixes & (Insn.P_LOCK | Insn.P_VEX)) != 0) {
            return null;
        }
        int b = i.opcode & 0xff;
        int col = column(i);
        boolean standard;
        if (b >= 0x60 && b <= 0x7f || b >= 0xd0) {
            // The no-prefix forms here are MMX (x87 registers, no XMM).
            standard = col != COL_NONE && ((b >= 0x60 && b <= 0x6d) || b == 0x6f || b == 0x70
                    || (b >= 0x74 && b <= 0x76) || b == 0x7c || b == 0x7d || (b >= 0xd0 && b <= 0xd5)
                    || (b >= 0xd8 && b <= 0xe6) || (b >= 0xe8 && b <= 0xef) || (b >= 0xf1 && b <= 0xf6)
                    || (b >= 0xf8 && b <= 0xfe));
        } else {
            standard = b == 0x10 || b == 0x12 || b == 0x14 || b == 0x15 || b == 0x16 || b == 0x28
                    || (b >= 0x51 && b <= 0x5f) || b == 0xc2 || b == 0xc6;
        }
        if (b == 0x2a && (col == COL_F2 || col == COL_F3)) {
            int reg = 3 << (2 * i.reg); // CVTSI2SS/SD: a general register or memory in
            return new int[] {reg, reg};
        }
        if (!standard) {
            return null;
        }
        int reg = 3 << (2 * i.reg);
        return new int[] {reg | (i.rm >= 0 ? 3 << (2 * i.rm) : 0), reg};
    }

    /** PMOVMSKB xmm, MOVMSKPS/PD, CVT(T)SS2SI/CVT(T)SD2SI: XMM or memory in, general register i.reg out (all 64 bits). */
    static boolean xmmToGpr(Insn i) {
        if ((i.opcode >> 8) != 1 || (i.prefixes & (Insn.P_LOCK | Insn.P_VEX)) != 0) {
            return false;
        }
        int b = i.opcode & 0xff;
        int col = column(i);
        return (b == 0xd7 && col == COL_66 && i.rm >= 0) || (b == 0x50 && (col == COL_NONE || col == COL_66) && i.rm >= 0)
                || ((b == 0x2c || b == 0x2d) && (col == COL_F2 || col == COL_F3));
    }

    /** Region weight of a form handled here (see RegionCompiler.weight), or 0 if not handled. */
    static int weight(Insn i) {
        int op = i.opcode;
        if ((op >> 8) != 1 || (i.prefixes & (Insn.P_LOCK | Insn.P_VEX)) != 0 || kind(i) == NONE) {
            return 0;
        }
        int b = op & 0xff;
        return b == 0x51 || b == 0x58 || b == 0x59 || b == 0x5c || b == 0x5e || b == 0x2a || b == 0x2c ? 2 : 1;
    }

    // Form kinds.
    private static final int LOAD128 = 1;
    private static final int LOAD128A = 2;
    private static final int STORE128 = 3;
    private static final int STORE128A = 4;
    private static final int MOVSD = 5;
    private static final int MOVSS = 6;
    private static final int MOVLH = 7;
    private static final int MOVD_TO = 8;
    private static final int MOVD_FROM = 9;
    private static final int MOVQ_LOAD = 10;
    private static final int MOVQ_STORE = 11;
    private static final int LOGIC = 12;
    private static final int UNPCK = 13;
    private static final int SHUFPD = 14;
    private static final int ARITH_SD = 15;
    private static final int ARITH_PD = 16;
    private static final int COMISD = 17;
    private static final int CVTSI2SD = 18;
    private static final int CVTTSD2SI = 19;
    private static final int BYTES = 20;
    private static final int PMOVMSKB = 21;

    /** The interpreter's byte-lane helpers, which {@link #bytes} and {@link #pmovmskb} call. */
    private static final ClassDesc CD_SSE_INTEGER = ClassDesc.of(SseInteger.class.getName());
    private static final ClassDesc CD_SSE_MOVE = ClassDesc.of(SseMove.class.getName());

    /** The kind of form {@code i} is, or NONE. */
    private static int kind(Insn i) {
        int col = column(i);
        int b = i.opcode & 0xff;
        boolean ps = col == COL_NONE || col == COL_66;
        return switch (b) {
            case 0x10 -> col == COL_F2 ? MOVSD : col == COL_F3 ? MOVSS : LOAD128;
            case 0x11 -> col == COL_F2 ? MOVSD : col == COL_F3 ? MOVSS : STORE128;
            case 0x28 -> ps ? LOAD128A : NONE;
            case 0x29, 0x2b -> ps ? STORE128A : NONE;
            case 0x6f -> col == COL_66 ? LOAD128A : col == COL_F3 ? LOAD128 : NONE;
            case 0x7f -> col == COL_66 ? STORE128A : col == COL_F3 ? STORE128 : NONE;
            case 0xe7 -> col == COL_66 ? STORE128A : NONE;
            case 0x12, 0x13, 0x16, 0x17 -> ps && (col == COL_NONE || i.rm < 0) ? MOVLH : NONE;
            case 0x6e -> col == COL_66 ? MOVD_TO : NONE;
            case 0x7e -> col == COL_66 ? MOVD_FROM : col == COL_F3 ? MOVQ_LOAD : NONE;
            case 0xd6 -> col == COL_66 ? MOVQ_STORE : NONE;
            case 0x54, 0x55, 0x56, 0x57 -> ps ? LOGIC : NONE;
            case 0xdb, 0xdf, 0xeb, 0xef, 0xd4, 0xfb -> col == COL_66 ? LOGIC : NONE;
            case 0x74, 0xda, 0xf8, 0xfc -> col == COL_66 ? BYTES : NONE;
            case 0xd7 -> col == COL_66 && i.rm >= 0 ? PMOVMSKB : NONE;
            case 0x14, 0x15, 0x6c, 0x6d -> col == COL_66 ? UNPCK : NONE;
            case 0xc6 -> col == COL_66 ? SHUFPD : NONE;
            case 0x51, 0x58, 0x59, 0x5c, 0x5e -> col == COL_F2 ? ARITH_SD : col == COL_66 ? ARITH_PD : NONE;
            case 0x2e, 0x2f -> col == COL_66 ? COMISD : NONE;
            case 0x2a -> col == COL_F2 ? CVTSI2SD : NONE;
            case 0x2c -> col == COL_F2 ? CVTTSD2SI : NONE;
            default -> NONE;
        };
    }

    /** Emits {@code i} inline; NONE (nothing emitted) if the form is not handled here. */
    static int inline(Gen g, Insn i) {
        if ((i.opcode >> 8) != 1) {
            return NONE;
        }
        return switch (kind(i)) {
            case LOAD128 -> load128(g, i, false);
            case LOAD128A -> load128(g, i, true);
            case STORE128 -> store128(g, i, false);
            case STORE128A -> store128(g, i, true);
            case MOVSD -> movsd(g, i);
            case MOVSS -> movss(g, i);
            case MOVLH -> movLowHigh(g, i);
            case MOVD_TO -> movdTo(g, i);
            case MOVD_FROM -> movdFrom(g, i);
            case MOVQ_LOAD -> movqLoad(g, i);
            case MOVQ_STORE -> movqStore(g, i);
            case LOGIC -> logic(g, i);
            case BYTES -> bytes(g, i);
            case PMOVMSKB -> pmovmskb(g, i);
            case UNPCK -> unpck(g, i);
            case SHUFPD -> shufpd(g, i);
            case ARITH_SD -> arithSd(g, i);
            case ARITH_PD -> arithPd(g, i);
            case COMISD -> comisd(g, i);
            case CVTSI2SD -> cvtsi2sd(g, i);
            case CVTTSD2SI -> cvttsd2si(g, i);
            default -> NONE;
        };
    }

    private static int lo(int n) {
        return 2 * n;
    }

    private static int hi(int n) {
        return 2 * n + 1;
    }

    private static int faults(Insn i) {
        return i.rm < 0 ? FAULTS : SAFE;
    }

    // ---------------------------------------------------------------- operands

    /** Stores the memory operand's address in T4, with the #GP check of an aligned m128 (Sse.aligned16). */
    private static void address(Gen g, Insn i, boolean aligned) {
        CodeBuilder code = g.code;
        g.ea(i);
        code.lstore(T4);
        if (aligned) {
            Label ok = code.newLabel();
            code.lload(T4).loadConstant(15L).land().lconst_0().lcmp().ifeq(ok);
            code.getstatic(CD_TRAP, "GENERAL_PROTECTION", CD_TRAP).athrow();
            code.labelBinding(ok);
        }
    }

    /** Pushes the 8 bytes at T4 + {@code offset}. */
    private static void readAtT4(Gen g, int offset) {
        CodeBuilder code = g.code;
        code.aload(MMU).lload(T4);
        if (offset != 0) {
            code.loadConstant((long) offset).ladd();
        }
        g.readAt(8);
    }

    /**
     * Reads the xmm/m128 source (memory low then high, as Sse.srcLo/srcHi) and returns the locals
     * holding it: {low, high} — the register's own, or T1 and T2 for memory.
     */
    private static int[] src128(Gen g, Insn i, boolean aligned) {
        CodeBuilder code = g.code;
        if (i.rm >= 0) {
            g.touchX(lo(i.rm));
            g.touchX(hi(i.rm));
            return new int[] {Gen.xmm(lo(i.rm)), Gen.xmm(hi(i.rm))};
        }
        address(g, i, aligned);
        readAtT4(g, 0);
        code.lstore(T1);
        readAtT4(g, 8);
        code.lstore(T2);
        return new int[] {T1, T2};
    }

    /** Pushes the low quadword of the xmm/m64 source (Sse.src64). */
    private static void src64(Gen g, Insn i) {
        if (i.rm >= 0) {
            g.loadX(lo(i.rm));
        } else {
            g.readMem(i, 8);
        }
    }

    /** Reads the xmm/m64 source and returns the local holding it: the register's own, or T2. */
    private static int src64Slot(Gen g, Insn i) {
        if (i.rm >= 0) {
            g.touchX(lo(i.rm));
            return Gen.xmm(lo(i.rm));
        }
        g.readMem(i, 8);
        g.code.lstore(T2);
        return T2;
    }

    // ---------------------------------------------------------------- moves

    /** MOVUPS/MOVUPD/MOVDQU and MOVAPS/MOVAPD/MOVDQA xmm1, xmm2/m128 (SseMove.loadUnaligned/loadAligned). */
    private static int load128(Gen g, Insn i, boolean aligned) {
        int[] src = src128(g, i, aligned);
        g.code.lload(src[0]);
        g.storeX(lo(i.reg));
        g.code.lload(src[1]);
        g.storeX(hi(i.reg));
        return faults(i);
    }

    /** MOVUPS/MOVAPS/MOVNTPS... xmm2/m128, xmm1 (SseMove.storeUnaligned/storeAligned, Sse.store128). */
    private static int store128(Gen g, Insn i, boolean aligned) {
        CodeBuilder code = g.code;
        if (i.rm >= 0) {
            g.loadX(lo(i.reg));
            g.storeX(lo(i.rm));
            g.loadX(hi(i.reg));
            g.storeX(hi(i.rm));
            return SAFE;
        }
        address(g, i, aligned);
        if (!aligned) {
            Label inPage = code.newLabel();
            code.lload(T4).loadConstant(0xfffL).land().loadConstant(0xff0L).lcmp().ifle(inPage);
            code.aload(MMU).lload(T4).bipush(16)
                    .invokevirtual(Gen.CD_MMU, "probeWrite", MethodTypeDesc.of(CD_void, CD_long, CD_int));
            code.labelBinding(inPage);
        }
        code.aload(MMU).lload(T4);
        g.loadX(lo(i.reg));
        g.writeAt(8);
        code.aload(MMU).lload(T4).loadConstant(8L).ladd();
        g.loadX(hi(i.reg));
        g.writeAt(8);
        return FAULTS;
    }

    /** MOVSD xmm1, xmm2 / xmm1, m64 (high zeroed) / m64, xmm1 (SseMove.movsdLoad/movsdStore). */
    private static int movsd(Gen g, Insn i) {
        boolean load = (i.opcode & 0xff) == 0x10;
        if (i.rm >= 0) {
            g.loadX(lo(load ? i.rm : i.reg));
            g.storeX(lo(load ? i.reg : i.rm));
            return SAFE;
        }
        return scalarMem(g, i, load, 8);
    }

    /** The memory forms of MOVSD/MOVSS: a load zeroes the rest of the register, a store writes {@code size} bytes. */
    private static int scalarMem(Gen g, Insn i, boolean load, int size) {
        CodeBuilder code = g.code;
        if (load) {
            g.readMem(i, size);
            g.storeX(lo(i.reg));
            code.lconst_0();
            g.storeX(hi(i.reg));
        } else {
            code.aload(MMU);
            g.ea(i);
            g.loadX(lo(i.reg));
            g.writeAt(size);
        }
        return FAULTS;
    }

    /** MOVSS xmm1, xmm2 (merges the low dword) / xmm1, m32 (rest zeroed) / m32, xmm1 (SseMove.movss*). */
    private static int movss(Gen g, Insn i) {
        CodeBuilder code = g.code;
        boolean load = (i.opcode & 0xff) == 0x10;
        if (i.rm >= 0) {
            int d = lo(load ? i.reg : i.rm);
            g.loadX(d);
            code.loadConstant(0xffffffff00000000L).land();
            g.loadX(lo(load ? i.rm : i.reg));
            code.loadConstant(0xffffffffL).land().lor();
            g.storeX(d);
            return SAFE;
        }
        return scalarMem(g, i, load, 4);
    }

    /** MOVLPS/MOVLPD/MOVHPS/MOVHPD and the register forms MOVHLPS/MOVLHPS (0F 12/13/16/17). */
    private static int movLowHigh(Gen g, Insn i) {
        CodeBuilder code = g.code;
        int b = i.opcode & 0xff;
        boolean high = b >= 0x16;
        if (b == 0x12 || b == 0x16) {
            if (i.rm >= 0) {
                g.loadX(high ? lo(i.rm) : hi(i.rm)); // MOVLHPS / MOVHLPS
            } else {
                g.readMem(i, 8);
            }
            g.storeX(high ? hi(i.reg) : lo(i.reg));
            return faults(i);
        }
        code.aload(MMU);
        g.ea(i);
        g.loadX(high ? hi(i.reg) : lo(i.reg));
        g.writeAt(8);
        return FAULTS;
    }

    /** MOVD/MOVQ xmm, r/m32/64: zero-extended into the whole register. */
    private static int movdTo(Gen g, Insn i) {
        g.readE(i, i.opsize);
        g.storeX(lo(i.reg));
        g.code.lconst_0();
        g.storeX(hi(i.reg));
        return faults(i);
    }

    /** MOVD/MOVQ r/m32/64, xmm (Cpu.writeE at the operand size). */
    private static int movdFrom(Gen g, Insn i) {
        int size = i.opsize;
        if (i.rm >= 0) {
            g.loadX(lo(i.reg));
            g.storeReg(size == 1 ? i.rmB : i.rm, size);
            return SAFE;
        }
        g.code.aload(MMU);
        g.ea(i);
        g.loadX(lo(i.reg));
        g.writeAt(size);
        return FAULTS;
    }

    /** MOVQ xmm1, xmm2/m64 (F3 0F 7E): the high quadword is zeroed. */
    private static int movqLoad(Gen g, Insn i) {
        src64(g, i);
        g.storeX(lo(i.reg));
        g.code.lconst_0();
        g.storeX(hi(i.reg));
        return faults(i);
    }

    /** MOVQ xmm2/m64, xmm1 (66 0F D6): a register destination's high quadword is zeroed. */
    private static int movqStore(Gen g, Insn i) {
        if (i.rm >= 0) {
            g.loadX(lo(i.reg));
            g.storeX(lo(i.rm));
            g.code.lconst_0();
            g.storeX(hi(i.rm));
            return SAFE;
        }
        g.code.aload(MMU);
        g.ea(i);
        g.loadX(lo(i.reg));
        g.writeAt(8);
        return FAULTS;
    }

    // ---------------------------------------------------------------- logic and shuffles

    /** AND/ANDN/OR/XOR PS/PD, PAND PANDN POR PXOR PADDQ PSUBQ xmm1, xmm2/m128 (SseInteger.packed). */
    private static int logic(Gen g, Insn i) {
        int[] src = src128(g, i, true);
        for (int half = 0; half < 2; half++) {
            int d = 2 * i.reg + half;
            g.loadX(d);
            lane(g.code, i.opcode & 0xff, src[half]);
            g.storeX(d);
        }
        return faults(i);
    }

    /** Stack: a → f(a, b) with b in {@code slot}. */
    private static void lane(CodeBuilder code, int b, int slot) {
        switch (b) {
            case 0x54, 0xdb -> code.lload(slot).land();
            case 0x55, 0xdf -> code.loadConstant(-1L).lxor().lload(slot).land();
            case 0x56, 0xeb -> code.lload(slot).lor();
            case 0xd4 -> code.lload(slot).ladd();
            case 0xfb -> code.lload(slot).lsub();
            default -> code.lload(slot).lxor(); // 0x57, 0xef
        }
    }

    /**
     * PCMPEQB, PMINUB, PSUBB, PADDB xmm1, xmm2/m128: the interpreter's byte-lane helpers
     * (SseInteger) on each half. The string functions of glibc's SSE2 flavour run on them.
     */
    private static int bytes(Gen g, Insn i) {
        String lane = switch (i.opcode & 0xff) {
            case 0x74 -> "pcmpeqb";
            case 0xda -> "pminub";
            case 0xf8 -> "psubb";
            default -> "paddb";
        };
        int[] src = src128(g, i, true);
        for (int half = 0; half < 2; half++) {
            int d = 2 * i.reg + half;
            g.loadX(d);
            g.code.lload(src[half]);
            g.code.invokestatic(CD_SSE_INTEGER, lane, MethodTypeDesc.of(CD_long, CD_long, CD_long));
            g.storeX(d);
        }
        return faults(i);
    }

    /** PMOVMSKB r32, xmm (SseMove.pmovmskb of each half): the bytes' top bits, zero-extended. */
    private static int pmovmskb(Gen g, Insn i) {
        MethodTypeDesc mask = MethodTypeDesc.of(CD_long, CD_long);
        g.loadX(lo(i.rm));
        g.code.invokestatic(CD_SSE_MOVE, "pmovmskb", mask);
        g.loadX(hi(i.rm));
        g.code.invokestatic(CD_SSE_MOVE, "pmovmskb", mask).bipush(8).lshl().lor();
        g.storeReg(i.reg, 8);
        return SAFE;
    }

    /** UNPCKLPD/PUNPCKLQDQ and UNPCKHPD/PUNPCKHQDQ (SseShuffle.unpackXmm, 64-bit elements). */
    private static int unpck(Gen g, Insn i) {
        CodeBuilder code = g.code;
        boolean high = (i.opcode & 1) != 0; // 15 and 6D
        if (i.rm >= 0) {
            g.loadX(high ? hi(i.rm) : lo(i.rm));
        } else {
            address(g, i, true);
            readAtT4(g, high ? 8 : 0);
        }
        code.lstore(T1);
        if (high) {
            g.loadX(hi(i.reg));
            g.storeX(lo(i.reg));
        }
        code.lload(T1);
        g.storeX(hi(i.reg));
        return faults(i);
    }

    /** SHUFPD xmm1, xmm2/m128, imm8 (SseShuffle.shufpd). */
    private static int shufpd(Gen g, Insn i) {
        CodeBuilder code = g.code;
        int[] src = src128(g, i, true);
        int imm = (int) i.imm;
        g.loadX((imm & 1) != 0 ? hi(i.reg) : lo(i.reg));
        code.lstore(T3);
        code.lload((imm & 2) != 0 ? src[1] : src[0]);
        g.storeX(hi(i.reg));
        code.lload(T3);
        g.storeX(lo(i.reg));
        return faults(i);
    }

    // ---------------------------------------------------------------- arithmetic

    private static String element(Insn i) {
        return switch (i.opcode & 0xff) {
            case 0x58 -> "add";
            case 0x5c -> "sub";
            case 0x59 -> "mul";
            case 0x5e -> "div";
            default -> "sqrt";
        };
    }

    /** Writes back the general registers the instruction's semantics read (address or source). */
    private static void syncInputs(Gen g, int regs) {
        g.writeBackRegs(g.dirty & regs);
    }

    /** Jumps to {@code done} unless the long on the stack is {@code sentinel}. */
    private static void unlessSlow(CodeBuilder code, long sentinel, Label done) {
        code.loadConstant(sentinel).lcmp().ifne(done);
    }

    /** ADDSD/SUBSD/MULSD/DIVSD/SQRTSD xmm1, xmm2/m64. */
    private static int arithSd(Gen g, Insn i) {
        CodeBuilder code = g.code;
        int src = src64Slot(g, i);
        code.aload(CPU);
        g.loadX(lo(i.reg));
        code.lload(src).invokestatic(CD_OPS, element(i), MTD_ELEM).lstore(T1);
        Label done = code.newLabel();
        code.lload(T1);
        unlessSlow(code, SseOps.SLOW, done);
        syncInputs(g, InsnEmitter.addressRegs(i));
        code.aload(CPU);
        g.constant(CD_INSN, i);
        g.loadX(lo(i.reg));
        code.lload(src).invokestatic(CD_OPS, "scalar", MTD_SCALAR).lstore(T1);
        code.labelBinding(done);
        code.lload(T1);
        g.storeX(lo(i.reg));
        return FAULTS;
    }

    /** ADDPD/SUBPD/MULPD/DIVPD/SQRTPD xmm1, xmm2/m128: both elements fast, else the whole instruction slow. */
    private static int arithPd(Gen g, Insn i) {
        CodeBuilder code = g.code;
        int[] src = src128(g, i, true);
        String f = element(i);
        code.aload(CPU);
        g.loadX(lo(i.reg));
        code.lload(src[0]).invokestatic(CD_OPS, f, MTD_ELEM).lstore(T3);
        code.aload(CPU);
        g.loadX(hi(i.reg));
        code.lload(src[1]).invokestatic(CD_OPS, f, MTD_ELEM).lstore(T4);
        Label slow = code.newLabel();
        Label done = code.newLabel();
        code.lload(T3).loadConstant(SseOps.SLOW).lcmp().ifeq(slow);
        code.lload(T4);
        unlessSlow(code, SseOps.SLOW, done);
        code.labelBinding(slow);
        syncInputs(g, InsnEmitter.addressRegs(i));
        code.aload(CPU);
        g.constant(CD_INSN, i);
        g.loadX(lo(i.reg));
        g.loadX(hi(i.reg));
        code.lload(src[0]).lload(src[1]).invokestatic(CD_OPS, "packed", MTD_PACKED);
        code.aload(XMMS).bipush(lo(i.reg)).laload().lstore(T3);
        code.aload(XMMS).bipush(hi(i.reg)).laload().lstore(T4);
        code.labelBinding(done);
        code.lload(T3);
        g.storeX(lo(i.reg));
        code.lload(T4);
        g.storeX(hi(i.reg));
        return FAULTS;
    }

    /** COMISD/UCOMISD xmm1, xmm2/m64: the flags as an explicit status word (Cpu.setStatusFlags). */
    private static int comisd(Gen g, Insn i) {
        CodeBuilder code = g.code;
        int src = src64Slot(g, i);
        g.loadX(lo(i.reg));
        code.lload(src).invokestatic(CD_OPS, "comisd", MethodTypeDesc.of(CD_long, CD_long, CD_long)).lstore(T1);
        Label done = code.newLabel();
        code.lload(T1);
        unlessSlow(code, SseOps.SLOW_FLAGS, done);
        syncInputs(g, InsnEmitter.addressRegs(i));
        code.aload(CPU);
        g.constant(CD_INSN, i);
        g.loadX(lo(i.reg));
        code.lload(src).invokestatic(CD_OPS, "flags", MTD_SCALAR).lstore(T1);
        code.labelBinding(done);
        code.lload(T1).lstore(FAUX);
        g.setFlags(F_EXPL, 8);
        return FAULTS;
    }

    /** CVTSI2SD xmm, r/m32/64: exact below 2^53, else the instruction's own (rounding) semantics. */
    private static int cvtsi2sd(Gen g, Insn i) {
        CodeBuilder code = g.code;
        g.readE(i, i.opsize);
        g.signExtend(i.opsize);
        code.invokestatic(CD_OPS, "cvtsi2sd", MethodTypeDesc.of(CD_long, CD_long)).lstore(T1);
        Label done = code.newLabel();
        code.lload(T1);
        unlessSlow(code, SseOps.SLOW, done);
        syncInputs(g, i.rm >= 0 ? 1 << i.rm : InsnEmitter.addressRegs(i));
        code.aload(CPU);
        g.constant(CD_INSN, i);
        code.invokestatic(CD_OPS, "fromGpr", MethodTypeDesc.of(CD_long, CD_CPU, CD_INSN)).lstore(T1);
        code.labelBinding(done);
        code.lload(T1);
        g.storeX(lo(i.reg));
        return FAULTS;
    }

    /** CVTTSD2SI r32/r64, xmm/m64. */
    private static int cvttsd2si(Gen g, Insn i) {
        CodeBuilder code = g.code;
        int src = src64Slot(g, i);
        code.aload(CPU).lload(src).loadConstant(i.opsize == 8 ? 1 : 0);
        code.invokestatic(CD_OPS, "cvttsd2si", MethodTypeDesc.of(CD_long, CD_CPU, CD_long, CD_boolean)).lstore(T1);
        Label done = code.newLabel();
        code.lload(T1);
        unlessSlow(code, SseOps.SLOW_INT, done);
        syncInputs(g, InsnEmitter.addressRegs(i));
        code.aload(CPU);
        g.constant(CD_INSN, i);
        code.lload(src).invokestatic(CD_OPS, "toGpr", MethodTypeDesc.of(CD_long, CD_CPU, CD_INSN, CD_long))
                .lstore(T1);
        code.labelBinding(done);
        code.lload(T1);
        g.storeReg(i.reg, 8);
        return FAULTS;
    }
}
