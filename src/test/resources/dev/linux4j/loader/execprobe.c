/* Runs FILE with execve(2) in a child and reports how it went:
 * "errno N" when execve returned, "exit N" or "signal N" otherwise. */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int fds[2];
    if (argc < 2 || pipe(fds) != 0) return 2;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        char *args[] = {argv[1], NULL};
        char *env[] = {NULL};
        execve(argv[1], args, env);
        int e = errno;
        (void) !write(fds[1], &e, sizeof e);
        _exit(127);
    }
    close(fds[1]);
    int e;
    int status;
    ssize_t n = read(fds[0], &e, sizeof e);
    waitpid(pid, &status, 0);
    if (n == sizeof e) printf("errno %d\n", e);
    else if (WIFSIGNALED(status)) printf("signal %d\n", WTERMSIG(status));
    else printf("exit %d\n", WEXITSTATUS(status));
    return 0;
}
