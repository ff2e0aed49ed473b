package dev.linux4j.fs.host;

import static dev.linux4j.abi.Poll.POLLERR;
import static dev.linux4j.abi.Poll.POLLHUP;
import static dev.linux4j.abi.Poll.POLLIN;
import static dev.linux4j.abi.Poll.POLLOUT;
import static dev.linux4j.abi.Poll.POLLRDNORM;
import static dev.linux4j.abi.Poll.POLLWRNORM;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.host.HostFiles;
import dev.linux4j.host.HostNative;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.Sleep;

/**
 * A FIFO of the host file system (mkfifo), open through a host descriptor, so that guest
 * processes and host processes on either end meet in the host kernel's pipe (fs/pipe.c's
 * fifo_open, pipe_read, pipe_write, pipe_poll). The host descriptor is always non-blocking: a
 * blocking open, read or write waits in slices of {@link #SLICE_MILLIS}, in which a guest signal
 * ends the wait with ERESTARTSYS as on Linux (the host kernel, where the JVM's thread would
 * otherwise sleep, never sees guest signals).
 *
 * <p>One difference from Linux remains: a blocking open for reading returns at once instead of
 * waiting for a writer (the host does not tell when one arrives without data). Reads see no
 * difference: a read before any writer waits, as it would after the open had waited, because
 * the host's poll reports a hang-up only after a writer has come and gone.
 */
final class HostFifoFile implements FileOps {
    /** How long one wait for a partner, data or room lasts before signals are looked at. */
    static final int SLICE_MILLIS = 20;

    private final int fd;
    private final boolean reader;
    private final boolean writer;

    private HostFifoFile(int fd, boolean reader, boolean writer) {
        this.fd = fd;
        this.reader = reader;
        this.writer = writer;
    }

    /**
     * fifo_open of the host FIFO at {@code hostPath} with the guest's open {@code flags}: a writer
     * without a reader waits for one (ENXIO when O_NONBLOCK); O_RDWR never waits.
     */
    static HostFifoFile open(String hostPath, int flags) {
        int acc = flags & Fcntl.O_ACCMODE;
        if (acc == Fcntl.O_ACCMODE) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int hostFlags = acc | Fcntl.O_NONBLOCK | Fcntl.O_NOFOLLOW;
        while (true) {
            int fd = HostFiles.open(hostPath, hostFlags, 0);
            if (fd >= 0) {
                return new HostFifoFile(fd, acc != Fcntl.O_WRONLY, acc != Fcntl.O_RDONLY);
            }
            if (fd != Errno.ENXIO.negated() || (flags & Fcntl.O_NONBLOCK) != 0) {
                throw ErrnoException.ofNumber(-fd);
            }
            Sleep.sleep(SLICE_MILLIS * 1_000_000L, null); // no reader yet: ERESTARTSYS on a signal
        }
    }

    /** pipe_read: data, 0 once no writer is left, EAGAIN when non-blocking and there is none yet. */
    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        if (!reader) {
            throw ErrnoException.of(Errno.EBADF);
        }
        if (len == 0) {
            return 0;
        }
        if ((file.flags() & Fcntl.O_NONBLOCK) != 0) {
            return (int) check(HostFiles.read(fd, buf, off, len));
        }
        while (true) {
            // The host's non-blocking read says 0 both at end of file and before any writer came;
            // its poll tells them apart (a hang-up only once a writer has come and gone).
            int revents = HostNative.poll(fd, POLLIN, SLICE_MILLIS);
            if (revents < 0 || (revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                long n = HostFiles.read(fd, buf, off, len);
                if (n != Errno.EAGAIN.negated()) {
                    return (int) check(n);
                }
            }
            Sleep.sleep(0, null); // ERESTARTSYS when a signal is pending
        }
    }

    /**
     * pipe_write: all of {@code len} bytes when blocking (waiting for room), as many as fit when
     * not (EAGAIN if none); EPIPE once no reader is left.
     */
    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        if (!writer) {
            throw ErrnoException.of(Errno.EBADF);
        }
        boolean nonBlocking = (file.flags() & Fcntl.O_NONBLOCK) != 0;
        int total = 0;
        while (total < len || len == 0) {
            long n = HostFiles.write(fd, buf, off + total, len - total);
            if (n >= 0) {
                total += (int) n;
                if (len == 0) {
                    break;
                }
                continue;
            }
            if (n != Errno.EAGAIN.negated() || nonBlocking) {
                if (total > 0) {
                    return total;
                }
                throw ErrnoException.ofNumber(-n);
            }
            HostNative.poll(fd, POLLOUT, SLICE_MILLIS);
            try {
                Sleep.sleep(0, null);
            } catch (dev.linux4j.vfs.RestartSyscall signalled) {
                if (total > 0) {
                    return total; // a signal after part of the write: the part written
                }
                throw signalled;
            }
        }
        return total;
    }

    private static long check(long n) {
        if (n < 0) {
            throw ErrnoException.ofNumber(-n);
        }
        return n;
    }

    @Override
    public boolean readReady(FileDescription file) {
        return (poll(file) & (POLLIN | POLLHUP)) != 0;
    }

    /** pipe_poll, as the host's kernel answers it for this end. */
    @Override
    public int poll(FileDescription file) {
        int events = (reader ? POLLIN : 0) | (writer ? POLLOUT : 0);
        int r = HostNative.poll(fd, events, 0);
        if (r < 0) {
            return events;
        }
        int mask = r & (POLLIN | POLLOUT | POLLHUP | POLLERR);
        mask |= (mask & POLLIN) != 0 ? POLLRDNORM : 0;
        mask |= (mask & POLLOUT) != 0 ? POLLWRNORM : 0;
        return mask;
    }

    @Override
    public boolean pollable(FileDescription file) {
        return true;
    }

    @Override
    public StatBuf stat(FileDescription file) {
        return HostStat.of(fd);
    }

    /** FIONREAD: the bytes in the pipe, as the host counts them. */
    @Override
    public long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
        if (cmd != dev.linux4j.abi.Ioctls.FIONREAD) {
            throw ErrnoException.of(Errno.ENOTTY);
        }
        byte[] count = new byte[4];
        int rc = HostNative.ioctl(fd, cmd & 0xffffffffL, count);
        if (rc < 0) {
            throw ErrnoException.ofNumber(-rc);
        }
        context.write(arg, count);
        return 0;
    }

    @Override
    public void release(FileDescription file) {
        HostFiles.close(fd);
    }
}
