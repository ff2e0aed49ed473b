package dev.linux4j.fs.socket;

import static dev.linux4j.abi.Poll.*;
import static dev.linux4j.abi.Sockets.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.RestartSyscall;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * A TCP socket (net/ipv4/tcp.c, af_inet.c's inet_stream_ops) on a non-blocking SocketChannel,
 * or a ServerSocketChannel once listening. java.nio cannot bind a socket and decide later
 * whether it listens, so bind(2) binds a SocketChannel and listen(2) moves the address to a
 * ServerSocketChannel.
 *
 * <p>Bytes the host has delivered but the guest has not read wait in {@link #rx} (what MSG_PEEK,
 * FIONREAD and poll look at); connections the host accepted but the guest has not wait in
 * {@link #backlog}. The state follows Linux's sk_state (CLOSE, LISTEN, SYN_SENT, ESTABLISHED,
 * with sk_shutdown's two bits for the half-closed states) and sock->state's SS_CONNECTING, which
 * decides what a second connect(2) says (inet_stream_connect).
 *
 * <p>Locking: {@code this} guards every field but {@link #writable}.
 */
final class InetTcpSocket extends InetSocket {
    private enum State { CLOSE, LISTEN, SYN_SENT, ESTABLISHED }

    /** How much a poll or peek reads ahead from the host. */
    private static final int RX_CAPACITY = 64 * 1024;

    private State state = State.CLOSE;
    /** sock->state == SS_CONNECTING: a connect(2) began and no connect(2) has seen its end. */
    private boolean connecting;
    private SocketChannel channel;
    private ServerSocketChannel server;
    private int backlogMax;
    private final ArrayDeque<SocketChannel> backlog = new ArrayDeque<>();
    /** The local address (inet_num != 0 when not null). */
    private InetSocketAddress local;
    /** The address bind(2) gave, for a channel made again after a failed connect. */
    private InetSocketAddress bindAddress;
    private InetSocketAddress peer;
    /** sk_err: the pending error's number, 0 for none. */
    private int error;
    /** sk_shutdown's RCV_SHUTDOWN and SEND_SHUTDOWN. */
    private boolean rcvShutdown;
    private boolean sndShutdown;
    /** SOCK_DONE: the peer's FIN was read. */
    private boolean done;
    /** Read mode: the bytes the host delivered and the guest has not read. */
    private ByteBuffer rx;
    /** False after a write came short, until the selector says the channel takes more. */
    private volatile boolean writable = true;

    // IPPROTO_TCP options, as tcp_sock keeps them.
    private boolean nodelay;
    private int keepidle = 7200;
    private int keepintvl = 75;
    private int keepcnt = 9;
    private int syncnt = 6;
    private int linger2;
    private int deferAccept;
    private int windowClamp;
    private boolean quickack = true;
    private int userTimeout;
    private boolean cork;
    private int maxseg;
    private int notsentLowat = -1;
    private int fastopen;

    InetTcpSocket(int family, int[] cred) {
        super(family, SOCK_STREAM, IPPROTO_TCP, cred);
    }

    /** A connection accept(2) returns: inet_csk_accept's child, with the listener's TCP options. */
    private InetTcpSocket(InetTcpSocket listener, SocketChannel c) throws IOException {
        this(listener.family(), listener.cred());
        channel = c;
        state = State.ESTABLISHED;
        local = (InetSocketAddress) c.getLocalAddress();
        peer = (InetSocketAddress) c.getRemoteAddress();
        nodelay = listener.nodelay;
        keepidle = listener.keepidle;
        keepintvl = listener.keepintvl;
        keepcnt = listener.keepcnt;
        userTimeout = listener.userTimeout;
        copyOptionsFrom(listener);
        hostOption(c, StandardSocketOptions.TCP_NODELAY, nodelay);
    }

    @Override
    synchronized boolean hasPort() {
        return local != null;
    }

    // ---- bind, listen, accept ------------------------------------------------------------

    /**
     * bind(2): inet_bind (AF_INET: EINVAL below sizeof(sockaddr_in); EAFNOSUPPORT for another
     * family but AF_UNSPEC with INADDR_ANY) and inet6_bind (EINVAL below SIN6_LEN_RFC2133,
     * EAFNOSUPPORT, EINVAL for a v4-mapped address with IPV6_V6ONLY); EINVAL when already bound
     * or not closed; the host's EADDRINUSE, EADDRNOTAVAIL and EACCES.
     */
    @Override
    public void bind(byte[] address, SocketPaths paths) {
        InetSocketAddress at = bindAddress(address);
        synchronized (this) {
            if (state != State.CLOSE || local != null) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (family() == AF_INET6 && v6only() && at.getAddress() instanceof Inet4Address) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            SocketChannel c = openChannel();
            try {
                c.bind(at);
                local = (InetSocketAddress) c.getLocalAddress();
            } catch (IOException e) {
                close(c);
                throw errno(e);
            }
            channel = c;
            bindAddress = at;
        }
    }

    /** A bind address checked as inet_bind and inet6_bind check it. */
    InetSocketAddress bindAddress(byte[] address) {
        if (family() == AF_INET && address.length >= SOCKADDR_IN_SIZE && InetAddresses.family(address) == AF_UNSPEC) {
            InetSocketAddress a = InetAddresses.fromIn(address);
            if (!a.getAddress().isAnyLocalAddress()) {
                throw ErrnoException.of(Errno.EAFNOSUPPORT);
            }
            return a;
        }
        return InetAddresses.decode(family(), address);
    }

    private SocketChannel openChannel() {
        try {
            SocketChannel c = SocketChannel.open(protocolFamily());
            c.configureBlocking(false);
            applySocketOptions(c);
            hostOption(c, StandardSocketOptions.TCP_NODELAY, nodelay);
            if (trafficClass() != 0) {
                hostOption(c, StandardSocketOptions.IP_TOS, trafficClass());
            }
            return c;
        } catch (IOException | UnsupportedOperationException e) {
            throw errno(e instanceof IOException io ? io : new IOException(e));
        }
    }

    @Override
    void socketOptionsChanged() {
        SocketChannel c;
        ServerSocketChannel s;
        synchronized (this) {
            c = channel;
            s = server;
        }
        applySocketOptions(c);
        applySocketOptions(s);
        if (c != null && trafficClass() != 0) {
            hostOption(c, StandardSocketOptions.IP_TOS, trafficClass());
        }
    }

    /**
     * listen(2) (inet_listen): EINVAL unless closed and not connecting, or listening already (the
     * backlog changes); an unbound socket gets an ephemeral port on the wildcard address.
     */
    @Override
    public void listen(int backlog) {
        synchronized (this) {
            if (state == State.LISTEN) {
                backlogMax = backlog;
                return;
            }
            if (state != State.CLOSE || connecting) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            InetSocketAddress at = local != null ? local : InetAddresses.any(family(), 0);
            close(channel);
            channel = null;
            ServerSocketChannel s;
            try {
                s = ServerSocketChannel.open(protocolFamily());
                s.configureBlocking(false);
                applySocketOptions(s);
            } catch (IOException | UnsupportedOperationException e) {
                throw errno(e instanceof IOException io ? io : new IOException(e));
            }
            try {
                s.bind(at, Math.max(1, backlog + 1));
                local = (InetSocketAddress) s.getLocalAddress();
            } catch (IOException e) {
                close(s);
                local = null;
                throw errno(e);
            }
            server = s;
            backlogMax = backlog;
            state = State.LISTEN;
            error = 0;
            rcvShutdown = false;
            sndShutdown = false;
        }
        wake();
    }

    /** Takes what the host has accepted into {@link #backlog}, up to the guest's backlog (and one more, as Linux). */
    private void acceptAhead() {
        while (backlog.size() <= backlogMax) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            if (c == null) {
                return;
            }
            try {
                c.configureBlocking(false);
                if (family() == AF_INET6 && v6only()
                        && ((InetSocketAddress) c.getRemoteAddress()).getAddress() instanceof Inet4Address) {
                    close(c); // an IPv6-only listener does not hear IPv4 clients
                    continue;
                }
            } catch (IOException e) {
                close(c);
                continue;
            }
            backlog.add(c);
        }
    }

    /**
     * accept(2) (inet_csk_accept): EINVAL unless listening; the next connection, waiting for one
     * unless {@code nonblock} (EAGAIN) or SO_RCVTIMEO passes (EAGAIN).
     */
    @Override
    public Socket accept(boolean nonblock) {
        long deadline = deadline(nonblock, SO_RCVTIMEO);
        while (true) {
            long seen = seen();
            synchronized (this) {
                if (state != State.LISTEN) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                if (backlog.isEmpty()) {
                    acceptAhead();
                }
                SocketChannel c = backlog.poll();
                if (c != null) {
                    try {
                        return new InetTcpSocket(this, c);
                    } catch (IOException e) {
                        close(c);
                        throw errno(e);
                    }
                }
                if (deadline == 0) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                watch(server, SelectionKey.OP_ACCEPT);
            }
            if (!await(seen, deadline)) {
                throw ErrnoException.of(Errno.EAGAIN);
            }
        }
    }

    @Override
    protected synchronized boolean listening() {
        return state == State.LISTEN;
    }

    // ---- connect -------------------------------------------------------------------------

    /**
     * connect(2) (__inet_stream_connect): AF_UNSPEC disconnects; while a connect is under way
     * EALREADY (non-blocking) or a wait for its end; once it ended, its error (sock_error, else
     * ECONNABORTED) or 0; EISCONN when connected or listening. A new connect checks the address
     * as tcp_v4_connect and tcp_v6_connect do (ENETUNREACH for a v4-mapped address with
     * IPV6_V6ONLY) and returns EINPROGRESS when non-blocking; a blocking one waits (EINPROGRESS
     * when SO_SNDTIMEO passes) and returns the connection's error.
     */
    @Override
    public void connect(byte[] address, SocketPaths paths, boolean nonblock) {
        if (address.length < 2) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (InetAddresses.family(address) == AF_UNSPEC) {
            disconnect();
            return;
        }
        synchronized (this) {
            if (connecting) {
                progress();
                if (state == State.SYN_SENT && nonblock) {
                    throw ErrnoException.of(Errno.EALREADY);
                }
                if (state != State.SYN_SENT) {
                    connecting = false;
                    if (state == State.ESTABLISHED) {
                        return;
                    }
                    int e = error;
                    error = 0;
                    throw e != 0 ? ErrnoException.ofNumber(e) : ErrnoException.of(Errno.ECONNABORTED);
                }
            } else {
                if (state != State.CLOSE) {
                    throw ErrnoException.of(Errno.EISCONN);
                }
                InetSocketAddress to = InetAddresses.decode(family(), address);
                if (family() == AF_INET6 && v6only() && to.getAddress() instanceof Inet4Address) {
                    throw ErrnoException.of(Errno.ENETUNREACH);
                }
                start(InetAddresses.routable(to));
                if (nonblock) {
                    throw ErrnoException.of(Errno.EINPROGRESS);
                }
            }
        }
        long deadline = deadline(false, SO_SNDTIMEO);
        while (true) {
            long seen = seen();
            synchronized (this) {
                progress();
                if (state != State.SYN_SENT) {
                    connecting = false;
                    if (state == State.ESTABLISHED) {
                        return;
                    }
                    int e = error;
                    error = 0;
                    throw e != 0 ? ErrnoException.ofNumber(e) : ErrnoException.of(Errno.ECONNABORTED);
                }
                watch(channel, SelectionKey.OP_CONNECT);
            }
            if (!await(seen, deadline)) {
                throw ErrnoException.of(Errno.EINPROGRESS);
            }
        }
    }

    /** Begins a connection (tcp_v4_connect): SYN_SENT, or the host's error at once. */
    private void start(InetSocketAddress to) {
        SocketChannel c = channel;
        if (c == null || !c.isOpen()) {
            c = openChannel();
            // Bound first, so that the port is known while the connection is under way and after
            // it fails, as Linux's autobind in connect makes it (java.nio learns it only at the end).
            try {
                c.bind(bindAddress != null ? new InetSocketAddress(bindAddress.getAddress(), local.getPort())
                        : InetAddresses.any(family(), 0));
            } catch (IOException e) {
                close(c);
                throw errno(e);
            }
        }
        boolean now;
        try {
            now = c.connect(to);
        } catch (IOException e) {
            close(c);
            channel = null;
            throw errno(e);
        }
        channel = c;
        connecting = true;
        done = false;
        rcvShutdown = false;
        sndShutdown = false;
        error = 0;
        writable = true;
        rx = null;
        state = State.SYN_SENT;
        try {
            local = (InetSocketAddress) c.getLocalAddress();
        } catch (IOException e) {
            // the name stays as it was
        }
        if (now) {
            established();
        }
    }

    /** Moves a connection under way on: ESTABLISHED, or CLOSE with its error (ECONNREFUSED...). */
    private void progress() {
        if (state != State.SYN_SENT) {
            return;
        }
        try {
            if (channel.finishConnect()) {
                established();
            }
        } catch (IOException e) {
            error = errno(e).errno().number();
            state = State.CLOSE;
            close(channel);
            channel = null;
            if (local != null) {
                // The port stays the socket's, on the wildcard address unless bind(2) gave one.
                local = new InetSocketAddress(bindAddress != null ? bindAddress.getAddress()
                        : InetAddresses.any(family(), 0).getAddress(), local.getPort());
            }
            wake();
        }
    }

    private void established() {
        state = State.ESTABLISHED;
        try {
            peer = (InetSocketAddress) channel.getRemoteAddress();
            local = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            // keep the names known
        }
        wake();
    }

    /** tcp_disconnect (connect to AF_UNSPEC, shutdown of a listener or a connection under way). */
    private void disconnect() {
        synchronized (this) {
            closeChannels();
            state = State.CLOSE;
            connecting = false;
            rcvShutdown = false;
            sndShutdown = false;
            done = false;
            peer = null;
            rx = null;
            if (bindAddress == null) {
                local = null;
            }
        }
        wake();
    }

    private void closeChannels() {
        close(channel);
        channel = null;
        close(server);
        server = null;
        for (SocketChannel c; (c = backlog.poll()) != null;) {
            close(c);
        }
    }

    // ---- data ----------------------------------------------------------------------------

    /**
     * Reads what the host has into {@link #rx} (a FIN sets RCV_SHUTDOWN and SOCK_DONE, a reset
     * makes ECONNRESET pending and closes the connection, as tcp_reset and tcp_done do).
     */
    private void fill() {
        if (state != State.ESTABLISHED || done || channel == null) {
            return;
        }
        if (rx == null) {
            rx = ByteBuffer.allocate(RX_CAPACITY).flip();
        }
        while (rx.limit() < rx.capacity() || rx.position() > 0) {
            rx.compact();
            int n;
            try {
                n = channel.read(rx);
            } catch (IOException e) {
                rx.flip();
                reset(errno(e).errno());
                return;
            }
            rx.flip();
            if (n < 0) {
                done = true;
                rcvShutdown = true;
                return;
            }
            if (n == 0 || rx.limit() == rx.capacity()) {
                return;
            }
        }
    }

    /** tcp_reset and tcp_done: the error pending, the connection closed both ways. */
    private void reset(Errno e) {
        error = e.number();
        state = State.CLOSE;
        rcvShutdown = true;
        sndShutdown = true;
        done = true;
    }

    /**
     * recvfrom(2), recvmsg(2) and read(2) (tcp_recvmsg): ENOTCONN when listening or not
     * connected; what is there (MSG_PEEK leaves it, MSG_TRUNC discards it without copying,
     * MSG_WAITALL waits for all of {@code len}); 0 at the peer's FIN or after SHUT_RD; a pending
     * error (ECONNRESET) once; else EAGAIN or a wait (EAGAIN when SO_RCVTIMEO passes; what was
     * read so far when a signal comes).
     */
    @Override
    public Received receive(byte[] buf, int off, int len, int flags, boolean nonblock) {
        if ((flags & MSG_OOB) != 0) {
            throw ErrnoException.of(Errno.EINVAL); // tcp_recv_urg: no urgent data is ever queued here
        }
        boolean peek = (flags & MSG_PEEK) != 0;
        boolean discard = (flags & MSG_TRUNC) != 0;
        boolean waitall = (flags & MSG_WAITALL) != 0 && !peek;
        long deadline = deadline(nonblock, SO_RCVTIMEO);
        int copied = 0;
        while (true) {
            long seen = seen();
            synchronized (this) {
                if (state == State.LISTEN) {
                    throw ErrnoException.of(Errno.ENOTCONN);
                }
                progress();
                if (state == State.ESTABLISHED && len > copied) {
                    copied += take(buf, off + copied, len - copied, peek, discard);
                }
                if (copied == len || copied > 0 && !waitall) {
                    return received(copied, discard);
                }
                if (done || rcvShutdown) {
                    return received(copied, discard);
                }
                if (error != 0) {
                    if (copied > 0) {
                        return received(copied, discard);
                    }
                    int e = error;
                    error = 0;
                    throw ErrnoException.ofNumber(e);
                }
                if (state == State.CLOSE) {
                    if (copied > 0) {
                        return received(copied, discard);
                    }
                    throw ErrnoException.of(Errno.ENOTCONN);
                }
                if (deadline == 0) {
                    if (copied > 0) {
                        return received(copied, discard);
                    }
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                watch(channel, state == State.SYN_SENT ? SelectionKey.OP_CONNECT : SelectionKey.OP_READ);
            }
            try {
                if (!await(seen, deadline)) {
                    if (copied > 0) {
                        return received(copied, discard);
                    }
                    throw ErrnoException.of(Errno.EAGAIN);
                }
            } catch (RestartSyscall interrupted) {
                if (copied > 0) {
                    return received(copied, discard);
                }
                throw interrupted;
            }
        }
    }

    private static Received received(int n, boolean discard) {
        return new Received(discard ? 0 : n, n, null, null);
    }

    /** Copies (or with {@code discard} only counts) up to {@code len} bytes that are there. */
    private int take(byte[] buf, int off, int len, boolean peek, boolean discard) {
        if (peek || rx != null && rx.hasRemaining()) {
            fill();
            if (rx == null) {
                return 0;
            }
            int n = Math.min(len, rx.remaining());
            if (!discard) {
                rx.get(rx.position(), buf, off, n);
            }
            if (!peek) {
                rx.position(rx.position() + n);
            }
            return n;
        }
        if (done || channel == null) {
            return 0;
        }
        // Nothing read ahead: straight from the host into the guest's buffer.
        ByteBuffer dst = discard ? ByteBuffer.allocate(Math.min(len, RX_CAPACITY)) : ByteBuffer.wrap(buf, off, len);
        int n;
        try {
            n = channel.read(dst);
        } catch (IOException e) {
            reset(errno(e).errno());
            return 0;
        }
        if (n < 0) {
            done = true;
            rcvShutdown = true;
            return 0;
        }
        return n;
    }

    /**
     * sendto(2), sendmsg(2) and write(2) (tcp_sendmsg): waits for a connection under way;
     * a pending error once; EPIPE when not connected or after SHUT_WR (the caller raises
     * SIGPIPE); the host's EPIPE or ECONNRESET. A blocking send waits until all is written (what
     * was written when a signal or SO_SNDTIMEO ends it); a non-blocking one writes what fits
     * (EAGAIN for nothing). The address of a sendto is ignored, as Linux does for TCP.
     */
    @Override
    public int send(byte[] buf, int off, int len, int flags, boolean nonblock, byte[] to, SocketPaths paths,
            FileDescription[] files) {
        releaseFiles(files);
        long deadline = deadline(nonblock, SO_SNDTIMEO);
        int sent = 0;
        while (true) {
            long seen = seen();
            synchronized (this) {
                progress();
                if (state != State.ESTABLISHED) {
                    if (error != 0) {
                        int e = error;
                        error = 0;
                        throw ErrnoException.ofNumber(e);
                    }
                    if (state != State.SYN_SENT) {
                        throw ErrnoException.of(Errno.EPIPE);
                    }
                } else if (sndShutdown) {
                    if (sent > 0) {
                        return sent;
                    }
                    throw ErrnoException.of(Errno.EPIPE);
                } else {
                    try {
                        sent += channel.write(ByteBuffer.wrap(buf, off + sent, len - sent));
                    } catch (IOException e) {
                        Errno errno = errno(e).errno();
                        reset(errno);
                        error = 0;
                        if (sent > 0) {
                            return sent;
                        }
                        throw ErrnoException.of(errno);
                    }
                    if (sent == len) {
                        return sent;
                    }
                    writable = false;
                }
                if (deadline == 0) {
                    if (sent > 0) {
                        return sent;
                    }
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                watch(channel, state == State.SYN_SENT ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE);
            }
            try {
                if (!await(seen, deadline)) {
                    if (sent > 0) {
                        return sent;
                    }
                    throw ErrnoException.of(Errno.EAGAIN);
                }
            } catch (RestartSyscall interrupted) {
                if (sent > 0) {
                    return sent;
                }
                throw interrupted;
            }
        }
    }

    @Override
    void ready(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            writable = true;
        }
    }

    /**
     * shutdown(2) (inet_shutdown): EINVAL for a {@code how} but SHUT_RD, SHUT_WR and SHUT_RDWR;
     * a closed socket notes the bits and says ENOTCONN; a listener stops listening on SHUT_RD; a
     * connection under way is dropped; a connection sends its FIN on SHUT_WR (tcp_shutdown) and
     * only notes SHUT_RD, as Linux does.
     */
    @Override
    public void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        boolean rd = how != SHUT_WR;
        boolean wr = how != SHUT_RD;
        try {
            synchronized (this) {
                progress();
                switch (state) {
                    case CLOSE -> {
                        rcvShutdown |= rd;
                        sndShutdown |= wr;
                        throw ErrnoException.of(Errno.ENOTCONN);
                    }
                    case LISTEN -> {
                        if (rd) {
                            closeChannels();
                            state = State.CLOSE;
                        }
                    }
                    case SYN_SENT -> {
                        closeChannels();
                        state = State.CLOSE;
                        connecting = false;
                    }
                    case ESTABLISHED -> {
                        rcvShutdown |= rd;
                        if (wr && !sndShutdown) {
                            sndShutdown = true;
                            try {
                                channel.shutdownOutput();
                            } catch (IOException e) {
                                // the connection is gone already: nothing to send a FIN on
                            }
                        }
                    }
                }
            }
        } finally {
            wake();
        }
    }

    /** FIONREAD (tcp_ioctl's SIOCINQ): EINVAL when listening; the bytes readable now. */
    @Override
    public synchronized int queued() {
        if (state == State.LISTEN) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        progress();
        fill();
        int n = rx == null ? 0 : rx.remaining();
        if (state == State.ESTABLISHED && !done && channel != null) {
            try {
                n += channel.socket().getInputStream().available();
            } catch (IOException e) {
                // nothing more to count
            }
        }
        return n;
    }

    /** SO_ERROR: the pending error (a refused connection's ECONNREFUSED...), cleared. */
    @Override
    protected synchronized int takeError() {
        progress();
        int e = error;
        error = 0;
        return e;
    }

    /**
     * get_tcp4_sock's line: listed while listening or connected (in the listening or established
     * hash); rx_queue is the connections waiting for a listener, else the bytes read ahead here.
     */
    @Override
    public synchronized dev.linux4j.vfs.SocketTable.Row procRow() {
        int st = switch (state) {
            case LISTEN -> 0x0A;
            case ESTABLISHED -> 0x01;
            case SYN_SENT -> 0x02;
            case CLOSE -> 0;
        };
        if (st == 0 || local == null) {
            return null;
        }
        int rxq = state == State.LISTEN ? backlog.size() : rx == null ? 0 : rx.remaining();
        return InetAddresses.procRow(this, true, name(), peer, st, 0, rxq, 1);
    }

    /** getsockname(2) (inet_getname, inet6_getname): the wildcard address and port 0 before any. */
    @Override
    public synchronized byte[] name() {
        return InetAddresses.encode(family(), local == null ? InetAddresses.any(family(), 0) : local);
    }

    /** getpeername(2): ENOTCONN unless connected (a half-closed connection still has its peer). */
    @Override
    public synchronized byte[] peerName() {
        progress();
        if (state != State.ESTABLISHED || peer == null) {
            throw ErrnoException.of(Errno.ENOTCONN);
        }
        return InetAddresses.encode(family(), peer);
    }

    /**
     * tcp_poll's mask: a listener is readable with a connection waiting; otherwise POLLHUP when
     * closed or shut down both ways, POLLIN|POLLRDHUP after RCV_SHUTDOWN, POLLIN with data,
     * POLLOUT when connected (or shut down for writing) and the host takes more, POLLERR with an
     * error pending. Arms the selector for what is not ready yet.
     */
    @Override
    public synchronized int poll(FileDescription file) {
        if (state == State.LISTEN) {
            if (backlog.isEmpty()) {
                acceptAhead();
            }
            if (!backlog.isEmpty()) {
                return POLLIN | POLLRDNORM;
            }
            watch(server, SelectionKey.OP_ACCEPT);
            return 0;
        }
        progress();
        fill();
        int mask = 0;
        if (rcvShutdown && sndShutdown || state == State.CLOSE) {
            mask |= POLLHUP;
        }
        if (rcvShutdown) {
            mask |= POLLIN | POLLRDNORM | POLLRDHUP;
        }
        if (state == State.SYN_SENT) {
            watch(channel, SelectionKey.OP_CONNECT);
        } else {
            if (rx != null && rx.hasRemaining()) {
                mask |= POLLIN | POLLRDNORM;
            } else if (state == State.ESTABLISHED && !done) {
                watch(channel, SelectionKey.OP_READ);
            }
            if (sndShutdown || state != State.ESTABLISHED || writable) {
                mask |= POLLOUT | POLLWRNORM;
            } else {
                watch(channel, SelectionKey.OP_WRITE);
            }
        }
        if (error != 0) {
            mask |= POLLERR;
        }
        return mask;
    }

    /**
     * close(2) of the last descriptor: the host connection is closed; with unread data (read
     * ahead here, so unknown to the host) or SO_LINGER on with a zero time it is reset instead,
     * as tcp_close does.
     */
    @Override
    public void release(FileDescription file) {
        unlist();
        synchronized (this) {
            byte[] linger = option(SOL_SOCKET, SO_LINGER);
            boolean abort = rx != null && rx.hasRemaining() || intOf(linger) != 0 && (linger[4] | linger[5]
                    | linger[6] | linger[7]) == 0;
            if (abort && channel != null) {
                hostOption(channel, StandardSocketOptions.SO_LINGER, 0);
            }
            closeChannels();
            state = State.CLOSE;
        }
        wake();
    }

    // ---- IPPROTO_TCP options -------------------------------------------------------------

    /** do_tcp_getsockopt for the options linux4j keeps; ENOPROTOOPT for the others. */
    @Override
    synchronized byte[] transportOption(int name) {
        return le(switch (name) {
            case TCP_NODELAY -> nodelay ? 1 : 0;
            case TCP_MAXSEG -> maxseg != 0 ? maxseg : 536; // TCP_MSS_DEFAULT until a route is known
            case TCP_CORK -> cork ? 1 : 0;
            case TCP_KEEPIDLE -> keepidle;
            case TCP_KEEPINTVL -> keepintvl;
            case TCP_KEEPCNT -> keepcnt;
            case TCP_SYNCNT -> syncnt;
            case TCP_LINGER2 -> linger2 == 0 ? 60 : linger2; // 0: net.ipv4.tcp_fin_timeout
            case TCP_DEFER_ACCEPT -> deferAccept;
            case TCP_WINDOW_CLAMP -> windowClamp;
            case TCP_QUICKACK -> quickack ? 1 : 0;
            case TCP_USER_TIMEOUT -> userTimeout;
            case TCP_NOTSENT_LOWAT -> notsentLowat;
            case TCP_FASTOPEN -> fastopen;
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        });
    }

    /**
     * do_tcp_setsockopt: EINVAL for a value shorter than an int; the keepalive times 1 to 32767
     * and counts 1 to 127 (EINVAL otherwise); TCP_NODELAY reaches the host socket; ENOPROTOOPT
     * for an option linux4j does not keep.
     */
    @Override
    void setTransportOption(int name, byte[] value) {
        switch (name) {
            case TCP_NODELAY, TCP_MAXSEG, TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2,
                    TCP_DEFER_ACCEPT, TCP_WINDOW_CLAMP, TCP_QUICKACK, TCP_USER_TIMEOUT, TCP_NOTSENT_LOWAT,
                    TCP_FASTOPEN -> { }
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
        if (value.length < 4) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int v = intOf(value);
        SocketChannel c;
        synchronized (this) {
            switch (name) {
                case TCP_NODELAY -> nodelay = v != 0;
                case TCP_MAXSEG -> maxseg = check(v, v == 0 || v >= 88 && v <= 65535, v);
                case TCP_CORK -> cork = v != 0;
                case TCP_KEEPIDLE -> keepidle = check(v, v >= 1 && v <= 32767, v);
                case TCP_KEEPINTVL -> keepintvl = check(v, v >= 1 && v <= 32767, v);
                case TCP_KEEPCNT -> keepcnt = check(v, v >= 1 && v <= 127, v);
                case TCP_SYNCNT -> syncnt = check(v, v >= 1 && v <= 127, v);
                case TCP_LINGER2 -> linger2 = v < 0 ? -1 : Math.min(v, 120);
                case TCP_DEFER_ACCEPT -> deferAccept = Math.max(v, 0);
                case TCP_WINDOW_CLAMP -> windowClamp = check(v, v >= 0, v);
                case TCP_QUICKACK -> quickack = v != 0;
                case TCP_USER_TIMEOUT -> userTimeout = check(v, v >= 0, v);
                case TCP_NOTSENT_LOWAT -> notsentLowat = v;
                default -> fastopen = check(v, v >= 0, v);
            }
            c = channel;
        }
        if (name == TCP_NODELAY) {
            hostOption(c, StandardSocketOptions.TCP_NODELAY, v != 0);
        }
    }

    private static int check(int v, boolean ok, int value) {
        if (!ok) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return value;
    }
}
