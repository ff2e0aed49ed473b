package dev.linux4j.cpu;

import static dev.linux4j.cpu.Float80.DE;
import static dev.linux4j.cpu.Float80.IE;
import static dev.linux4j.cpu.Float80.OE;
import static dev.linux4j.cpu.Float80.SF;
import static dev.linux4j.cpu.Float80.UE;
import static dev.linux4j.cpu.Float80.ZE;
import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * Instruction family: x87 FPU instructions D8-DF and FWAIT (SDM Vol. 1, chapter 8; Vol. 2
 * opcode map Tables ). Memory forms register per /digit; register forms per /digit
 * with a sub-dispatch on ModRM.rm where the SDM defines one instruction per rm value.
 *
 * <p>Exceptions (SDM Vol. 1, 8.5): every waiting instruction first raises #MF when FSW.ES says
 * an unmasked exception is pending; an operation's flags are merged into FSW by
 * {@link #finish(X87)}; with an unmasked IE, DE or ZE the destination and the stack stay
 * unchanged; with an unmasked OE or UE a register result is stored with its exponent wrapped
 * by 24576 and a memory result is not stored. Arithmetic lives in {@link Float80}; this class
 * applies stack and status semantics. Transcendentals are in {@link X87Transcendental}.
 */
final class X87Ops {
    private X87Ops() {}

    static final int OP_ADD = 0;
    static final int OP_MUL = 1;
    static final int OP_COM = 2;
    static final int OP_COMP = 3;
    static final int OP_SUB = 4;
    static final int OP_SUBR = 5;
    static final int OP_DIV = 6;
    static final int OP_DIVR = 7;

    private static final String[] ARITH = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};

    private static final Exec UD = new Exec() {
        public void exec(Cpu cpu, Insn insn) {
            throw CpuTrap.INVALID_OPCODE;
        }
    };

    static void register(OpcodeTable t) {
        t.add(0x9b, "fwait", 0, new Exec() { public void exec(Cpu c, Insn i) { fwait(c, i); } });
        for (int d = 0; d < 8; d++) {
            final int op = d;
            // D8 m32fp, DC m64fp, DA m32int, DE m16int: ST(0) = ST(0) op mem
            t.addGroupMem(MAP_1B, 0xd8, PFX_NONE, d, ARITH[d], 0,
                    new Exec() { public void exec(Cpu cpu, Insn insn) { arithMem(cpu, insn, op, MEM_F32); } });
            t.addGroupMem(MAP_1B, 0xdc, PFX_NONE, d, ARITH[d], 0,
                    new Exec() { public void exec(Cpu cpu, Insn insn) { arithMem(cpu, insn, op, MEM_F64); } });
            t.addGroupMem(MAP_1B, 0xda, PFX_NONE, d, "fi" + ARITH[d].substring(1), 0,
                    new Exec() { public void exec(Cpu cpu, Insn insn) { arithMem(cpu, insn, op, MEM_I32); } });
            t.addGroupMem(MAP_1B, 0xde, PFX_NONE, d, "fi" + ARITH[d].substring(1), 0,
                    new Exec() { public void exec(Cpu cpu, Insn insn) { arithMem(cpu, insn, op, MEM_I16); } });
            // D8 reg: ST(0) = ST(0) op ST(i)
            t.addGroupReg(MAP_1B, 0xd8, PFX_NONE, d, ARITH[d], 0,
                    new Exec() { public void exec(Cpu cpu, Insn insn) { arithReg(cpu, insn, op, false, false); } });
            // DC reg: ST(i) = ST(i) op ST(0), with SUB/SUBR and DIV/DIVR swapped in the encoding
            final int rev = d >= 4 ? d ^ 1 : d;
            t.addGroupReg(MAP_1B, 0xdc, PFX_NONE, d, ARITH[rev], 0,
                    new Exec() { public void exec(Cpu cpu, Insn insn) { arithReg(cpu, insn, rev, true, false); } });
            if (d != 3) {
                t.addGroupReg(MAP_1B, 0xde, PFX_NONE, d, d == 2 ? "fcomp" : ARITH[rev] + "p", 0,
                        new Exec() { public void exec(Cpu cpu, Insn insn) { arithReg(cpu, insn, rev, true, true); } });
            }
        }
        t.addGroupReg(MAP_1B, 0xde, PFX_NONE, 3, "fcompp", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fcompp(c, i); } });

        // D9
        t.addGroupMem(MAP_1B, 0xd9, PFX_NONE, 0, "fld", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fldMem(cpu, insn, MEM_F32); } });
        t.addGroupMem(MAP_1B, 0xd9, PFX_NONE, 2, "fst", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fstMem(cpu, insn, MEM_F32, false); } });
        t.addGroupMem(MAP_1B, 0xd9, PFX_NONE, 3, "fstp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fstMem(cpu, insn, MEM_F32, true); } });
        t.addGroupMem(MAP_1B, 0xd9, PFX_NONE, 4, "fldenv", 0,
                new Exec() { public void exec(Cpu c, Insn i) { X87State.fldenv(c, i); } });
        t.addGroupMem(MAP_1B, 0xd9, PFX_NONE, 5, "fldcw", 0,
                new Exec() { public void exec(Cpu c, Insn i) { X87State.fldcw(c, i); } });
        t.addGroupMem(MAP_1B, 0xd9, PFX_NONE, 6, "fnstenv", 0,
                new Exec() { public void exec(Cpu c, Insn i) { X87State.fnstenv(c, i); } });
        t.addGroupMem(MAP_1B, 0xd9, PFX_NONE, 7, "fnstcw", 0,
                new Exec() { public void exec(Cpu c, Insn i) { X87State.fnstcw(c, i); } });
        t.addGroupReg(MAP_1B, 0xd9, PFX_NONE, 0, "fld", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fldReg(c, i); } });
        t.addGroupReg(MAP_1B, 0xd9, PFX_NONE, 1, "fxch", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fxch(c, i); } });
        t.addGroupReg(MAP_1B, 0xd9, PFX_NONE, 2, "fnop", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fnop(c, i); } });
        t.addGroupReg(MAP_1B, 0xd9, PFX_NONE, 3, "fstp1", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fstReg(cpu, insn, true); } });
        t.addGroupReg(MAP_1B, 0xd9, PFX_NONE, 4, "fchs/fabs/ftst/fxam", 0,
                new Exec() { public void exec(Cpu c, Insn i) { groupD9E0(c, i); } });
        t.addGroupReg(MAP_1B, 0xd9, PFX_NONE, 5, "fldconst", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fldConstant(c, i); } });
        t.addGroupReg(MAP_1B, 0xd9, PFX_NONE, 6, "d9f0", 0,
                new Exec() { public void exec(Cpu c, Insn i) { groupD9F0(c, i); } });
        t.addGroupReg(MAP_1B, 0xd9, PFX_NONE, 7, "d9f8", 0,
                new Exec() { public void exec(Cpu c, Insn i) { groupD9F8(c, i); } });

        // DA reg: FCMOVcc, FUCOMPP
        t.addGroupReg(MAP_1B, 0xda, PFX_NONE, 0, "fcmovb", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcmov(cpu, insn, 2); } });
        t.addGroupReg(MAP_1B, 0xda, PFX_NONE, 1, "fcmove", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcmov(cpu, insn, 4); } });
        t.addGroupReg(MAP_1B, 0xda, PFX_NONE, 2, "fcmovbe", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcmov(cpu, insn, 6); } });
        t.addGroupReg(MAP_1B, 0xda, PFX_NONE, 3, "fcmovu", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcmov(cpu, insn, 10); } });
        t.addGroupReg(MAP_1B, 0xda, PFX_NONE, 5, "fucompp", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fucompp(c, i); } });

        // DB
        t.addGroupMem(MAP_1B, 0xdb, PFX_NONE, 0, "fild", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fldMem(cpu, insn, MEM_I32); } });
        t.addGroupMem(MAP_1B, 0xdb, PFX_NONE, 1, "fisttp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fistMem(cpu, insn, 4, true, true); } });
        t.addGroupMem(MAP_1B, 0xdb, PFX_NONE, 2, "fist", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fistMem(cpu, insn, 4, false, false); } });
        t.addGroupMem(MAP_1B, 0xdb, PFX_NONE, 3, "fistp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fistMem(cpu, insn, 4, true, false); } });
        t.addGroupMem(MAP_1B, 0xdb, PFX_NONE, 5, "fld", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fldMem(cpu, insn, MEM_F80); } });
        t.addGroupMem(MAP_1B, 0xdb, PFX_NONE, 7, "fstp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fstMem(cpu, insn, MEM_F80, true); } });
        t.addGroupReg(MAP_1B, 0xdb, PFX_NONE, 0, "fcmovnb", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcmov(cpu, insn, 3); } });
        t.addGroupReg(MAP_1B, 0xdb, PFX_NONE, 1, "fcmovne", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcmov(cpu, insn, 5); } });
        t.addGroupReg(MAP_1B, 0xdb, PFX_NONE, 2, "fcmovnbe", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcmov(cpu, insn, 7); } });
        t.addGroupReg(MAP_1B, 0xdb, PFX_NONE, 3, "fcmovnu", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcmov(cpu, insn, 11); } });
        t.addGroupReg(MAP_1B, 0xdb, PFX_NONE, 4, "fnclex/fninit", 0,
                new Exec() { public void exec(Cpu c, Insn i) { X87State.groupDBE0(c, i); } });
        t.addGroupReg(MAP_1B, 0xdb, PFX_NONE, 5, "fucomi", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcomi(cpu, insn, true, false); } });
        t.addGroupReg(MAP_1B, 0xdb, PFX_NONE, 6, "fcomi", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcomi(cpu, insn, false, false); } });

        // DD
        t.addGroupMem(MAP_1B, 0xdd, PFX_NONE, 0, "fld", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fldMem(cpu, insn, MEM_F64); } });
        t.addGroupMem(MAP_1B, 0xdd, PFX_NONE, 1, "fisttp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fistMem(cpu, insn, 8, true, true); } });
        t.addGroupMem(MAP_1B, 0xdd, PFX_NONE, 2, "fst", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fstMem(cpu, insn, MEM_F64, false); } });
        t.addGroupMem(MAP_1B, 0xdd, PFX_NONE, 3, "fstp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fstMem(cpu, insn, MEM_F64, true); } });
        t.addGroupMem(MAP_1B, 0xdd, PFX_NONE, 4, "frstor", 0,
                new Exec() { public void exec(Cpu c, Insn i) { X87State.frstor(c, i); } });
        t.addGroupMem(MAP_1B, 0xdd, PFX_NONE, 6, "fnsave", 0,
                new Exec() { public void exec(Cpu c, Insn i) { X87State.fnsave(c, i); } });
        t.addGroupMem(MAP_1B, 0xdd, PFX_NONE, 7, "fnstsw", 0,
                new Exec() { public void exec(Cpu c, Insn i) { X87State.fnstswMem(c, i); } });
        t.addGroupReg(MAP_1B, 0xdd, PFX_NONE, 0, "ffree", 0,
                new Exec() { public void exec(Cpu c, Insn i) { ffree(c, i); } });
        t.addGroupReg(MAP_1B, 0xdd, PFX_NONE, 1, "fxch4", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fxch(c, i); } });
        t.addGroupReg(MAP_1B, 0xdd, PFX_NONE, 2, "fst", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fstReg(cpu, insn, false); } });
        t.addGroupReg(MAP_1B, 0xdd, PFX_NONE, 3, "fstp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fstReg(cpu, insn, true); } });
        t.addGroupReg(MAP_1B, 0xdd, PFX_NONE, 4, "fucom", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcomReg(cpu, insn, true, 0); } });
        t.addGroupReg(MAP_1B, 0xdd, PFX_NONE, 5, "fucomp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcomReg(cpu, insn, true, 1); } });

        // DF
        t.addGroupMem(MAP_1B, 0xdf, PFX_NONE, 0, "fild", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fldMem(cpu, insn, MEM_I16); } });
        t.addGroupMem(MAP_1B, 0xdf, PFX_NONE, 1, "fisttp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fistMem(cpu, insn, 2, true, true); } });
        t.addGroupMem(MAP_1B, 0xdf, PFX_NONE, 2, "fist", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fistMem(cpu, insn, 2, false, false); } });
        t.addGroupMem(MAP_1B, 0xdf, PFX_NONE, 3, "fistp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fistMem(cpu, insn, 2, true, false); } });
        t.addGroupMem(MAP_1B, 0xdf, PFX_NONE, 4, "fbld", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fldMem(cpu, insn, MEM_BCD); } });
        t.addGroupMem(MAP_1B, 0xdf, PFX_NONE, 5, "fild", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fldMem(cpu, insn, MEM_I64); } });
        t.addGroupMem(MAP_1B, 0xdf, PFX_NONE, 6, "fbstp", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fbstp(c, i); } });
        t.addGroupMem(MAP_1B, 0xdf, PFX_NONE, 7, "fistp", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fistMem(cpu, insn, 8, true, false); } });
        t.addGroupReg(MAP_1B, 0xdf, PFX_NONE, 0, "ffreep", 0,
                new Exec() { public void exec(Cpu c, Insn i) { ffreep(c, i); } });
        t.addGroupReg(MAP_1B, 0xdf, PFX_NONE, 1, "fxch7", 0,
                new Exec() { public void exec(Cpu c, Insn i) { fxch(c, i); } });
        t.addGroupReg(MAP_1B, 0xdf, PFX_NONE, 2, "fstp8", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fstReg(cpu, insn, true); } });
        t.addGroupReg(MAP_1B, 0xdf, PFX_NONE, 3, "fstp9", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fstReg(cpu, insn, true); } });
        t.addGroupReg(MAP_1B, 0xdf, PFX_NONE, 4, "fnstsw", 0,
                new Exec() { public void exec(Cpu c, Insn i) { X87State.fnstswAx(c, i); } });
        t.addGroupReg(MAP_1B, 0xdf, PFX_NONE, 5, "fucomip", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcomi(cpu, insn, true, true); } });
        t.addGroupReg(MAP_1B, 0xdf, PFX_NONE, 6, "fcomip", 0,
                new Exec() { public void exec(Cpu cpu, Insn insn) { fcomi(cpu, insn, false, true); } });
    }

    // ------------------------------------------------------------ common plumbing

    /**
     * Prologue of a waiting x87 instruction (SDM Vol. 1, 8.6): raises #MF if an unmasked
     * exception is pending, records the instruction pointer and starts the arithmetic unit.
     */
    static X87 enter(Cpu cpu, Insn insn) {
        X87 x = cpu.x87;
        if ((x.status & X87.FSW_ES) != 0) {
            throw CpuTrap.X87_FP_ERROR;
        }
        x.fip = insn.addr();
        x.f.begin(x.control);
        return x;
    }

    /**
     * Merges the operation's exception flags and C1 into FSW, sets ES/B for unmasked ones and
     * returns the unmasked exception bits.
     */
    static int finish(X87 x) {
        int fl = x.f.flags;
        x.status = (x.status & ~X87.FSW_C1) | (fl & (0x7f | X87.FSW_C1));
        int unmasked = fl & ~x.control & 0x3f;
        if (unmasked != 0) {
            x.status |= X87.FSW_ES | X87.FSW_B;
        }
        return unmasked;
    }

    /** True when an unmasked pre-computation exception forbids writing the result. */
    static boolean blocked(int unmasked) {
        return (unmasked & (IE | DE | ZE)) != 0;
    }

    /** Stack underflow (SDM Vol. 1, 8.5.1.1): IE and SF with C1 = 0; masked result is the indefinite. */
    static void stackUnderflow(Float80 f) {
        f.flags = (f.flags & ~Float80.C1) | IE | SF;
        f.se = Float80.INDEFINITE_SE;
        f.m = Float80.INDEFINITE_M;
    }

    /** Stack overflow: IE and SF with C1 = 1. */
    static void stackOverflow(Float80 f) {
        f.flags |= IE | SF | Float80.C1;
        f.se = Float80.INDEFINITE_SE;
        f.m = Float80.INDEFINITE_M;
    }

    /** Pushes the unit's result, or handles stack overflow when ST(7) is full. */
    static void pushResult(X87 x) {
        Float80 f = x.f;
        if (!x.isEmpty(7)) {
            stackOverflow(f);
        }
        if (!blocked(finish(x))) {
            x.push(f.se, f.m);
        }
    }

    /** ST(i) from ModRM.rm (REX.B does not apply to x87 registers). */
    static int sti(Insn insn) {
        return insn.modrm & 7;
    }

    // ------------------------------------------------------------ memory operands

    static final int MEM_F32 = 0;
    static final int MEM_F64 = 1;
    static final int MEM_I16 = 2;
    static final int MEM_I32 = 3;
    static final int MEM_I64 = 4;
    static final int MEM_F80 = 5;
    static final int MEM_BCD = 6;

    /** Reads a memory operand and converts it into the unit's result (se/m), with its flags. */
    private static void loadOperand(Cpu cpu, Float80 f, long addr, int kind, boolean operand) {
        switch (kind) {
            case MEM_F32 -> f.fromBinary(cpu.mmu.read32(addr) & 0xffffffffL, 23, 8, operand);
            case MEM_F64 -> f.fromBinary(cpu.mmu.read64(addr), 52, 11, operand);
            case MEM_I16 -> f.fromInteger((short) cpu.mmu.read16(addr));
            case MEM_I32 -> f.fromInteger(cpu.mmu.read32(addr));
            case MEM_I64 -> f.fromInteger(cpu.mmu.read64(addr));
            case MEM_F80 -> {
                long m = cpu.mmu.read64(addr);
                int se = cpu.mmu.read16(addr + 8);
                f.se = se;
                f.m = m;
            }
            default -> {
                long lo = cpu.mmu.read64(addr);
                int hi = cpu.mmu.read16(addr + 8);
                f.fromBcd(lo, hi);
            }
        }
    }

    /** Computes {@code a op b} into the unit (op is a D8 /digit other than the compares). */
    static void compute(Float80 f, int op, int aSe, long aM, int bSe, long bM) {
        switch (op) {
            case OP_ADD -> f.add(aSe, aM, bSe, bM, false);
            case OP_MUL -> f.mul(aSe, aM, bSe, bM);
            case OP_SUB -> f.add(aSe, aM, bSe, bM, true);
            case OP_SUBR -> f.add(bSe, bM, aSe, aM, true);
            case OP_DIV -> f.div(aSe, aM, bSe, bM);
            default -> f.div(bSe, bM, aSe, aM);
        }
    }

    // ------------------------------------------------------------ arithmetic

    /** FADD/FMUL/FCOM/FCOMP/FSUB/FSUBR/FDIV/FDIVR and FI* with a memory operand (SDM Vol. 2A). */
    static void arithMem(Cpu cpu, Insn insn, int op, int kind) {
        long addr = cpu.ea(insn);
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        x.fdp = addr;
        loadOperand(cpu, f, addr, kind, true);
        int bSe = f.se;
        long bM = f.m;
        if (op == OP_COM || op == OP_COMP) {
            compareInto(x, bSe, bM, false, op == OP_COMP ? 1 : 0);
            return;
        }
        if (x.isEmpty(0)) {
            stackUnderflow(f);
        } else {
            compute(f, op, x.se(0), x.m(0), bSe, bM);
        }
        if (!blocked(finish(x))) {
            x.set(0, f.se, f.m);
        }
    }

    /**
     * Register forms: ST(0) = ST(0) op ST(i) ({@code toSti} false), or ST(i) = ST(i) op ST(0),
     * popping afterwards for the P forms.
     */
    static void arithReg(Cpu cpu, Insn insn, int op, boolean toSti, boolean pop) {
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        int i = sti(insn);
        if (op == OP_COM || op == OP_COMP) {
            fcomRegBody(x, i, false, (op == OP_COMP || pop) ? 1 : 0);
            return;
        }
        int dest = toSti ? i : 0;
        int src = toSti ? 0 : i;
        if (x.isEmpty(dest) || x.isEmpty(src)) {
            stackUnderflow(f);
        } else {
            compute(f, op, x.se(dest), x.m(dest), x.se(src), x.m(src));
        }
        if (!blocked(finish(x))) {
            x.set(dest, f.se, f.m);
            if (pop) {
                x.pop();
            }
        }
    }

    // ------------------------------------------------------------ compares

    /** Sets C3 C2 C0 from a {@link Float80} compare result (C1 cleared), SDM Vol. 2A FCOM. */
    static void setCompareCodes(X87 x, int rel) {
        int cc = switch (rel) {
            case Float80.CMP_GT -> 0;
            case Float80.CMP_LT -> X87.FSW_C0;
            case Float80.CMP_EQ -> X87.FSW_C3;
            default -> X87.FSW_C3 | X87.FSW_C2 | X87.FSW_C0;
        };
        x.status = (x.status & ~(X87.FSW_C0 | X87.FSW_C1 | X87.FSW_C2 | X87.FSW_C3)) | cc;
    }

    /** Compares ST(0) with (bSe, bM), sets the condition codes and pops {@code pops} times. */
    private static void compareInto(X87 x, int bSe, long bM, boolean quiet, int pops) {
        Float80 f = x.f;
        int rel;
        if (x.isEmpty(0)) {
            stackUnderflow(f);
            rel = Float80.CMP_UNORDERED;
        } else {
            rel = f.compare(x.se(0), x.m(0), bSe, bM, quiet);
        }
        f.flags &= ~Float80.C1;
        if (!blocked(finish(x))) {
            setCompareCodes(x, rel);
            for (int k = 0; k < pops; k++) {
                x.pop();
            }
        }
    }

    private static void fcomRegBody(X87 x, int i, boolean quiet, int pops) {
        if (x.isEmpty(i)) {
            Float80 f = x.f;
            stackUnderflow(f);
            f.flags &= ~Float80.C1;
            if (!blocked(finish(x))) {
                setCompareCodes(x, Float80.CMP_UNORDERED);
                for (int k = 0; k < pops; k++) {
                    x.pop();
                }
            }
            return;
        }
        compareInto(x, x.se(i), x.m(i), quiet, pops);
    }

    /** FCOM/FCOMP/FUCOM/FUCOMP ST(i) (SDM Vol. 2A). */
    static void fcomReg(Cpu cpu, Insn insn, boolean quiet, int pops) {
        X87 x = enter(cpu, insn);
        fcomRegBody(x, sti(insn), quiet, pops);
    }

    /** FCOMPP (DE D9; SDM Vol. 2A). */
    static void fcompp(Cpu cpu, Insn insn) {
        if (sti(insn) != 1) {
            throw CpuTrap.INVALID_OPCODE;
        }
        X87 x = enter(cpu, insn);
        fcomRegBody(x, 1, false, 2);
    }

    /** FUCOMPP (DA E9; SDM Vol. 2A). */
    static void fucompp(Cpu cpu, Insn insn) {
        if (sti(insn) != 1) {
            throw CpuTrap.INVALID_OPCODE;
        }
        X87 x = enter(cpu, insn);
        fcomRegBody(x, 1, true, 2);
    }

    /** FCOMI/FCOMIP/FUCOMI/FUCOMIP: ZF PF CF from the compare, OF SF AF cleared (SDM Vol. 2A). */
    static void fcomi(Cpu cpu, Insn insn, boolean quiet, boolean pop) {
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        int i = sti(insn);
        int rel;
        if (x.isEmpty(0) || x.isEmpty(i)) {
            stackUnderflow(f);
            rel = Float80.CMP_UNORDERED;
        } else {
            rel = f.compare(x.se(0), x.m(0), x.se(i), x.m(i), quiet);
        }
        f.flags &= ~Float80.C1;
        if (blocked(finish(x))) {
            return;
        }
        long flags = switch (rel) {
            case Float80.CMP_GT -> 0;
            case Float80.CMP_LT -> Cpu.CF;
            case Float80.CMP_EQ -> Cpu.ZF;
            default -> Cpu.ZF | Cpu.PF | Cpu.CF;
        };
        cpu.setStatusFlags(flags);
        if (pop) {
            x.pop();
        }
    }

    // ------------------------------------------------------------ D9 E0-E7, FXCH, FNOP

    /** FCHS (E0), FABS (E1), FTST (E4), FXAM (E5); E2, E3, E6, E7 are #UD. */
    static void groupD9E0(Cpu cpu, Insn insn) {
        int rm = sti(insn);
        if (rm == 2 || rm == 3 || rm >= 6) {
            throw CpuTrap.INVALID_OPCODE;
        }
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        switch (rm) {
            case 0, 1 -> {
                if (x.isEmpty(0)) {
                    stackUnderflow(f);
                } else {
                    f.se = rm == 0 ? x.se(0) ^ 0x8000 : x.se(0) & 0x7fff;
                    f.m = x.m(0);
                }
                if (!blocked(finish(x))) {
                    x.set(0, f.se, f.m);
                }
            }
            case 4 -> {
                if (x.isEmpty(0)) {
                    fcomRegBody(x, 0, false, 0);
                } else {
                    compareInto(x, 0, 0, false, 0);
                }
            }
            default -> fxam(x);
        }
    }

    /** FXAM (SDM Vol. 2A): classifies ST(0) into C3 C2 C0, sign into C1. */
    static void fxam(X87 x) {
        int p = x.phys(0);
        int se = x.signExp[p];
        long m = x.mantissa[p];
        int cc;
        if (x.isEmpty(0)) {
            cc = X87.FSW_C3 | X87.FSW_C0;
        } else if (Float80.isUnsupported(se, m)) {
            cc = 0;
        } else if (Float80.isNaN(se, m)) {
            cc = X87.FSW_C0;
        } else if (Float80.isInf(se, m)) {
            cc = X87.FSW_C2 | X87.FSW_C0;
        } else if (m == 0) {
            cc = X87.FSW_C3;
        } else if ((se & 0x7fff) == 0) {
            cc = X87.FSW_C3 | X87.FSW_C2;
        } else {
            cc = X87.FSW_C2;
        }
        if ((se & 0x8000) != 0) {
            cc |= X87.FSW_C1;
        }
        x.status = (x.status & ~(X87.FSW_C0 | X87.FSW_C1 | X87.FSW_C2 | X87.FSW_C3)) | cc;
    }

    /** FXCH ST(i) (SDM Vol. 2A); empty registers are replaced by the indefinite when IE is masked. */
    static void fxch(Cpu cpu, Insn insn) {
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        int i = sti(insn);
        boolean e0 = x.isEmpty(0);
        boolean ei = x.isEmpty(i);
        if (e0 || ei) {
            stackUnderflow(f);
            if (blocked(finish(x))) {
                return;
            }
            if (e0) {
                x.set(0, Float80.INDEFINITE_SE, Float80.INDEFINITE_M);
            }
            if (ei) {
                x.set(i, Float80.INDEFINITE_SE, Float80.INDEFINITE_M);
            }
        } else {
            finish(x);
        }
        int se0 = x.se(0);
        long m0 = x.m(0);
        x.set(0, x.se(i), x.m(i));
        x.set(i, se0, m0);
    }

    /** FNOP (D9 D0; D9 D1-D7 are #UD). */
    static void fnop(Cpu cpu, Insn insn) {
        if (sti(insn) != 0) {
            throw CpuTrap.INVALID_OPCODE;
        }
        enter(cpu, insn);
    }

    /** FWAIT (9B): raises #MF when an unmasked exception is pending. */
    static void fwait(Cpu cpu, Insn insn) {
        if ((cpu.x87.status & X87.FSW_ES) != 0) {
            throw CpuTrap.X87_FP_ERROR;
        }
    }

    // ------------------------------------------------------------ loads

    /** FLD m32fp/m64fp/m80fp, FILD m16/m32/m64int, FBLD m80bcd (SDM Vol. 2A). */
    static void fldMem(Cpu cpu, Insn insn, int kind) {
        long addr = cpu.ea(insn);
        X87 x = enter(cpu, insn);
        x.fdp = addr;
        loadOperand(cpu, x.f, addr, kind, false);
        pushResult(x);
    }

    /** FLD ST(i). */
    static void fldReg(Cpu cpu, Insn insn) {
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        int i = sti(insn);
        if (x.isEmpty(i)) {
            stackUnderflow(f);
        } else {
            f.se = x.se(i);
            f.m = x.m(i);
        }
        pushResult(x);
    }

    /** FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ (D9 E8-EE), rounded per RC (SDM Vol. 2A). */
    static void fldConstant(Cpu cpu, Insn insn) {
        int rm = sti(insn);
        if (rm == 7) {
            throw CpuTrap.INVALID_OPCODE;
        }
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        int rc = (x.control >> 10) & 3;
        boolean up = rc == Float80.RC_UP;
        boolean nearest = rc == Float80.RC_NEAREST;
        // Truncated 64-bit significands; the next bit decides round-to-nearest.
        switch (rm) {
            case 0 -> constant(f, 0x3fff, 0x8000000000000000L, false);
            case 1 -> constant(f, 0x4000, 0xD49A784BCD1B8AFEL, up);            // log2(10) ..8AFE|492B
            case 2 -> constant(f, 0x3fff, 0xB8AA3B295C17F0BBL, up || nearest); // log2(e) ..F0BB|BE87
            case 3 -> constant(f, 0x4000, 0xC90FDAA22168C234L, up || nearest); // pi ..C234|C4C6
            case 4 -> constant(f, 0x3ffd, 0x9A209A84FBCFF798L, up || nearest); // log10(2) ..F798|8F89
            case 5 -> constant(f, 0x3ffe, 0xB17217F7D1CF79ABL, up || nearest); // ln(2) ..79AB|C9E3
            default -> constant(f, 0, 0, false);
        }
        pushResult(x);
    }

    private static void constant(Float80 f, int se, long m, boolean roundUp) {
        f.se = se;
        f.m = roundUp ? m + 1 : m;
    }

    // ------------------------------------------------------------ stores

    /** FST/FSTP m32fp, m64fp, FSTP m80fp (SDM Vol. 2A). */
    static void fstMem(Cpu cpu, Insn insn, int kind, boolean pop) {
        long addr = cpu.ea(insn);
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        x.fdp = addr;
        int se;
        long m;
        if (x.isEmpty(0)) {
            stackUnderflow(f);
            se = f.se;
            m = f.m;
        } else {
            se = x.se(0);
            m = x.m(0);
        }
        switch (kind) {
            case MEM_F32 -> {
                long bits = f.toBinary(se, m, 23, 8);
                int unmasked = finish(x);
                if (blocked(unmasked) || (unmasked & (OE | UE)) != 0) {
                    return;
                }
                cpu.mmu.write32(addr, (int) bits);
            }
            case MEM_F64 -> {
                long bits = f.toBinary(se, m, 52, 11);
                int unmasked = finish(x);
                if (blocked(unmasked) || (unmasked & (OE | UE)) != 0) {
                    return;
                }
                cpu.mmu.write64(addr, bits);
            }
            default -> {
                cpu.mmu.probeWrite(addr, 10);
                if (blocked(finish(x))) {
                    return;
                }
                cpu.mmu.write64(addr, m);
                cpu.mmu.write16(addr + 8, se);
            }
        }
        if (pop) {
            x.pop();
        }
    }

    /** FST/FSTP ST(i). */
    static void fstReg(Cpu cpu, Insn insn, boolean pop) {
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        if (x.isEmpty(0)) {
            stackUnderflow(f);
        } else {
            f.se = x.se(0);
            f.m = x.m(0);
        }
        if (blocked(finish(x))) {
            return;
        }
        x.set(sti(insn), f.se, f.m);
        if (pop) {
            x.pop();
        }
    }

    /** FIST/FISTP m16/m32/m64int and FISTTP (truncating) (SDM Vol. 2A). */
    static void fistMem(Cpu cpu, Insn insn, int bytes, boolean pop, boolean truncate) {
        long addr = cpu.ea(insn);
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        x.fdp = addr;
        long v;
        if (x.isEmpty(0)) {
            stackUnderflow(f);
            v = Float80.integerIndefinite(bytes);
        } else {
            v = f.toInteger(x.se(0), x.m(0), bytes, truncate);
        }
        if (blocked(finish(x))) {
            return;
        }
        cpu.mmu.write(addr, v, bytes);
        if (pop) {
            x.pop();
        }
    }

    /** FBSTP m80bcd (SDM Vol. 2A). */
    static void fbstp(Cpu cpu, Insn insn) {
        long addr = cpu.ea(insn);
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        x.fdp = addr;
        if (x.isEmpty(0)) {
            stackUnderflow(f);
            f.bcdLo = 0xC000000000000000L;
            f.bcdHi = 0xffff;
        } else {
            f.toBcd(x.se(0), x.m(0));
        }
        cpu.mmu.probeWrite(addr, 10);
        if (blocked(finish(x))) {
            return;
        }
        cpu.mmu.write64(addr, f.bcdLo);
        cpu.mmu.write16(addr + 8, f.bcdHi);
        x.pop();
    }

    // ------------------------------------------------------------ FCMOVcc, FFREE

    /** FCMOVcc ST(0), ST(i) with {@code cc} a Jcc condition number (SDM Vol. 2A). */
    static void fcmov(Cpu cpu, Insn insn, int cc) {
        X87 x = enter(cpu, insn);
        Float80 f = x.f;
        int i = sti(insn);
        if (x.isEmpty(0) || x.isEmpty(i)) {
            stackUnderflow(f);
            if (!blocked(finish(x)) && cpu.cond(cc)) {
                x.set(0, f.se, f.m);
            }
            return;
        }
        finish(x);
        if (cpu.cond(cc)) {
            x.set(0, x.se(i), x.m(i));
        }
    }

    /** FFREE ST(i): tags the register empty; TOP unchanged. */
    static void ffree(Cpu cpu, Insn insn) {
        X87 x = enter(cpu, insn);
        x.free(x.phys(sti(insn)));
    }

    /** FFREEP ST(i) (DF C0+i): FFREE then pop. */
    static void ffreep(Cpu cpu, Insn insn) {
        X87 x = enter(cpu, insn);
        x.free(x.phys(sti(insn)));
        x.pop();
    }
    // ------------------------------------------------------------ D9 F0-FF

    /** D9 F0-F7: F2XM1 FYL2X FPTAN FPATAN FXTRACT FPREM1 FDECSTP FINCSTP. */
    static void groupD9F0(Cpu cpu, Insn insn) {
        X87 x = enter(cpu, insn);
        // Precision control applies only to add, subtract, multiply, divide and square root
        // (SDM Vol. 1, 8.1.5.2): everything here rounds to 64 bits.
        x.f.begin(x.control | 0x300);
        switch (sti(insn)) {
            case 0 -> X87Transcendental.f2xm1(x);
            case 1 -> X87Transcendental.fyl2x(x, false);
            case 2 -> X87Transcendental.fptan(x);
            case 3 -> X87Transcendental.fpatan(x);
            case 4 -> fxtract(x);
            case 5 -> fprem(x, true);
            case 6 -> {
                x.top = (x.top - 1) & 7;
                x.status &= ~X87.FSW_C1;
            }
            default -> {
                x.top = (x.top + 1) & 7;
                x.status &= ~X87.FSW_C1;
            }
        }
    }

    /** D9 F8-FF: FPREM FYL2XP1 FSQRT FSINCOS FRNDINT FSCALE FSIN FCOS. */
    static void groupD9F8(Cpu cpu, Insn insn) {
        X87 x = enter(cpu, insn);
        int rm = sti(insn);
        if (rm != 2) {
            x.f.begin(x.control | 0x300);
        }
        switch (rm) {
            case 0 -> fprem(x, false);
            case 1 -> X87Transcendental.fyl2x(x, true);
            case 2 -> unary(x, rm);
            case 3 -> X87Transcendental.fsincos(x);
            case 4 -> unary(x, rm);
            case 5 -> fscale(x);
            case 6 -> X87Transcendental.fsin(x, false);
            default -> X87Transcendental.fsin(x, true);
        }
    }

    /** FSQRT (rm 2) and FRNDINT (rm 4): ST(0) = op(ST(0)). */
    private static void unary(X87 x, int rm) {
        Float80 f = x.f;
        if (x.isEmpty(0)) {
            stackUnderflow(f);
        } else if (rm == 2) {
            f.sqrt(x.se(0), x.m(0));
        } else {
            f.roundToIntegral(x.se(0), x.m(0));
        }
        if (!blocked(finish(x))) {
            x.set(0, f.se, f.m);
        }
    }

    /** FPREM / FPREM1 (SDM Vol. 2A): C2 partial, C0 C3 C1 = Q2 Q1 Q0. */
    private static void fprem(X87 x, boolean ieee) {
        Float80 f = x.f;
        if (x.isEmpty(0) || x.isEmpty(1)) {
            stackUnderflow(f);
            f.quotient = 0;
            f.partial = false;
        } else {
            f.remainder(x.se(0), x.m(0), x.se(1), x.m(1), ieee);
        }
        f.flags &= ~Float80.C1;
        if (blocked(finish(x))) {
            return;
        }
        x.set(0, f.se, f.m);
        int q = f.quotient;
        int cc = (f.partial ? X87.FSW_C2 : 0) | ((q & 4) != 0 ? X87.FSW_C0 : 0)
                | ((q & 2) != 0 ? X87.FSW_C3 : 0) | ((q & 1) != 0 ? X87.FSW_C1 : 0);
        x.status = (x.status & ~(X87.FSW_C0 | X87.FSW_C1 | X87.FSW_C2 | X87.FSW_C3)) | cc;
    }

    /** FSCALE (SDM Vol. 2A): ST(0) = ST(0) * 2^trunc(ST(1)). */
    private static void fscale(X87 x) {
        Float80 f = x.f;
        if (x.isEmpty(0) || x.isEmpty(1)) {
            stackUnderflow(f);
        } else {
            f.scale(x.se(0), x.m(0), x.se(1), x.m(1));
        }
        if (!blocked(finish(x))) {
            x.set(0, f.se, f.m);
        }
    }

    /** FXTRACT (SDM Vol. 2A): ST(0) = exponent, then push the significand. */
    private static void fxtract(X87 x) {
        Float80 f = x.f;
        if (x.isEmpty(0)) {
            stackUnderflow(f);
            f.extractExpSe = f.se;
            f.extractExpM = f.m;
        } else if (!x.isEmpty(7)) {
            stackOverflow(f);
            f.extractExpSe = f.se;
            f.extractExpM = f.m;
        } else {
            f.extract(x.se(0), x.m(0));
        }
        if (blocked(finish(x))) {
            return;
        }
        x.set(0, f.extractExpSe, f.extractExpM);
        x.push(f.se, f.m);
    }
}
