package dev.linux4j.cpu;

/** Instruction family: x87 FPU instructions D8-DF (SDM Vol. 1, chapter 8). */
final class X87Ops {
    private X87Ops() {}

    static void register(OpcodeTable t) {
    }
}
