/* kill(2)'s permission check (check_kill_permission, kill_ok_by_cred): a process that is not
 * root may signal processes of its own uid and not root's (EPERM), SIGCONT goes within the
 * session, a process group is EPERM only when every member refuses, kill(-1) passes over those
 * it may not signal, and init (pid 1) is root's: kill(1, 0) succeeds for root only. tgkill,
 * tkill and sigqueue check the same way; rt_sigqueueinfo with a non-negative si_code is EPERM
 * unless to the caller itself, before the target is looked for. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-40s -> %s\n", #call, errname(errno)); else printf("%-40s -> %ld\n", #call, r_); } while (0)

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    T(kill(1, 0));
    T(kill(getpid(), 0));
    T(kill(999999, 0));
    T(kill(getpid(), 65));
    siginfo_t si = {.si_signo = SIGUSR1, .si_code = SI_USER};
    T(syscall(SYS_rt_sigqueueinfo, 999999, SIGUSR1, &si));
    T(syscall(SYS_rt_sigqueueinfo, getpid(), 0, &si));
    T(syscall(SYS_rt_sigqueueinfo, 999999, 0, &si));

    /* a root process alone in its process group */
    int gate[2];
    pipe(gate);
    pid_t lone = fork();
    if (lone == 0) {
        setpgid(0, 0);
        char c;
        read(gate[0], &c, 1);
        _exit(0);
    }
    setpgid(lone, lone);
    pid_t parent = getpid();

    pid_t pid = fork();
    if (pid == 0) {
        close(gate[1]);
        if (setuid(65534) != 0) {
            printf("setuid failed\n");
            _exit(1);
        }
        T(kill(getpid(), 0));
        T(kill(parent, 0));
        T(kill(parent, SIGUSR1));
        T(kill(parent, SIGCONT));
        T(kill(1, 0));
        T(syscall(SYS_tgkill, parent, parent, 0));
        T(syscall(SYS_tgkill, parent, parent, SIGUSR1));
        T(syscall(SYS_tkill, parent, 0));
        union sigval v = {.sival_int = 7};
        T(sigqueue(parent, SIGUSR1, v));
        T(sigqueue(parent, 0, v));
        T(sigqueue(getpid(), 0, v));
        T(kill(-lone, 0));
        T(kill(0, 0));
        T(kill(-1, 0));
        pid_t kid = fork();
        if (kid == 0) {
            pause();
            _exit(0);
        }
        T(kill(kid, SIGTERM));
        int st;
        waitpid(kid, &st, 0);
        printf("kid killed by signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child exited %d\n", WEXITSTATUS(st));
    write(gate[1], "x", 1);
    waitpid(lone, &st, 0);
    return 0;
}
