package dev.linux4j.cpu;

import static dev.linux4j.cpu.OpcodeTable.*;

import dev.linux4j.memory.Mmu;

/**
 * Instruction family: MOVS, STOS, LODS, SCAS, CMPS with REP, REPE, REPNE (Intel SDM Vol. 2B,
 * "REP/REPE/REPZ/REPNE/REPNZ"), and the port I/O instructions, which user mode may not use.
 *
 * <p>The source operand is DS:rSI (FS/GS overrides apply), the destination ES:rDI (no override
 * in 64-bit mode). A 67 prefix makes rSI, rDI and rCX 32-bit (ESI, EDI, ECX, whose updates
 * zero-extend). REP on MOVS/STOS/LODS repeats with either F3 or F2 (as Intel CPUs do); CMPS and
 * SCAS stop on ZF=0 under F3 (REPE) and on ZF=1 under F2 (REPNE).
 *
 * <p>Faults are precise: RCX, RSI and RDI always reflect the iterations completed, so a fault
 * mid-way restarts the instruction where it stopped, as on hardware. A repeated instruction
 * runs at most {@link #BUDGET} bytes per execution, then re-executes itself (RIP stays on it)
 * so the interpreter can take interrupts, as a CPU does between iterations. That is why every
 * string instruction ends its block.
 *
 * <p>REP MOVS and REP STOS move whole page-bounded chunks through the {@link Mmu} bulk paths.
 */
final class StringOps {
    private StringOps() {}

    /** Bytes a repeated string instruction processes before it yields to the interpreter. */
    static final long BUDGET = 1 << 22;

    private static final int PAGE = 4096;
    private static final int FORM = ENDS_BLOCK;

    static void register(OpcodeTable t) {
        t.add(0xa4, "movs", FORM | SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { movs(c, i); } });
        t.add(0xa5, "movs", FORM, new Exec() { public void exec(Cpu c, Insn i) { movs(c, i); } });
        t.add(0xaa, "stos", FORM | SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { stos(c, i); } });
        t.add(0xab, "stos", FORM, new Exec() { public void exec(Cpu c, Insn i) { stos(c, i); } });
        t.add(0xac, "lods", FORM | SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { lods(c, i); } });
        t.add(0xad, "lods", FORM, new Exec() { public void exec(Cpu c, Insn i) { lods(c, i); } });
        t.add(0xae, "scas", FORM | SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { scas(c, i); } });
        t.add(0xaf, "scas", FORM, new Exec() { public void exec(Cpu c, Insn i) { scas(c, i); } });
        t.add(0xa6, "cmps", FORM | SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { cmps(c, i); } });
        t.add(0xa7, "cmps", FORM, new Exec() { public void exec(Cpu c, Insn i) { cmps(c, i); } });
        // INS, OUTS, IN, OUT: IOPL is 0 and Linux gives no I/O bitmap by default (SDM Vol. 1,
        // 19.5): #GP, which Linux reports as SIGSEGV.
        t.add(0x6c, "ins", FORM | SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0x6d, "ins", FORM, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0x6e, "outs", FORM | SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0x6f, "outs", FORM, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0xe4, "in", FORM | SIZE_BYTE | IB, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0xe5, "in", FORM | IB, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0xe6, "out", FORM | SIZE_BYTE | IB, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0xe7, "out", FORM | IB, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0xec, "in", FORM | SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0xed, "in", FORM, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0xee, "out", FORM | SIZE_BYTE, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
        t.add(0xef, "out", FORM, new Exec() { public void exec(Cpu c, Insn i) { privileged(c, i); } });
    }

    static void privileged(Cpu cpu, Insn i) {
        throw CpuTrap.GENERAL_PROTECTION;
    }

    // ---------------------------------------------------------------- helpers

    private static boolean a32(Insn i) {
        return (i.prefixes & Insn.P_ADDRSIZE) != 0;
    }

    private static boolean repeated(Insn i) {
        return (i.prefixes & (Insn.P_REP | Insn.P_REPNE)) != 0;
    }

    /** rSI, rDI or rCX at the address size. */
    private static long addrReg(Cpu cpu, int reg, boolean a32) {
        long v = cpu.r[reg];
        return a32 ? v & 0xffffffffL : v;
    }

    /** Adds {@code delta} to rSI, rDI or rCX at the address size (ECX etc. zero-extend). */
    private static void advance(Cpu cpu, int reg, long delta, boolean a32) {
        long v = cpu.r[reg] + delta;
        cpu.r[reg] = a32 ? v & 0xffffffffL : v;
    }

    private static long step(Cpu cpu, int size) {
        return cpu.df() ? -size : size;
    }

    /** Elements that fit the per-execution budget (at least one). */
    private static long budget(int size) {
        return BUDGET / size;
    }

    // ---------------------------------------------------------------- MOVS

    /** MOVS m, m (SDM Vol. 2B, MOVS/MOVSB/MOVSW/MOVSD/MOVSQ). */
    static void movs(Cpu cpu, Insn i) {
        int size = i.opsize;
        boolean a32 = a32(i);
        long delta = step(cpu, size);
        long seg = DataMovement.segmentBase(cpu, i);
        if (!repeated(i)) {
            movsElement(cpu, size, a32, delta, seg);
            return;
        }
        long left = budget(size);
        while (addrReg(cpu, Cpu.RCX, a32) != 0) {
            if (left <= 0) {
                cpu.rip = i.addr();
                return;
            }
            long done = a32 ? 0 : movsBulk(cpu, size, delta, seg);
            if (done == 0) {
                movsElement(cpu, size, a32, delta, seg);
                advance(cpu, Cpu.RCX, -1, a32);
                done = 1;
            }
            left -= done;
        }
    }

    private static void movsElement(Cpu cpu, int size, boolean a32, long delta, long seg) {
        long si = addrReg(cpu, Cpu.RSI, a32);
        long di = addrReg(cpu, Cpu.RDI, a32);
        long v = cpu.mmu.read(si + seg, size);
        cpu.mmu.write(di, v, size);
        advance(cpu, Cpu.RSI, delta, a32);
        advance(cpu, Cpu.RDI, delta, a32);
    }

    /**
     * Moves as many whole elements as fit in the current source and destination pages in one
     * bulk copy, and updates RCX, RSI, RDI. Returns the elements moved: 0 when an element
     * straddles a page or the overlap makes element order matter (the caller then moves one).
     */
    private static long movsBulk(Cpu cpu, int size, long delta, long seg) {
        long count = cpu.r[Cpu.RCX];
        long src = cpu.r[Cpu.RSI] + seg;
        long dst = cpu.r[Cpu.RDI];
        if (delta < 0 && ((src & (PAGE - 1)) > PAGE - size || (dst & (PAGE - 1)) > PAGE - size)) {
            return 0; // the first element straddles a page
        }
        long n = maxBytes(count, size);
        long gap;
        if (delta > 0) {
            n = Math.min(n, Math.min(PAGE - (src & (PAGE - 1)), PAGE - (dst & (PAGE - 1))));
            gap = dst - src; // forward copy repeats bytes if dst is just above src
        } else {
            n = Math.min(n, Math.min((src & (PAGE - 1)) + size, (dst & (PAGE - 1)) + size));
            gap = src - dst; // backward copy repeats bytes if dst is just below src
        }
        if (gap > 0 && gap < n) {
            n = gap;
        }
        n -= n % size;
        if (n < 2L * size) {
            return 0;
        }
        if (delta > 0) {
            cpu.mmu.copyWithinPage(dst, src, (int) n);
            cpu.r[Cpu.RSI] += n;
            cpu.r[Cpu.RDI] += n;
        } else {
            // Touch the first element first, so a fault reports the address hardware would.
            cpu.mmu.read8(src);
            cpu.mmu.probeWrite(dst, 1);
            cpu.mmu.copyWithinPage(dst + size - n, src + size - n, (int) n);
            cpu.r[Cpu.RSI] -= n;
            cpu.r[Cpu.RDI] -= n;
        }
        long elements = n / size;
        cpu.r[Cpu.RCX] = count - elements;
        return elements;
    }

    /** count elements of size bytes, capped at a page (count is unsigned). */
    private static long maxBytes(long count, int size) {
        return Long.compareUnsigned(count, PAGE) >= 0 ? PAGE : count * size;
    }

    // ---------------------------------------------------------------- STOS

    /** STOS m (SDM Vol. 2B, STOS/STOSB/STOSW/STOSD/STOSQ): stores AL/AX/EAX/RAX at ES:rDI. */
    static void stos(Cpu cpu, Insn i) {
        int size = i.opsize;
        boolean a32 = a32(i);
        long delta = step(cpu, size);
        long v = cpu.reg(Cpu.RAX, size);
        if (!repeated(i)) {
            cpu.mmu.write(addrReg(cpu, Cpu.RDI, a32), v, size);
            advance(cpu, Cpu.RDI, delta, a32);
            return;
        }
        long pattern = replicate(v, size);
        long left = budget(size);
        while (addrReg(cpu, Cpu.RCX, a32) != 0) {
            if (left <= 0) {
                cpu.rip = i.addr();
                return;
            }
            long done = a32 ? 0 : stosBulk(cpu, size, delta, pattern);
            if (done == 0) {
                cpu.mmu.write(addrReg(cpu, Cpu.RDI, a32), v, size);
                advance(cpu, Cpu.RDI, delta, a32);
                advance(cpu, Cpu.RCX, -1, a32);
                done = 1;
            }
            left -= done;
        }
    }

    /** The element value repeated over 8 bytes. */
    static long replicate(long v, int size) {
        return switch (size) {
            case 1 -> (v & 0xff) * 0x0101010101010101L;
            case 2 -> (v & 0xffff) * 0x0001000100010001L;
            case 4 -> (v & 0xffffffffL) | (v << 32);
            default -> v;
        };
    }

    private static long stosBulk(Cpu cpu, int size, long delta, long pattern) {
        long count = cpu.r[Cpu.RCX];
        long dst = cpu.r[Cpu.RDI];
        if (delta < 0 && (dst & (PAGE - 1)) > PAGE - size) {
            return 0; // the first element straddles a page
        }
        long n = maxBytes(count, size);
        if (delta > 0) {
            n = Math.min(n, PAGE - (dst & (PAGE - 1)));
        } else {
            n = Math.min(n, (dst & (PAGE - 1)) + size);
        }
        n -= n % size;
        if (n < 2L * size) {
            return 0;
        }
        if (delta > 0) {
            cpu.mmu.fillWithinPage(dst, pattern, (int) n);
            cpu.r[Cpu.RDI] += n;
        } else {
            // The pattern is whole elements of one value, so any element-aligned start works.
            cpu.mmu.probeWrite(dst, 1);
            cpu.mmu.fillWithinPage(dst + size - n, pattern, (int) n);
            cpu.r[Cpu.RDI] -= n;
        }
        long elements = n / size;
        cpu.r[Cpu.RCX] = count - elements;
        return elements;
    }

    // ---------------------------------------------------------------- LODS

    /** LODS m (SDM Vol. 2A, LODS/LODSB/LODSW/LODSD/LODSQ): loads DS:rSI into AL/AX/EAX/RAX. */
    static void lods(Cpu cpu, Insn i) {
        int size = i.opsize;
        boolean a32 = a32(i);
        long delta = step(cpu, size);
        long seg = DataMovement.segmentBase(cpu, i);
        if (!repeated(i)) {
            lodsElement(cpu, size, a32, delta, seg);
            return;
        }
        long left = budget(size);
        while (addrReg(cpu, Cpu.RCX, a32) != 0) {
            if (left-- <= 0) {
                cpu.rip = i.addr();
                return;
            }
            lodsElement(cpu, size, a32, delta, seg);
            advance(cpu, Cpu.RCX, -1, a32);
        }
    }

    private static void lodsElement(Cpu cpu, int size, boolean a32, long delta, long seg) {
        long v = cpu.mmu.read(addrReg(cpu, Cpu.RSI, a32) + seg, size);
        cpu.setReg(Cpu.RAX, size, v);
        advance(cpu, Cpu.RSI, delta, a32);
    }

    // ---------------------------------------------------------------- SCAS and CMPS

    /** SCAS m (SDM Vol. 2B, SCAS/SCASB/SCASW/SCASD/SCASQ): flags of rAX - ES:[rDI]. */
    static void scas(Cpu cpu, Insn i) {
        int size = i.opsize;
        boolean a32 = a32(i);
        long delta = step(cpu, size);
        long a = cpu.reg(Cpu.RAX, size);
        if (!repeated(i)) {
            scasElement(cpu, size, a32, delta, a);
            return;
        }
        boolean whileEqual = (i.prefixes & Insn.P_REP) != 0;
        long left = budget(size);
        while (addrReg(cpu, Cpu.RCX, a32) != 0) {
            if (left-- <= 0) {
                cpu.rip = i.addr();
                return;
            }
            scasElement(cpu, size, a32, delta, a);
            advance(cpu, Cpu.RCX, -1, a32);
            if (cpu.zf() != whileEqual) {
                return;
            }
        }
    }

    private static void scasElement(Cpu cpu, int size, boolean a32, long delta, long a) {
        long b = cpu.mmu.read(addrReg(cpu, Cpu.RDI, a32), size);
        cpu.flagsSub(a, b, a - b, size);
        advance(cpu, Cpu.RDI, delta, a32);
    }

    /** CMPS m, m (SDM Vol. 2A, CMPS/CMPSB/CMPSW/CMPSD/CMPSQ): flags of DS:[rSI] - ES:[rDI]. */
    static void cmps(Cpu cpu, Insn i) {
        int size = i.opsize;
        boolean a32 = a32(i);
        long delta = step(cpu, size);
        long seg = DataMovement.segmentBase(cpu, i);
        if (!repeated(i)) {
            cmpsElement(cpu, size, a32, delta, seg);
            return;
        }
        boolean whileEqual = (i.prefixes & Insn.P_REP) != 0;
        long left = budget(size);
        while (addrReg(cpu, Cpu.RCX, a32) != 0) {
            if (left-- <= 0) {
                cpu.rip = i.addr();
                return;
            }
            cmpsElement(cpu, size, a32, delta, seg);
            advance(cpu, Cpu.RCX, -1, a32);
            if (cpu.zf() != whileEqual) {
                return;
            }
        }
    }

    private static void cmpsElement(Cpu cpu, int size, boolean a32, long delta, long seg) {
        long a = cpu.mmu.read(addrReg(cpu, Cpu.RSI, a32) + seg, size);
        long b = cpu.mmu.read(addrReg(cpu, Cpu.RDI, a32), size);
        cpu.flagsSub(a, b, a - b, size);
        advance(cpu, Cpu.RSI, delta, a32);
        advance(cpu, Cpu.RDI, delta, a32);
    }
}
