package dev.linux4j.cpu;

/** Instruction family: MOVS, STOS, LODS, SCAS, CMPS with REP, REPE, REPNE (SDM Vol. 2). */
final class StringOps {
    private StringOps() {}

    static void register(OpcodeTable t) {
    }
}
