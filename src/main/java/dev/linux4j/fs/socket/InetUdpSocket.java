package dev.linux4j.fs.socket;

import static dev.linux4j.abi.Poll.*;
import static dev.linux4j.abi.Sockets.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.vfs.FileDescription;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;

/**
 * A UDP socket (net/ipv4/udp.c, net/ipv6/udp.c, af_inet.c's inet_dgram_ops) on a non-blocking
 * DatagramChannel. Datagrams the host delivered and the guest has not read wait in
 * {@link #queue} (what MSG_PEEK, FIONREAD and poll look at; each is received whole, so MSG_TRUNC
 * knows its length). connect(2) connects the channel, so the host filters other senders and
 * reports ICMP errors (ECONNREFUSED) as Linux does for a connected socket.
 *
 * <p>Locking: {@code this} guards every field.
 */
final class InetUdpSocket extends InetSocket {
    /** The longest UDP payload, and then some: a datagram is always received whole. */
    private static final int MAX_DATAGRAM = 65536;

    private record Datagram(byte[] data, InetSocketAddress from) {}

    private DatagramChannel channel;
    /** Whether the channel has a port (inet_num): bound, or bound by a send or connect. */
    private boolean bound;
    /** bind(2) gave a port (SOCK_BINDPORT_LOCK): dissolving a connection keeps it. */
    private boolean portLocked;
    /** The address bind(2) gave (SOCK_BINDADDR_LOCK when not the wildcard), kept for getsockname. */
    private InetSocketAddress bindAddress;
    private InetSocketAddress peer;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private int queuedBytes;
    private ByteBuffer receiveBuffer;
    private int error;
    private boolean rcvShutdown;
    private boolean sndShutdown;
    private boolean cork;

    InetUdpSocket(int family, int[] cred) {
        super(family, SOCK_DGRAM, IPPROTO_UDP, cred);
        channel = openChannel();
    }

    private DatagramChannel openChannel() {
        try {
            DatagramChannel c = DatagramChannel.open(protocolFamily());
            c.configureBlocking(false);
            applySocketOptions(c);
            return c;
        } catch (IOException e) {
            throw errno(e);
        } catch (UnsupportedOperationException e) {
            throw ErrnoException.of(Errno.EAFNOSUPPORT);
        }
    }

    @Override
    void socketOptionsChanged() {
        DatagramChannel c;
        synchronized (this) {
            c = channel;
        }
        applySocketOptions(c);
        if (trafficClass() != 0) {
            hostOption(c, StandardSocketOptions.IP_TOS, trafficClass());
        }
    }

    @Override
    synchronized boolean hasPort() {
        return bound;
    }

    /**
     * bind(2): inet_bind's and inet6_bind's checks (as for TCP), EINVAL when the socket has a
     * port already, then the host's EADDRINUSE or EADDRNOTAVAIL.
     */
    @Override
    public void bind(byte[] address, SocketPaths paths) {
        InetSocketAddress at;
        if (family() == AF_INET && address.length >= SOCKADDR_IN_SIZE && InetAddresses.family(address) == AF_UNSPEC) {
            at = InetAddresses.fromIn(address);
            if (!at.getAddress().isAnyLocalAddress()) {
                throw ErrnoException.of(Errno.EAFNOSUPPORT);
            }
        } else {
            at = InetAddresses.decode(family(), address);
        }
        synchronized (this) {
            if (bound) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (family() == AF_INET6 && v6only() && at.getAddress() instanceof Inet4Address) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            try {
                channel.bind(at);
            } catch (IOException e) {
                throw errno(e);
            }
            bound = true;
            portLocked = at.getPort() != 0;
            bindAddress = at;
        }
    }

    /**
     * The destination of a send: udp_sendmsg's checks (AF_INET: EINVAL below sockaddr_in,
     * EAFNOSUPPORT for a family but AF_INET and AF_UNSPEC, EINVAL for port 0) and
     * udpv6_sendmsg's (EINVAL below SIN6_LEN_RFC2133 or for another family; AF_UNSPEC is no
     * address; AF_INET goes the IPv4 way; ENETUNREACH for IPv4 with IPV6_V6ONLY). Null for none.
     */
    private InetSocketAddress destination(byte[] to) {
        if (to == null) {
            return null;
        }
        int fam = InetAddresses.family(to);
        if (family() == AF_INET6) {
            if (to.length < 2) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (fam == AF_UNSPEC) {
                return null;
            }
            if (fam == AF_INET6) {
                if (to.length < SIN6_LEN_RFC2133) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                InetSocketAddress d = InetAddresses.fromIn6(to);
                if (d.getAddress() instanceof Inet4Address && v6only()) {
                    throw ErrnoException.of(Errno.ENETUNREACH);
                }
                if (d.getPort() == 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                return InetAddresses.routable(d);
            }
            if (fam != AF_INET) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (v6only()) {
                throw ErrnoException.of(Errno.ENETUNREACH);
            }
        }
        if (to.length < SOCKADDR_IN_SIZE) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (fam != AF_INET && fam != AF_UNSPEC) {
            throw ErrnoException.of(Errno.EAFNOSUPPORT);
        }
        InetSocketAddress d = InetAddresses.fromIn(to);
        if (d.getPort() == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return InetAddresses.routable(d);
    }

    /**
     * sendto(2), sendmsg(2) and write(2) (udp_sendmsg, udpv6_sendmsg): one datagram to the
     * address given or the connected peer (EDESTADDRREQ without either); EOPNOTSUPP for MSG_OOB;
     * EPIPE after SHUT_WR; the host's EMSGSIZE past the largest datagram. An unbound socket gets a
     * port (inet_autobind). Waits (unless non-blocking: EAGAIN) while the host's send buffer is full.
     */
    @Override
    public int send(byte[] buf, int off, int len, int flags, boolean nonblock, byte[] to, SocketPaths paths,
            FileDescription[] files) {
        releaseFiles(files);
        if ((flags & MSG_OOB) != 0) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        InetSocketAddress dest = destination(to);
        long deadline = deadline(nonblock, SO_SNDTIMEO);
        while (true) {
            long seen = seen();
            synchronized (this) {
                if (dest == null) {
                    if (peer == null) {
                        throw ErrnoException.of(Errno.EDESTADDRREQ);
                    }
                    dest = peer;
                }
                if (sndShutdown) {
                    throw ErrnoException.of(Errno.EPIPE);
                }
                int n = sendOnce(ByteBuffer.wrap(buf, off, len), dest);
                if (n > 0 || len == 0) {
                    return n;
                }
                // The host's send buffer is full (sock_alloc_send_skb would wait).
                if (deadline == 0) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                watch(channel, SelectionKey.OP_WRITE);
            }
            if (!await(seen, deadline)) {
                throw ErrnoException.of(Errno.EAGAIN);
            }
        }
    }

    /** One datagram to {@code dest}: its length, or 0 when the host has no room for it now. */
    private int sendOnce(ByteBuffer data, InetSocketAddress dest) {
        try {
            int n;
            if (peer == null) {
                n = channel.send(data, dest);
            } else if (dest.equals(peer)) {
                n = channel.write(data);
            } else {
                // A connected channel sends only to its peer: step out of the connection for this one.
                drain();
                channel.disconnect();
                try {
                    n = channel.send(data, dest);
                } finally {
                    drain();
                    channel.connect(peer);
                }
            }
            bound = true;
            return n;
        } catch (IOException e) {
            bound = channel.socket().getLocalPort() > 0;
            throw errno(e);
        }
    }

    /**
     * Moves what the host has into {@link #queue}, up to SO_RCVBUF's bytes: a connected socket's
     * ICMP error (ECONNREFUSED) becomes pending (sk_err), and an IPv6-only socket drops IPv4
     * senders.
     */
    private void drain() {
        if (!bound) {
            return;
        }
        if (receiveBuffer == null) {
            receiveBuffer = ByteBuffer.allocate(MAX_DATAGRAM);
        }
        while (queuedBytes < rcvbuf()) {
            receiveBuffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(receiveBuffer);
            } catch (IOException e) {
                error = errno(e).errno().number();
                return;
            }
            if (from == null) {
                return;
            }
            InetSocketAddress sender = (InetSocketAddress) from;
            if (family() == AF_INET6 && v6only() && sender.getAddress() instanceof Inet4Address) {
                continue;
            }
            byte[] data = new byte[receiveBuffer.position()];
            receiveBuffer.flip().get(data);
            queue.add(new Datagram(data, sender));
            queuedBytes += data.length;
        }
    }

    /**
     * recvfrom(2), recvmsg(2) and read(2) (udp_recvmsg): the next datagram with its sender (a
     * datagram longer than {@code len} is cut, its whole length returned for MSG_TRUNC; MSG_PEEK
     * leaves it); a pending error once; EAGAIN or a wait (0 once SHUT_RD is set, as
     * __skb_wait_for_more_packets; EAGAIN when SO_RCVTIMEO passes).
     */
    @Override
    public Received receive(byte[] buf, int off, int len, int flags, boolean nonblock) {
        if ((flags & MSG_OOB) != 0) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        boolean peek = (flags & MSG_PEEK) != 0;
        long deadline = deadline(nonblock, SO_RCVTIMEO);
        while (true) {
            long seen = seen();
            synchronized (this) {
                if (error != 0) {
                    int e = error;
                    error = 0;
                    throw ErrnoException.ofNumber(e);
                }
                if (queue.isEmpty()) {
                    drain();
                }
                Datagram d = peek ? queue.peek() : queue.poll();
                if (d != null) {
                    if (!peek) {
                        queuedBytes -= d.data.length;
                    }
                    int n = Math.min(len, d.data.length);
                    System.arraycopy(d.data, 0, buf, off, n);
                    return new Received(n, d.data.length, null, InetAddresses.encode(family(), d.from));
                }
                if (error != 0) {
                    int e = error;
                    error = 0;
                    throw ErrnoException.ofNumber(e);
                }
                if (deadline == 0) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                if (rcvShutdown) {
                    return new Received(0, 0, null, null);
                }
                if (bound) {
                    watch(channel, SelectionKey.OP_READ);
                }
            }
            if (!await(seen, deadline)) {
                throw ErrnoException.of(Errno.EAGAIN);
            }
        }
    }

    /**
     * connect(2) (inet_dgram_connect, ip4_datagram_connect, ip6_datagram_connect): AF_UNSPEC
     * dissolves the association (udp_disconnect: a port the kernel chose is given up, and the
     * socket can be bound again); AF_INET: EINVAL below sockaddr_in, EAFNOSUPPORT for another
     * family; AF_INET6: an AF_INET address goes the IPv4 way (EAFNOSUPPORT with IPV6_V6ONLY),
     * EINVAL below SIN6_LEN_RFC2133, EAFNOSUPPORT, ENETUNREACH for a v4-mapped address with
     * IPV6_V6ONLY. Binds an unbound socket. Datagrams already queued stay.
     */
    @Override
    public void connect(byte[] address, SocketPaths paths, boolean nonblock) {
        if (address.length < 2) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int fam = InetAddresses.family(address);
        if (fam == AF_UNSPEC) {
            dissolve();
            return;
        }
        InetSocketAddress to;
        if (family() == AF_INET6 && fam == AF_INET) {
            if (v6only()) {
                throw ErrnoException.of(Errno.EAFNOSUPPORT);
            }
            to = InetAddresses.decode(AF_INET, address);
        } else {
            to = InetAddresses.decode(family(), address);
            if (family() == AF_INET6 && v6only() && to.getAddress() instanceof Inet4Address) {
                throw ErrnoException.of(Errno.ENETUNREACH);
            }
        }
        to = InetAddresses.routable(to);
        synchronized (this) {
            drain();
            try {
                if (peer != null) {
                    channel.disconnect();
                    peer = null;
                }
                channel.connect(to);
            } catch (IOException e) {
                bound = channel.socket().getLocalPort() > 0;
                throw errno(e);
            }
            peer = to;
            bound = true;
        }
        wake();
    }

    /** udp_disconnect: no peer; a port bind(2) did not give is released (a new channel, unbound). */
    private void dissolve() {
        synchronized (this) {
            if (peer == null && portLocked) {
                return;
            }
            drain();
            if (portLocked) {
                try {
                    channel.disconnect();
                } catch (IOException e) {
                    throw errno(e);
                }
            } else if (bound) {
                DatagramChannel fresh = openChannel();
                close(channel);
                channel = fresh;
                bound = false;
            }
            peer = null;
        }
        wake();
    }

    /**
     * shutdown(2) (inet_shutdown): EINVAL for a bad {@code how}; the bits are noted either way,
     * and an unconnected socket says ENOTCONN.
     */
    @Override
    public void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        boolean connected;
        synchronized (this) {
            rcvShutdown |= how != SHUT_WR;
            sndShutdown |= how != SHUT_RD;
            connected = peer != null;
        }
        wake();
        if (!connected) {
            throw ErrnoException.of(Errno.ENOTCONN);
        }
    }

    /** FIONREAD (udp_ioctl's SIOCINQ): the next datagram's length, 0 for none. */
    @Override
    public synchronized int queued() {
        if (queue.isEmpty()) {
            drain();
        }
        Datagram d = queue.peek();
        return d == null ? 0 : d.data.length;
    }

    @Override
    protected synchronized int takeError() {
        drain();
        int e = error;
        error = 0;
        return e;
    }

    @Override
    protected boolean listening() {
        return false;
    }

    /**
     * udp4_format_sock's line: listed once it has a port (udp_lib_get_port hashed it); TCP_CLOSE
     * unless connected; rx_queue the bytes queued here (Linux counts buffer truesize).
     */
    @Override
    public synchronized dev.linux4j.vfs.SocketTable.Row procRow() {
        if (!bound) {
            return null;
        }
        return InetAddresses.procRow(this, false, name(), peer, peer != null ? 0x01 : 0x07, 0, queuedBytes, 2);
    }

    /** getsockname(2): the host's name once bound; else the address bind gave, with port 0. */
    @Override
    public synchronized byte[] name() {
        if (bound) {
            try {
                return InetAddresses.encode(family(), (InetSocketAddress) channel.getLocalAddress());
            } catch (IOException e) {
                throw errno(e);
            }
        }
        InetSocketAddress kept = bindAddress == null ? InetAddresses.any(family(), 0)
                : new InetSocketAddress(bindAddress.getAddress(), 0);
        return InetAddresses.encode(family(), kept);
    }

    @Override
    public synchronized byte[] peerName() {
        if (peer == null) {
            throw ErrnoException.of(Errno.ENOTCONN);
        }
        return InetAddresses.encode(family(), peer);
    }

    /**
     * datagram_poll's mask: POLLERR with an error pending, POLLIN|POLLRDHUP after SHUT_RD,
     * POLLHUP when shut down both ways, POLLIN with a datagram queued, and always writable.
     */
    @Override
    public synchronized int poll(FileDescription file) {
        if (queue.isEmpty()) {
            drain();
        }
        int mask = POLLOUT | POLLWRNORM | POLLWRBAND;
        if (error != 0) {
            mask |= POLLERR;
        }
        if (rcvShutdown) {
            mask |= POLLRDHUP | POLLIN | POLLRDNORM;
        }
        if (rcvShutdown && sndShutdown) {
            mask |= POLLHUP;
        }
        if (!queue.isEmpty()) {
            mask |= POLLIN | POLLRDNORM;
        } else if (bound) {
            watch(channel, SelectionKey.OP_READ);
        }
        return mask;
    }

    @Override
    public void release(FileDescription file) {
        unlist();
        synchronized (this) {
            close(channel);
            queue.clear();
        }
        wake();
    }

    /** udp_lib_getsockopt: UDP_CORK; ENOPROTOOPT for the rest. */
    @Override
    synchronized byte[] transportOption(int name) {
        if (name == UDP_CORK) {
            return le(cork ? 1 : 0);
        }
        throw ErrnoException.of(Errno.ENOPROTOOPT);
    }

    /** udp_lib_setsockopt: EINVAL for a value shorter than an int; UDP_CORK is kept (not acted on). */
    @Override
    void setTransportOption(int name, byte[] value) {
        if (name != UDP_CORK) {
            throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
        if (value.length < 4) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        synchronized (this) {
            cork = intOf(value) != 0;
        }
    }
}
