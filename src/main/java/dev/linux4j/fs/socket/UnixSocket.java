package dev.linux4j.fs.socket;

import static dev.linux4j.abi.Poll.*;
import static dev.linux4j.abi.Sockets.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Ioctls;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.fs.pipe.Pipe;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.Sleep;

/**
 * One end of a connected pair of AF_UNIX sockets, as socketpair(2) makes them
 * (net/unix/af_unix.c): each direction is a {@link Pipe}, holding a byte stream for SOCK_STREAM
 * and whole messages (packet buffers) for SOCK_DGRAM and SOCK_SEQPACKET, so a short read of a
 * message drops its rest. shutdown(2) and closing follow unix_shutdown and unix_release_sock:
 * each end's RCV_SHUTDOWN and SEND_SHUTDOWN bits, mirrored onto the peer. Descriptors passed
 * with SCM_RIGHTS travel beside the bytes, each set at the position it was sent at. Not like
 * Linux: SCM_CREDENTIALS is not delivered, a message is at most 4,096 bytes
 * (EMSGSIZE beyond, where Linux takes up to SO_SNDBUF), and an empty datagram is not queued.
 *
 * <p>Locking: {@code this} guards the shutdown bits and the options; the pipes lock themselves.
 */
public final class UnixSocket implements FileOps {
    /** sockfs's st_dev as Linux reports it (an anonymous device, 0:8). */
    private static final long SOCKFS_DEV = 0x8;
    /** net.core.wmem_default and rmem_default: SO_SNDBUF and SO_RCVBUF until set. */
    private static final int DEFAULT_BUF = 212992;
    /** How much one direction holds: SO_SNDBUF's default, near enough. */
    private static final int CAPACITY = 256 * 1024;
    private static final int RCV_SHUTDOWN = 1;
    private static final int SEND_SHUTDOWN = 2;
    private static final int SHUTDOWN_MASK = 3;


    private final Pipe in;
    private final Pipe out;
    private final int type;
    /** The creator's {pid, uid, gid}: what the peer's SO_PEERCRED reports. */
    private final int[] cred;
    private final long inode;
    private UnixSocket peer;
    /** Serialises receivers; guards {@link #received}: bytes (or messages) taken so far. */
    private final Object receiveLock = new Object();
    private long received;
    /** Serialises senders; guards {@link #sent}: bytes (or messages) sent so far. */
    private final Object sendLock = new Object();
    private long sent;
    /** Descriptors in flight to this end, in the order sent. Guarded by itself. */
    private final java.util.ArrayDeque<Rights> rights = new java.util.ArrayDeque<>();
    private int shutdown;
    private boolean readerOpen = true;
    private boolean writerOpen = true;
    private boolean passcred;
    private int sndbuf = DEFAULT_BUF;
    private int rcvbuf = DEFAULT_BUF;

    private UnixSocket(Pipe in, Pipe out, int type, int[] cred) {
        this.in = in;
        this.out = out;
        this.type = type;
        this.cred = cred;
        this.inode = in.inode();
        in.open(true, false);
        out.open(false, true);
    }

    /**
     * socketpair(2)'s two files for a {@code type} already checked (SOCK_RAW is SOCK_DGRAM, as
     * unix_create makes it), with SOCK_NONBLOCK from {@code flags}; {@code cred} is the
     * caller's {pid, uid, gid}.
     */
    public static FileDescription[] pair(int type, int flags, int[] cred) {
        int kind = type == SOCK_RAW ? SOCK_DGRAM : type;
        Pipe ab = new Pipe();
        Pipe ba = new Pipe();
        ab.resize(CAPACITY);
        ba.resize(CAPACITY);
        UnixSocket a = new UnixSocket(ba, ab, kind, cred);
        UnixSocket b = new UnixSocket(ab, ba, kind, cred);
        a.peer = b;
        b.peer = a;
        int status = Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK);
        return new FileDescription[] {new FileDescription(a, status, "socket:[" + a.inode + "]", null),
            new FileDescription(b, status, "socket:[" + b.inode + "]", null)};
    }

    /** SO_TYPE. */
    public int type() {
        return type;
    }

    private boolean messages() {
        return type != SOCK_STREAM;
    }

    /**
     * Descriptors passed with SCM_RIGHTS, waiting with the bytes (or the message) they were sent
     * with: {@code length} of them from position {@code at}.
     */
    private record Rights(long at, long length, FileDescription[] files) {}

    /** What a receive got: the bytes copied, the whole message's length, and passed descriptors (or null). */
    public record Received(int copied, int length, FileDescription[] files) {}

    /**
     * recv: at most {@code len} bytes, waiting unless {@code nonblock} while nothing is queued and
     * the receiving side is not shut down (then 0, end of file). {@code peek} leaves the bytes
     * queued; {@code waitAll} waits for all {@code len} of a stream. A message is taken whole,
     * its rest past {@code len} dropped. A read that takes the first byte (or the message) that
     * descriptors were sent with gets them, and a stream read then stops at the end of the bytes
     * sent with them (Linux's unix_stream_read_generic goes on into the skb that carries them
     * and stops after it); the caller installs them or releases them (read(2) drops them).
     */
    public Received receive(byte[] buf, int off, int len, boolean nonblock, boolean peek, boolean waitAll) {
        synchronized (receiveLock) {
            if (messages()) {
                byte[] message = new byte[Pipe.PIPE_BUF];
                int n = receiveOnce(message, 0, message.length, nonblock, peek);
                int copied = Math.min(n, len);
                System.arraycopy(message, 0, buf, off, copied);
                FileDescription[] files = peek || n <= 0 ? null : arrived(1);
                return new Received(copied, n, files);
            }
            int n = 0;
            FileDescription[] files = null;
            do {
                int got = receiveOnce(buf, off + n, len - n, nonblock || n > 0 && !waitAll, peek);
                if (got <= 0) {
                    break;
                }
                if (!peek) {
                    FileDescription[] more = arrived(got);
                    if (more != null) {
                        files = more;
                        n += got;
                        break;
                    }
                }
                n += got;
            } while (waitAll && !peek && n < len);
            return new Received(n, n, files);
        }
    }

    /**
     * One read (the receive lock held): waits for data, then takes at most what lies before
     * the next descriptors that this read does not start at.
     */
    private int receiveOnce(byte[] buf, int off, int len, boolean nonblock, boolean peek) {
        boolean shut;
        synchronized (this) {
            shut = (shutdown & RCV_SHUTDOWN) != 0;
        }
        try {
            byte[] probe = new byte[1];
            if (len > 0 && in.peek(probe, 0, 1, nonblock || shut) == 0) {
                return 0; // end of file
            }
            int limit = messages() ? len : (int) Math.min(len, room(received));
            return peek ? in.peek(buf, off, limit, true) : in.read(buf, off, limit, true);
        } catch (ErrnoException e) {
            if (shut && e.errno() == Errno.EAGAIN) {
                return 0;
            }
            throw e;
        }
    }

    /** How many bytes from {@code pos} a stream read may take: up to the end of the next bytes that carry descriptors. */
    private long room(long pos) {
        synchronized (rights) {
            for (Rights r : rights) {
                if (r.at() + r.length() > pos) {
                    return r.at() + r.length() - pos;
                }
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * {@code count} bytes (or one message) were taken at {@link #received}: returns the
     * descriptors that came with them, if any (a read holds at most one set, see {@link #room}).
     */
    private FileDescription[] arrived(long count) {
        FileDescription[] got = null;
        synchronized (rights) {
            while (!rights.isEmpty() && rights.peekFirst().at() < received + count) {
                Rights r = rights.pollFirst();
                if (got == null) {
                    got = r.files();
                } else {
                    release(r.files());
                }
            }
        }
        received += count;
        return got;
    }

    /** Gives up one reference to each of {@code files} (descriptors in flight that nobody takes); null: none. */
    public static void release(FileDescription[] files) {
        if (files != null) {
            for (FileDescription f : files) {
                f.release();
            }
        }
    }

    /** The length of the next message (or the bytes queued, for a stream): FIONREAD. */
    public int queued() {
        return in.available();
    }

    /**
     * send: EPIPE once this end cannot send (the caller raises SIGPIPE unless MSG_NOSIGNAL).
     * {@code files} (SCM_RIGHTS, or null), one reference each given over by the caller, travel
     * with the first byte or the message; they are released when the send fails.
     */
    public int send(byte[] buf, int off, int len, boolean nonblock, FileDescription[] files) {
        try {
            synchronized (this) {
                if ((shutdown & SEND_SHUTDOWN) != 0) {
                    throw ErrnoException.of(Errno.EPIPE);
                }
            }
            if (messages() && len > Pipe.PIPE_BUF) {
                throw ErrnoException.of(Errno.EMSGSIZE);
            }
        } catch (ErrnoException e) {
            release(files);
            throw e;
        }
        if (len == 0) {
            release(files);
            return 0; // an empty datagram is not queued here (see the class comment)
        }
        synchronized (sendLock) {
            Rights r = null;
            if (files != null) {
                r = new Rights(sent, messages() ? 1 : len, files); // queued before the bytes can be read
                synchronized (peer.rights) {
                    peer.rights.addLast(r);
                }
            }
            int n;
            try {
                n = out.write(buf, off, len, nonblock, messages());
            } catch (RuntimeException e) {
                if (r != null) {
                    synchronized (peer.rights) {
                        peer.rights.remove(r);
                    }
                    release(files);
                }
                throw e;
            }
            sent += messages() ? 1 : n;
            if (r != null && !messages() && n < len) {
                synchronized (peer.rights) { // a partial write: the descriptors came with what was written
                    peer.rights.remove(r);
                    peer.rights.addLast(new Rights(r.at(), n, files));
                }
            }
            return n;
        }
    }

    /** shutdown(2): SHUT_RD, SHUT_WR or SHUT_RDWR, mirrored onto the peer (unix_shutdown). */
    public void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int mode = how + 1; // SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both
        shut(mode);
        int peerMode = ((mode & RCV_SHUTDOWN) != 0 ? SEND_SHUTDOWN : 0) | ((mode & SEND_SHUTDOWN) != 0 ? RCV_SHUTDOWN : 0);
        peer.shut(peerMode);
        Sleep.wakePollers();
    }

    /** Sets shutdown bits, closing this end's side of a pipe it no longer uses. */
    private void shut(int mode) {
        boolean closeReader;
        boolean closeWriter;
        synchronized (this) {
            shutdown |= mode;
            closeReader = (mode & RCV_SHUTDOWN) != 0 && readerOpen;
            closeWriter = (mode & SEND_SHUTDOWN) != 0 && writerOpen;
            readerOpen &= !closeReader;
            writerOpen &= !closeWriter;
        }
        if (closeReader) {
            in.close(true, false);
        }
        if (closeWriter) {
            out.close(false, true);
        }
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        Received r = receive(buf, off, len, (file.flags() & Fcntl.O_NONBLOCK) != 0, false, false);
        release(r.files()); // read(2) has nowhere to put them
        return r.copied();
    }

    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        return send(buf, off, len, (file.flags() & Fcntl.O_NONBLOCK) != 0, null);
    }

    @Override
    public boolean readReady(FileDescription file) {
        return (poll(file) & POLLIN) != 0;
    }

    /** unix_poll (unix_dgram_poll for datagrams is alike for a connected pair). */
    @Override
    public int poll(FileDescription file) {
        int shut;
        synchronized (this) {
            shut = shutdown;
        }
        boolean[] incoming = in.state();
        boolean[] outgoing = out.state();
        int mask = 0;
        if (shut == SHUTDOWN_MASK) {
            mask |= POLLHUP;
        }
        if ((shut & RCV_SHUTDOWN) != 0) {
            mask |= POLLRDHUP | POLLIN | POLLRDNORM;
        }
        if (incoming[0]) {
            mask |= POLLIN | POLLRDNORM;
        }
        if (outgoing[1] || (shut & SEND_SHUTDOWN) != 0) {
            mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
        }
        return mask;
    }

    /** Data arriving wakes EPOLLIN waiters, data leaving EPOLLOUT ones. */
    @Override
    public long pollWakeups(FileDescription file, int events) {
        return ((events & POLLIN) != 0 ? in.wakeups()[0] : 0) + ((events & POLLOUT) != 0 ? out.wakeups()[1] : 0);
    }

    @Override
    public long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
        if (cmd == Ioctls.FIONREAD) {
            int n = queued();
            context.writeInt(arg, n);
            return 0;
        }
        throw ErrnoException.of(Errno.ENOTTY);
    }

    /** getsockopt(SOL_SOCKET) as sock_getsockopt answers for this socket: the value's bytes, or ENOPROTOOPT. */
    public synchronized byte[] option(int name) {
        return switch (name) {
            case SO_TYPE -> le(type);
            case SO_DOMAIN -> le(AF_UNIX);
            case SO_PROTOCOL, SO_ERROR, SO_ACCEPTCONN, SO_DEBUG, SO_REUSEADDR, SO_KEEPALIVE, SO_DONTROUTE,
                    SO_BROADCAST, SO_OOBINLINE, SO_REUSEPORT, SO_PASSSEC -> le(0);
            case SO_PASSCRED -> le(passcred ? 1 : 0);
            case SO_SNDBUF -> le(sndbuf);
            case SO_RCVBUF -> le(rcvbuf);
            case SO_RCVLOWAT, SO_SNDLOWAT -> le(1);
            case SO_PEERCRED -> {
                int[] c = peer.cred;
                byte[] b = new byte[12];
                for (int i = 0; i < 3; i++) {
                    System.arraycopy(le(c[i]), 0, b, 4 * i, 4);
                }
                yield b;
            }
            case SO_LINGER -> new byte[8];
            case SO_RCVTIMEO, SO_SNDTIMEO -> new byte[16];
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        };
    }

    /**
     * setsockopt(SOL_SOCKET): EINVAL for a value shorter than an int; the buffer sizes are
     * doubled and bounded as sock_setsockopt does (net.core.[rw]mem_max 212992); the rest are
     * accepted and change nothing a socket pair shows. ENOPROTOOPT for an unknown option.
     */
    public synchronized void setOption(int name, byte[] value) {
        if (value.length < 4) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int v = (value[0] & 0xff) | (value[1] & 0xff) << 8 | (value[2] & 0xff) << 16 | value[3] << 24;
        switch (name) {
            case SO_SNDBUF -> sndbuf = Math.max(4608, 2 * Math.min(Math.max(v, 0), DEFAULT_BUF));
            case SO_RCVBUF -> rcvbuf = Math.max(2304, 2 * Math.min(Math.max(v, 0), DEFAULT_BUF));
            case SO_PASSCRED -> passcred = v != 0;
            case SO_DEBUG, SO_REUSEADDR, SO_KEEPALIVE, SO_DONTROUTE, SO_BROADCAST, SO_OOBINLINE, SO_REUSEPORT,
                    SO_RCVLOWAT, SO_SNDLOWAT, SO_LINGER, SO_RCVTIMEO, SO_SNDTIMEO, SO_PASSSEC -> { }
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
    }

    private static byte[] le(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** sockfs's d_dname: "socket:[INODE]". */
    @Override
    public String dname(FileDescription file) {
        return "socket:[" + inode + "]";
    }

    @Override
    public StatBuf stat(FileDescription file) {
        return new StatBuf(SOCKFS_DEV, inode, Stat.S_IFSOCK | 0777, 1, cred[1], cred[2], 0, 0, 4096, 0, 0, 0, 0, 0, 0,
                0, 0, 0, false, 0);
    }

    /** unix_release_sock: both directions end, the peer is shut down both ways, descriptors in flight here go. */
    @Override
    public void release(FileDescription file) {
        synchronized (rights) {
            for (Rights r : rights) {
                release(r.files());
            }
            rights.clear();
        }
        shut(SHUTDOWN_MASK);
        peer.shut(SHUTDOWN_MASK);
        Sleep.wakePollers();
    }
}
