package dev.linux4j.cpu.jit;

import dev.linux4j.cpu.Block;
import dev.linux4j.cpu.CodeCache;
import dev.linux4j.cpu.CompiledBlock;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.Insn;

/**
 * Base class of the hidden classes {@link RegionCompiler} generates: one {@code run(Cpu, int)}
 * per region of blocks. It maps a successor address back to the instruction that was executing
 * when {@code run} threw, for the instructions of every block of the region.
 *
 * <p><b>Chaining.</b> A region leaving for another address, with the state written back and RIP
 * set, may call the compiled region of that address itself instead of returning to the
 * dispatcher ({@code Cpu.run}): {@link #next} finds it through a per-exit-site {@link Site}
 * (an inline cache of the last target's {@link Handle}, checked against the exit's address and
 * code cache on every use; invalidating the target's entry block empties the handle), and the
 * call passes the chain depth, bounded by
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

    /**
     * What exit sites hold of this region, once it is registered: its entry address and code
     * cache, and the region itself until its entry block is invalidated (so that a site does not
     * keep a dead region, and the blocks it refers to, alive).
     */
    static final class Handle {
        volatile CompiledRegion region;
        final long address;
        final CodeCache cache;

        Handle(CompiledRegion region, long address, CodeCache cache) {
            this.region = region;
            this.address = address;
            this.cache = cache;
        }
    }

    private Handle handle;

    /** Records that this region runs {@code block} (its entry) of {@code cache}. */
    void register(Block block, CodeCache cache) {
        handle = new Handle(this, block.start(), cache);
    }

    @Override
    public void invalidated() {
        Handle h = handle;
        if (h != null) {
            h.region = null;
        }
    }

    /**
     * An exit site of a region: an inline cache of the last target's {@link Handle}, written by
     * whichever thread resolves the site, without a lock (each use checks the handle's address
     * against the exit's). From the site's constant to the region's class are three loads (site,
     * handle, region). With an immutable link record, a per-block target and a weak reference
     * to the region there were five, each a cache miss in sha256sum's chain of 27 regions per
     * call, and the reference's untyped get a checkcast loading the class's supertypes: a
     * third of such a region's samples were on that chain.
     */
    public static final class Site {
        Handle handle;
        /** The block last resolved for this site, compiled or not yet. */
        Block block;
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
        Handle h = site.handle;
        if (h != null && h.address == to && h.cache == cpu.codeCache()) {
            CompiledRegion r = h.region;
            if (r != null) {
                return r;
            }
        }
        return resolve(cpu, site, to);
    }

    /** Looks up the block at {@code to} (once per target) and chains to its region if it has one yet. */
    private static CompiledRegion resolve(Cpu cpu, Site site, long to) {
        CodeCache cache = cpu.codeCache();
        Block b = site.block;
        if (b == null || !b.runsAt(to)) {
            if (site.misses >= MAX_MISSES) {
                return null;
            }
            site.misses++;
            try {
                b = cache.block(to);
            } catch (RuntimeException e) { // not mapped: the dispatcher reports it
                return null;
            }
            site.block = b;
        }
        if (b.compiled() instanceof CompiledRegion r && r.handle != null && r.handle.address == to
                && r.handle.cache == cache && r.handle.region == r) {
            site.handle = r.handle;
            site.block = null; // the handle is what a site keeps of a region
            return r;
        }
        return null;
    }
}
