/* execve of another program (and of this one), a #! script, close-on-exec, errors, signals reset. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void handler(int sig) { (void)sig; }

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        struct sigaction sa;
        sigaction(SIGUSR1, 0, &sa);
        int ign = signal(SIGUSR2, SIG_DFL) == SIG_IGN;
        printf("child: argc=%d arg2=%s usr1_dfl=%d usr2_ign=%d fd3=%d fd4=%d env=%s\n", argc, argv[2],
               sa.sa_handler == SIG_DFL, ign, fcntl(3, F_GETFD) >= 0, fcntl(4, F_GETFD) >= 0, getenv("FOO"));
        return 7;
    }
    signal(SIGUSR1, handler);
    signal(SIGUSR2, SIG_IGN);
    int a = open("/dev/null", O_RDONLY);          /* stays open: fd 3 */
    int b = open("/dev/null", O_RDONLY | O_CLOEXEC); /* closed by exec: fd 4 */
    (void)a;
    (void)b;
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        char *args[] = {argv[0], "child", "two", 0};
        char *env[] = {"FOO=bar", 0};
        execve("/proc/self/exe", args, env);
        execve(argv[0], args, env);
        _exit(127);
    }
    int st, r;
    waitpid(p, &st, 0);
    printf("exit %d\n", WEXITSTATUS(st));
    fflush(stdout);
    char *none[] = {"x", 0};
    r = execve("/nonexistent/prog", none, none);
    printf("enoent: %d %s\n", r, strerror(errno));
    r = execve("/tmp", none, none);
    printf("eacces: %d %s\n", r, strerror(errno));
    char script[] = "/tmp/linux4j-exec-script-XXXXXX";
    int fd = mkstemp(script);
    const char *text = "#!/bin/sh -e\necho script \"$1\"\nexit 3\n";
    write(fd, text, strlen(text));
    close(fd);
    chmod(script, 0755);
    fflush(stdout);
    p = fork();
    if (p == 0) {
        char *args[] = {"ignored", "arg1", 0};
        char *env[] = {"PATH=/bin:/usr/bin", 0};
        execve(script, args, env);
        _exit(127);
    }
    waitpid(p, &st, 0);
    printf("script exit %d\n", WEXITSTATUS(st));
    char noexec[] = "/tmp/linux4j-exec-junk-XXXXXX";
    fd = mkstemp(noexec);
    write(fd, "junk\n", 5);
    close(fd);
    chmod(noexec, 0755);
    r = execve(noexec, none, none);
    printf("enoexec: %d %s\n", r, strerror(errno));
    unlink(script);
    unlink(noexec);
    return 0;
}
