/* SCM_CREDENTIALS and SO_PASSCRED on AF_UNIX sockets: a receiver with SO_PASSCRED gets the
 * sender's pid, uid and gid with each message (a child's pid from the child, for write(2) too),
 * credentials given with sendmsg take their place (EINVAL for a malformed message, ESRCH for no such process), a
 * stream read stops where the sender changes, MSG_CTRUNC without a control buffer or with a short
 * one, credentials before descriptors, and nothing without SO_PASSCRED. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static pid_t child_pid;

static void show(const char *what, int fd, size_t len, size_t controllen, int use_control) {
    char buf[64];
    union { char c[256]; struct cmsghdr align; } control;
    struct iovec io = {buf, len};
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1};
    if (use_control) {
        m.msg_control = control.c;
        m.msg_controllen = controllen;
    }
    memset(control.c, 0, sizeof control.c);
    long n = recvmsg(fd, &m, 0);
    if (n < 0) {
        printf("%s -> %s\n", what, errname(errno));
        return;
    }
    printf("%s -> %ld \"%.*s\" controllen %zu flags %#x\n", what, n, (int)n, buf, (size_t)m.msg_controllen,
           m.msg_flags);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
            struct ucred u;
            memcpy(&u, CMSG_DATA(c), sizeof u);
            printf("  SCM_CREDENTIALS len %zu pid %s uid %d gid %d\n", (size_t)c->cmsg_len,
                   u.pid == getpid() ? "mine" : u.pid == child_pid ? "child's" : u.pid == getppid() ? "parent's" : "other",
                   (int)u.uid, (int)u.gid);
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int nfd = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            printf("  SCM_RIGHTS %d descriptors\n", nfd);
            for (int i = 0; i < nfd; i++) close(((int *)CMSG_DATA(c))[i]);
        } else {
            printf("  cmsg level %d type %d len %zu\n", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
        }
    }
}

static long send_creds(int fd, const char *text, pid_t pid, uid_t uid, gid_t gid, size_t cmsg_len, int with_fd) {
    union { char c[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct iovec io = {(void *)text, strlen(text)};
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = control.c,
                       .msg_controllen = CMSG_SPACE(sizeof(struct ucred))};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = cmsg_len;
    struct ucred u = {pid, uid, gid};
    memcpy(CMSG_DATA(c), &u, sizeof u);
    if (with_fd) {
        m.msg_controllen += CMSG_SPACE(sizeof(int));
        c = CMSG_NXTHDR(&m, c);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        int one = 0;
        memcpy(CMSG_DATA(c), &one, sizeof one);
    }
    return sendmsg(fd, &m, 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int sv[2], on = 1, v;
    socklen_t vl = sizeof v;

    /* without SO_PASSCRED nothing comes */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    T(write(sv[0], "plain", 5));
    show("no SO_PASSCRED", sv[1], 64, 256, 1);
    T(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &vl);
    printf("SO_PASSCRED %d\n", v);
    T(send(sv[0], "hello", 5, 0));
    show("with SO_PASSCRED", sv[1], 64, 256, 1);
    T(send(sv[0], "again", 5, 0));
    show("no control buffer", sv[1], 64, 0, 0);
    T(send(sv[0], "short", 5, 0));
    show("short control buffer", sv[1], 64, 20, 1);

    /* a child's write, then ours: a stream read stops where the sender changes */
    child_pid = fork();
    if (child_pid == 0) {
        write(sv[0], "from child", 10);
        _exit(0);
    }
    waitpid(child_pid, NULL, 0);
    T(write(sv[0], "from parent", 11));
    show("first read", sv[1], 64, 256, 1);
    show("second read", sv[1], 64, 256, 1);

    /* credentials given with sendmsg */
    T(send_creds(sv[0], "given", getpid(), getuid(), getgid(), CMSG_LEN(sizeof(struct ucred)), 0));
    show("own credentials given", sv[1], 64, 256, 1);
    int gate[2];
    pipe(gate);
    child_pid = fork();
    if (child_pid == 0) {
        char c;
        read(gate[0], &c, 1);
        _exit(0);
    }
    T(send_creds(sv[0], "kid", child_pid, getuid(), getgid(), CMSG_LEN(sizeof(struct ucred)), 1));
    show("root gives its child's pid, and a descriptor", sv[1], 64, 256, 1);
    write(gate[1], "x", 1);
    waitpid(child_pid, NULL, 0);
    T(send_creds(sv[0], "bad", getpid(), getuid(), getgid(), CMSG_LEN(sizeof(struct ucred)) + 4, 0));
    T(send_creds(sv[0], "bad", 999999, getuid(), getgid(), CMSG_LEN(sizeof(struct ucred)), 0));
    close(sv[0]);
    close(sv[1]);

    /* datagrams: each message with its sender's */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    T(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    T(send(sv[0], "one", 3, 0));
    child_pid = fork();
    if (child_pid == 0) {
        send(sv[0], "two", 3, 0);
        _exit(0);
    }
    waitpid(child_pid, NULL, 0);
    show("datagram one", sv[1], 64, 256, 1);
    show("datagram two", sv[1], 64, 256, 1);
    close(sv[0]);
    close(sv[1]);
    return 0;
}
