/* Removing entries while reading a directory with getdents64 a few entries at a time: closing
 * each descriptor /proc/self/fd lists (what python's subprocess does in a child when
 * close_range fails), and unlinking each file of a directory in /dev/shm and in /tmp. No entry
 * is skipped: on Linux a directory position does not move when entries before it go. linux4j
 * listed /proc directories afresh on every call, with the position an index into the new
 * listing, and skipped as many entries as had been closed (python3's test_subprocess,
 * test_pass_fds: descriptors leaked into the child). */
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

struct dirent64_raw {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Calls fn on each name, reading 96 bytes (three or four entries) per getdents64 call. */
static void walk(int dir, void (*fn)(int dir, const char *name)) {
    char buf[96];
    for (;;) {
        long n = syscall(SYS_getdents64, dir, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0) printf("getdents64: %s\n", strerror(errno));
            return;
        }
        for (long off = 0; off < n;) {
            struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
            if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0) fn(dir, d->d_name);
            off += d->d_reclen;
        }
    }
}

static int closed;

static void close_fd(int dir, const char *name) {
    int fd = atoi(name);
    if (fd >= 3 && fd != dir && close(fd) == 0) closed++;
}

static int unlinked;

static void unlink_entry(int dir, const char *name) {
    if (unlinkat(dir, name, 0) == 0) unlinked++;
}

static void files(const char *base) {
    char dir[64];
    snprintf(dir, sizeof dir, "%s/l4j-readdir-XXXXXX", base);
    if (!mkdtemp(dir)) {
        printf("%s: mkdtemp: %s\n", base, strerror(errno));
        return;
    }
    for (int i = 0; i < 200; i++) {
        char name[96];
        snprintf(name, sizeof name, "%s/file-%03d", dir, i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    unlinked = 0;
    walk(d, unlink_entry);
    close(d);
    printf("%s: unlinked %d of 200, rmdir %s\n", base, unlinked, rmdir(dir) == 0 ? "ok" : strerror(errno));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int first = -1, last = -1;
    for (int i = 0; i < 40; i++) {
        int p[2];
        if (pipe(p) < 0) return 1;
        if (first < 0) first = p[0];
        last = p[1];
    }
    int d = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
    walk(d, close_fd);
    close(d);
    int open_left = 0;
    for (int fd = first; fd <= last; fd++)
        if (fcntl(fd, F_GETFD) >= 0) open_left++;
    /* (how many were closed in all depends on what the run inherited) */
    printf("/proc/self/fd: closed at least 80: %s, pipe descriptors still open %d\n", closed >= 80 ? "yes" : "no",
           open_left);

    files("/dev/shm");
    files("/tmp");
    return 0;
}
