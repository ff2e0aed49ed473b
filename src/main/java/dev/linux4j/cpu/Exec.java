package dev.linux4j.cpu;

/**
 * The semantics of one decoded instruction form. Implementations live in the family classes
 * (one per instruction family) and call that family's static semantic methods, which the JIT
 * calls too.
 *
 * <p>An abstract class rather than a functional interface, so the families write anonymous classes
 * where lambdas would be shorter: the interpreter's one call site sees hundreds of forms, and
 * HotSpot dispatches such a megamorphic call through a vtable stub (a load and a jump) for a class
 * but through an itable stub (a search of the receiver's interfaces) for an interface. On cc1
 * (gcc -O2 -c, --jit=off) the itable stubs took 20% of the time and the vtable stubs take 11%;
 * gcc -O2 of bench/gen-c's 2,000 lines became 2-10% faster. An anonymous class that misspells
 * the signature stays abstract and does not compile, as {@code @Override} would catch.
 */
public abstract class Exec {
    public abstract void exec(Cpu cpu, Insn insn);
}
