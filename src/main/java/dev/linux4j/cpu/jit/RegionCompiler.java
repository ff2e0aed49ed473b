package dev.linux4j.cpu.jit;

import static dev.linux4j.cpu.jit.Gen.CD_CPU;
import static dev.linux4j.cpu.jit.Gen.CD_MMU;
import static dev.linux4j.cpu.jit.Gen.CPU;
import static dev.linux4j.cpu.jit.Gen.F_CPU;
import static dev.linux4j.cpu.jit.Gen.MMU;
import static dev.linux4j.cpu.jit.Gen.REGS;
import static dev.linux4j.cpu.jit.Gen.UNSET;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;
import static java.lang.constant.ConstantDescs.INIT_NAME;
import static java.lang.constant.ConstantDescs.MTD_void;

import dev.linux4j.cpu.Block;
import dev.linux4j.cpu.CodeCache;
import dev.linux4j.cpu.CompiledBlock;
import dev.linux4j.cpu.Insn;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tier 2 of the JIT (DESIGN.md decision 4): translates a <em>region</em> — a hot block and the
 * blocks reachable from it through direct branches that the interpreter has run (see
 * {@link #ran}) — into one JVM method. Branches inside the region are JVM jumps (a back edge
 * polls {@code Cpu.mayContinue()}, and every internal edge checks that its target block is still
 * valid, so self-modifying code and signals are noticed);
 * branches leaving it set RIP and call the next compiled region directly (chaining, bounded:
 * see {@link CompiledRegion}) or return to the dispatcher.
 *
 * <p>Guest registers and XMM halves live in JVM locals, the lazy flags' kind is known statically
 * and only their operands live in locals (see {@link Gen}); the hot instruction forms are
 * emitted inline by {@link InsnEmitter} and {@link SseEmitter}, everything else calls the
 * interpreter's own semantics with the state it reads written back first. A small dataflow
 * pass (rebuilding until the per-block entry states are stable) decides which registers and XMM
 * halves may be dirty and which flag kind holds at each block entry. Faults are precise: each
 * instruction that may fault has an exception handler (a stub into a spill block shared by the
 * sites with the same state) that writes back the state from before it and sets RIP to its
 * successor (as the interpreter leaves it).
 */
final class RegionCompiler {
    /**
     * A region's budget in {@link #weight} units (one per plain instruction, more for memory
     * accesses and SSE/x87 forms): keeps methods under {@link #MAX_METHOD_BYTES} and, more
     * tightly, within what C2 inlines whole. Measured (n-body, strsort, python3): 60 to 100 best,
     * 160 up to 15% slower (C2 leaves MMU and SSE helpers as calls) and slow to compile.
     */
    static final int MAX_REGION_INSNS = Integer.getInteger("linux4j.jit.regionInsns", 100);
    static final int MAX_METHOD_BYTES = ClassfileBlockCompiler.MAX_METHOD_BYTES;
    /** Whether regions take in direct callees and their return sites. */
    static final boolean FOLLOW_CALLS = Boolean.getBoolean("linux4j.jit.followCalls");

    private final boolean followCalls;
    /** A region whose method is larger is built again from the first half of its blocks. */
    private final int maxMethodBytes;

    /**
     * @param followCalls take direct callees and their return sites into regions (RET to a call
     *     site of the region stays inside); measured 10% slower on call-heavy code (more to
     *     compile), so off by default
     */
    RegionCompiler(boolean followCalls) {
        this(followCalls, MAX_METHOD_BYTES);
    }

    /** With a smaller method limit than the JVM's, so that tests reach the halving of a region. */
    RegionCompiler(boolean followCalls, int maxMethodBytes) {
        this.followCalls = followCalls;
        this.maxMethodBytes = maxMethodBytes;
    }
    /** Back edges between two polls: bounds the time to notice a signal or exit request. */
    static final int POLL_INTERVAL = 256;
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final AtomicLong COUNTER = new AtomicLong();

    /** Compiles the region at {@code entry}; null if it cannot (the caller falls back to tier 1). */
    CompiledBlock compile(Block entry, CodeCache cache) {
        if (!DEBUG) {
            return translate(entry, cache);
        }
        long started = System.nanoTime();
        try {
            return translate(entry, cache);
        } finally {
            Debug.translated(System.nanoTime() - started);
        }
    }

    private CompiledBlock translate(Block entry, CodeCache cache) {
        List<Block> blocks = cache == null ? List.of(entry) : discover(entry, cache);
        byte[] bytes = build(blocks);
        // Too large a method (or one that cannot be built): the blocks discovered first (each
        // reached from an earlier one, so still a region), half as many each time.
        while (bytes == null && blocks.size() > 1) {
            blocks = blocks.subList(0, blocks.size() / 2);
            bytes = build(blocks);
        }
        if (bytes == null) {
            return null;
        }
        try {
            MethodHandles.Lookup hidden = LOOKUP.defineHiddenClassWithClassData(bytes, lastData, true);
            CompiledRegion region = (CompiledRegion) hidden.findConstructor(hidden.lookupClass(),
                    MethodType.methodType(void.class)).invoke();
            List<Insn> all = new ArrayList<>();
            for (Block b : blocks) {
                for (int k = 0; k < b.size(); k++) {
                    all.add(b.insn(k));
                }
            }
            region.setInsns(all.toArray(new Insn[0]));
            if (cache != null && !cache.tie(entry, blocks)) {
                return null; // code changed while it was translated
            }
            region.register(entry, cache);
            return region;
        } catch (Throwable e) {
            // A class HotSpot rejects (a VerifyError) is a translator bug; the program goes on
            // interpreting the region, so it is counted for the tests and shown by the debug output.
            DEFINE_FAILURES.incrementAndGet();
            if (DEBUG) {
                System.err.println("linux4j jit: region " + Long.toHexString(entry.start()) + " not defined: " + e);
            }
            return null;
        }
    }

    private static final AtomicLong DEFINE_FAILURES = new AtomicLong();

    /** Regions built whose classes could not be defined or instantiated (for tests: always 0). */
    static long defineFailures() {
        return DEFINE_FAILURES.get();
    }

    private List<Object> lastData;

    // ---------------------------------------------------------------- discovery

    /**
     * The blocks of the region at {@code entry}: breadth first through direct branches, within
     * the budget; after an interpreted run, only blocks that {@link #ran}, and not a block that is
     * already the entry of a compiled region (the region exits there and chains to it). Code
     * entered at several places was otherwise compiled once per entry: sha256sum's unrolled
     * rounds, entered from the function's start and from its loop's head, were two sets of 27
     * regions at offsets to each other (54 translations, now 28), and each set went through
     * HotSpot's C1 and C2. The sieve 1.45 -> 1.21 s, strsort 3.74 -> 3.72 s, sha256sum 2.37 ->
     * 2.31 s (medians of 5-7 interleaved); n-body, xorshift, python3's loop and gcc unchanged.
     */
    private List<Block> discover(Block entry, CodeCache cache) {
        List<Block> blocks = new ArrayList<>();
        Map<Long, Block> seen = new HashMap<>();
        blocks.add(entry);
        seen.put(entry.start(), entry);
        int total = weight(entry);
        boolean profiled = cache.profiles();
        for (int k = 0; k < blocks.size(); k++) {
            Block from = blocks.get(k);
            int budget = cutForLength(from) ? STRAIGHT_LINE_BUDGET : MAX_REGION_INSNS;
            for (long t : successors(from)) {
                if (seen.containsKey(t)) {
                    continue;
                }
                Block b;
                try {
                    b = cache.block(t);
                } catch (RuntimeException e) { // GuestFault: not mapped
                    continue;
                }
                if (!b.isValid() || profiled && (!ran(from, b) || b.compiled() instanceof CompiledRegion)
                        || total + weight(b) > budget) {
                    continue;
                }
                total += weight(b);
                seen.put(t, b);
                blocks.add(b);
            }
        }
        return blocks;
    }

    /**
     * Whether {@code b}, a successor of {@code from} (a block of the region, so one that ran),
     * has run in the interpreter: counted itself, or where {@code from} goes on without a branch
     * (a block cut for length; the instructions it ends at may have run as part of a block that
     * started elsewhere), or the fall-through of a conditional branch inside the run of
     * instructions the interpreter executes for {@code from} (see {@link Block#runsOn}). A block
     * that has not is left out, as an exit: it is most likely a cold path, and the budget goes to
     * the hot ones. strcmp's region in strsort, taken breadth first, spent it on the checks of
     * strings near a page's end and left the block that returns the result to a region of its own.
     */
    private static boolean ran(Block from, Block b) {
        return b.hasRun() || (from.runsOn() || cutForLength(from)) && b.start() == from.insn(from.size() - 1).next;
    }

    /**
     * The budget up to which a block that ended only because blocks are limited in length takes
     * in the block that continues it. Straight-line code has no branch for C2 to weigh, so it
     * compiles well in larger pieces: sha256sum's unrolled rounds (blocks of 64 instructions,
     * each a region of its own at the usual budget, each crossing to the next a region exit)
     * ran 3.1 s -> 2.6 s with budget 200 for every region, but n-body (+13%), strsort (+15%) and
     * python3 (+20%), whose regions are loops and branches, were slower with it.
     */
    static final int STRAIGHT_LINE_BUDGET = 2 * MAX_REGION_INSNS;

    /** Whether {@code b} ended only because a block's length is limited (its successor follows it). */
    private static boolean cutForLength(Block b) {
        return !b.insn(b.size() - 1).endsBlock;
    }

    /**
     * A block's share of the region budget: SSE and x87 forms count {@link #HEAVY} times, as
     * HotSpot inlines their (large) semantics into the region's method and gives up on methods
     * whose inlined size grows too large.
     */
    static int weight(Block b) {
        int w = 0;
        for (int k = 0; k < b.size(); k++) {
            w += weight(b.insn(k));
        }
        return w;
    }

    /**
     * An instruction's share of the region budget, roughly its share of what HotSpot inlines
     * into the region's method: C2 stops inlining in a method whose graph grows past a node
     * count (and, by default, past 8,000 bytes of inlined bytecode), and what is left as calls
     * is far slower, as every call spills the registers' guest state. A guest memory access
     * inlines the MMU's translation and the memory segment access, the largest piece.
     */
    static int weight(Insn i) {
        int op = i.opcode;
        int inline = SseEmitter.weight(i);
        int w = inline > 0 ? inline : (op >= 0xd8 && op <= 0xdf) || InsnEmitter.xmmOnly(i) ? HEAVY : 1;
        return accessesMemory(i) ? w + MEMORY_WEIGHT : w;
    }

    /** Whether {@code i} reads or writes guest memory (explicit operand or the stack). */
    static boolean accessesMemory(Insn i) {
        int op = i.opcode;
        if (op == 0x8d || op == 0x10d || (op >= 0x118 && op <= 0x11f)) {
            return false; // LEA, hint NOPs, PREFETCHh
        }
        if (i.modrm >= 0 && i.rm < 0) {
            return true;
        }
        return (op >= 0x50 && op <= 0x5f) || op == 0x68 || op == 0x6a || op == 0xe8 || op == 0xc3 || op == 0xc2
                || (op == 0xff && (i.digit() == 2 || i.digit() == 6));
    }

    static final int MEMORY_WEIGHT = Integer.getInteger("linux4j.jit.memoryWeight", 2);

    static final int HEAVY = Integer.getInteger("linux4j.jit.heavy", 4);
    /**
     * {@code -Dlinux4j.jit.debug=true}: prints each region built (blocks, method size) on stderr,
     * writes its class file to {@code $TMPDIR/linux4j-jit/}, and at exit the most frequent
     * region exits (the places where a larger region or chaining would pay) and how long
     * translations took (on the translator's thread; in the guest thread, which waits for them,
     * with --jit=always or -Dlinux4j.jit.synchronous=true).
     */
    private static final boolean DEBUG = Boolean.getBoolean("linux4j.jit.debug");

    /** The debug output. */
    public static final class Debug {
        private static final Map<Long, long[]> EXITS = new java.util.concurrent.ConcurrentHashMap<>();
        /** Nanoseconds each translation took, in order. */
        private static final List<Long> TRANSLATIONS = java.util.Collections.synchronizedList(new ArrayList<>());

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                EXITS.entrySet().stream()
                        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(20)
                        .forEach(e -> System.err.println("linux4j jit: exits to " + Long.toHexString(e.getKey())
                                + ": " + e.getValue()[0]));
                long[] t;
                synchronized (TRANSLATIONS) {
                    t = TRANSLATIONS.stream().mapToLong(Long::longValue).sorted().toArray();
                }
                if (t.length > 0) {
                    System.err.printf("linux4j jit: %d translations, %.1f ms in all; median %.3f ms, 99th"
                            + " percentile %.3f ms, longest %.3f ms%n", t.length, java.util.Arrays.stream(t).sum() / 1e6,
                            t[t.length / 2] / 1e6, t[(int) (t.length * 0.99)] / 1e6, t[t.length - 1] / 1e6);
                }
            }));
        }

        /** The regions the current thread's translation built, reported when it is timed. */
        private static final ThreadLocal<List<Runnable>> PENDING = ThreadLocal.withInitial(ArrayList::new);

        static void translated(long nanos) {
            TRANSLATIONS.add(nanos);
            List<Runnable> pending = PENDING.get();
            pending.forEach(Runnable::run);
            pending.clear();
        }

        /** Reports a region built, once its translation is timed (the report writes a file). */
        static void built(List<Block> region, byte[] bytes, int size) {
            PENDING.get().add(() -> region(region, bytes, size));
        }

        private Debug() {}

        /** Counts a region exit to {@code to} (called by generated code). */
        public static void countExit(long to) {
            EXITS.computeIfAbsent(to, k -> new long[1])[0]++;
        }

        static void region(List<Block> region, byte[] bytes, int size) {
            StringBuilder s = new StringBuilder("linux4j jit: region");
            for (Block b : region) {
                s.append(' ').append(Long.toHexString(b.start())).append('/').append(b.size());
            }
            System.err.println(s.append(": ").append(size).append(" bytes"));
            try {
                java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "linux4j-jit");
                java.nio.file.Files.createDirectories(dir);
                java.nio.file.Files.write(dir.resolve("Region" + Long.toHexString(region.get(0).start()) + ".class"),
                        bytes);
            } catch (java.io.IOException e) {
                // debug output only
            }
        }
    }

    /** Direct successors of a block that a region may contain (calls and returns leave it). */
    long[] successors(Block b) {
        Insn last = b.insn(b.size() - 1);
        if (last.isJcc()) {
            return new long[] {last.imm, last.next};
        }
        if (last.opcode == 0xe9 || last.opcode == 0xeb) {
            return new long[] {last.imm};
        }
        if (last.opcode == 0xe8 && followCalls) {
            return new long[] {last.imm, last.next}; // the callee, and where its RET comes back
        }
        if (!last.endsBlock) {
            return new long[] {last.next};
        }
        return new long[0];
    }

    // ---------------------------------------------------------------- building

    /** Per-build analysis input and output. */
    private static final class Flow {
        final int[] inDirty;
        final int[] inXDirty;
        final int[] inFlag;
        boolean changed;

        Flow(int n) {
            inDirty = new int[n];
            inXDirty = new int[n];
            inFlag = new int[n];
            Arrays.fill(inFlag, UNSET);
            inFlag[0] = F_CPU;
        }

        void merge(int t, int dirty, int xdirty, int flagState) {
            if ((inDirty[t] | dirty) != inDirty[t]) {
                inDirty[t] |= dirty;
                changed = true;
            }
            if ((inXDirty[t] | xdirty) != inXDirty[t]) {
                inXDirty[t] |= xdirty;
                changed = true;
            }
            int cur = inFlag[t];
            int merged = cur == UNSET ? flagState : cur == flagState ? cur : F_CPU;
            if (merged != cur) {
                inFlag[t] = merged;
                changed = true;
            }
        }
    }

    static int flagState(int kind, int size) {
        return kind == F_CPU ? F_CPU : kind | (size << 4);
    }

    /** Builds the class, iterating the dataflow to a fixpoint; null if too large or unbuildable. */
    private byte[] build(List<Block> region) {
        // Order: [peeled entry copy,] region blocks; the entry copy is never a branch target.
        boolean peel = false;
        for (Block b : region) {
            for (long t : successors(b)) {
                peel |= t == region.get(0).start();
            }
        }
        List<Block> order = new ArrayList<>();
        if (peel) {
            order.add(region.get(0));
        }
        order.addAll(region);
        Map<Long, Integer> target = new HashMap<>();
        for (int k = order.size() - 1; k >= (peel ? 1 : 0); k--) {
            target.put(order.get(k).start(), k);
        }
        Flow flow = new Flow(order.size());
        int used = 0xffff;
        int usedXmm = -1;
        for (int round = 0; round < 12; round++) {
            flow.changed = false;
            int[] touched = new int[2];
            List<Object> data = new ArrayList<>();
            byte[] bytes;
            try {
                bytes = emitClass(order, target, flow, used, usedXmm, data, touched);
            } catch (RuntimeException e) {
                return null;
            }
            if (!flow.changed && touched[0] == used && touched[1] == usedXmm) {
                int size = methodBytes(bytes);
                if (DEBUG) {
                    Debug.built(region, bytes, size);
                }
                if (size > maxMethodBytes) {
                    return null;
                }
                lastData = List.copyOf(data);
                return bytes;
            }
            used = touched[0];
            usedXmm = touched[1];
        }
        return null;
    }

    private static int methodBytes(byte[] bytes) {
        ClassModel cm = ClassFile.of().parse(bytes);
        int max = 0;
        for (MethodModel m : cm.methods()) {
            max = Math.max(max, m.findAttribute(Attributes.code()).map(c -> c.codeLength()).orElse(0));
        }
        return max;
    }

    /**
     * Region classes are built without stack maps, in a class-file version that needs none (Java
     * 5: HotSpot verifies it by type inference, in C++). The class-file library computes stack
     * maps by a data-flow pass over the method in Java, which in the translator thread runs mostly
     * in HotSpot's bytecode interpreter: it took a quarter of the translator's time (JFR), and the
     * program waits for its hot code's translations. Measured without them: python3's loop 68
     * translations in 0.68-0.72 s instead of 0.96-1.21 s, the loop 3.4-3.6 s instead of 3.7-4.1;
     * gcc -O2 of a 500-line file 14.7-17.0 s instead of 16.2-19.3, sha256sum of 64 MiB 2.5-2.6 s
     * instead of 2.6-2.9 (3 interleaved runs each). The class data are then static fields, not
     * dynamic constants (see Gen#constant).
     */
    private static final ClassFile REGION_CLASS_FILE = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS);

    private byte[] emitClass(List<Block> order, Map<Long, Integer> target, Flow flow, int used, int usedXmm,
            List<Object> data, int[] touched) {
        ClassDesc self = ClassDesc.of("dev.linux4j.cpu.jit.Region$" + Long.toHexString(order.get(0).start()) + "$"
                + COUNTER.incrementAndGet());
        return REGION_CLASS_FILE.build(self, cb -> {
            cb.withVersion(ClassFile.JAVA_5_VERSION, 0);
            cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
            cb.withSuperclass(Gen.CD_REGION);
            cb.withMethodBody(INIT_NAME, MTD_void, ClassFile.ACC_PUBLIC, code -> code
                    .aload(0)
                    .invokespecial(Gen.CD_REGION, INIT_NAME, MTD_void)
                    .return_());
            // run(Cpu) calls run(Cpu, 0) directly: one megamorphic call per dispatch, not two.
            cb.withMethodBody("run", MethodTypeDesc.of(CD_void, CD_CPU), ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL,
                    code -> code.aload(0).aload(1).iconst_0().invokevirtual(self, "run", Gen.MTD_RUN).return_());
            Gen[] gen = new Gen[1];
            cb.withMethodBody("run", Gen.MTD_RUN, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> {
                Gen g = gen[0] = new Gen(code, self, used, usedXmm, data);
                new Emission(g, order, target, flow).emit();
                touched[0] = g.touchedRegs;
                touched[1] = g.touchedXmm;
            });
            gen[0].declareConstants(cb);
            cb.withMethodBody(ConstantDescs.CLASS_INIT_NAME, MTD_void, ClassFile.ACC_STATIC,
                    code -> gen[0].resolveConstants(code));
        });
    }

    /** Emission of one build: blocks, terminators and edges. */
    private static final class Emission {
        final Gen g;
        final CodeBuilder code;
        final List<Block> order;
        final Map<Long, Integer> target;
        final Flow flow;
        final Label[] labels;

        Emission(Gen g, List<Block> order, Map<Long, Integer> target, Flow flow) {
            this.g = g;
            this.code = g.code;
            this.order = order;
            this.target = target;
            this.flow = flow;
            this.labels = new Label[order.size()];
            for (int k = 0; k < labels.length; k++) {
                labels[k] = code.newLabel();
            }
            for (Block b : order) {
                Insn last = b.insn(b.size() - 1);
                if (last.opcode == 0xe8 && target.containsKey(last.next) && !returnSites.contains(last.next)) {
                    returnSites.add(last.next);
                }
            }
        }

        /** Return addresses of the region's calls whose blocks are in the region. */
        final List<Long> returnSites = new ArrayList<>();

        void emit() {
            code.aload(CPU).getfield(CD_CPU, "r", Gen.CD_LONGS).astore(REGS);
            code.aload(CPU).getfield(CD_CPU, "mmu", CD_MMU).astore(MMU);
            for (int n = 0; n < 16; n++) {
                if ((g.usedRegs & (1 << n)) != 0) {
                    code.aload(REGS).bipush(n).laload().lstore(Gen.reg(n));
                } else {
                    code.lconst_0().lstore(Gen.reg(n));
                }
            }
            for (int slot = Gen.FA; slot <= Gen.T4; slot += 2) {
                code.lconst_0().lstore(slot);
            }
            code.lconst_0().lstore(Gen.T5);
            code.aload(CPU).getfield(CD_CPU, "xmm", Gen.CD_LONGS).astore(Gen.XMMS);
            g.reloadXmm(g.usedXmm);
            // Blocks decoded for this region marked their pages as code: drop stale write
            // translations so stores to those pages reach the code cache (and count in codeStores).
            code.aload(MMU).invokevirtual(CD_MMU, "revalidate", Gen.MTD_V);
            code.aload(MMU).getfield(CD_MMU, "codeStores", CD_int).istore(Gen.CODE_STORES);
            code.iconst_0().istore(Gen.STALE);
            code.aload(MMU).invokevirtual(CD_MMU, "tlb", MethodTypeDesc.of(CD_long.arrayType())).astore(Gen.TLB);
            code.loadConstant(POLL_INTERVAL).istore(Gen.POLL);
            code.iconst_0().istore(Gen.STATE);
            for (int k = 0; k < order.size(); k++) {
                code.labelBinding(labels[k]);
                int in = flow.inFlag[k];
                g.dirty = flow.inDirty[k];
                g.xdirty = flow.inXDirty[k];
                g.flagKind = in == UNSET ? F_CPU : in & 0xf;
                g.flagSize = in == UNSET ? 0 : in >> 4;
                emitBlock(k, order.get(k));
            }
            g.emitHandlers();
        }

        private void emitBlock(int k, Block b) {
            int n = b.size();
            boolean[] dead = deadFlags(b);
            for (int j = 0; j < n - 1; j++) {
                g.flagsDead = dead[j];
                InsnEmitter.emit(g, b.insn(j));
            }
            g.flagsDead = false;
            Insn last = b.insn(n - 1);
            if (last.isJcc()) {
                g.cond(last.opcode & 0xf);
                Label taken = code.newLabel();
                code.ifne(taken);
                edge(k, last.next);
                code.labelBinding(taken);
                edge(k, last.imm);
            } else if (last.opcode == 0xe9 || last.opcode == 0xeb) {
                edge(k, last.imm);
            } else if (last.opcode == 0xe8) {
                InsnEmitter.emitCallPush(g, last);
                edge(k, last.imm);
            } else if (last.opcode == 0xc3) {
                InsnEmitter.emitRetPop(g, last);
                // A return to a call site of this region continues inside it.
                for (long site : returnSites) {
                    Label other = code.newLabel();
                    code.lload(Gen.T1).loadConstant(site).lcmp().ifne(other);
                    edge(k, site);
                    code.labelBinding(other);
                }
                g.syncAll();
                code.aload(CPU).lload(Gen.T1).putfield(CD_CPU, "rip", CD_long);
                code.lload(Gen.T1);
                g.chainAndReturn();
            } else if (!last.endsBlock) {
                InsnEmitter.emit(g, last);
                edge(k, last.next);
            } else {
                g.syncAll();
                code.aload(CPU).loadConstant(last.next).putfield(CD_CPU, "rip", CD_long);
                Label start = g.beginFault(); // a fault here names this instruction (chained regions)
                g.callExec(last);
                g.endFault(start, last, g.flagKind, g.flagSize);
                code.aload(CPU).getfield(CD_CPU, "rip", CD_long);
                g.chainAndReturn();
            }
        }

        /**
         * For each instruction of {@code b} but the last, whether the flags it writes are dead
         * (backwards from the block's end, where they are taken as live): a later instruction
         * sets all six before anything reads them or may fault.
         */
        private static boolean[] deadFlags(Block b) {
            int n = b.size();
            boolean[] dead = new boolean[n];
            boolean live = true;
            for (int j = n - 2; j >= 0; j--) {
                dead[j] = !live;
                switch (InsnEmitter.flagEffect(b.insn(j))) {
                    case InsnEmitter.FLAGS_NONE -> { }
                    case InsnEmitter.FLAGS_KILL -> live = false;
                    case InsnEmitter.FLAGS_PARTIAL -> { } // dead stays dead (skipped); live needs the flags before
                    default -> live = true;
                }
            }
            return dead;
        }

        /** Control goes to {@code to}: a jump inside the region, or an exit to the dispatcher. */
        private void edge(int from, long to) {
            int dirty = g.dirty;
            int xdirty = g.xdirty;
            int kind = g.flagKind;
            int size = g.flagSize;
            Integer t = target.get(to);
            if (t == null) {
                exit(to);
            } else {
                flow.merge(t, g.dirty, g.xdirty, flagState(kind, size));
                if (flow.inFlag[t] == F_CPU) {
                    g.syncFlags();
                }
                Label out = code.newLabel();
                if (t <= from) {
                    // The back-edge poll, every POLL_INTERVAL iterations: stop requests, address
                    // space changes, and code written by other threads. A changed address space
                    // leaves the region (the dispatcher flushes the TLB) rather than calling
                    // Mmu.revalidate here: a call inside the loop, however rare, made C2 keep the
                    // guest's registers in stack slots for the whole loop (xorshift's x and h:
                    // loaded and stored every iteration).
                    Label noPoll = code.newLabel();
                    code.iinc(Gen.POLL, -1).iload(Gen.POLL).ifgt(noPoll);
                    code.loadConstant(POLL_INTERVAL).istore(Gen.POLL);
                    code.aload(CPU).invokevirtual(CD_CPU, "mayContinue", Gen.MTD_Z).ifeq(out);
                    code.aload(MMU).invokevirtual(CD_MMU, "isCurrent", Gen.MTD_Z).ifeq(out);
                    g.constant(Gen.CD_BLOCK, order.get(t));
                    code.invokevirtual(Gen.CD_BLOCK, "isValid", Gen.MTD_Z).ifeq(out);
                    code.labelBinding(noPoll);
                }
                // This thread can only have invalidated a block with a store to a page marked as
                // code: until one counted in mmu.codeStores (Gen.STALE), the target needs no check.
                // (A change made before the region was entered invalidated its entry block:
                // CodeCache.tie.)
                Label valid = code.newLabel();
                code.iload(Gen.STALE).ifeq(valid);
                g.constant(Gen.CD_BLOCK, order.get(t));
                code.invokevirtual(Gen.CD_BLOCK, "isValid", Gen.MTD_Z).ifeq(out);
                code.labelBinding(valid);
                code.goto_(labels[t]);
                code.labelBinding(out);
                g.spillExit(to);
            }
            g.dirty = dirty;
            g.xdirty = xdirty;
            g.flagKind = kind;
            g.flagSize = size;
        }

        private void exit(long to) {
            if (DEBUG) {
                code.loadConstant(to).invokestatic(ClassDesc.of(Debug.class.getName()), "countExit",
                        MethodTypeDesc.of(CD_void, CD_long));
            }
            g.writeBackRegs(g.dirty);
            g.writeBackXmm(g.xdirty);
            g.writeBackFlags(g.flagKind, g.flagSize);
            code.aload(CPU).loadConstant(to).putfield(CD_CPU, "rip", CD_long);
            code.loadConstant(to);
            g.chainAndReturn();
        }
    }
}
