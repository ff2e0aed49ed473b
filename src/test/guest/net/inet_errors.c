/* AF_INET and AF_INET6 sockets without a peer: socket(2)'s type and protocol errors, the
 * options every socket answers, bind's and connect's errors (short and foreign addresses, a port
 * in use, binding twice), names before and after bind, what an unconnected socket's calls give,
 * poll's events of fresh and listening sockets, and connect to a port nobody listens on, blocking
 * and non-blocking (EINPROGRESS, then POLLOUT and SO_ERROR). */
#include "inet.h"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
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

static void names(const char *what, int fd) {
    struct sockaddr_in6 a;
    memset(&a, 0x55, sizeof a);
    socklen_t len = sizeof a;
    char label[80];
    snprintf(label, sizeof label, "getsockname %s", what);
    if (getsockname(fd, (struct sockaddr *)&a, &len) < 0) printf("%s -> %s\n", label, nerr(errno));
    else show(label, &a, len);
    len = sizeof a;
    snprintf(label, sizeof label, "getpeername %s", what);
    if (getpeername(fd, (struct sockaddr *)&a, &len) < 0) printf("%s -> %s\n", label, nerr(errno));
    else show(label, &a, len);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    char buf[64];

    /* socket(2): types and protocols inet_create has, and the errors for the others */
    int fds[16], n = 0;
    T(fds[n++] = socket(AF_INET, SOCK_STREAM, 0));
    T(fds[n++] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    T(fds[n++] = socket(AF_INET, SOCK_DGRAM, 0));
    T(fds[n++] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
    T(fds[n++] = socket(AF_INET6, SOCK_STREAM, 0));
    T(fds[n++] = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP));
    T(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
    T(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
    T(socket(AF_INET6, SOCK_DGRAM, IPPROTO_TCP));
    T(socket(AF_INET, SOCK_SEQPACKET, 0));
    T(socket(AF_INET6, SOCK_SEQPACKET, 0));
    T(socket(AF_INET, SOCK_RDM, 0));
    T(socket(AF_INET, 0, 0));
    T(socket(AF_INET, SOCK_STREAM, -1));
    T(socket(AF_INET, SOCK_STREAM, 263));
    T(socket(AF_INET, SOCK_STREAM, 99));
    T(socket(AF_INET, 11, 0));
    T(socketpair(AF_INET, SOCK_STREAM, 0, fds + n));
    for (int i = 0; i < n; i++) {
        int type = -1, proto = -1, domain = -1;
        socklen_t l = sizeof type;
        getsockopt(fds[i], SOL_SOCKET, SO_TYPE, &type, &l);
        getsockopt(fds[i], SOL_SOCKET, SO_PROTOCOL, &proto, &l);
        getsockopt(fds[i], SOL_SOCKET, SO_DOMAIN, &domain, &l);
        printf("socket %d: type %d protocol %d domain %d\n", i, type, proto, domain);
        close(fds[i]);
    }
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    printf("flags O_NONBLOCK %d cloexec %d\n", (fcntl(s, F_GETFL) & O_NONBLOCK) != 0, fcntl(s, F_GETFD));
    close(s);

    /* options of a fresh TCP socket */
    int t = socket(AF_INET, SOCK_STREAM, 0);
    opt("SO_ERROR", t, SOL_SOCKET, SO_ERROR);
    opt("SO_ACCEPTCONN", t, SOL_SOCKET, SO_ACCEPTCONN);
    opt("SO_REUSEADDR", t, SOL_SOCKET, SO_REUSEADDR);
    opt("SO_KEEPALIVE", t, SOL_SOCKET, SO_KEEPALIVE);
    opt("TCP_NODELAY", t, IPPROTO_TCP, TCP_NODELAY);
    setopt("TCP_NODELAY", t, IPPROTO_TCP, TCP_NODELAY, 5);
    opt("TCP_NODELAY", t, IPPROTO_TCP, TCP_NODELAY);
    opt("TCP_KEEPIDLE", t, IPPROTO_TCP, TCP_KEEPIDLE);
    setopt("TCP_KEEPIDLE", t, IPPROTO_TCP, TCP_KEEPIDLE, 60);
    setopt("TCP_KEEPIDLE", t, IPPROTO_TCP, TCP_KEEPIDLE, 0);
    opt("TCP_KEEPIDLE", t, IPPROTO_TCP, TCP_KEEPIDLE);
    opt("TCP_KEEPINTVL", t, IPPROTO_TCP, TCP_KEEPINTVL);
    opt("TCP_KEEPCNT", t, IPPROTO_TCP, TCP_KEEPCNT);
    setopt("TCP_KEEPCNT", t, IPPROTO_TCP, TCP_KEEPCNT, 200);
    opt("TCP_QUICKACK", t, IPPROTO_TCP, TCP_QUICKACK);
    opt("TCP_CORK", t, IPPROTO_TCP, TCP_CORK);
    opt("TCP_USER_TIMEOUT", t, IPPROTO_TCP, TCP_USER_TIMEOUT);
    opt("TCP 9999", t, IPPROTO_TCP, 9999);
    setopt("TCP 9999", t, IPPROTO_TCP, 9999, 1);
    opt("IP_TTL", t, IPPROTO_IP, IP_TTL);
    setopt("IP_TTL", t, IPPROTO_IP, IP_TTL, 32);
    setopt("IP_TTL", t, IPPROTO_IP, IP_TTL, 0);
    setopt("IP_TTL", t, IPPROTO_IP, IP_TTL, 256);
    opt("IP_TTL", t, IPPROTO_IP, IP_TTL);
    setopt("IP_TTL", t, IPPROTO_IP, IP_TTL, -1);
    opt("IP_TTL", t, IPPROTO_IP, IP_TTL);
    opt("IP_TOS", t, IPPROTO_IP, IP_TOS);
    setopt("IP_TOS", t, IPPROTO_IP, IP_TOS, 0x13);
    opt("IP_TOS", t, IPPROTO_IP, IP_TOS);
    opt("IP 9999", t, IPPROTO_IP, 9999);
    opt("IPV6_V6ONLY on AF_INET", t, IPPROTO_IPV6, IPV6_V6ONLY);
    opt("level UDP on TCP", t, IPPROTO_UDP, 1);
    opt("level 77", t, 77, 1);
    setopt("level 77", t, 77, 1, 1);
    {
        char c = 1;
        errno = 0;
        int r = setsockopt(t, IPPROTO_TCP, TCP_NODELAY, &c, 1);
        printf("setsockopt TCP_NODELAY len 1 -> %s\n", r < 0 ? nerr(errno) : "0");
    }
    int avail = -1;
    T(ioctl(t, FIONREAD, &avail));
    printf("FIONREAD %d\n", avail);
    events("fresh tcp", t);
    names("fresh tcp", t);
    T(send(t, "x", 1, 0));
    T(send(t, "x", 1, MSG_DONTWAIT));
    T(recv(t, buf, sizeof buf, 0));
    T(recv(t, buf, sizeof buf, MSG_DONTWAIT));
    T(read(t, buf, sizeof buf));
    T(accept(t, NULL, NULL));
    T(shutdown(t, SHUT_RDWR));
    T(shutdown(t, 7));
    events("tcp after shutdown", t);

    /* bind's errors */
    struct sockaddr_in a4 = in4("127.0.0.1", 0);
    T(bind(t, (struct sockaddr *)&a4, sizeof a4 - 1));
    T(bind(t, (struct sockaddr *)&a4, 0));
    a4.sin_family = AF_INET6;
    T(bind(t, (struct sockaddr *)&a4, sizeof a4));
    a4.sin_family = AF_UNSPEC;
    T(bind(t, (struct sockaddr *)&a4, sizeof a4));
    a4 = in4("0.0.0.0", 0);
    a4.sin_family = AF_UNSPEC;
    int u0 = socket(AF_INET, SOCK_STREAM, 0);
    T(bind(u0, (struct sockaddr *)&a4, sizeof a4));
    names("bound AF_UNSPEC any", u0);
    close(u0);
    a4 = in4("192.0.2.1", 0);
    T(bind(t, (struct sockaddr *)&a4, sizeof a4));
    a4 = in4("127.0.0.1", 0);
    T(bind(t, (struct sockaddr *)&a4, sizeof a4 + 8));
    names("bound tcp", t);
    T(bind(t, (struct sockaddr *)&a4, sizeof a4));
    a4.sin_port = htons(port_of(t));
    int t2 = socket(AF_INET, SOCK_STREAM, 0);
    T(bind(t2, (struct sockaddr *)&a4, sizeof a4));
    int one = 1;
    setsockopt(t2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(t, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    T(listen(t, 5));
    T(bind(t2, (struct sockaddr *)&a4, sizeof a4));
    close(t2);
    opt("SO_ACCEPTCONN listening", t, SOL_SOCKET, SO_ACCEPTCONN);
    events("listening, none waiting", t);
    names("listening", t);
    T(listen(t, 10));
    T(send(t, "x", 1, MSG_NOSIGNAL));
    T(recv(t, buf, sizeof buf, 0));
    T(connect(t, (struct sockaddr *)&a4, sizeof a4));
    T(syscall(SYS_accept4, t, NULL, NULL, 0x7));
    int fl = fcntl(t, F_GETFL);
    fcntl(t, F_SETFL, fl | O_NONBLOCK);
    T(accept(t, NULL, NULL));
    T(shutdown(t, SHUT_WR));
    T(accept(t, NULL, NULL));
    close(t);

    /* listen(2) without bind: an ephemeral port on the wildcard address */
    t = socket(AF_INET, SOCK_STREAM, 0);
    T(listen(t, 1));
    names("listen without bind", t);
    close(t);

    /* connect's errors, then a port nobody listens on */
    int port = free_port(AF_INET);
    t = socket(AF_INET, SOCK_STREAM, 0);
    a4 = in4("127.0.0.1", port);
    T(connect(t, (struct sockaddr *)&a4, sizeof a4 - 1));
    T(connect(t, (struct sockaddr *)&a4, 1));
    a4.sin_family = AF_INET6;
    T(connect(t, (struct sockaddr *)&a4, sizeof a4));
    a4.sin_family = AF_INET;
    T(connect(t, (struct sockaddr *)&a4, sizeof a4));
    opt("SO_ERROR after refused", t, SOL_SOCKET, SO_ERROR);
    names("refused", t);
    events("refused", t);
    T(connect(t, (struct sockaddr *)&a4, sizeof a4));
    close(t);

    t = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    T(connect(t, (struct sockaddr *)&a4, sizeof a4));
    events_wait("nonblocking refused", t, POLLOUT);
    T(connect(t, (struct sockaddr *)&a4, sizeof a4));
    opt("SO_ERROR", t, SOL_SOCKET, SO_ERROR);
    T(connect(t, (struct sockaddr *)&a4, sizeof a4));
    events_wait("again", t, POLLOUT);
    opt("SO_ERROR", t, SOL_SOCKET, SO_ERROR);
    T(connect(t, (struct sockaddr *)&a4, sizeof a4));
    close(t);

    t = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    T(connect(t, (struct sockaddr *)&a4, sizeof a4));
    events_wait("nonblocking refused", t, POLLOUT);
    opt("SO_ERROR", t, SOL_SOCKET, SO_ERROR);
    opt("SO_ERROR again", t, SOL_SOCKET, SO_ERROR);
    T(connect(t, (struct sockaddr *)&a4, sizeof a4));
    T(send(t, "x", 1, 0));
    close(t);

    /* UDP without a peer */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    events("fresh udp", u);
    names("fresh udp", u);
    T(listen(u, 1));
    T(accept(u, NULL, NULL));
    T(send(u, "x", 1, 0));
    T(recv(u, buf, sizeof buf, MSG_DONTWAIT));
    T(shutdown(u, SHUT_RD));
    events("udp after shutdown", u);
    T(recv(u, buf, sizeof buf, MSG_DONTWAIT));
    opt("UDP_CORK", u, IPPROTO_UDP, 1);
    opt("TCP_NODELAY on udp", u, IPPROTO_TCP, TCP_NODELAY);
    close(u);
    return 0;
}
