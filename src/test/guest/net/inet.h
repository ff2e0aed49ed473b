/* Helpers shared by the AF_INET and AF_INET6 socket tests: errno names for the network errors
 * (errname.h has the common ones), a call printer, poll's events of a socket, and addresses. */
#ifndef LINUX4J_TEST_INET_H
#define LINUX4J_TEST_INET_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../errname.h"

static const char *nerr(int e) {
    static const struct { int n; const char *s; } t[] = {
        {EADDRINUSE, "EADDRINUSE"}, {EADDRNOTAVAIL, "EADDRNOTAVAIL"}, {EINPROGRESS, "EINPROGRESS"},
        {EALREADY, "EALREADY"}, {ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"}, {ECONNRESET, "ECONNRESET"},
        {ECONNABORTED, "ECONNABORTED"}, {EDESTADDRREQ, "EDESTADDRREQ"}, {EMSGSIZE, "EMSGSIZE"},
        {ENETUNREACH, "ENETUNREACH"}, {EHOSTUNREACH, "EHOSTUNREACH"}, {EPROTOTYPE, "EPROTOTYPE"}};
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].n == e) return t[i].s;
    return errname(e);
}

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-60s -> %s\n", #call, nerr(errno)); else printf("%-60s -> %ld\n", #call, r_); } while (0)

/* poll's events for fd now (no wait). */
static void events(const char *what, int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP | POLLPRI, 0};
    int n = poll(&p, 1, 0);
    printf("poll %s -> %d revents %#x\n", what, n, p.revents);
}

/* poll's events once some event comes (at most 5 s). */
static void events_wait(const char *what, int fd, short want) {
    struct pollfd p = {fd, want, 0};
    int n = poll(&p, 1, 5000);
    printf("poll-wait %s -> %d revents %#x\n", what, n, p.revents);
}

static void got(const char *what, long n, const char *buf) {
    if (n < 0) printf("%s -> %s\n", what, nerr(errno));
    else printf("%s -> %ld \"%.*s\"\n", what, n, (int)n, buf);
}

static struct sockaddr_in in4(const char *ip, int port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static struct sockaddr_in6 in6(const char *ip, int port) {
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    return a;
}

/* A socket address as text, without its port (ports differ from run to run). */
static void show(const char *what, const void *sa, socklen_t len) {
    const struct sockaddr *s = sa;
    char ip[64] = "?";
    int port = -1;
    if (len >= sizeof(struct sockaddr_in) && s->sa_family == AF_INET) {
        const struct sockaddr_in *a = sa;
        inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
        port = ntohs(a->sin_port);
        printf("%s: len %u AF_INET %s port%s zero %d\n", what, (unsigned)len, ip, port > 0 ? ">0" : "=0",
               a->sin_zero[0] | a->sin_zero[7]);
    } else if (len >= sizeof(struct sockaddr_in6) && s->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a = sa;
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
        port = ntohs(a->sin6_port);
        printf("%s: len %u AF_INET6 %s port%s flow %u scope %u\n", what, (unsigned)len, ip, port > 0 ? ">0" : "=0",
               a->sin6_flowinfo, a->sin6_scope_id);
    } else {
        printf("%s: len %u family %d\n", what, (unsigned)len, len >= 2 ? s->sa_family : -1);
    }
}

static int port_of(int fd) {
    struct sockaddr_in6 a;
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &len) < 0) return -1;
    return ntohs(a.sin6_port); /* sin_port and sin6_port are at the same offset */
}

/* A port nothing listens on: bound once, then closed. */
static int free_port(int family) {
    int s = socket(family, SOCK_STREAM, 0);
    if (family == AF_INET) {
        struct sockaddr_in a = in4("127.0.0.1", 0);
        bind(s, (struct sockaddr *)&a, sizeof a);
    } else {
        struct sockaddr_in6 a = in6("::1", 0);
        bind(s, (struct sockaddr *)&a, sizeof a);
    }
    int p = port_of(s);
    close(s);
    return p;
}

#endif
