package dev.linux4j.kernel;

import static dev.linux4j.abi.Signal.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Siginfo;
import dev.linux4j.vfs.RestartSyscall;
import dev.linux4j.vfs.Sleep;

/**
 * The kernel side of the signal system calls (kernel/signal.c): what the syscall layer needs
 * from a task's pending sets, masks, alternate stack and timers, with Linux's locking and
 * wake-up rules kept here.
 */
public final class SignalCalls {
    private SignalCalls() {}

    /** rt_sigaction's store: setting SIG_IGN (or an ignoring SIG_DFL) discards pending instances. */
    public static void setAction(Task t, int sig, long handler, long flags, long restorer, long mask) {
        ThreadGroup g = t.group();
        synchronized (g.siglock) {
            g.signalActions().set(sig, handler, flags, restorer, mask & ~Signals.UNBLOCKABLE);
            Signals.Action dfl = Signals.defaultAction(sig);
            if (handler == SignalActions.SIG_IGN || handler == SignalActions.SIG_DFL
                    && (dfl == Signals.Action.IGNORE || dfl == Signals.Action.CONTINUE)) {
                g.shared.discard(Signals.bit(sig));
                for (Task other : g.tasks()) {
                    other.pending.discard(Signals.bit(sig));
                }
            }
        }
    }

    /** rt_sigprocmask's SIG_SETMASK step; unblocking may make a signal deliverable. */
    public static void setMask(Task t, long mask) {
        t.setSignalMask(mask);
    }

    /** rt_sigpending: pending (thread and process) and blocked. */
    public static long pending(Task t) {
        synchronized (t.group().siglock) {
            return (t.pending.set | t.group().shared.set) & t.mask;
        }
    }

    /** rt_sigsuspend(2): waits with {@code mask} until a handler runs; always ERESTARTNOHAND. */
    public static long suspend(Task t, long mask) {
        ThreadGroup g = t.group();
        synchronized (g.siglock) {
            t.savedMask = t.mask;
            t.restoreMask = true;
            t.mask = mask & ~Signals.UNBLOCKABLE;
        }
        pauseUntilSignal();
        throw RestartSyscall.ERESTARTNOHAND;
    }

    /**
     * ppoll/pselect6's sigmask: blocks {@code mask} for the call. {@link #endTemporaryMask} puts the
     * old one back at once, unless a signal interrupted the call: then the handler runs with the
     * temporary mask and its frame holds the old one (set_restore_sigmask).
     */
    public static void beginTemporaryMask(Task t, long mask) {
        synchronized (t.group().siglock) {
            t.savedMask = t.mask;
            t.restoreMask = true;
            t.mask = mask & ~Signals.UNBLOCKABLE;
        }
    }

    public static void endTemporaryMask(Task t, boolean interrupted) {
        synchronized (t.group().siglock) {
            if (t.restoreMask && !interrupted) {
                t.restoreMask = false;
                t.mask = t.savedMask;
            }
        }
    }

    /** pause(2). */
    public static long pause(Task t) {
        pauseUntilSignal();
        throw RestartSyscall.ERESTARTNOHAND;
    }

    private static void pauseUntilSignal() {
        try {
            Sleep.sleep(-1, null);
        } catch (RestartSyscall interrupted) {
            // a signal is pending: the caller reports ERESTARTNOHAND
        }
    }

    /**
     * rt_sigtimedwait(2): dequeues a signal of {@code set} (blocked or not), waiting at most
     * {@code timeoutNanos} (negative: forever); EAGAIN on timeout, EINTR when another signal
     * interrupts.
     */
    public static Siginfo timedWait(Task t, long set, long timeoutNanos) {
        ThreadGroup g = t.group();
        set &= ~Signals.UNBLOCKABLE;
        long saved;
        synchronized (g.siglock) {
            Siginfo now = take(t, set);
            if (now != null) {
                return now;
            }
            saved = t.mask;
            t.realBlocked = saved;
            t.mask = saved & ~set;
        }
        try {
            if (timeoutNanos != 0) {
                Sleep.sleep(timeoutNanos, null);
            }
        } catch (RestartSyscall interrupted) {
            // woken: see what came
        } finally {
            synchronized (g.siglock) {
                t.mask = saved;
                t.realBlocked = 0;
            }
        }
        synchronized (g.siglock) {
            Siginfo got = take(t, set);
            if (got != null) {
                return got;
            }
            if (Signals.deliverable(t)) {
                throw ErrnoException.of(Errno.EINTR);
            }
        }
        throw ErrnoException.of(Errno.EAGAIN);
    }

    /** A signalfd exists: signals sent from now on wake pollers, which may be watching one. */
    public static void wakePollersOnSignals() {
        Signals.wakePollers = true;
    }

    /** The signals of {@code set} pending for {@code t}, its own or its process's. */
    public static long pendingOf(Task t, long set) {
        synchronized (t.group().siglock) {
            return (t.pending.set | t.group().shared.set) & set;
        }
    }

    private static Siginfo take(Task t, long set) {
        int sig = t.pending.next(set);
        if (sig != 0) {
            return t.pending.take(sig);
        }
        sig = t.group().shared.next(set);
        return sig != 0 ? t.group().shared.take(sig) : null;
    }

    /** kill(2). */
    public static void kill(Task t, int pid, int sig) {
        Signals.kill(t, pid, sig);
    }

    /** tgkill(2) and tkill(2) (tgid -1): SI_TKILL to one thread. */
    public static void tgkill(Task t, int tgid, int tid, int sig) {
        if (tid <= 0 || tgid == 0 || tgid < -1 || sig < 0 || sig > NSIG) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Task target = findTask(t, tgid, tid);
        ThreadGroup self = t.group();
        Signals.checkKillPermission(self, target.group(), sig); // do_send_specific
        if (sig != 0) {
            Signals.sendToTask(target, Siginfo.kill(sig, Siginfo.SI_TKILL, self.pid(), self.credentials().uid()));
        }
    }

    /**
     * rt_sigqueueinfo / rt_tgsigqueueinfo (do_rt_sigqueueinfo, do_rt_tgsigqueueinfo): the
     * caller's siginfo, whose si_code must be negative (and not SI_TKILL) unless the caller
     * signals itself (EPERM, before the target is looked for), then ESRCH and kill's
     * permission check.
     */
    public static void queue(Task t, int tgid, int tid, int sig, byte[] info) {
        if (sig < 0 || sig > NSIG) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Siginfo si = Siginfo.of(info, sig);
        boolean self = (tid == 0 ? tgid : tid) == t.tid(); // task_pid_vnr(current): the calling thread's id
        if ((si.code() >= 0 || si.code() == Siginfo.SI_TKILL) && !self) {
            throw ErrnoException.of(Errno.EPERM);
        }
        ThreadGroup g = tid == 0 ? t.kernel().tree().find(tgid) : findTask(t, tgid, tid).group();
        if (g == null) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        Signals.checkKillPermission(t.group(), g, sig);
        if (sig != 0) {
            if (tid == 0) {
                Signals.sendToGroup(g, si);
            } else {
                Signals.sendToTask(findTask(t, tgid, tid), si);
            }
        }
    }

    private static Task findTask(Task t, int tgid, int tid) {
        for (ThreadGroup g : t.kernel().tree().all()) {
            if (tgid != -1 && g.pid() != tgid) {
                continue;
            }
            for (Task candidate : g.tasks()) {
                if (candidate.tid() == tid) {
                    return candidate;
                }
            }
        }
        throw ErrnoException.of(Errno.ESRCH);
    }

    /** sigaltstack's read half: {ss_sp, ss_flags, ss_size} as seen from {@code sp}. */
    public static long[] altStack(Task t, long sp) {
        synchronized (t.group().siglock) {
            return new long[] {t.altSp, SignalFrame.sasSsFlags(t, sp) | t.altFlags, t.altSize};
        }
    }

    /** sigaltstack's write half; returns 0 or a positive errno. */
    public static int setAltStack(Task t, long ssSp, int ssFlags, long ssSize, long sp) {
        return SignalFrame.setAltStack(t, ssSp, ssFlags, ssSize, sp);
    }

    /** rt_sigreturn(2): restores the frame, or kills with SIGSEGV on a bad one; returns RAX. */
    public static long sigreturn(Task t) {
        if (!SignalFrame.restore(t)) {
            Signals.force(t, Siginfo.kill(SIGSEGV, Siginfo.SI_KERNEL, 0, 0));
        }
        return t.cpu().r[dev.linux4j.cpu.Cpu.RAX];
    }

    /** getitimer(ITIMER_REAL): {value, interval} in nanoseconds. */
    public static long[] realTimer(Task t) {
        return t.group().realTimer.get();
    }

    /** setitimer(ITIMER_REAL) and alarm(2): returns the old {value, interval}. */
    public static long[] setRealTimer(Task t, long valueNanos, long intervalNanos) {
        return t.group().realTimer.set(valueNanos, intervalNanos);
    }

    /** A signal for a process sent by the kernel on behalf of the caller (SIGPIPE from a write). */
    public static void sendSelf(Task t, int sig) {
        ThreadGroup g = t.group();
        Signals.sendToTask(t, Siginfo.kill(sig, Siginfo.SI_USER, g.pid(), g.credentials().uid()));
    }
}
