/* access/faccessat/faccessat2, chmod family, truncate/ftruncate, utimensat/utimes/utime and
 * statfs/fstatfs: success and the errors Linux gives. Raw syscalls, so glibc and musl make the same
 * calls. The guest runs as the host user: stdin is a pipe in the test runner. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static void show(const char *path) {
    struct stat st;
    if (syscall(SYS_lstat, path, &st) < 0) {
        printf("  %s: %s\n", path, errname(errno));
        return;
    }
    printf("  %s: mode %06o size %ld\n", path, st.st_mode, S_ISDIR(st.st_mode) ? 0L : (long)st.st_size);
}

static void times_of(const char *path) {
    struct stat st;
    if (syscall(SYS_lstat, path, &st) < 0) {
        printf("  %s: %s\n", path, errname(errno));
        return;
    }
    printf("  %s: atime %ld.%09ld mtime %ld.%09ld\n", path, (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

/* Whether a time is within a minute of now: UTIME_NOW results cannot be printed exactly. */
static void recent(const char *path) {
    struct stat st;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (syscall(SYS_lstat, path, &st) < 0) {
        printf("  %s: %s\n", path, errname(errno));
        return;
    }
    long da = now.tv_sec - st.st_atim.tv_sec, dm = now.tv_sec - st.st_mtim.tv_sec;
    printf("  %s: atime %s mtime %s\n", path, da >= -60 && da <= 60 ? "now" : "old", dm >= -60 && dm <= 60 ? "now" : "old");
}

static void access_calls(void) {
    T(syscall(SYS_access, "f", F_OK));
    T(syscall(SYS_access, "f", R_OK | W_OK));
    T(syscall(SYS_access, "f", X_OK));
    T(syscall(SYS_access, "x", X_OK));
    T(syscall(SYS_access, "dir", R_OK | W_OK | X_OK));
    T(syscall(SYS_access, "f", 8));
    T(syscall(SYS_access, "f", -1));
    T(syscall(SYS_access, "missing", F_OK));
    T(syscall(SYS_access, "dang", F_OK));
    T(syscall(SYS_access, "lf", R_OK));
    T(syscall(SYS_access, "f/", F_OK));
    T(syscall(SYS_access, "", F_OK));
    T(syscall(SYS_access, NULL, F_OK));
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    int ffd = open("f", O_RDONLY);
    T(syscall(SYS_faccessat, dfd, "../f", R_OK));
    T(syscall(SYS_faccessat, dfd, "missing", R_OK));
    T(syscall(SYS_faccessat, ffd, "x", R_OK));
    T(syscall(SYS_faccessat, 99, "x", R_OK));
    T(syscall(SYS_faccessat, 99, "/tmp", R_OK));
    T(syscall(SYS_faccessat2, AT_FDCWD, "dang", W_OK, AT_SYMLINK_NOFOLLOW));
    T(syscall(SYS_faccessat2, AT_FDCWD, "dang", W_OK, 0));
    T(syscall(SYS_faccessat2, AT_FDCWD, "f", R_OK, AT_EACCESS));
    T(syscall(SYS_faccessat2, AT_FDCWD, "f", R_OK, 0x2));
    T(syscall(SYS_faccessat2, AT_FDCWD, "f", 8, 0));
    T(syscall(SYS_faccessat2, ffd, "", R_OK, AT_EMPTY_PATH));
    T(syscall(SYS_faccessat2, ffd, "", X_OK, AT_EMPTY_PATH));
    T(syscall(SYS_faccessat2, ffd, "", R_OK, 0));
    T(syscall(SYS_faccessat2, AT_FDCWD, "", X_OK, AT_EMPTY_PATH));
    close(dfd);
    close(ffd);
}

static void chmod_calls(void) {
    T(syscall(SYS_chmod, "f", 0600));
    show("f");
    T(syscall(SYS_chmod, "f", 0177777));
    show("f");
    T(syscall(SYS_chmod, "lf", 0640));
    show("f");
    show("lf");
    T(syscall(SYS_chmod, "dang", 0640));
    T(syscall(SYS_chmod, "missing", 0640));
    T(syscall(SYS_chmod, "f/", 0640));
    T(syscall(SYS_chmod, "dir", 01777));
    show("dir");
    int fd = open("f", O_RDONLY);
    int pfd = open("f", O_PATH);
    T(syscall(SYS_fchmod, fd, 0604));
    show("f");
    T(syscall(SYS_fchmod, pfd, 0604));
    T(syscall(SYS_fchmod, 99, 0604));
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_fchmodat, dfd, "../f", 0614));
    show("f");
    T(syscall(SYS_fchmodat, dfd, "", 0614));
    T(syscall(SYS_fchmodat, fd, "x", 0614));
    T(syscall(SYS_fchmodat2, AT_FDCWD, "lf", 0600, AT_SYMLINK_NOFOLLOW));
    T(syscall(SYS_fchmodat2, AT_FDCWD, "dang", 0600, AT_SYMLINK_NOFOLLOW));
    T(syscall(SYS_fchmodat2, AT_FDCWD, "f", 0600, AT_SYMLINK_NOFOLLOW));
    show("f");
    T(syscall(SYS_fchmodat2, AT_FDCWD, "f", 0600, 0x4));
    T(syscall(SYS_fchmodat2, pfd, "", 0640, AT_EMPTY_PATH));
    show("f");
    T(syscall(SYS_fchmodat2, pfd, "", 0640, 0));
    T(syscall(SYS_chmod, "dir", 0755));
    close(fd);
    close(pfd);
    close(dfd);
}

static void truncate_calls(void) {
    T(syscall(SYS_truncate, "f", 3L));
    show("f");
    T(syscall(SYS_truncate, "f", 10000L));
    show("f");
    T(syscall(SYS_truncate, "lf", 4L));
    show("f");
    T(syscall(SYS_truncate, "f", -1L));
    T(syscall(SYS_truncate, "dir", 0L));
    T(syscall(SYS_truncate, "dir", -1L));
    T(syscall(SYS_truncate, "missing", 0L));
    T(syscall(SYS_truncate, "dang", 0L));
    T(syscall(SYS_truncate, "", 0L));
    int rw = open("f", O_RDWR);
    int ro = open("f", O_RDONLY);
    int pfd = open("f", O_PATH);
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_ftruncate, rw, 7L));
    show("f");
    char buf[16] = {0};
    pread(rw, buf, sizeof buf, 0);
    printf("  content [%s] then %d %d %d\n", buf, buf[4], buf[5], buf[6]);
    T(syscall(SYS_ftruncate, rw, 0L));
    show("f");
    T(syscall(SYS_ftruncate, rw, -1L));
    T(syscall(SYS_ftruncate, ro, 1L));
    T(syscall(SYS_ftruncate, pfd, 1L));
    T(syscall(SYS_ftruncate, dfd, 1L));
    T(syscall(SYS_ftruncate, 99, 1L));
    T(syscall(SYS_ftruncate, 99, -1L));
    close(rw);
    close(ro);
    close(pfd);
    close(dfd);
}

static void utime_calls(void) {
    struct timespec ts[2] = {{1000000000, 123456789}, {1234567890, 987654321}};
    T(syscall(SYS_utimensat, AT_FDCWD, "f", ts, 0));
    times_of("f");
    struct timespec omit_a[2] = {{5, UTIME_OMIT}, {1300000000, 5}};
    T(syscall(SYS_utimensat, AT_FDCWD, "f", omit_a, 0));
    times_of("f");
    struct timespec omit_m[2] = {{1400000000, 0}, {5, UTIME_OMIT}};
    T(syscall(SYS_utimensat, AT_FDCWD, "lf", omit_m, 0));
    times_of("f");
    struct timespec now_m[2] = {{5, UTIME_OMIT}, {5, UTIME_NOW}};
    T(syscall(SYS_utimensat, AT_FDCWD, "f", now_m, 0));
    recent("f");
    T(syscall(SYS_utimensat, AT_FDCWD, "f", NULL, 0));
    recent("f");
    struct timespec old[2] = {{100, 0}, {200, 0}};
    T(syscall(SYS_utimensat, AT_FDCWD, "lf", old, AT_SYMLINK_NOFOLLOW));
    times_of("lf");
    recent("f");
    T(syscall(SYS_utimensat, AT_FDCWD, "dang", old, AT_SYMLINK_NOFOLLOW));
    times_of("dang");
    T(syscall(SYS_utimensat, AT_FDCWD, "dang", old, 0));
    struct timespec omit[2] = {{5, UTIME_OMIT}, {5, UTIME_OMIT}};
    T(syscall(SYS_utimensat, AT_FDCWD, "missing", omit, 0));
    T(syscall(SYS_utimensat, AT_FDCWD, "missing", omit, 0x4444));
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    T(syscall(SYS_utimensat, AT_FDCWD, "missing", bad, 0));
    T(syscall(SYS_utimensat, AT_FDCWD, "f", bad, 0));
    struct timespec neg[2] = {{0, -1}, {0, 0}};
    T(syscall(SYS_utimensat, AT_FDCWD, "f", neg, 0));
    T(syscall(SYS_utimensat, AT_FDCWD, "f", ts, 0x4444));
    T(syscall(SYS_utimensat, AT_FDCWD, NULL, ts, 0));
    T(syscall(SYS_utimensat, AT_FDCWD, "", ts, 0));
    T(syscall(SYS_utimensat, AT_FDCWD, "f", (void *)8, 0));
    int fd = open("f", O_RDONLY);
    int pfd = open("f", O_PATH);
    T(syscall(SYS_utimensat, fd, NULL, old, 0));
    times_of("f");
    T(syscall(SYS_utimensat, fd, NULL, old, AT_SYMLINK_NOFOLLOW));
    T(syscall(SYS_utimensat, pfd, NULL, old, 0));
    T(syscall(SYS_utimensat, pfd, "", ts, AT_EMPTY_PATH));
    times_of("f");
    T(syscall(SYS_utimensat, 99, NULL, old, 0));
    T(syscall(SYS_utimensat, fd, "x", old, 0));
    struct timeval tv[2] = {{300, 1}, {400, 999999}};
    T(syscall(SYS_utimes, "f", tv));
    times_of("f");
    struct timeval badtv[2] = {{300, 1000000}, {400, 0}};
    T(syscall(SYS_utimes, "missing", badtv));
    T(syscall(SYS_utimes, "f", badtv));
    T(syscall(SYS_utimes, "missing", tv));
    T(syscall(SYS_utimes, "f", NULL));
    recent("f");
    struct utimbuf { long actime, modtime; } ub = {500, 600};
    T(syscall(SYS_utime, "f", &ub));
    times_of("f");
    T(syscall(SYS_utime, "lf", NULL));
    recent("f");
    T(syscall(SYS_utime, "missing", &ub));
    T(syscall(SYS_utime, "f", (void *)8));
    close(fd);
    close(pfd);
}

static void statfs_calls(void) {
    struct statfs a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0x55, sizeof b);
    T(syscall(SYS_statfs, ".", &a));
    int fd = open("f", O_RDONLY);
    T(syscall(SYS_fstatfs, fd, &b));
    printf("  same type %d bsize %d namelen %d frsize %d fsid %d flags %d\n", a.f_type == b.f_type,
           a.f_bsize == b.f_bsize, a.f_namelen == b.f_namelen, a.f_frsize == b.f_frsize,
           memcmp(&a.f_fsid, &b.f_fsid, sizeof a.f_fsid) == 0, a.f_flags == b.f_flags);
    printf("  namelen %ld rdonly %ld valid %ld\n", (long)a.f_namelen, (long)(a.f_flags & ST_RDONLY), (long)(a.f_flags & 0x20));
    printf("  blocks>=free %d free>=avail %d\n", a.f_blocks >= a.f_bfree, a.f_bfree >= a.f_bavail);
    int pfd = open("f", O_PATH);
    T(syscall(SYS_fstatfs, pfd, &b));
    T(syscall(SYS_statfs, "missing", &a));
    T(syscall(SYS_statfs, "lf", &a));
    T(syscall(SYS_statfs, "dang", &a));
    T(syscall(SYS_statfs, "f", NULL));
    T(syscall(SYS_statfs, "", &a));
    T(syscall(SYS_fstatfs, 99, &a));
    T(syscall(SYS_fstatfs, fd, NULL));
    memset(&b, 0, sizeof b);
    T(syscall(SYS_fstatfs, 0, &b));
    printf("  stdin type %lx\n", (long)b.f_type);
    close(fd);
    close(pfd);
}

int main(void) {
    char dir[] = "/tmp/l4j-attrXXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    if (chdir(dir) < 0) { perror("chdir"); return 1; }
    umask(022);
    int fd = open("f", O_CREAT | O_WRONLY, 0644);
    write(fd, "hello", 5);
    close(fd);
    close(open("x", O_CREAT | O_WRONLY, 0755));
    mkdir("dir", 0755);
    symlink("f", "lf");
    symlink("nowhere", "dang");
    printf("-- access\n");
    access_calls();
    printf("-- chmod\n");
    chmod_calls();
    printf("-- truncate\n");
    truncate_calls();
    printf("-- utimes\n");
    utime_calls();
    printf("-- statfs\n");
    statfs_calls();
    unlink("f");
    unlink("x");
    unlink("lf");
    unlink("dang");
    rmdir("dir");
    if (chdir("/tmp") < 0 || rmdir(dir) < 0) { perror("cleanup"); return 1; }
    printf("done\n");
    return 0;
}
