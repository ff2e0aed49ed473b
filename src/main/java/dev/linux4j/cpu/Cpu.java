package dev.linux4j.cpu;

import dev.linux4j.memory.GuestFault;
import dev.linux4j.memory.Mmu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * One x86-64 hardware thread in user mode: registers, lazily computed flags, SSE and x87
 * state, and the interpreter loop. It knows nothing of Linux: {@link #run()} executes guest code
 * until something needs the kernel, and says why in a {@link CpuExit}.
 *
 * <p>Flags are lazy (DESIGN.md decision 3): arithmetic records its operands and result, and
 * CF/PF/AF/ZF/SF/OF are computed only when read. Not thread-safe: one Java thread runs a Cpu.
 */
public final class Cpu {
    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    public static final int R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

    // RFLAGS bits (SDM Vol. 1, 3.4.3).
    public static final long CF = 1L << 0;
    public static final long PF = 1L << 2;
    public static final long AF = 1L << 4;
    public static final long ZF = 1L << 6;
    public static final long SF = 1L << 7;
    public static final long TF = 1L << 8;
    public static final long IF = 1L << 9;
    public static final long DF = 1L << 10;
    public static final long OF = 1L << 11;
    public static final long AC = 1L << 18;
    public static final long ID = 1L << 21;
    /** The six arithmetic status flags. */
    public static final long STATUS_FLAGS = CF | PF | AF | ZF | SF | OF;

    // Lazy flag kinds.
    static final int K_EXPLICIT = 0;
    static final int K_ADD = 1;
    static final int K_ADC = 2;
    static final int K_SUB = 3;
    static final int K_SBB = 4;
    /** ZF, SF, PF from the result; CF, OF, AF from {@link #flagAux}. */
    static final int K_RESULT = 5;

    /** General-purpose registers in encoding order. */
    public final long[] r = new long[16];
    public long rip;
    public long fsBase;
    public long gsBase;

    int flagKind = K_EXPLICIT;
    long flagRes;
    long flagA;
    long flagB;
    int flagSize = 8;
    long flagAux;
    /** Status flags when {@link #flagKind} is K_EXPLICIT. */
    long flagsWord;
    /** DF, AC, ID: the non-status flags user code can change. */
    long controlFlags;

    /** XMM0-15: xmm[2n] low quadword, xmm[2n+1] high quadword. */
    public final long[] xmm = new long[32];
    /** MXCSR: all exceptions masked, round to nearest (power-on state). */
    public int mxcsr = 0x1f80;
    /** x87 FPU state. */
    public final X87 x87 = new X87();

    public final Mmu mmu;
    private final CodeCache code;
    /**
     * Recently run blocks by start address, direct-mapped. It starts small, since a short-lived
     * process would spend more on zeroing a large one than it saves, and grows once misses show
     * a large working set: 4,096 entries missed often enough on cc1 that 32,768 made the
     * interpreter 8% faster there.
     */
    private Block[] jumpCache = new Block[JUMP_CACHE_MIN];
    private static final int JUMP_CACHE_MIN = 4096;
    private static final int JUMP_CACHE_MAX = 32768;
    private int jumpCacheMisses;

    /** Set by SYSCALL; read and cleared by {@link #run()}. */
    CpuExit pendingExit;
    /** Set from another thread to make {@link #run()} return {@link CpuExit#INTERRUPT} soon. */
    private volatile boolean interruptRequested;

    public Cpu(Mmu mmu, CodeCache code) {
        this.mmu = mmu;
        this.code = code;
    }

    public CodeCache codeCache() {
        return code;
    }

    // ---------------------------------------------------------------- the interpreter loop

    /**
     * Runs guest code from {@link #rip} until an exit. Faults are precise: RIP and every register
     * are as they were before the faulting instruction.
     */
    public CpuExit run() {
        if (startedWall == 0) {
            startedWall = System.nanoTime();
            startedBusy = THREADS.getCurrentThreadCpuTime();
        }
        Block[] cache = jumpCache;
        Block previous = null;
        while (true) {
            if (interruptRequested) {
                interruptRequested = false;
                return CpuExit.INTERRUPT;
            }
            mmu.revalidate();
            long pc = rip;
            Block block = previous == null ? null : previous.successor;
            if ((block == null || !block.runsAt(pc))
                    && (previous == null || (block = previous.otherSuccessor) == null || !block.runsAt(pc))) {
                int slot = (int) (pc ^ (pc >>> 12)) & (cache.length - 1);
                block = cache[slot];
                if (block == null || !block.runsAt(pc)) {
                    try {
                        block = code.block(pc);
                    } catch (GuestFault f) {
                        return pageFault(pc, f);
                    }
                    if (++jumpCacheMisses > 2 * cache.length && cache.length < JUMP_CACHE_MAX) {
                        cache = jumpCache = new Block[cache.length * 2];
                        jumpCacheMisses = 0;
                        slot = (int) (pc ^ (pc >>> 12)) & (cache.length - 1);
                    }
                    cache[slot] = block;
                }
                if (previous != null) {
                    previous.otherSuccessor = previous.successor;
                    previous.successor = block;
                }
            }
            previous = block;
            try {
                CompiledBlock compiled = block.compiled;
                if (compiled == null && block.counted(code.compileThreshold()) && mayTranslate(block)) {
                    compiled = code.compile(block);
                }
                if (compiled != null) {
                    compiled.run(this);
                } else {
                    Insn insn = block.first;
                    rip = insn.next;
                    insn.exec.exec(this, insn);
                    int k = 1;
                    int n = block.runLength;
                    if (n > 1 && rip == insn.next) {
                        Insn[] insns = block.insns;
                        while (k < n) {
                            insn = insns[k++];
                            long next = insn.next;
                            rip = next;
                            insn.exec.exec(this, insn);
                            if (rip != next) {
                                break; // a branch taken, or an instruction to run again
                            }
                        }
                    }
                }
            } catch (GuestFault f) {
                Insn insn = block.executingAt(rip);
                rip = insn.addr();
                return pageFault(rip, f);
            } catch (CpuTrap t) {
                Insn insn = block.executingAt(rip);
                if (t.kind() == CpuExit.FaultKind.BREAKPOINT) {
                    return new CpuExit.Fault(t.kind(), rip, 0, false, bytesOf(insn));
                }
                rip = insn.addr();
                return new CpuExit.Fault(t.kind(), insn.addr(), 0, false, bytesOf(insn));
            } catch (HaltException h) {
                rip = block.executingAt(rip).addr();
                return new CpuExit.Halt(rip);
            }
            CpuExit exit = pendingExit;
            if (exit != null) {
                pendingExit = null;
                return exit;
            }
        }
    }

    // ---------------------------------------------------------------- when the JIT translates

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The time a slowly counting block has to reach the threshold again from half of it. */
    static final long TRANSLATE_WINDOW_NANOS = 250_000_000L;
    /** Slow rounds after which a block is translated anyway. */
    static final int MAX_SLOW_ROUNDS = 32;
    /** When this CPU first ran, by the clock and by its thread's CPU clock (nanoseconds). */
    private long startedWall;
    private long startedBusy;

    /**
     * Whether a block that reached the JIT's threshold is translated now. A thread that has been
     * running at least half the time since this CPU started gets its hot blocks translated at
     * once. One that mostly waits (a shell between its children) reaches any count slowly, and
     * translating its code costs HotSpot more than the code gains: bench/spawn's shell loop ran
     * 0.2 ms per spawn slower with the JIT than without. Its block is translated only when it
     * counts from half the threshold to the threshold within {@link #TRANSLATE_WINDOW_NANOS}, as
     * HotSpot's own policy weighs invocation rates rather than counts alone.
     */
    private boolean mayTranslate(Block block) {
        int threshold = code.compileThreshold();
        if (threshold <= 1) {
            return true; // --jit=always: everything, before it first runs
        }
        long now = System.nanoTime();
        return mayTranslate(block, threshold, now, now - startedWall, THREADS.getCurrentThreadCpuTime() - startedBusy);
    }

    /**
     * {@link #mayTranslate(Block)} with the clocks read: {@code alive} nanoseconds since the CPU
     * started, {@code busy} of them on a host CPU. A block refused counts again from half the
     * threshold, its window starting now; after {@link #MAX_SLOW_ROUNDS} refusals it is translated.
     */
    static boolean mayTranslate(Block block, int threshold, long now, long alive, long busy) {
        if (busy * 2 >= alive) {
            return true;
        }
        long since = block.countedSince;
        if (since != 0 && now - since <= TRANSLATE_WINDOW_NANOS || block.slowRounds++ >= MAX_SLOW_ROUNDS) {
            return true;
        }
        block.countedSince = now;
        block.executions = threshold / 2;
        return false;
    }

    /**
     * The bytes of a trapping instruction, for the report of an unimplemented one: those the
     * decoder kept, else read back from guest memory (as many as are readable).
     */
    private byte[] bytesOf(Insn insn) {
        byte[] undecoded = insn.undecoded();
        if (undecoded != null) {
            return undecoded;
        }
        byte[] bytes = new byte[insn.length];
        for (int k = 0; k < bytes.length; k++) {
            try {
                bytes[k] = (byte) mmu.read8(insn.addr() + k);
            } catch (GuestFault f) {
                return java.util.Arrays.copyOf(bytes, k);
            }
        }
        return bytes;
    }

    private static CpuExit pageFault(long rip, GuestFault f) {
        CpuExit.FaultKind kind = switch (f.kind()) {
            case NOT_MAPPED -> CpuExit.FaultKind.PAGE_NOT_MAPPED;
            case PROTECTION -> CpuExit.FaultKind.PAGE_PROTECTION;
            case BEYOND_EOF -> CpuExit.FaultKind.PAGE_BEYOND_EOF;
        };
        return new CpuExit.Fault(kind, rip, f.address(), f.write(), new byte[0]);
    }

    /**
     * Whether compiled code looping inside one block may start another iteration: no exit to the
     * kernel is pending and nobody asked the CPU to stop (the back-edge poll of DESIGN.md's JIT).
     */
    public boolean mayContinue() {
        return !interruptRequested && pendingExit == null;
    }

    /** Asks {@link #run()} to return at the next block boundary; callable from any thread. */
    public void requestInterrupt() {
        interruptRequested = true;
    }

    /**
     * Writes the 512-byte FXSAVE image of the x87/SSE state to guest memory at {@code addr}
     * (signal frames); bytes 416-511 are left as they were, as FXSAVE leaves them.
     */
    public void fxsaveTo(long addr) {
        SseState.fxsave(this, addr);
    }

    /** FXSAVE's 512-byte image of the x87 and SSE state (ptrace's NT_FPREGSET, user_fpregs_struct). */
    public byte[] fxsaveImage() {
        return SseState.fxsaveImage(this);
    }

    /** Loads x87/SSE state from an FXSAVE image at {@code addr} (rt_sigreturn); MXCSR must be valid. */
    public void fxrstorFrom(long addr) {
        SseState.fxrstor(this, addr);
    }

    /** SYSCALL's semantics hook: end the block and exit to the kernel. */
    void exitForSyscall() {
        pendingExit = CpuExit.SYSCALL;
    }

    /** HLT in user mode. */
    static final class HaltException extends RuntimeException {
        static final HaltException INSTANCE = new HaltException();

        private HaltException() {
            super(null, null, false, false);
        }
    }

    // ---------------------------------------------------------------- registers

    /** Reads register {@code n} at {@code size} bytes, zero-extended; for size 1, 16-19 are AH-BH. */
    public long reg(int n, int size) {
        return switch (size) {
            case 1 -> n < 16 ? r[n] & 0xff : (r[n - 16] >>> 8) & 0xff;
            case 2 -> r[n] & 0xffff;
            case 4 -> r[n] & 0xffffffffL;
            default -> r[n];
        };
    }

    /** Writes register {@code n} as x86 does: 32-bit writes zero the upper half, 8/16-bit merge. */
    public void setReg(int n, int size, long v) {
        switch (size) {
            case 1 -> {
                if (n < 16) {
                    r[n] = (r[n] & ~0xffL) | (v & 0xff);
                } else {
                    r[n - 16] = (r[n - 16] & ~0xff00L) | ((v & 0xff) << 8);
                }
            }
            case 2 -> r[n] = (r[n] & ~0xffffL) | (v & 0xffff);
            case 4 -> r[n] = v & 0xffffffffL;
            default -> r[n] = v;
        }
    }

    // ---------------------------------------------------------------- operands

    /** The effective address of the memory operand (SDM Vol. 1, 3.7.5), with FS/GS base. */
    public long ea(Insn i) {
        long a = i.disp;
        if (i.base >= 0) {
            a += r[i.base];
        }
        if (i.index >= 0) {
            a += r[i.index] << i.scale;
        }
        if ((i.prefixes & Insn.P_ADDRSIZE) != 0) {
            a &= 0xffffffffL;
        }
        if (i.seg != Insn.SEG_NONE) {
            a += i.seg == Insn.SEG_FS ? fsBase : gsBase;
        }
        return a;
    }

    /** Reads the ModRM r/m operand at the instruction's operand size. */
    public long readE(Insn i) {
        return readE(i, i.opsize);
    }

    public long readE(Insn i, int size) {
        if (i.rm >= 0) {
            return reg(size == 1 ? i.rmB : i.rm, size);
        }
        return mmu.read(ea(i), size);
    }

    public void writeE(Insn i, long v) {
        writeE(i, i.opsize, v);
    }

    public void writeE(Insn i, int size, long v) {
        if (i.rm >= 0) {
            setReg(size == 1 ? i.rmB : i.rm, size, v);
        } else {
            mmu.write(ea(i), v, size);
        }
    }

    /** Reads the ModRM reg operand (or the opcode register) at the operand size. */
    public long readG(Insn i) {
        return reg(i.opsize == 1 ? i.regB : i.reg, i.opsize);
    }

    public long readG(Insn i, int size) {
        return reg(size == 1 ? i.regB : i.reg, size);
    }

    public void writeG(Insn i, long v) {
        setReg(i.opsize == 1 ? i.regB : i.reg, i.opsize, v);
    }

    public void writeG(Insn i, int size, long v) {
        setReg(size == 1 ? i.regB : i.reg, size, v);
    }

    // ---------------------------------------------------------------- stack

    public void push(long v, int size) {
        long sp = r[RSP] - size;
        mmu.write(sp, v, size);
        r[RSP] = sp;
    }

    public void push64(long v) {
        long sp = r[RSP] - 8;
        mmu.write64(sp, v);
        r[RSP] = sp;
    }

    public long pop(int size) {
        long v = mmu.read(r[RSP], size);
        r[RSP] += size;
        return v;
    }

    public long pop64() {
        long v = mmu.read64(r[RSP]);
        r[RSP] += 8;
        return v;
    }

    // ---------------------------------------------------------------- lazy flags

    /**
     * The low {@code size} bytes (1, 2, 4 or 8) set. The lazy-flag readers below spell it out
     * rather than call this: with the AOT cache's training profiles HotSpot left this call out
     * of line in compiled regions, and sha256sum ran 50% slower.
     */
    static long mask(int size) {
        return -1L >>> (64 - (size << 3));
    }

    /** Sign-extends the low {@code size} bytes. */
    public static long signExtend(long v, int size) {
        return switch (size) {
            case 1 -> (byte) v;
            case 2 -> (short) v;
            case 4 -> (int) v;
            default -> v;
        };
    }

    public void flagsAdd(long a, long b, long res, int size) {
        flagKind = K_ADD;
        flagA = a;
        flagB = b;
        flagRes = res;
        flagSize = size;
    }

    public void flagsAdc(long a, long b, long carryIn, long res, int size) {
        flagKind = K_ADC;
        flagA = a;
        flagB = b;
        flagAux = carryIn;
        flagRes = res;
        flagSize = size;
    }

    public void flagsSub(long a, long b, long res, int size) {
        flagKind = K_SUB;
        flagA = a;
        flagB = b;
        flagRes = res;
        flagSize = size;
    }

    public void flagsSbb(long a, long b, long borrowIn, long res, int size) {
        flagKind = K_SBB;
        flagA = a;
        flagB = b;
        flagAux = borrowIn;
        flagRes = res;
        flagSize = size;
    }

    /** ADC's carry out (SDM Vol. 2A, ADC): with a carry in, a result not above the operand wrapped. */
    private static boolean adcCarry(long a, long carryIn, long res, long m) {
        return carryIn != 0 ? Long.compareUnsigned(res & m, a & m) <= 0 : Long.compareUnsigned(res & m, a & m) < 0;
    }

    /** SBB's borrow out (SDM Vol. 2B, SBB): {@code b} plus the borrow in exceeds {@code a}. */
    private static boolean sbbBorrow(long a, long b, long borrowIn, long m) {
        return borrowIn != 0 ? Long.compareUnsigned(a & m, b & m) <= 0 : Long.compareUnsigned(a & m, b & m) < 0;
    }

    /**
     * CF | OF | AF of ADC ({@code sbb} false) or SBB, as {@link #flagsResult} takes them: the
     * flags {@link #flagsAdc} and {@link #flagsSbb} record, computed at once (compiled regions
     * keep their flags in this form).
     */
    public static long carryFlags(boolean sbb, long a, long b, long carryIn, long res, int size) {
        long m = -1L >>> (64 - (size << 3));
        boolean cf = sbb ? sbbBorrow(a, b, carryIn, m) : adcCarry(a, carryIn, res, m);
        long ofBits = sbb ? (a ^ b) & (a ^ res) : (a ^ res) & (b ^ res);
        return (cf ? CF : 0) | ((ofBits >>> (size * 8 - 1) & 1) << 11) | ((a ^ b ^ res) & AF);
    }

    /** ZF, SF, PF from {@code res}; CF, OF and AF as given (bits CF | OF | AF). */
    public void flagsResult(long res, int size, long cfOfAf) {
        flagKind = K_RESULT;
        flagRes = res;
        flagSize = size;
        flagAux = cfOfAf;
    }

    /** AND, OR, XOR, TEST: CF = OF = 0 (AF undefined; left 0 as recent Intel and AMD CPUs do). */
    public void flagsLogic(long res, int size) {
        flagKind = K_RESULT;
        flagRes = res;
        flagSize = size;
        flagAux = 0;
    }

    public boolean cf() {
        long m = -1L >>> (64 - (flagSize << 3));
        return switch (flagKind) {
            case K_ADD -> Long.compareUnsigned(flagRes & m, flagA & m) < 0;
            case K_ADC -> adcCarry(flagA, flagAux, flagRes, m);
            case K_SUB -> Long.compareUnsigned(flagA & m, flagB & m) < 0;
            case K_SBB -> sbbBorrow(flagA, flagB, flagAux, m);
            case K_RESULT -> (flagAux & CF) != 0;
            default -> (flagsWord & CF) != 0;
        };
    }

    public boolean zf() {
        if (flagKind == K_EXPLICIT) {
            return (flagsWord & ZF) != 0;
        }
        return (flagRes & (-1L >>> (64 - (flagSize << 3)))) == 0;
    }

    public boolean sf() {
        if (flagKind == K_EXPLICIT) {
            return (flagsWord & SF) != 0;
        }
        return ((flagRes >>> (flagSize * 8 - 1)) & 1) != 0;
    }

    public boolean of() {
        int top = flagSize * 8 - 1;
        return switch (flagKind) {
            case K_ADD, K_ADC -> (((flagA ^ flagRes) & (flagB ^ flagRes)) >>> top & 1) != 0;
            case K_SUB, K_SBB -> (((flagA ^ flagB) & (flagA ^ flagRes)) >>> top & 1) != 0;
            case K_RESULT -> (flagAux & OF) != 0;
            default -> (flagsWord & OF) != 0;
        };
    }

    public boolean pf() {
        if (flagKind == K_EXPLICIT) {
            return (flagsWord & PF) != 0;
        }
        return (Integer.bitCount((int) flagRes & 0xff) & 1) == 0;
    }

    public boolean af() {
        return switch (flagKind) {
            case K_ADD, K_ADC, K_SUB, K_SBB -> ((flagA ^ flagB ^ flagRes) & 0x10) != 0;
            case K_RESULT -> (flagAux & AF) != 0;
            default -> (flagsWord & AF) != 0;
        };
    }

    public boolean df() {
        return (controlFlags & DF) != 0;
    }

    public void setDf(boolean on) {
        controlFlags = on ? controlFlags | DF : controlFlags & ~DF;
    }

    /** The six status flags as RFLAGS bits. */
    public long statusFlags() {
        if (flagKind == K_EXPLICIT) {
            return flagsWord;
        }
        long f = 0;
        if (cf()) {
            f |= CF;
        }
        if (pf()) {
            f |= PF;
        }
        if (af()) {
            f |= AF;
        }
        if (zf()) {
            f |= ZF;
        }
        if (sf()) {
            f |= SF;
        }
        if (of()) {
            f |= OF;
        }
        return f;
    }

    /** Sets the six status flags from RFLAGS bits. */
    public void setStatusFlags(long f) {
        flagsWord = f & STATUS_FLAGS;
        flagKind = K_EXPLICIT;
    }

    /** RFLAGS as user mode sees it (PUSHF): status, DF, AC, ID, reserved bit 1 and IF set. */
    public long rflags() {
        return statusFlags() | controlFlags | IF | 2;
    }

    /**
     * POPF in user mode: status flags, DF, NT (bit 14), AC and ID change; IF, IOPL and the rest
     * do not (SDM Vol. 2B, POPF, CPL 3 with IOPL 0).
     */
    public void setRflags(long v) {
        setStatusFlags(v);
        controlFlags = v & (DF | AC | ID | (1L << 14));
    }

    /** Evaluates condition code {@code cc} (SDM Vol. 1, Appendix B: O NO B AE E NE BE A S NS P NP L GE LE G). */
    public boolean cond(int cc) {
        if (flagKind == K_SUB) {
            long m = -1L >>> (64 - (flagSize << 3));
            long a = flagA & m;
            long b = flagB & m;
            switch (cc) {
                case 2: return Long.compareUnsigned(a, b) < 0;
                case 3: return Long.compareUnsigned(a, b) >= 0;
                case 4: return a == b;
                case 5: return a != b;
                case 6: return Long.compareUnsigned(a, b) <= 0;
                case 7: return Long.compareUnsigned(a, b) > 0;
                case 12: return signExtend(a, flagSize) < signExtend(b, flagSize);
                case 13: return signExtend(a, flagSize) >= signExtend(b, flagSize);
                case 14: return signExtend(a, flagSize) <= signExtend(b, flagSize);
                case 15: return signExtend(a, flagSize) > signExtend(b, flagSize);
                default: break;
            }
        }
        return switch (cc) {
            case 0 -> of();
            case 1 -> !of();
            case 2 -> cf();
            case 3 -> !cf();
            case 4 -> zf();
            case 5 -> !zf();
            case 6 -> cf() || zf();
            case 7 -> !cf() && !zf();
            case 8 -> sf();
            case 9 -> !sf();
            case 10 -> pf();
            case 11 -> !pf();
            case 12 -> sf() != of();
            case 13 -> sf() == of();
            case 14 -> zf() || sf() != of();
            default -> !zf() && sf() == of();
        };
    }
}
