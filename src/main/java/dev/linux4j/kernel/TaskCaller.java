package dev.linux4j.kernel;

import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Siginfo;
import dev.linux4j.vfs.Caller;
import dev.linux4j.vfs.JobControl;
import java.util.List;

/**
 * A task's process as the layers below the kernel see it ({@link Caller}): its credentials for
 * SCM_CREDENTIALS, and the process tree's side of terminal job control (tty_jobctrl.c's uses of
 * {@code current}, kill_pgrp and tty_signal_session_leader).
 */
final class TaskCaller implements Caller.Identity, JobControl {
    private final ThreadGroup group;

    TaskCaller(ThreadGroup group) {
        this.group = group;
    }

    @Override
    public int[] ucred() {
        Credentials c = group.credentials();
        return new int[] {group.pid(), c.uid(), c.gid()};
    }

    @Override
    public JobControl jobControl() {
        return this;
    }

    private ProcessTree tree() {
        return group.kernel().tree();
    }

    @Override
    public int pid() {
        return group.pid();
    }

    @Override
    public int pgid() {
        return group.pgid();
    }

    @Override
    public int sid() {
        return group.sid();
    }

    @Override
    public Terminal terminal() {
        return tree().tty(group);
    }

    @Override
    public void setTerminal(Terminal terminal) {
        synchronized (tree()) {
            group.tty = terminal;
        }
    }

    @Override
    public int sessionOfGroup(int pgid) {
        List<ThreadGroup> members = tree().inGroup(pgid);
        return members.isEmpty() ? 0 : members.getFirst().sid();
    }

    @Override
    public boolean ignores(int sig) {
        Task task = Task.current();
        return task != null && (task.mask & Signals.bit(sig)) != 0
                || group.signalActions().get(sig)[0] == SignalActions.SIG_IGN;
    }

    @Override
    public boolean groupOrphaned() {
        return tree().orphanedGroup(group.pgid());
    }

    @Override
    public void signalGroup(int pgid, int sig) {
        Siginfo info = Siginfo.kill(sig, Siginfo.SI_KERNEL, 0, 0);
        for (ThreadGroup g : tree().inGroup(pgid)) {
            Signals.sendToGroup(g, info);
        }
    }

    @Override
    public void release(Terminal terminal, int sid, boolean hangup) {
        ThreadGroup leader = null;
        synchronized (tree()) {
            for (ThreadGroup g : tree().all()) {
                if (g.sid == sid && g.tty == terminal && !g.zombie) {
                    g.tty = null;
                    if (g.pid() == sid) {
                        leader = g;
                    }
                }
            }
        }
        if (hangup && leader != null) {
            Signals.sendToGroup(leader, Siginfo.kill(Signal.SIGHUP, Siginfo.SI_KERNEL, 0, 0));
            Signals.sendToGroup(leader, Siginfo.kill(Signal.SIGCONT, Siginfo.SI_KERNEL, 0, 0));
        }
    }
}
