/* futimesat(2): utimes relative to a directory descriptor. Times set explicitly read back through
 * stat; a NULL times pointer sets "now"; bad microseconds, paths and descriptors give Linux's
 * errors. Raw syscalls: glibc's futimesat and musl's differ in what they pass for NULL. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static void show(int dirfd, const char *name) {
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        printf("  stat %s: %s\n", name, errname(errno));
        return;
    }
    printf("  %s: atime %ld.%09ld mtime %ld.%09ld\n", name, (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char dir[] = "/tmp/l4j-futimesat-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    int fd = openat(dfd, "f", O_RDWR | O_CREAT, 0644);
    mkdirat(dfd, "sub", 0755);
    int sub = openat(dfd, "sub", O_RDONLY | O_DIRECTORY);
    int sfd = openat(sub, "g", O_RDWR | O_CREAT, 0644);
    symlinkat("f", dfd, "link");

    struct timeval tv[2] = {{1000000000, 250000}, {1200000000, 999999}};
    T(syscall(SYS_futimesat, dfd, "f", tv));
    show(dfd, "f");
    tv[0].tv_sec = 5;
    tv[0].tv_usec = 1;
    T(syscall(SYS_futimesat, sub, "g", tv));
    show(sub, "g");
    /* An absolute path ignores the dirfd; AT_FDCWD means the working directory. */
    char abs[64];
    snprintf(abs, sizeof abs, "%s/f", dir);
    tv[1].tv_sec = 7;
    T(syscall(SYS_futimesat, 12345, abs, tv));
    show(dfd, "f");
    fchdir(sub);
    tv[1].tv_sec = 8;
    T(syscall(SYS_futimesat, AT_FDCWD, "g", tv));
    show(sub, "g");
    /* Through a symlink: the target changes. */
    tv[0].tv_sec = 9;
    T(syscall(SYS_futimesat, dfd, "link", tv));
    show(dfd, "f");
    /* NULL pathname with a descriptor: that file's own times. */
    tv[0].tv_sec = 11;
    T(syscall(SYS_futimesat, fd, NULL, tv));
    show(dfd, "f");
    T(syscall(SYS_futimesat, AT_FDCWD, NULL, tv));
    /* NULL times: now (checked against the clock, not printed). */
    time_t before = time(NULL);
    T(syscall(SYS_futimesat, dfd, "f", NULL));
    struct stat st;
    fstatat(dfd, "f", &st, 0);
    printf("  now: %d\n", st.st_mtime >= before - 1 && st.st_mtime <= time(NULL) + 1 && st.st_atime == st.st_mtime);

    /* Errors. */
    tv[0].tv_usec = 1000000;
    T(syscall(SYS_futimesat, dfd, "f", tv));
    tv[0].tv_usec = -1;
    T(syscall(SYS_futimesat, dfd, "f", tv));
    T(syscall(SYS_futimesat, dfd, "missing", tv)); /* the microseconds are checked first */
    tv[0].tv_usec = 0;
    T(syscall(SYS_futimesat, dfd, "missing", tv));
    T(syscall(SYS_futimesat, fd, "f", tv));
    T(syscall(SYS_futimesat, 999, "f", tv));
    T(syscall(SYS_futimesat, 999, NULL, tv));
    T(syscall(SYS_futimesat, dfd, "f/x", tv));
    T(syscall(SYS_futimesat, dfd, "", tv));
    T(syscall(SYS_futimesat, dfd, "f", (void *)8));
    T(syscall(SYS_futimesat, dfd, (void *)8, tv));

    close(sfd);
    close(sub);
    close(fd);
    unlinkat(dfd, "link", 0);
    unlinkat(dfd, "f", 0);
    unlinkat(dfd, "sub/g", 0);
    unlinkat(dfd, "sub", AT_REMOVEDIR);
    close(dfd);
    chdir("/");
    rmdir(dir);
    return 0;
}
