package dev.linux4j.kernel;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Siginfo;
import java.util.ArrayList;
import java.util.List;

/**
 * ptrace(2)'s tracer and tracee (kernel/ptrace.c), the part a tracer needs to stop threads,
 * read their registers and memory and let them go: PTRACE_ATTACH makes the caller the thread's
 * tracer and sends it SIGSTOP; from then on every signal the tracee dequeues but SIGKILL stops
 * it (signal-delivery-stop) until its tracer resumes it with PTRACE_CONT or PTRACE_DETACH and
 * the signal to deliver instead (0: none). The tracer's wait4/waitid report the stop as a
 * stopped child would be, without WUNTRACED. A tracer's exit detaches its tracees.
 *
 * <p>Not here: PTRACE_TRACEME, PTRACE_SEIZE and its group-stop and event stops, syscall and
 * exec stops, single-stepping, options. That is what debuggers and strace need; what is here is
 * what LeakSanitizer's StopTheWorld and similar thread suspenders use.
 *
 * <p>Locks: the tracer link and the tracer's list of tracees change under the process tree's
 * monitor (where wait looks for them); the stop and its resumption under the tracee's siglock.
 */
public final class Ptrace {
    private Ptrace() {
    }

    /** PTRACE_ATTACH (ptrace_attach): {@code tracer} traces {@code target} and sends it SIGSTOP. */
    public static void attach(Task tracer, Task target) {
        ThreadGroup tg = target.group();
        if (tg == tracer.group()) {
            throw ErrnoException.of(Errno.EPERM); // same_thread_group: not one's own threads
        }
        Credentials me = tracer.group().credentials();
        Credentials them = tg.credentials();
        // __ptrace_may_access: CAP_SYS_PTRACE, or every id of the target the caller's real ones
        boolean sameIds = me.uid() == them.uid() && me.uid() == them.euid() && me.uid() == them.suid()
                && me.gid() == them.gid() && me.gid() == them.egid() && me.gid() == them.sgid();
        if (me.euid() != 0 && !sameIds) {
            throw ErrnoException.of(Errno.EPERM);
        }
        ProcessTree tree = tracer.kernel().tree();
        synchronized (tree) {
            if (target.tracer != null || target.hasExited() || tg.exiting()) {
                throw ErrnoException.of(Errno.EPERM);
            }
            target.tracer = tracer;
            tracer.group().tracees.add(target);
        }
        Signals.sendToTask(target, Siginfo.kill(Signal.SIGSTOP, Siginfo.SI_KERNEL, 0, 0)); // SEND_SIG_PRIV
    }

    /**
     * ptrace_check_attach: the thread {@code tid}, traced by {@code tracer} and stopped for it;
     * ESRCH otherwise.
     */
    public static Task stoppedTracee(Task tracer, int tid) {
        Task t = Threads.findTask(tracer.kernel(), tid);
        if (t == null || t.tracer != tracer) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        synchronized (t.group().siglock) {
            if (t.ptraceStop == 0 || t.ptraceResume >= 0) {
                throw ErrnoException.of(Errno.ESRCH);
            }
        }
        return t;
    }

    /** PTRACE_KILL: SIGKILL to a tracee of {@code tracer}, stopped or not; ESRCH for another thread. */
    public static void kill(Task tracer, Task t) {
        if (t.tracer != tracer) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        Signals.sendToTask(t, Siginfo.kill(Signal.SIGKILL, Siginfo.SI_USER, 0, 0));
    }

    /** The system call a stopped tracee was in (orig_rax), -1 if none. */
    public static long stoppedSyscall(Task t) {
        return t.ptraceSyscall;
    }

    /**
     * PTRACE_CONT and PTRACE_DETACH of a stopped tracee: it goes on, delivering {@code sig}
     * (0: no signal); detached, it is no longer traced.
     */
    public static void resume(Task t, int sig, boolean detach) {
        if (sig < 0 || sig > Signal.NSIG) {
            throw ErrnoException.of(Errno.EIO); // valid_signal
        }
        if (detach) {
            unlink(t);
        }
        synchronized (t.group().siglock) {
            t.ptraceResume = sig;
            t.group().siglock.notifyAll();
        }
    }

    private static void unlink(Task t) {
        Task tracer = t.tracer;
        if (tracer == null) {
            return;
        }
        ProcessTree tree = t.kernel().tree();
        synchronized (tree) {
            tracer.group().tracees.remove(t);
            t.tracer = null;
            tree.notifyAll(); // a tracer waiting for it looks again (ECHILD if nothing else matches)
        }
    }

    /**
     * ptrace_signal, for a traced task that dequeued {@code info} (not SIGKILL): it stops and its
     * tracer hears of it; returns the signal its tracer resumed it with (0: none), with the
     * siginfo to deliver in {@code out[0]}. Called without the siglock.
     */
    static int signalStop(Task t, Siginfo info, long syscallNr, Siginfo[] out) {
        Task tracer = t.tracer;
        ThreadGroup g = t.group();
        int sig = info.signo();
        out[0] = info;
        if (tracer == null) {
            return sig; // detached since the caller looked
        }
        synchronized (g.siglock) {
            t.ptraceSyscall = syscallNr;
            t.ptraceResume = -1;
            t.ptraceStop = sig;
        }
        ProcessTree tree = t.kernel().tree();
        synchronized (tree) {
            t.ptraceReport = true;
            tree.notifyAll(); // a waiting tracer looks again
        }
        // do_notify_parent_cldstop(CLD_TRAPPED), to the tracer
        ThreadGroup tg = tracer.group();
        if ((tg.signalActions().get(Signal.SIGCHLD)[1] & Signals.SA_NOCLDSTOP) == 0) {
            Signals.sendToGroup(tg, Siginfo.child(Siginfo.CLD_TRAPPED, t.tid(), g.credentials().uid(), sig));
        }
        int resume;
        synchronized (g.siglock) {
            while (t.ptraceResume < 0 && t.tracer != null && !g.exiting() && !t.exitRequested()
                    && ((t.pending.set | g.shared.set) & Signals.bit(Signal.SIGKILL)) == 0) {
                try {
                    g.siglock.wait();
                } catch (InterruptedException e) {
                    Thread.interrupted();
                }
            }
            resume = Math.max(t.ptraceResume, 0);
            t.ptraceStop = 0;
            t.ptraceResume = -1;
            t.ptraceSyscall = -1;
        }
        synchronized (tree) {
            t.ptraceReport = false;
        }
        // the tracer may change the signal: then it comes from the tracer, as SI_USER
        out[0] = resume == sig ? info
                : Siginfo.kill(resume, Siginfo.SI_USER, tracer.group().pid(), tracer.group().credentials().uid());
        return resume;
    }

    /** The tracees of {@code g}'s threads whose stops its wait may report; the tree's monitor held. */
    static List<Task> tracees(ThreadGroup g) {
        return new ArrayList<>(g.tracees);
    }

    /** A task ends: its tracer loses it, and its own tracees are let go (exit_ptrace). */
    static void taskExited(Task t) {
        if (t.tracer != null) {
            unlink(t);
        }
        List<Task> mine = new ArrayList<>();
        synchronized (t.kernel().tree()) {
            for (Task tracee : t.group().tracees) {
                if (tracee.tracer == t) {
                    mine.add(tracee);
                }
            }
        }
        for (Task tracee : mine) {
            resume(tracee, 0, true);
        }
    }
}
