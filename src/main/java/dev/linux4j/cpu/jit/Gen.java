package dev.linux4j.cpu.jit;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import dev.linux4j.cpu.Block;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.Exec;
import dev.linux4j.cpu.Insn;
import dev.linux4j.memory.Mmu;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Code-generation context of one region build: the JVM locals that hold guest state, the
 * static state of the translation at the current point (which guest registers are dirty in
 * locals, and what the lazy flags are), and the primitive emitters the instruction emitters use.
 *
 * <p>Locals: 1 the Cpu, 2 the chain depth, 3 {@code cpu.r}, 4 {@code cpu.mmu}, 5 a caught
 * exception, then one long per guest register, the lazy-flag operands, temporaries, and one long
 * per XMM half. The flags are tracked statically: their
 * <em>kind</em> and size are known at translation time, only their operands live in locals
 * ({@link #FA}, {@link #FB}, {@link #FRES}, {@link #FAUX}); {@link #F_CPU} means the Cpu holds
 * them. At every exit, before every generic instruction and in every fault handler, the state is
 * written back with the same {@code Cpu.flagsXxx} call the interpreter's semantics make.
 */
final class Gen {
    // Flag kinds (the static part of the lazy flags).
    static final int F_CPU = 0;
    static final int F_ADD = 1;
    static final int F_SUB = 2;
    /** flagsLogic: ZF SF PF from the result, CF = OF = AF = 0. */
    static final int F_LOGIC = 3;
    /** flagsResult: ZF SF PF from the result, CF OF AF from FAUX. */
    static final int F_RESULT = 4;
    /** setStatusFlags(FAUX). */
    static final int F_EXPL = 5;
    /** Not reached yet (dataflow only). */
    static final int UNSET = -1;

    static final int CPU = 1;
    /** int: how many chained regions called this one (see CompiledRegion#next). */
    static final int DEPTH = 2;
    static final int REGS = 3;
    static final int MMU = 4;
    static final int EXC = 5;
    static final int FA = 38;
    static final int FB = 40;
    static final int FRES = 42;
    static final int FAUX = 44;
    static final int T1 = 46;
    static final int T2 = 48;
    static final int T3 = 50;
    static final int T4 = 52;
    /** long: ADC's carry or SBB's borrow in (0 or 1). */
    static final int T5 = 131;
    /** int: {@code mmu.codeStores} when the region's blocks were last known valid. */
    static final int CODE_STORES = 54;
    /**
     * int: 1 once a store of this thread may have invalidated a translation since the region
     * was entered ({@code mmu.codeStores} moved past {@link #CODE_STORES}), else 0. Set only
     * after the calls that can store to a page marked as code: a store's slow path (a code page
     * never has a write translation) and an instruction run through its own semantics. The
     * edges test this local instead of loading {@code mmu.codeStores}: where those calls are
     * uncommon traps in C2's code, it is the constant 0 there and the test vanishes.
     */
    static final int STALE = 133;
    /** int: back edges left before the next poll. */
    static final int POLL = 55;
    /** int: a spill block's index of the RIP to set (and of the faulting instruction). */
    static final int STATE = 121;
    /** The Mmu's TLB array ({@link Mmu#tlb()}), loaded at entry. */
    static final int TLB = 122;
    /** long: the guest address of the access being emitted. */
    static final int TADDR = 126;
    /** long: the value of the store being emitted. */
    static final int TVAL = 128;
    /** int: the TLB entry of the access being emitted. */
    static final int TENTRY = 130;
    /** {@code cpu.xmm}. */
    static final int XMMS = 56;
    /** First of the 32 longs holding the XMM halves (XMMn low is half 2n, high 2n + 1). */
    static final int XBASE = 57;

    static final ClassDesc CD_CPU = ClassDesc.of(Cpu.class.getName());
    static final ClassDesc CD_MMU = ClassDesc.of(Mmu.class.getName());
    static final ClassDesc CD_EXEC = ClassDesc.of(Exec.class.getName());
    static final ClassDesc CD_INSN = ClassDesc.of(Insn.class.getName());
    static final ClassDesc CD_BLOCK = ClassDesc.of(Block.class.getName());
    static final ClassDesc CD_REGION = ClassDesc.of(CompiledRegion.class.getName());
    static final ClassDesc CD_SITE = ClassDesc.of(CompiledRegion.Site.class.getName());
    /** {@code run(Cpu cpu, int depth)}. */
    static final MethodTypeDesc MTD_RUN = MethodTypeDesc.of(CD_void, ClassDesc.of(Cpu.class.getName()), CD_int);
    static final ClassDesc CD_LONGS = CD_long.arrayType();
    static final MethodTypeDesc MTD_EXEC = MethodTypeDesc.of(CD_void, CD_CPU, CD_INSN);
    static final MethodTypeDesc MTD_Z = MethodTypeDesc.of(CD_boolean);
    static final MethodTypeDesc MTD_V = MethodTypeDesc.of(CD_void);
    private static final ClassDesc CD_MH = ClassDesc.of(MethodHandles.class.getName());
    private static final ClassDesc CD_LOOKUP = ClassDesc.of(MethodHandles.Lookup.class.getName());
    private static final MethodTypeDesc MTD_LOOKUP = MethodTypeDesc.of(CD_LOOKUP);
    /** {@link MethodHandles#classData}. */
    private static final MethodTypeDesc MTD_CLASS_DATA =
            MethodTypeDesc.of(CD_Object, CD_LOOKUP, ConstantDescs.CD_String, ConstantDescs.CD_Class);
    private static final ClassDesc CD_LIST = ClassDesc.of(List.class.getName());
    private static final MethodTypeDesc MTD_LIST_GET = MethodTypeDesc.of(CD_Object, CD_int);

    final CodeBuilder code;
    /** The class being built (whose static fields hold the class-data constants). */
    private final ClassDesc self;
    /** Registers the region's inline code uses (loaded at entry and after generic instructions). */
    final int usedRegs;
    /** Registers the inline code touched in this build (the next build's {@link #usedRegs}). */
    int touchedRegs;
    /** Guest registers whose local differs from {@code cpu.r}. */
    int dirty;
    /** XMM halves the region's inline code uses (loaded at entry and after generic SSE forms). */
    final int usedXmm;
    /** XMM halves the inline code touched in this build (the next build's {@link #usedXmm}). */
    int touchedXmm;
    /** XMM halves whose local differs from {@code cpu.xmm}. */
    int xdirty;
    int flagKind = F_CPU;
    /**
     * Whether no instruction can observe the status flags the instruction being emitted writes:
     * a later one in its block overwrites all of them first, and nothing in between reads them
     * or may fault (see {@link InsnEmitter#flagEffect}). The instruction then emits no flag
     * update and leaves the flag state as it was (nothing can see it before the overwrite); for a
     * partial writer (ROL/ROR, INC/DEC) that also saves materialising the flags before it.
     */
    boolean flagsDead;
    int flagSize;
    final List<Object> data;
    private final Map<Object, Integer> dataIndex = new IdentityHashMap<>();
    /**
     * The class-data constants the method loads, by index in the class data, with their types, in
     * order of first use (see {@link #constant}).
     */
    private final Map<Integer, ClassDesc> constants = new LinkedHashMap<>();
    final List<Handler> handlers = new ArrayList<>();
    /** RIP values the spill blocks set, by spill index (see {@link #emitHandlers}). */
    private final List<Long> spillRips = new ArrayList<>();
    /** The faulting instruction of each spill index (null for a {@link #spillExit}). */
    private final List<Insn> spillInsns = new ArrayList<>();
    /** The spill blocks, one per state, in order of first use. */
    private final Map<SpillKey, Label> spillBlocks = new java.util.LinkedHashMap<>();

    /** A fault handler: writes back the state before {@code insn} and rethrows. */
    record Handler(Label start, Label end, Label handler, Insn insn, SpillKey key) {}

    Gen(CodeBuilder code, ClassDesc self, int usedRegs, int usedXmm, List<Object> data) {
        this.code = code;
        this.self = self;
        this.usedRegs = usedRegs;
        this.usedXmm = usedXmm;
        this.data = data;
        for (Object o : data) {
            dataIndex.put(o, dataIndex.size());
        }
        spillRips.add(0L);
        spillInsns.add(null);
    }

    static int reg(int n) {
        return 6 + 2 * n;
    }

    /**
     * Loads a class-data constant (the object is added to the class data on first use): a static
     * final field of the region's class, which HotSpot's compilers fold to the object itself, so
     * every call on it is monomorphic. Fields rather than dynamic constants ({@code ldc} of
     * {@code MethodHandles.classDataAt}), because the class file has no stack maps (see
     * RegionCompiler#emitClass) and so a version before dynamic constants (Java 11). The class
     * initialiser sets them all, before the region first runs: a constant that C2 found
     * unresolved on a path rarely taken would make it compile that path as a trap (the sieve's
     * main loop fell back to HotSpot's bytecode interpreter three times in a run when its
     * constants were resolved on first use).
     */
    void constant(ClassDesc type, Object o) {
        Integer idx = dataIndex.get(o);
        if (idx == null) {
            idx = data.size();
            data.add(o);
            dataIndex.put(o, idx);
        }
        constants.putIfAbsent(idx, type);
        code.getstatic(self, constantName(idx), type);
    }

    private static String constantName(int idx) {
        return "c" + idx;
    }

    /** Declares the static final fields {@link #constant} loads (after the method is built). */
    void declareConstants(ClassBuilder cb) {
        constants.forEach((idx, type) -> cb.withField(constantName(idx), type,
                ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_FINAL));
    }

    /** Emits the class initialiser's body: sets every constant field from the class data (a List). */
    void resolveConstants(CodeBuilder clinit) {
        clinit.invokestatic(CD_MH, "lookup", MTD_LOOKUP)
                .ldc("_")
                .ldc(CD_LIST)
                .invokestatic(CD_MH, "classData", MTD_CLASS_DATA)
                .checkcast(CD_LIST)
                .astore(0);
        constants.forEach((idx, type) -> clinit
                .aload(0)
                .loadConstant(idx)
                .invokeinterface(CD_LIST, "get", MTD_LIST_GET)
                .checkcast(type)
                .putstatic(self, constantName(idx), type));
        clinit.return_();
    }

    // ---------------------------------------------------------------- registers

    /** Pushes register {@code n} at {@code size} bytes, zero-extended, as {@link Cpu#reg}. */
    void loadReg(int n, int size) {
        if (size == 1 && n >= 16) {
            use(n - 16);
            code.lload(reg(n - 16)).bipush(8).lushr().loadConstant(0xffL).land();
            return;
        }
        use(n);
        code.lload(reg(n));
        switch (size) {
            case 1 -> code.loadConstant(0xffL).land();
            case 2 -> code.loadConstant(0xffffL).land();
            case 4 -> code.loadConstant(0xffffffffL).land();
            default -> { }
        }
    }

    /** Pops a long into register {@code n} at {@code size} bytes, as {@link Cpu#setReg}. */
    void storeReg(int n, int size) {
        switch (size) {
            case 1 -> {
                if (n < 16) {
                    mergeInto(n, 0xffL, 0);
                } else {
                    mergeInto(n - 16, 0xffL, 8);
                }
            }
            case 2 -> mergeInto(n, 0xffffL, 0);
            case 4 -> {
                use(n);
                code.loadConstant(0xffffffffL).land().lstore(reg(n));
                dirty |= 1 << n;
            }
            default -> {
                use(n);
                code.lstore(reg(n));
                dirty |= 1 << n;
            }
        }
    }

    private void mergeInto(int n, long mask, int shift) {
        use(n);
        code.loadConstant(mask).land();
        if (shift != 0) {
            code.bipush(shift).lshl();
        }
        code.lload(reg(n)).loadConstant(~(mask << shift)).land().lor().lstore(reg(n));
        dirty |= 1 << n;
    }

    void use(int n) {
        touchedRegs |= 1 << n;
    }

    // ---------------------------------------------------------------- XMM halves

    /** The local of XMM half {@code h} (XMMn low is 2n, high 2n + 1). */
    static int xmm(int h) {
        return XBASE + 2 * h;
    }

    /** Records that XMM half {@code h} is read (its local must hold it). */
    void touchX(int h) {
        touchedXmm |= 1 << h;
    }

    /** Pushes XMM half {@code h}. */
    void loadX(int h) {
        touchedXmm |= 1 << h;
        code.lload(xmm(h));
    }

    /** Pops a long into XMM half {@code h}. */
    void storeX(int h) {
        touchedXmm |= 1 << h;
        xdirty |= 1 << h;
        code.lstore(xmm(h));
    }

    void writeBackXmm(int mask) {
        for (int h = 0; h < 32; h++) {
            if ((mask & (1 << h)) != 0) {
                code.aload(XMMS).bipush(h).lload(xmm(h)).lastore();
            }
        }
    }

    void reloadXmm(int mask) {
        for (int h = 0; h < 32; h++) {
            if ((mask & (1 << h)) != 0) {
                code.aload(XMMS).bipush(h).laload().lstore(xmm(h));
            }
        }
    }

    /** Pushes the effective address of the memory operand, as {@link Cpu#ea}. */
    void ea(Insn i) {
        offset(i);
        if (i.seg == Insn.SEG_FS) {
            code.aload(CPU).getfield(CD_CPU, "fsBase", CD_long).ladd();
        } else if (i.seg == Insn.SEG_GS) {
            code.aload(CPU).getfield(CD_CPU, "gsBase", CD_long).ladd();
        }
    }

    /** The offset part of the address (LEA's result before operand-size truncation). */
    void offset(Insn i) {
        boolean any = false;
        if (i.base >= 0) {
            use(i.base);
            code.lload(reg(i.base));
            any = true;
        }
        if (i.index >= 0) {
            use(i.index);
            code.lload(reg(i.index));
            if (i.scale != 0) {
                code.bipush(i.scale).lshl();
            }
            if (any) {
                code.ladd();
            }
            any = true;
        }
        if (!any) {
            code.loadConstant(i.disp);
        } else if (i.disp != 0) {
            code.loadConstant(i.disp).ladd();
        }
        if ((i.prefixes & Insn.P_ADDRSIZE) != 0) {
            code.loadConstant(0xffffffffL).land();
        }
    }

    // ---------------------------------------------------------------- memory

    /** Stack: long address → long value (zero-extended); {@code mmu} must be below the address. */
    void readAt(int size) {
        Label slow = code.newLabel();
        Label done = code.newLabel();
        code.lstore(TADDR).pop();
        tlbHit(size, Mmu.READ_TAG, slow);
        code.loadConstant(size).invokestatic(CD_MMU, "load", MethodTypeDesc.of(CD_long, CD_long, CD_int));
        code.goto_(done);
        code.labelBinding(slow);
        code.aload(MMU).lload(TADDR);
        switch (size) {
            case 1 -> code.invokevirtual(CD_MMU, "read8", MethodTypeDesc.of(CD_int, CD_long)).i2l();
            case 2 -> code.invokevirtual(CD_MMU, "read16", MethodTypeDesc.of(CD_int, CD_long)).i2l();
            case 4 -> code.invokevirtual(CD_MMU, "read32", MethodTypeDesc.of(CD_int, CD_long)).i2l()
                    .loadConstant(0xffffffffL).land();
            default -> code.invokevirtual(CD_MMU, "read64", MethodTypeDesc.of(CD_long, CD_long));
        }
        code.labelBinding(done);
    }

    /**
     * The TLB's hit path, inline (qemu's softmmu does the same): with the address in TADDR,
     * pushes the host address, or jumps to {@code slow} when the access misses the TLB or
     * crosses a page (one compare tests both: see {@link Mmu#tlb()}). Each access site then has
     * its own branch profile, so C2 sees how rare a miss is at that site (the Mmu's methods share
     * one profile with the interpreter and every region).
     */
    private void tlbHit(int size, int tag, Label slow) {
        MethodTypeDesc tlbAt = MethodTypeDesc.of(CD_long, CD_long.arrayType(), CD_int);
        code.lload(TADDR).invokestatic(CD_MMU, "entryOffset", MethodTypeDesc.of(CD_int, CD_long)).istore(TENTRY);
        code.aload(TLB).iload(TENTRY).loadConstant(tag).iadd().invokestatic(CD_MMU, "tlbAt", tlbAt);
        code.lload(TADDR);
        if (size > 1) {
            code.loadConstant((long) size - 1).ladd();
        }
        code.bipush(12).lushr().lcmp().ifne(slow);
        int addend = tag == Mmu.READ_TAG ? Mmu.READ_ADDEND : Mmu.WRITE_ADDEND;
        code.aload(TLB).iload(TENTRY).loadConstant(addend).iadd().invokestatic(CD_MMU, "tlbAt", tlbAt)
                .lload(TADDR).ladd();
    }

    /** Pushes the memory operand's value at {@code size}. */
    void readMem(Insn i, int size) {
        code.aload(MMU);
        ea(i);
        readAt(size);
    }

    /** Stack: mmu, long address, long value → (stored). */
    void writeAt(int size) {
        Label slow = code.newLabel();
        Label done = code.newLabel();
        code.lstore(TVAL).lstore(TADDR).pop();
        tlbHit(size, Mmu.WRITE_TAG, slow);
        code.lload(TVAL).loadConstant(size).invokestatic(CD_MMU, "store",
                MethodTypeDesc.of(CD_void, CD_long, CD_long, CD_int));
        code.goto_(done);
        code.labelBinding(slow);
        code.aload(MMU).lload(TADDR).lload(TVAL);
        switch (size) {
            case 1 -> code.l2i().invokevirtual(CD_MMU, "write8", MethodTypeDesc.of(CD_void, CD_long, CD_int));
            case 2 -> code.l2i().invokevirtual(CD_MMU, "write16", MethodTypeDesc.of(CD_void, CD_long, CD_int));
            case 4 -> code.l2i().invokevirtual(CD_MMU, "write32", MethodTypeDesc.of(CD_void, CD_long, CD_int));
            default -> code.invokevirtual(CD_MMU, "write64", MethodTypeDesc.of(CD_void, CD_long, CD_long));
        }
        noteCodeStores();
        code.labelBinding(done);
    }

    /** Sets {@link #STALE} if {@code mmu.codeStores} moved (after a call that may have stored). */
    void noteCodeStores() {
        Label same = code.newLabel();
        code.aload(MMU).getfield(CD_MMU, "codeStores", CD_int).iload(CODE_STORES).if_icmpeq(same);
        code.iconst_1().istore(STALE);
        code.labelBinding(same);
    }

    /** Pushes the r/m operand at {@code size} (register rm/rmB, or memory), as {@link Cpu#readE}. */
    void readE(Insn i, int size) {
        if (i.rm >= 0) {
            loadReg(size == 1 ? i.rmB : i.rm, size);
        } else {
            readMem(i, size);
        }
    }

    // ---------------------------------------------------------------- faults and spill exits

    /** Opens the range of an instruction that may fault; {@link #endFault} closes it. */
    Label beginFault() {
        Label start = code.newLabel();
        code.labelBinding(start);
        return start;
    }

    /**
     * Closes it: a fault writes back the registers dirty now and the lazy flags of
     * {@code kindBefore}/{@code sizeBefore}. Dirty now is a superset of dirty before the
     * instruction: an inline form writes its registers only after its last access that can
     * fault, so their locals still hold the values from before it, and writing those back is
     * exact.
     */
    void endFault(Label start, Insn insn, int kindBefore, int sizeBefore) {
        Label end = code.newLabel();
        code.labelBinding(end);
        handlers.add(new Handler(start, end, code.newLabel(), insn, spillKey(kindBefore, sizeBefore)));
    }

    /** Leaves the region for {@code rip} through a shared spill block: compact, for rare exits. */
    void spillExit(long rip) {
        code.aconst_null();
        code.loadConstant(spillIndex(rip, null));
        code.goto_(spillBlock(spillKey(flagKind, flagSize)));
    }

    /** A spill block's state: dirty registers, dirty XMM halves, flag kind and size. */
    private record SpillKey(int dirty, int xdirty, int flagKind, int flagSize) {
        // Written out: a record's own equals and hashCode go through method handles, which the
        // translator thread runs in HotSpot's bytecode interpreter for its first regions (JFR on
        // python3's loop: 6 of the translator's 149 samples were here).
        @Override
        public boolean equals(Object o) {
            return o instanceof SpillKey k && k.dirty == dirty && k.xdirty == xdirty && k.flagKind == flagKind
                    && k.flagSize == flagSize;
        }

        @Override
        public int hashCode() {
            return ((dirty * 31 + xdirty) * 31 + flagKind) * 31 + flagSize;
        }
    }

    private SpillKey spillKey(int kind, int size) {
        return new SpillKey(dirty, xdirty, kind, size);
    }

    private Label spillBlock(SpillKey key) {
        return spillBlocks.computeIfAbsent(key, k -> code.newLabel());
    }

    private int spillIndex(long rip, Insn faulting) {
        int index = spillRips.size();
        spillRips.add(rip);
        spillInsns.add(faulting);
        return index;
    }

    /**
     * Emits the fault handlers and the spill blocks. A handler is a stub that pushes its spill
     * index and jumps to the spill block of its state, shared by every site with that state,
     * which writes back the dirty registers and XMM halves and the lazy flags, sets RIP to the
     * faulting instruction's successor (as the interpreter leaves it) and rethrows — or, for a
     * {@link #spillExit}, sets RIP to the exit's target and returns.
     */
    void emitHandlers() {
        for (Handler h : handlers) {
            code.exceptionCatchAll(h.start(), h.end(), h.handler());
        }
        for (Handler h : handlers) {
            code.labelBinding(h.handler());
            code.loadConstant(spillIndex(h.insn().next, h.insn()));
            code.goto_(spillBlock(h.key()));
        }
        long[] rips = new long[spillRips.size()];
        for (int k = 0; k < rips.length; k++) {
            rips[k] = spillRips.get(k);
        }
        Insn[] insns = spillInsns.toArray(new Insn[0]);
        for (Map.Entry<SpillKey, Label> e : spillBlocks.entrySet()) {
            SpillKey key = e.getKey();
            code.labelBinding(e.getValue());
            code.istore(STATE);
            code.astore(EXC);
            writeBackRegs(key.dirty());
            writeBackXmm(key.xdirty());
            writeBackFlags(key.flagKind(), key.flagSize());
            code.aload(CPU);
            constant(CD_LONGS, rips);
            code.iload(STATE).laload().putfield(CD_CPU, "rip", CD_long);
            Label exit = code.newLabel();
            code.aload(EXC).ifnull(exit);
            constant(CD_INSN.arrayType(), insns);
            code.iload(STATE).aaload();
            code.invokestatic(CD_REGION, "faulted", MethodTypeDesc.of(CD_void, CD_INSN));
            code.aload(EXC).athrow();
            code.labelBinding(exit);
            code.return_();
        }
    }

    // ---------------------------------------------------------------- chaining

    /**
     * Ends the region with the state written back and RIP set to the long on the stack: calls
     * the compiled region of that address if {@link CompiledRegion#next} finds one, else returns
     * to the dispatcher.
     */
    void chainAndReturn() {
        code.lstore(T1);
        code.aload(CPU).iload(DEPTH);
        constant(CD_SITE, new CompiledRegion.Site());
        code.lload(T1);
        code.invokestatic(CD_REGION, "next", MethodTypeDesc.of(CD_REGION, CD_CPU, CD_int, CD_SITE, CD_long));
        Label none = code.newLabel();
        code.dup().ifnull(none);
        code.aload(CPU).iload(DEPTH).iconst_1().iadd();
        code.invokevirtual(CD_REGION, "run", MTD_RUN);
        code.return_();
        code.labelBinding(none);
        code.pop().return_();
    }


    // ---------------------------------------------------------------- write-back

    void writeBackRegs(int mask) {
        for (int n = 0; n < 16; n++) {
            if ((mask & (1 << n)) != 0) {
                code.aload(REGS).bipush(n).lload(reg(n)).lastore();
            }
        }
    }

    void reloadRegs(int mask) {
        for (int n = 0; n < 16; n++) {
            if ((mask & (1 << n)) != 0) {
                code.aload(REGS).bipush(n).laload().lstore(reg(n));
            }
        }
    }

    /** Stores the lazy flags of static kind {@code kind} into the Cpu (no state change). */
    void writeBackFlags(int kind, int size) {
        switch (kind) {
            case F_ADD -> {
                code.aload(CPU).lload(FA).lload(FB).lload(FRES).bipush(size);
                code.invokevirtual(CD_CPU, "flagsAdd", MethodTypeDesc.of(CD_void, CD_long, CD_long, CD_long, CD_int));
            }
            case F_SUB -> {
                code.aload(CPU).lload(FA).lload(FB).lload(FRES).bipush(size);
                code.invokevirtual(CD_CPU, "flagsSub", MethodTypeDesc.of(CD_void, CD_long, CD_long, CD_long, CD_int));
            }
            case F_LOGIC -> {
                code.aload(CPU).lload(FRES).bipush(size);
                code.invokevirtual(CD_CPU, "flagsLogic", MethodTypeDesc.of(CD_void, CD_long, CD_int));
            }
            case F_RESULT -> {
                code.aload(CPU).lload(FRES).bipush(size).lload(FAUX);
                code.invokevirtual(CD_CPU, "flagsResult", MethodTypeDesc.of(CD_void, CD_long, CD_int, CD_long));
            }
            case F_EXPL -> {
                code.aload(CPU).lload(FAUX);
                code.invokevirtual(CD_CPU, "setStatusFlags", MethodTypeDesc.of(CD_void, CD_long));
            }
            default -> { }
        }
    }

    /** Makes the Cpu hold the flags (state becomes F_CPU). */
    void syncFlags() {
        writeBackFlags(flagKind, flagSize);
        flagKind = F_CPU;
        flagSize = 0;
    }

    /** Makes the Cpu hold everything (registers, XMM and flags); locals stay valid. */
    void syncAll() {
        syncXmm();
        syncGprs();
    }

    /** Makes the Cpu hold the general registers and flags; locals stay valid. */
    void syncGprs() {
        writeBackRegs(dirty);
        dirty = 0;
        syncFlags();
    }

    /** Makes the Cpu hold the XMM registers; locals stay valid. */
    void syncXmm() {
        writeBackXmm(xdirty);
        xdirty = 0;
    }

    /** Records new lazy flags: the operands must already be in FA/FB/FRES/FAUX as the kind needs. */
    void setFlags(int kind, int size) {
        flagKind = kind;
        flagSize = size;
    }

    // ---------------------------------------------------------------- conditions

    static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    private void masked(int slot, int size) {
        code.lload(slot);
        if (size != 8) {
            code.loadConstant(mask(size)).land();
        }
    }

    /** After an int comparison result on the stack, turns {@code op} (an if-opcode) into 0/1. */
    private void bool(Opcode op) {
        Label yes = code.newLabel();
        Label done = code.newLabel();
        code.branch(op, yes).iconst_0().goto_(done);
        code.labelBinding(yes);
        code.iconst_1();
        code.labelBinding(done);
    }

    private void bit(int slot, int shift) {
        code.lload(slot);
        if (shift != 0) {
            code.bipush(shift).lushr();
        }
        code.lconst_1().land().l2i();
    }

    /** Pushes CF (0/1) of the current local flags. */
    void cf() {
        switch (flagKind) {
            case F_ADD -> {
                masked(FRES, flagSize);
                masked(FA, flagSize);
                code.invokestatic(ClassDesc.of("java.lang.Long"), "compareUnsigned",
                        MethodTypeDesc.of(CD_int, CD_long, CD_long));
                bool(Opcode.IFLT);
            }
            case F_SUB -> {
                masked(FA, flagSize);
                masked(FB, flagSize);
                code.invokestatic(ClassDesc.of("java.lang.Long"), "compareUnsigned",
                        MethodTypeDesc.of(CD_int, CD_long, CD_long));
                bool(Opcode.IFLT);
            }
            case F_LOGIC -> code.iconst_0();
            case F_RESULT, F_EXPL -> bit(FAUX, 0);
            default -> code.aload(CPU).invokevirtual(CD_CPU, "cf", MTD_Z);
        }
    }

    private void zf() {
        if (flagKind == F_EXPL) {
            bit(FAUX, 6);
            return;
        }
        masked(FRES, flagSize);
        code.lconst_0().lcmp();
        bool(Opcode.IFEQ);
    }

    private void sf() {
        if (flagKind == F_EXPL) {
            bit(FAUX, 7);
            return;
        }
        bit(FRES, flagSize * 8 - 1);
    }

    private void pf() {
        if (flagKind == F_EXPL) {
            bit(FAUX, 2);
            return;
        }
        parity(FRES);
    }

    /** Pushes PF (0/1) of the long in {@code slot}: whether its low byte has an even number of 1 bits. */
    void parity(int slot) {
        code.lload(slot).l2i().sipush(0xff).iand();
        code.invokestatic(ClassDesc.of("java.lang.Integer"), "bitCount", MethodTypeDesc.of(CD_int, CD_int));
        code.iconst_1().iand().iconst_1().ixor();
    }

    private void of() {
        int top = flagSize * 8 - 1;
        switch (flagKind) {
            case F_ADD -> {
                code.lload(FA).lload(FRES).lxor().lload(FB).lload(FRES).lxor().land();
                code.bipush(top).lushr().lconst_1().land().l2i();
            }
            case F_SUB -> {
                code.lload(FA).lload(FB).lxor().lload(FA).lload(FRES).lxor().land();
                code.bipush(top).lushr().lconst_1().land().l2i();
            }
            case F_LOGIC -> code.iconst_0();
            default -> bit(FAUX, 11); // F_RESULT, F_EXPL
        }
    }

    /** Pushes condition {@code cc} (0/1) as {@link Cpu#cond} computes it. */
    void cond(int cc) {
        if (flagKind == F_CPU) {
            code.aload(CPU).bipush(cc).invokevirtual(CD_CPU, "cond", MethodTypeDesc.of(CD_boolean, CD_int));
            return;
        }
        if (flagKind == F_SUB && subCond(cc)) {
            return;
        }
        switch (cc >> 1) {
            case 0 -> of();
            case 1 -> cf();
            case 2 -> zf();
            case 3 -> {
                cf();
                zf();
                code.ior();
            }
            case 4 -> sf();
            case 5 -> pf();
            case 6 -> {
                sf();
                of();
                code.ixor();
            }
            default -> {
                zf();
                sf();
                of();
                code.ixor().ior();
            }
        }
        if ((cc & 1) != 0) {
            code.iconst_1().ixor();
        }
    }

    /** CMP/SUB fused with the condition: a direct comparison of the operands. */
    private boolean subCond(int cc) {
        int size = flagSize;
        switch (cc) {
            case 2, 3, 6, 7 -> {
                masked(FA, size);
                masked(FB, size);
                code.invokestatic(ClassDesc.of("java.lang.Long"), "compareUnsigned",
                        MethodTypeDesc.of(CD_int, CD_long, CD_long));
            }
            case 4, 5 -> {
                masked(FA, size);
                masked(FB, size);
                code.lcmp();
            }
            case 12, 13, 14, 15 -> {
                signed(FA, size);
                signed(FB, size);
                code.lcmp();
            }
            default -> {
                return false;
            }
        }
        bool(switch (cc) {
            case 2, 12 -> Opcode.IFLT;
            case 3, 13 -> Opcode.IFGE;
            case 4 -> Opcode.IFEQ;
            case 5 -> Opcode.IFNE;
            case 6, 14 -> Opcode.IFLE;
            default -> Opcode.IFGT;
        });
        return true;
    }

    private void signed(int slot, int size) {
        code.lload(slot);
        signExtend(size);
    }

    /** Sign-extends the long on the stack from {@code size} bytes, as {@link Cpu#signExtend}. */
    void signExtend(int size) {
        switch (size) {
            case 1 -> code.l2i().i2b().i2l();
            case 2 -> code.l2i().i2s().i2l();
            case 4 -> code.l2i().i2l();
            default -> { }
        }
    }

    /** Calls an instruction's own semantics ({@code exec.exec(cpu, insn)}). */
    void callExec(Insn i) {
        constant(CD_EXEC, i.exec);
        code.aload(CPU);
        constant(CD_INSN, i);
        code.invokevirtual(CD_EXEC, "exec", MTD_EXEC);
        noteCodeStores();
    }
}
