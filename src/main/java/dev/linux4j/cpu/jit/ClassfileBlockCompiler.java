package dev.linux4j.cpu.jit;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;
import static java.lang.constant.ConstantDescs.INIT_NAME;
import static java.lang.constant.ConstantDescs.MTD_void;

import dev.linux4j.cpu.Block;
import dev.linux4j.cpu.BlockCompiler;
import dev.linux4j.cpu.CodeCache;
import dev.linux4j.cpu.CompiledBlock;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.Exec;
import dev.linux4j.cpu.Insn;
import java.lang.classfile.ClassFile;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Translates a decoded block into a hidden class whose {@code run(Cpu)} calls each
 * instruction's semantics in sequence (DESIGN.md decision 4). Each instruction's {@link Exec}
 * and {@link Insn} are class-data constants ({@code ldc} of a dynamic constant), so every call
 * site in the generated code is monomorphic and HotSpot inlines the semantics into one method:
 * the interpreter's dispatch disappears while the meaning stays the interpreter's own.
 *
 * <p>A block whose last instruction branches back to its start becomes a JVM loop that polls
 * {@link Cpu#mayContinue()} and the block's validity on each back edge.
 *
 * <p>Generated methods stay far below the 8,000-byte compilation limit: about 20 bytes per
 * guest instruction and at most 64 instructions per block; {@link #MAX_METHOD_BYTES} is
 * checked after generation.
 */
public final class ClassfileBlockCompiler implements BlockCompiler {
    /** HotSpot does not compile methods larger than this (JAVA-FACTS.md: 18x slower above it). */
    static final int MAX_METHOD_BYTES = 8000;

    private static final ClassDesc CD_CPU = ClassDesc.of(Cpu.class.getName());
    private static final ClassDesc CD_EXEC = ClassDesc.of(Exec.class.getName());
    private static final ClassDesc CD_INSN = ClassDesc.of(Insn.class.getName());
    private static final ClassDesc CD_COMPILED = ClassDesc.of(CompiledBlock.class.getName());
    private static final ClassDesc CD_BLOCK = ClassDesc.of(Block.class.getName());
    private static final MethodTypeDesc MTD_BOOLEAN = MethodTypeDesc.of(ConstantDescs.CD_boolean);
    private static final MethodTypeDesc MTD_RUN = MethodTypeDesc.of(CD_void, CD_CPU);
    private static final MethodTypeDesc MTD_EXEC = MethodTypeDesc.of(CD_void, CD_CPU, CD_INSN);
    private static final DirectMethodHandleDesc CLASS_DATA_AT = ConstantDescs.ofConstantBootstrap(
            ClassDesc.of(MethodHandles.class.getName()), "classDataAt", CD_Object, ConstantDescs.CD_int);
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final AtomicLong COUNTER = new AtomicLong();

    private final AtomicLong compiled = new AtomicLong();
    private final AtomicLong bytecodeBytes = new AtomicLong();

    /** {@code -Dlinux4j.jit.tier=1} keeps the one-block translation below (a fallback switch). */
    static final int TIER = Integer.getInteger("linux4j.jit.tier", 2);

    private final boolean followCalls;
    private final int maxMethodBytes;

    public ClassfileBlockCompiler() {
        this(RegionCompiler.FOLLOW_CALLS);
    }

    /** @param followCalls whether tier-2 regions take in direct callees (see {@link RegionCompiler}) */
    ClassfileBlockCompiler(boolean followCalls) {
        this(followCalls, MAX_METHOD_BYTES);
    }

    /** With tier-2 methods limited to {@code maxMethodBytes} (tests of a region's halving). */
    ClassfileBlockCompiler(boolean followCalls, int maxMethodBytes) {
        this.followCalls = followCalls;
        this.maxMethodBytes = maxMethodBytes;
    }

    @Override
    public CompiledBlock compile(Block block) {
        return compile(block, null);
    }

    /**
     * Tier 2 first ({@link RegionCompiler}: the region around {@code block}, registers in
     * locals, hot forms inline); tier 1 (below) when that fails.
     */
    @Override
    public CompiledBlock compile(Block block, CodeCache cache) {
        if (TIER >= 2) {
            CompiledBlock region = new RegionCompiler(followCalls, maxMethodBytes).compile(block, cache);
            if (region != null) {
                compiled.incrementAndGet();
                return region;
            }
        }
        return compileTier1(block);
    }

    private CompiledBlock compileTier1(Block block) {
        int n = block.size();
        List<Object> data = new ArrayList<>(2 * n);
        for (int k = 0; k < n; k++) {
            Insn insn = block.insn(k);
            data.add(insn.exec);
            data.add(insn);
        }
        data.add(block);
        ClassDesc self = ClassDesc.of("dev.linux4j.cpu.jit.Block$" + Long.toHexString(block.start()) + "$"
                + COUNTER.incrementAndGet());
        byte[] bytes = ClassFile.of().build(self, cb -> {
            cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
            cb.withInterfaceSymbols(CD_COMPILED);
            cb.withMethodBody(INIT_NAME, MTD_void, ClassFile.ACC_PUBLIC, code -> code
                    .aload(0)
                    .invokespecial(CD_Object, INIT_NAME, MTD_void)
                    .return_());
            cb.withMethodBody("run", MTD_RUN, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> {
                Label top = code.newLabel();
                Label exit = code.newLabel();
                code.labelBinding(top);
                for (int k = 0; k < n; k++) {
                    Insn insn = block.insn(k);
                    code.aload(1).ldc(insn.next).putfield(CD_CPU, "rip", CD_long);
                    code.ldc(classData(CD_EXEC, 2 * k));
                    code.aload(1);
                    code.ldc(classData(CD_INSN, 2 * k + 1));
                    code.invokevirtual(CD_EXEC, "exec", MTD_EXEC);
                }
                // A block that jumps back to its own start loops here, without returning to the
                // dispatcher, while it stays valid and the CPU may continue (the back-edge poll).
                code.aload(1).getfield(CD_CPU, "rip", CD_long).ldc(block.start()).lcmp().ifne(exit);
                code.ldc(classData(CD_BLOCK, 2 * n)).invokevirtual(CD_BLOCK, "isValid", MTD_BOOLEAN).ifeq(exit);
                code.aload(1).invokevirtual(CD_CPU, "mayContinue", MTD_BOOLEAN).ifeq(exit);
                code.goto_(top);
                code.labelBinding(exit);
                code.return_();
            });
        });
        if (bytes.length > MAX_METHOD_BYTES * 2) {
            return null; // far too large for one method: leave it to the interpreter
        }
        try {
            MethodHandles.Lookup hidden = LOOKUP.defineHiddenClassWithClassData(bytes, List.copyOf(data), true);
            CompiledBlock result = (CompiledBlock) hidden.findConstructor(hidden.lookupClass(),
                    java.lang.invoke.MethodType.methodType(void.class)).invoke();
            compiled.incrementAndGet();
            bytecodeBytes.addAndGet(bytes.length);
            return result;
        } catch (Throwable e) {
            return null;
        }
    }

    private static DynamicConstantDesc<Object> classData(ClassDesc type, int index) {
        return DynamicConstantDesc.ofNamed(CLASS_DATA_AT, "_", type, index);
    }

    /** Blocks translated so far. */
    public long compiledBlocks() {
        return compiled.get();
    }

    /** Total class-file bytes generated. */
    public long generatedBytes() {
        return bytecodeBytes.get();
    }
}
