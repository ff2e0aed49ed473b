/* tools/syscall-fuzz.c: calls one system call 400 times with random arguments, to find
 * linux4j's crashes ("linux4j: internal error"), not to compare results. Usage:
 * syscall-fuzz NR SEED [fds]. Arguments are drawn from small numbers, -1, -2, -3, large
 * values, pointers into a random page and to the last bytes before an unmapped page, and with
 * "fds" open descriptors of every kind (pipes, sockets, netlink, a file, a directory, /proc,
 * eventfd, epoll, timerfd, signalfd, inotify, memfd, a pty pair, O_PATH, a pidfd). A 1 s alarm
 * ends calls that block. Run it through tools/syscall-fuzz, never natively as root: it calls
 * every system call, unlink and rename included, in the current directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>
static void on_alarm(int s) { (void)s; }
int main(int argc, char **argv) {
    long nr = atol(argv[1]);
    srand(argc > 2 ? atoi(argv[2]) : 1);
    int with_fds = argc > 3 && strcmp(argv[3], "fds") == 0;
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    int fds[32], n = 0;
    int p[2];
    pipe(p); fds[n++] = p[0]; fds[n++] = p[1];
    socketpair(AF_UNIX, SOCK_STREAM, 0, p); fds[n++] = p[0]; fds[n++] = p[1];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, p); fds[n++] = p[0];
    fds[n++] = socket(AF_INET, SOCK_STREAM, 0);
    fds[n++] = socket(AF_INET6, SOCK_DGRAM, 0);
    fds[n++] = socket(16, SOCK_RAW, 0);
    fds[n++] = open("f", O_RDWR | O_CREAT, 0644);
    fds[n++] = open(".", O_RDONLY | O_DIRECTORY);
    fds[n++] = open("/proc/self/status", O_RDONLY);
    fds[n++] = open("/dev/null", O_RDWR);
    fds[n++] = eventfd(1, 0);
    fds[n++] = epoll_create1(0);
    fds[n++] = timerfd_create(CLOCK_MONOTONIC, 0);
    sigset_t ss; sigemptyset(&ss); sigaddset(&ss, SIGUSR1);
    fds[n++] = signalfd(-1, &ss, 0);
    fds[n++] = inotify_init();
    fds[n++] = memfd_create("m", 0);
    int master, slave;
    if (openpty(&master, &slave, NULL, NULL, NULL) == 0) { fds[n++] = master; fds[n++] = slave; }
    fds[n++] = open("/", O_PATH);
    fds[n++] = syscall(SYS_pidfd_open, getpid(), 0);
    char *page = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 2 * 4096, 4096);
    char *buf = page, *buf2 = page + 4096;
    for (int iter = 0; iter < 400; iter++) {
        for (int i = 0; i < 4096; i++) buf[i] = rand() % 4 == 0 ? rand() : 0;
        memset(buf2, rand() % 2 ? 0 : 0xff, 4096);
        strcpy(buf + 100, "f");
        long a[6];
        for (int k = 0; k < 6; k++) {
            switch (rand() % 9) {
            case 0: case 1: case 2: a[k] = with_fds ? fds[rand() % n] : rand() % 16; break;
            case 3: a[k] = (long)buf; break;
            case 4: a[k] = (long)(buf + 100); break;
            case 5: a[k] = (long)(page + 2 * 4096 - 8); break;
            case 6: a[k] = rand() % 64; break;
            case 7: a[k] = (long)rand() << (rand() % 40); break;
            default: a[k] = -(long)(rand() % 3) - 1; break;
            }
        }
        alarm(1);
        syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        alarm(0);
    }
    return 0;
}
