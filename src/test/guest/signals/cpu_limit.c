/* RLIMIT_CPU (check_process_timers): at the soft limit SIGXCPU (si_code SI_KERNEL), with the soft
 * limit moved up a second each time, so it comes again a second of CPU time later; at the hard
 * limit SIGKILL. A child with soft 1 and hard 2 seconds spins; a second one does not handle
 * SIGXCPU and dies of it. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t count;

static void on_xcpu(int sig, siginfo_t *si, void *ctx) {
    (void)sig;
    (void)ctx;
    count++;
    struct rlimit rl;
    getrlimit(RLIMIT_CPU, &rl);
    char line[96];
    int n = snprintf(line, sizeof line, "SIGXCPU %d si_code %d soft now %ld hard %ld\n", (int)count, si->si_code,
                     (long)rl.rlim_cur, (long)rl.rlim_max);
    write(1, line, n);
}

static void report(const char *what, int status) {
    if (WIFSIGNALED(status)) printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    pid_t child = fork();
    if (child == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_xcpu;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGXCPU, &sa, NULL);
        struct rlimit rl = {1, 2};
        setrlimit(RLIMIT_CPU, &rl);
        for (;;) {
        }
    }
    int status;
    waitpid(child, &status, 0);
    report("handled", status);

    child = fork();
    if (child == 0) {
        struct rlimit rl = {1, RLIM_INFINITY};
        setrlimit(RLIMIT_CPU, &rl);
        for (;;) {
        }
    }
    waitpid(child, &status, 0);
    report("default action", status);

    struct rlimit mine;
    getrlimit(RLIMIT_CPU, &mine);
    printf("parent's limit unchanged: %d\n", mine.rlim_cur == RLIM_INFINITY);
    return 0;
}
