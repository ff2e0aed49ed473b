/* mknod/mknodat (FIFO, socket, regular file; type and argument errors), fallocate, fadvise64,
 * lseek SEEK_DATA/SEEK_HOLE and ftruncate growing a file without allocating blocks, utimensat on a
 * FIFO (must not open it). Raw syscalls, so glibc and musl make the same calls. Device nodes are
 * left out: linux4j never creates host device nodes, while a root native run may. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-72s -> %s\n", #call, errname(errno)); else printf("%-72s -> %ld\n", #call, r_); } while (0)

static int show_mtime;

static void show(const char *path) {
    struct stat st;
    if (syscall(SYS_lstat, path, &st) < 0) {
        printf("  %s: %s\n", path, errname(errno));
        return;
    }
    const char *type = S_ISFIFO(st.st_mode) ? "fifo" : S_ISSOCK(st.st_mode) ? "socket"
        : S_ISREG(st.st_mode) ? "file" : "other";
    printf("  %s: %s mode %04o size %ld blocks %ld", path, type, st.st_mode & 07777, (long)st.st_size,
           (long)st.st_blocks);
    if (show_mtime) printf(" mtime %ld.%09ld", (long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    printf("\n");
}

int main(void) {
    char dir[] = "/tmp/l4j-mknodXXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    if (chdir(dir) < 0) { perror("chdir"); return 1; }
    umask(022);
    printf("-- mknod\n");
    T(syscall(SYS_mknod, "fifo", S_IFIFO | 0666, 0));
    T(syscall(SYS_mknodat, AT_FDCWD, "reg", S_IFREG | 0777, 0));
    T(syscall(SYS_mknod, "zero", 0640, 0));
    T(syscall(SYS_mknod, "sock", S_IFSOCK | 0600, 0));
    T(syscall(SYS_mknod, "d", S_IFDIR | 0755, 0));
    T(syscall(SYS_mknod, "bad", 0170000 | 0644, 0));
    T(syscall(SYS_mknod, "fifo", S_IFIFO | 0644, 0));
    T(syscall(SYS_mknod, "nodir/x", S_IFIFO | 0644, 0));
    T(syscall(SYS_mknod, "reg/x", S_IFIFO | 0644, 0));
    T(syscall(SYS_mknod, "slash/", S_IFIFO | 0644, 0));
    T(syscall(SYS_mknodat, 12345, "x", S_IFIFO | 0644, 0));
    show("fifo");
    show("reg");
    show("zero");
    show("sock");
    show("d");
    printf("-- utimensat on a FIFO\n");
    struct timespec ts[2] = {{1000000000, 123456789}, {1500000000, 987654321}};
    T(syscall(SYS_utimensat, AT_FDCWD, "fifo", ts, 0));
    T(syscall(SYS_utimensat, AT_FDCWD, "fifo", ts, AT_SYMLINK_NOFOLLOW));
    show_mtime = 1;
    show("fifo");
    show_mtime = 0;

    printf("-- ftruncate grows without blocks\n");
    int fd = open("sparse", O_CREAT | O_RDWR, 0644);
    T(syscall(SYS_ftruncate, fd, 1 << 20));
    T(syscall(SYS_truncate, "reg", 3 << 20));
    show("sparse");
    show("reg");
    printf("-- SEEK_DATA/SEEK_HOLE\n");
    char buf[8192];
    memset(buf, 'x', sizeof buf);
    T(pwrite(fd, buf, sizeof buf, 256 * 1024));
    T(lseek(fd, 0, SEEK_DATA));
    T(lseek(fd, 256 * 1024, SEEK_HOLE));
    T(lseek(fd, 512 * 1024, SEEK_DATA));
    T(lseek(fd, 1 << 20, SEEK_DATA));
    T(lseek(fd, -1, SEEK_HOLE));
    printf("-- fallocate\n");
    T(syscall(SYS_fallocate, fd, 0, 2 << 20, 65536));
    show("sparse");
    T(syscall(SYS_fallocate, fd, FALLOC_FL_KEEP_SIZE, 4 << 20, 65536));
    show("sparse");
    T(syscall(SYS_fallocate, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 256 * 1024, 4096));
    T(lseek(fd, 0, SEEK_DATA));
    T(syscall(SYS_fallocate, fd, FALLOC_FL_PUNCH_HOLE, 0, 4096));
    T(syscall(SYS_fallocate, fd, 0, 0, 0));
    T(syscall(SYS_fallocate, fd, 0, -1, 10));
    T(syscall(SYS_fallocate, 12345, 0, 0, 10));
    int rd = open("sparse", O_RDONLY);
    T(syscall(SYS_fallocate, rd, 0, 0, 10));
    int p[2];
    if (pipe(p) < 0) { perror("pipe"); return 1; }
    T(syscall(SYS_fallocate, p[1], 0, 0, 10));
    printf("-- fadvise64\n");
    T(syscall(SYS_fadvise64, fd, 0, 0, 2));
    T(syscall(SYS_fadvise64, fd, 0, 0, 99));
    T(syscall(SYS_fadvise64, fd, 0, -1, 0));
    T(syscall(SYS_fadvise64, p[0], 0, 0, 0));
    T(syscall(SYS_fadvise64, 12345, 0, 0, 0));
    close(fd);
    close(rd);
    const char *junk[] = {"fifo", "reg", "zero", "sock", "sparse"};
    for (unsigned i = 0; i < sizeof junk / sizeof junk[0]; i++) syscall(SYS_unlink, junk[i]);
    if (chdir("/tmp") < 0 || rmdir(dir) < 0) { perror("cleanup"); return 1; }
    printf("done\n");
    return 0;
}
