package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

import dev.linux4j.memory.Mmu;

/**
 * Instruction family: MOV, MOVZX, MOVSX, MOVSXD, LEA, XCHG, CMOVcc, SETcc, BSWAP, the CBW and
 * CWD families, PUSH, POP, flag moves, CMPXCHG, CMPXCHG8B/16B, XADD, MOVBE, ENTER, LEAVE, XLAT
 * (Intel SDM Vol. 2).
 *
 * <p>Faults are precise: every method reads all its operands (and probes the memory it will
 * write) before it changes a register or memory. Read-modify-writes of memory that the SDM makes
 * atomic (XCHG always, the others under LOCK) go through {@link Mmu#compareAndExchange}.
 */
final class DataMovement {
    private DataMovement() {}

    /** Selector values Linux gives a 64-bit user process (SDM Vol. 3A 3.4.2; arch/x86/include/asm/segment.h). */
    static final int USER_CS = 0x33;
    static final int USER_DS = 0x2b;

    static void register(OpcodeTable t) {
        registerMov(t);
        registerExchange(t);
        registerConditional(t);
        registerStack(t);
        registerFlags(t);
    }

    private static void registerMov(OpcodeTable t) {
        t.add(0x88, "mov", MODRM | SIZE_BYTE,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeE(i, c.readG(i)); } });
        t.add(0x89, "mov", MODRM, new Exec() { public void exec(Cpu c, Insn i) { c.writeE(i, c.readG(i)); } });
        t.add(0x8a, "mov", MODRM | SIZE_BYTE,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeG(i, c.readE(i)); } });
        t.add(0x8b, "mov", MODRM, new Exec() { public void exec(Cpu c, Insn i) { c.writeG(i, c.readE(i)); } });
        t.add(0x8c, "mov", MODRM, new Exec() { public void exec(Cpu c, Insn i) { movEwSw(c, i); } });
        t.add(0x8e, "mov", MODRM | SIZE_W, new Exec() { public void exec(Cpu c, Insn i) { movSwEw(c, i); } });
        t.addOpReg(MAP_1B, 0xb0, "mov", SIZE_BYTE | IB,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeG(i, i.imm); } });
        t.addOpReg(MAP_1B, 0xb8, "mov", IV, new Exec() { public void exec(Cpu c, Insn i) { c.writeG(i, i.imm); } });
        t.addGroup(MAP_1B, 0xc6, PFX_NONE, 0, "mov", SIZE_BYTE | IB,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeE(i, i.imm); } });
        t.addGroup(MAP_1B, 0xc7, PFX_NONE, 0, "mov", IZ,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeE(i, i.imm); } });
        t.add(0xa0, "mov", MOFFS | SIZE_BYTE,
                new Exec() { public void exec(Cpu c, Insn i) { c.setReg(Cpu.RAX, 1, c.mmu.read8(moffs(c, i))); } });
        t.add(0xa1, "mov", MOFFS, new Exec() {
            public void exec(Cpu c, Insn i) { c.setReg(Cpu.RAX, i.opsize, c.mmu.read(moffs(c, i), i.opsize)); }
        });
        t.add(0xa2, "mov", MOFFS | SIZE_BYTE,
                new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write8(moffs(c, i), (int) c.r[Cpu.RAX]); } });
        t.add(0xa3, "mov", MOFFS,
                new Exec() { public void exec(Cpu c, Insn i) { c.mmu.write(moffs(c, i), c.r[Cpu.RAX], i.opsize); } });
        t.add(MAP_0F, 0xb6, PFX_NONE, "movzx", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeG(i, c.readE(i, 1)); } });
        t.add(MAP_0F, 0xb7, PFX_NONE, "movzx", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeG(i, c.readE(i, 2)); } });
        t.add(MAP_0F, 0xbe, PFX_NONE, "movsx", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeG(i, (byte) c.readE(i, 1)); } });
        t.add(MAP_0F, 0xbf, PFX_NONE, "movsx", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeG(i, (short) c.readE(i, 2)); } });
        t.add(0x63, "movsxd", MODRM, new Exec() { public void exec(Cpu c, Insn i) { movsxdGvEd(c, i); } });
        t.add(0x8d, "lea", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { c.writeG(i, leaAddress(c, i)); } });
        t.add(MAP_0F38, 0xf0, PFX_NONE, "movbe", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { movbeGvMv(c, i); } });
        t.add(MAP_0F38, 0xf1, PFX_NONE, "movbe", MODRM | MEM_ONLY,
                new Exec() { public void exec(Cpu c, Insn i) { movbeMvGv(c, i); } });
        t.addOpReg(MAP_0F, 0xc8, "bswap", 0, new Exec() { public void exec(Cpu c, Insn i) { bswap(c, i); } });
        t.add(0x98, "cbw", 0, new Exec() { public void exec(Cpu c, Insn i) { cbw(c, i); } });
        t.add(0x99, "cwd", 0, new Exec() { public void exec(Cpu c, Insn i) { cwd(c, i); } });
        t.add(0xd7, "xlat", SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { xlat(c, i); } });
    }

    private static void registerExchange(OpcodeTable t) {
        t.add(0x86, "xchg", MODRM | SIZE_BYTE | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { xchgEvGv(c, i); } });
        t.add(0x87, "xchg", MODRM | LOCKABLE, new Exec() { public void exec(Cpu c, Insn i) { xchgEvGv(c, i); } });
        t.addOpReg(MAP_1B, 0x90, "xchg", 0, new Exec() { public void exec(Cpu c, Insn i) { xchgRaxReg(c, i); } });
        t.add(MAP_0F, 0xb0, PFX_NONE, "cmpxchg", MODRM | SIZE_BYTE | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { cmpxchgEvGv(c, i); } });
        t.add(MAP_0F, 0xb1, PFX_NONE, "cmpxchg", MODRM | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { cmpxchgEvGv(c, i); } });
        t.add(MAP_0F, 0xc0, PFX_NONE, "xadd", MODRM | SIZE_BYTE | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { xaddEvGv(c, i); } });
        t.add(MAP_0F, 0xc1, PFX_NONE, "xadd", MODRM | LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { xaddEvGv(c, i); } });
        t.addGroupMem(MAP_0F, 0xc7, PFX_NONE, 1, "cmpxchg8b", LOCKABLE,
                new Exec() { public void exec(Cpu c, Insn i) { cmpxchg8b16b(c, i); } });
    }

    private static void registerConditional(OpcodeTable t) {
        for (int cc = 0; cc < 16; cc++) {
            t.add(MAP_0F, 0x40 + cc, PFX_NONE, "cmov", MODRM,
                    new Exec() { public void exec(Cpu c, Insn i) { cmovGvEv(c, i); } });
            t.add(MAP_0F, 0x90 + cc, PFX_NONE, "set", MODRM | SIZE_BYTE,
                    new Exec() { public void exec(Cpu c, Insn i) { setccEb(c, i); } });
        }
    }

    private static void registerStack(OpcodeTable t) {
        t.addOpReg(MAP_1B, 0x50, "push", SIZE_D64,
                new Exec() { public void exec(Cpu c, Insn i) { c.push(c.reg(i.reg, i.opsize), i.opsize); } });
        t.addOpReg(MAP_1B, 0x58, "pop", SIZE_D64,
                new Exec() { public void exec(Cpu c, Insn i) { c.setReg(i.reg, i.opsize, c.pop(i.opsize)); } });
        t.add(0x6a, "push", SIZE_D64 | IB, new Exec() { public void exec(Cpu c, Insn i) { c.push(i.imm, i.opsize); } });
        t.add(0x68, "push", SIZE_D64 | IZ, new Exec() { public void exec(Cpu c, Insn i) { c.push(i.imm, i.opsize); } });
        t.addGroup(MAP_1B, 0xff, PFX_NONE, 6, "push", SIZE_D64,
                new Exec() { public void exec(Cpu c, Insn i) { c.push(c.readE(i), i.opsize); } });
        t.addGroup(MAP_1B, 0x8f, PFX_NONE, 0, "pop", SIZE_D64,
                new Exec() { public void exec(Cpu c, Insn i) { popEv(c, i); } });
        t.add(0x9c, "pushf", SIZE_D64, new Exec() { public void exec(Cpu c, Insn i) { pushf(c, i); } });
        t.add(0x9d, "popf", SIZE_D64, new Exec() { public void exec(Cpu c, Insn i) { popf(c, i); } });
        t.add(0xc8, "enter", SIZE_D64 | IW_IB, new Exec() { public void exec(Cpu c, Insn i) { enter(c, i); } });
        t.add(0xc9, "leave", SIZE_D64, new Exec() { public void exec(Cpu c, Insn i) { leave(c, i); } });
    }

    private static void registerFlags(OpcodeTable t) {
        t.add(0x9e, "sahf", 0, new Exec() { public void exec(Cpu c, Insn i) { sahf(c, i); } });
        t.add(0x9f, "lahf", 0, new Exec() { public void exec(Cpu c, Insn i) { lahf(c, i); } });
        t.add(0xf8, "clc", 0,
                new Exec() { public void exec(Cpu c, Insn i) { c.setStatusFlags(c.statusFlags() & ~Cpu.CF); } });
        t.add(0xf9, "stc", 0,
                new Exec() { public void exec(Cpu c, Insn i) { c.setStatusFlags(c.statusFlags() | Cpu.CF); } });
        t.add(0xf5, "cmc", 0,
                new Exec() { public void exec(Cpu c, Insn i) { c.setStatusFlags(c.statusFlags() ^ Cpu.CF); } });
        t.add(0xfc, "cld", 0, new Exec() { public void exec(Cpu c, Insn i) { c.setDf(false); } });
        t.add(0xfd, "std", 0, new Exec() { public void exec(Cpu c, Insn i) { c.setDf(true); } });
    }

    // ---------------------------------------------------------------- addresses

    /** FS or GS base when the instruction has that override, else 0 (SDM Vol. 1, 3.4.2.1). */
    static long segmentBase(Cpu cpu, Insn i) {
        return switch (i.seg) {
            case Insn.SEG_FS -> cpu.fsBase;
            case Insn.SEG_GS -> cpu.gsBase;
            default -> 0;
        };
    }

    /** MOV AL/rAX, moffs: the offset (already 32-bit under 67) plus the segment base. */
    static long moffs(Cpu cpu, Insn i) {
        return i.imm + segmentBase(cpu, i);
    }

    /**
     * LEA computes the offset only: no segment base, even with an FS/GS override
     * (SDM Vol. 2A, LEA), truncated to the address size; the operand size truncates further.
     */
    static long leaAddress(Cpu cpu, Insn i) {
        long a = i.disp;
        if (i.base >= 0) {
            a += cpu.r[i.base];
        }
        if (i.index >= 0) {
            a += cpu.r[i.index] << i.scale;
        }
        if ((i.prefixes & Insn.P_ADDRSIZE) != 0) {
            a &= 0xffffffffL;
        }
        return a;
    }

    // ---------------------------------------------------------------- MOV forms

    /**
     * MOV Ev, Sreg (SDM Vol. 2B, MOV): Linux 64-bit user mode has CS=0x33, SS=0x2b and null
     * DS, ES, FS, GS. A memory destination is always 16 bits; a register one is zero-extended.
     */
    static void movEwSw(Cpu cpu, Insn i) {
        int sel = switch (i.reg & 7) {
            case 1 -> USER_CS;
            case 2 -> USER_DS;
            case 0, 3, 4, 5 -> 0;
            default -> throw CpuTrap.INVALID_OPCODE;
        };
        if (i.rm >= 0) {
            cpu.setReg(i.rm, i.opsize, sel);
        } else {
            cpu.mmu.write16(cpu.ea(i), sel);
        }
    }

    /**
     * MOV Sreg, Ew (SDM Vol. 2B, MOV): CS is #UD; SS accepts only the user data selector; DS and
     * ES accept null or the user data selector (both flat, so nothing changes). Loading null into
     * FS or GS clears its base, as Intel CPUs do. Anything else would name a descriptor Linux
     * does not give user mode: #GP.
     */
    static void movSwEw(Cpu cpu, Insn i) {
        int seg = i.reg & 7;
        if (seg == 1 || seg > 5) {
            throw CpuTrap.INVALID_OPCODE;
        }
        long sel = cpu.readE(i, 2);
        switch (seg) {
            case 2 -> {
                if (sel != USER_DS) {
                    throw CpuTrap.GENERAL_PROTECTION;
                }
            }
            case 0, 3 -> {
                if (sel != 0 && sel != USER_DS) {
                    throw CpuTrap.GENERAL_PROTECTION;
                }
            }
            default -> {
                if ((sel & ~3L) != 0) {
                    throw CpuTrap.GENERAL_PROTECTION;
                }
                if (seg == 4) {
                    cpu.fsBase = 0;
                } else {
                    cpu.gsBase = 0;
                }
            }
        }
    }

    /** MOVSXD Gv, Ed (SDM Vol. 2B, MOVSX/MOVSXD): sign-extends with REX.W, else a plain move. */
    static void movsxdGvEd(Cpu cpu, Insn i) {
        if (i.opsize == 8) {
            cpu.writeG(i, (int) cpu.readE(i, 4));
        } else {
            cpu.writeG(i, cpu.readE(i));
        }
    }

    /** MOVBE Gv, Mv (SDM Vol. 2B, MOVBE). The F2 form is CRC32 (SSE4.2, not implemented). */
    static void movbeGvMv(Cpu cpu, Insn i) {
        checkMovbePrefixes(i);
        cpu.writeG(i, byteSwap(cpu.readE(i), i.opsize));
    }

    /** MOVBE Mv, Gv (SDM Vol. 2B, MOVBE). */
    static void movbeMvGv(Cpu cpu, Insn i) {
        checkMovbePrefixes(i);
        cpu.writeE(i, byteSwap(cpu.readG(i), i.opsize));
    }

    private static void checkMovbePrefixes(Insn i) {
        if ((i.prefixes & (Insn.P_REP | Insn.P_REPNE)) != 0) {
            throw CpuTrap.INVALID_OPCODE;
        }
    }

    static long byteSwap(long v, int size) {
        return switch (size) {
            case 2 -> Short.reverseBytes((short) v) & 0xffffL;
            case 4 -> Integer.reverseBytes((int) v) & 0xffffffffL;
            default -> Long.reverseBytes(v);
        };
    }

    /**
     * BSWAP r (SDM Vol. 2A, BSWAP). The 16-bit form is undefined; Intel CPUs clear the low word,
     * which is what the oracle (the host CPU) shows.
     */
    static void bswap(Cpu cpu, Insn i) {
        if (i.opsize == 2) {
            cpu.setReg(i.reg, 2, 0);
        } else {
            cpu.setReg(i.reg, i.opsize, byteSwap(cpu.reg(i.reg, i.opsize), i.opsize));
        }
    }

    /** CBW / CWDE / CDQE (SDM Vol. 2A): sign-extends the lower half of rAX into rAX. */
    static void cbw(Cpu cpu, Insn i) {
        int half = i.opsize / 2;
        cpu.setReg(Cpu.RAX, i.opsize, Cpu.signExtend(cpu.r[Cpu.RAX], half));
    }

    /** CWD / CDQ / CQO (SDM Vol. 2A): fills rDX with the sign of rAX. */
    static void cwd(Cpu cpu, Insn i) {
        long sign = Cpu.signExtend(cpu.r[Cpu.RAX], i.opsize) < 0 ? -1L : 0;
        cpu.setReg(Cpu.RDX, i.opsize, sign);
    }

    /** XLAT (SDM Vol. 2B, XLAT/XLATB): AL = [rBX + AL]. */
    static void xlat(Cpu cpu, Insn i) {
        long a = cpu.r[Cpu.RBX] + (cpu.r[Cpu.RAX] & 0xff);
        if ((i.prefixes & Insn.P_ADDRSIZE) != 0) {
            a &= 0xffffffffL;
        }
        cpu.setReg(Cpu.RAX, 1, cpu.mmu.read8(a + segmentBase(cpu, i)));
    }

    // ---------------------------------------------------------------- exchanges

    /** XCHG Ev, Gv (SDM Vol. 2B, XCHG): with memory, always atomic (implicitly locked). */
    static void xchgEvGv(Cpu cpu, Insn i) {
        int size = i.opsize;
        long g = cpu.readG(i);
        if (i.rm >= 0) {
            long e = cpu.readE(i);
            cpu.writeE(i, g);
            cpu.writeG(i, e);
            return;
        }
        cpu.writeG(i, atomicExchange(cpu.mmu, cpu.ea(i), g, size));
    }

    /** Atomically stores {@code v} at {@code addr}; returns the old value. */
    static long atomicExchange(Mmu mmu, long addr, long v, int size) {
        while (true) {
            long old = mmu.read(addr, size);
            if (mmu.compareAndExchange(addr, old, v, size) == old) {
                return old;
            }
        }
    }

    /**
     * XCHG rAX, r (90+r). 90 without REX.B is NOP (SDM Vol. 2B, NOP: it does not zero-extend
     * EAX), and F3 90 is PAUSE (a spin-wait hint, passed on to the JVM); with REX.B it
     * exchanges with R8.
     */
    static void xchgRaxReg(Cpu cpu, Insn i) {
        if (i.reg == Cpu.RAX) {
            if ((i.prefixes & Insn.P_REP) != 0) {
                Thread.onSpinWait();
            }
            return;
        }
        int size = i.opsize;
        long a = cpu.reg(Cpu.RAX, size);
        cpu.setReg(Cpu.RAX, size, cpu.reg(i.reg, size));
        cpu.setReg(i.reg, size, a);
    }

    /**
     * CMPXCHG Ev, Gv (SDM Vol. 2A, CMPXCHG): flags as CMP rAX, Ev. With memory it is done
     * atomically (a failed compare still needs write permission, as the CPU writes the old value
     * back). With a register destination, as the host CPU shows: on success only the
     * destination is written, on failure only rAX.
     */
    static void cmpxchgEvGv(Cpu cpu, Insn i) {
        int size = i.opsize;
        long acc = cpu.reg(Cpu.RAX, size);
        long src = cpu.readG(i);
        long old;
        if (i.rm >= 0) {
            old = cpu.readE(i);
            if (old == acc) {
                cpu.writeE(i, src);
            }
        } else {
            old = cpu.mmu.compareAndExchange(cpu.ea(i), acc, src, size);
        }
        cpu.flagsSub(acc, old, acc - old, size);
        if (old != acc) {
            cpu.setReg(Cpu.RAX, size, old);
        }
    }

    /** XADD Ev, Gv (SDM Vol. 2B, XADD): flags as ADD; the source register gets the old value. */
    static void xaddEvGv(Cpu cpu, Insn i) {
        int size = i.opsize;
        long src = cpu.readG(i);
        long old;
        if (i.rm >= 0) {
            old = cpu.readE(i);
            cpu.writeG(i, old);
            cpu.writeE(i, old + src);
        } else {
            long addr = cpu.ea(i);
            Mmu mmu = cpu.mmu;
            do {
                old = mmu.read(addr, size);
            } while (mmu.compareAndExchange(addr, old, old + src, size) != old);
            cpu.writeG(i, old);
        }
        cpu.flagsAdd(old, src, old + src, size);
    }

    /**
     * CMPXCHG8B m64 / CMPXCHG16B m128 (REX.W) (SDM Vol. 2A): compares rDX:rAX with memory; if
     * equal stores rCX:rBX and sets ZF, else loads memory into rDX:rAX and clears ZF. Only ZF
     * changes. CMPXCHG16B needs a 16-byte aligned operand (#GP).
     */
    static void cmpxchg8b16b(Cpu cpu, Insn i) {
        long addr = cpu.ea(i);
        long flags = cpu.statusFlags() & ~Cpu.ZF;
        long[] r = cpu.r;
        if ((i.prefixes & Insn.P_REX_W) != 0) {
            if ((addr & 15) != 0) {
                throw CpuTrap.GENERAL_PROTECTION;
            }
            long[] old = cpu.mmu.compareAndExchange128(addr, r[Cpu.RAX], r[Cpu.RDX], r[Cpu.RBX], r[Cpu.RCX]);
            if (old[0] == r[Cpu.RAX] && old[1] == r[Cpu.RDX]) {
                cpu.setStatusFlags(flags | Cpu.ZF);
            } else {
                r[Cpu.RAX] = old[0];
                r[Cpu.RDX] = old[1];
                cpu.setStatusFlags(flags);
            }
            return;
        }
        long expected = (r[Cpu.RAX] & 0xffffffffL) | (r[Cpu.RDX] << 32);
        long update = (r[Cpu.RBX] & 0xffffffffL) | (r[Cpu.RCX] << 32);
        long old = cpu.mmu.compareAndExchange(addr, expected, update, 8);
        if (old == expected) {
            cpu.setStatusFlags(flags | Cpu.ZF);
        } else {
            r[Cpu.RAX] = old & 0xffffffffL;
            r[Cpu.RDX] = old >>> 32;
            cpu.setStatusFlags(flags);
        }
    }

    // ---------------------------------------------------------------- conditional moves

    /**
     * CMOVcc Gv, Ev (SDM Vol. 2A, CMOVcc): the source is read (and may fault) whatever the
     * condition; a 32-bit destination is zero-extended even when the condition is false.
     */
    static void cmovGvEv(Cpu cpu, Insn i) {
        long v = cpu.readE(i);
        if (cpu.cond(i.opcode & 0xf)) {
            cpu.writeG(i, v);
        } else if (i.opsize == 4) {
            cpu.r[i.reg] &= 0xffffffffL;
        }
    }

    /** SETcc Eb (SDM Vol. 2B, SETcc). */
    static void setccEb(Cpu cpu, Insn i) {
        cpu.writeE(i, 1, cpu.cond(i.opcode & 0xf) ? 1 : 0);
    }

    // ---------------------------------------------------------------- stack

    /**
     * POP Ev (SDM Vol. 2B, POP): an RSP-based destination address is computed after RSP is
     * incremented. RSP is restored if the store faults, so the fault is precise.
     */
    static void popEv(Cpu cpu, Insn i) {
        int size = i.opsize;
        long sp = cpu.r[Cpu.RSP];
        long v = cpu.mmu.read(sp, size);
        if (i.rm >= 0) {
            cpu.r[Cpu.RSP] = sp + size;
            cpu.setReg(i.rm, size, v);
            return;
        }
        cpu.r[Cpu.RSP] = sp + size;
        try {
            cpu.mmu.write(cpu.ea(i), v, size);
        } catch (RuntimeException e) {
            cpu.r[Cpu.RSP] = sp;
            throw e;
        }
    }

    /** PUSHF / PUSHFQ (SDM Vol. 2B): RF and VM read as 0 in the image. */
    static void pushf(Cpu cpu, Insn i) {
        cpu.push(cpu.rflags(), i.opsize);
    }

    /**
     * POPF / POPFQ in user mode (SDM Vol. 2B, POPF, CPL 3 with IOPL 0): status flags, DF, AC and
     * ID change; IF, IOPL and the system flags stay. The 16-bit form leaves bits 16 and up alone.
     */
    static void popf(Cpu cpu, Insn i) {
        long v = cpu.pop(i.opsize);
        if (i.opsize == 2) {
            v = (cpu.rflags() & ~0xffffL) | v;
        }
        cpu.setRflags(v);
    }

    /**
     * ENTER imm16, imm8 (SDM Vol. 2A, ENTER), 64-bit stack: pushes rBP, copies level-1 frame
     * pointers from the enclosing frame, pushes the new frame pointer, then allocates imm16
     * bytes. Registers change only after every access has succeeded.
     */
    static void enter(Cpu cpu, Insn i) {
        int size = i.opsize;
        long allocSize = i.imm & 0xffff;
        int level = (int) (i.disp & 31);
        Mmu mmu = cpu.mmu;
        long sp = cpu.r[Cpu.RSP] - size;
        mmu.write(sp, cpu.r[Cpu.RBP], size);
        long frameTemp = sp;
        if (level > 0) {
            long bp = cpu.r[Cpu.RBP];
            for (int k = 1; k < level; k++) {
                bp -= size;
                long v = mmu.read(bp, size);
                sp -= size;
                mmu.write(sp, v, size);
            }
            sp -= size;
            mmu.write(sp, frameTemp, size);
        }
        cpu.setReg(Cpu.RBP, size, frameTemp);
        cpu.r[Cpu.RSP] = sp - allocSize;
    }

    /** LEAVE (SDM Vol. 2A): RSP = RBP, then pop rBP. */
    static void leave(Cpu cpu, Insn i) {
        int size = i.opsize;
        long bp = cpu.r[Cpu.RBP];
        long v = cpu.mmu.read(bp, size);
        cpu.r[Cpu.RSP] = bp + size;
        cpu.setReg(Cpu.RBP, size, v);
    }

    // ---------------------------------------------------------------- flags

    private static final long SAHF_MASK = Cpu.SF | Cpu.ZF | Cpu.AF | Cpu.PF | Cpu.CF;

    /** SAHF (SDM Vol. 2B): SF ZF AF PF CF from AH; OF unchanged. */
    static void sahf(Cpu cpu, Insn i) {
        long ah = (cpu.r[Cpu.RAX] >>> 8) & 0xff;
        cpu.setStatusFlags((cpu.statusFlags() & ~SAHF_MASK) | (ah & SAHF_MASK));
    }

    /** LAHF (SDM Vol. 2A): AH = SF:ZF:0:AF:0:PF:1:CF. */
    static void lahf(Cpu cpu, Insn i) {
        long ah = (cpu.statusFlags() & SAHF_MASK) | 2;
        cpu.setReg(Cpu.RAX + 16, 1, ah);
    }
}
