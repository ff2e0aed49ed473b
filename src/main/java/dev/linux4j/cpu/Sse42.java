package dev.linux4j.cpu;

/** Instruction family: SSE4.2 and POPCNT (SDM Vol. 1, 12.11-12.12): not yet. */
final class Sse42 {
    private Sse42() {}

    static void register(OpcodeTable t) {}
}
