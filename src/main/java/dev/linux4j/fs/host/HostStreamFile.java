package dev.linux4j.fs.host;

import static dev.linux4j.abi.Stat.S_IFIFO;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.host.HostErrors;
import dev.linux4j.host.HostNative;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.Sleep;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One of the JVM's standard streams (or an embedder's stream) as a guest file. Writes reach the
 * underlying stream, flushed, before write(2) returns. {@code hostFd} is 0, 1 or 2 when the
 * stream is the JVM's own, so fstat and isatty can describe the real host file; else -1.
 */
public final class HostStreamFile implements FileOps {
    private final InputStream in;
    private final OutputStream out;
    private final int hostFd;

    public HostStreamFile(InputStream in, OutputStream out, int hostFd) {
        this.in = in;
        this.out = out;
        this.hostFd = hostFd;
    }

    /** Whether this is the host's terminal (for TCGETS and friends). */
    public boolean isTerminal() {
        return hostFd >= 0 && HostNative.isatty(hostFd);
    }

    public int hostFd() {
        return hostFd;
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        if (in == null) {
            throw ErrnoException.of(Errno.EBADF);
        }
        if (hostFd >= 0) {
            awaitHostInput();
        }
        try {
            int n = in.read(buf, off, len);
            return Math.max(n, 0);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    /**
     * A read of the JVM's own stdin blocks in the host kernel, where no guest signal reaches it.
     * Wait for input in slices instead, ending with ERESTARTSYS when a signal arrives, as a read
     * of a terminal or pipe does on Linux (Ctrl-C must stop a {@code cat} waiting for input).
     */
    private void awaitHostInput() {
        while (HostNative.pollReadable(hostFd, 50) == 0) {
            Sleep.sleep(0, null); // ERESTARTSYS when a signal is pending
        }
    }

    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        if (out == null) {
            throw ErrnoException.of(Errno.EBADF);
        }
        try {
            out.write(buf, off, len);
            out.flush();
            return len;
        } catch (IOException e) {
            if ("Broken pipe".equals(e.getMessage()) || "Stream closed".equals(e.getMessage())) {
                throw ErrnoException.of(Errno.EPIPE);
            }
            throw HostErrors.io(e);
        }
    }

    @Override
    public boolean readReady(FileDescription file) {
        try {
            return in != null && in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** A terminal can be polled as well as a pipe or socket. */
    @Override
    public boolean pollable(FileDescription file) {
        return isTerminal() || FileOps.super.pollable(file);
    }

    @Override
    public StatBuf stat(FileDescription file) {
        if (hostFd >= 0 && HostNative.hasStatx()) {
            byte[] raw = new byte[256];
            if (HostNative.statx("/proc/self/fd/" + hostFd, true, raw) == 0) {
                ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                long rdev = StatBuf.makedev(b.getInt(128) & 0xffffffffL, b.getInt(132) & 0xffffffffL);
                long dev = StatBuf.makedev(b.getInt(136) & 0xffffffffL, b.getInt(140) & 0xffffffffL);
                return new StatBuf(dev, b.getLong(32), b.getShort(28) & 0xffff, b.getInt(16) & 0xffffffffL,
                        b.getInt(20), b.getInt(24), rdev, b.getLong(40), b.getInt(4), b.getLong(48), b.getLong(64),
                        b.getInt(72), b.getLong(112), b.getInt(120), b.getLong(96), b.getInt(104), 0, 0, false, 0);
            }
        }
        return new StatBuf(0xc, hostFd + 1L, S_IFIFO | 0600, 1, HostNative.getuid(), HostNative.getgid(), 0, 0,
                4096, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0);
    }

    /**
     * Terminal requests (TCGETS, TCSETS*, TIOCGWINSZ, TIOCSWINSZ) and FIONREAD. On one of the JVM's
     * own stdio fds they go to the host fd, so the guest sees the host terminal — or the host's
     * ENOTTY for a pipe or file. On an embedder's stream there is no terminal (ENOTTY) and
     * FIONREAD counts what the stream has buffered.
     */
    @Override
    public long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
        int size = switch (cmd) {
            case dev.linux4j.abi.Ioctls.TCGETS, dev.linux4j.abi.Ioctls.TCSETS, dev.linux4j.abi.Ioctls.TCSETSW,
                    dev.linux4j.abi.Ioctls.TCSETSF -> dev.linux4j.abi.Ioctls.SIZEOF_TERMIOS;
            case dev.linux4j.abi.Ioctls.TIOCGWINSZ, dev.linux4j.abi.Ioctls.TIOCSWINSZ ->
                    dev.linux4j.abi.Ioctls.SIZEOF_WINSIZE;
            case dev.linux4j.abi.Ioctls.FIONREAD -> 4;
            default -> throw ErrnoException.of(Errno.ENOTTY);
        };
        boolean toHost = cmd == dev.linux4j.abi.Ioctls.TCSETS || cmd == dev.linux4j.abi.Ioctls.TCSETSW
                || cmd == dev.linux4j.abi.Ioctls.TCSETSF || cmd == dev.linux4j.abi.Ioctls.TIOCSWINSZ;
        if (hostFd < 0) {
            if (cmd != dev.linux4j.abi.Ioctls.FIONREAD) {
                throw ErrnoException.of(Errno.ENOTTY);
            }
            int available;
            try {
                available = in == null ? 0 : in.available();
            } catch (IOException e) {
                available = 0;
            }
            context.write(arg, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, available).array());
            return 0;
        }
        byte[] buf = toHost ? context.read(arg, size) : new byte[size];
        int rc = HostNative.ioctl(hostFd, cmd & 0xffffffffL, buf);
        if (rc < 0) {
            Errno e = Errno.of(-rc);
            throw ErrnoException.of(rc == -38 ? Errno.ENOTTY : e == null ? Errno.EIO : e);
        }
        if (!toHost) {
            context.write(arg, buf);
        }
        return rc;
    }

    @Override
    public void fsync(FileDescription file) {
        throw ErrnoException.of(Errno.EINVAL);
    }

    /**
     * What the host's /proc/self/fd shows for the JVM's own stdio ("/dev/pts/3", "pipe:[123]",
     * a file's host path); null for an embedder's stream, which has no host name.
     */
    @Override
    public String dname(FileDescription file) {
        if (hostFd < 0) {
            return null;
        }
        int[] errno = new int[1];
        byte[] target = HostNative.readlink("/proc/self/fd/" + hostFd, errno);
        return target == null ? null : new String(target, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Opening /proc/self/fd/N (/dev/stdin, /dev/stdout...) again: the same stream, for the access asked. */
    @Override
    public FileOps reopen(FileDescription file, int flags) {
        int acc = flags & dev.linux4j.abi.Fcntl.O_ACCMODE;
        InputStream newIn = acc == dev.linux4j.abi.Fcntl.O_WRONLY ? null : in;
        OutputStream newOut = acc == dev.linux4j.abi.Fcntl.O_RDONLY ? null : out;
        return new HostStreamFile(newIn, newOut, hostFd);
    }
}
