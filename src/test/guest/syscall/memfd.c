/* memfd_create(2) and file sealing (fcntl F_ADD_SEALS/F_GET_SEALS): the name limit and flag
 * checks, the file it makes (regular, mode 0777, size 0, "/memfd:NAME (deleted)" in
 * /proc/self/fd), read/write/lseek/ftruncate, MAP_SHARED and MAP_PRIVATE mappings, fork and exec
 * inheritance, and what each seal forbids. Raw syscalls: older libcs have no wrapper. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#ifndef SYS_memfd_create
#define SYS_memfd_create 319
#endif
#define M_CLOEXEC 0x1U
#define M_ALLOW_SEALING 0x2U
#define M_HUGETLB 0x4U
#define M_NOEXEC_SEAL 0x8U
#define M_EXEC 0x10U
#define ADD_SEALS 1033
#define GET_SEALS 1034
#define S_SEAL 0x1
#define S_SHRINK 0x2
#define S_GROW 0x4
#define S_WRITE 0x8
#define S_FUTURE_WRITE 0x10
#define S_EXEC 0x20

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static int mfd(const char *name, unsigned flags) { return (int)syscall(SYS_memfd_create, name, flags); }

static void describe(int fd) {
    struct stat st;
    char link[256];
    char path[32];
    fstat(fd, &st);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n < 0 ? 0 : n] = 0;
    printf("  fstat: %s mode %04o size %ld nlink %ld; link \"%s\"; fl %s; fd %s\n",
           S_ISREG(st.st_mode) ? "regular" : "other", st.st_mode & 07777, (long)st.st_size, (long)st.st_nlink,
           link, (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR ? "O_RDWR" : "other",
           fcntl(fd, F_GETFD) & FD_CLOEXEC ? "cloexec" : "inherit");
}

static void names(void) {
    char name[300];
    memset(name, 'n', sizeof name);
    name[249] = 0;
    int fd = mfd(name, 0);
    printf("249-byte name: %s\n", fd >= 0 ? "ok" : errname(errno));
    close(fd);
    name[249] = 'n';
    name[250] = 0;
    T(mfd(name, 0));
    T(mfd("", 0) >= 0);
    T(mfd("a/b", 0) >= 0);
    T(mfd((char *)1, 0));
    T(mfd("x", 0x100));
    T(mfd("x", 0x80000000u));
    T(mfd("x", M_EXEC | M_NOEXEC_SEAL));
    fd = mfd("huge", M_HUGETLB);
    printf("MFD_HUGETLB: %s\n", fd >= 0 ? "ok" : errname(errno));
    close(fd);
}

static void io(void) {
    int fd = mfd("io", 0);
    describe(fd);
    char buf[64];
    T(write(fd, "hello, memfd", 12));
    T(lseek(fd, 0, SEEK_CUR));
    T(lseek(fd, 0, SEEK_END));
    T(pread(fd, buf, sizeof buf, 7));
    printf("  read \"%.5s\"\n", buf);
    T(lseek(fd, 0, SEEK_SET));
    T(read(fd, buf, 5));
    T(pwrite(fd, "XY", 2, 20));
    T(pread(fd, buf, sizeof buf, 0));
    printf("  bytes 12..19 zero: %d\n", memcmp(buf + 12, "\0\0\0\0\0\0\0\0", 8) == 0);
    T(ftruncate(fd, 3));
    T(pread(fd, buf, sizeof buf, 0));
    T(ftruncate(fd, 100000));
    describe(fd);
    T(ftruncate(fd, -1));
    T(lseek(fd, 0, SEEK_HOLE) >= 0);
    T(fsync(fd));
    T(fdatasync(fd));
    T(fallocate(fd, 0, 0, 200000));
    T(lseek(fd, 0, SEEK_END));
    T(fallocate(fd, 1, 0, 300000));
    T(lseek(fd, 0, SEEK_END));
    T(pwrite(fd, "abc", 3, 0));
    T(fallocate(fd, 3, 1, 1));
    T(pread(fd, buf, 3, 0));
    printf("  punched: %d %c %c\n", buf[1], buf[0], buf[2]);
    close(fd);
    fd = mfd("cx", M_CLOEXEC);
    describe(fd);
    close(fd);
}

static void mappings(void) {
    int fd = mfd("map", 0);
    T(ftruncate(fd, 8192));
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("mapped: %d %d\n", p != MAP_FAILED, q != MAP_FAILED);
    T(pwrite(fd, "written", 7, 4096));
    printf("  shared sees write: \"%.7s\"\n", p + 4096);
    memcpy(p + 100, "stored", 6);
    char buf[8] = {0};
    T(pread(fd, buf, 6, 100));
    printf("  read sees store: \"%s\"\n", buf);
    memcpy(q, "private", 7);
    T(pread(fd, buf, 7, 0));
    printf("  private store hidden: %d\n", buf[0] == 0);
    /* A second descriptor of the same file via /proc/self/fd. */
    char path[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int fd2 = open(path, O_RDWR);
    T(pread(fd2, buf, 6, 100));
    printf("  reopened sees: \"%s\"\n", buf);
    close(fd2);
    /* fork: the child's store through the shared mapping reaches the parent. */
    pid_t pid = fork();
    if (pid == 0) {
        memcpy(p + 200, "child", 5);
        pwrite(fd, "cw", 2, 300);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    T(pread(fd, buf, 5, 200));
    printf("  child store: \"%.5s\", child write: \"%.2s\"\n", buf, p + 300);
    munmap(p, 8192);
    munmap(q, 8192);
    close(fd);
}

static void sealing(void) {
    int fd = mfd("noseal", 0);
    T(fcntl(fd, GET_SEALS));
    T(fcntl(fd, ADD_SEALS, S_WRITE));
    close(fd);

    fd = mfd("seal", M_ALLOW_SEALING);
    T(fcntl(fd, GET_SEALS));
    T(write(fd, "0123456789", 10));
    T(fcntl(fd, ADD_SEALS, 0x40));
    T(fcntl(fd, ADD_SEALS, S_SHRINK));
    T(fcntl(fd, GET_SEALS));
    T(ftruncate(fd, 5));
    T(ftruncate(fd, 20));
    T(ftruncate(fd, 20));
    T(fcntl(fd, ADD_SEALS, S_GROW));
    T(ftruncate(fd, 30));
    T(ftruncate(fd, 20));
    T(pwrite(fd, "ab", 2, 18));
    T(pwrite(fd, "abc", 3, 19));
    T(pwrite(fd, "abc", 3, 40));
    T(lseek(fd, 0, SEEK_END));
    /* F_SEAL_GROW stops a write at the last page end within the file */
    {
        static char big[8000];
        int g = mfd("grow", M_ALLOW_SEALING);
        T(write(g, big, 5000));
        T(fcntl(g, ADD_SEALS, S_GROW));
        T(pwrite(g, big, 8000, 100));
        T(pwrite(g, big, 8000, 4200));
        close(g);
    }
    /* F_SEAL_WRITE is refused while a writable shared mapping exists. */
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    T(fcntl(fd, ADD_SEALS, S_WRITE));
    munmap(p, 4096);
    p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    T(fcntl(fd, ADD_SEALS, S_WRITE));
    T(fcntl(fd, GET_SEALS));
    T(write(fd, "x", 1));
    T(pwrite(fd, "x", 1, 0));
    char buf[16] = {0};
    T(pread(fd, buf, 10, 0));
    printf("  contents \"%s\"\n", buf);
    printf("  private map reads \"%.10s\"\n", p);
    munmap(p, 4096);
    /* Write-sealed: no new writable shared mapping; read-only shared and private ones are fine. */
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("  shared writable map after seal: %s\n", p == MAP_FAILED ? errname(errno) : "mapped");
    p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    printf("  shared read-only map after seal: %s\n", p == MAP_FAILED ? errname(errno) : "mapped");
    if (p != MAP_FAILED) munmap(p, 4096);
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("  private writable map after seal: %s\n", p == MAP_FAILED ? errname(errno) : "mapped");
    if (p != MAP_FAILED) munmap(p, 4096);
    T(fcntl(fd, ADD_SEALS, S_SEAL));
    T(fcntl(fd, ADD_SEALS, S_FUTURE_WRITE));
    T(fcntl(fd, ADD_SEALS, 0));
    T(fcntl(fd, GET_SEALS));
    close(fd);

    /* F_SEAL_FUTURE_WRITE: write(2) refused, an existing shared mapping still stores. */
    fd = mfd("future", M_ALLOW_SEALING);
    T(ftruncate(fd, 4096));
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    T(fcntl(fd, ADD_SEALS, S_FUTURE_WRITE));
    T(write(fd, "x", 1));
    T(ftruncate(fd, 8192));
    memcpy(p, "mapped", 6);
    T(pread(fd, buf, 6, 0));
    printf("  store after future-write seal: \"%.6s\"\n", buf);
    munmap(p, 4096);
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("  shared writable map after future-write seal: %s\n", p == MAP_FAILED ? errname(errno) : "mapped");
    T(fcntl(fd, GET_SEALS));
    close(fd);

    /* Sealing needs a writable descriptor. */
    fd = mfd("ro", M_ALLOW_SEALING);
    char path[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int ro = open(path, O_RDONLY);
    T(fcntl(ro, ADD_SEALS, S_GROW));
    T(fcntl(ro, GET_SEALS));
    close(ro);
    close(fd);

    /* Seals on files that are not memfds. */
    fd = open("/proc/self/exe", O_RDONLY);
    T(fcntl(fd, GET_SEALS));
    T(fcntl(fd, ADD_SEALS, S_SEAL));
    close(fd);
    int pfd[2];
    pipe(pfd);
    T(fcntl(pfd[1], GET_SEALS));
    T(fcntl(pfd[1], ADD_SEALS, S_GROW));
    close(pfd[0]);
    close(pfd[1]);

    fd = mfd("noexec", M_NOEXEC_SEAL);
    T(fcntl(fd, GET_SEALS));
    struct stat st;
    fstat(fd, &st);
    printf("  noexec mode %04o\n", st.st_mode & 07777);
    T(fchmod(fd, 0600));
    T(fchmod(fd, 0755));
    T(fcntl(fd, ADD_SEALS, S_GROW));
    T(fcntl(fd, GET_SEALS));
    close(fd);
    /* F_SEAL_EXEC on an executable memfd brings the write seals with it. */
    fd = mfd("sealexec", M_ALLOW_SEALING);
    T(fchmod(fd, 0700));
    T(fcntl(fd, ADD_SEALS, S_EXEC));
    T(fcntl(fd, GET_SEALS));
    T(write(fd, "x", 1));
    T(fchmod(fd, 0600));
    fstat(fd, &st);
    printf("  mode %04o\n", st.st_mode & 07777);
    close(fd);
    fd = mfd("exec", M_EXEC);
    T(fcntl(fd, GET_SEALS));
    close(fd);
    fd = mfd("execseal", M_EXEC | M_ALLOW_SEALING);
    T(fcntl(fd, GET_SEALS));
    close(fd);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2 && strcmp(argv[1], "child") == 0) {
        int fd = atoi(argv[2]);
        char buf[16] = {0};
        printf("exec'd child: pread %ld \"%s\"\n", (long)pread(fd, buf, 8, 0), buf);
        describe(fd);
        return 0;
    }
    names();
    io();
    mappings();
    sealing();

    int fd = mfd("exec-inherit", 0);
    write(fd, "inherit", 7);
    char arg[16];
    snprintf(arg, sizeof arg, "%d", fd);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", argv[0], "child", arg, (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
    return 0;
}
