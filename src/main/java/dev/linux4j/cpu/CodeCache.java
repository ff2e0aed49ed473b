package dev.linux4j.cpu;

import static dev.linux4j.abi.Mman.PAGE_SHIFT;
import static dev.linux4j.memory.PagePool.RAW;

import dev.linux4j.memory.AddressSpace;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoded blocks of one address space, keyed by start address (DESIGN.md decision 3). A block
 * registers with every page it was decoded from; writing or unmapping such a page invalidates
 * them (the page table routes writes to code pages here).
 *
 * <p>Locking: {@code this} guards both maps. Blocks themselves are immutable but for
 * their {@code valid} flag.
 */
public final class CodeCache implements AddressSpace.CodeWatcher {
    /** Longest block, so one loop iteration of the interpreter stays short. */
    private static final int MAX_BLOCK = 64;
    /**
     * Conditional branches a block's decoding continues past (see {@link Block#insns}), only
     * within the page it starts in: the code after each is decoded once more as a block of its
     * own when something jumps there.
     */
    private static final int MAX_FALL_THROUGHS = 8;
    private static final int PAGE_MASK = (1 << PAGE_SHIFT) - 1;

    private final AddressSpace space;
    private final Decoder decoder;
    /**
     * Sized for a small program's run (busybox true decodes about 800 blocks from 30 pages):
     * growing the tables step by step was 1% of a spawn.
     */
    private final LongTable<Block> blocks = new LongTable<>(1024);
    /** What this cache knows of each code page it decoded from, by page number. */
    private final LongTable<Page> pages = new LongTable<>(64);
    private volatile BlockCompiler compiler;
    private volatile int compileThreshold = Integer.MAX_VALUE;

    /**
     * One page decoded from: its change count (a decode that saw it change starts over), the
     * shared copy its bytes matched (until the page changes) and the blocks decoded from it.
     * Guarded by the cache. A decode holds the records of its pages, so checking them for a
     * change needs no lookup.
     */
    private static final class Page {
        long changes;
        SharedDecodes.PageCode validated;
        List<Block> blocks;

        void add(Block b) {
            if (blocks == null) {
                blocks = new ArrayList<>(4);
            }
            blocks.add(b);
        }
    }

    /** The pages a decode marked (at most two: a block is far shorter than a page) and their change counts then. */
    private static final class Marks {
        private final long[] pageNumbers = {-1, -1};
        private final Page[] records = new Page[2];
        private final long[] changes = new long[2];

        void add(long page, Page record) {
            int k = records[0] == null ? 0 : 1;
            pageNumbers[k] = page;
            records[k] = record;
            changes[k] = record.changes;
        }

        /** The record of a marked page, else null. */
        Page of(long page) {
            return page == pageNumbers[0] ? records[0] : page == pageNumbers[1] ? records[1] : null;
        }

        /** Whether {@code record} (a marked page's) changed since it was marked. */
        boolean changed(Page record) {
            return record.changes != (record == records[0] ? changes[0] : changes[1]);
        }

        boolean changed() {
            return records[0] != null && changed(records[0]) || records[1] != null && changed(records[1]);
        }
    }

    public CodeCache(AddressSpace space, Decoder decoder) {
        this.space = space;
        this.decoder = decoder;
        space.setCodeWatcher(this);
    }

    /** Bumped by {@link #clear}; guarded by {@code this}. */
    private long epoch;

    /**
     * The block starting at {@code pc}, decoding it if needed. Safe when several threads run the
     * address space: decoding happens outside this cache's lock, because fetching may take the
     * address space's lock, which holds it while calling {@link #codeChanged} (lock order: address
     * space, then code cache). Each page is marked as code before its bytes are read, so a write
     * by another thread racing with the decode counts as a change and the decode is redone.
     */
    public Block block(long pc) {
        while (true) {
            long seen;
            synchronized (this) {
                Block b = blocks.get(pc);
                if (b != null) {
                    return b;
                }
                b = fromValidatedPage(pc);
                if (b != null) {
                    return b;
                }
                seen = epoch;
            }
            Marks marked = new Marks();
            long page = pc >>> PAGE_SHIFT;
            mark(pc, marked);
            SharedDecodes.PageCode code = pageCode(page, marked);
            Insn[] insns = null;
            if (code != null) {
                SharedDecodes.Decoded d = code.block(pc);
                if (d != null && d.next() != null) {
                    mark((page + 1) << PAGE_SHIFT, marked);
                    if (pageCode(page + 1, marked) != d.next()) {
                        d = null;
                    }
                }
                insns = d == null ? null : d.insns();
            }
            boolean fresh = insns == null;
            if (fresh) {
                insns = decode(pc, marked).toArray(new Insn[0]);
            }
            long end = insns[insns.length - 1].next;
            long lastPage = (end - 1) >>> PAGE_SHIFT;
            SharedDecodes.PageCode next = fresh && code != null && lastPage != page ? pageCode(lastPage, marked) : null;
            Block b;
            synchronized (this) {
                if (epoch != seen || marked.changed()) {
                    continue; // our code changed while we decoded: the bytes may be stale
                }
                b = blocks.get(pc);
                if (b != null) {
                    return b; // another thread decoded it first
                }
                b = new Block(pc, insns);
                blocks.put(pc, b);
                for (long p = page; p <= lastPage; p++) {
                    Page info = marked.of(p);
                    if (info == null) {
                        info = page(p); // every page of a block is marked; this is a safety net
                    }
                    info.add(b);
                }
            }
            if (fresh && code != null && (lastPage == page || next != null)) {
                code.add(pc, insns, next); // decoded from the bytes the page copies hold: nothing changed since the marks
            }
            return b;
        }
    }

    /**
     * The common case of a new process running code another one decoded: the block's page was
     * already matched with its shared copy (so it is marked as code, and any write since would
     * have dropped the match) and the block stays in that page. Null if not. Caller holds the lock.
     */
    private Block fromValidatedPage(long pc) {
        Page info = pages.get(pc >>> PAGE_SHIFT);
        if (info == null || info.validated == null) {
            return null;
        }
        SharedDecodes.Decoded d = info.validated.block(pc);
        if (d == null || d.next() != null) {
            return null;
        }
        Block b = new Block(pc, d.insns());
        blocks.put(pc, b);
        info.add(b);
        return b;
    }

    /** The record of page {@code p}, made on first use. Caller holds the lock. */
    private Page page(long p) {
        Page info = pages.get(p);
        if (info == null) {
            info = new Page();
            pages.put(p, info);
        }
        return info;
    }

    /**
     * The shared code of page {@code page}, matched against this address space's bytes once
     * and remembered until the page changes; null if the page cannot be executed. The page
     * must be marked already.
     */
    private SharedDecodes.PageCode pageCode(long page, Marks marked) {
        Page info = marked.of(page);
        if (info == null) {
            return SharedDecodes.page(space, page); // not marked: used, not remembered
        }
        synchronized (this) {
            if (info.validated != null) {
                return info.validated;
            }
        }
        SharedDecodes.PageCode c = SharedDecodes.page(space, page);
        if (c != null) {
            synchronized (this) {
                if (!marked.changed(info)) {
                    info.validated = c; // unchanged since marked, so since compared
                }
            }
        }
        return c;
    }

    /**
     * Marks the page of {@code addr} as code, once per page per decode, remembering its change
     * count: a write after this point counts as a change and the decode is redone.
     */
    private void mark(long addr, Marks marked) {
        long page = addr >>> PAGE_SHIFT;
        if (marked.of(page) == null) {
            space.markCode(page << PAGE_SHIFT);
            synchronized (this) {
                marked.add(page, page(page));
            }
        }
    }

    /** Decodes the block at {@code pc}: up to the first instruction that ends a block. */
    private List<Insn> decode(long pc, Marks marked) {
        long[] page = {-1, 0}; // the page being fetched from and its frame
        Decoder.Fetch markingFetch = addr -> {
            long p = addr >>> PAGE_SHIFT;
            if (p != page[0]) {
                mark(addr, marked);
                page[1] = space.executableFrame(addr);
                page[0] = p;
            }
            return RAW.get(ValueLayout.JAVA_BYTE, page[1] + (addr & PAGE_MASK)) & 0xff;
        };
        List<Insn> insns = new ArrayList<>();
        long at = pc;
        int fallThroughs = 0;
        while (true) {
            Insn insn;
            try {
                insn = decoder.decode(markingFetch, at);
            } catch (dev.linux4j.memory.GuestFault f) {
                if (insns.isEmpty()) {
                    throw f;
                }
                break; // the fault happens when execution gets there
            }
            insns.add(insn);
            at = insn.next;
            if (insns.size() >= MAX_BLOCK) {
                break;
            }
            if (endsBlock(insn) && !(insn.isJcc() && ++fallThroughs <= MAX_FALL_THROUGHS
                    && at >>> PAGE_SHIFT == pc >>> PAGE_SHIFT)) {
                break;
            }
        }
        return insns;
    }

    /** Turns on the JIT: blocks executed {@code threshold} times are translated. */
    public void setCompiler(BlockCompiler compiler, int threshold) {
        this.compiler = compiler;
        this.baseThreshold = Math.max(threshold, 1);
        this.compileThreshold = compiler == null ? Integer.MAX_VALUE : baseThreshold;
    }

    /**
     * The threshold grows with the regions already translated: base x (1 + regions / 32).
     * HotSpot compiles every region again (C1 with profiling, then C2), which costs more than
     * the region saves unless it runs very often; a program whose hot code is a few loops
     * translates a few dozen regions at about the base threshold, while one whose time is spread
     * over thousands of blocks (cc1, a shell, python3's eval loop) soon needs many more runs per
     * block. Measured: cc1 went from 1.4x slower than the interpreter alone to slightly faster,
     * python3 10% faster, the loop benchmarks unchanged.
     */
    private static final int THRESHOLD_DOUBLING = Integer.getInteger("linux4j.jit.doubling", 32);
    private int baseThreshold = 1;
    /** Regions translated so far (racy between the threads that translate: it only steers the threshold). */
    private int translated;

    /**
     * Whether blocks run in the interpreter before they are translated, so that the counts of a
     * region's blocks tell its hot paths from its cold ones; not with --jit=always.
     */
    public boolean profiles() {
        return baseThreshold > 1;
    }

    int compileThreshold() {
        return compileThreshold;
    }

    /**
     * Whether hot blocks are translated by the {@link Translator}'s thread (the default) rather
     * than by the guest thread that found them hot, which waits for it. A threshold of 1
     * (--jit=always, the JIT's tests) translates every block before it first runs, in the guest
     * thread.
     */
    private static final boolean IN_BACKGROUND = !Boolean.getBoolean("linux4j.jit.synchronous");

    /**
     * Translates a hot block (once); a block that cannot be translated stays interpreted. Null
     * while its translation is being made in the background.
     */
    CompiledBlock compile(Block block) {
        BlockCompiler c = compiler;
        if (c == null) {
            return null;
        }
        if (baseThreshold > 1 && IN_BACKGROUND) {
            block.executions = Integer.MIN_VALUE; // queued: counted no more
            if (!Translator.submit(() -> translateQueued(c, block))) {
                block.executions = 1; // the queue is full: offered again when hot again (1: it has run)
            }
            return null;
        }
        return install(block, translate(c, block));
    }

    /**
     * A queued translation. The blocks of a loop become hot together, and while the first one's
     * region is translated the others are queued too; a region translated meanwhile that took
     * this block in runs it now, so the block goes back to counting (measured: python3's loop
     * made 182 translations instead of 84, strsort 125 instead of 67, and ran 5-15% slower).
     */
    private void translateQueued(BlockCompiler c, Block block) {
        if (block.covered) {
            block.covered = false;
            block.executions = 1; // translated next time if still hot; 1, as it has run (Block.hasRun)
            return;
        }
        install(block, translate(c, block));
    }

    private CompiledBlock translate(BlockCompiler c, Block block) {
        try {
            return c.compile(block, this);
        } catch (RuntimeException | LinkageError e) {
            return null; // a translator bug must not take the program down: it stays interpreted
        }
    }

    private CompiledBlock install(Block block, CompiledBlock compiled) {
        if (compiled == null) {
            block.executions = Integer.MIN_VALUE; // never try again
        } else if (baseThreshold > 1) {
            long grown = baseThreshold + (long) baseThreshold * ++translated / THRESHOLD_DOUBLING;
            compileThreshold = (int) Math.min(Integer.MAX_VALUE / 2, grown);
        }
        block.compiled = compiled;
        return compiled;
    }

    private static boolean endsBlock(Insn insn) {
        return insn.endsBlock;
    }

    @Override
    public synchronized void codeChanged(long pageAddress) {
        Page info = page(pageAddress >>> PAGE_SHIFT);
        info.changes++;
        info.validated = null;
        List<Block> doomed = info.blocks;
        if (doomed == null) {
            return;
        }
        info.blocks = null;
        for (Block b : doomed) {
            invalidate(b);
            if (b.dependents != null) {
                b.dependents.forEach(this::invalidate);
                b.dependents = null;
            }
        }
    }

    /** Caller holds the lock. */
    private void invalidate(Block b) {
        b.valid = false;
        b.successor = null; // a dead block keeps no other alive
        b.otherSuccessor = null;
        blocks.remove(b.start, b);
        CompiledBlock c = b.compiled;
        if (c != null) {
            c.invalidated();
        }
    }

    /**
     * Ties a translated region's entry block to the other blocks the region contains: when one of
     * them is invalidated, so is the entry, and the region is never entered again. (Inside the
     * region a member is checked only after this thread's own stores to code; a change made
     * before the region is entered must stop it at the entry.) If a member is invalid already,
     * the entry is invalidated now and false returned: the translation must not be used.
     */
    public synchronized boolean tie(Block entry, List<Block> members) {
        for (Block b : members) {
            if (!b.valid) {
                invalidate(entry);
                return false;
            }
        }
        for (Block b : members) {
            if (b != entry) {
                b.covered = true;
                if (b.dependents == null) {
                    b.dependents = new ArrayList<>(2);
                }
                b.dependents.add(entry);
            }
        }
        return entry.valid;
    }

    /** Drops every block (execve replaced the image). */
    public synchronized void clear() {
        epoch++;
        blocks.forEachValue(b -> {
            b.valid = false;
            b.successor = null;
            b.otherSuccessor = null;
            CompiledBlock c = b.compiled;
            if (c != null) {
                c.invalidated();
            }
        });
        blocks.clear();
        pages.clear(); // a decode holding an old record sees the epoch change
    }
}
