package dev.linux4j.fs.tty;

import static dev.linux4j.abi.Ioctls.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Termios;
import dev.linux4j.vfs.Caller;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps.IoctlContext;
import dev.linux4j.vfs.JobControl;
import dev.linux4j.vfs.RestartSyscall;

/**
 * The terminal ioctls both ends of a pty share (drivers/tty/tty_io.c tty_ioctl, tty_ioctl.c
 * tty_mode_ioctl, tty_jobctrl.c, n_tty_ioctl), always on the slave: a master's request acts on
 * its slave (tty_pair_get_tty), and the job control requests on a slave need it to be the
 * caller's controlling terminal.
 */
final class TtyIoctl {
    private TtyIoctl() {}

    static int readInt(IoctlContext context, long arg) {
        byte[] b = context.read(arg, 4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    static long ioctl(Pty pty, boolean master, FileDescription file, int cmd, long arg, IoctlContext context) {
        switch (cmd) {
            case TCGETS -> context.write(arg, pty.termios());
            case TCGETS2 -> {
                byte[] t2 = java.util.Arrays.copyOf(pty.termios(), SIZEOF_TERMIOS2);
                java.nio.ByteBuffer.wrap(t2).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(36, 38400).putInt(40, 38400);
                context.write(arg, t2);
            }
            case TCSETS, TCSETSW, TCSETSF -> {
                checkChange(pty, Signal.SIGTTOU); // set_termios
                pty.setTermios(context.read(arg, Termios.SIZE), cmd == TCSETSF);
            }
            case TCSETS2, TCSETSW2, TCSETSF2 -> {
                checkChange(pty, Signal.SIGTTOU);
                pty.setTermios(context.read(arg, Termios.SIZE), cmd == TCSETSF2);
            }
            case TIOCGWINSZ -> context.write(arg, pty.winsize());
            case TIOCSWINSZ -> pty.setWinsize(context.read(arg, SIZEOF_WINSIZE));
            case FIONREAD -> context.writeInt(arg, master ? pty.masterAvailable() : pty.slaveAvailable());
            case TIOCOUTQ -> context.writeInt(arg, 0); // a pty has no chars_in_buffer
            case TCFLSH -> {
                if (!master) {
                    checkChange(pty, Signal.SIGTTOU); // n_tty_ioctl_helper checks the tty it was called on
                }
                int queue = (int) arg;
                if (queue < Termios.TCIFLUSH || queue > Termios.TCIOFLUSH) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                if (master) {
                    pty.flushMaster(queue);
                } else {
                    pty.flush(queue);
                }
            }
            case TCXONC -> {
                if (!master) {
                    checkChange(pty, Signal.SIGTTOU);
                }
                if (arg < Termios.TCOOFF || arg > Termios.TCION) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
            }
            case TCSBRK, TIOCEXCL, TIOCNXCL -> { }
            case TIOCGPTPEER -> throw ErrnoException.of(Errno.EIO); // ptm_open_peer on a tty that is no master
            case TIOCSCTTY -> {
                JobControl jc = jobControl();
                if (!claim(pty, jc, arg == 1)) {
                    throw ErrnoException.of(Errno.EPERM);
                }
            }
            case TIOCGPGRP -> {
                JobControl jc = jobControl();
                pty.lock.lock();
                try {
                    if (!master && jc.terminal() != pty) {
                        throw ErrnoException.of(Errno.ENOTTY);
                    }
                    context.writeInt(arg, pty.pgrp);
                } finally {
                    pty.lock.unlock();
                }
            }
            case TIOCGSID -> {
                JobControl jc = jobControl();
                pty.lock.lock();
                try {
                    if (!master && jc.terminal() != pty || pty.session == 0) {
                        throw ErrnoException.of(Errno.ENOTTY);
                    }
                    context.writeInt(arg, pty.session);
                } finally {
                    pty.lock.unlock();
                }
            }
            case TIOCSPGRP -> {
                try {
                    checkChange(pty, Signal.SIGTTOU); // tiocspgrp
                } catch (ErrnoException e) {
                    throw e.errno() == Errno.EIO ? ErrnoException.of(Errno.ENOTTY) : e;
                }
                setForeground(pty, jobControl(), readInt(context, arg));
            }
            case TIOCNOTTY -> {
                JobControl jc = jobControl();
                if (master || jc.terminal() != pty) {
                    throw ErrnoException.of(Errno.ENOTTY);
                }
                disassociate(pty, jc);
            }
            default -> throw ErrnoException.of(Errno.ENOTTY);
        }
        return 0;
    }

    /**
     * __tty_check_change (drivers/tty/tty_jobctrl.c): a process in a background group of the
     * session whose controlling terminal {@code pty} is may not read it ({@code sig} SIGTTIN) nor
     * change its settings or, under TOSTOP, write it (SIGTTOU). Its group gets {@code sig} and
     * the call restarts once the group is continued (ERESTARTSYS); instead EIO when the group is
     * orphaned, or for SIGTTIN when the caller blocks or ignores it. A caller that blocks or
     * ignores SIGTTOU goes on.
     */
    static void checkChange(Pty pty, int sig) {
        JobControl jc = Caller.jobControl();
        if (jc == null || jc.terminal() != pty) {
            return;
        }
        int foreground = pty.foregroundGroup();
        int pgrp = jc.pgid();
        if (foreground == 0 || foreground == pgrp) {
            return;
        }
        if (jc.ignores(sig)) {
            if (sig == Signal.SIGTTIN) {
                throw ErrnoException.of(Errno.EIO);
            }
            return;
        }
        if (jc.groupOrphaned()) {
            throw ErrnoException.of(Errno.EIO);
        }
        jc.signalGroup(pgrp, sig);
        throw RestartSyscall.ERESTARTSYS;
    }

    private static JobControl jobControl() {
        JobControl jc = Caller.jobControl();
        if (jc == null) {
            throw ErrnoException.of(Errno.ENOTTY);
        }
        return jc;
    }

    /**
     * tiocsctty and tty_open_proc_set_tty: a session leader without a controlling terminal
     * takes the pty when no session has it (or, with {@code steal}, from another session, as
     * root may). Returns false where Linux says EPERM; true also when it was already the
     * caller's.
     */
    static boolean claim(Pty pty, JobControl jc, boolean steal) {
        int sid = jc.sid();
        boolean leader = jc.pid() == sid;
        int oldSession;
        pty.lock.lock();
        try {
            if (leader && pty.session == sid) {
                return true;
            }
            if (!leader || jc.terminal() != null) {
                return false;
            }
            oldSession = pty.session;
            if (oldSession != 0 && !steal) {
                return false;
            }
            pty.session = sid;
            pty.pgrp = jc.pgid();
        } finally {
            pty.lock.unlock();
        }
        if (oldSession != 0) {
            jc.release(pty, oldSession, false); // session_clear_tty of the session it is taken from
        }
        jc.setTerminal(pty);
        return true;
    }

    /** tiocspgrp: the caller's controlling terminal, a group of its session. */
    private static void setForeground(Pty pty, JobControl jc, int pgid) {
        if (pgid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int sid = jc.sid();
        if (jc.terminal() != pty || pty.session != sid) {
            throw ErrnoException.of(Errno.ENOTTY);
        }
        int groupSession = jc.sessionOfGroup(pgid);
        if (groupSession == 0) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        if (groupSession != sid) {
            throw ErrnoException.of(Errno.EPERM);
        }
        pty.lock.lock();
        try {
            pty.pgrp = pgid;
        } finally {
            pty.lock.unlock();
        }
    }

    /** TIOCNOTTY (no_tty): a session leader gives the terminal up for the whole session, anyone else just drops it. */
    private static void disassociate(Pty pty, JobControl jc) {
        if (jc.pid() != jc.sid()) {
            jc.setTerminal(null);
            return;
        }
        pty.disassociate(jc, false);
    }
}
