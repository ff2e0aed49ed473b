/* Prints argc, argv and the environment (the runner gives both sides the same fixed env). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
extern char **environ;

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
    printf("argv[argc] %s\n", argv[argc] == NULL ? "NULL" : "not NULL");
    int n = 0;
    for (char **e = environ; *e; e++) printf("environ[%d] = %s\n", n++, *e);
    char **copy = malloc((n + 1) * sizeof *copy);
    memcpy(copy, environ, n * sizeof *copy);
    qsort(copy, n, sizeof *copy, cmp);
    for (int i = 0; i < n; i++) printf("sorted %s\n", copy[i]);
    printf("getenv PATH=%s TZ=%s MISSING=%s\n", getenv("PATH"), getenv("TZ"), getenv("MISSING") ? "set" : "(null)");
    setenv("NEWVAR", "value", 1);
    setenv("TZ", "Europe/Paris", 0);
    unsetenv("TERM");
    printf("after setenv NEWVAR=%s TZ=%s TERM=%s\n", getenv("NEWVAR"), getenv("TZ"), getenv("TERM") ? "set" : "(null)");
    return 0;
}
