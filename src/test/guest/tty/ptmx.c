/* /dev/ptmx and devpts (drivers/tty/pty.c, fs/devpts/inode.c): a new pty per open of ptmx,
 * TIOCGPTN, TIOCSPTLCK (the slave cannot be opened while locked), TIOCGPTLCK, TIOCGPTPEER,
 * the nodes of /dev/pts and their attributes, and glibc's or musl's openpty, ptsname, grantpt,
 * unlockpt and ttyname over them. The pty numbers are printed relative to the first one, as
 * other ptys may exist on the host. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>
#include "../errname.h"

static int base;

static void result(const char *what, long r) {
    if (r < 0) printf("%s: %s\n", what, errname(errno));
    else printf("%s: %ld\n", what, r);
}

static void node(const char *what, const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) {
        printf("%s: %s\n", what, errname(errno));
        return;
    }
    printf("%s: mode %o rdev %u,%u uid-is-mine %d gid-is-mine %d\n", what, st.st_mode, major(st.st_rdev),
           major(st.st_rdev) == 136 ? minor(st.st_rdev) - base : minor(st.st_rdev),
           st.st_uid == geteuid(), st.st_gid == getegid());
}

static int listed(int n) {
    DIR *d = opendir("/dev/pts");
    struct dirent *e;
    int found = 0, ptmx = 0;
    char want[16];
    snprintf(want, sizeof want, "%d", n);
    while ((e = readdir(d)) != NULL) {
        found |= strcmp(e->d_name, want) == 0 && e->d_type == DT_CHR;
        ptmx |= strcmp(e->d_name, "ptmx") == 0;
    }
    closedir(d);
    return found + 2 * ptmx;
}

int main(void) {
    int m = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    if (m < 0) {
        perror("open /dev/ptmx");
        return 1;
    }
    unsigned n;
    result("TIOCGPTN", ioctl(m, TIOCGPTN, &n));
    base = n;
    char name[32];
    snprintf(name, sizeof name, "/dev/pts/%u", n);
    int lck = -1;
    result("TIOCGPTLCK", ioctl(m, TIOCGPTLCK, &lck));
    printf("locked %d\n", lck);
    result("open locked slave", open(name, O_RDWR | O_NOCTTY));
    result("TIOCGPTPEER locked", ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY));
    node("slave node", name);
    printf("listed %d\n", listed(n));
    int zero = 0;
    result("TIOCSPTLCK 0", ioctl(m, TIOCSPTLCK, &zero));
    int s = open(name, O_RDWR | O_NOCTTY);
    printf("slave opened %d\n", s >= 0);
    int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    printf("peer opened %d cloexec %d\n", peer >= 0, fcntl(peer, F_GETFD));

    struct stat a, b;
    fstat(s, &a);
    fstat(peer, &b);
    printf("slave and peer same inode %d, S_ISCHR %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev, S_ISCHR(a.st_mode));
    fstat(m, &a);
    printf("master fstat: mode %o rdev %u,%u\n", a.st_mode, major(a.st_rdev), minor(a.st_rdev));
    node("/dev/ptmx", "/dev/ptmx");
    node("/dev/pts/ptmx", "/dev/pts/ptmx");
    node("/dev/tty", "/dev/tty");
    struct stat d;
    stat("/dev/pts", &d);
    printf("/dev/pts is a directory %d\n", S_ISDIR(d.st_mode));
    printf("isatty master %d slave %d peer %d stdout-null %d\n", isatty(m), isatty(s), isatty(peer),
           isatty(open("/dev/null", O_RDONLY)));
    char *tn = ttyname(s);
    printf("ttyname(slave) is the name %d\n", tn != NULL && strcmp(tn, name) == 0);
    tn = ttyname(peer);
    printf("ttyname(peer) is the name %d\n", tn != NULL && strcmp(tn, name) == 0);
    char *pn = ptsname(m);
    printf("ptsname is the name %d\n", pn != NULL && strcmp(pn, name) == 0);
    result("grantpt", grantpt(m));
    result("unlockpt", unlockpt(m));

    /* A second pty takes the next number; closing the first frees its number. */
    int m2 = posix_openpt(O_RDWR | O_NOCTTY);
    unsigned n2;
    ioctl(m2, TIOCGPTN, &n2);
    printf("second pty +%d\n", (int)(n2 - n));
    printf("listed second %d\n", listed(n2));

    /* Ioctls on the wrong kind of file. */
    int fd = open("/dev/null", O_RDWR);
    result("TIOCGPTN on /dev/null", ioctl(fd, TIOCGPTN, &n));
    result("TCGETS on /dev/null", ioctl(fd, TCGETS, &a));
    result("TIOCGPTN on slave", ioctl(s, TIOCGPTN, &n));
    result("TIOCGPTPEER on slave", ioctl(s, TIOCGPTPEER, O_RDWR));

    close(m);
    node("slave node after master close", name);
    printf("listed after master close %d\n", listed(n));
    close(s);
    close(peer);
    int m3 = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY);
    unsigned n3 = 99;
    ioctl(m3, TIOCGPTN, &n3);
    printf("pty through /dev/pts/ptmx reuses the number %d\n", n3 == n);

    /* openpty with a termios and a window size. */
    int om, os;
    struct termios t;
    memset(&t, 0, sizeof t);
    t.c_lflag = ICANON;
    t.c_oflag = 0;
    t.c_cflag = CS8 | CREAD | B9600;
    t.c_cc[VEOF] = 4;
    struct winsize w = {50, 132, 1, 2};
    char oname[64];
    result("openpty", openpty(&om, &os, oname, &t, &w));
    struct termios got;
    tcgetattr(os, &got);
    printf("openpty termios: lflag %o oflag %o cflag %o\n", got.c_lflag, got.c_oflag, got.c_cflag);
    struct winsize gw;
    ioctl(om, TIOCGWINSZ, &gw);
    printf("openpty winsize %d %d %d %d\n", gw.ws_row, gw.ws_col, gw.ws_xpixel, gw.ws_ypixel);
    printf("openpty speed %d\n", cfgetospeed(&got) == B9600);
    return 0;
}
