/* sync(2), syncfs(2), sync_file_range(2) and readahead(2): what they return for regular files,
 * directories, pipes, devices and bad descriptors, in Linux's order of checks. Raw syscalls, so
 * glibc and musl make the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-60s -> %s\n", #call, errname(errno)); else printf("%-60s -> %ld\n", #call, r_); } while (0)

#define SFR_WAIT_BEFORE 1
#define SFR_WRITE 2
#define SFR_WAIT_AFTER 4

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char dir[] = "/tmp/l4j-sync-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char path[64];
    snprintf(path, sizeof path, "%s/f", dir);
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    write(fd, "some data\n", 10);
    int ro = open(path, O_RDONLY);
    int wo = open(path, O_WRONLY);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    int pathfd = open(path, O_PATH);
    int null = open("/dev/null", O_RDWR);
    int p[2];
    pipe(p);

    T(syscall(SYS_sync));

    T(syscall(SYS_syncfs, fd));
    T(syscall(SYS_syncfs, ro));
    T(syscall(SYS_syncfs, dfd));
    T(syscall(SYS_syncfs, p[0]));
    T(syscall(SYS_syncfs, null));
    T(syscall(SYS_syncfs, pathfd));
    T(syscall(SYS_syncfs, 99));
    T(syscall(SYS_syncfs, -1));

    T(syscall(SYS_sync_file_range, fd, 0L, 0L, 0));
    T(syscall(SYS_sync_file_range, fd, 0L, 10L, SFR_WRITE));
    T(syscall(SYS_sync_file_range, fd, 0L, 0L, SFR_WAIT_BEFORE | SFR_WRITE | SFR_WAIT_AFTER));
    T(syscall(SYS_sync_file_range, fd, 1000000L, 5L, SFR_WAIT_AFTER));
    T(syscall(SYS_sync_file_range, ro, 0L, 10L, SFR_WRITE));
    T(syscall(SYS_sync_file_range, wo, 0L, 10L, SFR_WRITE));
    T(syscall(SYS_sync_file_range, dfd, 0L, 0L, SFR_WRITE));
    T(syscall(SYS_sync_file_range, fd, 0L, 0L, 8));
    T(syscall(SYS_sync_file_range, fd, -1L, 0L, 0));
    T(syscall(SYS_sync_file_range, fd, 0L, -1L, 0));
    T(syscall(SYS_sync_file_range, fd, 5L, -3L, 0));
    T(syscall(SYS_sync_file_range, fd, 0L, 0x7fffffffffffffffL, 0));
    T(syscall(SYS_sync_file_range, fd, 0x7fffffffffffff00L, 0x1000L, 0));
    T(syscall(SYS_sync_file_range, p[0], 0L, 0L, 0));
    T(syscall(SYS_sync_file_range, p[1], 0L, 0L, SFR_WRITE));
    T(syscall(SYS_sync_file_range, null, 0L, 0L, 0));
    T(syscall(SYS_sync_file_range, pathfd, 0L, 0L, 0));
    T(syscall(SYS_sync_file_range, 99, 0L, 0L, 0));
    T(syscall(SYS_sync_file_range, 99, 0L, 0L, 8));
    T(syscall(SYS_sync_file_range, 99, -1L, 0L, 0));
    T(syscall(SYS_sync_file_range, p[0], -1L, 0L, 0));

    T(syscall(SYS_readahead, fd, 0L, 4096L));
    T(syscall(SYS_readahead, ro, 0L, 0L));
    T(syscall(SYS_readahead, ro, 1000000L, 4096L));
    T(syscall(SYS_readahead, ro, -1L, 4096L));
    T(syscall(SYS_readahead, ro, 0L, -1L));
    T(syscall(SYS_readahead, ro, 0L, 0x7fffffffffffffffL));
    T(syscall(SYS_readahead, ro, -4096L, 8192L));
    T(syscall(SYS_readahead, wo, 0L, 4096L));
    T(syscall(SYS_readahead, dfd, 0L, 4096L));
    T(syscall(SYS_readahead, p[0], 0L, 4096L));
    T(syscall(SYS_readahead, p[1], 0L, 4096L));
    T(syscall(SYS_readahead, null, 0L, 4096L));
    T(syscall(SYS_readahead, pathfd, 0L, 4096L));
    T(syscall(SYS_readahead, 99, 0L, 4096L));

    /* The data is still there afterwards. */
    char buf[16] = {0};
    T(pread(ro, buf, 10, 0));
    printf("  \"%.9s\"\n", buf);

    close(fd); close(ro); close(wo); close(dfd); close(pathfd); close(null); close(p[0]); close(p[1]);
    unlink(path);
    rmdir(dir);
    return 0;
}
