package dev.linux4j.fs.socket;

import static dev.linux4j.abi.Sockets.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Ioctls;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.SocketTable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A socket (Linux's {@code struct socket} with its {@code proto_ops}): what the socket system
 * calls ask of every family. The defaults are net/core/sock.c's {@code sock_no_*}
 * (EOPNOTSUPP); a family overrides what it has. SOL_SOCKET options that only store a value
 * (sock_setsockopt) are kept here for every family.
 *
 * <p>Addresses cross this interface as the guest's {@code struct sockaddr} bytes, exactly as long
 * as the caller gave them (bind, connect, sendto) or as Linux would copy them out (getsockname,
 * getpeername, accept, recvfrom), so each family checks and writes its own layout.
 *
 * <p>Locking: {@code this} guards the options kept here; families document their own.
 */
public abstract class Socket implements FileOps, SocketTable.Source {
    /** sockfs's st_dev as Linux reports it (an anonymous device, 0:8). */
    private static final long SOCKFS_DEV = 0x8;
    /** net.core.wmem_default and rmem_default: SO_SNDBUF and SO_RCVBUF until set. */
    protected static final int DEFAULT_BUF = 212992;
    /** net.core.wmem_max and rmem_max: the most SO_SNDBUF and SO_RCVBUF take (then doubled). */
    private static final int MAX_BUF = 212992;
    private static final AtomicLong INODES = new AtomicLong(300000);

    private final int family;
    private final int type;
    private final int protocol;
    /** The creator's {pid, uid, gid}: SO_PEERCRED's answer for a peer, and stat's owner. */
    private final int[] cred;
    private final long inode = INODES.incrementAndGet();

    private int sndbuf = DEFAULT_BUF;
    private int rcvbuf = DEFAULT_BUF;
    /** SOL_SOCKET flags that only store their value, by option number (bit n: option n). */
    private long flagOptions;
    private int rcvlowat = 1;
    private byte[] linger = new byte[8];
    private byte[] rcvtimeo = new byte[16];
    private byte[] sndtimeo = new byte[16];

    protected Socket(int family, int type, int protocol, int[] cred) {
        this.family = family;
        this.type = type;
        this.protocol = protocol;
        this.cred = cred.clone();
    }

    /**
     * What a receive got: bytes copied, the whole message's length, passed descriptors (or
     * null), the sender's address (or null), and the sender's {pid, uid, gid} for an
     * SCM_CREDENTIALS control message (or null: none is due).
     */
    public record Received(int copied, int length, FileDescription[] files, byte[] from, int[] creds) {
        public Received(int copied, int length, FileDescription[] files, byte[] from) {
            this(copied, length, files, from, null);
        }
    }

    public final int family() {
        return family;
    }

    /** SO_TYPE. */
    public final int type() {
        return type;
    }

    public final int protocol() {
        return protocol;
    }

    /** The creator's {pid, uid, gid}. */
    public final int[] cred() {
        return cred.clone();
    }

    public final long inode() {
        return inode;
    }

    /** A new open file for this socket: O_RDWR, with O_NONBLOCK from {@code flags} (SOCK_NONBLOCK). */
    public FileDescription open(int flags) {
        SocketTable.register(inode, this); // /proc/net lists it until release unlists it
        return new FileDescription(this, Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK), dname(null), null);
    }

    /** Takes the socket out of /proc/net: its open file is released. */
    protected final void unlist() {
        SocketTable.unregister(inode);
    }

    /** bind(2) with the address bytes given. */
    public void bind(byte[] address, SocketPaths paths) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** listen(2). */
    public void listen(int backlog) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** accept(2): the next connection, as a new socket (the caller opens it). */
    public Socket accept(boolean nonblock) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** connect(2) to the address bytes given. */
    public void connect(byte[] address, SocketPaths paths, boolean nonblock) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** getsockname(2): this socket's address, as long as Linux reports it. */
    public abstract byte[] name();

    /** getpeername(2): the peer's address; ENOTCONN when there is none. */
    public abstract byte[] peerName();

    /**
     * sendto(2) and sendmsg(2): {@code to} is the address given (null for none); {@code files}
     * are SCM_RIGHTS descriptors (null for none), one reference each given over: a family that
     * cannot pass them, or a send that fails, releases them. EPIPE is returned as the exception;
     * the caller raises SIGPIPE.
     */
    public abstract int send(byte[] buf, int off, int len, int flags, boolean nonblock, byte[] to, SocketPaths paths,
            FileDescription[] files);

    /** recvfrom(2) and recvmsg(2), with their MSG_* {@code flags}. */
    public abstract Received receive(byte[] buf, int off, int len, int flags, boolean nonblock);

    /** shutdown(2): {@code how} is SHUT_RD, SHUT_WR or SHUT_RDWR (EINVAL otherwise). */
    public abstract void shutdown(int how);

    /** FIONREAD (SIOCINQ): the bytes waiting, or the next message's length. */
    public abstract int queued();

    /** SO_ACCEPTCONN. */
    protected abstract boolean listening();

    /**
     * Whether an EPIPE from sending raises SIGPIPE (unless MSG_NOSIGNAL): stream sockets only,
     * as tcp_sendmsg (sk_stream_error) and unix_stream_sendmsg send it; datagram and seqpacket
     * sends return EPIPE alone.
     */
    @Override
    public boolean sigpipeOnEpipe() {
        return type == SOCK_STREAM;
    }

    /**
     * sk_clone_lock: a socket that accept(2) makes starts with its listener's SOL_SOCKET
     * options (buffer sizes, flags, linger, timeouts).
     */
    protected final void copyOptionsFrom(Socket listener) {
        int sb;
        int rb;
        long flags;
        int lowat;
        byte[] ling;
        byte[] rt;
        byte[] st;
        synchronized (listener) {
            sb = listener.sndbuf;
            rb = listener.rcvbuf;
            flags = listener.flagOptions;
            lowat = listener.rcvlowat;
            ling = listener.linger.clone();
            rt = listener.rcvtimeo.clone();
            st = listener.sndtimeo.clone();
        }
        synchronized (this) {
            sndbuf = sb;
            rcvbuf = rb;
            flagOptions = flags;
            rcvlowat = lowat;
            linger = ling;
            rcvtimeo = rt;
            sndtimeo = st;
        }
    }

    /** SO_ERROR: the pending error, cleared by reading it (0 for none). */
    protected int takeError() {
        return 0;
    }

    /** SO_PEERCRED: the peer's {pid, uid, gid}; with none, Linux's {0, overflowuid, overflowgid}. */
    protected int[] peerCred() {
        return new int[] {0, -1, -1};
    }

    /** getsockopt(2) at a level but SOL_SOCKET (EOPNOTSUPP unless the family has it). */
    protected byte[] protocolOption(int level, int name) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** setsockopt(2) at a level but SOL_SOCKET. */
    protected void setProtocolOption(int level, int name, byte[] value) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** SO_SNDBUF's value now (what the family limits its queues by). */
    protected final synchronized int sndbuf() {
        return sndbuf;
    }

    /** SO_RCVBUF's value now. */
    protected final synchronized int rcvbuf() {
        return rcvbuf;
    }

    /** Whether a stored SOL_SOCKET flag (SO_REUSEADDR, SO_PASSCRED...) is set. */
    protected final synchronized boolean flag(int option) {
        return (flagOptions & 1L << option) != 0;
    }

    /** The options sock_setsockopt only stores, as booleans. */
    private static boolean isFlag(int name) {
        return switch (name) {
            case SO_DEBUG, SO_REUSEADDR, SO_KEEPALIVE, SO_DONTROUTE, SO_BROADCAST, SO_OOBINLINE, SO_REUSEPORT,
                    SO_PASSCRED, SO_PASSSEC -> true;
            default -> false;
        };
    }

    /** getsockopt(2): the value's bytes as Linux writes them (the caller cuts them to the length given). */
    public byte[] option(int level, int name) {
        if (level != SOL_SOCKET) {
            return protocolOption(level, name);
        }
        if (isFlag(name)) {
            return le(flag(name) ? 1 : 0);
        }
        return switch (name) {
            case SO_TYPE -> le(type);
            case SO_DOMAIN -> le(family);
            case SO_PROTOCOL -> le(protocol);
            case SO_ERROR -> le(takeError());
            case SO_ACCEPTCONN -> le(listening() ? 1 : 0);
            case SO_SNDBUF -> le(sndbuf());
            case SO_RCVBUF -> le(rcvbuf());
            case SO_SNDLOWAT -> le(1);
            case SO_PEERCRED -> {
                int[] c = peerCred();
                byte[] b = new byte[12];
                for (int i = 0; i < 3; i++) {
                    System.arraycopy(le(c[i]), 0, b, 4 * i, 4);
                }
                yield b;
            }
            default -> storedOption(name);
        };
    }

    private synchronized byte[] storedOption(int name) {
        return switch (name) {
            case SO_RCVLOWAT -> le(rcvlowat);
            case SO_LINGER -> linger.clone();
            case SO_RCVTIMEO -> rcvtimeo.clone();
            case SO_SNDTIMEO -> sndtimeo.clone();
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        };
    }

    /**
     * setsockopt(2) at SOL_SOCKET as sock_setsockopt: EINVAL for a value shorter than an int;
     * the buffer sizes are bounded and doubled; the flags and timeouts are stored (SO_RCVTIMEO
     * and SO_SNDTIMEO are not acted on); ENOPROTOOPT for an unknown option, and for SO_SNDLOWAT,
     * which Linux cannot change (socket(7)). Other levels go to the family.
     */
    public void setOption(int level, int name, byte[] value) {
        if (level != SOL_SOCKET) {
            setProtocolOption(level, name, value);
            return;
        }
        if (value.length < 4) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int v = intOf(value);
        synchronized (this) {
            if (isFlag(name)) {
                flagOptions = v != 0 ? flagOptions | 1L << name : flagOptions & ~(1L << name);
                return;
            }
            switch (name) {
                case SO_SNDBUF -> sndbuf = Math.max(4608, 2 * Math.min(Math.max(v, 0), MAX_BUF));
                case SO_RCVBUF -> rcvbuf = Math.max(2304, 2 * Math.min(Math.max(v, 0), MAX_BUF));
                case SO_RCVLOWAT -> rcvlowat = v < 0 ? Integer.MAX_VALUE : Math.max(v, 1);
                case SO_LINGER -> {
                    if (value.length < 8) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    linger = java.util.Arrays.copyOf(value, 8);
                }
                case SO_RCVTIMEO, SO_SNDTIMEO -> {
                    if (value.length < 16) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    byte[] t = java.util.Arrays.copyOf(value, 16);
                    if (name == SO_RCVTIMEO) {
                        rcvtimeo = t;
                    } else {
                        sndtimeo = t;
                    }
                }
                default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
            }
        }
    }

    /** Gives up one reference to each of {@code files} (descriptors in flight that nobody takes); null: none. */
    public static void releaseFiles(FileDescription[] files) {
        if (files != null) {
            for (FileDescription f : files) {
                f.release();
            }
        }
    }

    protected static byte[] le(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    protected static int intOf(byte[] value) {
        return (value[0] & 0xff) | (value[1] & 0xff) << 8 | (value[2] & 0xff) << 16 | value[3] << 24;
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        Received r = receive(buf, off, len, 0, (file.flags() & Fcntl.O_NONBLOCK) != 0);
        releaseFiles(r.files()); // read(2) has nowhere to put them
        return r.copied();
    }

    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        return send(buf, off, len, 0, (file.flags() & Fcntl.O_NONBLOCK) != 0, null, null, null);
    }

    @Override
    public boolean readReady(FileDescription file) {
        return (poll(file) & dev.linux4j.abi.Poll.POLLIN) != 0;
    }

    @Override
    public long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
        if (cmd == Ioctls.FIONREAD) {
            context.writeInt(arg, queued());
            return 0;
        }
        if (cmd == SIOCGIFNAME || cmd == SIOCGIFINDEX || cmd == SIOCGIFFLAGS || cmd == SIOCGIFMTU) {
            interfaceIoctl(cmd, arg, context);
            return 0;
        }
        throw ErrnoException.of(Errno.ENOTTY);
    }

    private static final int SIOCGIFNAME = 0x8910;
    private static final int SIOCGIFFLAGS = 0x8913;
    private static final int SIOCGIFMTU = 0x8921;
    private static final int SIOCGIFINDEX = 0x8933;
    private static final int IFNAMSIZ = 16;

    /**
     * dev_ioctl's questions about a host interface, on any socket: SIOCGIFNAME (the name of
     * ifr_ifindex), SIOCGIFINDEX, SIOCGIFFLAGS and SIOCGIFMTU (of ifr_name); ENODEV for none.
     * A struct ifreq is the name (IFNAMSIZ bytes) and a 24-byte union.
     */
    private static void interfaceIoctl(int cmd, long arg, IoctlContext context) {
        byte[] ifr = context.read(arg, IFNAMSIZ + 24);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ifr).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        NetlinkSocket.Link link;
        if (cmd == SIOCGIFNAME) {
            link = NetlinkSocket.hostLink(l -> l.index() == b.getInt(IFNAMSIZ));
        } else {
            int n = 0;
            while (n < IFNAMSIZ - 1 && ifr[n] != 0) {
                n++;
            }
            String name = new String(ifr, 0, n, java.nio.charset.StandardCharsets.UTF_8);
            link = NetlinkSocket.hostLink(l -> l.name().equals(name));
        }
        if (link == null) {
            throw ErrnoException.of(Errno.ENODEV);
        }
        switch (cmd) {
            case SIOCGIFNAME -> {
                byte[] name = java.util.Arrays.copyOf(link.name().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        IFNAMSIZ);
                name[IFNAMSIZ - 1] = 0;
                context.write(arg, name);
            }
            case SIOCGIFINDEX -> context.writeInt(arg + IFNAMSIZ, link.index());
            case SIOCGIFFLAGS -> context.write(arg + IFNAMSIZ, new byte[] {(byte) link.flags(), (byte) (link.flags() >> 8)});
            default -> context.writeInt(arg + IFNAMSIZ, link.mtu());
        }
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
}
