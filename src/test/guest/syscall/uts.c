/* sethostname(2) and setdomainname(2) as raw calls: EINVAL for a length that is negative or
 * past 64, EFAULT, and, in a child that gives up root, EPERM before anything else. Nothing
 * here may succeed: the native run is root, and a call that passed its checks would rename the
 * host (CliTest.sethostnameRenamesTheGuestOnly checks what a successful call does). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-56s -> %s\n", #call, errname(errno)); else printf("%-56s -> %ld (!)\n", #call, r_); } while (0)

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char name[80] = "name";
    T(syscall(SYS_sethostname, name, 65));
    T(syscall(SYS_sethostname, name, -1));
    T(syscall(SYS_sethostname, name, 1L << 32 | 65));
    T(syscall(SYS_sethostname, (void *)8, 4));
    T(syscall(SYS_setdomainname, name, 65));
    T(syscall(SYS_setdomainname, name, -5));
    T(syscall(SYS_setdomainname, NULL, 4));
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(65534) < 0) return 1;
        T(syscall(SYS_sethostname, name, 4));
        T(syscall(SYS_sethostname, name, 65));
        T(syscall(SYS_sethostname, NULL, 4));
        T(syscall(SYS_setdomainname, name, 4));
        T(sethostname(name, 4));
        return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}
