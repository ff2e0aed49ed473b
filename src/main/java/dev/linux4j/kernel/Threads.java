package dev.linux4j.kernel;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.cpu.Cpu;

/**
 * Guest threads (DESIGN.md decision 5): clone(CLONE_THREAD) makes a {@link Task} in the caller's
 * thread group that shares its address space, code cache, descriptors and dispositions, and
 * runs its own {@link Cpu} on its own Java platform thread — no global lock, truly parallel.
 * Also thread exit, de_thread for execve, copy_process's flag rules, and the scheduler facts
 * (affinity, CPU numbers) the guest can ask about.
 */
public final class Threads {
    private Threads() {}

    public static final long CLONE_NEWNS = 0x00020000;
    public static final long CLONE_SYSVSEM = 0x00040000;
    public static final long CLONE_DETACHED = 0x00400000;
    public static final long CLONE_NEWUSER = 0x10000000;
    public static final long CLONE_PIDFD = 0x1000;
    public static final long CLONE_IO = 0x80000000L;
    /** clone3 only: reset the child's handled signals to SIG_DFL. */
    public static final long CLONE_CLEAR_SIGHAND = 0x100000000L;
    /** clone3 only. */
    public static final long CLONE_INTO_CGROUP = 0x200000000L;

    /** copy_process's checks of flag combinations, which Linux makes before anything else. */
    public static void checkFlags(long flags) {
        if ((flags & (CLONE_NEWNS | Fork.CLONE_FS)) == (CLONE_NEWNS | Fork.CLONE_FS)
                || (flags & (CLONE_NEWUSER | Fork.CLONE_FS)) == (CLONE_NEWUSER | Fork.CLONE_FS)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if ((flags & Fork.CLONE_THREAD) != 0 && (flags & Fork.CLONE_SIGHAND) == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if ((flags & Fork.CLONE_SIGHAND) != 0 && (flags & Fork.CLONE_VM) == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if ((flags & CLONE_CLEAR_SIGHAND) != 0 && (flags & Fork.CLONE_SIGHAND) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /**
     * A new thread in the caller's group: the CPU state is the caller's with RAX 0, the given
     * stack and (CLONE_SETTLS) FS base; the signal mask is inherited, the alternate stack is not
     * (sas_ss_reset for CLONE_VM). Returns the new TID.
     */
    static int clone(Task parent, long flags, long newSp, long parentTid, long childTid, long tls) {
        ThreadGroup g = parent.group();
        Kernel kernel = parent.kernel();
        if (g.exiting() || parent.exitRequested()) {
            throw dev.linux4j.vfs.RestartSyscall.ERESTARTNOINTR; // fatal_signal_pending
        }
        int tid = kernel.tree().allocatePid();
        Task task = new Task(kernel, g, tid);
        task.inheritScheduling(parent);
        task.newCpu();
        Cpu c = task.cpu();
        Fork.copyRegisters(parent.cpu(), c);
        c.r[Cpu.RAX] = 0;
        if (newSp != 0) {
            c.r[Cpu.RSP] = newSp;
        }
        if ((flags & Fork.CLONE_SETTLS) != 0) {
            c.fsBase = tls;
        }
        synchronized (g.siglock) {
            task.mask = parent.mask;
        }
        task.affinity = parent.affinity;
        try {
            if ((flags & Fork.CLONE_PARENT_SETTID) != 0) {
                parent.cpu().mmu.write32(parentTid, tid);
            }
            if ((flags & Fork.CLONE_CHILD_SETTID) != 0) {
                parent.cpu().mmu.write32(childTid, tid);
            }
        } catch (dev.linux4j.memory.GuestFault f) {
            g.taskExited(task);
            throw ErrnoException.of(Errno.EFAULT);
        }
        if ((flags & Fork.CLONE_CHILD_CLEARTID) != 0) {
            task.setClearChildTid(childTid);
        }
        TaskThreads.start("linux4j tid " + tid, task::run);
        return tid;
    }

    /** exit(2): this thread ends; the process ends with it only if it was the last one. */
    public static void exitThread(Task t, int code) {
        ThreadGroup g = t.group();
        if (t.tid() == g.pid()) {
            g.leaderExitCode = code & 0xff;
        }
        t.requestExit(code & 0xff);
    }

    /**
     * de_thread: an execve in a multi-threaded process kills every other thread and waits until
     * they are gone (they release their robust futexes and clear_child_tid words in the old
     * image); the caller takes the process's id.
     */
    static void deThread(Task t) {
        ThreadGroup g = t.group();
        if (g.tasks().size() <= 1) {
            return;
        }
        while (true) {
            for (Task other : g.tasks()) {
                if (other != t) {
                    other.requestExit(0);
                }
            }
            // A thread blocked in host I/O cannot be interrupted; it leaves when the call returns.
            if (g.awaitTasks(1, 200)) {
                break;
            }
        }
        t.setTid(g.pid());
    }

    /**
     * A task left its group: a process-directed signal it had been chosen for goes to another
     * thread that does not block it (exit_signals / retarget_shared_pending).
     */
    static void retargetSharedPending(ThreadGroup g) {
        synchronized (g.siglock) {
            if (g.shared.set == 0 || g.exiting()) {
                return;
            }
            for (Task t : g.tasks()) {
                if ((g.shared.set & ~t.mask) != 0) {
                    t.signalWake();
                }
            }
        }
    }

    /**
     * complete_signal: the thread to wake for a process-directed signal — the first (leader
     * first) that does not block it and is not exiting; null if every thread blocks it.
     */
    static Task chooseTarget(ThreadGroup g, int sig) {
        for (Task t : g.tasks()) {
            if ((t.mask & Signals.bit(sig)) == 0 && !t.exitRequested()) {
                return t;
            }
        }
        return null;
    }

    /** The live task with this id in any process, or null. */
    public static Task findTask(Kernel kernel, int tid) {
        ThreadGroup leader = kernel.tree().find(tid);
        if (leader != null) {
            for (Task t : leader.tasks()) {
                if (t.tid() == tid) {
                    return t;
                }
            }
        }
        for (ThreadGroup g : kernel.tree().all()) {
            for (Task t : g.tasks()) {
                if (t.tid() == tid) {
                    return t;
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- scheduler facts

    /** The CPUs the guest has, as a mask (bit n: CPU n; at most 64). */
    public static long onlineMask(Kernel kernel) {
        int n = Math.max(1, Math.min(kernel.config().cpuCount(), 64));
        return n == 64 ? -1L : (1L << n) - 1;
    }

    /** sched_getaffinity's mask of a task. */
    public static long affinity(Task t) {
        return t.affinity & onlineMask(t.kernel());
    }

    /** sched_setaffinity: EINVAL if no CPU of the mask is online. */
    public static void setAffinity(Task t, long mask) {
        long m = mask & onlineMask(t.kernel());
        if (m == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        t.affinity = m;
    }

    /** getcpu: a CPU the thread may run on, stable for the thread (JVM threads float; Linux's answer may change too). */
    public static int currentCpu(Task t) {
        long m = affinity(t);
        int n = Long.bitCount(m);
        int k = Math.floorMod(t.tid(), n);
        for (int cpu = 0; cpu < 64; cpu++) {
            if ((m & (1L << cpu)) != 0 && k-- == 0) {
                return cpu;
            }
        }
        return 0;
    }
}
