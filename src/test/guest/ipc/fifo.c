/* Named pipes (mkfifo): fifo_open's waits and ENXIO, data between processes, end of file after
 * the last writer, EPIPE after the last reader, O_RDWR, poll's POLLIN/POLLHUP/POLLERR, FIONREAD,
 * fstat, lseek, a blocking read ended by a signal (EINTR without SA_RESTART), and blocking
 * opens meeting: a reader waits for a writer, and a writer waiting in open sees a reader that
 * closes right after its open returns (linux4j's reader did not wait, and such a writer waited
 * forever: python3's test_eintr, test_open). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-60s -> %s\n", #call, errname(errno)); else printf("%-60s -> %ld\n", #call, r_); } while (0)

static void on_alarm(int sig) { (void)sig; }

static int revents(int fd, short events) {
    struct pollfd p = {fd, events, 0};
    int n = poll(&p, 1, 0);
    return n < 0 ? -1 : p.revents;
}

int main(void) {
    char dir[] = "/tmp/l4j-fifoXXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    if (chdir(dir) < 0) { perror("chdir"); return 1; }
    signal(SIGPIPE, SIG_IGN);
    T(mkfifo("p", 0600));

    printf("-- no partner\n");
    T(open("p", O_WRONLY | O_NONBLOCK));
    int r = open("p", O_RDONLY | O_NONBLOCK);
    printf("reader opened: %d\n", r >= 0);
    char buf[64];
    T(read(r, buf, sizeof buf)); /* no writer: end of file */
    printf("poll before any writer: %#x\n", revents(r, POLLIN));
    struct stat st;
    T(fstat(r, &st));
    printf("fifo %d size %ld\n", S_ISFIFO(st.st_mode), (long)st.st_size);
    T(lseek(r, 0, SEEK_SET));

    printf("-- a writer now that there is a reader\n");
    int w = open("p", O_WRONLY | O_NONBLOCK);
    printf("writer opened: %d\n", w >= 0);
    T(read(r, buf, sizeof buf)); /* a writer, no data */
    T(write(w, "abc", 3));
    int avail = -1;
    T(ioctl(r, FIONREAD, &avail));
    printf("FIONREAD %d, poll %#x\n", avail, revents(r, POLLIN));
    memset(buf, 0, sizeof buf);
    T(read(r, buf, sizeof buf));
    printf("got [%s]\n", buf);
    T(close(w));
    printf("poll after the writer left: %#x\n", revents(r, POLLIN) & (POLLIN | POLLHUP));
    T(read(r, buf, sizeof buf));

    printf("-- the reader leaves\n");
    w = open("p", O_WRONLY | O_NONBLOCK);
    printf("writer opened: %d\n", w >= 0);
    T(close(r));
    printf("writer poll: %#x\n", revents(w, POLLOUT) & (POLLOUT | POLLERR));
    T(write(w, "x", 1));
    T(close(w));

    printf("-- O_RDWR never waits\n");
    int rw = open("p", O_RDWR);
    printf("opened: %d\n", rw >= 0);
    T(write(rw, "both", 4));
    memset(buf, 0, sizeof buf);
    T(read(rw, buf, sizeof buf));
    printf("got [%s]\n", buf);
    T(close(rw));

    printf("-- between processes, blocking\n");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int cw = open("p", O_WRONLY); /* waits for the parent's reader */
        if (cw < 0) _exit(2);
        for (int i = 0; i < 3; i++) {
            char line[32];
            int n = snprintf(line, sizeof line, "line %d\n", i);
            if (write(cw, line, n) != n) _exit(3);
            usleep(20000);
        }
        _exit(0);
    }
    r = open("p", O_RDONLY);
    printf("reader opened: %d\n", r >= 0);
    size_t total = 0;
    char all[256];
    long n;
    while ((n = read(r, all + total, sizeof all - 1 - total)) > 0) total += n;
    all[total] = 0;
    printf("read until end of file (%ld): %zu bytes\n%s", n, total, all);
    int status;
    waitpid(child, &status, 0);
    printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    T(close(r));

    printf("-- a large write to a blocking reader\n");
    fflush(stdout);
    child = fork();
    if (child == 0) {
        int cr = open("p", O_RDONLY);
        long sum = 0, got = 0;
        unsigned char b[4096];
        while ((n = read(cr, b, sizeof b)) > 0) {
            for (long i = 0; i < n; i++) sum += b[i];
            got += n;
        }
        printf("child read %ld bytes, sum %ld\n", got, sum);
        fflush(stdout);
        _exit(0);
    }
    w = open("p", O_WRONLY);
    static unsigned char big[300000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (unsigned char)(i * 7);
    T(write(w, big, sizeof big));
    T(close(w));
    waitpid(child, &status, 0);

    printf("-- a blocking read ended by a signal\n");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: EINTR */
    sigaction(SIGALRM, &sa, NULL);
    rw = open("p", O_RDWR); /* a writer exists (this one), so the read waits */
    alarm(1);
    T(read(rw, buf, sizeof buf));
    T(close(rw));

    alarm(0);

    printf("-- blocking opens meet: the reader waits for the writer\n");
    int ready[2];
    pipe(ready);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("p", O_RDONLY); /* waits for the parent's open */
        char c = fd >= 0 ? 'R' : 'E';
        write(ready[1], &c, 1);
        close(fd);
        _exit(0);
    }
    usleep(200000);
    char c = 0;
    int fl = fcntl(ready[0], F_GETFL);
    fcntl(ready[0], F_SETFL, fl | O_NONBLOCK);
    printf("reader returned before a writer came: %s\n", read(ready[0], &c, 1) == 1 ? "yes" : "no");
    fcntl(ready[0], F_SETFL, fl);
    w = open("p", O_WRONLY);
    printf("writer opened: %d\n", w >= 0);
    read(ready[0], &c, 1);
    printf("reader then opened: %c\n", c);
    waitpid(pid, NULL, 0);
    close(w);

    printf("-- a writer waiting in open, a reader that opens and closes at once\n");
    pid = fork();
    if (pid == 0) {
        usleep(200000);
        close(open("p", O_RDONLY));
        _exit(0);
    }
    w = open("p", O_WRONLY);
    printf("writer opened: %d\n", w >= 0);
    waitpid(pid, NULL, 0);
    T(write(w, "x", 1)); /* the reader has gone */
    close(w);
    close(ready[0]);
    close(ready[1]);

    T(unlink("p"));
    if (chdir("/tmp") < 0 || rmdir(dir) < 0) { perror("cleanup"); return 1; }
    printf("done\n");
    return 0;
}
