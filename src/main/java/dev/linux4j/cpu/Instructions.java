package dev.linux4j.cpu;

/** The complete opcode table: every instruction family registers its forms here. */
public final class Instructions {
    private static final OpcodeTable TABLE = build();

    private Instructions() {}

    private static OpcodeTable build() {
        OpcodeTable t = new OpcodeTable();
        IntegerAlu.register(t);
        Shifts.register(t);
        DataMovement.register(t);
        ControlFlow.register(t);
        StringOps.register(t);
        Sse.register(t);
        X87Ops.register(t);
        return t;
    }

    /** The shared, fully built table. */
    public static OpcodeTable table() {
        return TABLE;
    }

    /** A decoder over the full table. */
    public static Decoder decoder() {
        return new Decoder(TABLE);
    }
}
