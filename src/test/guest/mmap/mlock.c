/* mlock(2), munlock(2), mlock2(2), mlockall(2), munlockall(2) (mm/mlock.c): ranges rounded to
 * pages, errno cases, the locked total in /proc/self/status VmLck (a page locked twice counts
 * once, munmap drops it), population of locked pages (mincore), MCL_FUTURE for later mmap, brk
 * and mremap, VmFlags "lo" in smaps, no locks in a fork child or after execve, and
 * RLIMIT_MEMLOCK for a process without CAP_IPC_LOCK. Raw syscalls, as glibc and musl wrappers
 * differ (mlock2). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

static const long pg = 4096;
static char text[1 << 16];

/* Reads a /proc file with read(2) into a static buffer: no malloc, so no heap growth. */
static char *slurp(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { perror(path); exit(1); }
    long n = 0, r;
    while ((r = read(fd, text + n, sizeof text - 1 - n)) > 0) n += r;
    close(fd);
    text[n] = 0;
    return text;
}

static long field(const char *name) {
    char *p = strstr(slurp("/proc/self/status"), name);
    return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

static long vmlck(void) { return field("VmLck:"); }

static const char *ename(int e) {
    switch (e) {
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EPERM: return "EPERM";
    case EAGAIN: return "EAGAIN";
    case EFAULT: return "EFAULT";
    default: return "other";
    }
}

/* One call: its result (or errno name), and VmLck after it unless that depends on the layout. */
static void show(const char *what, long r, int with_vmlck) {
    int e = errno;
    if (r < 0) printf("%-34s -1 %s", what, ename(e));
    else printf("%-34s %ld", what, r);
    if (with_vmlck) printf("  VmLck %ld", vmlck());
    printf("\n");
    fflush(stdout);
}
#define CALL(what, e) do { long r_ = (long)(e); show(what, r_, 1); } while (0)
#define CALL_ONLY(what, e) do { long r_ = (long)(e); show(what, r_, 0); } while (0)

static char *anon(long pages, int prot) {
    char *m = mmap(NULL, pages * pg, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) { perror("mmap"); exit(1); }
    return m;
}

static void residency(const char *what, char *m, long pages) {
    unsigned char vec[16];
    if (mincore(m, pages * pg, vec) < 0) { printf("%s mincore %s\n", what, ename(errno)); return; }
    printf("%s resident ", what);
    for (long i = 0; i < pages; i++) putchar('0' + (vec[i] & 1));
    putchar('\n');
    fflush(stdout);
}

/* The smaps entry of the mapping holding m: whether VmFlags has "lo", and its Locked: counter. */
static void smaps_of(const char *what, char *m) {
    char *p = slurp("/proc/self/smaps");
    while (p) {
        unsigned long a, b;
        char c;
        if (sscanf(p, "%lx-%lx%c", &a, &b, &c) == 3 && c == ' ' && a <= (unsigned long)m && (unsigned long)m < b) break;
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (!p) { printf("%s: no smaps entry\n", what); fflush(stdout); return; }
    char *locked = strstr(p, "\nLocked:");
    char *flags = strstr(p, "\nVmFlags:");
    char *eol = flags ? strchr(flags + 1, '\n') : NULL;
    if (eol) *eol = 0;
    printf("%s: Locked %ld kB, lo %s\n", what, locked ? strtol(locked + 8, NULL, 10) : -1,
           flags && strstr(flags, " lo") ? "yes" : "no");
    fflush(stdout);
}

/* After mlockall(MCL_CURRENT): VmLck is the size of every mapping but the kernel's special ones. */
static void check_all_locked(const char *what) {
    long locked = vmlck();
    char *s = slurp("/proc/self/maps");
    long total = 0;
    for (char *line = s; *line; ) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        unsigned long a, b;
        if (sscanf(line, "%lx-%lx", &a, &b) == 2 && !strstr(line, "[vdso]") && !strstr(line, "[vvar")
                && !strstr(line, "[vsyscall]"))
            total += (b - a) / 1024;
        if (!nl) break;
        line = nl + 1;
    }
    printf("%s: VmLck %s the mappings\n", what, locked == total && total > 0 ? "covers" : "differs from");
    fflush(stdout);
}

static void status(const char *what, int st) {
    if (WIFEXITED(st)) printf("%s: exit %d\n", what, WEXITSTATUS(st));
    else printf("%s: signal %d\n", what, WTERMSIG(st));
    fflush(stdout);
}

static void ranges(void) {
    printf("-- ranges\n");
    char *m = anon(8, PROT_READ | PROT_WRITE);
    CALL("start", 0);
    CALL("mlock 2 pages", syscall(SYS_mlock, m, 2 * pg));
    CALL("mlock overlapping 2", syscall(SYS_mlock, m + pg, 2 * pg));
    CALL("mlock same again", syscall(SYS_mlock, m, 3 * pg));
    CALL("mlock len 0 unaligned start", syscall(SYS_mlock, m + 5 * pg + 1, 0));
    CALL("mlock len 0 aligned", syscall(SYS_mlock, m + 7 * pg, 0));
    CALL("munlock len 0", syscall(SYS_munlock, m, 0));
    CALL("mlock 100 bytes inside a page", syscall(SYS_mlock, m + 6 * pg + 100, 100));
    CALL("mlock 2 bytes across pages", syscall(SYS_mlock, m + 4 * pg - 1, 2));
    CALL("mlock len -1 (wraps to 0)", syscall(SYS_mlock, m, -1L));
    CALL("mlock len -2 pages", syscall(SYS_mlock, m, -2 * pg));
    CALL("mlock end wraps", syscall(SYS_mlock, -pg, pg));
    CALL("mlock address 0", syscall(SYS_mlock, 0, pg));
    CALL("mlock beyond TASK_SIZE", syscall(SYS_mlock, 0x800000000000L, pg));
    CALL("munlock middle page", syscall(SYS_munlock, m + pg, pg));
    CALL("munlock end wraps", syscall(SYS_munlock, -pg, pg));
    CALL("munlock unmapped", syscall(SYS_munlock, 0, pg));
    CALL("munlock all 8", syscall(SYS_munlock, m, 8 * pg));
    CALL("munlock again", syscall(SYS_munlock, m, 8 * pg));

    /* a hole: the pages before it are locked (or unlocked) all the same */
    munmap(m + 2 * pg, pg);
    CALL("mlock across a hole", syscall(SYS_mlock, m, 4 * pg));
    CALL("mlock from the hole", syscall(SYS_mlock, m + 2 * pg, 2 * pg));
    CALL("mlock after the hole", syscall(SYS_mlock, m + 3 * pg, 5 * pg));
    CALL("munlock across the hole", syscall(SYS_munlock, m, 8 * pg));
    CALL("mlock 4 after the hole", syscall(SYS_mlock, m + 4 * pg, 4 * pg));
    CALL("munmap 2 locked pages", munmap(m + 5 * pg, 2 * pg));
    CALL("munmap all", munmap(m, 8 * pg));

    /* locking populates; mprotect keeps the lock; remapping a locked page keeps it */
    char *p = anon(4, PROT_READ | PROT_WRITE);
    residency("fresh", p, 4);
    CALL("mlock first 2", syscall(SYS_mlock, p, 2 * pg));
    residency("after mlock", p, 4);
    smaps_of("locked part", p);
    smaps_of("unlocked part", p + 2 * pg);
    CALL("mprotect locked read-only", mprotect(p, 4 * pg, PROT_READ));
    char *q = mremap(p, 2 * pg, 3 * pg, MREMAP_MAYMOVE);
    CALL("mremap locked 2->3 (moves)", q == MAP_FAILED ? -1 : 0);
    residency("moved", q, 3);
    CALL("munmap the old place", munmap(p, 4 * pg));
    CALL("munmap the new", munmap(q, 3 * pg));
}

static void kinds(void) {
    printf("-- mlock2 and kinds of mapping\n");
    char *m = anon(6, PROT_READ | PROT_WRITE);
    CALL("mlock2 flags 2", syscall(SYS_mlock2, m, pg, 2));
    CALL("mlock2 flags -1", syscall(SYS_mlock2, m, pg, -1));
    CALL("mlock2 unmapped bad flags", syscall(SYS_mlock2, 0, pg, 2));
    CALL("mlock2 flags 0", syscall(SYS_mlock2, m, pg, 0));
    residency("mlock2 0", m, 1);
    CALL("mlock2 ONFAULT 3 pages", syscall(SYS_mlock2, m + 2 * pg, 3 * pg, MLOCK_ONFAULT));
    residency("on fault", m + 2 * pg, 3);
    m[3 * pg] = 1;
    residency("on fault, one touched", m + 2 * pg, 3);
    smaps_of("on fault", m + 2 * pg);
    CALL("mlock them again", syscall(SYS_mlock, m + 2 * pg, 3 * pg));
    residency("mlocked", m + 2 * pg, 3);
    CALL("munmap", munmap(m, 6 * pg));

    char *none = anon(2, PROT_NONE);
    CALL("mlock PROT_NONE", syscall(SYS_mlock, none, 2 * pg));
    residency("PROT_NONE", none, 2);
    CALL("mprotect it read-write", mprotect(none, 2 * pg, PROT_READ | PROT_WRITE));
    residency("now writable", none, 2);
    char *none2 = anon(2, PROT_NONE);
    CALL("mlock2 ONFAULT PROT_NONE", syscall(SYS_mlock2, none2, 2 * pg, MLOCK_ONFAULT));
    char *ro = anon(2, PROT_READ);
    CALL("mlock read-only", syscall(SYS_mlock, ro, 2 * pg));
    residency("read-only", ro, 2);
    char *wo = anon(1, PROT_WRITE);
    CALL("mlock write-only", syscall(SYS_mlock, wo, pg));
    residency("write-only", wo, 1);
    char *xo = anon(1, PROT_EXEC);
    CALL("mlock exec-only", syscall(SYS_mlock, xo, pg));
    residency("exec-only", xo, 1);

    char name[64];
    snprintf(name, sizeof name, "/tmp/l4j-mlock-%d", (int)getpid());
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (write(fd, "x", 1) != 1) { perror("write"); exit(1); }
    char *f = mmap(NULL, 3 * pg, PROT_READ, MAP_PRIVATE, fd, 0);
    CALL("mlock file past EOF", syscall(SYS_mlock, f, 3 * pg));
    residency("file", f, 3);
    char *fs = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CALL("mlock shared file page", syscall(SYS_mlock, fs, pg));
    residency("shared file", fs, 1);
    close(fd);
    unlink(name);
    CALL("munlockall", syscall(SYS_munlockall));
    munmap(none, 2 * pg);
    munmap(none2, 2 * pg);
    munmap(ro, 2 * pg);
    munmap(wo, pg);
    munmap(xo, pg);
    munmap(f, 3 * pg);
    munmap(fs, pg);
}

static void all(void) {
    printf("-- mlockall\n");
    CALL("mlockall 0", syscall(SYS_mlockall, 0));
    CALL("mlockall ONFAULT alone", syscall(SYS_mlockall, MCL_ONFAULT));
    CALL("mlockall 8", syscall(SYS_mlockall, 8));
    CALL("mlockall CURRENT|8", syscall(SYS_mlockall, MCL_CURRENT | 8));
    CALL("munlockall with nothing", syscall(SYS_munlockall));

    char *before = anon(2, PROT_READ | PROT_WRITE);
    CALL("mlockall FUTURE", syscall(SYS_mlockall, MCL_FUTURE));
    char *a = anon(3, PROT_READ | PROT_WRITE);
    CALL("mmap 3 pages", 0);
    residency("new mapping", a, 3);
    char *b = mremap(a, 3 * pg, 5 * pg, MREMAP_MAYMOVE);
    CALL("mremap 3->5 pages", b == MAP_FAILED ? -1 : 0);
    residency("grown", b, 5);
    CALL("mremap 5->2 pages", mremap(b, 5 * pg, 2 * pg, 0) == MAP_FAILED ? -1 : 0);
    long cur = syscall(SYS_brk, 0);
    CALL("brk +2 pages", syscall(SYS_brk, cur + 2 * pg) == cur + 2 * pg ? 0 : -1);
    CALL("brk back", syscall(SYS_brk, cur) == cur ? 0 : -1);
    char *n = anon(2, PROT_NONE);
    CALL("mmap PROT_NONE", 0);
    CALL("munmap the new ones", munmap(b, 2 * pg) | munmap(n, 2 * pg));

    CALL("mlockall FUTURE|ONFAULT", syscall(SYS_mlockall, MCL_FUTURE | MCL_ONFAULT));
    char *c = anon(3, PROT_READ | PROT_WRITE);
    CALL("mmap 3 pages", 0);
    residency("on fault", c, 3);
    char *d = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    CALL("mmap MAP_LOCKED 2 pages", d == MAP_FAILED ? -1 : 0);
    residency("MAP_LOCKED on fault", d, 2);

    /* fork: the child's mappings are not locked, nor its later ones */
    pid_t pid = fork();
    if (pid == 0) {
        CALL("child", 0);
        char *e = anon(2, PROT_READ | PROT_WRITE);
        CALL("child mmap 2 pages", 0);
        smaps_of("child's copy of a locked mapping", c);
        munmap(e, 2 * pg);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    status("child", st);
    CALL("parent", 0);

    CALL_ONLY("mlockall CURRENT", syscall(SYS_mlockall, MCL_CURRENT));
    check_all_locked("mlockall CURRENT");
    long locked = vmlck();
    char *f = anon(2, PROT_READ | PROT_WRITE);
    printf("mmap after CURRENT alone: VmLck +%ld\n", vmlck() - locked);
    residency("after CURRENT", c, 3);
    CALL_ONLY("mlockall CURRENT|FUTURE", syscall(SYS_mlockall, MCL_CURRENT | MCL_FUTURE));
    check_all_locked("mlockall CURRENT|FUTURE");
    CALL("munlockall", syscall(SYS_munlockall));
    char *g = anon(2, PROT_READ | PROT_WRITE);
    CALL("mmap after munlockall", 0);
    smaps_of("after munlockall", before);
    munmap(before, 2 * pg);
    munmap(c, 3 * pg);
    munmap(d, 2 * pg);
    munmap(f, 2 * pg);
    munmap(g, 2 * pg);
}

static int after_exec(void) {
    CALL("after execve", 0);
    char *m = anon(2, PROT_READ | PROT_WRITE);
    CALL("mmap after execve", 0);
    munmap(m, 2 * pg);
    return 0;
}

static void exec(char **argv) {
    printf("-- execve\n");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        anon(2, PROT_READ | PROT_WRITE);
        CALL_ONLY("child mlockall CURRENT|FUTURE", syscall(SYS_mlockall, MCL_CURRENT | MCL_FUTURE));
        check_all_locked("child before execve");
        execl("/proc/self/exe", argv[0], "exec-child", (char *)NULL);
        _exit(99);
    }
    int st;
    waitpid(pid, &st, 0);
    status("execve child", st);
}

static void set_limit(const char *what, rlim_t bytes) {
    struct rlimit rl = {bytes, bytes};
    if (setrlimit(RLIMIT_MEMLOCK, &rl) < 0) { printf("%s: setrlimit %s\n", what, ename(errno)); fflush(stdout); _exit(1); }
    printf("%s\n", what);
    fflush(stdout);
}

static void limits(void) {
    printf("-- RLIMIT_MEMLOCK\n");
    fflush(stdout);
    /* root has CAP_IPC_LOCK: no limit applies (limits are only lowered: raising one needs
     * CAP_SYS_RESOURCE, which a container may not grant) */
    pid_t pid = fork();
    if (pid == 0) {
        char *m = anon(8, PROT_READ | PROT_WRITE);
        set_limit("root, limit 0", 0);
        CALL("mlock 8 pages", syscall(SYS_mlock, m, 8 * pg));
        CALL("mlockall FUTURE", syscall(SYS_mlockall, MCL_FUTURE));
        char *r = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
        CALL("mmap MAP_LOCKED", r == MAP_FAILED ? -1 : 0);
        CALL_ONLY("mlockall CURRENT", syscall(SYS_mlockall, MCL_CURRENT));
        CALL("munlockall", syscall(SYS_munlockall));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    status("root child", st);

    pid = fork();
    if (pid == 0) {
        char *m = anon(8, PROT_READ | PROT_WRITE);
        set_limit("root, limit 4 pages", 4 * pg);
        CALL("mlock 8 pages", syscall(SYS_mlock, m, 8 * pg));
        CALL("munlockall", syscall(SYS_munlockall));

        if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0) { printf("setuid failed\n"); fflush(stdout); _exit(1); }
        printf("uid %d, limit 4 pages\n", (int)getuid());
        CALL("mlock 4 pages", syscall(SYS_mlock, m, 4 * pg));
        CALL("mlock 1..4 (3 already)", syscall(SYS_mlock, m + pg, 4 * pg));
        CALL("mlock 1..3 (all already)", syscall(SYS_mlock, m + pg, 3 * pg));
        CALL("mlock a 5th page", syscall(SYS_mlock, m + 4 * pg, pg));
        CALL("munlock page 0", syscall(SYS_munlock, m, pg));
        CALL("mlock the 5th page", syscall(SYS_mlock, m + 4 * pg, pg));
        CALL("mlock len -2 pages", syscall(SYS_mlock, m, -2 * pg));
        CALL("mlock len -1 (wraps to 0)", syscall(SYS_mlock, m, -1L));
        CALL("mlock unmapped over limit", syscall(SYS_mlock, 0, 8 * pg));
        CALL("mlockall CURRENT", syscall(SYS_mlockall, MCL_CURRENT));
        CALL("mlockall CURRENT|FUTURE", syscall(SYS_mlockall, MCL_CURRENT | MCL_FUTURE));
        char *a = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CALL("mmap (no FUTURE after failure)", a == MAP_FAILED ? -1 : 0);
        CALL("mlockall FUTURE", syscall(SYS_mlockall, MCL_FUTURE));
        char *b = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CALL("mmap 1 page at the limit", b == MAP_FAILED ? -1 : 0);
        long cur = syscall(SYS_brk, 0);
        printf("brk +1 page at the limit: %s\n", syscall(SYS_brk, cur + pg) == cur ? "refused" : "moved");
        CALL("munlock 2 pages", syscall(SYS_munlock, m, 2 * pg));
        b = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CALL("mmap 1 page", b == MAP_FAILED ? -1 : 0);
        char *c = mremap(b, pg, 3 * pg, MREMAP_MAYMOVE);
        CALL("mremap it to 3 pages", c == MAP_FAILED ? -1 : 0);
        CALL("munlock page 2", syscall(SYS_munlock, m + 2 * pg, pg));
        c = mremap(b, pg, 2 * pg, MREMAP_MAYMOVE);
        CALL("mremap it to 2 pages", c == MAP_FAILED ? -1 : 0);
        CALL("munlockall", syscall(SYS_munlockall));
        char *d = mmap(NULL, 5 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
        CALL("mmap MAP_LOCKED 5 pages", d == MAP_FAILED ? -1 : 0);
        d = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
        CALL("mmap MAP_LOCKED 4 pages", d == MAP_FAILED ? -1 : 0);
        CALL("munlockall", syscall(SYS_munlockall));

        set_limit("limit 100 bytes", 100);
        CALL("mlock 1 page", syscall(SYS_mlock, m, pg));
        CALL("mlock len 0", syscall(SYS_mlock, m, 0));
        CALL("mlockall FUTURE", syscall(SYS_mlockall, MCL_FUTURE));
        CALL("munlockall", syscall(SYS_munlockall));

        set_limit("limit 0", 0);
        CALL("mlock 1 page", syscall(SYS_mlock, m, pg));
        CALL("mlock len 0", syscall(SYS_mlock, m, 0));
        CALL("mlock unmapped", syscall(SYS_mlock, 0, pg));
        CALL("mlock2 bad flags", syscall(SYS_mlock2, m, pg, 2));
        CALL("mlock2 ONFAULT", syscall(SYS_mlock2, m, pg, MLOCK_ONFAULT));
        CALL("munlock", syscall(SYS_munlock, m, pg));
        CALL("mlockall 0", syscall(SYS_mlockall, 0));
        CALL("mlockall FUTURE", syscall(SYS_mlockall, MCL_FUTURE));
        CALL("munlockall", syscall(SYS_munlockall));
        /* raw: musl's mmap turns this EPERM into ENOMEM */
        long raw = syscall(SYS_mmap, 0, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
        CALL("mmap MAP_LOCKED", raw < 0 ? -1 : 0);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    status("limits child", st);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) return after_exec();
    ranges();
    kinds();
    all();
    exec(argv);
    limits();
    return 0;
}
