package dev.linux4j.cpu;

/** Instruction family: MOV, MOVZX, MOVSX, MOVSXD, LEA, XCHG, CMOVcc, SETcc, BSWAP, CBW family, PUSH, POP, flags moves, CMPXCHG, XADD, MOVBE, ENTER, LEAVE (SDM Vol. 2). */
final class DataMovement {
    private DataMovement() {}

    static void register(OpcodeTable t) {
    }
}
