package dev.linux4j.kernel;

import static dev.linux4j.abi.Signal.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Siginfo;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.vfs.Sleep;
import java.io.PrintStream;
import java.util.List;

/**
 * Signal generation and delivery: kernel/signal.c ({@code send_signal}, {@code get_signal},
 * {@code do_signal_stop}) and arch/x86/kernel/signal.c ({@code handle_signal}, syscall restart).
 * Pending signals live per task and per process; delivery happens when a task returns from a
 * system call or is interrupted between instructions ({@link Task} calls {@link #deliver}).
 *
 * <p>Locking: a thread group's {@code siglock} guards its shared pending set, stop state, and its
 * tasks' masks, pending sets, alternate stacks and sleep flags. It is never held while taking the
 * process tree's lock.
 */
public final class Signals {
    private Signals() {}

    // sa_flags, include/uapi/asm-generic/signal-defs.h and arch/x86/include/uapi/asm/signal.h
    public static final long SA_NOCLDSTOP = 0x1;
    public static final long SA_NOCLDWAIT = 0x2;
    public static final long SA_SIGINFO = 0x4;
    public static final long SA_RESTORER = 0x04000000;
    public static final long SA_ONSTACK = 0x08000000;
    public static final long SA_RESTART = 0x10000000;
    public static final long SA_NODEFER = 0x40000000;
    public static final long SA_RESETHAND = 0x80000000L;

    /** Kernel-internal restart codes as they sit in RAX ({@code include/linux/errno.h}). */
    static final long ERESTARTSYS = -512;
    static final long ERESTARTNOINTR = -513;
    static final long ERESTARTNOHAND = -514;
    static final long ERESTART_RESTARTBLOCK = -516;
    /** __NR_restart_syscall. */
    static final long NR_RESTART_SYSCALL = 219;

    /** The bit of {@code sig} in a sigset_t. */
    public static long bit(int sig) {
        return 1L << (sig - 1);
    }

    static final long UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);
    static final long STOP_MASK = bit(SIGSTOP) | bit(SIGTSTP) | bit(SIGTTIN) | bit(SIGTTOU);

    /** A signal's default action (signal(7)). */
    public enum Action { TERMINATE, CORE, IGNORE, STOP, CONTINUE }

    public static Action defaultAction(int sig) {
        return switch (sig) {
            case SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS -> Action.CORE;
            case SIGCHLD, SIGURG, SIGWINCH -> Action.IGNORE;
            case SIGCONT -> Action.CONTINUE;
            case SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU -> Action.STOP;
            default -> Action.TERMINATE;
        };
    }

    // ---------------------------------------------------------------- generation

    /** Sends a signal to a process (its shared pending set), as kill(2) does. */
    public static void sendToGroup(ThreadGroup g, Siginfo info) {
        send(g, null, info);
    }

    /** Sends a signal to one thread, as tgkill(2) does. */
    public static void sendToTask(Task t, Siginfo info) {
        send(t.group(), t, info);
    }

    private static void send(ThreadGroup g, Task target, Siginfo info) {
        int sig = info.signo();
        boolean continued = false;
        synchronized (g.siglock) {
            if (g.exiting()) {
                return;
            }
            // prepare_signal: stop and continue signals cancel each other.
            if ((bit(sig) & STOP_MASK) != 0) {
                g.shared.discard(bit(SIGCONT));
                for (Task t : g.tasks()) {
                    t.pending.discard(bit(SIGCONT));
                }
            } else if (sig == SIGCONT || sig == SIGKILL) {
                g.shared.discard(STOP_MASK);
                for (Task t : g.tasks()) {
                    t.pending.discard(STOP_MASK);
                }
                if (g.stopped) {
                    g.stopped = false;
                    continued = sig == SIGCONT;
                    g.siglock.notifyAll();
                } else if (sig == SIGKILL) {
                    g.siglock.notifyAll(); // a task stopped for its tracer wakes to die
                }
            }
            if (!ignored(g, target, sig)) {
                (target != null ? target.pending : g.shared).add(info);
                if (target != null) {
                    if ((target.mask & bit(sig)) == 0) {
                        target.signalWake();
                    }
                } else {
                    // complete_signal: one thread that does not block it takes a process signal.
                    Task t = Threads.chooseTarget(g, sig);
                    if (t != null) {
                        t.signalWake();
                    }
                }
            }
        }
        if (continued) {
            ProcessTree.childContinued(g);
        }
        if (wakePollers) {
            Sleep.wakePollers(); // signalfd_notify: pollers of a signalfd look again
        }
    }

    /** Set once a signalfd exists: from then on every signal sent wakes pollers (signalfd_notify). */
    static volatile boolean wakePollers;

    /**
     * sig_ignored: an unblocked signal whose disposition ignores it is dropped when sent; one
     * that a waiting rt_sigtimedwait unblocked only for the wait counts as blocked.
     */
    private static boolean ignored(ThreadGroup g, Task target, int sig) {
        if (sig == SIGKILL || sig == SIGSTOP) {
            return false;
        }
        for (Task t : target != null ? List.of(target) : g.tasks()) {
            if (((t.mask | t.realBlocked) & bit(sig)) != 0) {
                return false;
            }
        }
        long handler = g.signalActions().handler(sig);
        return handler == SignalActions.SIG_IGN || handler == SignalActions.SIG_DFL
                && (defaultAction(sig) == Action.IGNORE || defaultAction(sig) == Action.CONTINUE);
    }

    /**
     * force_sig_info: a synchronous signal from a fault. If the program blocks or ignores it, the
     * default action is restored (and the signal unblocked), so a fault cannot be ignored.
     */
    static void force(Task t, Siginfo info) {
        ThreadGroup g = t.group();
        int sig = info.signo();
        synchronized (g.siglock) {
            long[] a = g.signalActions().get(sig);
            boolean blocked = (t.mask & bit(sig)) != 0;
            if (blocked || a[0] == SignalActions.SIG_IGN) {
                g.signalActions().set(sig, SignalActions.SIG_DFL, a[1], a[2], a[3]);
                t.mask &= ~bit(sig);
            }
            t.pending.add(info);
        }
    }

    /** Whether {@code t} has a pending signal it does not block (siglock held). */
    static boolean deliverable(Task t) {
        return ((t.pending.set | t.group().shared.set) & ~t.mask) != 0;
    }

    // ---------------------------------------------------------------- kill(2) and friends

    /** kill(2)'s targets: pid > 0 one process, 0 the caller's group, -1 everyone else, < -1 a group. */
    public static void kill(Task sender, int pid, int sig) {
        if (sig < 0 || sig > NSIG) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        ThreadGroup self = sender.group();
        Credentials cred = self.credentials();
        Siginfo info = Siginfo.kill(sig, Siginfo.SI_USER, self.pid(), cred.uid());
        if (pid > 0) {
            ThreadGroup g = sender.kernel().tree().find(pid);
            if (g == null) {
                if (pid == 1) { // the virtual init: root's, and it ignores what it has no handler for
                    if (!killOkByCred(cred, 0, 0)) {
                        throw ErrnoException.of(Errno.EPERM);
                    }
                    return;
                }
                throw ErrnoException.of(Errno.ESRCH);
            }
            checkKillPermission(self, g, sig);
            if (sig != 0) {
                sendToGroup(g, info);
            }
            return;
        }
        if (pid == -1) { // every process but init and the caller; EPERM ones are passed over
            List<ThreadGroup> all = sender.kernel().tree().all().stream().filter(g -> g != self).toList();
            if (all.isEmpty()) {
                throw ErrnoException.of(Errno.ESRCH);
            }
            for (ThreadGroup g : all) {
                if (mayKill(self, g, sig) && sig != 0) {
                    sendToGroup(g, info);
                }
            }
            return;
        }
        List<ThreadGroup> group = sender.kernel().tree().inGroup(pid == 0 ? self.pgid() : -pid);
        if (group.isEmpty()) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        boolean any = false;
        for (ThreadGroup g : group) { // __kill_pgrp_info: an error only when every member refused
            if (mayKill(self, g, sig)) {
                any = true;
                if (sig != 0) {
                    sendToGroup(g, info);
                }
            }
        }
        if (!any) {
            throw ErrnoException.of(Errno.EPERM);
        }
    }

    /**
     * check_kill_permission for a signal from a process: its own, or kill_ok_by_cred, or
     * SIGCONT within the session; EPERM otherwise.
     */
    static void checkKillPermission(ThreadGroup sender, ThreadGroup target, int sig) {
        if (!mayKill(sender, target, sig)) {
            throw ErrnoException.of(Errno.EPERM);
        }
    }

    private static boolean mayKill(ThreadGroup sender, ThreadGroup target, int sig) {
        if (sender == target) {
            return true;
        }
        Credentials t = target.credentials();
        return killOkByCred(sender.credentials(), t.uid(), t.suid())
                || sig == SIGCONT && sender.sid() == target.sid();
    }

    /** kill_ok_by_cred: the sender's real or effective uid is the target's real or saved one, or CAP_KILL (euid 0). */
    private static boolean killOkByCred(Credentials c, int uid, int suid) {
        return c.euid() == 0 || c.euid() == suid || c.euid() == uid || c.uid() == suid || c.uid() == uid;
    }

    // ---------------------------------------------------------------- delivery

    /**
     * Delivers what is pending for {@code t}, after a system call ({@code syscallNr} >= 0, its
     * result in RAX) or an interrupt (-1): default actions, handler frames, and the restart of
     * an interrupted system call.
     */
    static void deliver(Task t, long syscallNr) {
        ThreadGroup g = t.group();
        Cpu cpu = t.cpu();
        while (!g.exiting()) {
            int sig;
            Siginfo info;
            long[] act;
            synchronized (g.siglock) {
                if (g.stopped) {
                    stopWait(t);
                    continue;
                }
                long allowed = ~t.mask;
                sig = t.pending.next(allowed);
                SigPending from = t.pending;
                if (sig == 0) {
                    sig = g.shared.next(allowed);
                    from = g.shared;
                }
                if (sig == 0) {
                    if (syscallNr >= 0) {
                        restartWithoutHandler(t, cpu, syscallNr);
                    }
                    if (t.restoreMask) {
                        t.restoreMask = false;
                        t.mask = t.savedMask;
                    }
                    return;
                }
                info = from.take(sig);
                act = g.signalActions().get(sig);
            }
            if (t.tracer != null && sig != SIGKILL) {
                // ptrace_signal: the tracer sees the signal first, and says which one to deliver
                Siginfo[] replaced = new Siginfo[1];
                sig = Ptrace.signalStop(t, info, syscallNr, replaced);
                if (sig == 0) {
                    continue;
                }
                info = replaced[0];
                synchronized (g.siglock) {
                    if ((t.mask & bit(sig)) != 0) {
                        t.pending.add(info); // a signal the task blocks waits as any other
                        continue;
                    }
                    act = g.signalActions().get(sig);
                }
            }
            if (act[0] == SignalActions.SIG_IGN) {
                continue;
            }
            if (act[0] == SignalActions.SIG_DFL) {
                switch (defaultAction(sig)) {
                    case IGNORE, CONTINUE -> {
                        continue;
                    }
                    case STOP -> {
                        // get_signal: SIGTSTP, SIGTTIN and SIGTTOU do nothing in an orphaned process group
                        if (sig == SIGSTOP || !g.kernel().tree().orphanedGroup(g.pgid())) {
                            stop(t, sig);
                        }
                        continue;
                    }
                    case TERMINATE, CORE -> {
                        strace(t, info, true);
                        g.killBySignal(sig);
                        return;
                    }
                }
            }
            if (syscallNr >= 0) {
                restartForHandler(cpu, syscallNr, act[1]);
                syscallNr = -1;
            }
            strace(t, info, false);
            handle(t, sig, info, act);
        }
    }

    /** handle_signal: builds the frame, then blocks sa_mask (and the signal, unless SA_NODEFER). */
    private static void handle(Task t, int sig, Siginfo info, long[] act) {
        ThreadGroup g = t.group();
        long oldMask;
        synchronized (g.siglock) {
            oldMask = t.restoreMask ? t.savedMask : t.mask;
        }
        if (!SignalFrame.setup(t, sig, info, act, oldMask)) {
            // force_sigsegv: a SIGSEGV that cannot be delivered kills.
            if (sig == SIGSEGV) {
                g.signalActions().set(SIGSEGV, SignalActions.SIG_DFL, act[1], act[2], act[3]);
            }
            force(t, Siginfo.kill(SIGSEGV, Siginfo.SI_KERNEL, 0, 0));
            return;
        }
        synchronized (g.siglock) {
            t.restoreMask = false;
            long blocked = t.mask | act[3];
            if ((act[1] & SA_NODEFER) == 0) {
                blocked |= bit(sig);
            }
            t.mask = blocked & ~UNBLOCKABLE;
            if ((act[1] & SA_RESETHAND) != 0) {
                g.signalActions().set(sig, SignalActions.SIG_DFL, act[1], act[2], act[3]);
            }
        }
    }

    /** arch_do_signal_or_restart without a handler: restart the call. */
    private static void restartWithoutHandler(Task t, Cpu cpu, long nr) {
        long rax = cpu.r[Cpu.RAX];
        if (rax == ERESTARTNOHAND || rax == ERESTARTSYS || rax == ERESTARTNOINTR) {
            cpu.r[Cpu.RAX] = nr;
            cpu.rip -= 2;
        } else if (rax == ERESTART_RESTARTBLOCK) {
            cpu.r[Cpu.RAX] = NR_RESTART_SYSCALL;
            cpu.rip -= 2;
        }
    }

    /** handle_signal's restart rules: EINTR, or restart with SA_RESTART for ERESTARTSYS. */
    private static void restartForHandler(Cpu cpu, long nr, long flags) {
        long rax = cpu.r[Cpu.RAX];
        if (rax == ERESTART_RESTARTBLOCK || rax == ERESTARTNOHAND
                || rax == ERESTARTSYS && (flags & SA_RESTART) == 0) {
            cpu.r[Cpu.RAX] = Errno.EINTR.negated();
        } else if (rax == ERESTARTSYS || rax == ERESTARTNOINTR) {
            cpu.r[Cpu.RAX] = nr;
            cpu.rip -= 2;
        }
    }

    /** do_signal_stop: the process stops; its parent hears of it; the task waits for SIGCONT or SIGKILL. */
    private static void stop(Task t, int sig) {
        ThreadGroup g = t.group();
        synchronized (g.siglock) {
            g.stopped = true;
            g.stopSignal = sig;
        }
        ProcessTree.childStopped(g, sig);
        synchronized (g.siglock) {
            stopWait(t);
        }
    }

    private static void stopWait(Task t) {
        ThreadGroup g = t.group();
        while (g.stopped && !g.exiting() && ((t.pending.set | g.shared.set) & bit(SIGKILL)) == 0) {
            try {
                g.siglock.wait();
            } catch (InterruptedException e) {
                Thread.interrupted();
            }
        }
        g.stopped = g.stopped && !g.exiting() && ((t.pending.set | g.shared.set) & bit(SIGKILL)) == 0;
    }

    /** --strace: "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=100, si_uid=0} ---". */
    private static void strace(Task t, Siginfo info, boolean fatal) {
        PrintStream out = t.kernel().config().strace();
        if (out == null) {
            return;
        }
        int sig = info.signo();
        synchronized (out) {
            String body = switch (sig) {
                case SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP -> String.format("si_code=%d, si_addr=0x%x",
                        info.code(), info.addr());
                default -> String.format("si_code=%d, si_pid=%d", info.code(), info.pid());
            };
            out.printf("--- %s {si_signo=%s, %s} ---%n", name(sig), name(sig), body);
            if (fatal) {
                out.printf("+++ killed by %s%s +++%n", name(sig), t.group().dumpsCore(sig) ? " (core dumped)" : "");
            }
            out.flush();
        }
    }
}
