package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

/**
 * Instruction family: JMP, Jcc, CALL, RET, LOOP, JRCXZ, SYSCALL, INT3, INT n, HLT, UD0/UD1/UD2,
 * the NOP and hint-NOP forms (multi-byte NOP, PREFETCHh, ENDBR64), PAUSE (via 90), CPUID and
 * RDTSC (Intel SDM Vol. 2).
 *
 * <p>Near branches in 64-bit mode always have a 64-bit operand size: Intel CPUs ignore 66 on
 * them (SDM Vol. 1, 3.6.1; Vol. 2A, CALL "In 64-bit mode").
 */
final class ControlFlow {
    private ControlFlow() {}

    private static final int BRANCH = SIZE_F64 | ENDS_BLOCK;

    static void register(OpcodeTable t) {
        registerBranches(t);
        registerSystem(t);
        registerNops(t);
    }

    private static void registerBranches(OpcodeTable t) {
        t.add(0xe8, "call", BRANCH | REL32, new Exec() { public void exec(Cpu c, Insn i) { callNear(c, i.imm); } });
        t.addGroup(MAP_1B, 0xff, PFX_NONE, 2, "call", BRANCH,
                new Exec() { public void exec(Cpu c, Insn i) { callNear(c, c.readE(i, 8)); } });
        t.add(0xe9, "jmp", BRANCH | REL32, new Exec() { public void exec(Cpu c, Insn i) { c.rip = i.imm; } });
        t.add(0xeb, "jmp", BRANCH | REL8, new Exec() { public void exec(Cpu c, Insn i) { c.rip = i.imm; } });
        t.addGroup(MAP_1B, 0xff, PFX_NONE, 4, "jmp", BRANCH,
                new Exec() { public void exec(Cpu c, Insn i) { c.rip = c.readE(i, 8); } });
        for (int cc = 0; cc < 16; cc++) {
            t.add(0x70 + cc, "j", BRANCH | REL8, new Exec() { public void exec(Cpu c, Insn i) { jcc(c, i); } });
            t.add(MAP_0F, 0x80 + cc, PFX_NONE, "j", BRANCH | REL32,
                    new Exec() { public void exec(Cpu c, Insn i) { jcc(c, i); } });
        }
        t.add(0xc3, "ret", BRANCH, new Exec() { public void exec(Cpu c, Insn i) { retNear(c, 0); } });
        t.add(0xc2, "ret", BRANCH | IW, new Exec() { public void exec(Cpu c, Insn i) { retNear(c, i.imm); } });
        t.add(0xe0, "loopne", BRANCH | REL8, new Exec() { public void exec(Cpu c, Insn i) { loop(c, i); } });
        t.add(0xe1, "loope", BRANCH | REL8, new Exec() { public void exec(Cpu c, Insn i) { loop(c, i); } });
        t.add(0xe2, "loop", BRANCH | REL8, new Exec() { public void exec(Cpu c, Insn i) { loop(c, i); } });
        t.add(0xe3, "jrcxz", BRANCH | REL8, new Exec() { public void exec(Cpu c, Insn i) { jrcxz(c, i); } });
    }

    private static void registerSystem(OpcodeTable t) {
        t.add(MAP_0F, 0x05, PFX_NONE, "syscall", ENDS_BLOCK,
                new Exec() { public void exec(Cpu c, Insn i) { syscall(c, i); } });
        t.add(0xcc, "int3", ENDS_BLOCK, new Exec() {
            public void exec(Cpu c, Insn i) {
                throw CpuTrap.BREAKPOINT;
            }
        });
        t.add(0xcd, "int", ENDS_BLOCK | IB, new Exec() { public void exec(Cpu c, Insn i) { intN(c, i); } });
        t.add(0xf4, "hlt", ENDS_BLOCK, new Exec() {
            public void exec(Cpu c, Insn i) {
                throw Cpu.HaltException.INSTANCE;
            }
        });
        t.add(MAP_0F, 0x0b, PFX_NONE, "ud2", ENDS_BLOCK,
                new Exec() { public void exec(Cpu c, Insn i) { invalid(c, i); } });
        t.add(MAP_0F, 0xb9, PFX_NONE, "ud1", ENDS_BLOCK | MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { invalid(c, i); } });
        t.add(MAP_0F, 0xff, PFX_NONE, "ud0", ENDS_BLOCK | MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { invalid(c, i); } });
        // 0F 01 D0-D7 (XGETBV, XSETBV, VMFUNC, XEND, XTEST): #UD, as CPUID advertises none of
        // OSXSAVE, VMFUNC or RTM.
        t.addGroupReg(MAP_0F, 0x01, PFX_NONE, 2, "xgetbv", ENDS_BLOCK,
                new Exec() { public void exec(Cpu c, Insn i) { invalid(c, i); } });
        t.add(MAP_0F, 0xa2, PFX_NONE, "cpuid", 0, new Exec() { public void exec(Cpu c, Insn i) { Cpuid.cpuid(c); } });
        t.add(MAP_0F, 0x31, PFX_NONE, "rdtsc", 0, new Exec() { public void exec(Cpu c, Insn i) { Cpuid.rdtsc(c); } });
    }

    private static void registerNops(OpcodeTable t) {
        // 0F 18-1F: PREFETCHh (0F 18 /0-/3) and the reserved hint NOPs (SDM Vol. 2B, NOP;
        // Vol. 2B, PREFETCHh). 66/F2/F3 forms (ENDBR64 is F3 0F 1E FA, RDSSP and the MPX forms
        // are F3/F2/66 0F 1A-1E) are NOPs too on a CPU without CET and MPX enabled.
        for (int op = 0x18; op <= 0x1f; op++) {
            t.add(MAP_0F, op, PFX_NONE, "nop", MODRM, new Exec() { public void exec(Cpu c, Insn i) { nop(c, i); } });
            if (op >= 0x1a) {
                t.add(MAP_0F, op, PFX_66, "nop", MODRM, new Exec() { public void exec(Cpu c, Insn i) { nop(c, i); } });
                t.add(MAP_0F, op, PFX_F3, op == 0x1e ? "endbr" : "nop", MODRM,
                        new Exec() { public void exec(Cpu c, Insn i) { nop(c, i); } });
                t.add(MAP_0F, op, PFX_F2, "nop", MODRM, new Exec() { public void exec(Cpu c, Insn i) { nop(c, i); } });
            }
        }
        t.add(MAP_0F, 0x0d, PFX_NONE, "prefetchw", MODRM,
                new Exec() { public void exec(Cpu c, Insn i) { nop(c, i); } });
    }

    // ---------------------------------------------------------------- semantics

    /** No operation; the ModRM operand of a hint NOP is never accessed. */
    static void nop(Cpu cpu, Insn i) {
    }

    static void invalid(Cpu cpu, Insn i) {
        throw CpuTrap.INVALID_OPCODE;
    }

    /** CALL rel32 / CALL r/m64 (SDM Vol. 2A, CALL): push the return address, then jump. */
    static void callNear(Cpu cpu, long target) {
        cpu.push64(cpu.rip);
        cpu.rip = target;
    }

    /** RET / RET imm16 (SDM Vol. 2B, RET): pop RIP, then release imm16 bytes. */
    static void retNear(Cpu cpu, long release) {
        long sp = cpu.r[Cpu.RSP];
        long target = cpu.mmu.read64(sp);
        cpu.r[Cpu.RSP] = sp + 8 + release;
        cpu.rip = target;
    }

    /** Jcc (SDM Vol. 2A, Jcc): the condition is the opcode's low nibble. */
    static void jcc(Cpu cpu, Insn i) {
        if (cpu.cond(i.opcode & 0xf)) {
            cpu.rip = i.imm;
        }
    }

    /**
     * LOOP, LOOPE, LOOPNE (SDM Vol. 2A, LOOP/LOOPcc): decrement rCX (ECX under 67, which
     * zero-extends RCX as any 32-bit register write does) without touching flags.
     */
    static void loop(Cpu cpu, Insn i) {
        long count;
        if ((i.prefixes & Insn.P_ADDRSIZE) != 0) {
            count = (cpu.r[Cpu.RCX] - 1) & 0xffffffffL;
        } else {
            count = cpu.r[Cpu.RCX] - 1;
        }
        cpu.r[Cpu.RCX] = count;
        boolean taken = count != 0 && switch (i.opcode & 0xff) {
            case 0xe0 -> !cpu.zf();
            case 0xe1 -> cpu.zf();
            default -> true;
        };
        if (taken) {
            cpu.rip = i.imm;
        }
    }

    /** JRCXZ / JECXZ (SDM Vol. 2A, Jcc). */
    static void jrcxz(Cpu cpu, Insn i) {
        long count = cpu.r[Cpu.RCX];
        if ((i.prefixes & Insn.P_ADDRSIZE) != 0) {
            count &= 0xffffffffL;
        }
        if (count == 0) {
            cpu.rip = i.imm;
        }
    }

    /**
     * SYSCALL (SDM Vol. 2B): RCX gets the next RIP and R11 gets RFLAGS, as the CPU does before
     * entering the kernel; the kernel sees RIP already after the instruction.
     */
    static void syscall(Cpu cpu, Insn i) {
        cpu.r[Cpu.RCX] = cpu.rip;
        cpu.r[Cpu.R11] = cpu.rflags();
        cpu.exitForSyscall();
    }

    /**
     * INT n in user mode: the IDT gates Linux sets up are DPL 0 except for vectors 3 and 4 (and
     * 0x80, the 32-bit syscall entry, under IA32_EMULATION), so anything else is #GP. INT 0x80
     * is also #GP here until 32-bit syscalls exist; INT 3 via CD 03 traps like INT3.
     */
    static void intN(Cpu cpu, Insn i) {
        if ((i.imm & 0xff) == 3) {
            throw CpuTrap.BREAKPOINT;
        }
        throw CpuTrap.GENERAL_PROTECTION;
    }
}
