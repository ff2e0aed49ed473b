/* /proc/self/cmdline reads the argument area of the guest's own memory, as get_mm_cmdline does:
 * changes a program makes to its argv strings show, and when the NUL ending the arguments is
 * overwritten (setproctitle) the text runs on to the next NUL. /proc/self/stat and status keep
 * comm. Prints the bytes read, with NULs shown as '|'. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static void show(const char *label) {
    char buf[8192];
    int fd = open("/proc/self/cmdline", O_RDONLY);
    int t = 0, n;
    while (t < (int)sizeof buf && (n = read(fd, buf + t, sizeof buf - t)) > 0) t += n;
    close(fd);
    printf("%s (%d):", label, t);
    const char *base = NULL;
    /* The first string is the program path, which differs between builds: print its length only. */
    size_t first = strnlen(buf, t);
    printf(" [%zu bytes]", first);
    for (int i = (int)first; i < t; i++) putchar(buf[i] ? buf[i] : '|');
    putchar('\n');
    (void)base;
}

int main(int argc, char **argv) {
    (void)argc;
    show("initial");
    size_t len = strlen(argv[0]);
    memset(argv[0], 'x', len);
    show("argv[0] overwritten");
    /* setproctitle: write a title over argv[0] and its terminating NUL. Each run has at least one
     * environment string after the arguments, which is where the text runs on to. */
    argv[0][len] = '!';
    {
        /* What Linux shows: the title, then the first environment string, up to its NUL. */
        char want[8192], got[8192];
        snprintf(want, sizeof want, "%.*s!%s", (int)len, argv[0], environ[0]);
        int fd = open("/proc/self/cmdline", O_RDONLY);
        int n = read(fd, got, sizeof got);
        close(fd);
        printf("runs into the environment: %s\n",
                n == (int)strlen(want) + 1 && memcmp(got, want, n) == 0 ? "ok" : "MISMATCH");
    }
    argv[0][len] = 0;
    show("terminator restored");
    char comm[64];
    int fd = open("/proc/self/comm", O_RDONLY);
    int n = read(fd, comm, sizeof comm - 1);
    close(fd);
    comm[n > 0 ? n : 0] = 0;
    printf("comm unchanged: %d\n", strlen(comm) > 1);
    return 0;
}
