/* The pty line discipline (drivers/tty/n_tty.c) seen from both ends of one pty: input written
 * to the master goes through ICRNL/INLCR/IGNCR, canonical editing (VERASE, VKILL, VWERASE, VEOF)
 * and echo (ECHOCTL's ^X, ECHOE's "\b \b") back to the master; output written to the slave goes
 * through OPOST/ONLCR. Raw ioctls throughout, so glibc and musl builds print the same. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "../errname.h"

static int m, s;

static void show(const char *what, const char *buf, long n) {
    printf("%s: %ld \"", what, n);
    for (long i = 0; i < n; i++) {
        unsigned char c = buf[i];
        if (c >= 32 && c < 127 && c != '\\' && c != '"') putchar(c);
        else printf("\\x%02x", c);
    }
    printf("\"\n");
}

/* Lets Linux's line discipline finish with what the master wrote: poll on the slave runs the
 * pending receive work (tty_buffer_flush_work), whose echoes then wait in the master. */
static void settle(void) {
    struct pollfd p = {s, POLLIN, 0};
    poll(&p, 1, 0);
}

static void put(const char *in) {
    if (write(m, in, strlen(in)) != (long)strlen(in)) perror("write master");
    settle();
}

/* One read of what is waiting at a non-blocking fd (the pty's ends here are O_NONBLOCK). */
static void drain(const char *what, int fd) {
    char buf[512];
    long n = read(fd, buf, sizeof buf);
    if (n < 0) printf("%s: %s\n", what, errname(errno));
    else show(what, buf, n);
}

/* All that is waiting at the master: a read that finds nothing lets Linux's pending work run. */
static void drain_master(const char *what) {
    char buf[1024];
    long n = 0, r;
    while (n < (long)sizeof buf && (r = read(m, buf + n, sizeof buf - n)) > 0) n += r;
    if (n == 0) printf("%s: %s\n", what, errname(errno));
    else show(what, buf, n);
}

static void result(const char *what, long r) {
    if (r < 0) printf("%s: %s\n", what, errname(errno));
    else printf("%s: %ld\n", what, r);
}

static void term(int set_lflag, int clear_lflag, int set_iflag, int clear_iflag) {
    struct termios t;
    ioctl(s, TCGETS, &t);
    t.c_lflag = (t.c_lflag | set_lflag) & ~clear_lflag;
    t.c_iflag = (t.c_iflag | set_iflag) & ~clear_iflag;
    if (ioctl(s, TCSETS, &t) < 0) perror("TCSETS");
}

static void fionread(const char *what, int fd) {
    int n = -1;
    if (ioctl(fd, FIONREAD, &n) < 0) printf("%s FIONREAD: %s\n", what, errname(errno));
    else printf("%s FIONREAD %d\n", what, n);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK);
    int zero = 0, ptn;
    ioctl(m, TIOCSPTLCK, &zero);
    ioctl(m, TIOCGPTN, &ptn);
    char name[32];
    snprintf(name, sizeof name, "/dev/pts/%d", ptn);
    s = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (m < 0 || s < 0) { perror("open"); return 1; }

    struct termios t, mt;
    memset(&t, 0, sizeof t);
    memset(&mt, 0, sizeof mt);
    ioctl(s, TCGETS, &t);
    printf("iflag %o oflag %o cflag %o lflag %o line %d\n", t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag, t.c_line);
    printf("cc");
    for (int i = 0; i < 19; i++) printf(" %d", t.c_cc[i]);
    printf("\n");
    ioctl(m, TCGETS, &mt);
    printf("master sees the slave's termios: %d\n", memcmp(&t, &mt, 36) == 0);

    drain("empty slave", s);
    drain_master("empty master");

    /* Output processing: ONLCR. */
    write(s, "out\nline\r\n", 10);
    drain_master("slave output");

    /* Canonical input with echo and CR->NL. */
    put("hello\r");
    drain_master("echo");
    fionread("slave", s);
    drain("line", s);

    /* Partial line: not readable until a delimiter. */
    put("abc");
    drain("partial", s);
    fionread("slave partial", s);
    put("\n");
    drain("completed", s);
    drain_master("echo");

    /* Erase, word erase, kill, control characters echoed as ^X and erased as two. */
    put("abx\x7f" "c\x01\x7f" "d\n");
    drain_master("erase echo");
    drain("erase line", s);
    put("one two\x17" "three\n");
    drain_master("werase echo");
    drain("werase line", s);
    put("junk\x15" "kept\n");
    drain_master("kill echo");
    drain("kill line", s);
    put("\x7f\n");
    drain_master("erase at start echo");
    drain("erase at start line", s);

    /* VEOF: ends a line without a newline; alone it reads as 0 (end of file). */
    put("eof\x04");
    drain_master("eof echo");
    drain("eof line", s);
    put("\x04");
    drain("eof alone", s);
    drain("eof after", s);

    /* A line read in pieces. */
    put("0123456789\n");
    drain_master("echo");
    char buf[64];
    long n = read(s, buf, 4);
    show("piece", buf, n);
    n = read(s, buf, sizeof buf);
    show("rest", buf, n);

    /* Without ECHOCTL, ECHOE; then without ECHO. */
    term(0, ECHOCTL | ECHOE | ECHOKE, 0, 0);
    put("a\x01" "b\x7f" "c\x15" "d\n");
    drain_master("plain echo");
    drain("plain line", s);
    term(ECHOCTL | ECHOE | ECHOKE, ECHO, 0, 0);
    put("quiet\r");
    drain_master("no echo");
    drain("no echo line", s);
    term(ECHO, 0, 0, 0);

    /* Input flags: no ICRNL, INLCR, IGNCR. */
    term(0, 0, 0, ICRNL);
    put("cr\rstays\n");
    drain_master("no icrnl echo");
    drain("no icrnl line", s);
    term(0, 0, INLCR | IGNCR, 0);
    put("x\ry\n");
    drain_master("igncr inlcr echo");
    drain("igncr inlcr line", s);
    fionread("unfinished", s);
    result("TCFLSH TCIFLUSH", ioctl(s, TCFLSH, TCIFLUSH));
    fionread("flushed", s);
    term(0, 0, ICRNL, INLCR | IGNCR);

    /* Non-canonical: bytes as they come, VMIN 0 returns at once. */
    ioctl(s, TCGETS, &t);
    t.c_lflag &= ~ICANON;
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    ioctl(s, TCSETS, &t);
    put("raw\x7f\x01\r\n");
    drain_master("raw echo");
    fionread("raw slave", s);
    drain("raw read", s);
    drain("raw empty", s);
    int fl = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl & ~O_NONBLOCK);
    n = read(s, buf, sizeof buf);
    printf("blocking read with VMIN 0 VTIME 0: %ld\n", n);
    /* VMIN 2: a read returns once 2 bytes (or as many as asked) are there. */
    t.c_cc[VMIN] = 2;
    ioctl(s, TCSETS, &t);
    put("abcde");
    n = read(s, buf, 3);
    show("VMIN 2, 3 asked", buf, n);
    n = read(s, buf, sizeof buf);
    show("VMIN 2, the rest", buf, n);
    /* VTIME: with VMIN 0 a timeout for the read, with VMIN 5 between bytes. */
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 1;
    ioctl(s, TCSETS, &t);
    n = read(s, buf, sizeof buf);
    printf("VMIN 0 VTIME 1 with nothing: %ld\n", n);
    t.c_cc[VMIN] = 5;
    ioctl(s, TCSETS, &t);
    put("xy");
    n = read(s, buf, sizeof buf);
    show("VMIN 5 VTIME 1 with two bytes", buf, n);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    ioctl(s, TCSETS, &t);
    fcntl(s, F_SETFL, fl);
    drain_master("echoes of the VMIN reads");

    /* OPOST off: newlines go through as they are. */
    ioctl(s, TCGETS, &t);
    t.c_oflag &= ~OPOST;
    ioctl(s, TCSETS, &t);
    write(s, "a\nb\n", 4);
    drain_master("no opost");
    t.c_oflag |= OPOST | OCRNL;
    ioctl(s, TCSETS, &t);
    write(s, "c\r\n", 3);
    drain_master("ocrnl");

    /* Window size, shared by both ends. */
    struct winsize w = {24, 80, 0, 0};
    ioctl(m, TIOCSWINSZ, &w);
    struct winsize got;
    memset(&got, 0, sizeof got);
    ioctl(s, TIOCGWINSZ, &got);
    printf("winsize %d %d %d %d\n", got.ws_row, got.ws_col, got.ws_xpixel, got.ws_ypixel);

    /* TCFLSH: input flushed. */
    ioctl(s, TCGETS, &t);
    t.c_lflag |= ICANON;
    ioctl(s, TCSETS, &t);
    put("flushed\n");
    drain_master("echo");
    printf("TCFLSH %d\n", ioctl(s, TCFLSH, TCIFLUSH));
    drain("after flush", s);
    result("TCFLSH bad", ioctl(s, TCFLSH, 7));

    /* poll readiness. */
    struct pollfd p[2] = {{m, POLLIN | POLLOUT, 0}, {s, POLLIN | POLLOUT, 0}};
    poll(p, 2, 0);
    printf("poll idle: master %x slave %x\n", p[0].revents, p[1].revents);
    write(s, "x", 1);
    put("y\n");
    poll(p, 2, 0);
    printf("poll data: master %x slave %x\n", p[0].revents, p[1].revents);
    drain_master("master");
    drain("slave", s);

    /* Ioctls a pty does not know. */
    result("TIOCGPTN on slave", ioctl(s, TIOCGPTN, &ptn));
    result("TIOCSPTLCK on slave", ioctl(s, TIOCSPTLCK, &zero));
    result("TCXONC", ioctl(s, TCXONC, TCOON));

    /* The slave closed: the master reads what is left, then EIO, and polls POLLHUP. */
    write(s, "bye\n", 4);
    close(s);
    drain_master("after slave close");
    drain_master("then");
    struct pollfd pm = {m, POLLIN | POLLOUT, 0};
    poll(&pm, 1, 0);
    printf("master poll %x\n", pm.revents);
    result("write master", write(m, "q\n", 2));
    /* Opened again, the slave reads what the master wrote meanwhile. */
    s = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
    drain("slave again", s);
    pm.revents = 0;
    poll(&pm, 1, 0);
    printf("master poll %x\n", pm.revents);
    /* The master closed: the slave is hung up, reads 0 and writes EIO. */
    put("pending\n");
    drain_master("echo");
    close(m);
    struct pollfd ps = {s, POLLIN | POLLOUT, 0};
    poll(&ps, 1, 0);
    printf("slave poll %x\n", ps.revents);
    result("read hung-up slave", read(s, buf, sizeof buf));
    result("write hung-up slave", write(s, "x", 1));
    result("TCGETS hung-up slave", ioctl(s, TCGETS, &t));
    struct stat st;
    result("stat slave while open", stat(name, &st));
    close(s);
    result("stat slave after close", stat(name, &st));
    return 0;
}
