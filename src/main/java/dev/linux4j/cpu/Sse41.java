package dev.linux4j.cpu;

/** Instruction family: SSE4.1 (SDM Vol. 1, 12.8-12.10): not yet. */
final class Sse41 {
    private Sse41() {}

    static void register(OpcodeTable t) {}
}
