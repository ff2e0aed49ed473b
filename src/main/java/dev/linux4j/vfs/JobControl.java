package dev.linux4j.vfs;

/**
 * What a terminal needs of the process tree for job control (drivers/tty/tty_jobctrl.c): the
 * calling process's ids, its controlling terminal (Linux's {@code current->signal->tty}), and
 * signals to process groups and sessions. The kernel implements it for the task bound to the
 * calling thread ({@link Caller#jobControl}); terminals live below the kernel and reach it here.
 */
public interface JobControl {
    /** A terminal that can be a session's controlling terminal (a {@code struct tty_struct}). */
    interface Terminal {
        /** Opening /dev/tty when this is the caller's controlling terminal (tty_open_current_tty). */
        FileOps reopen(int flags);

        /**
         * disassociate_ctty: the calling session leader gives up its controlling terminal, by
         * TIOCNOTTY or, {@code onExit}, by exiting; the terminal's foreground group gets SIGHUP
         * (and SIGCONT, but not on exit), and no process of the session keeps the terminal.
         */
        void disassociate(JobControl caller, boolean onExit);

        /** tty_devnum: the terminal's device number, as makedev packs it. */
        long device();

        /** tty_get_pgrp: the foreground process group, 0 when there is none. */
        int foregroundGroup();
    }

    /** The calling process's pid, process group and session. */
    int pid();

    int pgid();

    int sid();

    /** The calling process's controlling terminal, or null. */
    Terminal terminal();

    /** Sets (or with null, clears) the calling process's controlling terminal (__proc_set_tty). */
    void setTerminal(Terminal terminal);

    /** The session of process group {@code pgid}'s live members; 0 when there is no such group. */
    int sessionOfGroup(int pgid);

    /** is_ignored of tty_jobctrl.c: the calling thread blocks {@code sig} or its process ignores it. */
    boolean ignores(int sig);

    /** is_current_pgrp_orphaned: the calling process's group is orphaned (will_become_orphaned_pgrp). */
    boolean groupOrphaned();

    /** kill_pgrp(pgrp, sig, 1): a signal from the kernel (SI_KERNEL) to every member of the group. */
    void signalGroup(int pgid, int sig);

    /**
     * tty_signal_session_leader: every process of session {@code sid} whose controlling terminal
     * is {@code terminal} loses it, and the session leader among them gets SIGHUP then SIGCONT
     * when {@code hangup} (a hangup; not for TIOCNOTTY's session_clear_tty).
     */
    void release(Terminal terminal, int sid, boolean hangup);
}
