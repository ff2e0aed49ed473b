/* POSIX message queues (mq_overview(7)): names and their errors (the C library strips the
 * leading slash: glibc refuses a name without one, musl passes it on), O_CREAT with attributes
 * and their limits, O_EXCL, access modes and permissions for another user, RLIMIT_MSGQUEUE;
 * the descriptor (always close-on-exec, fstat, /proc/self/fd, the status line read(2) gives,
 * poll/select/epoll, dup, fork, reopening through /proc/self/fd); messages by priority then
 * arrival, EMSGSIZE, EAGAIN with O_NONBLOCK, mq_setattr; absolute timeouts (ETIMEDOUT, EINVAL
 * for a bad timespec even when the call would not block, as Linux checks it first); a receiver
 * and a sender that sleep in a child; a sleep interrupted by a signal (EINTR, or restarted with
 * SA_RESTART); mq_notify with SIGEV_SIGNAL (SI_MESGQ, one-shot, EBUSY, only when the queue
 * becomes non-empty, ended by a close in the registering process or its exit) and SIGEV_NONE,
 * SIGEV_THREAD's checks of its netlink socket; mq_unlink while open. Queue names carry the pid
 * in a fixed-width field and are never printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-72s -> %s\n", #call, errname(errno)); else printf("%-72s -> %ld\n", #call, r_); } while (0)
/* A call whose result is a descriptor: only whether it succeeded. */
#define OK(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-72s -> %s\n", #call, errname(errno)); else printf("%-72s -> ok\n", #call); } while (0)

static int tag;

/* A queue name of this run: "/l4jmq" + the pid in ten digits + a suffix. */
static const char *qn(const char *suffix) {
    static char buf[8][320];
    static int k;
    char *b = buf[k++ & 7];
    snprintf(b, sizeof buf[0], "/l4jmq%010d%s", tag, suffix);
    return b;
}

static mqd_t make(const char *suffix, int flags, long maxmsg, long msgsize) {
    struct mq_attr a = {0, maxmsg, msgsize, 0};
    mqd_t q = mq_open(qn(suffix), flags | O_CREAT | O_EXCL, 0666, &a);
    if (q < 0) {
        printf("create %s -> %s\n", suffix, errname(errno));
        exit(1);
    }
    return q;
}

static void attrs(const char *what, mqd_t q) {
    struct mq_attr a;
    memset(&a, 0x55, sizeof a);
    if (mq_getattr(q, &a) < 0) {
        printf("getattr %s -> %s\n", what, errname(errno));
        return;
    }
    printf("getattr %s: flags %#lx maxmsg %ld msgsize %ld curmsgs %ld\n", what, (long)a.mq_flags, (long)a.mq_maxmsg,
           (long)a.mq_msgsize, (long)a.mq_curmsgs);
}

/* The status line read(2) gives; the notifying pid as "self", "child" or 0. */
static pid_t child_pid;
static void status(const char *what, mqd_t q, int raw) {
    char buf[128];
    ssize_t n = pread(q, buf, sizeof buf - 1, 0);
    if (n < 0) {
        printf("status %s -> %s\n", what, errname(errno));
        return;
    }
    buf[n] = 0;
    if (raw) {
        printf("status %s: %zd [%s]\n", what, n, buf);
        return;
    }
    unsigned long qsize;
    int how, signo, pid;
    if (sscanf(buf, "QSIZE:%lu NOTIFY:%d SIGNO:%d NOTIFY_PID:%d", &qsize, &how, &signo, &pid) != 4) {
        printf("status %s: unparsed [%s]\n", what, buf);
        return;
    }
    printf("status %s: %zd QSIZE %lu NOTIFY %d SIGNO %d NOTIFY_PID %s\n", what, n, qsize, how, signo,
           pid == 0 ? "0" : pid == getpid() ? "self" : pid == child_pid ? "child" : "other");
}

static void receive(const char *what, mqd_t q, size_t len) {
    char buf[9000];
    unsigned prio = 12345;
    errno = 0;
    ssize_t n = mq_receive(q, buf, len, &prio);
    if (n < 0) printf("receive %s -> %s\n", what, errname(errno));
    else printf("receive %s -> %zd prio %u \"%.*s\"\n", what, n, prio, (int)n, buf);
}

static void events(const char *what, mqd_t q) {
    struct pollfd p = {q, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM | POLLPRI, 0};
    int n = poll(&p, 1, 0);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(q, &r);
    FD_SET(q, &w);
    struct timeval tv = {0, 0};
    int s = select(q + 1, &r, &w, NULL, &tv);
    printf("poll %s -> %d revents %#x; select -> %d read %d write %d\n", what, n, p.revents, s, FD_ISSET(q, &r) != 0,
           FD_ISSET(q, &w) != 0);
}

static struct timespec in_ms(long ms) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static void wait_child(const char *what, pid_t pid) {
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    printf("%s: exit %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static volatile sig_atomic_t notified, n_signo, n_code, n_pid, n_uid, n_value;
static void on_notify(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    notified++;
    n_signo = sig;
    n_code = si->si_code;
    n_pid = si->si_pid;
    n_uid = si->si_uid;
    n_value = si->si_value.sival_int;
}

static void show_notified(const char *what) {
    if (!notified) {
        printf("%s: no signal\n", what);
        return;
    }
    printf("%s: %d signal(s) sig %d code %d%s pid %s uid %s value %d\n", what, (int)notified, (int)n_signo,
           (int)n_code, n_code == SI_MESGQ ? " (SI_MESGQ)" : "",
           n_pid == getpid() ? "self" : n_pid == child_pid ? "child" : "other", n_uid == (int)getuid() ? "mine" : "other",
           (int)n_value);
    notified = 0;
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

static void names(void) {
    printf("-- names\n");
    T(mq_open("l4jmq-noslash", O_RDONLY));
    T(mq_open("/", O_RDONLY));
    T(mq_open("/a/b", O_RDWR | O_CREAT, 0600, NULL));
    T(mq_open("/.", O_RDONLY));
    T(mq_open("/..", O_RDWR | O_CREAT, 0600, NULL));
    T(mq_open("//x", O_RDONLY));
    T(mq_open(qn("-none"), O_RDONLY));
    T(syscall(SYS_mq_open, NULL, O_RDONLY, 0, NULL));
    T(syscall(SYS_mq_open, "", O_RDONLY, 0, NULL));
    T(syscall(SYS_mq_open, qn("-badattr") + 1, O_RDWR | O_CREAT, 0600, (void *)8));
    static char longname[5000];
    memset(longname, 'n', sizeof longname - 1);
    snprintf(longname, 17, "/l4jmq%010d", tag);
    longname[16] = 'n';
    longname[256] = 0; /* 255 bytes after the slash */
    mqd_t q = mq_open(longname, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
    printf("open 255-byte name -> %s\n", q < 0 ? errname(errno) : "ok");
    if (q >= 0) {
        mq_close(q);
        T(mq_unlink(longname));
    }
    longname[256] = 'n';
    longname[257] = 0;
    T(mq_open(longname, O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
    T(mq_unlink(longname));
    longname[257] = 'n';
    longname[4096] = 0;
    T(mq_open(longname, O_RDONLY));
    T(mq_unlink(qn("-none")));
    T(mq_unlink("l4jmq-noslash"));
    T(mq_unlink("/a/b"));
    T(mq_unlink("/"));
    T(syscall(SYS_mq_unlink, NULL));
}

static void attributes(void) {
    printf("-- attributes\n");
    struct mq_attr a;
#define TRY(m, s) do { a = (struct mq_attr){0, m, s, 0}; errno = 0; \
        mqd_t q_ = mq_open(qn("-attr"), O_RDWR | O_CREAT | O_EXCL, 0600, &a); \
        if (q_ < 0) printf("%-40s -> %s\n", "maxmsg " #m " msgsize " #s, errname(errno)); \
        else { printf("%-40s -> ok\n", "maxmsg " #m " msgsize " #s); attrs("created", q_); mq_close(q_); mq_unlink(qn("-attr")); } \
    } while (0)
    TRY(0, 16);
    TRY(1, 0);
    TRY(-1, 16);
    TRY(2, -5);
    TRY(10, 8192);
    TRY(1, 1);
    /* above HARD_MSGMAX and HARD_MSGSIZEMAX even with CAP_SYS_RESOURCE (the limits in between
     * depend on it: they are tried as another user, below) */
    TRY(65537, 16);
    TRY(1, 16777217);
#undef TRY
    mqd_t q = mq_open(qn("-dflt"), O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
    attrs("defaults", q);
    /* O_CREAT on an existing queue: its attributes are not looked at */
    a = (struct mq_attr){0, -1, -1, 0};
    mqd_t again = mq_open(qn("-dflt"), O_RDWR | O_CREAT, 0600, &a);
    printf("O_CREAT existing with bad attr -> %s\n", again < 0 ? errname(errno) : "ok");
    attrs("existing", again);
    mq_close(again);
    T(mq_open(qn("-dflt"), O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
    T(mq_open(qn("-dflt"), O_RDWR | O_WRONLY));
    T(mq_open(qn("-dflt"), O_RDWR | O_WRONLY | O_CREAT, 0600, NULL));
    mq_close(q);
    T(mq_unlink(qn("-dflt")));
    T(mq_unlink(qn("-dflt")));
    /* the access mode 3 when creating: a descriptor that can neither send nor receive */
    q = mq_open(qn("-mode3"), O_RDWR | O_WRONLY | O_CREAT | O_EXCL, 0600, NULL);
    printf("create with access mode 3 -> %s\n", q < 0 ? errname(errno) : "ok");
    if (q >= 0) {
        T(mq_send(q, "x", 1, 0));
        receive("mode 3", q, 8192);
        mq_close(q);
    }
    mq_unlink(qn("-mode3"));
}

static void descriptor(void) {
    printf("-- descriptor\n");
    mqd_t q = make("-fd", O_RDWR, 4, 64);
    printf("F_GETFD %d F_GETFL %#x\n", fcntl(q, F_GETFD), fcntl(q, F_GETFL));
    mqd_t nb = mq_open(qn("-fd"), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    printf("O_WRONLY|O_NONBLOCK|O_CLOEXEC: F_GETFD %d F_GETFL %#x\n", fcntl(nb, F_GETFD), fcntl(nb, F_GETFL));
    attrs("nonblocking", nb);
    struct stat st;
    fstat(q, &st);
    printf("fstat: regular %d mode %o nlink %lu size %ld blksize %ld blocks %ld mine %d\n", S_ISREG(st.st_mode),
           st.st_mode & 07777, (unsigned long)st.st_nlink, (long)st.st_size, (long)st.st_blksize, (long)st.st_blocks,
           st.st_uid == getuid() && st.st_gid == getgid());
    char link[64], target[400];
    snprintf(link, sizeof link, "/proc/self/fd/%d", q);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    printf("fd link is the name: %d\n", strcmp(target, qn("-fd")) == 0);
    status("new", q, 1);
    char buf[128];
    T(read(q, buf, 10));
    T(read(q, buf, sizeof buf));
    T(read(q, buf, sizeof buf));
    T(lseek(q, 0, SEEK_END));
    T(lseek(q, 6, SEEK_SET));
    n = read(q, buf, 5);
    printf("read at 6 -> %zd \"%.*s\"\n", n, (int)(n < 0 ? 0 : n), buf);
    T(write(q, "x", 1));
    T(write(nb, "x", 1));
    T(read(nb, buf, sizeof buf));
    /* another open through /proc/self/fd */
    int again = open(link, O_RDWR);
    printf("reopen through /proc/self/fd -> %s\n", again < 0 ? errname(errno) : "ok");
    if (again >= 0) {
        T(mq_send(again, "via proc", 8, 2));
        attrs("reopened", again);
        close(again);
    }
    receive("sent via proc", q, 64);
    /* dup shares the open file description */
    int d = dup(q);
    T(fcntl(d, F_SETFL, O_NONBLOCK));
    attrs("original after dup's F_SETFL", q);
    receive("empty through dup", d, 64);
    close(d);
    T(fcntl(q, F_SETFL, 0));
    mq_close(nb);
    T(mq_unlink(qn("-fd")));
    fstat(q, &st);
    printf("after unlink: nlink %lu\n", (unsigned long)st.st_nlink);
    n = readlink(link, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    char want[400];
    snprintf(want, sizeof want, "%s (deleted)", qn("-fd"));
    printf("fd link is the name (deleted): %d\n", strcmp(target, want) == 0);
    mq_close(q);
}

static void messages(void) {
    printf("-- messages\n");
    mqd_t q = make("-msg", O_RDWR, 5, 16);
    events("empty", q);
    T(mq_send(q, "a1", 2, 1));
    T(mq_send(q, "b5", 2, 5));
    T(mq_send(q, "c1", 2, 1));
    T(mq_send(q, "d5", 2, 5));
    events("four", q);
    T(mq_send(q, "", 0, 0));
    events("full", q);
    attrs("full", q);
    status("full", q, 1);
    struct mq_attr nb = {O_NONBLOCK, 0, 0, 0}, old;
    T(mq_setattr(q, &nb, &old));
    printf("old flags %#lx curmsgs %ld; F_GETFL %#x\n", (long)old.mq_flags, (long)old.mq_curmsgs, fcntl(q, F_GETFL));
    T(mq_send(q, "f", 1, 9));
    T(mq_send(q, "this is too long", 17, 0));
    T(mq_send(q, "x", 1, 32768));
    T(mq_send(q, "x", 1, 32767));
    T(mq_send(-1, "x", 1, 0));
    T(mq_send(1, "x", 1, 0));
    T(syscall(SYS_mq_timedsend, q, (void *)8, 1, 0, NULL));
    receive("small buffer", q, 15);
    for (int i = 0; i < 6; i++) receive("in order", q, 16);
    status("drained", q, 1);
    T(mq_send(q, "mq", 2, 3));
    char buf[16];
    T(syscall(SYS_mq_timedreceive, q, buf, 16, (void *)8, NULL));
    attrs("after receive into a bad priority pointer", q);
    T(mq_send(q, "p", 1, 32767));
    T(syscall(SYS_mq_timedreceive, q, buf, 16, NULL, NULL));
    struct mq_attr bad = {O_NONBLOCK | O_APPEND, 0, 0, 0};
    T(mq_setattr(q, &bad, NULL));
    T(mq_setattr(-1, &bad, NULL));
    T(mq_setattr(-1, &nb, NULL));
    T(mq_setattr(1, &nb, NULL));
    T(mq_getattr(1, &old));
    T(syscall(SYS_mq_getsetattr, q, NULL, (void *)8));
    T(syscall(SYS_mq_getsetattr, q, (void *)8, NULL));
    T(syscall(SYS_mq_getsetattr, q, NULL, NULL));
    struct mq_attr blocking = {0, 99, 99, 99};
    T(mq_setattr(q, &blocking, &old));
    printf("old flags %#lx; F_GETFL %#x\n", (long)old.mq_flags, fcntl(q, F_GETFL));
    attrs("blocking", q);
    mqd_t ro = mq_open(qn("-msg"), O_RDONLY), wo = mq_open(qn("-msg"), O_WRONLY);
    T(mq_send(ro, "x", 1, 0));
    receive("write-only", wo, 16);
    mq_close(ro);
    mq_close(wo);
    int p[2];
    pipe(p);
    T(mq_send(p[1], "x", 1, 0));
    receive("pipe", p[0], 16);
    close(p[0]);
    close(p[1]);

    printf("-- timeouts\n");
    struct timespec past = {1, 0}, soon = in_ms(30), badns = {0, 1000000000}, negsec = {-1, 0};
    T(mq_timedreceive(q, buf, 16, NULL, &past));
    T(mq_timedreceive(q, buf, 16, NULL, &soon));
    T(mq_timedreceive(q, buf, 16, NULL, &badns));
    T(mq_timedreceive(q, buf, 16, NULL, &negsec));
    T(mq_timedsend(q, "x", 1, 0, &badns));
    T(mq_timedsend(q, "x", 1, 0, &negsec));
    T(mq_timedsend(q, "x", 1, 99999, &badns));
    T(syscall(SYS_mq_timedsend, q, "x", 1, 0, (void *)8));
    T(syscall(SYS_mq_timedsend, -1, "x", 1, 0, (void *)8));
    T(mq_timedsend(-1, "x", 1, 99999, &past));
    for (int i = 0; i < 5; i++) T(mq_timedsend(q, "t", 1, 0, &past));
    T(mq_timedsend(q, "t", 1, 0, &past));
    soon = in_ms(30);
    T(mq_timedsend(q, "t", 1, 0, &soon));
    T(mq_timedreceive(q, buf, 16, NULL, &badns));
    T(mq_timedreceive(q, buf, 16, NULL, &past));
    attrs("four left", q);
    mq_close(q);
    T(mq_unlink(qn("-msg")));
}

static void sleepers(void) {
    printf("-- sleepers\n");
    mqd_t q = make("-sleep", O_RDWR, 2, 16);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN | EPOLLOUT, {.u32 = 7}}, out[2];
    T(epoll_ctl(ep, EPOLL_CTL_ADD, q, &ev));
    int n = epoll_wait(ep, out, 2, 0);
    printf("epoll empty -> %d events %#x\n", n, n > 0 ? out[0].events : 0);
    /* a receiver asleep in a child gets the message sent afterwards */
    pid_t pid = fork();
    if (pid == 0) {
        receive("child asleep", q, 16);
        _exit(0);
    }
    child_pid = pid;
    int r = mq_send(q, "wake", 4, 7);
    wait_child("receiver", pid);
    printf("sent to the sleeping receiver -> %d\n", r);
    attrs("after the receiver", q);
    /* a sender asleep on a full queue: its message goes in when the parent makes room */
    T(mq_send(q, "one", 3, 1));
    T(mq_send(q, "two", 3, 1));
    n = epoll_wait(ep, out, 2, 0);
    printf("epoll full -> %d events %#x\n", n, n > 0 ? out[0].events : 0);
    pid = fork();
    if (pid == 0) _exit(mq_send(q, "three", 5, 9) == 0 ? 0 : 1);
    child_pid = pid;
    char got[16];
    ssize_t len = mq_receive(q, got, sizeof got, NULL);
    wait_child("sender", pid);
    printf("received while the sender slept -> %zd \"%.*s\"\n", len, (int)(len < 0 ? 0 : len), got);
    receive("then", q, 16);
    receive("then", q, 16);
    attrs("empty", q);
    close(ep);

    /* a sleep a signal interrupts: EINTR without SA_RESTART. The timer repeats, so that a first
     * tick before the call blocks cannot leave it asleep. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 50000}, {0, 50000}}, off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &it, NULL);
    receive("interrupted", q, 16);
    setitimer(ITIMER_REAL, &off, NULL);
    printf("alarms %d\n", alarms > 0);
    alarms = 0;
    T(mq_send(q, "one", 3, 1));
    T(mq_send(q, "two", 3, 1));
    setitimer(ITIMER_REAL, &it, NULL);
    T(mq_send(q, "three", 5, 1));
    setitimer(ITIMER_REAL, &off, NULL);
    printf("alarms %d\n", alarms > 0);
    alarms = 0;
    /* with SA_RESTART the call goes on after each handler, until its absolute timeout */
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct timespec t = in_ms(400);
    setitimer(ITIMER_REAL, &it, NULL);
    T(mq_timedsend(q, "three", 5, 1, &t));
    setitimer(ITIMER_REAL, &off, NULL);
    printf("alarms %d\n", alarms > 0);
    signal(SIGALRM, SIG_DFL);
    mq_close(q);
    T(mq_unlink(qn("-sleep")));
}

static void notifications(void) {
    printf("-- mq_notify\n");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_notify;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGUSR2, &sa, NULL);
    mqd_t q = make("-notify", O_RDWR, 4, 16);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR2;
    ev.sigev_value.sival_int = 42;
    T(mq_notify(q, &ev));
    status("registered", q, 0);
    T(mq_notify(q, &ev));
    T(mq_send(q, "n1", 2, 0));
    show_notified("first message");
    status("after the signal", q, 0);
    T(mq_send(q, "n2", 2, 0));
    show_notified("second message");
    /* registered while messages are queued: only a message into an empty queue notifies */
    ev.sigev_value.sival_int = 43;
    T(mq_notify(q, &ev));
    T(mq_send(q, "n3", 2, 0));
    show_notified("into a non-empty queue");
    receive("drain", q, 16);
    receive("drain", q, 16);
    receive("drain", q, 16);
    T(mq_send(q, "n4", 2, 0));
    show_notified("into the empty queue");
    receive("drain", q, 16);
    /* NULL removes one's own registration */
    T(mq_notify(q, &ev));
    T(mq_notify(q, NULL));
    T(mq_notify(q, NULL));
    status("removed", q, 0);
    T(mq_send(q, "n5", 2, 0));
    show_notified("after removal");
    receive("drain", q, 16);
    /* another process cannot register, nor remove it */
    T(mq_notify(q, &ev));
    pid_t pid = fork();
    if (pid == 0) {
        T(mq_notify(q, &ev));
        T(mq_notify(q, NULL));
        close(q); /* not the registering process: the registration stays */
        _exit(0);
    }
    child_pid = pid;
    wait_child("child", pid);
    status("after the child", q, 0);
    /* a message from the child: si_pid is the sender's */
    pid = fork();
    if (pid == 0) {
        mq_send(q, "from child", 10, 0);
        _exit(0);
    }
    child_pid = pid;
    wait_child("sending child", pid);
    show_notified("sent by the child");
    receive("drain", q, 16);
    /* a child registers, then exits: its exit ends the registration */
    pid = fork();
    if (pid == 0) {
        T(mq_notify(q, &ev));
        status("child registered", q, 0);
        _exit(0);
    }
    child_pid = pid;
    wait_child("registering child", pid);
    status("after its exit", q, 0);
    /* closing any descriptor of the queue in the registering process ends it */
    T(mq_notify(q, &ev));
    int d = dup(q);
    close(d);
    status("after closing a dup", q, 0);
    /* SIGEV_NONE: registered, and consumed by a message without a signal */
    ev.sigev_notify = SIGEV_NONE;
    T(mq_notify(q, &ev));
    status("SIGEV_NONE", q, 0);
    T(mq_send(q, "n6", 2, 0));
    show_notified("SIGEV_NONE message");
    status("SIGEV_NONE consumed", q, 0);
    receive("drain", q, 16);
    /* signal 0: registered, and no signal */
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 0;
    T(mq_notify(q, &ev));
    status("signal 0", q, 0);
    T(mq_send(q, "n7", 2, 0));
    show_notified("signal 0 message");
    status("signal 0 consumed", q, 0);
    receive("drain", q, 16);
    /* errors */
    ev.sigev_signo = 65;
    T(mq_notify(q, &ev));
    ev.sigev_signo = -1;
    T(mq_notify(q, &ev));
    ev.sigev_signo = 64;
    T(mq_notify(q, &ev));
    T(mq_notify(q, NULL));
    ev.sigev_notify = 99;
    T(mq_notify(q, &ev));
    T(mq_notify(-1, &ev));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR2;
    T(mq_notify(-1, &ev));
    T(mq_notify(1, &ev));
    T(mq_notify(-1, NULL));
    T(syscall(SYS_mq_notify, q, (void *)8));
    /* SIGEV_THREAD at the system call: sigev_signo names the netlink socket */
    char cookie[32] = {0};
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_value.sival_ptr = cookie;
    int pfd[2];
    pipe(pfd);
    ev.sigev_signo = pfd[0];
    T(syscall(SYS_mq_notify, q, &ev));
    close(pfd[0]);
    close(pfd[1]);
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    ev.sigev_signo = sv[0];
    T(syscall(SYS_mq_notify, q, &ev));
    ev.sigev_signo = 999;
    T(syscall(SYS_mq_notify, q, &ev));
    ev.sigev_value.sival_ptr = (void *)8;
    ev.sigev_signo = sv[0];
    T(syscall(SYS_mq_notify, q, &ev));
    close(sv[0]);
    close(sv[1]);
    status("after the errors", q, 0);
    mq_close(q);
    T(mq_unlink(qn("-notify")));
    signal(SIGUSR2, SIG_DFL);
}

static void unlinked(void) {
    printf("-- unlink while open\n");
    mqd_t q = make("-unl", O_RDWR, 3, 16);
    T(mq_send(q, "kept", 4, 1));
    T(mq_unlink(qn("-unl")));
    T(mq_open(qn("-unl"), O_RDWR));
    T(mq_send(q, "more", 4, 2));
    mqd_t fresh = make("-unl", O_RDWR, 3, 16);
    attrs("old", q);
    attrs("new", fresh);
    receive("old", q, 16);
    receive("old", q, 16);
    mq_close(fresh);
    mq_close(q);
    T(mq_unlink(qn("-unl")));
    /* a forked child shares the descriptor */
    q = make("-fork", O_RDWR, 3, 16);
    pid_t pid = fork();
    if (pid == 0) {
        T(mq_send(q, "from the child", 14, 4));
        _exit(0);
    }
    child_pid = pid;
    wait_child("child", pid);
    receive("inherited", q, 16);
    mq_close(q);
    T(mq_unlink(qn("-fork")));
}

static void permissions(void) {
    printf("-- permissions\n");
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl = {0, 0};
        T(setrlimit(RLIMIT_MSGQUEUE, &rl));
        struct mq_attr a = {0, 1, 1, 0};
        T(mq_open(qn("-rlimit"), O_RDWR | O_CREAT | O_EXCL, 0600, &a));
        _exit(0);
    }
    wait_child("RLIMIT_MSGQUEUE 0", pid);
    if (getuid() != 0) {
        printf("not root: the other user's checks are skipped\n");
        return;
    }
    mqd_t own = mq_open(qn("-p600"), O_RDWR | O_CREAT | O_EXCL, 0600, &(struct mq_attr){0, 2, 16, 0});
    mqd_t shared = mq_open(qn("-p644"), O_RDWR | O_CREAT | O_EXCL, 0644, &(struct mq_attr){0, 2, 16, 0});
    pid = fork();
    if (pid == 0) {
        T(setgroups(0, NULL));
        T(setgid(65534));
        T(setuid(65534));
        T(mq_open(qn("-p600"), O_RDONLY));
        OK(mq_open(qn("-p644"), O_RDONLY));
        T(mq_open(qn("-p644"), O_WRONLY));
        T(mq_open(qn("-p644"), O_RDWR));
        T(mq_unlink(qn("-p644")));
        T(syscall(SYS_mq_unlink, qn("-p644") + 1));
        T(mq_send(own, "inherited", 9, 0));
        struct mq_attr a = {0, 11, 16, 0};
        T(mq_open(qn("-user"), O_RDWR | O_CREAT | O_EXCL, 0600, &a));
        a = (struct mq_attr){0, 10, 8193, 0};
        T(mq_open(qn("-user"), O_RDWR | O_CREAT | O_EXCL, 0600, &a));
        a = (struct mq_attr){0, 10, 8192, 0};
        mqd_t mine = mq_open(qn("-user"), O_RDWR | O_CREAT | O_EXCL, 0600, &a);
        printf("user's own queue -> %s\n", mine < 0 ? errname(errno) : "ok");
        struct stat st;
        fstat(mine, &st);
        printf("owner %d group %d\n", (int)st.st_uid, (int)st.st_gid);
        mq_close(mine);
        T(mq_unlink(qn("-user")));
        /* RLIMIT_MSGQUEUE (819200 bytes) holds nine queues of the largest size allowed */
        char suffix[16];
        mqd_t many[10];
        for (int i = 0; i < 10; i++) {
            snprintf(suffix, sizeof suffix, "-u%d", i);
            many[i] = mq_open(qn(suffix), O_RDWR | O_CREAT | O_EXCL, 0600, &a);
            printf("queue %d of 10 x 8192 bytes -> %s\n", i, many[i] < 0 ? errname(errno) : "ok");
        }
        for (int i = 0; i < 10; i++) {
            snprintf(suffix, sizeof suffix, "-u%d", i);
            if (many[i] >= 0) mq_unlink(qn(suffix));
        }
        /* an unlinked queue keeps its charge until it is closed */
        snprintf(suffix, sizeof suffix, "-u%d", 9);
        T(mq_open(qn(suffix), O_RDWR | O_CREAT | O_EXCL, 0600, &a));
        mq_close(many[0]);
        mqd_t last = mq_open(qn(suffix), O_RDWR | O_CREAT | O_EXCL, 0600, &a);
        printf("after closing one -> %s\n", last < 0 ? errname(errno) : "ok");
        mq_unlink(qn(suffix));
        _exit(0);
    }
    wait_child("other user", pid);
    receive("sent by the other user", own, 16);
    mq_close(own);
    mq_close(shared);
    T(mq_unlink(qn("-p600")));
    T(mq_unlink(qn("-p644")));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    tag = getpid();
    umask(022);
    names();
    attributes();
    descriptor();
    messages();
    sleepers();
    notifications();
    unlinked();
    permissions();
    return 0;
}
