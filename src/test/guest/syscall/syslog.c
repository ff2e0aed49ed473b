/* syslog(2), as dmesg uses it: the buffer size, the argument checks and the permission a
 * process without CAP_SYSLOG meets under kernel.dmesg_restrict (Debian's default). Nothing that
 * returns the log's contents: the host's log is not the guest's. Raw syscalls (klogctl). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void call(const char *what, int type, char *buf, int len) {
    errno = 0;
    long r = syscall(SYS_syslog, type, buf, len);
    printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[64];
    call("size buffer", 10, NULL, 0);
    call("read all, len 0", 3, buf, 0);
    call("read all, NULL", 3, NULL, 10);
    call("read all, len -1", 3, buf, -1);
    call("read clear, len 0", 4, buf, 0);
    call("read, len 0", 2, buf, 0);
    call("read, NULL", 2, NULL, 10);
    call("open", 1, NULL, 0);
    call("close", 0, NULL, 0);
    call("console level 0", 8, NULL, 0);
    call("console level 9", 8, NULL, 9);
    call("type 11", 11, NULL, 0);
    call("type -1", -1, NULL, 0);
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(65534) != 0) {
            perror("setuid");
            _exit(1);
        }
        call("unprivileged size buffer", 10, NULL, 0);
        call("unprivileged read all", 3, buf, sizeof buf);
        call("unprivileged open", 1, NULL, 0);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    return WEXITSTATUS(st);
}
