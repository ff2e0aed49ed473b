package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

import dev.linux4j.abi.Mman;
import dev.linux4j.memory.GuestFault;
import java.util.Arrays;

/**
 * Decodes one x86-64 instruction (Intel SDM Vol. 2, chapter 2: prefixes, REX, opcode, ModRM,
 * SIB, displacement, immediate) into an immutable {@link Insn}. An undecodable or unimplemented
 * opcode decodes to an instruction that raises #UD when executed, so the fault is precise.
 */
public final class Decoder {
    /** Architectural limit on instruction length (SDM Vol. 2, 2.3.11). */
    private static final int MAX_LENGTH = 15;

    private final OpcodeTable table;
    /** Whether instructions get {@link FastForms}' specialised semantics where they have one. */
    private final boolean specialize;

    public Decoder(OpcodeTable table) {
        this(table, true);
    }

    /** A decoder that gives every instruction its opcode's general semantics (for tests). */
    Decoder(OpcodeTable table, boolean specialize) {
        this.table = table;
        this.specialize = specialize;
    }

    /** Reads instruction bytes with execute permission. */
    public interface Fetch {
        /** The byte at {@code addr} (0-255); throws {@link GuestFault} if not executable. */
        int fetch(long addr);
    }

    private static final class Cursor {
        final Fetch fetch;
        final long start;
        int pos;

        Cursor(Fetch fetch, long start) {
            this.fetch = fetch;
            this.start = start;
        }

        int u8() {
            if (pos >= MAX_LENGTH) {
                throw TOO_LONG;
            }
            return fetch.fetch(start + pos++);
        }

        long s8() {
            return (byte) u8();
        }

        long u16() {
            return u8() | (u8() << 8);
        }

        long s32() {
            int v = u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);
            return v;
        }

        long u64() {
            long lo = s32() & 0xffffffffL;
            long hi = s32() & 0xffffffffL;
            return lo | (hi << 32);
        }
    }

    private static final RuntimeException TOO_LONG = new RuntimeException("instruction too long", null, false, false) {};

    /**
     * The semantics of an instruction the decoder could not decode: it raises {@code trap}. It
     * keeps the bytes the decoder saw, possibly more or fewer than the instruction's length, for
     * the report (the bytes of every decoded instruction are in guest memory at its address).
     */
    static final class Undecoded extends Exec {
        final CpuTrap trap;
        final byte[] bytes;

        Undecoded(CpuTrap trap, byte[] bytes) {
            this.trap = trap;
            this.bytes = bytes;
        }

        @Override
        public void exec(Cpu cpu, Insn insn) {
            throw trap;
        }
    }

    /**
     * Decodes the instruction at {@code addr}.
     *
     * @throws GuestFault if its first byte cannot be fetched (a later byte that cannot be fetched
     *     faults at that byte)
     */
    public Insn decode(Fetch fetch, long addr) {
        Cursor c = new Cursor(fetch, addr);
        try {
            return decode(c, addr);
        } catch (RuntimeException e) {
            if (e == TOO_LONG) {
                return invalid(c, addr, CpuTrap.GENERAL_PROTECTION, "(too long)");
            }
            throw e;
        }
    }

    private Insn decode(Cursor c, long addr) {
        int prefixes = 0;
        int seg = Insn.SEG_NONE;
        int lastRepPrefix = 0; // 0xF2 or 0xF3, whichever came last
        boolean has66 = false;
        int rex = 0;
        int b;
        while (true) {
            b = c.u8();
            if (b >= 0x40 && b <= 0x4f) {
                rex = b;
                continue;
            }
            switch (b) {
                case 0xf0 -> prefixes |= Insn.P_LOCK;
                case 0xf2, 0xf3 -> lastRepPrefix = b;
                case 0x66 -> has66 = true;
                case 0x67 -> prefixes |= Insn.P_ADDRSIZE;
                case 0x64 -> seg = Insn.SEG_FS;
                case 0x65 -> seg = Insn.SEG_GS;
                case 0x26, 0x2e, 0x36, 0x3e -> {
                    // ES/CS/SS/DS overrides: no effect in 64-bit mode (branch hints on Jcc).
                }
                default -> {
                    // the opcode
                }
            }
            if (!isLegacyPrefix(b)) {
                break;
            }
            rex = 0; // REX counts only immediately before the opcode (SDM Vol. 2, 2.2.1)
        }
        if (rex != 0) {
            prefixes |= Insn.P_REX;
            if ((rex & 8) != 0) {
                prefixes |= Insn.P_REX_W;
            }
        }
        if (seg == Insn.SEG_FS) {
            prefixes |= Insn.P_FS;
        } else if (seg == Insn.SEG_GS) {
            prefixes |= Insn.P_GS;
        }

        int map = MAP_1B;
        int opcode = b;
        if (b == 0x0f) {
            opcode = c.u8();
            map = MAP_0F;
            if (opcode == 0x38) {
                map = MAP_0F38;
                opcode = c.u8();
            } else if (opcode == 0x3a) {
                map = MAP_0F3A;
                opcode = c.u8();
            }
        } else if (b == 0xc4 || b == 0xc5 || b == 0x62) {
            // VEX/EVEX: AVX is not implemented and CPUID does not advertise it.
            return invalid(c, addr, CpuTrap.UNIMPLEMENTED, "(vex)");
        }

        // Mandatory prefix selection for the two-byte and longer maps.
        Entry entry = null;
        if (map != MAP_1B) {
            if (lastRepPrefix == 0xf2) {
                entry = table.lookup(map, opcode, PFX_F2);
                if (entry != null) {
                    lastRepPrefix = 0;
                    prefixes |= Insn.P_MANDATORY_F2;
                }
            } else if (lastRepPrefix == 0xf3) {
                entry = table.lookup(map, opcode, PFX_F3);
                if (entry != null) {
                    lastRepPrefix = 0;
                    prefixes |= Insn.P_MANDATORY_F3;
                }
            }
            if (entry == null && has66) {
                entry = table.lookup(map, opcode, PFX_66);
                if (entry != null) {
                    has66 = false;
                    prefixes |= Insn.P_MANDATORY_66;
                }
            }
        }
        if (entry == null) {
            entry = table.lookup(map, opcode, PFX_NONE);
        }
        if (has66) {
            prefixes |= Insn.P_OPSIZE;
        }
        if (lastRepPrefix == 0xf3) {
            prefixes |= Insn.P_REP;
        } else if (lastRepPrefix == 0xf2) {
            prefixes |= Insn.P_REPNE;
        }
        if (entry == null) {
            return invalid(c, addr, CpuTrap.UNIMPLEMENTED, "(unknown)");
        }

        int modrm = -1;
        int mod = 0;
        if ((entry.form & MODRM) != 0) {
            modrm = c.u8();
            mod = modrm >> 6;
            if (entry.group != null) {
                Entry member = entry.group[(mod == 3 ? 8 : 0) + ((modrm >> 3) & 7)];
                if (member == null) {
                    return invalid(c, addr, CpuTrap.UNIMPLEMENTED, "(group)");
                }
                entry = member;
            }
        }
        int form = entry.form;

        int opsize = switch (form & SIZE_MASK) {
            case SIZE_BYTE -> 1;
            case SIZE_D64 -> has66 ? 2 : 8;
            case SIZE_F64 -> 8;
            case SIZE_W -> 2;
            case SIZE_D -> 4;
            case SIZE_Q -> 8;
            default -> (rex & 8) != 0 ? 8 : has66 ? 2 : 4;
        };

        int reg = -1;
        int rm = -1;
        int base = -1;
        int index = -1;
        int scale = 0;
        long disp = 0;
        boolean ripRelative = false;
        if (modrm >= 0) {
            reg = ((modrm >> 3) & 7) | ((rex & 4) << 1);
            int rmField = modrm & 7;
            if (mod == 3) {
                if ((form & MEM_ONLY) != 0) {
                    return invalid(c, addr, CpuTrap.INVALID_OPCODE, entry.mnemonic);
                }
                rm = rmField | ((rex & 1) << 3);
            } else {
                if ((form & REG_ONLY) != 0) {
                    return invalid(c, addr, CpuTrap.INVALID_OPCODE, entry.mnemonic);
                }
                if (rmField == 4) {
                    int sib = c.u8();
                    scale = sib >> 6;
                    int idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
                    index = idx == 4 ? -1 : idx;
                    int bs = sib & 7;
                    if (bs == 5 && mod == 0) {
                        base = -1;
                        disp = c.s32();
                    } else {
                        base = bs | ((rex & 1) << 3);
                    }
                } else if (rmField == 5 && mod == 0) {
                    ripRelative = true;
                    disp = c.s32();
                } else {
                    base = rmField | ((rex & 1) << 3);
                }
                if (mod == 1) {
                    disp = c.s8();
                } else if (mod == 2) {
                    disp = c.s32();
                }
            }
        } else if ((form & OPREG) != 0) {
            reg = (opcode & 7) | ((rex & 1) << 3);
        }

        long imm = 0;
        switch (form & IMM_MASK) {
            case IB -> imm = c.s8();
            case IW -> imm = c.u16();
            case IZ -> imm = opsize == 2 ? (short) c.u16() : c.s32();
            case IV -> imm = opsize == 2 ? c.u16() : opsize == 4 ? c.s32() & 0xffffffffL : c.u64();
            case REL8 -> {
                long d = c.s8();
                imm = addr + c.pos + d;
            }
            case REL32 -> {
                long d = c.s32();
                imm = addr + c.pos + d;
            }
            case IW_IB -> {
                imm = c.u16();
                disp = c.u8(); // ENTER's nesting level: it has no memory operand
            }
            case MOFFS -> imm = (prefixes & Insn.P_ADDRSIZE) != 0 ? c.s32() & 0xffffffffL : c.u64();
            default -> {
            }
        }
        int length = c.pos;
        if (ripRelative) {
            disp = addr + length + disp;
            if ((prefixes & Insn.P_ADDRSIZE) != 0) {
                disp &= 0xffffffffL;
            }
        }
        if ((prefixes & Insn.P_LOCK) != 0 && ((form & LOCKABLE) == 0 || modrm < 0 || mod == 3)) {
            return invalid(c, addr, CpuTrap.INVALID_OPCODE, "lock " + entry.mnemonic);
        }
        int regB = (rex == 0 && reg >= 4 && reg <= 7) ? reg + 12 : reg;
        int rmB = (rex == 0 && rm >= 4 && rm <= 7) ? rm + 12 : rm;
        Exec exec = specialize
                ? FastForms.specialize(entry.exec, (map << 8) | opcode, opsize, prefixes, modrm, rm, base, index, seg)
                : entry.exec;
        return new Insn(addr, length, exec, entry.mnemonic, opsize, prefixes, (map << 8) | opcode, modrm,
                reg, regB, rm, rmB, base, index, scale, disp, seg, imm, (form & ENDS_BLOCK) != 0);
    }

    private static boolean isLegacyPrefix(int b) {
        return switch (b) {
            case 0xf0, 0xf2, 0xf3, 0x66, 0x67, 0x64, 0x65, 0x26, 0x2e, 0x36, 0x3e -> true;
            default -> false;
        };
    }

    /** An instruction that raises #UD (or #GP) when executed, holding the bytes seen so far. */
    private static Insn invalid(Cursor c, long addr, CpuTrap raise, String what) {
        int length = Math.max(c.pos, 1);
        // Keep a few bytes beyond what was decoded so the user's report shows the whole opcode.
        byte[] seen = new byte[Math.max(length, 6)];
        for (int k = 0; k < seen.length; k++) {
            try {
                seen[k] = (byte) c.fetch.fetch(addr + k);
            } catch (GuestFault f) {
                seen = Arrays.copyOf(seen, k);
                break;
            }
        }
        return new Insn(addr, length, new Undecoded(raise, seen), what, 4, 0, -1, -1, -1, -1, -1, -1, -1, -1,
                0, 0, 0, 0, true);
    }

    /** Page size, for callers that split fetches. */
    static final int PAGE = Mman.PAGE_SIZE;
}
