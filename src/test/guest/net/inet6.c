/* AF_INET6 sockets: TCP and UDP over ::1, sockaddr_in6's layout and lengths (24 bytes is enough),
 * dual stack (an AF_INET6 listener on :: accepts an IPv4 client, seen as ::ffff:127.0.0.1; a
 * UDP socket hears an IPv4 sender the same way; an AF_INET6 UDP socket may connect to an AF_INET
 * address), IPV6_V6ONLY (its errors: after bind, v4-mapped addresses), and the IPv6 options. */
#include "inet.h"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <unistd.h>

static void opt(const char *what, int fd, int level, int name) {
    int v = -1;
    socklen_t len = sizeof v;
    errno = 0;
    if (getsockopt(fd, level, name, &v, &len) < 0) printf("getsockopt %s -> %s\n", what, nerr(errno));
    else printf("getsockopt %s -> %d (len %u)\n", what, v, (unsigned)len);
}

static void setopt(const char *what, int fd, int level, int name, int v) {
    errno = 0;
    int r = setsockopt(fd, level, name, &v, sizeof v);
    printf("setsockopt %s %d -> %s\n", what, v, r < 0 ? nerr(errno) : "0");
}

static void name(const char *what, int fd, int peer) {
    struct sockaddr_in6 a;
    memset(&a, 0x55, sizeof a);
    socklen_t len = sizeof a;
    int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
    if (r < 0) printf("%s -> %s\n", what, nerr(errno));
    else show(what, &a, len);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[128];

    /* TCP over ::1 */
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    name("fresh getsockname", l, 0);
    opt("IPV6_V6ONLY", l, IPPROTO_IPV6, IPV6_V6ONLY);
    opt("IPV6_UNICAST_HOPS", l, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
    opt("IPV6_TCLASS", l, IPPROTO_IPV6, IPV6_TCLASS);
    opt("IP_TTL on AF_INET6", l, IPPROTO_IP, IP_TTL);
    opt("IPV6 9999", l, IPPROTO_IPV6, 9999);
    opt("level 77", l, 77, 1);
    opt("TCP_NODELAY", l, IPPROTO_TCP, TCP_NODELAY);
    struct sockaddr_in6 a = in6("::1", 0);
    T(bind(l, (struct sockaddr *)&a, 23));
    a.sin6_family = AF_INET;
    T(bind(l, (struct sockaddr *)&a, sizeof a));
    a.sin6_family = AF_INET6;
    struct sockaddr_in a4 = in4("127.0.0.1", 0);
    T(bind(l, (struct sockaddr *)&a4, sizeof a4));
    T(bind(l, (struct sockaddr *)&a, 24));
    T(bind(l, (struct sockaddr *)&a, sizeof a));
    setopt("IPV6_V6ONLY after bind", l, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    name("bound getsockname", l, 0);
    T(listen(l, 4));
    int port = port_of(l);
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    a.sin6_port = htons(port);
    T(connect(c, (struct sockaddr *)&a, 23));
    T(connect(c, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_in6 peer;
    socklen_t len = sizeof peer;
    int s = accept(l, (struct sockaddr *)&peer, &len);
    show("accepted", &peer, len);
    printf("peer port is the client's: %d\n", ntohs(peer.sin6_port) == port_of(c));
    len = 8;
    memset(&peer, 0, sizeof peer);
    int s2;
    name("client getpeername", c, 1);
    T(send(c, "six", 3, 0));
    long n = recv(s, buf, sizeof buf, 0);
    got("recv", n, buf);
    close(s);
    close(c);
    close(l);

    /* dual stack: a listener on :: hears an IPv4 client */
    l = socket(AF_INET6, SOCK_STREAM, 0);
    a = in6("::", 0);
    T(bind(l, (struct sockaddr *)&a, sizeof a));
    T(listen(l, 4));
    port = port_of(l);
    c = socket(AF_INET, SOCK_STREAM, 0);
    a4 = in4("127.0.0.1", port);
    T(connect(c, (struct sockaddr *)&a4, sizeof a4));
    len = 8; /* too short: cut, and the whole length returned */
    s2 = accept(l, (struct sockaddr *)&peer, &len);
    printf("accept with 8 bytes of room: len %u family %d\n", (unsigned)len, peer.sin6_family);
    name("v4 client seen by the v6 side", s2, 1);
    name("v6 side's own name", s2, 0);
    T(send(s2, "mapped", 6, 0));
    n = recv(c, buf, sizeof buf, 0);
    got("v4 client recv", n, buf);
    close(s2);
    close(c);
    /* an AF_INET6 client to a v4-mapped address */
    c = socket(AF_INET6, SOCK_STREAM, 0);
    a = in6("::ffff:127.0.0.1", port);
    T(connect(c, (struct sockaddr *)&a, sizeof a));
    name("v4-mapped client's name", c, 0);
    s2 = accept(l, NULL, NULL);
    printf("accepted %d\n", s2 >= 0);
    close(s2);
    close(c);
    close(l);

    /* IPV6_V6ONLY */
    l = socket(AF_INET6, SOCK_STREAM, 0);
    setopt("IPV6_V6ONLY", l, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    opt("IPV6_V6ONLY", l, IPPROTO_IPV6, IPV6_V6ONLY);
    a = in6("::ffff:127.0.0.1", 0);
    T(bind(l, (struct sockaddr *)&a, sizeof a));
    a = in6("::ffff:127.0.0.1", free_port(AF_INET));
    T(connect(l, (struct sockaddr *)&a, sizeof a));
    a = in6("::1", 0);
    T(bind(l, (struct sockaddr *)&a, sizeof a));
    close(l);

    /* UDP */
    int u = socket(AF_INET6, SOCK_DGRAM, 0);
    a = in6("::", 0);
    T(bind(u, (struct sockaddr *)&a, sizeof a));
    port = port_of(u);
    int v4 = socket(AF_INET, SOCK_DGRAM, 0);
    a4 = in4("127.0.0.1", port);
    T(sendto(v4, "from v4", 7, 0, (struct sockaddr *)&a4, sizeof a4));
    int v6 = socket(AF_INET6, SOCK_DGRAM, 0);
    a = in6("::1", port);
    T(sendto(v6, "from v6", 7, 0, (struct sockaddr *)&a, sizeof a));
    T(sendto(v6, "short", 5, 0, (struct sockaddr *)&a, 23));
    a.sin6_family = 99;
    T(sendto(v6, "family", 6, 0, (struct sockaddr *)&a, sizeof a));
    a.sin6_family = AF_INET6;
    for (int i = 0; i < 2; i++) {
        memset(&peer, 0, sizeof peer);
        len = sizeof peer;
        n = recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&peer, &len);
        got("recvfrom", n, buf);
        show("  from", &peer, len);
    }
    /* an AF_INET6 UDP socket connects to an AF_INET address; sends go over IPv4 */
    int w = socket(AF_INET6, SOCK_DGRAM, 0);
    a4 = in4("127.0.0.1", port_of(v4));
    T(connect(w, (struct sockaddr *)&a4, sizeof a4));
    name("connected to AF_INET: peer", w, 1);
    name("connected to AF_INET: name", w, 0);
    T(send(w, "over v4", 7, 0));
    n = recv(v4, buf, sizeof buf, 0);
    got("v4 recv", n, buf);
    close(w);
    w = socket(AF_INET6, SOCK_DGRAM, 0);
    setopt("IPV6_V6ONLY", w, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    T(connect(w, (struct sockaddr *)&a4, sizeof a4));
    a = in6("::ffff:127.0.0.1", port);
    T(sendto(w, "x", 1, 0, (struct sockaddr *)&a, sizeof a));
    close(w);
    close(u);
    close(v4);
    close(v6);
    return 0;
}
