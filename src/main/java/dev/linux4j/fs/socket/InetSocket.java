package dev.linux4j.fs.socket;

import static dev.linux4j.abi.Sockets.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.host.HostErrors;
import dev.linux4j.vfs.Sleep;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.ProtocolFamily;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * AF_INET and AF_INET6 sockets (net/ipv4/af_inet.c, net/ipv6/af_inet6.c) over the host's
 * network through java.nio: TCP ({@link InetTcpSocket}) on SocketChannel and
 * ServerSocketChannel, UDP ({@link InetUdpSocket}) on DatagramChannel. An AF_INET6 socket is
 * dual-stack (an IPv4 peer appears v4-mapped) unless IPV6_V6ONLY, which java.nio cannot set and
 * is kept here: v4-mapped addresses are refused as Linux refuses them and IPv4 peers are
 * turned away.
 *
 * <p>Channels are always non-blocking. A guest thread that must wait asks the shared
 * {@link InetSelector} to watch its channel and sleeps in {@link Sleep} (interruptible by guest
 * signals) until {@link #selected} reports a change; the same wake-up tells poll, select and
 * epoll ({@link Sleep#wakePollers}).
 *
 * <p>Locking: {@code this} guards each family's state (held only around non-blocking channel
 * calls, never while sleeping); {@link #events} guards the wake-up count. The selector thread
 * never takes {@code this}.
 */
public abstract sealed class InetSocket extends Socket permits InetTcpSocket, InetUdpSocket {
    /** net.ipv4.ip_default_ttl and the IPv6 hop limit: IP_TTL and IPV6_UNICAST_HOPS until set. */
    private static final int DEFAULT_TTL = 64;
    /** IP_PMTUDISC_WANT: IP_MTU_DISCOVER's default (net.ipv4.ip_no_pmtu_disc is 0). */
    private static final int PMTUDISC_WANT = 1;

    private final Object events = new Object();
    /** Wake-ups so far (guarded by {@link #events}). */
    private long eventCount;

    // IPPROTO_IP and IPPROTO_IPV6 options (guarded by this).
    private int tos;
    /** IP_TTL as set; -1 for the default. */
    private int ttl = -1;
    private int hops = -1;
    private int tclass;
    private boolean recverr;
    private boolean recverr6;
    private int pmtudisc = PMTUDISC_WANT;
    private int pmtudisc6 = PMTUDISC_WANT;
    /** IPV6_V6ONLY (net.ipv6.bindv6only is 0). */
    private boolean v6only;

    InetSocket(int family, int type, int protocol, int[] cred) {
        super(family, type, protocol, cred);
    }

    /**
     * socket(2) for AF_INET or AF_INET6, {@code type} without its flags (already below
     * SOCK_MAX): inet_create's and inet6_create's checks. EINVAL for a protocol outside 0 to
     * IPPROTO_MAX; SOCK_STREAM is TCP and SOCK_DGRAM UDP (protocol 0 picks them),
     * EPROTONOSUPPORT for another protocol of those types (MPTCP, UDP-Lite and ping sockets, as a
     * kernel built without them); SOCK_RAW is EPERM, as for a process without CAP_NET_RAW (the
     * JVM cannot send raw packets); other types ESOCKTNOSUPPORT. EAFNOSUPPORT for AF_INET6 on a
     * host without IPv6.
     */
    public static Socket create(int family, int type, int protocol, int[] cred) {
        if (protocol < 0 || protocol >= IPPROTO_MAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return switch (type) {
            case SOCK_STREAM -> {
                if (protocol != IPPROTO_IP && protocol != IPPROTO_TCP) {
                    throw ErrnoException.of(Errno.EPROTONOSUPPORT);
                }
                yield new InetTcpSocket(family, cred);
            }
            case SOCK_DGRAM -> {
                if (protocol != IPPROTO_IP && protocol != IPPROTO_UDP) {
                    throw ErrnoException.of(Errno.EPROTONOSUPPORT);
                }
                yield new InetUdpSocket(family, cred);
            }
            case SOCK_RAW -> throw ErrnoException.of(Errno.EPERM);
            default -> throw ErrnoException.of(Errno.ESOCKTNOSUPPORT);
        };
    }

    /** The java.nio protocol family of this socket's channels. */
    final ProtocolFamily protocolFamily() {
        return family() == AF_INET ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    // ---- waiting -------------------------------------------------------------------------

    /** Called by the selector thread (never with a lock of this socket): {@code readyOps} came. */
    final void selected(int readyOps) {
        ready(readyOps);
        wake();
    }

    /** What a family notes when the selector reports its channel ready (no locking of {@code this}). */
    void ready(int readyOps) {}

    /** Wakes the socket's waiters and the pollers: something about it changed. */
    final void wake() {
        synchronized (events) {
            eventCount++;
            events.notifyAll();
        }
        Sleep.wakePollers();
    }

    /** The wake-up count, read before checking for what a waiter waits for. */
    final long seen() {
        synchronized (events) {
            return eventCount;
        }
    }

    /** Has the selector watch {@code channel} for {@code ops} (one-shot). */
    final void watch(SelectableChannel channel, int ops) {
        InetSelector.get().watch(channel, ops, this);
    }

    /**
     * Sleeps until a wake-up after {@code seen} or until {@code deadline} (System.nanoTime;
     * Long.MAX_VALUE for none); false when the deadline passed. ERESTARTSYS (a RestartSyscall)
     * when a guest signal comes.
     */
    final boolean await(long seen, long deadline) {
        synchronized (events) {
            if (eventCount != seen) {
                return true;
            }
            long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // The selector reports every change; the bound only guards against one lost.
            Sleep.waitOn(events, Math.max(1, Math.min(1000, left / 1_000_000)));
            return eventCount != seen || System.nanoTime() - deadline < 0;
        }
    }

    /**
     * When a wait of a blocking call ends: 0 for a non-blocking one, else now plus SO_RCVTIMEO or
     * SO_SNDTIMEO ({@code option}) when set (sock_rcvtimeo, sock_sndtimeo), else Long.MAX_VALUE.
     */
    final long deadline(boolean nonblock, int option) {
        if (nonblock) {
            return 0;
        }
        byte[] tv = option(SOL_SOCKET, option);
        long sec = 0;
        long usec = 0;
        for (int i = 7; i >= 0; i--) {
            sec = sec << 8 | (tv[i] & 0xff);
            usec = usec << 8 | (tv[8 + i] & 0xff);
        }
        if (sec <= 0 && usec <= 0) {
            return Long.MAX_VALUE;
        }
        long nanos = sec > Long.MAX_VALUE / 2_000_000_000L ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + usec * 1000;
        return System.nanoTime() + nanos;
    }

    /** Closes a channel, through the selector when it was ever watched. */
    static void close(SelectableChannel channel) {
        if (channel != null) {
            InetSelector.get().close(channel);
        }
    }

    // ---- errors --------------------------------------------------------------------------

    /** The errnos a host socket call reports, matched by their strerror text. */
    private static final Errno[] NET_ERRNOS = {Errno.ECONNREFUSED, Errno.ECONNRESET, Errno.EPIPE, Errno.EADDRINUSE,
        Errno.EADDRNOTAVAIL, Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ETIMEDOUT, Errno.EMSGSIZE,
        Errno.ECONNABORTED, Errno.ENETDOWN, Errno.EHOSTDOWN, Errno.ENOBUFS, Errno.EAFNOSUPPORT, Errno.EACCES,
        Errno.EPERM, Errno.EINVAL, Errno.EMFILE, Errno.ENFILE, Errno.ENOTCONN, Errno.EISCONN, Errno.EPROTO,
        Errno.ENOPROTOOPT, Errno.EOPNOTSUPP};

    /**
     * The Linux errno of a failed host socket call: java.nio carries the host's strerror text
     * (or "Connection reset" for ECONNRESET); a few exception types say it without one.
     */
    static ErrnoException errno(Exception e) {
        if (e instanceof PortUnreachableException) {
            return ErrnoException.of(Errno.ECONNREFUSED);
        }
        if (e instanceof UnsupportedAddressTypeException || e instanceof UnresolvedAddressException) {
            return ErrnoException.of(Errno.EAFNOSUPPORT);
        }
        String m = e.getMessage();
        if (m != null) {
            if (m.contains("Connection reset")) {
                return ErrnoException.of(Errno.ECONNRESET);
            }
            for (Errno n : NET_ERRNOS) {
                if (m.contains(n.message())) {
                    return ErrnoException.of(n);
                }
            }
        }
        if (e instanceof ConnectException) {
            return ErrnoException.of(Errno.ECONNREFUSED);
        }
        if (e instanceof BindException) {
            return ErrnoException.of(Errno.EADDRINUSE);
        }
        if (e instanceof NoRouteToHostException) {
            return ErrnoException.of(Errno.EHOSTUNREACH);
        }
        return HostErrors.toErrno(e);
    }

    // ---- options -------------------------------------------------------------------------

    /** Sets a host socket option, ignoring one the host or channel does not have. */
    static <T> void hostOption(NetworkChannel channel, SocketOption<T> option, T value) {
        if (channel == null) {
            return;
        }
        try {
            channel.setOption(option, value);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // best effort: the guest sees the value it set either way
        }
    }

    /** The SOL_SOCKET options that matter to the host socket, copied onto {@code channel}. */
    final void applySocketOptions(NetworkChannel channel) {
        hostOption(channel, StandardSocketOptions.SO_REUSEADDR, flag(SO_REUSEADDR));
        if (channel != null && channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            hostOption(channel, StandardSocketOptions.SO_REUSEPORT, flag(SO_REUSEPORT));
        }
        if (channel != null && channel.supportedOptions().contains(StandardSocketOptions.SO_KEEPALIVE)) {
            hostOption(channel, StandardSocketOptions.SO_KEEPALIVE, flag(SO_KEEPALIVE));
        }
        if (channel != null && channel.supportedOptions().contains(StandardSocketOptions.SO_BROADCAST)) {
            hostOption(channel, StandardSocketOptions.SO_BROADCAST, flag(SO_BROADCAST));
        }
    }

    /** The family's channels, for options set after they exist. */
    abstract void socketOptionsChanged();

    @Override
    public void setOption(int level, int name, byte[] value) {
        super.setOption(level, name, value);
        if (level == SOL_SOCKET) {
            socketOptionsChanged();
        }
    }

    /** IPV6_V6ONLY. */
    final synchronized boolean v6only() {
        return v6only;
    }

    /** Whether the socket has a local port (inet_num): IPV6_V6ONLY cannot change then. */
    abstract boolean hasPort();

    /** The transport level's option (IPPROTO_TCP or IPPROTO_UDP), or ENOPROTOOPT. */
    abstract byte[] transportOption(int name);

    abstract void setTransportOption(int name, byte[] value);

    /** The transport level: IPPROTO_TCP or IPPROTO_UDP. */
    private int transportLevel() {
        return type() == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    }

    /**
     * getsockopt(2) below SOL_SOCKET: tcp_getsockopt/udp_getsockopt at the transport level,
     * do_ip_getsockopt at SOL_IP (any socket) and do_ipv6_getsockopt at SOL_IPV6 (AF_INET6). An
     * unknown option is ENOPROTOOPT; another level is EOPNOTSUPP from ip_getsockopt on AF_INET
     * and ENOPROTOOPT from ipv6_getsockopt on AF_INET6.
     */
    @Override
    protected byte[] protocolOption(int level, int name) {
        if (level == transportLevel()) {
            return transportOption(name);
        }
        if (level == SOL_IP) {
            synchronized (this) {
                return le(switch (name) {
                    case IP_TOS -> tos;
                    case IP_TTL -> ttl == -1 ? DEFAULT_TTL : ttl;
                    case IP_RECVERR -> recverr ? 1 : 0;
                    case IP_MTU_DISCOVER -> pmtudisc;
                    default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
                });
            }
        }
        if (level == SOL_IPV6 && family() == AF_INET6) {
            synchronized (this) {
                return le(switch (name) {
                    case IPV6_V6ONLY -> v6only ? 1 : 0;
                    case IPV6_UNICAST_HOPS -> hops == -1 ? DEFAULT_TTL : hops;
                    case IPV6_TCLASS -> tclass;
                    case IPV6_RECVERR -> recverr6 ? 1 : 0;
                    case IPV6_MTU_DISCOVER -> pmtudisc6;
                    default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
                });
            }
        }
        throw ErrnoException.of(family() == AF_INET ? Errno.EOPNOTSUPP : Errno.ENOPROTOOPT);
    }

    /**
     * setsockopt(2) below SOL_SOCKET: do_tcp_setsockopt/udp_lib_setsockopt at the transport
     * level; do_ip_setsockopt at SOL_IP (an int, or one byte; EINVAL for none; IP_TTL 1 to 255 or
     * -1 for the default; IP_TOS keeps a TCP socket's ECN bits); do_ipv6_setsockopt at SOL_IPV6
     * (an int: IPV6_V6ONLY EINVAL once bound, the hop limit and traffic class -1 to 255).
     * ENOPROTOOPT for an unknown option or level.
     */
    @Override
    protected void setProtocolOption(int level, int name, byte[] value) {
        if (level == transportLevel()) {
            setTransportOption(name, value);
            return;
        }
        if (level == SOL_IP) {
            setIpOption(name, value);
            return;
        }
        if (level == SOL_IPV6 && family() == AF_INET6) {
            setIpv6Option(name, value);
            return;
        }
        throw ErrnoException.of(Errno.ENOPROTOOPT);
    }

    private void setIpOption(int name, byte[] value) {
        if (name != IP_TOS && name != IP_TTL && name != IP_RECVERR && name != IP_MTU_DISCOVER) {
            throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
        if (value.length == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int v = value.length >= 4 ? intOf(value) : value[0] & 0xff;
        synchronized (this) {
            switch (name) {
                case IP_TOS -> tos = type() == SOCK_STREAM ? (v & ~3) | (tos & 3) : v & 0xff;
                case IP_TTL -> {
                    if (v != -1 && (v < 1 || v > 255)) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    ttl = v;
                }
                case IP_RECVERR -> recverr = v != 0;
                default -> {
                    if (v < 0 || v > 5) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    pmtudisc = v;
                }
            }
        }
        if (name == IP_TOS) {
            socketOptionsChanged();
        }
    }

    private void setIpv6Option(int name, byte[] value) {
        if (name != IPV6_V6ONLY && name != IPV6_UNICAST_HOPS && name != IPV6_TCLASS && name != IPV6_RECVERR
                && name != IPV6_MTU_DISCOVER) {
            throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
        if (value.length < 4) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int v = intOf(value);
        synchronized (this) {
            switch (name) {
                case IPV6_V6ONLY -> {
                    if (hasPort()) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    v6only = v != 0;
                }
                case IPV6_UNICAST_HOPS, IPV6_TCLASS -> {
                    if (v < -1 || v > 255) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    if (name == IPV6_UNICAST_HOPS) {
                        hops = v;
                    } else {
                        tclass = v == -1 ? 0 : v;
                    }
                }
                case IPV6_RECVERR -> recverr6 = v != 0;
                default -> {
                    if (v < 0 || v > 5) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    pmtudisc6 = v;
                }
            }
        }
    }

    /** IP_TOS (or IPV6_TCLASS) as the host socket should have it. */
    final synchronized int trafficClass() {
        return family() == AF_INET ? tos : tclass;
    }
}
