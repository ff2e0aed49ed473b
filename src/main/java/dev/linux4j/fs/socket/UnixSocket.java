package dev.linux4j.fs.socket;

import static dev.linux4j.abi.Poll.*;
import static dev.linux4j.abi.Sockets.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.fs.pipe.Pipe;
import dev.linux4j.vfs.Caller;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.RestartSyscall;
import dev.linux4j.vfs.Sleep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An AF_UNIX socket (net/unix/af_unix.c): stream, datagram and seqpacket; socketpair(2) pairs,
 * and names bound in the file system (a socket node, found by its inode) or in the abstract
 * namespace (a leading NUL byte), with listen, accept and connect, and datagrams sent to a name.
 *
 * <p>Each socket's receive queue is a {@link Pipe}, holding a byte stream for SOCK_STREAM and
 * whole messages (packet buffers) for SOCK_DGRAM and SOCK_SEQPACKET, so a short read of a
 * message drops its rest. A connected stream or seqpacket socket holds a writer of its peer's
 * queue, so the peer reads end of file once it is gone or shut down; a datagram socket holds a
 * writer of its own queue, so a datagram socket never reads end of file from its senders going.
 * shutdown(2) and closing follow unix_shutdown and unix_release_sock: each end's RCV_SHUTDOWN and
 * SEND_SHUTDOWN bits, mirrored onto the peer of a connected stream or seqpacket socket.
 * Descriptors passed with SCM_RIGHTS, and a datagram's sender address, travel beside the bytes,
 * each set at the position in the receive queue it was sent at.
 *
 * <p>Not like Linux: a datagram queue is bounded by bytes (the
 * pipe's), not by net.unix.max_dgram_qlen messages; the
 * bound names are shared by every linux4j kernel in the JVM, as if they shared one network
 * namespace.
 *
 * <p>Locking: {@code this} guards the state, peer, name, backlog, shutdown bits and pending error,
 * and is what accept(2) and a connect(2) to a full backlog wait on; a connect takes the
 * listener's lock, then its own. {@link #enqueueLock} serialises what is put into this socket's
 * queue (so the positions of {@link #ancillary} stay true), {@link #receiveLock} what is taken.
 * The pipe locks itself.
 */
public final class UnixSocket extends Socket {
    /** How much one receive queue holds: SO_SNDBUF's default, near enough. */
    private static final int CAPACITY = 256 * 1024;
    private static final int RCV_SHUTDOWN = 1;
    private static final int SEND_SHUTDOWN = 2;
    private static final int SHUTDOWN_MASK = 3;
    /** offsetof(struct sockaddr_un, sun_path). */
    private static final int SUN_PATH = 2;
    /** sizeof(struct sockaddr_un). */
    private static final int SOCKADDR_UN = 110;

    /** The socket states a unix socket goes through (include/net/tcp_states.h). */
    private enum State { CLOSE, LISTEN, ESTABLISHED }

    /**
     * Bound names: an abstract name's key is a String of its bytes (ISO-8859-1 keeps them one
     * for one), a path's the socket node's {@link SocketPaths.Node}.
     */
    private static final ConcurrentHashMap<Object, UnixSocket> BOUND = new ConcurrentHashMap<>();
    /** unix_autobind's ordernum: the next name an autobind tries. */
    private static final AtomicInteger ORDERNUM = new AtomicInteger();

    private final Pipe in = new Pipe();
    private State state = State.CLOSE;
    private UnixSocket peer;
    /** The bound name as getsockname reports it, and its key in {@link #BOUND}; null when unbound. */
    private byte[] address;
    private Object key;
    /** Connections waiting for accept(2), while listening. */
    private final ArrayDeque<UnixSocket> backlog = new ArrayDeque<>();
    private int maxBacklog;
    private long connections;
    /** The peer's {pid, uid, gid} as SO_PEERCRED reports it, or null. */
    private int[] peerCred;
    private int shutdown;
    /** sk_err: ECONNRESET when the peer went with data unread. */
    private int error;
    private boolean readerOpen = true;
    /** Whether this socket holds a writer of a queue: its peer's (stream, seqpacket) or its own (datagram). */
    private boolean writerOpen;
    private boolean released;

    /** Serialises what is put into {@link #in}; guards {@link #enqueued}: bytes (or messages) put so far. */
    private final Object enqueueLock = new Object();
    private long enqueued;
    /** Serialises receivers; guards {@link #received}: bytes (or messages) taken so far. */
    private final Object receiveLock = new Object();
    private long received;
    /** Descriptors and sender addresses in flight to this socket, in the order sent. Guarded by itself. */
    private final ArrayDeque<Ancillary> ancillary = new ArrayDeque<>();
    /**
     * Who sent what is queued: a run from each position where the sender's credentials changed
     * (Linux keeps them in every sk_buff). Guarded by {@link #ancillary}.
     */
    private final ArrayDeque<CredRun> credRuns = new ArrayDeque<>();

    private UnixSocket(int type, int[] cred) {
        super(AF_UNIX, type, 0, cred);
        in.resize(CAPACITY);
        boolean datagram = type == SOCK_DGRAM;
        in.open(true, datagram);
        writerOpen = datagram;
    }

    /**
     * unix_create: EPROTONOSUPPORT for a protocol but 0 and PF_UNIX, ESOCKTNOSUPPORT for a type
     * but stream, datagram, seqpacket and raw (which is a datagram socket).
     */
    private static int kind(int type, int protocol) {
        if (protocol != 0 && protocol != AF_UNIX) {
            throw ErrnoException.of(Errno.EPROTONOSUPPORT);
        }
        return switch (type) {
            case SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET -> type;
            case SOCK_RAW -> SOCK_DGRAM;
            default -> throw ErrnoException.of(Errno.ESOCKTNOSUPPORT);
        };
    }

    /** socket(2) of AF_UNIX: {@code type} without its flags; {@code cred} is the caller's {pid, uid, gid}. */
    public static UnixSocket create(int type, int protocol, int[] cred) {
        return new UnixSocket(kind(type, protocol), cred);
    }

    /** socketpair(2): two sockets connected to each other, each with the other's credentials. */
    public static UnixSocket[] pair(int type, int protocol, int[] cred) {
        int kind = kind(type, protocol);
        UnixSocket a = new UnixSocket(kind, cred);
        UnixSocket b = new UnixSocket(kind, cred);
        join(a, b);
        return new UnixSocket[] {a, b};
    }

    /** Connects two new sockets to each other (unix_socketpair, and connect's new server end). */
    private static void join(UnixSocket a, UnixSocket b) {
        a.peer = b;
        b.peer = a;
        a.peerCred = b.cred();
        b.peerCred = a.cred();
        if (a.type() != SOCK_DGRAM) {
            a.state = State.ESTABLISHED;
            b.state = State.ESTABLISHED;
            b.in.open(false, true);
            a.in.open(false, true);
            a.writerOpen = true;
            b.writerOpen = true;
        }
    }

    private boolean messages() {
        return type() != SOCK_STREAM;
    }

    /** What travels beside a queue's bytes: descriptors passed at {@code at} for {@code length}, or a datagram's sender. */
    private record Ancillary(long at, long length, FileDescription[] files, byte[] from) {}

    /** The bytes (or messages) from position {@code at} on were sent with these {pid, uid, gid}. */
    private record CredRun(long at, int[] creds) {}

    // ---------------------------------------------------------------- names

    /**
     * unix_validate_addr: EINVAL unless the length leaves room for a name and fits a
     * sockaddr_un, and the family is AF_UNIX.
     */
    private static void validate(byte[] address) {
        if (address.length <= SUN_PATH || address.length > SOCKADDR_UN || family(address) != AF_UNIX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    private static int family(byte[] address) {
        return address.length < 2 ? -1 : (address[0] & 0xff) | (address[1] & 0xff) << 8;
    }

    private static boolean isAbstract(byte[] address) {
        return address[SUN_PATH] == 0;
    }

    /** unix_mkname_bsd: the path's length, the bytes up to the first NUL (or the end). */
    private static int pathLength(byte[] address) {
        int end = SUN_PATH;
        while (end < address.length && address[end] != 0) {
            end++;
        }
        return end - SUN_PATH;
    }

    /** The path, decoded as every other path argument is (see {@code PathArgs}). */
    private static String path(byte[] address) {
        return new String(address, SUN_PATH, pathLength(address), StandardCharsets.UTF_8);
    }

    private static String abstractKey(byte[] address) {
        return new String(address, SUN_PATH, address.length - SUN_PATH, StandardCharsets.ISO_8859_1);
    }

    /**
     * bind(2) (unix_bind): a length of the family alone autobinds; a path makes a socket node
     * (EADDRINUSE where the name exists); an abstract name must be free (EADDRINUSE). EINVAL
     * when already bound.
     */
    @Override
    public void bind(byte[] address, SocketPaths paths) {
        if (address.length == SUN_PATH && family(address) == AF_UNIX) {
            autobind();
            return;
        }
        validate(address);
        if (isAbstract(address)) {
            synchronized (this) {
                if (this.address != null) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                String k = abstractKey(address);
                if (BOUND.putIfAbsent(k, this) != null) {
                    throw ErrnoException.of(Errno.EADDRINUSE);
                }
                this.address = address.clone();
                this.key = k;
            }
            return;
        }
        String path = path(address);
        SocketPaths.Node node = paths.create(path);
        synchronized (this) {
            if (this.address == null && !released) {
                byte[] name = Arrays.copyOf(address, SUN_PATH + pathLength(address) + 1);
                name[name.length - 1] = 0;
                BOUND.put(node, this);
                this.address = name;
                this.key = node;
                return;
            }
        }
        paths.remove(path);
        throw ErrnoException.of(Errno.EINVAL);
    }

    /** unix_autobind: an abstract name of five hex digits; nothing when already bound. */
    private synchronized void autobind() {
        if (address != null) {
            return;
        }
        for (int i = 0; i <= 0xfffff; i++) {
            String digits = String.format("%05x", ORDERNUM.getAndIncrement() & 0xfffff);
            String k = "\0" + digits;
            if (BOUND.putIfAbsent(k, this) == null) {
                byte[] name = new byte[SUN_PATH + 6];
                name[0] = AF_UNIX;
                System.arraycopy(k.getBytes(StandardCharsets.ISO_8859_1), 0, name, SUN_PATH, 6);
                address = name;
                key = k;
                return;
            }
        }
        throw ErrnoException.of(Errno.ENOSPC);
    }

    /**
     * unix_find_other: the socket bound to {@code address} (validated first): ECONNREFUSED when
     * there is none, EPROTOTYPE when it is of another type.
     */
    private UnixSocket find(byte[] address, SocketPaths paths) {
        validate(address);
        Object k = isAbstract(address) ? abstractKey(address) : paths.find(path(address));
        UnixSocket other = BOUND.get(k);
        if (other == null) {
            throw ErrnoException.of(Errno.ECONNREFUSED);
        }
        if (other.type() != type()) {
            throw ErrnoException.of(Errno.EPROTOTYPE);
        }
        return other;
    }

    /** getsockname(2): the bound name, or the family alone. */
    @Override
    public synchronized byte[] name() {
        return address != null ? address.clone() : new byte[] {AF_UNIX, 0};
    }

    /** The bound name, or null: what a receiver learns of its sender (unix_copy_addr copies nothing for none). */
    private synchronized byte[] boundName() {
        return address;
    }

    /** getpeername(2): the peer's name (or the family alone); ENOTCONN without a peer. */
    @Override
    public byte[] peerName() {
        UnixSocket p;
        synchronized (this) {
            p = peer;
        }
        if (p == null) {
            throw ErrnoException.of(Errno.ENOTCONN);
        }
        return p.name();
    }

    // ---------------------------------------------------------------- connections

    /**
     * listen(2) (unix_listen): EOPNOTSUPP for a datagram socket, EINVAL unless bound and
     * unconnected. A longer backlog wakes connections waiting for room.
     */
    @Override
    public synchronized void listen(int backlog) {
        if (type() == SOCK_DGRAM) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        if (address == null || state == State.ESTABLISHED) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        maxBacklog = backlog;
        state = State.LISTEN;
        notifyAll();
    }

    @Override
    protected synchronized boolean listening() {
        return state == State.LISTEN;
    }

    /**
     * unix_seq_show's line: sk_refcnt is the socket's own two references (file and table) and
     * one its connected peer holds.
     */
    @Override
    public synchronized dev.linux4j.vfs.SocketTable.Row procRow() {
        boolean connected = state == State.ESTABLISHED;
        return new dev.linux4j.vfs.SocketTable.UnixRow(inode(), peer != null ? 3 : 2, type(),
                state == State.LISTEN, connected, address == null ? null : address.clone());
    }

    /**
     * accept(2) (unix_accept): EOPNOTSUPP for a datagram socket, EINVAL unless listening; waits
     * for a connection (EAGAIN when non-blocking).
     */
    @Override
    public synchronized Socket accept(boolean nonblock) {
        if (type() == SOCK_DGRAM) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        while (true) {
            if (state != State.LISTEN) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            UnixSocket s = backlog.pollFirst();
            if (s != null) {
                notifyAll(); // a connect waiting for room
                Sleep.wakePollers();
                return s;
            }
            if (nonblock) {
                throw ErrnoException.of(Errno.EAGAIN);
            }
            Sleep.waitOn(this, 0);
        }
    }

    /**
     * connect(2): a datagram socket's default peer (AF_UNSPEC forgets it; EPERM when the other
     * is connected elsewhere, unix_dgram_connect); a stream or seqpacket socket's connection to
     * a listener (unix_stream_connect): ECONNREFUSED unless it listens, a wait while its backlog
     * is full (EAGAIN when non-blocking), EISCONN when connected, EINVAL when listening. The
     * connection is made at once, the new socket queued for the listener's accept.
     */
    @Override
    public void connect(byte[] address, SocketPaths paths, boolean nonblock) {
        if (type() == SOCK_DGRAM) {
            if (address.length < SUN_PATH) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (family(address) == 0) { // AF_UNSPEC
                synchronized (this) {
                    peer = null;
                    peerCred = null;
                }
                return;
            }
            UnixSocket other = find(address, paths);
            passcredAutobind(other);
            synchronized (this) {
                if (!other.maySend(this)) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                peer = other;
                peerCred = other.cred();
            }
            return;
        }
        validate(address);
        UnixSocket other = find(address, paths);
        passcredAutobind(other);
        synchronized (other) {
            while (true) {
                if (other.state != State.LISTEN || (other.shutdown & RCV_SHUTDOWN) != 0) {
                    throw ErrnoException.of(Errno.ECONNREFUSED);
                }
                if (other.backlog.size() <= other.maxBacklog) {
                    break;
                }
                if (nonblock) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Sleep.waitOn(other, 0);
            }
            synchronized (this) {
                if (state != State.CLOSE) {
                    throw ErrnoException.of(state == State.ESTABLISHED ? Errno.EISCONN : Errno.EINVAL);
                }
                UnixSocket server = new UnixSocket(type(), cred());
                server.address = other.address;
                join(this, server);
                peerCred = other.cred();
                other.backlog.addLast(server);
                other.connections++;
                other.notifyAll();
            }
        }
        Sleep.wakePollers();
    }

    /** With SO_PASSCRED on either end, a socket sending or connecting unbound is autobound first. */
    private void passcredAutobind(UnixSocket other) {
        if (flag(SO_PASSCRED) || other.flag(SO_PASSCRED)) {
            autobind();
        }
    }

    /** unix_may_send: a datagram socket takes from anyone while unconnected, else from its peer only. */
    private synchronized boolean maySend(UnixSocket sender) {
        return peer == null || peer == sender;
    }

    // ---------------------------------------------------------------- receiving

    /**
     * recv: at most {@code len} bytes, waiting unless {@code nonblock} while nothing is queued
     * and the receiving side is not shut down (then 0, end of file). MSG_PEEK leaves the bytes
     * queued; MSG_WAITALL waits for all {@code len} of a stream. A message is taken whole, its
     * rest past {@code len} dropped. A read that takes the first byte (or the message) that
     * descriptors were sent with gets them, and a stream read then stops at the end of the bytes
     * sent with them (Linux's unix_stream_read_generic goes on into the skb that carries them
     * and stops after it); the caller installs them or releases them (read(2) drops them).
     * EINVAL for an unconnected stream socket, ENOTCONN for a seqpacket one; a pending error
     * (ECONNRESET) comes once the queue is empty. A stream read that an error, a signal or
     * MSG_DONTWAIT stops after some bytes returns those bytes.
     */
    @Override
    public Received receive(byte[] buf, int off, int len, int flags, boolean nonblock) {
        if ((flags & MSG_OOB) != 0) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        boolean peek = (flags & MSG_PEEK) != 0;
        UnixSocket from;
        synchronized (this) {
            if (type() != SOCK_DGRAM && state != State.ESTABLISHED) {
                throw ErrnoException.of(type() == SOCK_STREAM ? Errno.EINVAL : Errno.ENOTCONN);
            }
            from = peer;
        }
        synchronized (receiveLock) {
            if (messages()) {
                byte[] message = awaitData(nonblock) ? in.takeMessage(peek) : null;
                int n = message == null ? endOfFile() : message.length;
                int copied = Math.min(n, len);
                if (copied > 0) {
                    System.arraycopy(message, 0, buf, off, copied);
                }
                int[] creds = message == null ? null : credsAt(received);
                Ancillary a = message == null ? null : arrived(1, peek);
                byte[] sender = type() == SOCK_DGRAM ? (a == null ? null : a.from()) : from.boundName();
                return new Received(copied, n, a == null || peek ? null : a.files(), sender, creds);
            }
            int n = 0;
            FileDescription[] files = null;
            int[] creds = null;
            boolean waitAll = (flags & MSG_WAITALL) != 0;
            while (n < len) {
                try {
                    if (!awaitData(nonblock || n > 0 && !waitAll)) {
                        if (n == 0) {
                            endOfFile();
                        }
                        break;
                    }
                } catch (ErrnoException | RestartSyscall e) {
                    if (n > 0) {
                        break; // unix_stream_read_generic returns what it copied before an error
                    }
                    throw e;
                }
                if (n == 0) {
                    creds = credsAt(received);
                }
                int limit = (int) Math.min(len - n, Math.min(room(received), credRoom(received)));
                int got = peek ? in.peek(buf, off + n, limit, true) : in.read(buf, off + n, limit, true);
                n += got;
                if (!peek) {
                    Ancillary a = arrived(got, false);
                    if (a != null) {
                        files = a.files();
                        break;
                    }
                }
                if (!waitAll || peek) {
                    break;
                }
            }
            return new Received(n, n, files, from.boundName(), creds);
        }
    }

    /**
     * Waits for data (the receive lock held): false at end of file, which a shut down
     * receiving side is at once nothing is queued.
     */
    private boolean awaitData(boolean nonblock) {
        boolean shut;
        synchronized (this) {
            shut = (shutdown & RCV_SHUTDOWN) != 0;
        }
        try {
            return in.await(nonblock || shut);
        } catch (ErrnoException e) {
            if (shut && e.errno() == Errno.EAGAIN) {
                return false;
            }
            throw e;
        }
    }

    /** Nothing more will come: the pending error once (sock_error), then 0. */
    private int endOfFile() {
        int e = takeError();
        if (e != 0) {
            throw ErrnoException.of(Errno.of(e));
        }
        return 0;
    }

    /** How many bytes from {@code pos} a stream read may take: up to the end of the next bytes that carry descriptors. */
    private long room(long pos) {
        synchronized (ancillary) {
            for (Ancillary a : ancillary) {
                if (a.at() + a.length() > pos) {
                    return a.at() + a.length() - pos;
                }
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * The credentials the data at {@code pos} was sent with when SO_PASSCRED asks for them
     * (else null); runs wholly before {@code pos} are dropped.
     */
    private int[] credsAt(long pos) {
        synchronized (ancillary) {
            while (credRuns.size() > 1 && secondRun().at() <= pos) {
                credRuns.pollFirst();
            }
            CredRun first = credRuns.peekFirst();
            return first != null && flag(SO_PASSCRED) ? first.creds().clone() : null;
        }
    }

    private CredRun secondRun() {
        var it = credRuns.iterator();
        it.next();
        return it.next();
    }

    /**
     * With SO_PASSCRED, a stream read stops where the sender's credentials change
     * (unix_stream_read_generic never glues data from different writers then).
     */
    private long credRoom(long pos) {
        if (!flag(SO_PASSCRED)) {
            return Long.MAX_VALUE;
        }
        synchronized (ancillary) {
            for (CredRun r : credRuns) {
                if (r.at() > pos) {
                    return r.at() - pos;
                }
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * {@code count} bytes (or one message) were taken at {@link #received} (or looked at, when
     * {@code peek}): returns what came with them, if anything (a read holds at most one set of
     * descriptors, see {@link #room}).
     */
    private Ancillary arrived(long count, boolean peek) {
        Ancillary got = null;
        synchronized (ancillary) {
            if (peek) {
                Ancillary first = ancillary.peekFirst();
                return first != null && first.at() == received ? first : null;
            }
            while (!ancillary.isEmpty() && ancillary.peekFirst().at() < received + count) {
                Ancillary a = ancillary.pollFirst();
                if (got == null) {
                    got = a;
                } else {
                    releaseFiles(a.files());
                }
            }
        }
        received += count;
        return got;
    }

    /** The length of the next message (or the bytes queued, for a stream): FIONREAD (unix_inq_len). */
    @Override
    public int queued() {
        return messages() ? in.firstLength() : in.available();
    }

    @Override
    protected synchronized int takeError() {
        int e = error;
        error = 0;
        return e;
    }

    @Override
    protected synchronized int[] peerCred() {
        return peerCred != null ? peerCred.clone() : super.peerCred();
    }

    // ---------------------------------------------------------------- sending

    /**
     * send: to the peer of a connected stream or seqpacket socket (ENOTCONN without one; an
     * address is EISCONN when connected, EOPNOTSUPP when not, and ignored by seqpacket), or the
     * datagram to {@code to} or the default peer (unix_dgram_sendmsg: ENOTCONN, ECONNREFUSED when
     * the peer is gone, EPERM when it is connected elsewhere, EPIPE when it shut its receiving
     * side). EPIPE once this end cannot send (the caller raises SIGPIPE unless MSG_NOSIGNAL).
     * {@code files} (SCM_RIGHTS, or null), one reference each given over by the caller, travel
     * with the first byte or the message; they are released when the send fails.
     */
    @Override
    public int send(byte[] buf, int off, int len, int flags, boolean nonblock, byte[] to, SocketPaths paths,
            FileDescription[] files) {
        int[] caller = Caller.ucred();
        return send(buf, off, len, flags, nonblock, to, paths, files, caller != null ? caller : cred());
    }

    /**
     * send with the sender's {pid, uid, gid} (scm_send's default, or SCM_CREDENTIALS given):
     * what a receiver with SO_PASSCRED gets with the data.
     */
    public int send(byte[] buf, int off, int len, int flags, boolean nonblock, byte[] to, SocketPaths paths,
            FileDescription[] files, int[] creds) {
        UnixSocket target;
        try {
            if ((flags & MSG_OOB) != 0) {
                throw ErrnoException.of(Errno.EOPNOTSUPP);
            }
            target = type() == SOCK_DGRAM ? datagramTarget(to, paths) : streamTarget(to);
            if (messages() && len > sndbuf() - 32) {
                throw ErrnoException.of(Errno.EMSGSIZE);
            }
        } catch (ErrnoException e) {
            releaseFiles(files);
            throw e;
        }
        if (len == 0 && !messages()) {
            releaseFiles(files);
            return 0; // unix_stream_sendmsg sends nothing, and drops the descriptors
        }
        return target.enqueue(buf, off, len, nonblock, files, type() == SOCK_DGRAM ? boundName() : null, creds);
    }

    private UnixSocket streamTarget(byte[] to) {
        synchronized (this) {
            if (to != null && type() == SOCK_STREAM) {
                throw ErrnoException.of(state == State.ESTABLISHED ? Errno.EISCONN : Errno.EOPNOTSUPP);
            }
            if (state != State.ESTABLISHED) {
                throw ErrnoException.of(Errno.ENOTCONN);
            }
            if ((shutdown & SEND_SHUTDOWN) != 0) {
                throw ErrnoException.of(Errno.EPIPE);
            }
            return peer;
        }
    }

    private UnixSocket datagramTarget(byte[] to, SocketPaths paths) {
        UnixSocket target;
        if (to != null) {
            target = find(to, paths);
        } else {
            synchronized (this) {
                target = peer;
            }
            if (target == null) {
                throw ErrnoException.of(Errno.ENOTCONN);
            }
        }
        passcredAutobind(target);
        synchronized (this) {
            if ((shutdown & SEND_SHUTDOWN) != 0) {
                throw ErrnoException.of(Errno.EPIPE);
            }
        }
        synchronized (target) {
            if (target.released) {
                synchronized (this) {
                    if (peer == target) {
                        peer = null; // unix_dgram_disconnected
                    }
                }
                throw ErrnoException.of(Errno.ECONNREFUSED);
            }
            if (target.peer != null && target.peer != this) {
                throw ErrnoException.of(Errno.EPERM);
            }
            if ((target.shutdown & RCV_SHUTDOWN) != 0) {
                throw ErrnoException.of(Errno.EPIPE);
            }
        }
        return target;
    }

    /** Puts bytes (or a message) into this socket's queue, with what travels beside them. */
    private int enqueue(byte[] buf, int off, int len, boolean nonblock, FileDescription[] files, byte[] from,
            int[] creds) {
        synchronized (enqueueLock) {
            synchronized (ancillary) {
                CredRun last = credRuns.peekLast();
                if (last == null || !Arrays.equals(last.creds(), creds)) {
                    credRuns.addLast(new CredRun(enqueued, creds.clone()));
                }
            }
            Ancillary a = null;
            if (files != null || from != null) {
                a = new Ancillary(enqueued, messages() ? 1 : len, files, from); // queued before the bytes can be read
                synchronized (ancillary) {
                    ancillary.addLast(a);
                }
            }
            int n = len;
            try {
                if (messages()) {
                    in.writeMessage(buf, off, len, nonblock);
                } else {
                    n = in.write(buf, off, len, nonblock, false);
                }
            } catch (RuntimeException e) {
                if (a != null) {
                    synchronized (ancillary) {
                        ancillary.remove(a);
                    }
                    releaseFiles(files);
                }
                throw e;
            }
            enqueued += messages() ? 1 : n;
            if (a != null && !messages() && n < len) {
                synchronized (ancillary) { // a partial write: the descriptors came with what was written
                    ancillary.remove(a);
                    ancillary.addLast(new Ancillary(a.at(), n, files, null));
                }
            }
            return n;
        }
    }

    // ---------------------------------------------------------------- shutdown, poll, release

    /** shutdown(2): SHUT_RD, SHUT_WR or SHUT_RDWR, mirrored onto a stream or seqpacket peer (unix_shutdown). */
    @Override
    public void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int mode = how + 1; // SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both
        UnixSocket p;
        synchronized (this) {
            p = type() == SOCK_DGRAM ? null : peer;
        }
        shut(mode);
        if (p != null) {
            p.shut(((mode & RCV_SHUTDOWN) != 0 ? SEND_SHUTDOWN : 0) | ((mode & SEND_SHUTDOWN) != 0 ? RCV_SHUTDOWN : 0));
        }
        Sleep.wakePollers();
    }

    /**
     * Sets shutdown bits; a connected stream or seqpacket socket lets go of the queues it no
     * longer uses (its own as reader, its peer's as writer).
     */
    private void shut(int mode) {
        boolean closeReader;
        boolean closeWriter;
        UnixSocket p;
        synchronized (this) {
            shutdown |= mode;
            if (type() == SOCK_DGRAM) {
                return;
            }
            p = peer;
            closeReader = (mode & RCV_SHUTDOWN) != 0 && readerOpen;
            closeWriter = (mode & SEND_SHUTDOWN) != 0 && writerOpen && p != null;
            readerOpen &= !closeReader;
            writerOpen &= !closeWriter;
        }
        if (closeReader) {
            in.close(true, false);
        }
        if (closeWriter) {
            p.in.close(false, true);
        }
    }

    /**
     * unix_poll for a stream socket, unix_dgram_poll for the others: readable with data queued,
     * a connection to accept, or the receiving side shut down; writable while the peer's queue
     * has room (never while listening); POLLHUP when shut down both ways or, for a stream or
     * seqpacket socket, not connected; POLLERR with an error pending.
     */
    @Override
    public int poll(FileDescription file) {
        State st;
        int shut;
        int err;
        UnixSocket p;
        boolean pending;
        synchronized (this) {
            st = state;
            shut = shutdown;
            err = error;
            p = peer;
            pending = !backlog.isEmpty();
        }
        int mask = err != 0 ? POLLERR : 0;
        if (shut == SHUTDOWN_MASK) {
            mask |= POLLHUP;
        }
        if ((shut & RCV_SHUTDOWN) != 0) {
            mask |= POLLRDHUP | POLLIN | POLLRDNORM;
        }
        if (st == State.LISTEN) {
            return mask | (pending ? POLLIN | POLLRDNORM : 0);
        }
        if (in.state()[0]) {
            mask |= POLLIN | POLLRDNORM;
        }
        if (type() != SOCK_DGRAM && st == State.CLOSE) {
            mask |= POLLHUP;
        }
        boolean writable = p == null || p.in.state()[1] || (shut & SEND_SHUTDOWN) != 0;
        if (writable) {
            mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
        }
        return mask;
    }

    /** Data (or a connection) arriving wakes EPOLLIN waiters, room in the peer's queue EPOLLOUT ones. */
    @Override
    public long pollWakeups(FileDescription file, int events) {
        UnixSocket p;
        long arrived;
        synchronized (this) {
            p = peer;
            arrived = connections;
        }
        long wakeups = 0;
        if ((events & POLLIN) != 0) {
            wakeups += in.wakeups()[0] + arrived;
        }
        if ((events & POLLOUT) != 0 && p != null) {
            wakeups += p.in.wakeups()[1];
        }
        return wakeups;
    }

    /**
     * unix_release_sock: the name goes, connections not yet accepted are closed, descriptors in
     * flight here go; a stream or seqpacket peer is shut down both ways, with ECONNRESET pending
     * when this end went with data unread (or was never accepted).
     */
    @Override
    public void release(FileDescription file) {
        UnixSocket p;
        UnixSocket[] embryos;
        boolean unread;
        unlist();
        synchronized (this) {
            released = true;
            if (key != null) {
                BOUND.remove(key, this);
            }
            p = type() == SOCK_DGRAM ? null : peer;
            embryos = backlog.toArray(new UnixSocket[0]);
            backlog.clear();
            state = State.CLOSE;
            notifyAll();
        }
        for (UnixSocket s : embryos) {
            s.closeEmbryo();
        }
        synchronized (ancillary) {
            for (Ancillary a : ancillary) {
                releaseFiles(a.files());
            }
            ancillary.clear();
        }
        unread = in.available() > 0;
        shut(SHUTDOWN_MASK);
        if (type() == SOCK_DGRAM) {
            in.close(true, true);
        }
        if (p != null) {
            p.shut(SHUTDOWN_MASK);
            if (unread) {
                synchronized (p) {
                    p.error = Errno.ECONNRESET.number();
                }
            }
        }
        Sleep.wakePollers();
    }

    /** A connection its listener closed before accepting it: its client gets ECONNRESET. */
    private void closeEmbryo() {
        UnixSocket p;
        synchronized (this) {
            p = peer;
        }
        release(null);
        if (p != null) {
            synchronized (p) {
                p.error = Errno.ECONNRESET.number();
            }
        }
    }
}
