/* /proc/sys/kernel/core_pattern, and the wait status of a child killed by a signal: WCOREDUMP
 * only when a core would be written (do_coredump: a "core" signal, and RLIMIT_CORE of at least a
 * page when cores go to a file, any limit but 1 when they go to a pipe), the same in waitid's
 * CLD_DUMPED. The limits tried stay below a page, so the native run writes no core file here. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *code_name(int code) {
    return code == CLD_EXITED ? "CLD_EXITED" : code == CLD_KILLED ? "CLD_KILLED" : code == CLD_DUMPED ? "CLD_DUMPED" : "?";
}

int main(void) {
    /* the pattern that decides (a file or a pipe), as the host's kernel shows it */
    char pattern[256] = "";
    FILE *f = fopen("/proc/sys/kernel/core_pattern", "r");
    if (f) {
        if (!fgets(pattern, sizeof pattern, f)) pattern[0] = 0;
        fclose(f);
    }
    printf("core_pattern: %s", pattern);
    int sigs[] = {SIGSEGV, SIGABRT, SIGQUIT, SIGTERM, SIGKILL};
    const char *names[] = {"SEGV", "ABRT", "QUIT", "TERM", "KILL"};
    long limits[] = {0, 1, 1000};
    for (unsigned l = 0; l < sizeof limits / sizeof limits[0]; l++) {
        for (unsigned s = 0; s < sizeof sigs / sizeof sigs[0]; s++) {
            pid_t pid = fork();
            if (pid == 0) {
                struct rlimit rl = {limits[l], limits[l]};
                setrlimit(RLIMIT_CORE, &rl);
                kill(getpid(), sigs[s]);
                _exit(99);
            }
            int status;
            waitpid(pid, &status, 0);
            printf("limit %4ld %-8s signalled %d sig %2d core %d\n", limits[l], names[s],
                   WIFSIGNALED(status), WTERMSIG(status), WCOREDUMP(status) ? 1 : 0);
        }
    }
    /* waitid's si_code says the same */
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        raise(SIGSEGV);
        _exit(99);
    }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    waitid(P_PID, pid, &si, WEXITED);
    printf("waitid: %s status %d\n", code_name(si.si_code), si.si_status);
    return 0;
}
