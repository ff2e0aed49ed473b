package dev.linux4j.abi;

/** Socket constants: uapi linux/socket.h, asm-generic/socket.h and linux/net.h. */
public final class Sockets {
    private Sockets() {}

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_MAX = 46;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_TYPE_MASK = 0xf;
    public static final int SOCK_CLOEXEC = Fcntl.O_CLOEXEC;
    public static final int SOCK_NONBLOCK = Fcntl.O_NONBLOCK;

    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    public static final int SOL_SOCKET = 1;
    public static final int SO_DEBUG = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_DONTROUTE = 5;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_PASSCRED = 16;
    public static final int SO_PEERCRED = 17;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_SNDLOWAT = 19;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDTIMEO = 21;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_PASSSEC = 34;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_DOMAIN = 39;

    // uapi linux/in.h, linux/in6.h, linux/tcp.h, linux/udp.h: the Internet protocols' levels and options.
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPPROTO_UDPLITE = 136;
    public static final int IPPROTO_MPTCP = 262;
    public static final int IPPROTO_MAX = 263;
    public static final int SOL_IP = IPPROTO_IP;
    public static final int SOL_TCP = IPPROTO_TCP;
    public static final int SOL_UDP = IPPROTO_UDP;
    public static final int SOL_IPV6 = IPPROTO_IPV6;

    public static final int AF_UNSPEC = 0;
    /** sizeof(struct sockaddr_in). */
    public static final int SOCKADDR_IN_SIZE = 16;
    /** sizeof(struct sockaddr_in6). */
    public static final int SOCKADDR_IN6_SIZE = 28;
    /** SIN6_LEN_RFC2133: a sockaddr_in6 without sin6_scope_id, the shortest AF_INET6 accepts. */
    public static final int SIN6_LEN_RFC2133 = 24;

    public static final int IP_TOS = 1;
    public static final int IP_TTL = 2;
    public static final int IP_RECVERR = 11;
    public static final int IP_MTU_DISCOVER = 10;

    public static final int IPV6_UNICAST_HOPS = 16;
    public static final int IPV6_MTU_DISCOVER = 23;
    public static final int IPV6_RECVERR = 25;
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_TCLASS = 67;

    public static final int TCP_NODELAY = 1;
    public static final int TCP_MAXSEG = 2;
    public static final int TCP_CORK = 3;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;
    public static final int TCP_SYNCNT = 7;
    public static final int TCP_LINGER2 = 8;
    public static final int TCP_DEFER_ACCEPT = 9;
    public static final int TCP_WINDOW_CLAMP = 10;
    public static final int TCP_QUICKACK = 12;
    public static final int TCP_USER_TIMEOUT = 18;
    public static final int TCP_FASTOPEN = 23;
    public static final int TCP_NOTSENT_LOWAT = 25;

    public static final int UDP_CORK = 1;
}
