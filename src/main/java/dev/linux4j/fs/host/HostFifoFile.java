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
 * <p>A blocking open waits for a partner as fifo_open's wait_for_partner does. A reader waits
 * for a change of the writers' open count (pipe->w_counter), which linux4j keeps for its guests'
 * opens of each host FIFO, or for a host writer's data or close (the host does not tell when one
 * arrives without writing: a guest reader whose host writer opens and writes nothing waits in
 * open where Linux would return). A writer waits until the host open finds a reader, trying
 * again at once when a guest opens the FIFO for reading; a reader that opens without waiting
 * (O_NONBLOCK) and closes at once may be gone by then, where Linux's writer, waiting for
 * r_counter to change, would return.
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

    /** The guests' opens of one host FIFO so far, for reading and for writing (O_RDWR counts as both). */
    private static final class Partners {
        int readers;
        int writers;
    }

    private record Inode(long dev, long ino) {}

    private static final java.util.Map<Inode, Partners> PARTNERS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * fifo_open of the host FIFO at {@code hostPath} (the inode {@code dev}, {@code ino}) with
     * the guest's open {@code flags}: a writer without a reader waits for one (ENXIO when
     * O_NONBLOCK), a reader waits for a writer unless O_NONBLOCK; O_RDWR never waits.
     */
    static HostFifoFile open(String hostPath, int flags, long dev, long ino) {
        int acc = flags & Fcntl.O_ACCMODE;
        if (acc == Fcntl.O_ACCMODE) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        boolean nonblock = (flags & Fcntl.O_NONBLOCK) != 0;
        Partners partners = PARTNERS.computeIfAbsent(new Inode(dev, ino), k -> new Partners());
        int hostFlags = acc | Fcntl.O_NONBLOCK | Fcntl.O_NOFOLLOW;
        int readersSeen;
        synchronized (partners) {
            readersSeen = partners.readers;
        }
        while (true) {
            int fd = HostFiles.open(hostPath, hostFlags, 0);
            if (fd >= 0) {
                int writersSeen;
                synchronized (partners) {
                    writersSeen = partners.writers;
                    partners.readers += acc != Fcntl.O_WRONLY ? 1 : 0;
                    partners.writers += acc != Fcntl.O_RDONLY ? 1 : 0;
                    partners.notifyAll();
                }
                if (acc == Fcntl.O_RDONLY && !nonblock) {
                    try {
                        awaitWriter(fd, partners, writersSeen);
                    } catch (RuntimeException e) {
                        HostFiles.close(fd);
                        throw e;
                    }
                }
                return new HostFifoFile(fd, acc != Fcntl.O_WRONLY, acc != Fcntl.O_RDONLY);
            }
            if (fd != Errno.ENXIO.negated() || nonblock) {
                throw ErrnoException.ofNumber(-fd);
            }
            // no reader on the host: wait for a guest's open (then try again) or a slice
            synchronized (partners) {
                if (partners.readers == readersSeen) {
                    Sleep.waitOn(partners, SLICE_MILLIS); // ERESTARTSYS on a signal
                }
                readersSeen = partners.readers;
            }
        }
    }

    /**
     * A blocking reader's wait_for_partner: until a guest opens the FIFO for writing, or the host
     * pipe shows a writer's data or hang-up. ERESTARTSYS on a signal.
     */
    private static void awaitWriter(int fd, Partners partners, int writersSeen) {
        while (true) {
            synchronized (partners) {
                if (partners.writers != writersSeen) {
                    return;
                }
            }
            int revents = HostNative.poll(fd, POLLIN, SLICE_MILLIS);
            if (revents > 0 && (revents & (POLLIN | POLLHUP)) != 0) {
                return;
            }
            Sleep.sleep(0, null);
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
