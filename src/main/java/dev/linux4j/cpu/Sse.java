package dev.linux4j.cpu;

/** Instruction family: SSE and SSE2 (SDM Vol. 1, chapters 10 and 11). */
final class Sse {
    private Sse() {}

    static void register(OpcodeTable t) {
    }
}
