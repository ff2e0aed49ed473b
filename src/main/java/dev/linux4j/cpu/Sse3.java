package dev.linux4j.cpu;

/** Instruction family: SSE3 and SSSE3 (SDM Vol. 1, 12.2-12.7): not yet. */
final class Sse3 {
    private Sse3() {}

    static void register(OpcodeTable t) {}
}
