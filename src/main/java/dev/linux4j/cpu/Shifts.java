package dev.linux4j.cpu;

/** Instruction family: SHL, SHR, SAR, ROL, ROR, RCL, RCR, SHLD, SHRD, BT, BTS, BTR, BTC, BSF, BSR (SDM Vol. 2). */
final class Shifts {
    private Shifts() {}

    static void register(OpcodeTable t) {
    }
}
