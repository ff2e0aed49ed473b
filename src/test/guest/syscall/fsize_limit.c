/* RLIMIT_FSIZE (generic_write_check_limits, inode_newsize_ok): a write to a regular file stops at
 * the limit, one at or past it gets SIGXFSZ and EFBIG; write, pwrite, writev, O_APPEND, a write
 * larger than linux4j's chunks that ends exactly at the limit (a short count, no signal),
 * truncate and ftruncate growing past it, fallocate; pipes and /dev/null have no limit; and a
 * process that does not handle SIGXFSZ dies of it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-52s -> %s (SIGXFSZ %d)\n", #call, errname(errno), xfsz); \
    else printf("%-52s -> %ld (SIGXFSZ %d)\n", #call, r_, xfsz); xfsz = 0; } while (0)

static volatile sig_atomic_t xfsz;
static void on_xfsz(int sig) { (void)sig; xfsz++; }

static void limit(rlim_t bytes) {
    struct rlimit rl = {bytes, RLIM_INFINITY};
    if (setrlimit(RLIMIT_FSIZE, &rl) < 0) perror("setrlimit");
}

static long size_of(const char *path) {
    struct stat st;
    return stat(path, &st) < 0 ? -1 : (long)st.st_size;
}

int main(void) {
    /* Output is held until the limit is large: stdout may be a regular file, limited too. */
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    char dir[] = "/tmp/l4j-fsizeXXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    if (chdir(dir) < 0) { perror("chdir"); return 1; }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_xfsz;
    sigaction(SIGXFSZ, &sa, NULL);
    static char buf[3 << 20];
    memset(buf, 'x', sizeof buf);

    limit(1000);
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    T(write(fd, buf, 600));
    T(write(fd, buf, 600));
    T(write(fd, buf, 1));
    T(write(fd, buf, 0));
    T(pwrite(fd, buf, 10, 999));
    T(pwrite(fd, buf, 10, 1000));
    T(pwrite(fd, buf, 10, 5000));
    struct iovec iov[2] = {{buf, 300}, {buf, 300}};
    T(pwritev(fd, iov, 2, 800));
    T(ftruncate(fd, 2000));
    T(ftruncate(fd, 1000));
    T(ftruncate(fd, 500));
    T(truncate("f", 1001));
    T(truncate("f", 900));
    printf("size %ld\n", size_of("f"));
    T(fallocate(fd, 0, 0, 4096));
    close(fd);

    fd = open("f", O_WRONLY | O_APPEND);
    T(write(fd, buf, 200));
    T(write(fd, buf, 200));
    close(fd);
    printf("size %ld\n", size_of("f"));

    int p[2];
    if (pipe(p) < 0) return 1;
    T(write(p[1], buf, 4000));
    close(p[0]);
    close(p[1]);
    fd = open("/dev/null", O_WRONLY);
    T(write(fd, buf, 4000));
    close(fd);

    limit(1 << 20); /* a write of 3 MiB ends exactly at the limit */
    fd = open("g", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    T(write(fd, buf, sizeof buf));
    T(write(fd, buf, 1));
    close(fd);
    printf("size %ld\n", size_of("g"));
    fd = open("h", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    struct iovec big[3] = {{buf, 1 << 20}, {buf, 1 << 20}, {buf, 1 << 20}};
    T(writev(fd, big, 3));
    close(fd);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        signal(SIGXFSZ, SIG_DFL);
        struct rlimit core = {0, 0};
        setrlimit(RLIMIT_CORE, &core);
        limit(10);
        int cfd = open("c", O_CREAT | O_WRONLY | O_TRUNC, 0644);
        write(cfd, buf, 10);
        write(cfd, buf, 1);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child signalled %d sig %d core %d\n", WIFSIGNALED(status), WTERMSIG(status), WCOREDUMP(status) ? 1 : 0);
    printf("size %ld\n", size_of("c"));

    limit(RLIM_INFINITY);
    const char *junk[] = {"f", "g", "h", "c"};
    for (unsigned i = 0; i < sizeof junk / sizeof junk[0]; i++) unlink(junk[i]);
    if (chdir("/tmp") < 0 || rmdir(dir) < 0) { perror("cleanup"); return 1; }
    printf("done\n");
    return 0;
}
