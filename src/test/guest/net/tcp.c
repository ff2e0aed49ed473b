/* TCP over 127.0.0.1 between two threads: listen on an ephemeral port, connect and accept (the
 * peer's address both ways), send and receive with MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL and
 * FIONREAD, readv/writev and sendmsg/recvmsg, a large transfer that fills the buffers,
 * shutdown(SHUT_WR) (the peer reads EOF, POLLRDHUP), a write after the peer closed (EPIPE and
 * SIGPIPE), a non-blocking connect (EINPROGRESS, POLLOUT, SO_ERROR 0, then connect again) and
 * accept4's flags; SO_RCVTIMEO and a signal ending a blocked recv. */
#include "inet.h"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

static volatile int sigpipes;
/* The server thread's lines, printed by main at the end so that the output has one order. */
static char slog[4096];
#define SLOG(...) snprintf(slog + strlen(slog), sizeof slog - strlen(slog), __VA_ARGS__)
static void on_pipe(int sig) { (void)sig; sigpipes++; }
static volatile int alarms;
static void on_alarm(int sig) { (void)sig; alarms++; }

static int listener;
static int server_fd = -1;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int step;

static void wait_step(int n) {
    pthread_mutex_lock(&mu);
    while (step < n) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}

static void set_step(int n) {
    pthread_mutex_lock(&mu);
    step = n;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

#define BIG (4 << 20)

/* The server side: accepts, echoes what the client asks, then follows the steps. */
static void *server(void *arg) {
    (void)arg;
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    int c = accept(listener, (struct sockaddr *)&peer, &len);
    server_fd = c;
    set_step(1);
    /* 2: the client sent "hello world" in two sends and waits for "ok" */
    wait_step(2);
    char buf[256];
    long n = recv(c, buf, 11, MSG_WAITALL);
    SLOG("server: recv waitall %ld \"%.*s\"\n", n, (int)n, buf);
    send(c, "ok", 2, 0);
    /* 3: a big transfer: the client writes BIG bytes, the server reads them all */
    char *big = malloc(BIG);
    long total = 0, sum = 0;
    while (total < BIG) {
        n = read(c, big, BIG);
        if (n <= 0) break;
        for (long i = 0; i < n; i++) sum += (unsigned char)big[i];
        total += n;
    }
    SLOG("server: read %ld bytes sum %ld\n", total, sum);
    free(big);
    /* 4: the client shut down its writing side: EOF after the data */
    n = recv(c, buf, sizeof buf, 0);
    SLOG("server: recv after client's SHUT_WR -> %ld\n", n);
    n = recv(c, buf, sizeof buf, 0);
    SLOG("server: recv at EOF again -> %ld\n", n);
    struct pollfd p = {c, POLLIN | POLLOUT | POLLRDHUP | POLLPRI, 0};
    n = poll(&p, 1, 0);
    SLOG("server: poll after EOF -> %ld revents %#x\n", n, p.revents);
    wait_step(3);
    send(c, "still", 5, 0);
    set_step(4);
    wait_step(5);
    close(c);
    set_step(6);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_pipe);
    char buf[256];

    listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    T(setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    struct sockaddr_in a = in4("127.0.0.1", 0);
    T(bind(listener, (struct sockaddr *)&a, sizeof a));
    T(listen(listener, 8));
    int port = port_of(listener);
    printf("port>0 %d\n", port > 0);
    pthread_t th;
    pthread_create(&th, NULL, server, NULL);

    int c = socket(AF_INET, SOCK_STREAM, 0);
    a = in4("127.0.0.1", port);
    T(connect(c, (struct sockaddr *)&a, sizeof a));
    T(connect(c, (struct sockaddr *)&a, sizeof a));
    wait_step(1);
    int s = server_fd;
    struct sockaddr_in me, peer;
    socklen_t len = sizeof me;
    getsockname(c, (struct sockaddr *)&me, &len);
    show("client getsockname", &me, len);
    len = sizeof peer;
    getpeername(s, (struct sockaddr *)&peer, &len);
    show("server getpeername", &peer, len);
    printf("server's peer is the client: %d\n", me.sin_port == peer.sin_port && me.sin_addr.s_addr == peer.sin_addr.s_addr);
    len = sizeof peer;
    getpeername(c, (struct sockaddr *)&peer, &len);
    show("client getpeername", &peer, len);
    printf("client's peer port is the listener's: %d\n", ntohs(peer.sin_port) == port);
    int v = -1;
    len = sizeof v;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len);
    printf("SO_ERROR %d\n", v);
    T(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
    events("client connected", c);

    /* the server is blocked in recv(MSG_WAITALL) */
    T(send(c, "hello", 5, 0));
    set_step(2);
    usleep(20000);
    T(send(c, " world", 6, 0));
    long n = recv(c, buf, sizeof buf, 0);
    got("client recv", n, buf);
    T(recv(c, buf, sizeof buf, MSG_DONTWAIT));

    /* the big transfer, from this thread, while the server reads */
    char *big = malloc(BIG);
    long sum = 0;
    for (long i = 0; i < BIG; i++) {
        big[i] = (char)(i * 7 + (i >> 12));
        sum += (unsigned char)big[i];
    }
    long total = 0;
    while (total < BIG) {
        n = write(c, big + total, BIG - total);
        if (n <= 0) break;
        total += n;
    }
    printf("client wrote %ld bytes sum %ld\n", total, sum);
    free(big);

    /* vectored I/O */
    struct iovec iov[3] = {{"vec", 3}, {"tor", 3}, {"ed", 2}};
    T(shutdown(c, SHUT_WR));
    events("client after SHUT_WR", c);
    T(writev(c, iov, 3));
    T(send(c, "x", 1, MSG_NOSIGNAL));
    printf("sigpipes %d\n", sigpipes);
    set_step(3);
    wait_step(4);
    events_wait("client with data", c, POLLIN);
    int avail = -1;
    T(ioctl(c, FIONREAD, &avail));
    printf("FIONREAD %d\n", avail);
    n = recv(c, buf, 3, MSG_PEEK);
    got("recv peek", n, buf);
    char p1[2], p2[8];
    struct iovec riov[2] = {{p1, 2}, {p2, 8}};
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = riov;
    mh.msg_iovlen = 2;
    struct sockaddr_in from;
    mh.msg_name = &from;
    mh.msg_namelen = sizeof from;
    n = recvmsg(c, &mh, 0);
    printf("recvmsg %ld \"%.2s\" \"%.*s\" namelen %u flags %#x\n", n, p1, (int)(n > 2 ? n - 2 : 0), p2,
           (unsigned)mh.msg_namelen, mh.msg_flags);

    /* the server closes: EOF here, and writing gets EPIPE once the peer's RST is back */
    set_step(5);
    wait_step(6);
    events_wait("client after the server's close", c, POLLIN | POLLRDHUP);
    n = recv(c, buf, sizeof buf, 0);
    got("recv after close", n, buf);
    close(c);

    c = socket(AF_INET, SOCK_STREAM, 0);
    T(connect(c, (struct sockaddr *)&a, sizeof a));
    int s2 = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    printf("accept4 nonblock %d cloexec %d\n", (fcntl(s2, F_GETFL) & O_NONBLOCK) != 0, fcntl(s2, F_GETFD));
    T(recv(s2, buf, sizeof buf, 0));
    close(s2);
    usleep(20000);
    T(send(c, "a", 1, 0));
    usleep(50000);
    T(send(c, "b", 1, 0));
    printf("sigpipes %d\n", sigpipes);
    T(send(c, "c", 1, MSG_NOSIGNAL));
    printf("sigpipes %d\n", sigpipes);
    close(c);

    /* a non-blocking connect */
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    T(connect(c, (struct sockaddr *)&a, sizeof a));
    events_wait("nonblocking connect", c, POLLOUT);
    v = -1;
    len = sizeof v;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len);
    printf("SO_ERROR %d\n", v);
    T(connect(c, (struct sockaddr *)&a, sizeof a));
    T(connect(c, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_in acc;
    len = sizeof acc;
    events_wait("listener with a connection", listener, POLLIN);
    s2 = accept(listener, (struct sockaddr *)&acc, &len);
    show("accepted", &acc, len);
    T(send(c, "nb", 2, 0));
    events_wait("accepted with data", s2, POLLIN);
    n = read(s2, buf, sizeof buf);
    got("read", n, buf);
    T(recv(c, buf, sizeof buf, 0));
    close(s2);
    events_wait("after the peer's close", c, POLLIN);
    T(recv(c, buf, sizeof buf, 0));
    close(c);
    /* waits that end: SO_RCVTIMEO (EAGAIN), a signal without SA_RESTART (EINTR) */
    c = socket(AF_INET, SOCK_STREAM, 0);
    T(connect(c, (struct sockaddr *)&a, sizeof a));
    s2 = accept(listener, NULL, NULL);
    struct timeval tv = {0, 50000};
    T(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    T(recv(c, buf, sizeof buf, 0));
    T(setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    T(accept(listener, NULL, NULL));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    T(recv(s2, buf, sizeof buf, 0));
    printf("alarms %d\n", alarms);
    close(s2);
    close(c);

    pthread_join(th, NULL);
    close(listener);
    fputs(slog, stdout);
    return 0;
}
