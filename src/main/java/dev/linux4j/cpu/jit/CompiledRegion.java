package dev.linux4j.cpu.jit;

import dev.linux4j.cpu.CompiledBlock;
import dev.linux4j.cpu.Insn;

/**
 * Base class of the hidden classes {@link RegionCompiler} generates: one {@code run(Cpu)} per
 * region of blocks. It maps a successor address back to the instruction that was executing
 * when {@code run} threw, for the instructions of every block of the region.
 */
public abstract class CompiledRegion implements CompiledBlock {
    private Insn[] insns = new Insn[0];

    protected CompiledRegion() {}

    void setInsns(Insn[] insns) {
        this.insns = insns;
    }

    @Override
    public final Insn executingAt(long next) {
        for (Insn i : insns) {
            if (i.next == next) {
                return i;
            }
        }
        return null;
    }
}
