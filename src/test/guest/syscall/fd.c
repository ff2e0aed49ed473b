/* dup, dup2, dup3, fcntl, ioctl, fsync and fdatasync: success and the errors Linux gives. Raw
 * syscalls, so glibc and musl make the same calls. In the test runner stdin and stdout are pipes,
 * so terminal requests are ENOTTY on both sides. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#ifndef F_OFD_SETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#endif
#ifndef FIOQSIZE
#define FIOQSIZE 0x5460
#endif

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static int cloexec(int fd) { return (int)syscall(SYS_fcntl, fd, F_GETFD); }

static void dup_calls(void) {
    int fd = open("f", O_RDWR);
    printf("fd %d\n", fd);
    T(syscall(SYS_dup, fd));
    T(syscall(SYS_dup, 99));
    T(syscall(SYS_dup, -1));
    T(syscall(SYS_dup2, fd, 10));
    T(syscall(SYS_dup2, fd, fd));
    T(syscall(SYS_dup2, 55, 55));
    T(syscall(SYS_dup2, 55, 11));
    T(syscall(SYS_dup2, fd, -1));
    T(syscall(SYS_dup3, fd, 12, O_CLOEXEC));
    printf("  cloexec 12: %d, 10: %d\n", cloexec(12), cloexec(10));
    T(syscall(SYS_dup3, fd, 10, O_CLOEXEC));
    printf("  cloexec 10: %d\n", cloexec(10));
    T(syscall(SYS_dup2, fd, 10));
    printf("  cloexec 10: %d\n", cloexec(10));
    T(syscall(SYS_dup3, fd, fd, 0));
    T(syscall(SYS_dup3, fd, fd, O_CLOEXEC));
    T(syscall(SYS_dup3, fd, 13, 1));
    T(syscall(SYS_dup3, fd, 13, O_NONBLOCK));
    T(syscall(SYS_dup3, 77, 13, O_CLOEXEC));
    T(syscall(SYS_dup3, fd, -5, 0));
    /* A duplicate shares the file position and status flags. */
    lseek(fd, 2, SEEK_SET);
    printf("  position through 10: %ld\n", (long)lseek(10, 0, SEEK_CUR));
    syscall(SYS_fcntl, 10, F_SETFL, O_APPEND);
    printf("  append through fd: %d\n", (int)(syscall(SYS_fcntl, fd, F_GETFL) & O_APPEND) != 0);
    syscall(SYS_fcntl, 10, F_SETFL, 0);
    /* Closing one leaves the other working. */
    close(10);
    char buf[8] = {0};
    T(pread(fd, buf, 5, 0));
    printf("  [%s]\n", buf);
    T(syscall(SYS_close, 10));
    close(12);
    int lowest = (int)syscall(SYS_dup, fd);
    printf("  dup takes the lowest free: %d\n", lowest == 4 || lowest == 5 ? 1 : lowest);
    close(lowest);
    close(fd);
}

static void fcntl_calls(void) {
    int fd = open("f", O_RDWR);
    int ro = open("f", O_RDONLY);
    int pfd = open("f", O_PATH);
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_fcntl, fd, F_GETFD));
    T(syscall(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC));
    T(syscall(SYS_fcntl, fd, F_GETFD));
    T(syscall(SYS_fcntl, fd, F_SETFD, 0xfe));
    T(syscall(SYS_fcntl, fd, F_GETFD));
    T(syscall(SYS_fcntl, fd, F_SETFD, 0xff));
    T(syscall(SYS_fcntl, fd, F_GETFD));
    int cl = open("f", O_RDONLY | O_CLOEXEC);
    T(syscall(SYS_fcntl, cl, F_GETFD));
    close(cl);
    T(syscall(SYS_fcntl, fd, F_DUPFD, 20));
    T(syscall(SYS_fcntl, fd, F_DUPFD, 20));
    printf("  cloexec 20: %d\n", cloexec(20));
    T(syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 20));
    printf("  cloexec 22: %d\n", cloexec(22));
    T(syscall(SYS_fcntl, fd, F_DUPFD, -1));
    T(syscall(SYS_fcntl, fd, F_DUPFD, 0));
    close(20);
    close(21);
    close(22);
    T(syscall(SYS_fcntl, fd, F_GETFL));
    T(syscall(SYS_fcntl, ro, F_GETFL));
    T(syscall(SYS_fcntl, dfd, F_GETFL));
    T(syscall(SYS_fcntl, 0, F_GETFL));
    T(syscall(SYS_fcntl, 1, F_GETFL));
    T(syscall(SYS_fcntl, fd, F_SETFL, O_APPEND | O_NONBLOCK | O_TRUNC | O_CREAT | O_RDONLY));
    T(syscall(SYS_fcntl, fd, F_GETFL));
    T(syscall(SYS_fcntl, fd, F_SETFL, O_NOATIME));
    T(syscall(SYS_fcntl, fd, F_GETFL));
    T(syscall(SYS_fcntl, fd, F_SETFL, 0));
    T(syscall(SYS_fcntl, fd, F_GETFL));
    int ap = open("f", O_WRONLY | O_APPEND | O_NONBLOCK);
    T(syscall(SYS_fcntl, ap, F_GETFL));
    close(ap);
    T(syscall(SYS_fcntl, pfd, F_GETFD));
    T(syscall(SYS_fcntl, pfd, F_SETFD, 1));
    T(syscall(SYS_fcntl, pfd, F_SETFL, 0));
    T(syscall(SYS_fcntl, pfd, F_GETLK, NULL));
    T(syscall(SYS_fcntl, 99, F_GETFD));
    T(syscall(SYS_fcntl, fd, 99));
    T(syscall(SYS_fcntl, fd, -1));

    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    T(syscall(SYS_fcntl, fd, F_SETLK, &fl));
    T(syscall(SYS_fcntl, fd, F_SETLKW, &fl));
    T(syscall(SYS_fcntl, ro, F_SETLK, &fl));
    fl.l_type = F_RDLCK;
    T(syscall(SYS_fcntl, ro, F_SETLK, &fl));
    fl.l_type = F_UNLCK;
    T(syscall(SYS_fcntl, fd, F_SETLK, &fl));
    T(syscall(SYS_fcntl, fd, F_GETLK, &fl));
    fl.l_type = 7;
    T(syscall(SYS_fcntl, fd, F_SETLK, &fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = 9;
    T(syscall(SYS_fcntl, fd, F_SETLK, &fl));
    fl.l_whence = SEEK_END;
    fl.l_start = -2;
    fl.l_len = 10;
    fl.l_pid = 1234;
    T(syscall(SYS_fcntl, fd, F_GETLK, &fl));
    printf("  l_type %d l_whence %d l_start %ld l_len %ld l_pid %d\n", fl.l_type, fl.l_whence, (long)fl.l_start,
           (long)fl.l_len, fl.l_pid);
    fl.l_whence = SEEK_SET;
    fl.l_start = -5;
    T(syscall(SYS_fcntl, fd, F_SETLK, &fl));
    fl.l_start = 3;
    fl.l_len = -4;
    T(syscall(SYS_fcntl, fd, F_SETLK, &fl));
    fl.l_len = -3;
    T(syscall(SYS_fcntl, fd, F_SETLK, &fl));
    fl.l_start = 0x7fffffffffffffffL;
    fl.l_len = 2;
    T(syscall(SYS_fcntl, fd, F_SETLK, &fl));
    T(syscall(SYS_fcntl, fd, F_SETLK, NULL));
    T(syscall(SYS_fcntl, fd, F_GETLK, NULL));
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_RDLCK;
    T(syscall(SYS_fcntl, fd, F_OFD_GETLK, &fl));
    printf("  l_type %d\n", fl.l_type);
    fl.l_pid = 1;
    T(syscall(SYS_fcntl, fd, F_OFD_SETLK, &fl));
    /* What libc's lockf and flock-style users do. */
    T(lockf(fd, F_LOCK, 0));
    T(lockf(fd, F_TEST, 0));
    T(lockf(fd, F_ULOCK, 0));
    /* No owner yet (F_SETOWN's effect is not recorded, so it is not asked for after it). */
    struct f_owner_ex owner = {77, 77};
    T(syscall(SYS_fcntl, fd, F_GETOWN_EX, &owner));
    printf("  owner type %d pid %d\n", owner.type, owner.pid);
    T(syscall(SYS_fcntl, fd, F_GETOWN));
    T(syscall(SYS_fcntl, fd, F_SETOWN, 0));
    owner.type = 9;
    T(syscall(SYS_fcntl, fd, F_SETOWN_EX, &owner));
    T(syscall(SYS_fcntl, fd, F_GETSIG));
    T(syscall(SYS_fcntl, fd, F_SETSIG, 65));
    T(syscall(SYS_fcntl, fd, F_GETLEASE));
    close(fd);
    close(ro);
    close(pfd);
    close(dfd);
}

static void ioctl_calls(void) {
    int fd = open("f", O_RDWR);
    int pfd = open("f", O_PATH);
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    int n = 12345;
    T(syscall(SYS_ioctl, fd, FIONREAD, &n));
    printf("  FIONREAD %d\n", n);
    lseek(fd, 3, SEEK_SET);
    T(syscall(SYS_ioctl, fd, FIONREAD, &n));
    printf("  FIONREAD %d\n", n);
    lseek(fd, 100, SEEK_SET);
    T(syscall(SYS_ioctl, fd, FIONREAD, &n));
    printf("  FIONREAD %d\n", n);
    T(syscall(SYS_ioctl, fd, FIONREAD, NULL));
    T(syscall(SYS_ioctl, dfd, FIONREAD, &n));
    n = 12345;
    T(syscall(SYS_ioctl, 0, FIONREAD, &n));
    printf("  FIONREAD stdin %d\n", n);
    T(syscall(SYS_ioctl, pfd, FIONREAD, &n));
    T(syscall(SYS_ioctl, 99, FIONREAD, &n));
    struct termios tio;
    struct winsize ws;
    T(syscall(SYS_ioctl, 0, TCGETS, &tio));
    T(syscall(SYS_ioctl, 1, TCGETS, &tio));
    T(syscall(SYS_ioctl, 1, TIOCGWINSZ, &ws));
    T(syscall(SYS_ioctl, fd, TCGETS, &tio));
    T(syscall(SYS_ioctl, fd, TIOCGWINSZ, &ws));
    T(syscall(SYS_ioctl, dfd, TCGETS, &tio));
    T(isatty(0));
    T(isatty(1));
    T(isatty(fd));
    T(syscall(SYS_ioctl, fd, 0x12345678, &n));
    T(syscall(SYS_ioctl, fd, FIOCLEX));
    printf("  cloexec %d\n", cloexec(fd));
    T(syscall(SYS_ioctl, fd, FIONCLEX));
    printf("  cloexec %d\n", cloexec(fd));
    int on = 1;
    T(syscall(SYS_ioctl, fd, FIONBIO, &on));
    printf("  nonblock %d\n", (int)(syscall(SYS_fcntl, fd, F_GETFL) & O_NONBLOCK) != 0);
    on = 0;
    T(syscall(SYS_ioctl, fd, FIONBIO, &on));
    printf("  nonblock %d\n", (int)(syscall(SYS_fcntl, fd, F_GETFL) & O_NONBLOCK) != 0);
    T(syscall(SYS_ioctl, fd, FIONBIO, NULL));
    T(syscall(SYS_ioctl, fd, FIOASYNC, &on));
    on = 1;
    T(syscall(SYS_ioctl, fd, FIOASYNC, &on));
    long long qsize = -1;
    T(syscall(SYS_ioctl, dfd, FIOQSIZE, &qsize));
    T(syscall(SYS_ioctl, 0, FIOQSIZE, &qsize));
    close(fd);
    close(pfd);
    close(dfd);
}

static void sync_calls(void) {
    int fd = open("f", O_RDWR);
    int ro = open("f", O_RDONLY);
    int pfd = open("f", O_PATH);
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_fsync, fd));
    T(syscall(SYS_fsync, ro));
    T(syscall(SYS_fsync, dfd));
    T(syscall(SYS_fsync, pfd));
    T(syscall(SYS_fsync, 99));
    T(syscall(SYS_fsync, 0));
    T(syscall(SYS_fsync, 1));
    T(syscall(SYS_fdatasync, fd));
    T(syscall(SYS_fdatasync, dfd));
    T(syscall(SYS_fdatasync, pfd));
    T(syscall(SYS_fdatasync, 1));
    T(syscall(SYS_fdatasync, -1));
    close(fd);
    close(ro);
    close(pfd);
    close(dfd);
}

int main(void) {
    char dir[] = "/tmp/l4j-fdXXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    if (chdir(dir) < 0) { perror("chdir"); return 1; }
    int fd = open("f", O_CREAT | O_WRONLY, 0644);
    write(fd, "hello world", 11);
    close(fd);
    mkdir("dir", 0755);
    printf("-- dup\n");
    dup_calls();
    printf("-- fcntl\n");
    fcntl_calls();
    printf("-- ioctl\n");
    ioctl_calls();
    printf("-- fsync\n");
    sync_calls();
    unlink("f");
    rmdir("dir");
    if (chdir("/tmp") < 0 || rmdir(dir) < 0) { perror("cleanup"); return 1; }
    printf("done\n");
    return 0;
}
