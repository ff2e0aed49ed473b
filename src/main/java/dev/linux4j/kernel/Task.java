package dev.linux4j.kernel;

import dev.linux4j.abi.Signal;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.CpuExit;
import dev.linux4j.memory.Mmu;
import java.util.HexFormat;

/**
 * A thread of a guest process: Linux's {@code struct task_struct}. Owns a {@link Cpu} and runs
 * it, turning each CPU exit into a syscall or a signal.
 */
public final class Task {
    private final Kernel kernel;
    private final ThreadGroup group;
    private final int tid;
    private volatile Cpu cpu;
    private long signalMask;
    private long clearChildTid;
    private long robustListHead;
    private long robustListLength;

    Task(Kernel kernel, ThreadGroup group, int tid) {
        this.kernel = kernel;
        this.group = group;
        this.tid = tid;
        group.addTask(this);
    }

    public Kernel kernel() {
        return kernel;
    }

    public ThreadGroup group() {
        return group;
    }

    public int tid() {
        return tid;
    }

    public Cpu cpu() {
        return cpu;
    }

    /** A fresh CPU on the group's current address space (after execve). */
    void newCpu() {
        Cpu old = cpu;
        cpu = new Cpu(new Mmu(group.space()), group.codeCache());
        if (old != null && old.x87 != null) {
            // execve starts with a clean FPU and SSE state: the new Cpu is already in reset state.
        }
    }

    public dev.linux4j.memory.AddressSpace memory() {
        return group.space();
    }

    public FdTable files() {
        return group.files();
    }

    public synchronized long signalMask() {
        return signalMask;
    }

    public synchronized void setSignalMask(long mask) {
        // SIGKILL and SIGSTOP cannot be blocked.
        signalMask = mask & ~((1L << (Signal.SIGKILL - 1)) | (1L << (Signal.SIGSTOP - 1)));
    }

    public synchronized long clearChildTid() {
        return clearChildTid;
    }

    public synchronized void setClearChildTid(long addr) {
        clearChildTid = addr;
    }

    public synchronized void setRobustList(long head, long length) {
        robustListHead = head;
        robustListLength = length;
    }

    public synchronized long robustListHead() {
        return robustListHead;
    }

    public synchronized long robustListLength() {
        return robustListLength;
    }

    /** Runs the task until its thread group exits. */
    void run() {
        while (!group.exiting()) {
            CpuExit exit = cpu.run();
            switch (exit) {
                case CpuExit.Syscall s -> kernel.gate().syscall(this);
                case CpuExit.Fault f -> fault(f);
                case CpuExit.Halt h -> group.killBySignal(Signal.SIGSEGV);
                case CpuExit.Interrupt i -> {
                    // exit or signal requested: the loop condition checks
                }
            }
        }
    }

    /**
     * A CPU exception becomes the signal Linux sends for it (arch/x86/kernel/traps.c,
     * arch/x86/mm/fault.c). Handlers for synchronous signals come with signal delivery; until
     * then the default action applies, which for all of these is to dump core.
     */
    private void fault(CpuExit.Fault f) {
        int sig = switch (f.kind()) {
            case PAGE_NOT_MAPPED, PAGE_PROTECTION, GENERAL_PROTECTION -> Signal.SIGSEGV;
            case PAGE_BEYOND_EOF -> Signal.SIGBUS;
            case DIVIDE_ERROR, X87_FP_ERROR, SIMD_FP_ERROR -> Signal.SIGFPE;
            case INVALID_OPCODE, UNIMPLEMENTED_OPCODE -> Signal.SIGILL;
            case BREAKPOINT -> Signal.SIGTRAP;
        };
        if (f.kind() == CpuExit.FaultKind.UNIMPLEMENTED_OPCODE) {
            kernel.reportOnce("insn:" + HexFormat.of().formatHex(f.bytes()), String.format(
                    "unimplemented instruction %s at 0x%x", HexFormat.of().formatHex(f.bytes()), f.rip()));
        }
        kernel.straceSignal(this, sig, f);
        group.killBySignal(sig);
    }
}
