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

    public final long addr;
    public final int length;
    public final long next;
    public final Exec exec;
    public final String mnemonic;
    /** Operand size in bytes: 1, 2, 4 or 8 (for SSE forms, what the entry's size rule gave). */
    public final int opsize;
    public final int prefixes;
    /** (map << 8) | last opcode byte; map 0 one-byte, 1 0F, 2 0F38, 3 0F3A. */
    public final int opcode;
    /** The ModRM byte, or -1. */
    public final int modrm;
    /** ModRM.reg with REX.R (or the register in the opcode's low bits, with REX.B). */
    public final int reg;
    public final int regB;
    /** The register operand when ModRM.mod == 3 (with REX.B), else -1. */
    public final int rm;
    public final int rmB;
    /** Memory operand: base register or -1 (RIP-relative has base -1 and the target in disp). */
    public final int base;
    public final int index;
    public final int scale;
    public final long disp;
    public final int seg;
    public final long imm;
    /** Second immediate (ENTER's level, far forms). */
    public final long imm2;
    /** The raw bytes, for diagnostics. */
    public final byte[] bytes;
    /** Control may leave the straight line after this instruction. */
    public final boolean endsBlock;

    Insn(long addr, int length, Exec exec, String mnemonic, int opsize, int prefixes, int opcode, int modrm,
            int reg, int regB, int rm, int rmB, int base, int index, int scale, long disp, int seg, long imm,
            long imm2, byte[] bytes, boolean endsBlock) {
        this.addr = addr;
        this.length = length;
        this.next = addr + length;
        this.exec = exec;
        this.mnemonic = mnemonic;
        this.opsize = opsize;
        this.prefixes = prefixes;
        this.opcode = opcode;
        this.modrm = modrm;
        this.reg = reg;
        this.regB = regB;
        this.rm = rm;
        this.rmB = rmB;
        this.base = base;
        this.index = index;
        this.scale = scale;
        this.disp = disp;
        this.seg = seg;
        this.imm = imm;
        this.imm2 = imm2;
        this.bytes = bytes;
        this.endsBlock = endsBlock;
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
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return String.format("%x: %s [%s]", addr, mnemonic, hex);
    }
}
