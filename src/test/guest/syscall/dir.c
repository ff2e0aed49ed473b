/* getdents and getdents64 (record layout, alignment, d_off and lseek, small buffers), getcwd,
 * chdir and fchdir, getrusage and times: success and the errors Linux gives. Raw syscalls, so
 * glibc and musl make the same calls. Only deterministic facts are printed: sorted names, no
 * inode numbers or times. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <unistd.h>

#ifndef SYS_getdents
#define SYS_getdents 78
#endif

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

struct linux_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

struct linux_dirent {
    unsigned long d_ino;
    unsigned long d_off;
    unsigned short d_reclen;
    char d_name[];
};

struct seen { char name[64]; int type; int reclen; };

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct seen *)a)->name, ((const struct seen *)b)->name);
}

/* Reads the whole directory with the given buffer size and prints what it found, sorted. */
static void list(const char *path, int count, int is64) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    char buf[4096] __attribute__((aligned(8)));
    struct seen seen[64];
    int n = 0, calls = 0, bad = 0;
    long total = 0, r;
    while ((r = syscall(is64 ? SYS_getdents64 : SYS_getdents, fd, buf, count)) > 0) {
        calls++;
        total += r;
        if (r > count) bad++;
        for (long off = 0; off < r;) {
            if (is64) {
                struct linux_dirent64 *d = (void *)(buf + off);
                snprintf(seen[n].name, sizeof seen[n].name, "%s", d->d_name);
                seen[n].type = d->d_type;
                seen[n].reclen = d->d_reclen;
                if (d->d_reclen % 8) bad++;
                off += d->d_reclen;
            } else {
                struct linux_dirent *d = (void *)(buf + off);
                snprintf(seen[n].name, sizeof seen[n].name, "%s", d->d_name);
                seen[n].type = buf[off + d->d_reclen - 1];
                seen[n].reclen = d->d_reclen;
                if (d->d_reclen % 8) bad++;
                off += d->d_reclen;
            }
            n++;
        }
    }
    printf("%s count %d: last %ld (%s), %d entries, %ld bytes, bad %d, calls>0 %d\n", is64 ? "getdents64" : "getdents",
           count, r, r < 0 ? errname(errno) : "end", n, total, bad, calls > 0);
    qsort(seen, n, sizeof seen[0], by_name);
    for (int i = 0; i < n; i++) printf("  %-40s type %2d reclen %d\n", seen[i].name, seen[i].type, seen[i].reclen);
    close(fd);
}

/* d_off names the position after an entry: lseek to it resumes there, lseek to 0 rewinds. */
static void offsets(void) {
    int fd = open("dir", O_RDONLY | O_DIRECTORY);
    char buf[4096] __attribute__((aligned(8)));
    char first[64], third[64];
    long long off2 = -1;
    long r = syscall(SYS_getdents64, fd, buf, sizeof buf);
    struct linux_dirent64 *d = (void *)buf;
    snprintf(first, sizeof first, "%s", d->d_name);
    struct linux_dirent64 *d2 = (void *)(buf + d->d_reclen);
    off2 = d2->d_off;
    struct linux_dirent64 *d3 = (void *)((char *)d2 + d2->d_reclen);
    snprintf(third, sizeof third, "%s", d3->d_name);
    printf("first read %s\n", r > 0 ? "ok" : errname(errno));
    T(syscall(SYS_getdents64, fd, buf, sizeof buf));
    printf("lseek to d_off of entry 2: %d\n", lseek(fd, off2, SEEK_SET) == off2);
    r = syscall(SYS_getdents64, fd, buf, sizeof buf);
    printf("  resumes at entry 3: %d\n", r > 0 && strcmp(((struct linux_dirent64 *)buf)->d_name, third) == 0);
    T(lseek(fd, 0, SEEK_SET));
    r = syscall(SYS_getdents64, fd, buf, sizeof buf);
    printf("  rewinds to entry 1: %d\n", r > 0 && strcmp(((struct linux_dirent64 *)buf)->d_name, first) == 0);
    /* Removing entries already returned does not disturb the walk. */
    lseek(fd, 0, SEEK_SET);
    int seen = 0, removed = 0;
    char victim[64] = "";
    while ((r = syscall(SYS_getdents64, fd, buf, 40)) > 0) {
        struct linux_dirent64 *e = (void *)buf;
        seen++;
        if (e->d_type == DT_REG && !victim[0]) {
            snprintf(victim, sizeof victim, "dir/%s", e->d_name);
            removed = unlink(victim) == 0;
        }
    }
    printf("  one at a time with an unlink: %d entries, removed %d, end %ld\n", seen, removed, r);
    close(fd);
    if (victim[0]) close(open(victim, O_CREAT | O_WRONLY, 0644));
}

static void getdents_errors(void) {
    char buf[256] __attribute__((aligned(8)));
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    int ffd = open("f", O_RDONLY);
    int pfd = open("dir", O_PATH);
    T(syscall(SYS_getdents64, dfd, buf, 10));
    T(syscall(SYS_getdents64, dfd, buf, 23));
    T(syscall(SYS_getdents64, dfd, buf, 24));
    T(syscall(SYS_getdents, dfd, buf, 23));
    T(syscall(SYS_getdents64, dfd, buf, 0));
    T(syscall(SYS_getdents64, ffd, buf, sizeof buf));
    T(syscall(SYS_getdents, ffd, buf, sizeof buf));
    T(syscall(SYS_getdents64, pfd, buf, sizeof buf));
    T(syscall(SYS_getdents64, 99, buf, sizeof buf));
    T(syscall(SYS_getdents64, 0, buf, sizeof buf));
    T(syscall(SYS_getdents64, dfd, NULL, sizeof buf));
    mkdir("gone", 0755);
    int gfd = open("gone", O_RDONLY | O_DIRECTORY);
    rmdir("gone");
    T(syscall(SYS_getdents64, gfd, buf, sizeof buf));
    close(gfd);
    close(dfd);
    close(ffd);
    close(pfd);
}

static void cwd_calls(const char *top) {
    char buf[4096];
    size_t len = strlen(top);
    long r = syscall(SYS_getcwd, buf, sizeof buf);
    printf("getcwd -> %s\n", r == (long)len + 1 && strcmp(buf, top) == 0 ? "len+1, the directory" : errname(errno));
    T(syscall(SYS_getcwd, buf, len + 1) == (long)len + 1);
    T(syscall(SYS_getcwd, buf, len));
    T(syscall(SYS_getcwd, buf, 0));
    T(syscall(SYS_getcwd, buf, 1));
    T(syscall(SYS_getcwd, NULL, sizeof buf));
    T(syscall(SYS_chdir, "dir"));
    syscall(SYS_getcwd, buf, sizeof buf);
    printf("  cwd %s\n", strncmp(buf, top, len) == 0 ? buf + len : buf);
    T(syscall(SYS_chdir, ".."));
    T(syscall(SYS_chdir, "ld"));
    syscall(SYS_getcwd, buf, sizeof buf);
    printf("  cwd %s\n", strncmp(buf, top, len) == 0 ? buf + len : buf);
    T(syscall(SYS_chdir, "../dir/./sub/../.."));
    syscall(SYS_getcwd, buf, sizeof buf);
    printf("  cwd %s\n", strncmp(buf, top, len) == 0 ? buf + len : buf);
    T(syscall(SYS_chdir, "f"));
    T(syscall(SYS_chdir, "f/"));
    T(syscall(SYS_chdir, "lf"));
    T(syscall(SYS_chdir, "missing"));
    T(syscall(SYS_chdir, ""));
    T(syscall(SYS_chdir, NULL));
    T(syscall(SYS_chdir, "nox"));
    T(syscall(SYS_chdir, top));
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    int pfd = open("dir/sub", O_PATH);
    int ffd = open("f", O_RDONLY);
    T(syscall(SYS_fchdir, dfd));
    syscall(SYS_getcwd, buf, sizeof buf);
    printf("  cwd %s\n", strncmp(buf, top, len) == 0 ? buf + len : buf);
    T(syscall(SYS_fchdir, pfd));
    syscall(SYS_getcwd, buf, sizeof buf);
    printf("  cwd %s\n", strncmp(buf, top, len) == 0 ? buf + len : buf);
    T(syscall(SYS_fchdir, ffd));
    T(syscall(SYS_fchdir, 0));
    T(syscall(SYS_fchdir, 99));
    T(syscall(SYS_chdir, top));
    /* The working directory removed from under the process. */
    mkdir("doomed", 0755);
    T(syscall(SYS_chdir, "doomed"));
    T(syscall(SYS_rmdir, top == NULL ? "" : "../doomed"));
    T(syscall(SYS_getcwd, buf, sizeof buf));
    T(syscall(SYS_getcwd, buf, 0));
    T(syscall(SYS_mkdir, "x", 0755));
    T(syscall(SYS_chdir, top));
    close(dfd);
    close(pfd);
    close(ffd);
}

static void usage_calls(void) {
    struct rusage ru;
    memset(&ru, 0x55, sizeof ru);
    T(syscall(SYS_getrusage, RUSAGE_SELF, &ru));
    printf("  self sane %d\n", ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000
                                   && ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000);
    memset(&ru, 0x55, sizeof ru);
    T(syscall(SYS_getrusage, RUSAGE_CHILDREN, &ru));
    printf("  children %ld %ld %ld %ld\n", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
           (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec);
    T(syscall(SYS_getrusage, RUSAGE_THREAD, &ru));
    T(syscall(SYS_getrusage, 5, &ru));
    T(syscall(SYS_getrusage, -2, &ru));
    T(syscall(SYS_getrusage, RUSAGE_SELF, NULL));
    struct tms t;
    memset(&t, 0x55, sizeof t);
    long ticks = syscall(SYS_times, &t);
    printf("times -> %s, children %ld %ld, self sane %d\n", ticks == -1 ? errname(errno) : "ticks", (long)t.tms_cutime,
           (long)t.tms_cstime, t.tms_utime >= 0 && t.tms_stime >= 0);
    long ticks2 = syscall(SYS_times, NULL);
    printf("times(NULL) -> %s, not earlier %d\n", ticks2 == -1 ? errname(errno) : "ticks", ticks2 >= ticks);
    T(syscall(SYS_times, (void *)8));
}

int main(void) {
    char top[] = "/tmp/l4j-dirXXXXXX";
    if (!mkdtemp(top)) { perror("mkdtemp"); return 1; }
    if (chdir(top) < 0) { perror("chdir"); return 1; }
    umask(022);
    close(open("f", O_CREAT | O_WRONLY, 0644));
    mkdir("dir", 0755);
    mkdir("dir/sub", 0755);
    mkdir("nox", 0600);
    symlink("dir", "ld");
    symlink("f", "lf");
    const char *names[] = {"a", "bb", "ccccc", "dddddd", "eeeeeee", "fffffffffffffffffffffffffffffffff",
                           "name with spaces", "x.txt", "y.tar.gz", "zzzzzzzzzzzzz"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        char p[128];
        snprintf(p, sizeof p, "dir/%s", names[i]);
        close(open(p, O_CREAT | O_WRONLY, 0644));
    }
    symlink("a", "dir/link");
    printf("-- getdents\n");
    list("dir", 4096, 1);
    list("dir", 4096, 0);
    list("dir", 64, 1);
    list("dir", 48, 0);
    list("dir/sub", 24, 1);
    offsets();
    getdents_errors();
    printf("-- cwd\n");
    cwd_calls(top);
    printf("-- usage\n");
    usage_calls();
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        char p[128];
        snprintf(p, sizeof p, "dir/%s", names[i]);
        unlink(p);
    }
    unlink("dir/link");
    rmdir("dir/sub");
    rmdir("dir");
    rmdir("nox");
    unlink("f");
    unlink("ld");
    unlink("lf");
    if (chdir("/tmp") < 0 || rmdir(top) < 0) { perror("cleanup"); return 1; }
    printf("done\n");
    return 0;
}
