/* /proc/self describes the guest: exe, cmdline, environ, comm, cwd, root, stat, status field
 * names and values, maps (stack, heap, program text), fd/ and fdinfo/, task/, thread-self,
 * auxv, limits columns and a few machine-wide files. Prints only what must match on Linux:
 * comparisons with what the program knows about itself, and field names. */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static char buf[1 << 16];

/* Reads a whole file into buf; returns its length or -1. */
static int slurp(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int t = 0, n;
    while (t < (int)sizeof buf - 1 && (n = read(fd, buf + t, sizeof buf - 1 - t)) > 0) t += n;
    close(fd);
    buf[t] = 0;
    return t;
}

static void check(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "MISMATCH"); }

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* The value after "Name:\t" in status, or NULL. */
static const char *field(const char *status, const char *name) {
    static char val[256];
    size_t len = strlen(name);
    for (const char *p = status; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, name, len) == 0 && p[len] == ':') {
            const char *v = p + len + 1;
            while (*v == '\t' || *v == ' ') v++;
            size_t n = strcspn(v, "\n");
            if (n >= sizeof val) n = sizeof val - 1;
            memcpy(val, v, n);
            val[n] = 0;
            return val;
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    char path[PATH_MAX], real[PATH_MAX], link[PATH_MAX];
    ssize_t n;

    /* self and thread-self */
    n = readlink("/proc/self", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    snprintf(path, sizeof path, "%d", getpid());
    check("self is getpid", strcmp(link, path) == 0);
    n = readlink("/proc/thread-self", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    snprintf(path, sizeof path, "%d/task/%ld", getpid(), (long)syscall(SYS_gettid));
    check("thread-self is pid/task/tid", strcmp(link, path) == 0);

    /* exe, cwd, root */
    n = readlink("/proc/self/exe", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check("exe is realpath(argv[0])", realpath(argv[0], real) && strcmp(link, real) == 0);
    n = readlink("/proc/self/cwd", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check("cwd is getcwd", getcwd(path, sizeof path) && strcmp(link, path) == 0);
    n = readlink("/proc/self/root", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("root: %s\n", link);

    /* cmdline, environ, comm */
    int len = slurp("/proc/self/cmdline");
    int off = 0, same = 1;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]) + 1;
        if (off + (int)l > len || memcmp(buf + off, argv[i], l) != 0) same = 0;
        off += l;
    }
    check("cmdline is argv", same && off == len);
    len = slurp("/proc/self/environ");
    off = 0;
    same = 1;
    for (char **e = environ; *e; e++) {
        size_t l = strlen(*e) + 1;
        if (off + (int)l > len || memcmp(buf + off, *e, l) != 0) same = 0;
        off += l;
    }
    check("environ is environ", same && off == len);
    slurp("/proc/self/comm");
    const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    size_t want_len = strlen(base) < 15 ? strlen(base) : 15;
    check("comm is the name, 15 bytes at most", strlen(buf) == want_len + 1 && strncmp(buf, base, want_len) == 0
            && buf[want_len] == '\n');

    /* status: names in order, and the values the program can check */
    slurp("/proc/self/status");
    char status[8192];
    snprintf(status, sizeof status, "%s", buf);
    printf("status fields:");
    for (char *p = status; *p; ) {
        char *colon = strchr(p, ':');
        char *nl = strchr(p, '\n');
        if (!colon || !nl) break;
        printf(" %.*s", (int)(colon - p), p);
        p = nl + 1;
    }
    printf("\n");
    char want[64];
    snprintf(want, sizeof want, "%d", getpid());
    check("status Pid", field(status, "Pid") && strcmp(field(status, "Pid"), want) == 0);
    check("status Tgid", field(status, "Tgid") && strcmp(field(status, "Tgid"), want) == 0);
    snprintf(want, sizeof want, "%d", getppid());
    check("status PPid", field(status, "PPid") && strcmp(field(status, "PPid"), want) == 0);
    snprintf(want, sizeof want, "%d\t%d\t%d\t%d", getuid(), geteuid(), geteuid(), geteuid());
    check("status Uid", field(status, "Uid") && strcmp(field(status, "Uid"), want) == 0);
    mode_t mask = umask(0);
    umask(mask);
    snprintf(want, sizeof want, "%04o", mask);
    check("status Umask", field(status, "Umask") && strcmp(field(status, "Umask"), want) == 0);
    printf("status State: %s\n", field(status, "State"));
    printf("status Threads: %s\n", field(status, "Threads"));

    /* stat */
    slurp("/proc/self/stat");
    int spid = 0, sppid = 0;
    char state = 0;
    char *rp = strrchr(buf, ')');
    sscanf(buf, "%d", &spid);
    if (rp) sscanf(rp + 2, "%c %d", &state, &sppid);
    check("stat pid", spid == getpid());
    check("stat ppid", sppid == getppid());
    printf("stat state: %c\n", state);
    int fields = 0;
    for (char *p = rp + 1; *p; p++) if (*p == ' ') fields++;
    printf("stat fields after comm: %d\n", fields);
    printf("stat comm: %.*s\n", (int)(rp - strchr(buf, '(') + 1), strchr(buf, '('));

    /* statm: seven numbers */
    slurp("/proc/self/statm");
    long m[7];
    printf("statm numbers: %d\n", sscanf(buf, "%ld %ld %ld %ld %ld %ld %ld", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
            &m[6]));

    /* maps: grow the heap with brk, then look for [heap], [stack] and the program's text */
    long cur = syscall(SYS_brk, 0);
    syscall(SYS_brk, cur + 8192);
    slurp("/proc/self/maps");
    int heap = 0, stack = 0, text = 0;
    for (char *line = buf; *line; ) {
        char *nl = strchr(line, '\n');
        *nl = 0;
        char perms[5] = {0};
        unsigned long lo, hi;
        sscanf(line, "%lx-%lx %4s", &lo, &hi, perms);
        if (strstr(line, "[heap]") && strcmp(perms, "rw-p") == 0 && strlen(line) == 73 + 6) heap = 1;
        if (strstr(line, "[stack]") && strcmp(perms, "rw-p") == 0 && strlen(line) == 73 + 7
                && lo <= (unsigned long)&lo && (unsigned long)&lo < hi) stack = 1;
        if (strstr(line, real) && strcmp(perms, "r-xp") == 0 && lo <= (unsigned long)main
                && (unsigned long)main < hi) text = 1;
        line = nl + 1;
    }
    check("maps has the heap", heap);
    check("maps has the stack around a local", stack);
    check("maps has the program text around main", text);

    /* fd/ and fdinfo/ */
    int fd = open(argv[0], O_RDONLY | O_CLOEXEC);
    char got[8];
    if (read(fd, got, 5) != 5) return 1;
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check("fd link is the opened file", strcmp(link, real) == 0);
    int via = open(path, O_RDONLY);
    check("opening the fd link reaches the file", via >= 0 && read(via, got, 4) == 4 && memcmp(got, "\177ELF", 4) == 0);
    close(via);
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    slurp(path);
    printf("fdinfo pos: %s\n", field(buf, "pos"));
    printf("fdinfo flags: %s\n", field(buf, "flags"));
    DIR *d = opendir("/proc/self/fd");
    int fds[64], nfds = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && nfds < 64) if (e->d_name[0] != '.') fds[nfds++] = atoi(e->d_name);
    closedir(d);
    qsort(fds, nfds, sizeof fds[0], cmp_int);
    printf("fd:");
    for (int i = 0; i < nfds; i++) printf(" %d", fds[i]);
    printf("\n");
    close(fd);

    /* task/ holds exactly this thread */
    d = opendir("/proc/self/task");
    int tasks = 0, mine = 0;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        tasks++;
        if (atoi(e->d_name) == (int)syscall(SYS_gettid)) mine = 1;
    }
    closedir(d);
    check("task has this thread only", tasks == 1 && mine);
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", (long)syscall(SYS_gettid));
    check("task/tid/stat readable", slurp(path) > 0);

    /* auxv */
    len = slurp("/proc/self/auxv");
    unsigned long pagesz = 0, entry = 0, last = 1;
    for (int i = 0; i + 16 <= len; i += 16) {
        unsigned long k, v;
        memcpy(&k, buf + i, 8);
        memcpy(&v, buf + i + 8, 8);
        if (k == AT_PAGESZ) pagesz = v;
        if (k == AT_ENTRY) entry = v;
        last = k;
    }
    check("auxv AT_PAGESZ", pagesz == 4096);
    check("auxv AT_ENTRY is getauxval's", entry == getauxval(AT_ENTRY));
    check("auxv ends with AT_NULL", last == AT_NULL && len % 16 == 0);

    /* limits: the header and the names column */
    slurp("/proc/self/limits");
    printf("limits header: %.*s|\n", (int)strcspn(buf, "\n"), buf);
    printf("limits names:");
    for (char *line = strchr(buf, '\n') + 1; *line; line = strchr(line, '\n') + 1) printf(" [%.25s]", line);
    printf("\n");

    /* machine-wide */
    slurp("/proc/sys/kernel/ostype");
    printf("ostype: %s", buf);
    slurp("/proc/uptime");
    double up, idle;
    printf("uptime numbers: %d\n", sscanf(buf, "%lf %lf", &up, &idle));
    slurp("/proc/meminfo");
    printf("meminfo first: %.16s\n", buf);
    slurp("/proc/cpuinfo");
    printf("cpuinfo starts: %.14s\n", buf);
    printf("cpuinfo has flags: %d\n", strstr(buf, "\nflags\t\t: fpu ") != NULL);
    slurp("/proc/version");
    printf("version starts: %.14s\n", buf);
    n = readlink("/proc/mounts", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("mounts -> %s\n", link);
    slurp("/proc/self/mountinfo");
    printf("mountinfo has /proc: %d\n", strstr(buf, " /proc ") != NULL && strstr(buf, " - proc ") != NULL);
    struct stat st;
    stat("/proc/self/status", &st);
    printf("status mode %o size %ld\n", st.st_mode, (long)st.st_size);
    lstat("/proc/self", &st);
    printf("self mode %o\n", st.st_mode);
    stat("/proc/self/fd", &st);
    printf("fd dir mode %o\n", st.st_mode);
    stat("/proc/self/environ", &st);
    printf("environ mode %o\n", st.st_mode);
    return 0;
}
