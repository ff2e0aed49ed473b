/* AF_UNIX sockets of their own: socket(2), bind(2) to a path and to an abstract name, autobind,
 * listen(2), accept(2)/accept4(2), connect(2) with its errors and a full backlog, the names
 * getsockname/getpeername/accept/recvfrom report, SO_PEERCRED and SO_ACCEPTCONN, poll on a
 * listener and on an unconnected socket, datagrams sent to a name, a default peer and its rules
 * (ENOTCONN, EPERM, ECONNREFUSED, AF_UNSPEC), seqpacket connections, a listener closing with a
 * connection not accepted (ECONNRESET), a server in a child process, and a name that is not
 * ASCII. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static char dir[64];

static socklen_t path_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    snprintf(a->sun_path, sizeof a->sun_path, "%s/%s", dir, name);
    return offsetof(struct sockaddr_un, sun_path) + strlen(a->sun_path) + 1;
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    int n = snprintf(a->sun_path + 1, sizeof a->sun_path - 1, "linux4j-%08d-%s", (int)getpid(), name);
    return offsetof(struct sockaddr_un, sun_path) + 1 + n;
}

static void events(const char *what, int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
    int n = poll(&p, 1, 0);
    printf("poll %s -> %d revents %#x\n", what, n, p.revents);
}

static void got(const char *what, long n, const char *buf) {
    if (n < 0) printf("%s -> %s\n", what, errname(errno));
    else printf("%s -> %ld \"%.*s\"\n", what, n, (int)n, buf);
}

/* What a name is, without printing the temporary directory's random part. */
static void show_name(const char *what, const struct sockaddr_un *a, socklen_t len, const struct sockaddr_un *want,
        socklen_t wantlen) {
    printf("%s: len %d family %d", what, (int)len, len >= 2 ? a->sun_family : -1);
    if (want) printf(" %s", len == wantlen && memcmp(a, want, len) == 0 ? "as bound" : "DIFFERENT");
    printf("\n");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    umask(022);
    strcpy(dir, "/tmp/l4j-unix-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    char buf[256];
    struct sockaddr_un a, b, n;
    socklen_t alen, blen, nlen;

    /* socket(2)'s errors */
    T(socket(AF_UNIX, 99, 0));
    T(socket(AF_UNIX, SOCK_STREAM, 7));
    T(socket(AF_UNIX, SOCK_STREAM | 0x4000, 0));
    T(socket(AF_UNIX, 7, 0));
    T(socket(12345, SOCK_STREAM, 0));
    T(socket(-1, SOCK_STREAM, 0));
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    printf("flags %#x cloexec %d\n", fcntl(s, F_GETFL), fcntl(s, F_GETFD));
    int v;
    socklen_t vl = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
    printf("SO_ACCEPTCONN %d\n", v);
    events("unconnected stream", s);
    T(read(s, buf, 1));
    T(write(s, "x", 1));
    T(getpeername(s, (struct sockaddr *)&n, &nlen));
    nlen = sizeof n;
    T(getsockname(s, (struct sockaddr *)&n, &nlen));
    printf("unbound name len %d\n", (int)nlen);
    T(listen(s, 5));
    T(accept(s, NULL, NULL));
    T(shutdown(s, SHUT_RDWR));
    close(s);

    /* bind to a path */
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    alen = path_addr(&a, "stream");
    T(bind(srv, (struct sockaddr *)&a, 1));
    T(bind(srv, (struct sockaddr *)&a, sizeof a + 1));
    a.sun_family = AF_INET;
    T(bind(srv, (struct sockaddr *)&a, alen));
    a.sun_family = AF_UNIX;
    T(bind(srv, (struct sockaddr *)&a, alen));
    struct stat st;
    T(stat(a.sun_path, &st));
    printf("node: socket %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 07777);
    T(bind(srv, (struct sockaddr *)&a, alen));
    path_addr(&b, "other");
    T(bind(srv, (struct sockaddr *)&b, alen));
    T(access(b.sun_path, F_OK));
    int dup = socket(AF_UNIX, SOCK_STREAM, 0);
    T(bind(dup, (struct sockaddr *)&a, alen));
    nlen = sizeof n;
    T(getsockname(srv, (struct sockaddr *)&n, &nlen));
    show_name("bound name", &n, nlen, &a, alen);
    nlen = 5;
    memset(&n, 0, sizeof n);
    T(getsockname(srv, (struct sockaddr *)&n, &nlen));
    printf("short: len %d, copied \"%.3s\"\n", (int)nlen, n.sun_path);

    /* connecting before listen, to nothing, to a file, to another type */
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    T(connect(c, (struct sockaddr *)&a, alen));
    path_addr(&b, "nothing");
    T(connect(c, (struct sockaddr *)&b, alen));
    T(connect(c, (struct sockaddr *)&a, 2));
    path_addr(&b, "file");
    close(open(b.sun_path, O_CREAT | O_WRONLY, 0644));
    T(connect(c, (struct sockaddr *)&b, alen));
    int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(connect(dg, (struct sockaddr *)&a, alen));
    T(listen(dg, 1));
    T(accept(dg, NULL, NULL));

    /* listen, connect, accept */
    T(listen(srv, 4));
    vl = sizeof v;
    getsockopt(srv, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
    printf("SO_ACCEPTCONN %d\n", v);
    events("listener, nobody yet", srv);
    fcntl(srv, F_SETFL, O_NONBLOCK);
    T(accept(srv, NULL, NULL));
    fcntl(srv, F_SETFL, 0);
    T(connect(c, (struct sockaddr *)&a, alen));
    T(connect(c, (struct sockaddr *)&a, alen));
    T(listen(c, 1));
    events("listener, one waiting", srv);
    events("client", c);
    nlen = sizeof n;
    int acc = accept4(srv, (struct sockaddr *)&n, &nlen, SOCK_CLOEXEC);
    printf("accepted: %s, peer len %d, cloexec %d\n", acc >= 0 ? "yes" : errname(errno), (int)nlen,
           fcntl(acc, F_GETFD));
    T(syscall(SYS_accept4, srv, NULL, NULL, 0x10));
    events("listener after accept", srv);
    nlen = sizeof n;
    T(getpeername(c, (struct sockaddr *)&n, &nlen));
    show_name("client's peer", &n, nlen, &a, alen);
    nlen = sizeof n;
    T(getsockname(acc, (struct sockaddr *)&n, &nlen));
    show_name("accepted's name", &n, nlen, &a, alen);
    nlen = sizeof n;
    T(getpeername(acc, (struct sockaddr *)&n, &nlen));
    printf("accepted's peer len %d\n", (int)nlen);
    struct ucred cred;
    vl = sizeof cred;
    T(getsockopt(acc, SOL_SOCKET, SO_PEERCRED, &cred, &vl));
    printf("peercred pid is mine %d uid %d gid %d\n", cred.pid == getpid(), (int)cred.uid, (int)cred.gid);
    T(write(c, "hello", 5));
    got("server reads", read(acc, buf, sizeof buf), buf);
    T(send(acc, "reply", 5, 0));
    nlen = sizeof n;
    long k = recvfrom(c, buf, sizeof buf, 0, (struct sockaddr *)&n, &nlen);
    got("client recvfrom", k, buf);
    show_name("from", &n, nlen, &a, alen);
    T(sendto(c, "x", 1, 0, (struct sockaddr *)&a, alen));
    T(write(c, "y", 1));
    nlen = sizeof n;
    got("server recvfrom of an unnamed client", recvfrom(acc, buf, sizeof buf, 0, (struct sockaddr *)&n, &nlen), buf);
    printf("from len %d\n", (int)nlen);
    close(c);
    events("accepted after client closed", acc);
    got("server reads EOF", read(acc, buf, sizeof buf), buf);
    T(write(acc, "x", 1));
    close(acc);

    /* a full backlog: listen(0) takes one connection */
    T(listen(srv, 0));
    int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    T(connect(c1, (struct sockaddr *)&a, alen));
    T(connect(c2, (struct sockaddr *)&a, alen));
    T(write(c1, "unread", 6));
    /* the listener goes with c1's connection not accepted */
    close(srv);
    events("c1 after the listener closed", c1);
    got("c1 reads", read(c1, buf, sizeof buf), buf);
    got("c1 reads again", read(c1, buf, sizeof buf), buf);
    T(connect(c2, (struct sockaddr *)&a, alen));
    close(c1);
    close(c2);
    T(unlink(a.sun_path));
    close(dup);

    /* abstract names and autobind */
    int as = socket(AF_UNIX, SOCK_STREAM, 0);
    alen = abstract_addr(&a, "abs");
    T(bind(as, (struct sockaddr *)&a, alen));
    nlen = sizeof n;
    T(getsockname(as, (struct sockaddr *)&n, &nlen));
    show_name("abstract name", &n, nlen, &a, alen);
    int as2 = socket(AF_UNIX, SOCK_STREAM, 0);
    T(bind(as2, (struct sockaddr *)&a, alen));
    T(listen(as, 1));
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    T(connect(c, (struct sockaddr *)&a, alen - 1));
    T(connect(c, (struct sockaddr *)&a, alen));
    acc = accept(as, NULL, NULL);
    T(write(acc, "abstract", 8));
    got("client reads", read(c, buf, sizeof buf), buf);
    close(acc);
    close(c);
    close(as);
    T(bind(as2, (struct sockaddr *)&a, alen));
    close(as2);
    int ab = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(bind(ab, (struct sockaddr *)&a, 2));
    nlen = sizeof n;
    T(getsockname(ab, (struct sockaddr *)&n, &nlen));
    int hex = 1;
    for (int i = 1; i < 6; i++) hex &= strchr("0123456789abcdef", n.sun_path[i]) != NULL;
    printf("autobound: len %d, first byte %d, five hex digits %d\n", (int)nlen, n.sun_path[0], hex);
    T(bind(ab, (struct sockaddr *)&a, 2));
    T(bind(ab, (struct sockaddr *)&a, alen));
    close(ab);

    /* datagrams to a name */
    int rx = socket(AF_UNIX, SOCK_DGRAM, 0);
    alen = path_addr(&a, "dgram");
    T(bind(rx, (struct sockaddr *)&a, alen));
    int tx = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(send(tx, "x", 1, 0));
    T(sendto(tx, "one", 3, 0, (struct sockaddr *)&a, alen));
    nlen = sizeof n;
    got("recvfrom an unnamed sender", recvfrom(rx, buf, sizeof buf, 0, (struct sockaddr *)&n, &nlen), buf);
    printf("from len %d\n", (int)nlen);
    blen = path_addr(&b, "sender");
    T(bind(tx, (struct sockaddr *)&b, blen));
    T(sendto(tx, "two", 3, 0, (struct sockaddr *)&a, alen));
    T(sendto(tx, "three", 5, 0, (struct sockaddr *)&a, alen));
    nlen = sizeof n;
    got("peek", recvfrom(rx, buf, sizeof buf, MSG_PEEK, (struct sockaddr *)&n, &nlen), buf);
    show_name("peeked from", &n, nlen, &b, blen);
    nlen = sizeof n;
    got("recvfrom a named sender", recvfrom(rx, buf, 2, 0, (struct sockaddr *)&n, &nlen), buf);
    show_name("from", &n, nlen, &b, blen);
    struct iovec io = {buf, sizeof buf};
    struct msghdr m = {.msg_name = &n, .msg_namelen = sizeof n, .msg_iov = &io, .msg_iovlen = 1};
    k = recvmsg(rx, &m, 0);
    got("recvmsg", k, buf);
    show_name("msg_name", &n, m.msg_namelen, &b, blen);
    fcntl(rx, F_SETFL, O_NONBLOCK);
    T(recv(rx, buf, sizeof buf, 0));
    /* a default peer */
    int third = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(connect(rx, (struct sockaddr *)&b, blen));
    T(sendto(third, "no", 2, 0, (struct sockaddr *)&a, alen));
    T(send(tx, "not connected", 13, 0));
    T(connect(tx, (struct sockaddr *)&a, alen));
    T(send(tx, "connected", 9, 0));
    nlen = sizeof n;
    T(getpeername(tx, (struct sockaddr *)&n, &nlen));
    show_name("tx's peer", &n, nlen, &a, alen);
    got("rx reads", recv(rx, buf, sizeof buf, 0), buf);
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    T(connect(rx, &unspec, sizeof unspec));
    T(getpeername(rx, (struct sockaddr *)&n, &nlen));
    T(sendto(third, "yes", 3, 0, (struct sockaddr *)&a, alen));
    got("rx reads", recv(rx, buf, sizeof buf, 0), buf);
    static char big[300000];
    for (unsigned i = 0; i < sizeof big; i++) big[i] = (char)(i * 13);
    T(sendto(tx, big, sizeof big, 0, (struct sockaddr *)&a, alen));
    T(sendto(tx, big, 100000, 0, (struct sockaddr *)&a, alen));
    T(sendto(tx, "", 0, 0, (struct sockaddr *)&a, alen));
    T(sendto(tx, "after", 5, 0, (struct sockaddr *)&a, alen));
    T(ioctl(rx, FIONREAD, &v));
    printf("FIONREAD %d\n", v);
    static char back[300000];
    k = recv(rx, back, sizeof back, 0);
    printf("big datagram: %ld bytes, same %d\n", k, k == 100000 && memcmp(back, big, 100000) == 0);
    T(ioctl(rx, FIONREAD, &v));
    printf("FIONREAD %d\n", v);
    got("empty datagram", recv(rx, buf, sizeof buf, 0), buf);
    got("after it", recv(rx, buf, sizeof buf, 0), buf);
    T(sendto(tx, "x", 1, 0, (struct sockaddr *)&a, 1));
    T(shutdown(rx, SHUT_RD));
    T(send(tx, "after SHUT_RD", 13, 0));
    close(rx);
    T(send(tx, "to the closed", 13, 0));
    T(send(tx, "again", 5, 0));
    T(sendto(tx, "to the node", 11, 0, (struct sockaddr *)&a, alen));
    close(tx);
    close(third);
    close(dg);

    /* seqpacket: a connection keeps message boundaries */
    int sp = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    alen = path_addr(&a, "seqpacket");
    T(bind(sp, (struct sockaddr *)&a, alen));
    T(listen(sp, 2));
    c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    T(recv(c, buf, sizeof buf, MSG_DONTWAIT));
    T(send(c, "x", 1, 0));
    T(connect(c, (struct sockaddr *)&a, alen));
    acc = accept(sp, NULL, NULL);
    T(send(c, "first", 5, 0));
    T(send(c, "second", 6, 0));
    got("seqpacket", recv(acc, buf, sizeof buf, 0), buf);
    got("seqpacket short", recv(acc, buf, 3, 0), buf);
    close(c);
    got("seqpacket EOF", recv(acc, buf, sizeof buf, 0), buf);
    close(acc);
    close(sp);

    /* a server in a child process */
    srv = socket(AF_UNIX, SOCK_STREAM, 0);
    alen = path_addr(&a, "child");
    T(bind(srv, (struct sockaddr *)&a, alen));
    T(listen(srv, 8));
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 3; i++) {
            int conn = accept(srv, NULL, NULL);
            char q[64];
            long r = read(conn, q, sizeof q);
            char res[80];
            int rl = snprintf(res, sizeof res, "child got %.*s", (int)r, q);
            write(conn, res, rl);
            close(conn);
        }
        _exit(0);
    }
    close(srv);
    for (int i = 0; i < 3; i++) {
        c = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&a, alen) < 0) printf("connect: %s\n", errname(errno));
        char q[16];
        int ql = snprintf(q, sizeof q, "request %d", i);
        write(c, q, ql);
        got("reply", read(c, buf, sizeof buf), buf);
        close(c);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));

    /* sendmmsg and recvmmsg */
    int mv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, mv);
    struct mmsghdr mm[5];
    struct iovec mio[5];
    char mbuf[5][16];
    const char *words[] = {"alpha", "beta", "gamma"};
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 3; i++) {
        mio[i].iov_base = (void *)words[i];
        mio[i].iov_len = strlen(words[i]);
        mm[i].msg_hdr.msg_iov = &mio[i];
        mm[i].msg_hdr.msg_iovlen = 1;
    }
    T(sendmmsg(mv[0], mm, 3, 0));
    printf("msg_len %u %u %u\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 5; i++) {
        mio[i].iov_base = mbuf[i];
        mio[i].iov_len = i == 1 ? 2 : sizeof mbuf[i];
        mm[i].msg_hdr.msg_iov = &mio[i];
        mm[i].msg_hdr.msg_iovlen = 1;
    }
    T(recvmmsg(mv[1], mm, 5, MSG_WAITFORONE, NULL));
    for (int i = 0; i < 3; i++)
        printf("message %d: %u \"%.*s\" flags %#x\n", i, mm[i].msg_len, (int)mm[i].msg_len, mbuf[i],
               mm[i].msg_hdr.msg_flags);
    T(recvmmsg(mv[1], mm, 5, MSG_DONTWAIT, NULL));
    T(sendmmsg(99, mm, 1, 0));
    close(mv[0]);
    close(mv[1]);

    /* a name that is not ASCII: the node has the name's bytes (they were taken as Latin-1 and
     * the node made with their UTF-8 encoding), getsockname gives them back whole */
    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    alen = path_addr(&a, "sock\xc3\xa6");
    T(bind(u, (struct sockaddr *)&a, alen));
    T(lstat(a.sun_path, &st));
    printf("node: socket %d\n", S_ISSOCK(st.st_mode));
    nlen = sizeof n;
    T(getsockname(u, (struct sockaddr *)&n, &nlen));
    show_name("non-ASCII name", &n, nlen, &a, alen);
    T(listen(u, 1));
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    T(connect(c, (struct sockaddr *)&a, alen));
    close(c);
    close(u);
    T(unlink(a.sun_path));

    const char *names[] = {"stream", "other", "file", "dgram", "sender", "seqpacket", "child"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
        path_addr(&a, names[i]);
        unlink(a.sun_path);
    }
    T(rmdir(dir));
    return 0;
}
