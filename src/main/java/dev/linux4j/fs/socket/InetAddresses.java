package dev.linux4j.fs.socket;

import static dev.linux4j.abi.Sockets.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The Internet socket addresses as the guest lays them out (uapi linux/in.h and linux/in6.h),
 * to and from java.net's:
 *
 * <pre>
 * struct sockaddr_in  { sa_family_t sin_family; __be16 sin_port; struct in_addr sin_addr; unsigned char sin_zero[8]; };
 * struct sockaddr_in6 { sa_family_t sin6_family; __be16 sin6_port; __be32 sin6_flowinfo;
 *                       struct in6_addr sin6_addr; __u32 sin6_scope_id; };
 * </pre>
 *
 * The family is in host order (little-endian), the port and addresses in network order. An
 * AF_INET6 socket names an IPv4 peer by its v4-mapped address (::ffff:a.b.c.d), which java.net
 * turns into an {@link Inet4Address}.
 */
final class InetAddresses {
    private InetAddresses() {}

    /** The family a {@code struct sockaddr} names (0 when it is shorter than sa_family). */
    static int family(byte[] sa) {
        return sa.length < 2 ? AF_UNSPEC : (sa[0] & 0xff) | (sa[1] & 0xff) << 8;
    }

    static int port(byte[] sa) {
        return (sa[2] & 0xff) << 8 | (sa[3] & 0xff);
    }

    /** The address of a sockaddr_in (at least 16 bytes, already checked). */
    static InetSocketAddress fromIn(byte[] sa) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(sa, 4, 8)), port(sa));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The address of a sockaddr_in6 (at least SIN6_LEN_RFC2133 bytes, already checked); a
     * v4-mapped address comes back as an IPv4 one, with the scope id only for a link-local one.
     */
    static InetSocketAddress fromIn6(byte[] sa) {
        byte[] ip = java.util.Arrays.copyOfRange(sa, 8, 24);
        int scope = sa.length >= SOCKADDR_IN6_SIZE
                ? (sa[24] & 0xff) | (sa[25] & 0xff) << 8 | (sa[26] & 0xff) << 16 | sa[27] << 24 : 0;
        try {
            InetAddress a = InetAddress.getByAddress(ip);
            if (a instanceof Inet6Address && a.isLinkLocalAddress() && scope != 0) {
                a = Inet6Address.getByAddress(null, ip, scope);
            }
            return new InetSocketAddress(a, port(sa));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether a sockaddr_in6's address is v4-mapped (::ffff:0:0/96). */
    static boolean v4Mapped(byte[] sa) {
        for (int i = 8; i < 18; i++) {
            if (sa[i] != 0) {
                return false;
            }
        }
        return sa[18] == (byte) 0xff && sa[19] == (byte) 0xff;
    }

    /** An address as a socket of {@code family} reports it (getsockname, accept, recvfrom...). */
    static byte[] encode(int family, InetSocketAddress address) {
        InetAddress ip = address == null ? null : address.getAddress();
        int port = address == null ? 0 : address.getPort();
        if (family == AF_INET) {
            byte[] sa = new byte[SOCKADDR_IN_SIZE];
            header(sa, AF_INET, port);
            if (ip instanceof Inet4Address) {
                System.arraycopy(ip.getAddress(), 0, sa, 4, 4);
            }
            return sa;
        }
        byte[] sa = new byte[SOCKADDR_IN6_SIZE];
        header(sa, AF_INET6, port);
        if (ip instanceof Inet4Address) {
            sa[18] = (byte) 0xff;
            sa[19] = (byte) 0xff;
            System.arraycopy(ip.getAddress(), 0, sa, 20, 4);
        } else if (ip instanceof Inet6Address v6) {
            System.arraycopy(v6.getAddress(), 0, sa, 8, 16);
            int scope = v6.getScopeId();
            sa[24] = (byte) scope;
            sa[25] = (byte) (scope >> 8);
            sa[26] = (byte) (scope >> 16);
            sa[27] = (byte) (scope >> 24);
        }
        return sa;
    }

    private static void header(byte[] sa, int family, int port) {
        sa[0] = (byte) family;
        sa[1] = (byte) (family >> 8);
        sa[2] = (byte) (port >> 8);
        sa[3] = (byte) port;
    }

    /** The wildcard address of a family, with a port. */
    static InetSocketAddress any(int family, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[family == AF_INET ? 4 : 16]), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Where a connect or send to {@code address} goes: Linux takes the wildcard address as the
     * loopback one (tcp_v6_connect, ip_route_connect's "0.0.0.0 means this host").
     */
    static InetSocketAddress routable(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (!ip.isAnyLocalAddress()) {
            return address;
        }
        return new InetSocketAddress(ip instanceof Inet4Address ? InetAddress.getLoopbackAddress()
                : loopback6(), address.getPort());
    }

    private static InetAddress loopback6() {
        byte[] b = new byte[16];
        b[15] = 1;
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The address a bind, connect or datagram send gives, checked as inet_bind and
     * tcp_v4_connect check it (AF_INET: EINVAL below sizeof(sockaddr_in), EAFNOSUPPORT for
     * another family) and inet6_bind and tcp_v6_connect (AF_INET6: EINVAL below
     * SIN6_LEN_RFC2133, EAFNOSUPPORT for another family).
     */
    static InetSocketAddress decode(int family, byte[] sa) {
        if (family == AF_INET) {
            if (sa.length < SOCKADDR_IN_SIZE) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (family(sa) != AF_INET) {
                throw ErrnoException.of(Errno.EAFNOSUPPORT);
            }
            return fromIn(sa);
        }
        if (sa.length < SIN6_LEN_RFC2133) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (family(sa) != AF_INET6) {
            throw ErrnoException.of(Errno.EAFNOSUPPORT);
        }
        return fromIn6(sa);
    }

    /**
     * A /proc/net line of an inet socket: {@code name} its getsockname bytes, {@code peer} its
     * peer or null (shown as the wildcard address, port 0).
     */
    static dev.linux4j.vfs.SocketTable.InetRow procRow(Socket s, boolean tcp, byte[] name, InetSocketAddress peer,
            int state, int txQueue, int rxQueue, int refcount) {
        int family = s.family();
        byte[] remote = encode(family, peer == null ? any(family, 0) : peer);
        int at = family == AF_INET ? 4 : 8;
        int len = family == AF_INET ? 4 : 16;
        return new dev.linux4j.vfs.SocketTable.InetRow(s.inode(), tcp, family != AF_INET,
                java.util.Arrays.copyOfRange(name, at, at + len), (name[2] & 0xff) << 8 | name[3] & 0xff,
                java.util.Arrays.copyOfRange(remote, at, at + len), (remote[2] & 0xff) << 8 | remote[3] & 0xff, state,
                txQueue, rxQueue, s.cred()[1], refcount);
    }
}
