package dev.linux4j.cpu;

/** Instruction family: ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST, INC, DEC, NEG, NOT, MUL, IMUL, DIV, IDIV (SDM Vol. 2). */
final class IntegerAlu {
    private IntegerAlu() {}

    static void register(OpcodeTable t) {
    }
}
