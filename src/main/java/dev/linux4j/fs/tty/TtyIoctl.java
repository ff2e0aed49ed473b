package dev.linux4j.fs.tty;

import static dev.linux4j.abi.Ioctls.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Termios;
import dev.linux4j.vfs.Caller;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps.IoctlContext;
import dev.linux4j.vfs.JobControl;

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
            case TCSETS, TCSETSW, TCSETSF -> pty.setTermios(context.read(arg, Termios.SIZE), cmd == TCSETSF);
            case TCSETS2, TCSETSW2, TCSETSF2 -> pty.setTermios(context.read(arg, Termios.SIZE), cmd == TCSETSF2);
            case TIOCGWINSZ -> context.write(arg, pty.winsize());
            case TIOCSWINSZ -> pty.setWinsize(context.read(arg, SIZEOF_WINSIZE));
            case FIONREAD -> context.writeInt(arg, master ? pty.masterAvailable() : pty.slaveAvailable());
            case TIOCOUTQ -> context.writeInt(arg, 0); // a pty has no chars_in_buffer
            case TCFLSH -> {
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
            case TIOCSPGRP -> setForeground(pty, jobControl(), readInt(context, arg));
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
