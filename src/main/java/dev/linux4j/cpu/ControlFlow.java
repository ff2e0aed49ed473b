package dev.linux4j.cpu;

/** Instruction family: JMP, Jcc, CALL, RET, LOOP, JRCXZ, SYSCALL, INT3, HLT, UD2, NOP forms, ENDBR64, CPUID, RDTSC, PAUSE (SDM Vol. 2). */
final class ControlFlow {
    private ControlFlow() {}

    static void register(OpcodeTable t) {
    }
}
