/* close_range(2): closing a range, CLOSE_RANGE_CLOEXEC marking it close-on-exec instead,
 * CLOSE_RANGE_UNSHARE, the EINVAL cases, ~0U as the last descriptor, and what an exec'd copy of
 * this program still has open afterwards. Raw syscalls: older libcs have no wrapper. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#define CR_UNSHARE (1U << 1)
#define CR_CLOEXEC (1U << 2)

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-60s -> %s\n", #call, errname(errno)); else printf("%-60s -> %ld\n", #call, r_); } while (0)

/* Descriptors 10..29: "-" closed, "o" open, "c" open and close-on-exec. */
static void show(const char *label) {
    char s[21];
    for (int fd = 10; fd < 30; fd++) {
        int f = fcntl(fd, F_GETFD);
        s[fd - 10] = f < 0 ? '-' : (f & FD_CLOEXEC) ? 'c' : 'o';
    }
    s[20] = 0;
    printf("  %-28s 10..29: %s\n", label, s);
}

static void fill(int from, int to) {
    int fd = open("/dev/null", O_RDONLY);
    for (int i = from; i <= to; i++) dup2(fd, i);
    if (fd < from || fd > to) close(fd);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        show("after exec");
        return 0;
    }
    fill(10, 29);
    show("start");
    T(syscall(SYS_close_range, 12, 14, 0));
    show("closed 12..14");
    T(syscall(SYS_close_range, 16, 16, 0));
    show("closed 16");
    T(syscall(SYS_close_range, 18, 21, CR_CLOEXEC));
    show("cloexec 18..21");
    T(syscall(SYS_close_range, 12, 14, 0)); /* nothing open there: still 0 */
    T(syscall(SYS_close_range, 5, 3, 0));
    T(syscall(SYS_close_range, 3, 5, 1));
    T(syscall(SYS_close_range, 3, 5, 8));
    T(syscall(SYS_close_range, 3, 5, 0x80000000u));
    T(syscall(SYS_close_range, 20, 19, CR_CLOEXEC));
    show("after EINVALs");
    T(syscall(SYS_close_range, 100000, 200000, 0));
    T(syscall(SYS_close_range, 100000, ~0U, CR_CLOEXEC));
    T(syscall(SYS_close_range, ~0U, ~0U, 0));
    T(syscall(SYS_close_range, 27, ~0U, 0));
    show("closed 27..~0U");
    T(syscall(SYS_close_range, 25, 26, CR_UNSHARE));
    show("unshare, closed 25..26");
    T(syscall(SYS_close_range, 22, 23, CR_UNSHARE | CR_CLOEXEC));
    show("unshare, cloexec 22..23");
    T(syscall(SYS_close_range, 100, 50, CR_UNSHARE));

    /* A forked child closing its copy leaves the parent's alone. */
    pid_t pid = fork();
    if (pid == 0) {
        syscall(SYS_close_range, 10, ~0U, 0);
        show("child closed 10..~0U");
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    show("parent after child");

    /* exec: the close-on-exec ones are gone. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", argv[0], "child", (char *)NULL);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));

    /* Everything from 10 up marked close-on-exec, then closed. */
    T(syscall(SYS_close_range, 10, ~0U, CR_CLOEXEC));
    show("cloexec 10..~0U");
    T(syscall(SYS_close_range, 10, ~0U, 0));
    show("closed 10..~0U");
    return 0;
}
