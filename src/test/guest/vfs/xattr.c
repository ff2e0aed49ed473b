/* Extended attributes: user.* on a regular file, a directory and through a descriptor; size
 * queries, ERANGE, XATTR_CREATE/XATTR_REPLACE, ENODATA, the list format; the l-forms on a
 * symlink (user.* there is EPERM/ENODATA); bad names and flags; other namespaces; /proc and
 * /dev files; a pipe. Raw syscalls, so glibc and musl make the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define XATTR_CREATE 1
#define XATTR_REPLACE 2

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-70s -> %s\n", #call, errname(errno)); else printf("%-70s -> %ld\n", #call, r_); } while (0)

static char buf[512];

/* The names a list call returned, one per line, user.* and trusted.* only (security labels vary by host). */
static void names(const char *label, long n) {
    printf("%s:", label);
    if (n < 0) { printf(" %s\n", errname(errno)); return; }
    for (long k = 0; k < n; k += strlen(buf + k) + 1)
        if (strncmp(buf + k, "user.", 5) == 0 || strncmp(buf + k, "trusted.", 8) == 0) printf(" [%s]", buf + k);
    printf("\n");
}

static void value(const char *label, long n) {
    if (n < 0) printf("%s: %s\n", label, errname(errno));
    else printf("%s: %ld [%.*s]\n", label, n, (int)n, buf);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char top[] = "/tmp/xattrXXXXXX";
    if (!mkdtemp(top) || chdir(top) < 0) return 1;
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    mkdir("d", 0755);
    symlink("f", "l");
    symlink("missing", "dangling");

    /* Set, get, size queries. */
    T(syscall(SYS_setxattr, "f", "user.colour", "blue", 4, 0));
    T(syscall(SYS_getxattr, "f", "user.colour", NULL, 0));
    value("get user.colour", syscall(SYS_getxattr, "f", "user.colour", buf, sizeof buf));
    T(syscall(SYS_getxattr, "f", "user.colour", buf, 3));
    T(syscall(SYS_getxattr, "f", "user.missing", buf, sizeof buf));
    T(syscall(SYS_setxattr, "f", "user.empty", "", 0, 0));
    value("get user.empty", syscall(SYS_getxattr, "f", "user.empty", buf, sizeof buf));

    /* XATTR_CREATE and XATTR_REPLACE. */
    T(syscall(SYS_setxattr, "f", "user.colour", "red", 3, XATTR_CREATE));
    T(syscall(SYS_setxattr, "f", "user.colour", "green", 5, XATTR_REPLACE));
    value("get after replace", syscall(SYS_getxattr, "f", "user.colour", buf, sizeof buf));
    T(syscall(SYS_setxattr, "f", "user.new", "x", 1, XATTR_REPLACE));
    T(syscall(SYS_setxattr, "f", "user.new", "x", 1, XATTR_CREATE));
    T(syscall(SYS_setxattr, "f", "user.new", "x", 1, XATTR_CREATE | XATTR_REPLACE));
    T(syscall(SYS_setxattr, "f", "user.new", "x", 1, 4));

    /* Listing. */
    T(syscall(SYS_listxattr, "f", NULL, 0));
    names("list f", syscall(SYS_listxattr, "f", buf, sizeof buf));
    T(syscall(SYS_listxattr, "f", buf, 5));
    names("list d", syscall(SYS_listxattr, "d", buf, sizeof buf));

    /* Remove. */
    T(syscall(SYS_removexattr, "f", "user.new"));
    T(syscall(SYS_removexattr, "f", "user.new"));
    names("list after remove", syscall(SYS_listxattr, "f", buf, sizeof buf));

    /* Directories. */
    T(syscall(SYS_setxattr, "d", "user.dir", "yes", 3, 0));
    value("get d user.dir", syscall(SYS_getxattr, "d", "user.dir", buf, sizeof buf));

    /* Symlinks: the plain forms follow, the l-forms act on the link, where user.* is not allowed. */
    value("get l (follows)", syscall(SYS_getxattr, "l", "user.colour", buf, sizeof buf));
    T(syscall(SYS_lgetxattr, "l", "user.colour", buf, sizeof buf));
    T(syscall(SYS_lsetxattr, "l", "user.colour", "x", 1, 0));
    T(syscall(SYS_lremovexattr, "l", "user.colour"));
    names("llist l", syscall(SYS_llistxattr, "l", buf, sizeof buf));
    T(syscall(SYS_getxattr, "dangling", "user.colour", buf, sizeof buf));
    T(syscall(SYS_lgetxattr, "dangling", "user.colour", buf, sizeof buf));
    T(syscall(SYS_getxattr, "nothing", "user.colour", buf, sizeof buf));
    T(syscall(SYS_getxattr, "f/", "user.colour", buf, sizeof buf));

    /* Descriptors. */
    value("fget", syscall(SYS_fgetxattr, fd, "user.colour", buf, sizeof buf));
    T(syscall(SYS_fsetxattr, fd, "user.byfd", "1", 1, 0));
    names("flist", syscall(SYS_flistxattr, fd, buf, sizeof buf));
    T(syscall(SYS_fremovexattr, fd, "user.byfd"));
    T(syscall(SYS_fgetxattr, 999, "user.colour", buf, sizeof buf));
    T(syscall(SYS_flistxattr, 999, buf, sizeof buf));

    /* Names. */
    char longname[300];
    memset(longname, 'a', sizeof longname);
    memcpy(longname, "user.", 5);
    longname[255] = 0;
    T(syscall(SYS_setxattr, "f", longname, "v", 1, 0));
    T(syscall(SYS_removexattr, "f", longname));
    longname[255] = 'a';
    longname[256] = 0;
    T(syscall(SYS_setxattr, "f", longname, "v", 1, 0));
    T(syscall(SYS_getxattr, "f", longname, buf, sizeof buf));
    T(syscall(SYS_getxattr, "f", "", buf, sizeof buf));
    T(syscall(SYS_setxattr, "f", "", "v", 1, 0));
    T(syscall(SYS_removexattr, "f", ""));
    T(syscall(SYS_getxattr, "f", "nonamespace", buf, sizeof buf));
    T(syscall(SYS_setxattr, "f", "nonamespace", "v", 1, 0));
    T(syscall(SYS_getxattr, "f", "other.x", buf, sizeof buf));
    T(syscall(SYS_setxattr, "f", "system.nothing", "v", 1, 0));
    T(syscall(SYS_getxattr, "f", "trusted.none", buf, sizeof buf));
    T(syscall(SYS_getxattr, "f", "security.none", buf, sizeof buf));
    T(syscall(SYS_setxattr, "f", "user.big", buf, 65537, 0));

    /* The trusted namespace, for a privileged caller. */
    if (geteuid() == 0) {
        T(syscall(SYS_setxattr, "f", "trusted.t", "tv", 2, 0));
        value("get trusted.t", syscall(SYS_getxattr, "f", "trusted.t", buf, sizeof buf));
        names("list with trusted", syscall(SYS_listxattr, "f", buf, sizeof buf));
        T(syscall(SYS_removexattr, "f", "trusted.t"));
    }

    /* /proc and /dev. */
    T(syscall(SYS_getxattr, "/proc/self/status", "user.x", buf, sizeof buf));
    T(syscall(SYS_setxattr, "/proc/self/status", "user.x", "v", 1, 0));
    T(syscall(SYS_removexattr, "/proc/self/status", "user.x"));
    T(syscall(SYS_listxattr, "/proc/self/status", buf, sizeof buf));
    T(syscall(SYS_lgetxattr, "/proc/self/exe", "user.x", buf, sizeof buf));
    T(syscall(SYS_getxattr, "/proc", "user.x", buf, sizeof buf));
    T(syscall(SYS_getxattr, "/dev/null", "user.x", buf, sizeof buf));
    T(syscall(SYS_setxattr, "/dev/null", "user.x", "v", 1, 0));
    T(syscall(SYS_getxattr, "/dev/null", "trusted.x", buf, sizeof buf));
    names("list /dev/null", syscall(SYS_listxattr, "/dev/null", buf, sizeof buf));

    /* A pipe. */
    int p[2];
    pipe(p);
    T(syscall(SYS_fgetxattr, p[0], "user.x", buf, sizeof buf));
    T(syscall(SYS_fsetxattr, p[1], "user.x", "v", 1, 0));
    T(syscall(SYS_fremovexattr, p[1], "user.x"));
    names("flist pipe", syscall(SYS_flistxattr, p[0], buf, sizeof buf));
    T(syscall(SYS_fgetxattr, p[0], "nonamespace", buf, sizeof buf));

    close(fd);
    unlink("f");
    unlink("l");
    unlink("dangling");
    rmdir("d");
    chdir("/");
    printf("cleanup: %s\n", rmdir(top) == 0 ? "ok" : errname(errno));
    return 0;
}
