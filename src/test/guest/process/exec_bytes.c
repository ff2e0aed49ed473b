/* execve(2) passes the argument and environment strings on as bytes, whatever they are: invalid
 * UTF-8 (a lone 0xff, a sequence cut short, an encoded surrogate), valid UTF-8 and ASCII arrive
 * unchanged, as /proc/self/cmdline shows too. linux4j replaced each invalid byte with U+FFFD's
 * three bytes (found by python3's test_subprocess, test_undecodable_env). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void hex(const char *what, const char *s) {
    printf("%s:", what);
    for (; *s; s++) printf(" %02x", (unsigned char)*s);
    printf("\n");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "--child") == 0) {
        for (int i = 2; i < argc; i++) hex("arg", argv[i]);
        hex("env X", getenv("X") ? getenv("X") : "(none)");
        hex("env Y", getenv("Y") ? getenv("Y") : "(none)");
        char buf[4096];
        FILE *f = fopen("/proc/self/cmdline", "r");
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        size_t skip = strlen(buf) + 1; /* the program's own path differs between the runs */
        printf("cmdline after argv[0]:");
        for (size_t i = skip; i < n; i++) printf(" %02x", (unsigned char)buf[i]);
        printf("\n");
        return 0;
    }
    char *args[] = {argv[0], "--child", "\xff\xfe", "a\xc3", "\xed\xa0\x80z", "caf\xc3\xa9 \xe2\x82\xac", "plain", NULL};
    char *env[] = {"X=abc\xff", "Y=\xc3\xa9\x80", NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execve("/proc/self/exe", args, env);
        perror("execve");
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}
