package dev.linux4j.cpu;

/**
 * A block translated to JVM bytecode (DESIGN.md decision 4). {@link #run} has exactly the
 * effect of interpreting the block: it sets RIP to each instruction's successor before running
 * it, so a fault thrown from inside leaves RIP identifying the faulting instruction.
 */
public interface CompiledBlock {
    void run(Cpu cpu);

    /**
     * For a translation covering several blocks: the instruction among them whose successor
     * address is {@code next} (the one that was executing when {@code run} threw), else null.
     */
    default Insn executingAt(long next) {
        return null;
    }

    /** Called when the block it runs is invalidated (its code changed or was unmapped). */
    default void invalidated() {}
}
