/* SCM_RIGHTS over socketpair(2): a descriptor passed with sendmsg arrives as a new descriptor
 * of the same open file (one file offset), several in one message, to a child that opened
 * nothing itself, with MSG_CMSG_CLOEXEC, cut short by a small control buffer (MSG_CTRUNC),
 * dropped by a plain read, over a datagram pair; a stream read goes on into the bytes that
 * descriptors came with and stops after them; SCM_CREDENTIALS is checked; and the errors Linux
 * gives. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static long send_fds(int sock, const char *data, const int *fds, int n) {
    char control[CMSG_SPACE(sizeof(int) * 8)];
    memset(control, 0, sizeof control);
    struct iovec iov = {(void *)data, strlen(data)};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    if (n > 0) {
        m.msg_control = control;
        m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * n);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    }
    return sendmsg(sock, &m, 0);
}

/* receives into buf, returns the descriptors in fds (count in *n), prints what came */
static long recv_fds(const char *what, int sock, char *buf, size_t len, size_t controlroom, int flags, int *fds, int *n) {
    char control[256] __attribute__((aligned(8)));
    struct iovec iov = {buf, len};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = controlroom ? control : NULL;
    m.msg_controllen = controlroom;
    long got = recvmsg(sock, &m, flags);
    *n = 0;
    if (got < 0) {
        printf("%s: %s\n", what, errname(errno));
        return got;
    }
    printf("%s: %ld \"%.*s\" controllen %zu flags %#x", what, got, (int)got, buf, (size_t)m.msg_controllen, m.msg_flags);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        printf(" [level %d type %d len %zu]", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            memcpy(fds + *n, CMSG_DATA(c), k * sizeof(int));
            *n += k;
        }
    }
    printf(" fds %d\n", *n);
    return got;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char dir[] = "/tmp/l4j-scm-XXXXXX";
    mkdtemp(dir);
    char path[64];
    snprintf(path, sizeof path, "%s/f", dir);
    int file = open(path, O_RDWR | O_CREAT, 0600);
    write(file, "file contents", 13);
    lseek(file, 0, SEEK_SET);
    int sv[2], fds[8], n;
    char buf[64];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);

    /* one descriptor: the same open file, one offset */
    T(send_fds(sv[0], "x", &file, 1));
    recv_fds("one", sv[1], buf, sizeof buf, 64, 0, fds, &n);
    printf("new fd differs %d cloexec %d\n", fds[0] != file, fcntl(fds[0], F_GETFD));
    char c4[5] = {0};
    read(fds[0], c4, 4);
    printf("read via new fd \"%s\", original's offset now %ld\n", c4, (long)lseek(file, 0, SEEK_CUR));
    close(fds[0]);

    /* two descriptors (a pipe's ends), with MSG_CMSG_CLOEXEC */
    int p[2];
    pipe(p);
    T(send_fds(sv[0], "pp", p, 2));
    recv_fds("two", sv[1], buf, sizeof buf, 64, MSG_CMSG_CLOEXEC, fds, &n);
    printf("cloexec %d %d\n", fcntl(fds[0], F_GETFD), fcntl(fds[1], F_GETFD));
    write(fds[1], "via pipe", 8);
    memset(buf, 0, sizeof buf);
    read(p[0], buf, 8);
    printf("pipe carried \"%s\"\n", buf);
    close(fds[0]);
    close(fds[1]);

    /* a stream read goes on into the bytes that came with descriptors, and stops after them */
    send(sv[0], "hello", 5, 0);
    send_fds(sv[0], "world", &file, 1);
    send(sv[0], "after", 5, 0);
    recv_fds("into", sv[1], buf, sizeof buf, 64, 0, fds, &n);
    close(fds[0]);
    recv_fds("after them", sv[1], buf, sizeof buf, 64, 0, fds, &n);

    /* too little control room: MSG_CTRUNC, the rest closed */
    int three[3] = {file, p[0], p[1]};
    send_fds(sv[0], "3", three, 3);
    recv_fds("truncated", sv[1], buf, sizeof buf, CMSG_SPACE(sizeof(int)), 0, fds, &n);
    close(fds[0]);
    send_fds(sv[0], "0", three, 3);
    recv_fds("no control buffer", sv[1], buf, sizeof buf, 0, 0, fds, &n);

    /* a plain read drops them */
    send_fds(sv[0], "r", &file, 1);
    T(read(sv[1], buf, sizeof buf));
    send(sv[0], "s", 1, 0);
    recv_fds("after read", sv[1], buf, sizeof buf, 64, 0, fds, &n);

    /* credentials: the caller's pass, others do not */
    struct ucred cred = {getpid(), getuid(), getgid()};
    char control[CMSG_SPACE(sizeof cred)];
    struct iovec iov = {"c", 1};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_CREDENTIALS;
    cm->cmsg_len = CMSG_LEN(sizeof cred);
    memcpy(CMSG_DATA(cm), &cred, sizeof cred);
    T(sendmsg(sv[0], &m, 0));
    cred.pid = 1;
    memcpy(CMSG_DATA(cm), &cred, sizeof cred);
    T(sendmsg(sv[0], &m, 0));
    read(sv[1], buf, sizeof buf);

    /* errors */
    int bad = 99;
    T(send_fds(sv[0], "e", &bad, 1));
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = 200;
    T(sendmsg(sv[0], &m, 0));
    cm->cmsg_type = 77;
    cm->cmsg_len = CMSG_LEN(4);
    T(sendmsg(sv[0], &m, 0));

    /* a child that opened nothing gets a file opened after the fork */
    pid_t pid = fork();
    if (pid == 0) {
        int got[8], k;
        char b[64] = {0};
        recv_fds("child", sv[1], b, sizeof b, 64, 0, got, &k);
        memset(b, 0, sizeof b);
        pread(got[0], b, 13, 0);
        printf("child read \"%s\"\n", b);
        _exit(0);
    }
    int late = open(path, O_RDONLY);
    send_fds(sv[0], "late", &late, 1);
    waitpid(pid, NULL, 0);

    /* a datagram pair carries them with the message */
    int dv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
    send_fds(dv[0], "dgram", &late, 1);
    recv_fds("dgram", dv[1], buf, sizeof buf, 64, 0, fds, &n);
    unlink(path);
    rmdir(dir);
    return 0;
}
