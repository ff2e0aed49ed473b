/* mkdir, rmdir, unlink, rename, link, symlink, readlink and their *at() forms: success and the
 * errors Linux gives, in its order of checks. Raw syscalls, so glibc and musl make the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
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
    const char *type = S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "symlink" : S_ISREG(st.st_mode) ? "file" : "other";
    printf("  %s: %s mode %04o nlink %ld size %ld\n", path, type, st.st_mode & 07777,
           S_ISDIR(st.st_mode) ? 0L : (long)st.st_nlink, S_ISDIR(st.st_mode) ? 0L : (long)st.st_size);
}

static void mkfile(const char *path, const char *text) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) { printf("open %s: %s\n", path, errname(errno)); exit(1); }
    if (text) write(fd, text, strlen(text));
    close(fd);
}

static void readlinks(void) {
    char buf[64];
    memset(buf, '#', sizeof buf);
    long n = syscall(SYS_readlink, "lf", buf, sizeof buf);
    printf("readlink lf -> %ld [%.*s] next byte %c\n", n, (int)(n > 0 ? n : 0), buf, buf[n > 0 ? n : 0]);
    memset(buf, '#', sizeof buf);
    n = syscall(SYS_readlink, "lf", buf, 2);
    printf("readlink lf, 2 -> %ld [%.4s]\n", n, buf);
    memset(buf, '#', sizeof buf);
    n = syscall(SYS_readlink, "odd", buf, sizeof buf);
    printf("readlink odd -> %ld [%.*s]\n", n, (int)(n > 0 ? n : 0), buf);
    T(syscall(SYS_readlink, "lf", buf, 0));
    T(syscall(SYS_readlink, "lf", buf, -1));
    T(syscall(SYS_readlink, "f", buf, sizeof buf));
    T(syscall(SYS_readlink, "dir", buf, sizeof buf));
    T(syscall(SYS_readlink, "lf/", buf, sizeof buf));
    T(syscall(SYS_readlink, "ld/", buf, sizeof buf));
    T(syscall(SYS_readlink, "missing", buf, sizeof buf));
    T(syscall(SYS_readlink, "", buf, sizeof buf));
    T(syscall(SYS_readlink, NULL, buf, sizeof buf));
    T(syscall(SYS_readlink, "lf", NULL, sizeof buf));
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    int lfd = open("lf", O_PATH | O_NOFOLLOW);
    int ffd = open("f", O_PATH);
    memset(buf, 0, sizeof buf);
    T(syscall(SYS_readlinkat, lfd, "", buf, sizeof buf));
    printf("  [%s]\n", buf);
    T(syscall(SYS_readlinkat, ffd, "", buf, sizeof buf));
    T(syscall(SYS_readlinkat, dfd, "", buf, sizeof buf));
    T(syscall(SYS_readlinkat, AT_FDCWD, "", buf, sizeof buf));
    T(syscall(SYS_readlinkat, dfd, "../lf", buf, sizeof buf));
    T(syscall(SYS_readlinkat, ffd, "x", buf, sizeof buf));
    T(syscall(SYS_readlinkat, 99, "x", buf, sizeof buf));
    T(syscall(SYS_readlinkat, 99, "/tmp", buf, sizeof buf));
    close(dfd);
    close(lfd);
    close(ffd);
}

static void mkdirs(void) {
    T(syscall(SYS_mkdir, "d1", 0755));
    show("d1");
    T(syscall(SYS_mkdir, "d2/", 0700));
    show("d2");
    T(syscall(SYS_mkdir, "d3", 07777));
    show("d3");
    T(syscall(SYS_mkdir, "d1", 0755));
    T(syscall(SYS_mkdir, "f", 0755));
    T(syscall(SYS_mkdir, "f/", 0755));
    T(syscall(SYS_mkdir, "dang", 0755));
    T(syscall(SYS_mkdir, "dang/", 0755));
    T(syscall(SYS_mkdir, ".", 0755));
    T(syscall(SYS_mkdir, "..", 0755));
    T(syscall(SYS_mkdir, "/", 0755));
    T(syscall(SYS_mkdir, "f/x", 0755));
    T(syscall(SYS_mkdir, "missing/x", 0755));
    T(syscall(SYS_mkdir, "", 0755));
    T(syscall(SYS_mkdir, NULL, 0755));
    T(syscall(SYS_mkdir, "ld/sub", 0755));
    show("dir/sub");
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    int ffd = open("f", O_RDONLY);
    T(syscall(SYS_mkdirat, dfd, "sub2", 0751));
    show("dir/sub2");
    T(syscall(SYS_mkdirat, ffd, "sub3", 0755));
    T(syscall(SYS_mkdirat, 99, "sub3", 0755));
    T(syscall(SYS_mkdirat, 99, "/", 0755));
    T(syscall(SYS_mkdirat, AT_FDCWD, "d4", 0755));
    show("d4");
    char longname[300];
    memset(longname, 'n', 256);
    longname[256] = 0;
    T(syscall(SYS_mkdir, longname, 0755));
    close(dfd);
    close(ffd);
}

static void removes(void) {
    T(syscall(SYS_unlink, "f/"));
    T(syscall(SYS_unlink, "dir/"));
    T(syscall(SYS_unlink, "dir"));
    T(syscall(SYS_unlink, "missing"));
    T(syscall(SYS_unlink, "missing/"));
    T(syscall(SYS_unlink, "ld/"));
    T(syscall(SYS_unlink, "lf/"));
    T(syscall(SYS_unlink, "dang/"));
    T(syscall(SYS_unlink, "."));
    T(syscall(SYS_unlink, ".."));
    T(syscall(SYS_unlink, "/"));
    T(syscall(SYS_unlink, ""));
    T(syscall(SYS_unlink, "f/x"));
    T(syscall(SYS_rmdir, "ld"));
    T(syscall(SYS_rmdir, "ld/"));
    T(syscall(SYS_rmdir, "dir/."));
    T(syscall(SYS_rmdir, "dir/.."));
    T(syscall(SYS_rmdir, "."));
    T(syscall(SYS_rmdir, ".."));
    T(syscall(SYS_rmdir, "/"));
    T(syscall(SYS_rmdir, "f"));
    T(syscall(SYS_rmdir, "f/"));
    T(syscall(SYS_rmdir, "dir"));
    T(syscall(SYS_rmdir, "missing"));
    T(syscall(SYS_rmdir, "d1/"));
    show("d1");
    T(syscall(SYS_unlinkat, AT_FDCWD, "d2", 0));
    T(syscall(SYS_unlinkat, AT_FDCWD, "d2", AT_REMOVEDIR));
    T(syscall(SYS_unlinkat, AT_FDCWD, "d3", 1));
    T(syscall(SYS_unlinkat, AT_FDCWD, "d3", AT_REMOVEDIR | 1));
    T(syscall(SYS_unlinkat, AT_FDCWD, "dang", AT_REMOVEDIR));
    T(syscall(SYS_unlink, "dang"));
    show("dang");
    T(syscall(SYS_unlink, "ld"));
    show("dir");
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_unlinkat, dfd, "sub", AT_REMOVEDIR));
    T(syscall(SYS_unlinkat, dfd, "sub2", AT_REMOVEDIR));
    T(syscall(SYS_unlinkat, dfd, "sub", AT_REMOVEDIR));
    T(syscall(SYS_unlinkat, 99, "sub", AT_REMOVEDIR));
    close(dfd);
}

static void renames(void) {
    mkfile("a", "aaa");
    mkfile("b", "bbbbb");
    T(syscall(SYS_rename, "a", "c"));
    show("a");
    show("c");
    T(syscall(SYS_rename, "c", "b"));
    show("b");
    T(syscall(SYS_rename, "b", "b"));
    T(syscall(SYS_link, "b", "hb"));
    T(syscall(SYS_rename, "b", "hb"));
    show("b");
    show("hb");
    T(syscall(SYS_rename, "missing", "x"));
    T(syscall(SYS_rename, "b/", "x"));
    T(syscall(SYS_rename, "b", "x/"));
    T(syscall(SYS_rename, ".", "x"));
    T(syscall(SYS_rename, "b", "."));
    T(syscall(SYS_rename, "b", ".."));
    T(syscall(SYS_rename, "/", "x"));
    T(syscall(SYS_rename, "", "x"));
    T(syscall(SYS_rename, "b", ""));
    T(syscall(SYS_mkdir, "p", 0755));
    T(syscall(SYS_mkdir, "p/q", 0755));
    T(syscall(SYS_mkdir, "e", 0755));
    T(syscall(SYS_rename, "p", "p/q/r"));
    T(syscall(SYS_rename, "p/q", "p"));
    T(syscall(SYS_rename, "p", "b"));
    T(syscall(SYS_rename, "b", "p"));
    T(syscall(SYS_rename, "e", "p"));
    T(syscall(SYS_rename, "p", "e"));
    show("p");
    show("e/q");
    T(syscall(SYS_rename, "e/", "p/"));
    show("p/q");
    T(syscall(SYS_rename, "p/q", "q2"));
    show("q2");
    T(syscall(SYS_renameat2, AT_FDCWD, "b", AT_FDCWD, "q2", RENAME_NOREPLACE));
    T(syscall(SYS_renameat2, AT_FDCWD, "b", AT_FDCWD, "nb", RENAME_NOREPLACE));
    T(syscall(SYS_renameat2, AT_FDCWD, "missing", AT_FDCWD, "nb", RENAME_NOREPLACE));
    T(syscall(SYS_renameat2, AT_FDCWD, "nb", AT_FDCWD, ".", RENAME_NOREPLACE));
    T(syscall(SYS_renameat2, AT_FDCWD, "nb", AT_FDCWD, "x", 8));
    T(syscall(SYS_renameat2, AT_FDCWD, "nb", AT_FDCWD, "x", RENAME_NOREPLACE | RENAME_EXCHANGE));
    T(syscall(SYS_renameat2, AT_FDCWD, "nb", AT_FDCWD, "x", RENAME_EXCHANGE));
    show("nb");
    int pfd = open("p", O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_renameat, AT_FDCWD, "nb", pfd, "moved"));
    show("p/moved");
    T(syscall(SYS_renameat, pfd, "moved", AT_FDCWD, "back"));
    show("back");
    T(syscall(SYS_renameat, 99, "moved", AT_FDCWD, "back"));
    close(pfd);
    syscall(SYS_unlink, "back");
    syscall(SYS_unlink, "hb");
    syscall(SYS_rmdir, "p");
    syscall(SYS_rmdir, "q2");
}

static void links(void) {
    mkfile("t", "target");
    T(syscall(SYS_link, "t", "t2"));
    show("t");
    show("t2");
    T(syscall(SYS_link, "t", "t2"));
    T(syscall(SYS_link, "t", "new/"));
    T(syscall(SYS_link, "t", "."));
    T(syscall(SYS_link, "dir", "hd"));
    T(syscall(SYS_link, "missing", "x"));
    T(syscall(SYS_link, "t/", "x"));
    T(syscall(SYS_link, "", "x"));
    T(syscall(SYS_link, "t", ""));
    T(syscall(SYS_symlink, "t", "st"));
    T(syscall(SYS_link, "st", "hst"));
    show("hst");
    T(syscall(SYS_linkat, AT_FDCWD, "st", AT_FDCWD, "hst2", AT_SYMLINK_FOLLOW));
    show("hst2");
    T(syscall(SYS_linkat, AT_FDCWD, "t", AT_FDCWD, "x", 1));
    int fd = open("t", O_RDONLY);
    T(syscall(SYS_linkat, fd, "", AT_FDCWD, "hfd", AT_EMPTY_PATH));
    show("hfd");
    T(syscall(SYS_linkat, fd, "", AT_FDCWD, "hfd2", 0));
    T(syscall(SYS_linkat, AT_FDCWD, "", AT_FDCWD, "hcwd", AT_EMPTY_PATH));
    T(syscall(SYS_linkat, 99, "", AT_FDCWD, "x", AT_EMPTY_PATH));
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_linkat, AT_FDCWD, "t", dfd, "in-dir", 0));
    show("dir/in-dir");
    show("t");
    T(syscall(SYS_symlink, "", "e"));
    T(syscall(SYS_symlink, "x", "new/"));
    T(syscall(SYS_symlink, "x", "."));
    T(syscall(SYS_symlink, "x", "t"));
    T(syscall(SYS_symlink, "x", "missing/x"));
    T(syscall(SYS_symlink, NULL, "x"));
    T(syscall(SYS_symlinkat, "../t", dfd, "sl"));
    show("dir/sl");
    char buf[32] = {0};
    T(syscall(SYS_readlinkat, dfd, "sl", buf, sizeof buf));
    printf("  [%s]\n", buf);
    T(syscall(SYS_symlinkat, "../t", 99, "sl"));
    T(syscall(SYS_symlinkat, "../t", fd, "sl"));
    close(fd);
    close(dfd);
    const char *junk[] = {"t", "t2", "st", "hst", "hst2", "hfd", "dir/in-dir", "dir/sl"};
    for (unsigned i = 0; i < sizeof junk / sizeof junk[0]; i++) syscall(SYS_unlink, junk[i]);
}

int main(void) {
    char dir[] = "/tmp/l4j-nameiXXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    if (chdir(dir) < 0) { perror("chdir"); return 1; }
    umask(022);
    mkfile("f", "hello");
    syscall(SYS_mkdir, "dir", 0755);
    syscall(SYS_symlink, "dir", "ld");
    syscall(SYS_symlink, "f", "lf");
    syscall(SYS_symlink, "nowhere", "dang");
    syscall(SYS_symlink, "a//b/../c/", "odd");
    show("f");
    show("dir");
    show("ld");
    show("lf");
    show("dang");
    printf("-- readlink\n");
    readlinks();
    printf("-- mkdir\n");
    mkdirs();
    printf("-- unlink/rmdir\n");
    removes();
    printf("-- rename\n");
    renames();
    printf("-- link/symlink\n");
    links();
    syscall(SYS_unlink, "f");
    syscall(SYS_unlink, "lf");
    syscall(SYS_unlink, "odd");
    syscall(SYS_rmdir, "d3");
    syscall(SYS_rmdir, "d4");
    syscall(SYS_rmdir, "dir");
    if (chdir("/tmp") < 0 || rmdir(dir) < 0) { perror("cleanup"); return 1; }
    printf("done\n");
    return 0;
}
