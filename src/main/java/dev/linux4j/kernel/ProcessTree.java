package dev.linux4j.kernel;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Siginfo;
import dev.linux4j.vfs.Sleep;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The guest pid space and process tree: parents, children, process groups and sessions,
 * zombies and wait(2) (kernel/exit.c, kernel/sys.c). Pid 1 is a virtual init: it is the parent
 * of the first process and of orphans, and reaps them at once.
 *
 * <p>Locking: {@code this} (Linux's tasklist_lock) guards the map and every group's tree fields
 * (parent, children, pgid, sid, zombie and wait reports). It may be held while taking a group's
 * siglock (an interruptible wait does), never the other way round.
 */
public final class ProcessTree {
    /** The session and process group the first process starts in (init's, as a child of init). */
    static final int INITIAL_SID = 1;
    // wait options, include/uapi/linux/wait.h
    public static final int WNOHANG = 1;
    public static final int WSTOPPED = 2;
    public static final int WEXITED = 4;
    public static final int WCONTINUED = 8;
    public static final int WNOWAIT = 0x01000000;

    private final AtomicInteger nextPid;
    private final Map<Integer, ThreadGroup> groups = new TreeMap<>();

    ProcessTree(int firstPid) {
        nextPid = new AtomicInteger(firstPid);
    }

    int allocatePid() {
        return nextPid.getAndIncrement();
    }

    /** A new process: the first one (parent null: init's child) or a fork child. */
    synchronized void add(ThreadGroup g, ThreadGroup parent) {
        g.parent = parent;
        if (parent != null) {
            parent.children.add(g);
            g.pgid = parent.pgid;
            g.sid = parent.sid;
            g.tty = parent.tty;
        } else {
            g.pgid = INITIAL_SID;
            g.sid = INITIAL_SID;
        }
        groups.put(g.pid(), g);
    }

    /** Set once a pidfd exists: from then on a process's end wakes pollers. */
    private static volatile boolean wakePollersOnExit;

    /** A pidfd exists: the ends of processes wake pollers from now on. */
    public static void wakePollersOnExit() {
        wakePollersOnExit = true;
    }

    public synchronized ThreadGroup find(int pid) {
        ThreadGroup g = groups.get(pid);
        return g;
    }

    public synchronized List<ThreadGroup> all() {
        return List.copyOf(groups.values());
    }

    /** Live (not zombie) members of a process group. */
    public synchronized List<ThreadGroup> inGroup(int pgid) {
        return groups.values().stream().filter(g -> g.pgid == pgid && !g.zombie).toList();
    }

    /**
     * will_become_orphaned_pgrp(pgrp, NULL): no live member of group {@code pgid} has a parent in
     * another group of the same session. A parent that is init does not count (an orphan's:
     * here, none); the first process's parent, the host's process that started linux4j, is in
     * another group of the session the guest starts in. The job-control signals do nothing to
     * an orphaned group, and a terminal refuses it with EIO.
     */
    synchronized boolean orphanedGroup(int pgid) {
        for (ThreadGroup g : groups.values()) {
            if (g.pgid != pgid || g.zombie) {
                continue;
            }
            if (linksGroup(g, g.parent)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code parent}, as {@code g}'s parent, links g's process group to g's session: it
     * is in another group of the same session. A null parent is init, or for the first process
     * the host's process, which is in another group of the initial session.
     */
    private static boolean linksGroup(ThreadGroup g, ThreadGroup parent) {
        return parent == null ? g.hostParent && g.sid == INITIAL_SID
                : parent.pgid != g.pgid && parent.sid == g.sid;
    }

    synchronized int ppid(ThreadGroup g) {
        return g.parent == null ? 1 : g.parent.pid();
    }

    public synchronized int pgid(ThreadGroup g) {
        return g.pgid;
    }

    public synchronized int sid(ThreadGroup g) {
        return g.sid;
    }

    /** The process's controlling terminal (signal->tty), or null. */
    synchronized dev.linux4j.vfs.JobControl.Terminal tty(ThreadGroup g) {
        return g.tty;
    }

    /** setpgid(2). */
    public synchronized void setpgid(ThreadGroup caller, int pid, int pgid) {
        ThreadGroup target = pid == 0 ? caller : groups.get(pid);
        if (pgid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (target == null || target != caller && target.parent != caller) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        if (target.sid != caller.sid || target.sid == target.pid()) {
            throw ErrnoException.of(Errno.EPERM);
        }
        int newPgid = pgid == 0 ? target.pid() : pgid;
        if (newPgid != target.pid() && groups.values().stream().noneMatch(g -> g.pgid == newPgid
                && g.sid == caller.sid)) {
            throw ErrnoException.of(Errno.EPERM);
        }
        target.pgid = newPgid;
    }

    /** setsid(2). */
    public synchronized int setsid(ThreadGroup caller) {
        int pid = caller.pid();
        if (groups.values().stream().anyMatch(g -> g.pgid == pid)) {
            throw ErrnoException.of(Errno.EPERM);
        }
        caller.pgid = pid;
        caller.sid = pid;
        caller.tty = null; // ksys_setsid's proc_clear_tty
        return pid;
    }

    /** prctl(PR_SET_PDEATHSIG). */
    public synchronized void setParentDeathSignal(ThreadGroup g, int sig) {
        g.pdeathSignal = sig;
    }

    public synchronized int parentDeathSignal(ThreadGroup g) {
        return g.pdeathSignal;
    }

    /** prctl(PR_SET_CHILD_SUBREAPER). */
    public synchronized void setChildSubreaper(ThreadGroup g, boolean on) {
        g.childSubreaper = on;
    }

    public synchronized boolean childSubreaper(ThreadGroup g) {
        return g.childSubreaper;
    }

    // ---------------------------------------------------------------- exit and wait

    /**
     * The process has exited (its resources are released): orphans go to init (or the nearest
     * subreaper), the parent is told with its exit signal, and the process is a zombie until
     * reaped — or reaped at once when its parent is init or ignores SIGCHLD.
     */
    void exited(ThreadGroup g) {
        ThreadGroup parent;
        List<ThreadGroup> orphans;
        boolean autoreap;
        synchronized (this) {
            orphans = new ArrayList<>(g.children);
            ThreadGroup reaper = g.parent;
            while (reaper != null && !reaper.childSubreaper) {
                reaper = reaper.parent;
            }
            for (ThreadGroup c : orphans) {
                c.parent = reaper;
                if (reaper != null) {
                    reaper.children.add(c);
                }
            }
            g.children.clear();
            parent = g.parent;
            long[] act = parent == null ? null : parent.signalActions().get(Signal.SIGCHLD);
            autoreap = parent == null || g.exitSignal == Signal.SIGCHLD
                    && (act[0] == SignalActions.SIG_IGN || (act[1] & Signals.SA_NOCLDWAIT) != 0);
            g.zombie = true;
            killOrphanedGroups(g, parent, orphans);
            for (ThreadGroup c : orphans) {
                if (c.zombie && c.parent == null) {
                    reap(c);
                }
            }
            if (autoreap) {
                reap(g);
            }
            // do_notify_parent, before the parent's wait can see the zombie (both under
            // tasklist_lock): a parent that reaps the child in wait4 has its SIGCHLD pending on
            // the way back, and its handler runs before wait4 returns to the program.
            if (parent != null && g.exitSignal != 0) {
                ExitStatus s = g.exitStatus();
                int code = s.signal() == 0 ? Siginfo.CLD_EXITED : s.coreDumped() ? Siginfo.CLD_DUMPED : Siginfo.CLD_KILLED;
                Signals.sendToGroup(parent, Siginfo.child(code, g.pid(), g.credentials().uid(),
                        s.signal() == 0 ? s.code() : s.signal()).withSigno(g.exitSignal));
            }
            notifyAll();
        }
        if (wakePollersOnExit) {
            Sleep.wakePollers(); // pidfd_poll: a pidfd of this process is readable now
        }
        for (ThreadGroup c : orphans) {
            if (c.pdeathSignal != 0) {
                Signals.sendToGroup(c, Siginfo.kill(c.pdeathSignal, Siginfo.SI_USER, g.pid(), 0));
            }
        }
    }

    /**
     * kill_orphaned_pgrp, from exit_notify: a process group that this exit leaves orphaned (see
     * {@link #orphanedGroup}) while one of its members is stopped gets SIGHUP and then SIGCONT
     * (POSIX: a stopped job nobody can continue any more is hung up). That is the exiting
     * process's own group when it was a member's link to the session (its parent is in another
     * group of the same session), and each reparented child's group when the exiting process was
     * that link (it is in another group of the child's session). Called with the orphans already
     * reparented and {@code g} a zombie, before the parent is woken, as Linux sends these under
     * tasklist_lock before do_notify_parent.
     */
    private void killOrphanedGroups(ThreadGroup g, ThreadGroup parent, List<ThreadGroup> orphans) {
        Set<Integer> hung = new LinkedHashSet<>();
        for (ThreadGroup c : orphans) { // forget_original_parent -> reparent_leader
            if (linksGroup(c, g)) {
                hung.add(c.pgid);
            }
        }
        if (linksGroup(g, parent)) {
            hung.add(g.pgid);
        }
        for (int pgid : hung) {
            if (!orphanedGroup(pgid)) {
                continue;
            }
            List<ThreadGroup> members = inGroup(pgid);
            boolean stopped = false;
            for (ThreadGroup m : members) { // has_stopped_jobs
                synchronized (m.siglock) {
                    stopped |= m.stopped;
                }
            }
            if (stopped) {
                for (int sig : new int[] {Signal.SIGHUP, Signal.SIGCONT}) {
                    Siginfo info = Siginfo.kill(sig, Siginfo.SI_KERNEL, 0, 0);
                    for (ThreadGroup m : members) {
                        Signals.sendToGroup(m, info);
                    }
                }
            }
        }
    }

    private void reap(ThreadGroup g) {
        if (g.parent != null) {
            g.parent.children.remove(g);
        }
        groups.remove(g.pid(), g);
        g.kernel().procs().unregister(g);
    }

    /** The process stopped: wait(WUNTRACED) reports it, and the parent gets SIGCHLD unless SA_NOCLDSTOP. */
    static void childStopped(ThreadGroup g, int sig) {
        notifyParent(g, Siginfo.CLD_STOPPED, sig, true);
    }

    static void childContinued(ThreadGroup g) {
        notifyParent(g, Siginfo.CLD_CONTINUED, Signal.SIGCONT, false);
    }

    private static void notifyParent(ThreadGroup g, int code, int status, boolean stop) {
        ProcessTree tree = g.kernel().tree();
        ThreadGroup parent;
        synchronized (tree) {
            if (stop) {
                g.stopReport = status;
                g.continuedReport = false;
            } else {
                g.continuedReport = true;
                g.stopReport = 0;
            }
            parent = g.parent;
            // do_notify_parent_cldstop: the signal is pending before the waiting parent wakes.
            if (parent != null && (parent.signalActions().get(Signal.SIGCHLD)[1] & Signals.SA_NOCLDSTOP) == 0) {
                Signals.sendToGroup(parent, Siginfo.child(code, g.pid(), g.credentials().uid(), status));
            }
            tree.notifyAll();
        }
    }

    /** What wait4/waitid found: the child and its siginfo-style report. */
    public record Reaped(int pid, int uid, int code, int status, int waitStatus, ProcessCputime.Usage usage) {}

    /**
     * do_wait: the first child matching {@code select}, or thread of another process that
     * {@code self} traces matching {@code selectTracee}, with something to report; null with
     * WNOHANG when none has; ECHILD when none matches. Blocks interruptibly otherwise. A
     * tracee's stop is reported without WSTOPPED (wait_task_stopped for ptrace).
     */
    public synchronized Reaped waitFor(ThreadGroup self, Predicate<ThreadGroup> select, Predicate<Task> selectTracee,
            int options) {
        while (true) {
            boolean any = false;
            for (Task t : Ptrace.tracees(self)) {
                if (!selectTracee.test(t)) {
                    continue;
                }
                any = true;
                if (t.ptraceReport) {
                    int sig;
                    synchronized (t.group().siglock) {
                        sig = t.ptraceStop;
                    }
                    if (sig != 0) {
                        if ((options & WNOWAIT) == 0) {
                            t.ptraceReport = false;
                        }
                        return new Reaped(t.tid(), t.group().credentials().uid(), Siginfo.CLD_TRAPPED, sig,
                                (sig << 8) | 0x7f, t.group().cputime().both());
                    }
                }
            }
            for (ThreadGroup c : List.copyOf(self.children)) {
                if (!select.test(c)) {
                    continue;
                }
                any = true;
                Reaped r = report(c, options);
                if (r != null) {
                    return r;
                }
            }
            if (!any) {
                throw ErrnoException.of(Errno.ECHILD);
            }
            if ((options & WNOHANG) != 0) {
                return null;
            }
            Sleep.waitOn(this, 0);
        }
    }

    private Reaped report(ThreadGroup c, int options) {
        boolean keep = (options & WNOWAIT) != 0;
        int uid = c.credentials().uid();
        if (c.zombie && (options & WEXITED) != 0) {
            ExitStatus s = c.exitStatus();
            int code = s.signal() == 0 ? Siginfo.CLD_EXITED : s.coreDumped() ? Siginfo.CLD_DUMPED : Siginfo.CLD_KILLED;
            if (!keep) {
                c.parent.cputime().reapChild(c.cputime()); // wait_task_zombie: into cutime, cstime
                reap(c);
            }
            return new Reaped(c.pid(), uid, code, s.signal() == 0 ? s.code() : s.signal(), s.waitStatus(),
                    c.cputime().both());
        }
        if (c.stopReport != 0 && !c.zombie && (options & WSTOPPED) != 0) {
            int sig = c.stopReport;
            if (!keep) {
                c.stopReport = 0;
            }
            return new Reaped(c.pid(), uid, Siginfo.CLD_STOPPED, sig, (sig << 8) | 0x7f, c.cputime().both());
        }
        if (c.continuedReport && !c.zombie && (options & WCONTINUED) != 0) {
            if (!keep) {
                c.continuedReport = false;
            }
            return new Reaped(c.pid(), uid, Siginfo.CLD_CONTINUED, Signal.SIGCONT, 0xffff, c.cputime().both());
        }
        return null;
    }

    /** Kills every process still running (the first process has exited: linux4j is ending). */
    void killAll() {
        for (ThreadGroup g : all()) {
            if (!g.exiting()) {
                Signals.sendToGroup(g, Siginfo.kill(Signal.SIGKILL, Siginfo.SI_KERNEL, 0, 0));
            }
        }
    }
}
