/* O_TMPFILE: an unnamed regular file in a directory — invisible in the directory, st_nlink 0,
 * "DIR/#INO (deleted)" in /proc/self/fd — linked later with linkat(AT_EMPTY_PATH) or through
 * /proc/self/fd/N with AT_SYMLINK_FOLLOW, never when opened with O_EXCL; the flag checks of
 * open(2). Raw syscalls where glibc and musl differ. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-66s -> %s\n", #call, errname(errno)); else printf("%-66s -> ok\n", #call); } while (0)

static char dir[64];

static int open_tmp(int flags, int mode) {
    return syscall(SYS_openat, AT_FDCWD, dir, flags, mode);
}

static void entries(const char *label) {
    char buf[4096];
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    long n = syscall(SYS_getdents64, d, buf, sizeof buf);
    close(d);
    printf("%s:", label);
    for (long k = 0; k < n;) {
        struct { unsigned long ino; long off; unsigned short reclen; unsigned char type; char name[]; } *e = (void *)(buf + k);
        printf(" %s", e->name);
        k += e->reclen;
    }
    printf("\n");
}

static void describe(const char *label, int fd) {
    struct stat st;
    if (fstat(fd, &st) < 0) { printf("%s: fstat %s\n", label, errname(errno)); return; }
    char path[64], link[256], expect[256];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    long n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    snprintf(expect, sizeof expect, "%s/#%lu (deleted)", dir, (unsigned long)st.st_ino);
    printf("%s: %s mode %o nlink %lu size %ld, link is DIR/#INO (deleted): %s\n", label,
           S_ISREG(st.st_mode) ? "regular" : "other", st.st_mode & 07777, (unsigned long)st.st_nlink,
           (long)st.st_size, strcmp(link, expect) == 0 ? "yes" : link);
}

static void cat(const char *path) {
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("read %s: %s\n", path, errname(errno)); return; }
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("read %s: %ld [%s]\n", path, n, buf);
}

static void fdinfo_flags(int fd) {
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    int f = open(path, O_RDONLY);
    long n = read(f, buf, sizeof buf - 1);
    close(f);
    buf[n > 0 ? n : 0] = 0;
    char *flags = strstr(buf, "flags:");
    if (flags) *strchr(flags, '\n') = 0;
    printf("fdinfo %s\n", flags ? flags : "none");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    umask(022);
    strcpy(dir, "/tmp/tmpfileXXXXXX");
    if (!mkdtemp(dir) || chdir(dir) < 0) return 1;

    /* Flag checks and lookups. */
    T(open_tmp(O_TMPFILE | O_RDONLY, 0600));
    T(open_tmp(O_TMPFILE | O_RDWR | O_CREAT, 0600));
    T(open_tmp(020000000 | O_RDWR, 0600));
    T(syscall(SYS_openat, AT_FDCWD, "missing", O_TMPFILE | O_RDWR, 0600));
    int plain = open("plain", O_CREAT | O_WRONLY, 0644);
    close(plain);
    T(syscall(SYS_openat, AT_FDCWD, "plain", O_TMPFILE | O_RDWR, 0600));
    T(syscall(SYS_openat, AT_FDCWD, "/proc", O_TMPFILE | O_RDWR, 0600));
    int pathfd = syscall(SYS_openat, AT_FDCWD, dir, O_PATH | O_TMPFILE | O_RDWR, 0600);
    printf("O_PATH|O_TMPFILE opens the directory as O_PATH: %s\n", pathfd >= 0 ? "yes" : errname(errno));
    close(pathfd);
    unlink("plain");

    /* An unnamed file. */
    int a = open_tmp(O_TMPFILE | O_RDWR, 0666);
    printf("O_TMPFILE|O_RDWR: %s\n", a >= 0 ? "ok" : errname(errno));
    if (a < 0) return 0;
    write(a, "first", 5);
    describe("unnamed", a);
    fdinfo_flags(a);
    entries("entries with an unnamed file");
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", a);
    int again = open(self, O_RDONLY);
    char buf[16] = {0};
    printf("reopen through /proc/self/fd: %s, read [%.*s]\n", again >= 0 ? "ok" : errname(errno),
           (int)pread(again, buf, sizeof buf, 0), buf);
    close(again);

    /* Linking it: by descriptor (needs CAP_DAC_READ_SEARCH), then a second name by /proc path. */
    errno = 0;
    long r = syscall(SYS_linkat, a, "", AT_FDCWD, "named", AT_EMPTY_PATH);
    printf("linkat AT_EMPTY_PATH: %s\n", r == 0 ? "ok" : errname(errno));
    if (r < 0) syscall(SYS_linkat, AT_FDCWD, self, AT_FDCWD, "named", AT_SYMLINK_FOLLOW);
    describe("after link", a);
    T(syscall(SYS_linkat, AT_FDCWD, self, AT_FDCWD, "second", AT_SYMLINK_FOLLOW));
    T(syscall(SYS_linkat, AT_FDCWD, self, AT_FDCWD, "second", AT_SYMLINK_FOLLOW));
    T(syscall(SYS_linkat, AT_FDCWD, self, AT_FDCWD, "nofollow", 0));
    describe("two names", a);
    cat("named");
    entries("entries after linking");
    unlink("named");
    unlink("second");
    describe("names removed", a);
    T(syscall(SYS_linkat, AT_FDCWD, self, AT_FDCWD, "again", AT_SYMLINK_FOLLOW));
    close(a);

    /* A second unnamed file linked through /proc/self/fd. */
    int b = open_tmp(O_TMPFILE | O_WRONLY, 0640);
    write(b, "second", 6);
    describe("O_WRONLY unnamed", b);
    fdinfo_flags(b);
    snprintf(self, sizeof self, "/proc/self/fd/%d", b);
    T(syscall(SYS_linkat, AT_FDCWD, self, AT_FDCWD, "via-proc", AT_SYMLINK_FOLLOW));
    close(b);
    cat("via-proc");
    unlink("via-proc");

    /* O_EXCL: never linkable. */
    int c = open_tmp(O_TMPFILE | O_RDWR | O_EXCL, 0600);
    snprintf(self, sizeof self, "/proc/self/fd/%d", c);
    T(syscall(SYS_linkat, AT_FDCWD, self, AT_FDCWD, "excl", AT_SYMLINK_FOLLOW));
    errno = 0;
    r = syscall(SYS_linkat, c, "", AT_FDCWD, "excl", AT_EMPTY_PATH);
    printf("O_EXCL linkat AT_EMPTY_PATH: %s\n", r == 0 ? "ok" : errname(errno));
    close(c);

    /* An unlinked file that was never O_TMPFILE cannot be linked back. */
    int d = open("gone", O_CREAT | O_RDWR, 0600);
    unlink("gone");
    snprintf(self, sizeof self, "/proc/self/fd/%d", d);
    T(syscall(SYS_linkat, AT_FDCWD, self, AT_FDCWD, "back", AT_SYMLINK_FOLLOW));
    close(d);

    entries("entries at the end");
    chdir("/");
    printf("cleanup: %s\n", rmdir(dir) == 0 ? "ok" : errname(errno));
    return 0;
}
