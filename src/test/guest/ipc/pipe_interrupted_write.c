/* A write of 2 MiB to a pipe that nobody reads, interrupted by a signal once the pipe is full:
 * it returns the count written (a pipe's 64 KiB), with or without SA_RESTART, and a reader then
 * gets exactly those bytes, once. linux4j wrote writes of more than 1 MiB in 64 KiB pieces and,
 * when the second piece was interrupted, failed the call, so the first piece went again when
 * the caller retried (python3's test_io: a reader got 64 KiB more than was written). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "../errname.h"

#define BIG (2 << 20)

static void on_alarm(int sig) { (void)sig; }

static void interrupted_write(int restart) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGALRM, &sa, NULL);
    int p[2];
    pipe(p);
    char *data = malloc(BIG);
    for (int i = 0; i < BIG; i++) data[i] = (char)(i * 7 + i / 4096);
    struct itimerval t = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &t, NULL);
    errno = 0;
    long n = write(p[1], data, BIG);
    printf("%s: write of 2 MiB -> %ld %s\n", restart ? "SA_RESTART" : "no SA_RESTART", n, n < 0 ? errname(errno) : "");
    close(p[1]);
    char *back = malloc(BIG);
    long got = 0, r;
    while ((r = read(p[0], back + got, BIG - got)) > 0) got += r;
    printf("  read back %ld bytes, %s\n", got, n > 0 && got == n && memcmp(back, data, got) == 0 ? "the bytes written" : "NOT the bytes written");
    close(p[0]);
    free(data);
    free(back);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    interrupted_write(0);
    interrupted_write(1);
    return 0;
}
