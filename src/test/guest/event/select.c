/* select(2) and pselect6(2): sets that are NULL (any of the three; select with none is a sleep),
 * readiness of a pipe's ends, bits of descriptors that are not ready cleared, bits at and above
 * nfds ignored, the timeout updated with the time left, and the errors (EBADF for a closed
 * descriptor in a set, EINVAL for a negative nfds or timeout). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

static void result(const char *what, int r) {
    if (r < 0) printf("%-40s -> %s\n", what, errname(errno));
    else printf("%-40s -> %d\n", what, r);
}

static void bits(const char *what, fd_set *s, int upto) {
    printf("  %s:", what);
    for (int fd = 0; fd < upto; fd++)
        if (FD_ISSET(fd, s)) printf(" %d", fd);
    printf("\n");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2];
    if (pipe(p) < 0) return 1;
    /* the pipe at descriptors 5 and 6, whatever the harness left open */
    dup2(p[0], 5);
    dup2(p[1], 6);
    close(p[0]);
    close(p[1]);

    struct timeval tv = {0, 20000};
    result("select(0, NULL, NULL, NULL, 20 ms)", select(0, NULL, NULL, NULL, &tv));
    printf("  time left %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);

    fd_set r, w, x;
    FD_ZERO(&w);
    FD_SET(6, &w);
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    result("select(7, NULL, {6}, NULL)", select(7, NULL, &w, NULL, &tv));
    bits("write", &w, 64);

    FD_ZERO(&x);
    FD_SET(5, &x);
    FD_SET(6, &x);
    tv.tv_usec = 1000;
    result("select(7, NULL, NULL, {5 6}, 1 ms)", select(7, NULL, NULL, &x, &tv));
    bits("except", &x, 64);

    FD_ZERO(&r);
    FD_SET(5, &r);
    tv.tv_usec = 1000;
    result("select(7, {5}, NULL, NULL) empty pipe", select(7, &r, NULL, NULL, &tv));
    bits("read", &r, 64);

    write(6, "x", 1);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(5, &r);
    FD_SET(6, &r);
    FD_SET(5, &w);
    FD_SET(6, &w);
    result("select(7, {5 6}, {5 6}, NULL)", select(7, &r, &w, NULL, NULL));
    bits("read", &r, 64);
    bits("write", &w, 64);

    /* descriptors at and above nfds: not looked at (even closed ones), cleared on return */
    FD_ZERO(&r);
    FD_SET(5, &r);
    FD_SET(40, &r);
    tv.tv_usec = 0;
    result("select(6, {5 40}, NULL, NULL)", select(6, &r, NULL, NULL, &tv));
    bits("read", &r, 64);

    FD_ZERO(&r);
    FD_SET(40, &r);
    result("select(41, {40 closed}, NULL, NULL)", select(41, &r, NULL, NULL, &tv));
    FD_ZERO(&w);
    FD_SET(40, &w);
    result("select(41, NULL, {40 closed}, NULL)", select(41, NULL, &w, NULL, &tv));
    result("select(-1, NULL, NULL, NULL)", select(-1, NULL, NULL, NULL, &tv));
    tv.tv_sec = -1;
    result("select(0, ..., tv_sec -1)", select(0, NULL, NULL, NULL, &tv));
    tv.tv_sec = 0;
    tv.tv_usec = -1;
    result("select(0, ..., tv_usec -1)", select(0, NULL, NULL, NULL, &tv));

    /* pselect6 with no sets: a sleep with a signal mask */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    struct timespec ts = {0, 10000000};
    result("pselect(0, NULL, NULL, NULL, 10 ms, mask)", pselect(0, NULL, NULL, NULL, &ts, &mask));
    struct timespec ts2 = {0, 10000000};
    struct { const sigset_t *ss; size_t len; } arg = {&mask, 8};
    result("pselect6(0, NULL x3, 10 ms, mask)", (int)syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts2, &arg));
    printf("  time left %ld.%09ld\n", (long)ts2.tv_sec, ts2.tv_nsec);
    FD_ZERO(&w);
    FD_SET(6, &w);
    ts2.tv_nsec = 0;
    result("pselect6(7, NULL, {6}, NULL, 0)", (int)syscall(SYS_pselect6, 7, NULL, &w, NULL, &ts2, NULL));
    bits("write", &w, 64);
    return 0;
}
