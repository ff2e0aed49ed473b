package dev.linux4j.cpu;

/**
 * The opcode maps of x86-64 (Intel SDM Vol. 2, Appendix A): one-byte, 0F, 0F38 and 0F3A, each
 * indexed by opcode and mandatory prefix (none, 66, F3, F2). Instruction families register
 * their forms here; the {@link Decoder} reads it. Registering one slot twice is a programming
 * error and fails at start-up.
 */
public final class OpcodeTable {
    public static final int MAP_1B = 0;
    public static final int MAP_0F = 1;
    public static final int MAP_0F38 = 2;
    public static final int MAP_0F3A = 3;

    /** Mandatory-prefix column. */
    public static final int PFX_NONE = 0;
    public static final int PFX_66 = 1;
    public static final int PFX_F3 = 2;
    public static final int PFX_F2 = 3;

    // ---- form bits: immediate kind (bits 0-3)
    public static final int IMM_NONE = 0;
    /** 8-bit immediate, sign-extended into {@link Insn#imm} (mask with 0xff where unsigned). */
    public static final int IB = 1;
    /** 16-bit immediate, zero-extended. */
    public static final int IW = 2;
    /** 16-bit with 66, else 32-bit; sign-extended to 64. */
    public static final int IZ = 3;
    /** 16, 32 or 64-bit by operand size (MOV r, imm). */
    public static final int IV = 4;
    /** 8-bit relative branch: imm holds the target address. */
    public static final int REL8 = 5;
    /** 32-bit relative branch: imm holds the target address. */
    public static final int REL32 = 6;
    /** ENTER: imm16 then imm8 (in disp). */
    public static final int IW_IB = 7;
    /** 64-bit memory offset (MOV AL/AX/EAX/RAX, moffs). */
    public static final int MOFFS = 8;
    static final int IMM_MASK = 0xf;

    // ---- operand size rule (bits 4-7)
    /** 66 gives 16, REX.W gives 64, else 32. */
    public static final int SIZE_V = 0;
    public static final int SIZE_BYTE = 1 << 4;
    /** Default 64-bit (PUSH, POP, ...): 66 gives 16, else 64. */
    public static final int SIZE_D64 = 2 << 4;
    /** Always 64-bit (near branches). */
    public static final int SIZE_F64 = 3 << 4;
    public static final int SIZE_W = 4 << 4;
    public static final int SIZE_D = 5 << 4;
    public static final int SIZE_Q = 6 << 4;
    static final int SIZE_MASK = 0xf << 4;

    // ---- other form bits
    public static final int MODRM = 1 << 8;
    /** Register in the opcode's low 3 bits (with REX.B): 50+r, B8+r, ... */
    public static final int OPREG = 1 << 9;
    /** Control may leave the straight line: the instruction ends a decoded block. */
    public static final int ENDS_BLOCK = 1 << 10;
    /** ModRM must name memory (mod != 3), else #UD. */
    public static final int MEM_ONLY = 1 << 11;
    /** ModRM must name a register (mod == 3), else #UD. */
    public static final int REG_ONLY = 1 << 12;
    /** LOCK is allowed (with a memory destination); on any other instruction LOCK is #UD. */
    public static final int LOCKABLE = 1 << 13;

    /** One slot: an instruction form, or a group selected by ModRM.reg (and mod == 3). */
    public static final class Entry {
        final String mnemonic;
        final int form;
        final Exec exec;
        /** For groups: [reg] for memory forms, [8 + reg] for register forms. */
        final Entry[] group;

        Entry(String mnemonic, int form, Exec exec) {
            this.mnemonic = mnemonic;
            this.form = form;
            this.exec = exec;
            this.group = null;
        }

        Entry() {
            this.mnemonic = null;
            this.form = MODRM;
            this.exec = null;
            this.group = new Entry[16];
        }
    }

    private final Entry[] slots = new Entry[4 * 256 * 4];

    private static int slot(int map, int opcode, int prefix) {
        return (map * 256 + opcode) * 4 + prefix;
    }

    Entry lookup(int map, int opcode, int prefix) {
        return slots[slot(map, opcode, prefix)];
    }

    /** Registers a plain form. */
    public void add(int map, int opcode, int prefix, String mnemonic, int form, Exec exec) {
        int s = slot(map, opcode, prefix);
        if (slots[s] != null) {
            throw new IllegalStateException(String.format("opcode map %d %02x prefix %d registered twice (%s, %s)",
                    map, opcode, prefix, slots[s].mnemonic, mnemonic));
        }
        slots[s] = new Entry(mnemonic, form, exec);
    }

    /** Registers a one-byte-map form with no mandatory prefix. */
    public void add(int opcode, String mnemonic, int form, Exec exec) {
        add(MAP_1B, opcode, PFX_NONE, mnemonic, form, exec);
    }

    /** Registers {@code opcode + r} for r = 0..7 (the register comes from the opcode). */
    public void addOpReg(int map, int opcode, String mnemonic, int form, Exec exec) {
        for (int r = 0; r < 8; r++) {
            add(map, opcode + r, PFX_NONE, mnemonic, form | OPREG, exec);
        }
    }

    /** Registers a group member /digit for both memory and register ModRM forms. */
    public void addGroup(int map, int opcode, int prefix, int digit, String mnemonic, int form, Exec exec) {
        addGroupMem(map, opcode, prefix, digit, mnemonic, form, exec);
        addGroupReg(map, opcode, prefix, digit, mnemonic, form, exec);
    }

    /** Registers a group member /digit for memory ModRM forms only. */
    public void addGroupMem(int map, int opcode, int prefix, int digit, String mnemonic, int form, Exec exec) {
        putGroup(map, opcode, prefix, digit, mnemonic, form, exec);
    }

    /** Registers a group member /digit for register ModRM forms (mod == 3) only. */
    public void addGroupReg(int map, int opcode, int prefix, int digit, String mnemonic, int form, Exec exec) {
        putGroup(map, opcode, prefix, 8 + digit, mnemonic, form, exec);
    }

    private void putGroup(int map, int opcode, int prefix, int index, String mnemonic, int form, Exec exec) {
        int s = slot(map, opcode, prefix);
        Entry g = slots[s];
        if (g == null) {
            g = slots[s] = new Entry();
        } else if (g.group == null) {
            throw new IllegalStateException(String.format("opcode map %d %02x is not a group", map, opcode));
        }
        if (g.group[index] != null) {
            throw new IllegalStateException(String.format("group map %d %02x /%d registered twice (%s, %s)",
                    map, opcode, index & 7, g.group[index].mnemonic, mnemonic));
        }
        g.group[index] = new Entry(mnemonic, form | MODRM, exec);
    }
}
