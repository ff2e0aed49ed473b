package dev.linux4j.cpu;

/**
 * The semantics of one decoded instruction form. Implementations live in the family classes
 * (one per instruction family) and call that family's static semantic methods, which the JIT
 * calls too.
 */
@FunctionalInterface
public interface Exec {
    void exec(Cpu cpu, Insn insn);
}
