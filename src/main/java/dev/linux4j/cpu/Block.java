package dev.linux4j.cpu;

/**
 * A straight run of decoded instructions ending at the first one that may transfer control.
 * Invalidated (never mutated) when a page it was decoded from is written or unmapped.
 */
public final class Block {
    final long start;
    final Insn[] insns;
    volatile boolean valid = true;

    Block(long start, Insn[] insns) {
        this.start = start;
        this.insns = insns;
    }

    public long start() {
        return start;
    }

    public Insn[] insns() {
        return insns.clone();
    }
}
