package dev.linux4j.kernel;

import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.CpuExit;
import dev.linux4j.memory.Mmu;
import dev.linux4j.vfs.Caller;
import dev.linux4j.vfs.Sleep;
import java.util.HexFormat;

/**
 * A thread of a guest process: Linux's {@code struct task_struct}. Owns a {@link Cpu} and runs
 * it, turning each CPU exit into a syscall or a signal.
 */
public final class Task {
    private final Kernel kernel;
    private final ThreadGroup group;
    private volatile int tid;
    private volatile Cpu cpu;

    // Signal state (see Signals): guarded by group.siglock.
    final SigPending pending = new SigPending();
    long mask;
    /**
     * The mask to restore while rt_sigtimedwait (or a signalfd read) has unblocked the signals it
     * waits for (Linux's real_blocked): a signal blocked here is not dropped as ignored.
     */
    long realBlocked;
    /** sigsuspend/pselect/ppoll: the mask to put back once a handler's frame holds it. */
    long savedMask;
    boolean restoreMask;
    long altSp;
    long altSize;
    int altFlags;
    private boolean sleeping;
    private volatile Thread thread;
    /** thread.trap_nr, error_code and cr2 of the last fault, as sigcontext reports them. */
    long trapNumber;
    long trapError;
    long trapAddress;
    /** What restart_syscall(2) resumes after ERESTART_RESTARTBLOCK (nanosleep's time left), or null. */
    private volatile java.util.function.ToLongFunction<Task> restartBlock;
    private long clearChildTid;
    private long robustListHead;
    private long robustListLength;
    /** exit(2) of this thread alone, or de_thread killing it for another thread's execve. */
    private volatile boolean exitRequested;
    /** exit(2)'s status, which the process reports if this is its leader and nobody calls exit_group. */
    volatile int exitCode;
    /** sched_setaffinity's mask (bit n: CPU n); -1 until set: every CPU the guest has. */
    volatile long affinity = -1;
    /**
     * The nice value (task_struct's static_prio less 120), per thread as on Linux; a new task
     * takes its creator's. {@link #HOST_NICE} until set: the first process starts at the nice
     * value linux4j itself was started with, as a native program would.
     */
    private volatile int nice = HOST_NICE;
    private static final int HOST_NICE = Integer.MIN_VALUE;

    Task(Kernel kernel, ThreadGroup group, int tid) {
        this.kernel = kernel;
        this.group = group;
        this.tid = tid;
        group.addTask(this);
    }

    /** The task the calling Java thread runs (null on a thread that runs none). */
    public static Task current() {
        return Procs.currentTask();
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

    /** The thread's nice value, -20..19 (task_nice). */
    public int nice() {
        int n = nice;
        return n == HOST_NICE ? HostNice.VALUE : n;
    }

    /**
     * What a new task takes from its creator (sched_fork, copy_io, copy_process): the nice value
     * (the host's stays unread until asked for), the scheduling policy and priority, the I/O
     * priority and the personality. With SCHED_RESET_ON_FORK the creator's real-time or deadline
     * policy becomes SCHED_OTHER at priority 0, a negative nice value 0, a custom time slice the
     * default, and the flag is not passed on.
     */
    void inheritScheduling(Task creator) {
        nice = creator.nice;
        policy = creator.policy;
        rtPriority = creator.rtPriority;
        slice = creator.slice;
        ioprio = creator.ioprio;
        personality = creator.personality;
        if (creator.resetOnFork) {
            if (policy == SCHED_FIFO || policy == SCHED_RR || policy == SCHED_DEADLINE) {
                policy = SCHED_OTHER;
                rtPriority = 0;
                nice = 0;
            } else if (nice() < 0) {
                nice = 0;
            }
            slice = 0;
        }
    }

    // Scheduling policies, include/uapi/linux/sched.h.
    public static final int SCHED_OTHER = 0;
    public static final int SCHED_FIFO = 1;
    public static final int SCHED_RR = 2;
    public static final int SCHED_BATCH = 3;
    public static final int SCHED_IDLE = 5;
    public static final int SCHED_DEADLINE = 6;

    /** p->policy: what sched_setscheduler/sched_setattr set; nothing else changes with it. */
    private volatile int policy = SCHED_OTHER;
    /** p->rt_priority: 1..99 under SCHED_FIFO and SCHED_RR, else 0. */
    private volatile int rtPriority;
    /** p->sched_reset_on_fork. */
    private volatile boolean resetOnFork;
    /** A fair task's custom time slice from sched_setattr's sched_runtime, in ns; 0: the default. */
    private volatile long slice;
    /** The I/O priority ioprio_set gave (io_context->ioprio); -1 while the task has none. */
    private volatile int ioprio = -1;
    /** task_struct's personality (include/uapi/linux/personality.h); 0 is PER_LINUX. */
    private volatile int personality;

    public int schedPolicy() {
        return policy;
    }

    public int rtPriority() {
        return rtPriority;
    }

    public boolean resetOnFork() {
        return resetOnFork;
    }

    /** The time slice sched_getattr reports in sched_runtime for a fair task: a custom one, or {@code base}. */
    public long slice(long base) {
        long s = slice;
        return s != 0 ? s : base;
    }

    /**
     * __setscheduler_params: the caller has validated and permission-checked the new values;
     * {@code nice} applies to the fair policies only, {@code slice} (0: the default) too.
     */
    public void setScheduling(int newPolicy, int newRtPriority, int newNice, long newSlice, boolean newResetOnFork) {
        policy = newPolicy;
        rtPriority = newRtPriority;
        if (newPolicy != SCHED_FIFO && newPolicy != SCHED_RR && newPolicy != SCHED_DEADLINE) {
            nice = newNice;
            slice = newSlice;
        }
        resetOnFork = newResetOnFork;
    }

    /** Only the reset-on-fork flag changes (__sched_setscheduler with nothing else to change). */
    public void setResetOnFork(boolean on) {
        resetOnFork = on;
    }

    /** The raw I/O priority, -1 if none was ever set. */
    public int ioprio() {
        return ioprio;
    }

    public void setIoprio(int value) {
        ioprio = value;
    }

    public int personality() {
        return personality;
    }

    public void setPersonality(int value) {
        personality = value;
    }

    /** set_user_nice: the caller has clamped {@code value} to -20..19 and checked permissions. */
    public void setNice(int value) {
        nice = value;
    }

    /** The nice value of the JVM's process, from the host's /proc/self/stat (field 19); 0 if unreadable. */
    private static final class HostNice {
        static final int VALUE = read();

        private static int read() {
            try {
                String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                int n = Integer.parseInt(f[16]); // fields from 3 (state) on: nice is field 19
                return Math.max(-20, Math.min(19, n));
            } catch (java.io.IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    public long signalMask() {
        synchronized (group.siglock) {
            return mask;
        }
    }

    public void setSignalMask(long newMask) {
        synchronized (group.siglock) {
            // SIGKILL and SIGSTOP cannot be blocked.
            mask = newMask & ~Signals.UNBLOCKABLE;
        }
    }

    /** A signal may be deliverable: interrupt a sleep and the running CPU (siglock held). */
    void signalWake() {
        Thread t = thread;
        if (sleeping && t != null) {
            t.interrupt();
        }
        Cpu c = cpu;
        if (c != null) {
            c.requestInterrupt();
        }
    }

    /** This task's side of {@link Sleep}: sleeps end early when a signal is deliverable. */
    private final Sleep.Sleeper sleeper = new Sleep.Sleeper() {
        @Override
        public boolean enter() {
            synchronized (group.siglock) {
                if (group.exiting() || exitRequested || Signals.deliverable(Task.this)) {
                    return false;
                }
                sleeping = true;
                return true;
            }
        }

        @Override
        public void leave() {
            synchronized (group.siglock) {
                sleeping = false;
                Thread.interrupted();
            }
        }
    };

    public java.util.function.ToLongFunction<Task> restartBlock() {
        return restartBlock;
    }

    public void setRestartBlock(java.util.function.ToLongFunction<Task> block) {
        restartBlock = block;
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

    /** Ends this thread only (exit(2), or another thread's execve): its loop stops at the next exit. */
    void requestExit(int code) {
        exitCode = code;
        exitRequested = true;
        synchronized (group.siglock) {
            signalWake();
            group.siglock.notifyAll(); // a task stopped for its tracer (Ptrace) ends too
        }
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    /** The thread takes over the leader's id (de_thread in an execve from a non-leader thread). */
    void setTid(int tid) {
        this.tid = tid;
    }

    /** ptrace: the task tracing this one, or null ({@link Ptrace}). */
    volatile Task tracer;
    /** ptrace: the signal this task is stopped for its tracer with, 0 when not stopped. Under the siglock. */
    int ptraceStop;
    /** ptrace: the signal its tracer resumed it with, -1 until then. Under the siglock. */
    int ptraceResume = -1;
    /** ptrace: a stop its tracer's wait has yet to report. Under the process tree's monitor. */
    boolean ptraceReport;
    /** ptrace: the system call the stop came after (orig_rax), -1 if none. */
    volatile long ptraceSyscall = -1;

    /** Set once the task has stopped running guest code; /proc no longer lists it. */
    private volatile boolean exited;

    /** Whether the task has finished (it may still be in its thread group's list briefly). */
    public boolean hasExited() {
        return exited;
    }

    /** This task's CPU clock (utime, stime, runtime). */
    private final TaskCputime cputime = new TaskCputime();

    public TaskCputime cputime() {
        return cputime;
    }

    /** Runs the task until it or its thread group exits. */
    void run() {
        Procs.enter(this);
        thread = Thread.currentThread();
        cputime.start();
        Sleep.bind(sleeper);
        Caller.bind(new TaskCaller(group));
        try {
            runLoop();
        } finally {
            // Leave /proc/PID/task before the CHILD_CLEARTID wake, so a joiner that was woken
            // no longer sees this thread (on Linux the exiting thread is gone by then in practice).
            exited = true;
            Ptrace.taskExited(this); // exit_ptrace
            group.cputime().taskExit(this); // __exit_signal: the time stays with the process
            Futex.exitMm(this);
            Sleep.bind(null);
            Procs.enter(null);
            group.taskExited(this); // the last task closes the files as the exiting process (->flush)
            Caller.bind(null);
            Threads.retargetSharedPending(group);
        }
    }

    private void runLoop() {
        while (!group.exiting() && !exitRequested) {
            CpuExit exit = cpu.run();
            long nr = -1;
            // An instanceof chain, not a pattern switch: that bootstraps a class at the first
            // exit of every run (SwitchBootstraps.typeSwitch; the AOT cache does not keep it).
            if (exit instanceof CpuExit.Syscall) {
                nr = cpu.r[Cpu.RAX];
                kernel.gate().syscall(this);
                if (nr == dev.linux4j.abi.Sysno.NR_rt_sigreturn) {
                    nr = -1; // restore_sigcontext sets orig_ax = -1: no restart
                } else if (cpu.r[Cpu.RAX] == dev.linux4j.abi.Errno.EPIPE.negated() && writes(nr)
                        && sigpipeOnEpipe((int) cpu.r[Cpu.RDI])) {
                    SignalCalls.sendSelf(this, dev.linux4j.abi.Signal.SIGPIPE); // pipe_write's send_sig
                }
            } else if (exit instanceof CpuExit.Fault f) {
                fault(f);
            } else if (exit instanceof CpuExit.Halt) {
                Signals.force(this, Traps.halt(this));
            }
            // else an Interrupt: a signal, or the exit of the thread group: delivery below, the loop checks
            if (exitRequested) {
                break;
            }
            Signals.deliver(this, nr);
        }
    }

    /** The write family: EPIPE from them comes with SIGPIPE. */
    /** Whether the file written ({@code fd}: the call's first argument, still in RDI) raises SIGPIPE with EPIPE. */
    private boolean sigpipeOnEpipe(int fd) {
        try {
            return files().get(fd).ops().sigpipeOnEpipe();
        } catch (dev.linux4j.abi.ErrnoException closedMeanwhile) {
            return true;
        }
    }

    private static boolean writes(long nr) {
        return nr == dev.linux4j.abi.Sysno.NR_write || nr == dev.linux4j.abi.Sysno.NR_writev
                || nr == dev.linux4j.abi.Sysno.NR_pwrite64 || nr == dev.linux4j.abi.Sysno.NR_pwritev
                || nr == dev.linux4j.abi.Sysno.NR_pwritev2;
    }

    /** A CPU exception becomes the signal Linux sends for it, delivered like any other. */
    private void fault(CpuExit.Fault f) {
        if (f.kind() == CpuExit.FaultKind.UNIMPLEMENTED_OPCODE) {
            kernel.reportOnce("insn:" + HexFormat.of().formatHex(f.bytes()), String.format(
                    "unimplemented instruction %s at 0x%x", HexFormat.of().formatHex(f.bytes()), f.rip()));
        }
        Signals.force(this, Traps.signalFor(this, f));
    }
}
