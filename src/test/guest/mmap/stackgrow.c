/* The [stack] mapping starts small and grows down on demand (expand_downwards), within
 * RLIMIT_STACK and never closer than stack_guard_gap (1 MiB) to a mapping below it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* The [stack] mapping's start and end, from /proc/self/maps. */
static void stack_vma(unsigned long *start, unsigned long *end) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    *start = *end = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "[stack]")) {
            sscanf(line, "%lx-%lx", start, end);
        }
    }
    fclose(f);
}

/* Uses about kib KiB of stack, touching every page of it. */
static int __attribute__((noinline)) deep(int kib) {
    volatile char buf[4096];
    buf[0] = (char)kib;
    buf[4095] = 1;
    if (kib <= 4) {
        return buf[0];
    }
    return deep(kib - 4) + buf[4095];
}

/* Runs deep(kib) in a child; prints how the child ended. */
static void in_child(const char *what, int kib, rlim_t limit, long gap_mapping) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (limit) {
            struct rlimit rl = {limit, RLIM_INFINITY};
            setrlimit(RLIMIT_STACK, &rl);
        }
        if (gap_mapping) {
            unsigned long s, e;
            stack_vma(&s, &e);
            void *p = mmap((void *)(s - gap_mapping), 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
            if (p == MAP_FAILED) {
                _exit(99);
            }
        }
        deep(kib);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) {
        printf("%s: killed by signal %d\n", what, WTERMSIG(st));
    } else {
        printf("%s: exit %d\n", what, WEXITSTATUS(st));
    }
}

int main(void) {
    unsigned long s, e;
    stack_vma(&s, &e);
    printf("initial [stack] under 1 MiB: %s\n", e - s < (1 << 20) ? "yes" : "no");

    in_child("2 MiB deep, RLIMIT_STACK 1 MiB", 2048, 1 << 20, 0);
    in_child("512 KiB deep, RLIMIT_STACK 1 MiB", 512, 1 << 20, 0);
    /* a page mapped 2 MiB below the stack: growing 0.5 MiB keeps 1.5 MiB of gap, 1.5 MiB only 0.5 */
    in_child("512 KiB deep, a mapping 2 MiB below", 512, 0, 2 << 20);
    in_child("1.5 MiB deep, a mapping 2 MiB below", 1536, 0, 2 << 20);

    deep(4096);
    stack_vma(&s, &e);
    printf("after 4 MiB deep, [stack] at least 4 MiB: %s\n", e - s >= (4 << 20) ? "yes" : "no");
    return 0;
}
