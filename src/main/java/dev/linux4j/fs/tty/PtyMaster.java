package dev.linux4j.fs.tty;

import static dev.linux4j.abi.Poll.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Ioctls;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;

/**
 * The master side of a pty as an open file of /dev/ptmx: ptm_unix98_ops and tty_fops. Its stat
 * is the ptmx node's; its termios, window size and job control requests act on the slave.
 */
public final class PtyMaster implements FileOps {
    private final Pty pty;
    private final StatBuf ptmx;

    PtyMaster(Pty pty, StatBuf ptmx) {
        this.pty = pty;
        this.ptmx = ptmx;
        pty.openMaster();
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        if (len == 0) {
            return 0;
        }
        return pty.masterRead(buf, off, len, (file.flags() & Fcntl.O_NONBLOCK) != 0);
    }

    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        if (len == 0) {
            return 0;
        }
        return pty.masterWrite(buf, off, len, (file.flags() & Fcntl.O_NONBLOCK) != 0);
    }

    @Override
    public StatBuf stat(FileDescription file) {
        return ptmx;
    }

    @Override
    public boolean readReady(FileDescription file) {
        boolean[] s = pty.masterState();
        return s[0] || s[2];
    }

    /** n_tty_poll: POLLHUP once every slave is closed. */
    @Override
    public int poll(FileDescription file) {
        boolean[] s = pty.masterState();
        return (s[0] ? POLLIN | POLLRDNORM : 0) | (s[1] ? POLLOUT | POLLWRNORM : 0) | (s[2] ? POLLHUP : 0);
    }

    @Override
    public boolean pollable(FileDescription file) {
        return true;
    }

    /** pty_unix98_ioctl's requests, then tty_ioctl's on the slave. */
    @Override
    public long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
        switch (cmd) {
            case Ioctls.TIOCGPTN -> {
                context.writeInt(arg, pty.index);
                return 0;
            }
            case Ioctls.TIOCSPTLCK -> {
                int lock = TtyIoctl.readInt(context, arg);
                pty.lock.lock();
                try {
                    pty.locked = lock != 0;
                } finally {
                    pty.lock.unlock();
                }
                return 0;
            }
            case Ioctls.TIOCGPTLCK -> {
                pty.lock.lock();
                try {
                    context.writeInt(arg, pty.locked ? 1 : 0);
                } finally {
                    pty.lock.unlock();
                }
                return 0;
            }
            case Ioctls.TIOCGPTPEER -> throw ErrnoException.of(Errno.ENOTTY); // the syscall layer opens the peer
            default -> {
                return TtyIoctl.ioctl(pty, true, file, cmd, arg, context);
            }
        }
    }

    /**
     * TIOCGPTPEER's open of the slave (ptm_open_peer): a file of the slave with {@code flags}
     * (O_RDWR, O_NOCTTY, O_NONBLOCK, O_CLOEXEC...), EIO while the slave is locked.
     */
    public FileDescription openPeer(int flags) {
        FileOps slave = PtySlave.open(pty, flags, false);
        return new FileDescription(slave, flags | Fcntl.O_LARGEFILE, "/dev/pts/" + pty.index, null);
    }

    @Override
    public void fsync(FileDescription file) {
        throw ErrnoException.of(Errno.EINVAL);
    }

    @Override
    public void release(FileDescription file) {
        pty.closeMaster();
    }
}
