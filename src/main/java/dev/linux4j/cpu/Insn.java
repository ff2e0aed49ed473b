package dev.linux4j.cpu;

/**
 * One decoded instruction: immutable, cached per guest address (DESIGN.md decision 3). Every
 * operand the semantics need is decoded here once, so executing it reads fields only.
 *
 * <p>Registers are numbered as in the encoding: 0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, 5 RBP,
 * 6 RSI, 7 RDI, 8-15 R8-R15. Byte-register fields ({@link #regB}, {@link #rmB}) use 16-19 for
 * AH, CH, DH, BH (encodings 4-7 without a REX prefix).
 */
public final class Insn {
    // Prefix bits.
    public static final int P_LOCK = 1;
    public static final int P_REP = 2;        // F3 (REP / REPE), when not a mandatory prefix
    public static final int P_REPNE = 4;      // F2 (REPNE), when not a mandatory prefix
    public static final int P_OPSIZE = 8;     // 66, when not a mandatory prefix
    public static final int P_ADDRSIZE = 16;  // 67
    public static final int P_REX = 32;
    public static final int P_REX_W = 64;
    public static final int P_FS = 128;
    public static final int P_GS = 256;
    public static final int P_VEX = 512;

    /** Segment override: none, FS or GS (the only segments with a base in 64-bit mode). */
    public static final int SEG_NONE = 0;
    public static final int SEG_FS = 1;
    public static final int SEG_GS = 2;

    /**
     * Mandatory-prefix bits: which of 66, F2 and F3 the decoder consumed to choose a 0F-map form
     * (they select the instruction, so they are not in P_OPSIZE, P_REP or P_REPNE).
     */
    public static final int P_MANDATORY_66 = 1024;
    public static final int P_MANDATORY_F2 = 2048;
    public static final int P_MANDATORY_F3 = 4096;

    // The fields are as narrow as their values allow. Every executed instruction touches its Insn,
    // and a large program's (cc1's) decoded instructions outgrow the CPU caches: a 120-byte Insn
    // with its 24-byte array of raw bytes beside it made the interpreter wait on memory; at 80
    // bytes, one of 64 (its address, ENTER's second immediate and the bytes of an undecodable
    // instruction moved out) made gcc -O2 of 500 lines --jit=off 11.8 -> 11.0 s (medians of 4).
    public final long next;
    /** The memory operand's displacement (for ENTER, which has none: its nesting level). */
    public final long disp;
    public final long imm;
    public final short prefixes;
    /** (map << 8) | last opcode byte; map 0 one-byte, 1 0F, 2 0F38, 3 0F3A; -1 for an undecodable instruction. */
    public final short opcode;
    /** The ModRM byte, or -1. */
    public final short modrm;
    public final byte length;
    /** Operand size in bytes: 1, 2, 4 or 8 (for SSE forms, what the entry's size rule gave). */
    public final byte opsize;
    /** ModRM.reg with REX.R (or the register in the opcode's low bits, with REX.B). */
    public final byte reg;
    public final byte regB;
    /** The register operand when ModRM.mod == 3 (with REX.B), else -1. */
    public final byte rm;
    public final byte rmB;
    /** Memory operand: base register or -1 (RIP-relative has base -1 and the target in disp). */
    public final byte base;
    public final byte index;
    public final byte scale;
    public final byte seg;
    /** Control may leave the straight line after this instruction. */
    public final boolean endsBlock;
    public final Exec exec;
    public final String mnemonic;

    Insn(long addr, int length, Exec exec, String mnemonic, int opsize, int prefixes, int opcode, int modrm,
            int reg, int regB, int rm, int rmB, int base, int index, int scale, long disp, int seg, long imm,
            boolean endsBlock) {
        this.length = (byte) length;
        this.next = addr + length;
        this.exec = exec;
        this.mnemonic = mnemonic;
        this.opsize = (byte) opsize;
        this.prefixes = (short) prefixes;
        this.opcode = (short) opcode;
        this.modrm = (short) modrm;
        this.reg = (byte) reg;
        this.regB = (byte) regB;
        this.rm = (byte) rm;
        this.rmB = (byte) rmB;
        this.base = (byte) base;
        this.index = (byte) index;
        this.scale = (byte) scale;
        this.disp = disp;
        this.seg = (byte) seg;
        this.imm = imm;
        this.endsBlock = endsBlock;
    }

    /** The instruction's address. */
    public long addr() {
        return next - length;
    }

    /**
     * The bytes of an instruction the decoder could not decode (for the report), possibly more
     * or fewer than {@link #length}; null for every decoded instruction, whose bytes are in guest
     * memory at {@link #addr()}.
     */
    public byte[] undecoded() {
        return exec instanceof Decoder.Undecoded u ? u.bytes : null;
    }

    /** Jcc rel8 (70-7F) or rel32 (0F 80-8F): on to {@link #imm} if taken, else to {@link #next}. */
    public boolean isJcc() {
        return opcode >= 0x70 && opcode <= 0x7f || opcode >= 0x180 && opcode <= 0x18f;
    }

    public boolean hasPrefix(int p) {
        return (prefixes & p) != 0;
    }

    /** True when the ModRM operand is a register. */
    public boolean rmIsReg() {
        return rm >= 0;
    }

    /** ModRM.reg without REX.R: the /digit of a group opcode. */
    public int digit() {
        return (modrm >> 3) & 7;
    }

    /** Operand size in bits. */
    public int bits() {
        return opsize * 8;
    }

    @Override
    public String toString() {
        return String.format("%x: %s (%d bytes)", addr(), mnemonic, (int) length);
    }
}
