/* socketpair(2) of AF_UNIX sockets: stream, datagram and seqpacket pairs; read/write, send/recv
 * with MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL and MSG_NOSIGNAL, sendmsg/recvmsg with several
 * buffers, message boundaries and truncation, shutdown in each direction, the peer closing
 * (EOF, EPIPE and SIGPIPE), poll's events, socket options and names, fstat and /proc/self/fd,
 * a pair shared with a child process, and the errors Linux gives. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static volatile int sigpipes;
static void on_pipe(int sig) { (void)sig; sigpipes++; }

static void events(const char *what, int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP | POLLPRI, 0};
    int n = poll(&p, 1, 0);
    printf("poll %s -> %d revents %#x\n", what, n, p.revents);
}

static void got(const char *what, long n, const char *buf) {
    if (n < 0) printf("%s -> %s\n", what, errname(errno));
    else printf("%s -> %ld \"%.*s\"\n", what, n, (int)n, buf);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_pipe);
    char buf[256];
    int sv[2];

    /* errors */
    T(socketpair(AF_INET, SOCK_STREAM, 0, sv));
    T(socketpair(AF_UNIX, 99, 0, sv));
    T(socketpair(AF_UNIX, SOCK_STREAM, 7, sv));
    T(socketpair(AF_UNIX, SOCK_STREAM | 0x4000, 0, sv));
    T(socketpair(AF_UNIX, SOCK_RAW, 0, sv));
    T(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (int *)8));
    T(socketpair(12345, SOCK_STREAM, 0, sv));

    /* a stream pair */
    T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int a = sv[0], b = sv[1];
    printf("flags %#x %#x cloexec %d\n", fcntl(a, F_GETFL), fcntl(b, F_GETFL), fcntl(a, F_GETFD));
    struct stat st;
    fstat(a, &st);
    printf("S_ISSOCK %d mode %o nlink %lu size %ld\n", S_ISSOCK(st.st_mode), st.st_mode & 07777, (unsigned long)st.st_nlink,
           (long)st.st_size);
    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", a);
    ssize_t ln = readlink(link, target, sizeof target - 1);
    target[ln < 0 ? 0 : ln] = 0;
    printf("link starts with socket:[ %d\n", strncmp(target, "socket:[", 8) == 0);
    events("a empty", a);
    T(write(a, "hello", 5));
    T(send(a, " world", 6, 0));
    events("b with data", b);
    int avail = -1;
    T(ioctl(b, FIONREAD, &avail));
    printf("FIONREAD %d\n", avail);
    got("recv peek", recv(b, buf, 5, MSG_PEEK), buf);
    got("read 3", read(b, buf, 3), buf);
    got("recv rest", recv(b, buf, sizeof buf, 0), buf);
    got("recv dontwait empty", recv(b, buf, sizeof buf, MSG_DONTWAIT), buf);
    T(lseek(a, 0, SEEK_SET));
    T(pread(a, buf, 1, 0));

    /* gather and scatter */
    struct iovec out[3] = {{"ab", 2}, {"cde", 3}, {"f", 1}};
    struct msghdr m = {0};
    m.msg_iov = out;
    m.msg_iovlen = 3;
    T(sendmsg(a, &m, 0));
    char x[2], y[10];
    struct iovec in[2] = {{x, 2}, {y, 10}};
    struct msghdr r = {0};
    struct sockaddr_un from;
    r.msg_name = &from;
    r.msg_namelen = sizeof from;
    r.msg_iov = in;
    r.msg_iovlen = 2;
    r.msg_flags = 0x7777;
    long n = recvmsg(b, &r, 0);
    printf("recvmsg -> %ld \"%.2s\" \"%.*s\" namelen %d flags %#x controllen %zu\n", n, x, (int)(n - 2), y, r.msg_namelen,
           r.msg_flags, r.msg_controllen);

    /* names, options */
    struct sockaddr_un name;
    socklen_t len = sizeof name;
    memset(&name, 0x55, sizeof name);
    T(getsockname(a, (struct sockaddr *)&name, &len));
    printf("name len %d family %d\n", len, name.sun_family);
    len = sizeof name;
    T(getpeername(a, (struct sockaddr *)&name, &len));
    printf("peer len %d family %d\n", len, name.sun_family);
    len = sizeof from;
    T(recvfrom(b, buf, 1, MSG_DONTWAIT, (struct sockaddr *)&from, &len));
    int v = -1;
    socklen_t vl = sizeof v;
    T(getsockopt(a, SOL_SOCKET, SO_TYPE, &v, &vl));
    printf("SO_TYPE %d len %d\n", v, vl);
    T(getsockopt(a, SOL_SOCKET, SO_DOMAIN, &v, &vl));
    printf("SO_DOMAIN %d\n", v);
    T(getsockopt(a, SOL_SOCKET, SO_PROTOCOL, &v, &vl));
    printf("SO_PROTOCOL %d\n", v);
    T(getsockopt(a, SOL_SOCKET, SO_ERROR, &v, &vl));
    printf("SO_ERROR %d\n", v);
    T(getsockopt(a, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl));
    printf("SO_ACCEPTCONN %d\n", v);
    struct ucred cred;
    socklen_t cl = sizeof cred;
    T(getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cred, &cl));
    printf("SO_PEERCRED pid is mine %d uid %d gid %d len %d\n", cred.pid == getpid(), cred.uid == getuid(), cred.gid == getgid(), cl);
    v = 1;
    T(setsockopt(a, SOL_SOCKET, SO_PASSCRED, &v, sizeof v));
    T(getsockopt(a, SOL_SOCKET, SO_PASSCRED, &v, &vl));
    printf("SO_PASSCRED %d\n", v);
    T(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &v, 2));
    T(setsockopt(a, SOL_SOCKET, 9999, &v, sizeof v));
    T(getsockopt(a, SOL_SOCKET, 9999, &v, &vl));
    T(getsockopt(a, 6 /* SOL_TCP */, 1, &v, &vl));
    vl = 2;
    T(getsockopt(a, SOL_SOCKET, SO_TYPE, &v, &vl));
    printf("short optlen %d\n", vl);
    T(getsockname(0, (struct sockaddr *)&name, &len));
    T(getsockname(99, (struct sockaddr *)&name, &len));
    T(send(0, "x", 1, 0));
    T(recv(99, buf, 1, 0));
    T(shutdown(0, SHUT_RD));
    T(shutdown(a, 7));

    /* shutdown: SHUT_WR gives the peer EOF; SHUT_RD makes a read return 0 */
    T(shutdown(a, SHUT_WR));
    events("b after a SHUT_WR", b);
    events("a after a SHUT_WR", a);
    got("b read at EOF", read(b, buf, sizeof buf), buf);
    T(send(a, "z", 1, 0));
    printf("sigpipes %d\n", sigpipes);
    T(send(a, "z", 1, MSG_NOSIGNAL));
    printf("sigpipes %d\n", sigpipes);
    T(write(b, "back", 4));
    got("a reads", read(a, buf, sizeof buf), buf);
    T(shutdown(b, SHUT_RD));
    events("b after SHUT_RD too", b);
    got("b read after SHUT_RD", read(b, buf, sizeof buf), buf);
    close(a);
    close(b);

    /* the peer closes */
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv);
    a = sv[0];
    b = sv[1];
    printf("flags %#x cloexec %d\n", fcntl(a, F_GETFL) & O_NONBLOCK, fcntl(a, F_GETFD));
    got("read nonblocking", read(a, buf, sizeof buf), buf);
    write(b, "last", 4);
    close(b);
    events("a after peer closed", a);
    got("a reads what was left", read(a, buf, sizeof buf), buf);
    got("a reads EOF", read(a, buf, sizeof buf), buf);
    T(write(a, "x", 1));
    printf("sigpipes %d\n", sigpipes);
    close(a);

    /* datagrams keep their boundaries; a short read truncates */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    send(sv[0], "one", 3, 0);
    send(sv[0], "two!", 4, 0);
    send(sv[0], "three", 5, 0);
    got("dgram", recv(sv[1], buf, sizeof buf, 0), buf);
    got("dgram short", recv(sv[1], buf, 2, 0), buf);
    memset(&r, 0, sizeof r);
    struct iovec one = {buf, 3};
    r.msg_iov = &one;
    r.msg_iovlen = 1;
    n = recvmsg(sv[1], &r, 0);
    printf("recvmsg dgram -> %ld \"%.*s\" flags %#x\n", n, (int)n, buf, r.msg_flags);
    vl = sizeof v;
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &vl);
    printf("SO_TYPE %d\n", v);
    close(sv[0]);
    close(sv[1]);

    /* seqpacket: boundaries, and EOF after the peer closes */
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    send(sv[0], "rec1", 4, 0);
    send(sv[0], "record2", 7, 0);
    got("seqpacket peek", recv(sv[1], buf, sizeof buf, MSG_PEEK), buf);
    got("seqpacket", recv(sv[1], buf, sizeof buf, 0), buf);
    got("seqpacket short", recv(sv[1], buf, 3, 0), buf);
    close(sv[0]);
    got("seqpacket EOF", recv(sv[1], buf, sizeof buf, 0), buf);
    close(sv[1]);

    /* a child talks back through the pair; MSG_WAITALL waits for all of it */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        char q[16];
        long k = read(sv[1], q, sizeof q);
        usleep(10000);
        write(sv[1], "pong:", 5);
        usleep(10000);
        write(sv[1], q, k);
        _exit(0);
    }
    close(sv[1]);
    write(sv[0], "ping", 4);
    got("MSG_WAITALL", recv(sv[0], buf, 9, MSG_WAITALL), buf);
    int status;
    waitpid(pid, &status, 0);
    got("after child", read(sv[0], buf, sizeof buf), buf);
    close(sv[0]);

    /* MSG_WAITALL stopped early (MSG_DONTWAIT, the peer gone) returns what it got */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[1], "abc", 3);
    got("MSG_WAITALL|MSG_DONTWAIT, part there", recv(sv[0], buf, 9, MSG_WAITALL | MSG_DONTWAIT), buf);
    write(sv[1], "de", 2);
    close(sv[1]);
    got("MSG_WAITALL, peer gone", recv(sv[0], buf, 9, MSG_WAITALL), buf);
    close(sv[0]);

    /* a large transfer through a child */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid = fork();
    if (pid == 0) {
        close(sv[0]);
        long sum = 0, k;
        unsigned char q[4096];
        while ((k = read(sv[1], q, sizeof q)) > 0)
            for (long i = 0; i < k; i++) sum += q[i];
        char res[32];
        int rl = snprintf(res, sizeof res, "%ld", sum);
        write(sv[1], res, rl);
        _exit(0);
    }
    close(sv[1]);
    unsigned char *big = malloc(1 << 20);
    long want = 0;
    for (int i = 0; i < (1 << 20); i++) {
        big[i] = (unsigned char)(i * 7);
        want += big[i];
    }
    long sent = 0;
    while (sent < (1 << 20)) {
        long k = write(sv[0], big + sent, (1 << 20) - sent);
        if (k <= 0) break;
        sent += k;
    }
    shutdown(sv[0], SHUT_WR);
    n = read(sv[0], buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    printf("sent %ld, child summed %s, expected %ld\n", sent, buf, want);
    waitpid(pid, &status, 0);
    return 0;
}
