/* Which EPIPE comes with SIGPIPE: a pipe's and a stream socket's do (pipe_write,
 * unix_stream_sendmsg, tcp_sendmsg), a datagram or seqpacket socket's do not (unix_dgram_sendmsg,
 * udp_sendmsg), through write(2), writev(2) and send(2) alike; MSG_NOSIGNAL keeps it away. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../errname.h"

static volatile int sigpipes;
static void on_pipe(int sig) { (void)sig; sigpipes++; }

static void try(const char *what, int fd) {
    struct iovec io = {"x", 1};
    long r;
    int before = sigpipes;
    errno = 0;
    r = write(fd, "x", 1);
    printf("%-22s write  -> %s, SIGPIPE %d\n", what, r < 0 ? errname(errno) : "ok", sigpipes - before);
    before = sigpipes;
    errno = 0;
    r = writev(fd, &io, 1);
    printf("%-22s writev -> %s, SIGPIPE %d\n", what, r < 0 ? errname(errno) : "ok", sigpipes - before);
    before = sigpipes;
    errno = 0;
    r = send(fd, "x", 1, 0);
    printf("%-22s send   -> %s, SIGPIPE %d\n", what, r < 0 ? errname(errno) : "ok", sigpipes - before);
    before = sigpipes;
    errno = 0;
    r = send(fd, "x", 1, MSG_NOSIGNAL);
    printf("%-22s nosig  -> %s, SIGPIPE %d\n", what, r < 0 ? errname(errno) : "ok", sigpipes - before);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_pipe);
    int p[2];
    pipe(p);
    close(p[0]);
    try("pipe", p[1]);
    int types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET};
    const char *names[] = {"unix stream", "unix dgram", "unix seqpacket"};
    for (int k = 0; k < 3; k++) {
        int sv[2];
        socketpair(AF_UNIX, types[k], 0, sv);
        shutdown(sv[0], SHUT_WR);
        try(names[k], sv[0]);
        close(sv[0]);
        close(sv[1]);
    }
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(u, (struct sockaddr *)&a, sizeof a);
    socklen_t al = sizeof a;
    getsockname(u, (struct sockaddr *)&a, &al);
    connect(u, (struct sockaddr *)&a, sizeof a);
    shutdown(u, SHUT_WR);
    try("udp", u);
    close(u);
    return 0;
}
