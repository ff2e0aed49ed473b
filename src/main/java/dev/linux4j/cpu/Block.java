package dev.linux4j.cpu;

/**
 * A straight run of decoded instructions ending at the first one that may transfer control (the
 * block proper, what {@link #size()} and {@link #insn(int)} show the JIT), followed for the
 * interpreter by the code a conditional branch in it falls through to (see
 * {@link CodeCache}'s decoding). Invalidated (never mutated) when a page it was decoded from is
 * written or unmapped.
 */
public final class Block {
    final long start;
    /**
     * What the interpreter runs from {@link #start}: the block proper, then, when it ends in a
     * conditional branch, the instructions that follow it in memory, up to the next branch. The
     * interpreter leaves the run where an instruction leaves RIP anywhere but at its successor.
     * Falling through is what 43% of cc1's interpreted blocks did (gcc -O2 -c, --jit=off), and
     * every block reached through the dispatcher costs it a jump-cache slot, the block and its
     * first instruction, loads that mostly miss the host's caches.
     */
    final Insn[] insns;
    /**
     * The first instruction and the count of {@link #insns}, beside {@link #start}: the
     * interpreter reads them from the block's own cache line, so loading the first instruction
     * need not wait for the array (perf on cc1, --jit=off: a block, its array and its first
     * instruction were three misses in a row, the array's a ninth of the interpreter loop's time).
     */
    final Insn first;
    final int runLength;
    /** Instructions of the block proper: up to the first that may transfer control, included. */
    private final int length;
    volatile boolean valid = true;
    /**
     * The block the dispatcher ran after this one last time, tried before the jump cache: its
     * slot is a load that mostly misses the host's caches on a large program, this block's line
     * was just read. gcc -O2 of 500 lines, medians of 7 interleaved: 14.0 -> 12.2 s --jit=off,
     * 13.4 -> 12.6 s with the JIT. Written only when it changes; cleared when this block dies,
     * so a dead block keeps no other alive. Racy by design: a stale link fails its checks.
     */
    Block successor;
    /**
     * The successor before {@link #successor}, tried next: a conditional branch that goes both
     * ways in turn (a loop's exit test, an if in a loop) finds both of its blocks here rather
     * than in the jump cache. Same rules as {@link #successor}.
     */
    Block otherSuccessor;
    /**
     * Interpretations counted towards the JIT's threshold, each {@link #weight}; below zero while
     * queued for translation or after it failed (counted no more). Racy by design (a lost update
     * only delays compilation).
     */
    int executions;
    /**
     * What one interpretation adds to {@link #executions}: 1, plus 1 for every 8 instructions.
     * A region costs HotSpot about the same to compile whatever its length, while what it saves
     * grows with the instructions it runs: at a threshold of 20,000, sha256sum's 64-instruction
     * blocks (its compression function) ran 20,000 times in the interpreter before translation
     * unweighted (3.3 s for 64 MiB) and 2,223 times weighted (2.5 s). Counting instructions alone
     * (weight = length) translated python3's start-up code too early: its loop benchmark took
     * 3.5-3.8 s instead of 3.2-3.4.
     */
    final int weight;
    /**
     * When {@link #executions} last started again from half the threshold (System.nanoTime), 0
     * before: a block of a thread that mostly waits must reach the threshold quickly to be
     * translated (see {@link Cpu#mayTranslate}). Racy as the count.
     */
    long countedSince;
    /** Times the block reached the threshold too slowly to be translated. */
    int slowRounds;
    /** The JIT's translation once the block is hot, else null. */
    volatile CompiledBlock compiled;
    /**
     * Entries of translated regions that contain this block: they die with it (see
     * {@link CodeCache#tie}). Guarded by the code cache.
     */
    java.util.List<Block> dependents;
    /**
     * Set when a translated region took this block in (not as its entry): execution that reaches
     * the region's entry runs this block inside it, so a translation of its own queued meanwhile
     * is not made (see {@link CodeCache#compile}).
     */
    volatile boolean covered;

    Block(long start, Insn[] insns) {
        this.start = start;
        this.insns = insns;
        this.first = insns[0];
        this.runLength = insns.length;
        int proper = 0;
        while (proper < insns.length && !insns[proper++].endsBlock) {
            // up to and including the first instruction that may transfer control
        }
        this.length = proper;
        this.weight = 1 + proper / 8;
    }

    /** Whether this is the live block for {@code pc}: the dispatcher's test of a remembered one. */
    public boolean runsAt(long pc) {
        return start == pc && valid;
    }

    /**
     * Whether the interpreter has counted a run of this block (or queued it for translation)
     * since it was decoded or last went back to counting: a block that never ran when its
     * neighbours became hot is, most likely, a cold path.
     */
    public boolean hasRun() {
        return executions != 0;
    }

    /** Its translation, once the JIT has installed one. */
    public CompiledBlock compiled() {
        return compiled;
    }

    /** False once a write to or unmapping of its code invalidated it. */
    public boolean isValid() {
        return valid;
    }

    public long start() {
        return start;
    }

    /** The block proper's instructions. */
    public Insn[] insns() {
        return java.util.Arrays.copyOf(insns, length);
    }

    /**
     * Whether the interpreter's run of this block goes on past the block proper, through the
     * conditional branches it falls through (see {@link #insns}): the blocks that follow it are
     * counted as part of it.
     */
    public boolean runsOn() {
        return insns.length > length;
    }

    /** Number of instructions of the block proper. */
    public int size() {
        return length;
    }

    /** Instruction {@code k} of the block proper (no copy: Insn is immutable). */
    public Insn insn(int k) {
        return insns[java.util.Objects.checkIndex(k, length)];
    }

    /** Counts one interpretation: true when the count reached {@code threshold}. */
    boolean counted(int threshold) {
        int before = executions;
        return before >= 0 && (executions = before + weight) >= threshold;
    }

    /** The instruction whose successor address is {@code next}: the one that was executing. */
    Insn executingAt(long next) {
        CompiledBlock c = compiled;
        Insn inRegion = c == null ? null : c.executingAt(next);
        if (inRegion != null) {
            return inRegion;
        }
        for (Insn i : insns) {
            if (i.next == next) {
                return i;
            }
        }
        return insns[0];
    }
}
