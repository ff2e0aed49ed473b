package dev.linux4j.fs.tty;

import static dev.linux4j.abi.Poll.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Ioctls;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.Caller;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.JobControl;

/**
 * The slave side of a pty as an open file, /dev/pts/N or /dev/tty: pty_unix98_ops under n_tty.
 * Once the master is gone it is hung up (hung_up_tty_fops): reads return 0, writes and most
 * ioctls fail with EIO.
 */
public final class PtySlave implements FileOps {
    private final Pty pty;
    /** Opened as /dev/tty: fstat shows that node (5,0), as the inode opened is /dev/tty's. */
    private final boolean devTty;

    private PtySlave(Pty pty, boolean devTty) {
        this.pty = pty;
        this.devTty = devTty;
    }

    /**
     * tty_open of the slave: EIO while locked or hung up. A session leader without a
     * controlling terminal opening it readable without O_NOCTTY makes it the session's
     * (tty_open_proc_set_tty).
     */
    static FileOps open(Pty pty, int flags, boolean devTty) {
        pty.openSlave();
        PtySlave slave = new PtySlave(pty, devTty);
        if ((flags & Fcntl.O_NOCTTY) == 0 && (flags & Fcntl.O_ACCMODE) != Fcntl.O_WRONLY) {
            JobControl jc = Caller.jobControl();
            if (jc != null && jc.pid() == jc.sid() && jc.terminal() == null) {
                TtyIoctl.claim(pty, jc, false);
            }
        }
        return slave;
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        TtyIoctl.checkChange(pty, Signal.SIGTTIN); // n_tty_read's job_control
        return pty.slaveRead(buf, off, len, (file.flags() & Fcntl.O_NONBLOCK) != 0);
    }

    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        if (pty.hungUp) {
            throw ErrnoException.of(Errno.EIO);
        }
        if (pty.tostop()) {
            TtyIoctl.checkChange(pty, Signal.SIGTTOU); // n_tty_write
        }
        if (len == 0) {
            return 0;
        }
        return pty.slaveWrite(buf, off, len, (file.flags() & Fcntl.O_NONBLOCK) != 0);
    }

    @Override
    public StatBuf stat(FileDescription file) {
        if (devTty) {
            long now = pty.created / 1000;
            return new StatBuf(StatBuf.makedev(0, 5), 9, Stat.S_IFCHR | 0666, 1, 0, 0,
                    StatBuf.makedev(DevPts.TTYAUX_MAJOR, 0), 0, 4096, 0, now, 0, now, 0, now, 0, 0, 0, false, 0);
        }
        return pty.devpts().stat(pty);
    }

    @Override
    public boolean readReady(FileDescription file) {
        boolean[] s = pty.slaveState();
        return s[0] || s[2];
    }

    /** n_tty_poll; hung_up_tty_poll once the master is gone. */
    @Override
    public int poll(FileDescription file) {
        boolean[] s = pty.slaveState();
        if (s[2]) {
            return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
        }
        return (s[0] ? POLLIN | POLLRDNORM : 0) | (s[1] ? POLLOUT | POLLWRNORM : 0);
    }

    @Override
    public boolean pollable(FileDescription file) {
        return true;
    }

    @Override
    public long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
        if (pty.hungUp) {
            throw ErrnoException.of(cmd == Ioctls.TIOCSPGRP ? Errno.ENOTTY : Errno.EIO); // hung_up_tty_ioctl
        }
        return TtyIoctl.ioctl(pty, false, file, cmd, arg, context);
    }

    @Override
    public void fsync(FileDescription file) {
        throw ErrnoException.of(Errno.EINVAL);
    }

    @Override
    public void release(FileDescription file) {
        pty.closeSlave();
    }
}
