package dev.linux4j.cpu.jit;

import dev.linux4j.cpu.Block;
import dev.linux4j.cpu.CodeCache;
import dev.linux4j.cpu.CompiledBlock;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.Insn;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Base class of the hidden classes {@link RegionCompiler} generates: one {@code run(Cpu, int)}
 * per region of blocks. It maps a successor address back to the instruction that was executing
 * when {@code run} threw, for the instructions of every block of the region.
 *
 * <p><b>Chaining.</b> A region leaving for another address, with the state written back and RIP
 * set, may call the compiled region of that address itself instead of returning to the
 * dispatcher ({@code Cpu.run}): {@link #next} finds it through a per-exit-site {@link Site}
 * (an inline cache of the last target, keyed by address and address space, checked against the
 * target block's validity on every use), and the call passes the chain depth, bounded by
 * {@link #MAX_CHAIN}, so the dispatcher still runs (interrupts, signals, stale blocks) at least
 * every {@code MAX_CHAIN} regions. A fault in a chained region propagates to the dispatcher,
 * whose block is the first region's: the faulting instruction is handed over in {@link #FAULT}.
 */
public abstract class CompiledRegion implements CompiledBlock {
    /** Most regions one dispatch runs through chaining. */
    static final int MAX_CHAIN = Integer.getInteger("linux4j.jit.chain", 16);
    /** Misses after which an exit site stops looking for a chain target (a megamorphic site). */
    private static final int MAX_MISSES = 8;

    /** The faulting instruction of the last fault in compiled code on this thread. */
    private static final ThreadLocal<Insn> FAULT = new ThreadLocal<>();

    /**
     * Chain targets by block: the region compiled for each block, held weakly (the block holds
     * it strongly, and the region refers to its blocks). Guarded by itself.
     */
    private static final Map<Block, Target> TARGETS = new WeakHashMap<>();

    private Insn[] insns = new Insn[0];

    protected CompiledRegion() {}

    void setInsns(Insn[] insns) {
        this.insns = insns;
    }

    /** The guest instructions the region holds. */
    int instructionCount() {
        return insns.length;
    }

    /** Runs the region from the dispatcher (each generated class overrides this with a direct call). */
    @Override
    public void run(Cpu cpu) {
        run(cpu, 0);
    }

    /** Runs the region, {@code depth} regions deep in a chain. */
    public abstract void run(Cpu cpu, int depth);

    @Override
    public final Insn executingAt(long next) {
        Insn faulted = FAULT.get();
        if (faulted != null) {
            FAULT.remove();
            if (faulted.next == next) {
                return faulted;
            }
        }
        for (Insn i : insns) {
            if (i.next == next) {
                return i;
            }
        }
        return null;
    }

    /** Called by the spill routine when {@code insn} faults. */
    public static void faulted(Insn insn) {
        FAULT.set(insn);
    }

    // ---------------------------------------------------------------- chaining

    /** The compiled region of one block, once there is one. */
    static final class Target {
        volatile WeakReference<CompiledRegion> region;
    }

    /** Records that {@code region} runs {@code block} (the region's entry). */
    static void register(Block block, CompiledRegion region) {
        target(block).region = new WeakReference<>(region);
    }

    private static Target target(Block block) {
        synchronized (TARGETS) {
            return TARGETS.computeIfAbsent(block, b -> new Target());
        }
    }

    /** One exit site's inline cache: immutable, replaced whole (safe between threads). */
    record Link(CodeCache cache, long address, Block block, Target target) {}

    /** An exit site of a region. */
    public static final class Site {
        Link link;
        int misses;
    }

    /**
     * The region to chain to from {@code site} for RIP {@code to} (the state is written back),
     * or null to return to the dispatcher.
     */
    public static CompiledRegion next(Cpu cpu, int depth, Site site, long to) {
        if (depth >= MAX_CHAIN || !cpu.mayContinue()) {
            return null;
        }
        Link link = site.link;
        if (link == null || link.address() != to || link.cache() != cpu.codeCache()) {
            link = resolve(cpu, site, to);
            if (link == null) {
                return null;
            }
        }
        WeakReference<CompiledRegion> ref = link.target().region;
        CompiledRegion r = ref == null ? null : ref.get();
        if (r == null) {
            return null;
        }
        if (!link.block().isValid()) {
            site.link = null;
            return null;
        }
        return r;
    }

    private static Link resolve(Cpu cpu, Site site, long to) {
        if (site.misses >= MAX_MISSES) {
            return null;
        }
        site.misses++;
        CodeCache cache = cpu.codeCache();
        Block b;
        try {
            b = cache.block(to);
        } catch (RuntimeException e) { // not mapped: the dispatcher reports it
            return null;
        }
        Link link = new Link(cache, to, b, target(b));
        site.link = link;
        return link;
    }
}
