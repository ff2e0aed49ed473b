/* /proc/self/fd/N magic links: readlink text for pipes ("pipe:[INODE]" with fstat's inode, the
 * same for both ends), unlinked files ("PATH (deleted)"), directories and stdio; opening them
 * opens the same pipe (a new description with the mode asked) or the same unlinked file;
 * /proc/self/fdinfo/N; /proc/self/cwd of a removed directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../errname.h"

static char top[64];

static const char *link_of(int fd) {
    static char buf[512];
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    long n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) return errname(errno);
    buf[n] = 0;
    return buf;
}

static int reopen(int fd, int flags) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return open(path, flags);
}

/* The fdinfo lines that do not vary between runs: pos, flags, and whether ino is fstat's. */
static void fdinfo(const char *label, int fd) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    int f = open(path, O_RDONLY);
    long n = read(f, buf, sizeof buf - 1);
    close(f);
    buf[n > 0 ? n : 0] = 0;
    struct stat st;
    fstat(fd, &st);
    long pos = -1;
    unsigned flags = 0, mnt = 0;
    unsigned long ino = 0;
    sscanf(buf, "pos:\t%ld\nflags:\t%o\nmnt_id:\t%u\nino:\t%lu", &pos, &flags, &mnt, &ino);
    printf("fdinfo %-22s pos %ld flags 0%o mnt_id %s ino is st_ino: %s\n", label, pos, flags,
           mnt > 0 ? "set" : "0", ino == st.st_ino ? "yes" : "no");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    strcpy(top, "/tmp/fdlinksXXXXXX");
    if (!mkdtemp(top) || chdir(top) < 0) return 1;

    /* Pipes. */
    int p[2];
    pipe(p);
    struct stat r, w;
    fstat(p[0], &r);
    fstat(p[1], &w);
    char expect[64];
    snprintf(expect, sizeof expect, "pipe:[%lu]", (unsigned long)r.st_ino);
    printf("pipe ends share st_ino: %s\n", r.st_ino == w.st_ino ? "yes" : "no");
    printf("read end link is pipe:[st_ino]: %s\n", strcmp(link_of(p[0]), expect) == 0 ? "yes" : link_of(p[0]));
    printf("write end link is pipe:[st_ino]: %s\n", strcmp(link_of(p[1]), expect) == 0 ? "yes" : link_of(p[1]));
    fdinfo("pipe read end", p[0]);
    fdinfo("pipe write end", p[1]);
    int w2 = reopen(p[0], O_WRONLY);
    printf("reopen read end O_WRONLY: %s, F_GETFL 0%o\n", w2 >= 0 ? "ok" : errname(errno), fcntl(w2, F_GETFL));
    struct stat s2;
    fstat(w2, &s2);
    printf("reopened pipe has the same st_ino: %s\n", s2.st_ino == r.st_ino ? "yes" : "no");
    write(w2, "via-proc", 8);
    char buf[64] = {0};
    printf("read from the original read end: [%.*s]\n", (int)read(p[0], buf, sizeof buf), buf);
    int r2 = reopen(p[1], O_RDONLY | O_NONBLOCK);
    printf("reopen write end O_RDONLY|O_NONBLOCK: %s, F_GETFL 0%o\n", r2 >= 0 ? "ok" : errname(errno),
           fcntl(r2, F_GETFL));
    errno = 0;
    long n = read(r2, buf, sizeof buf);
    printf("read empty pipe nonblocking: %ld %s\n", n, n < 0 ? errname(errno) : "");
    write(p[1], "abc", 3);
    memset(buf, 0, sizeof buf);
    printf("read through reopened read end: [%.*s]\n", (int)read(r2, buf, sizeof buf), buf);
    int rw = reopen(p[0], O_RDWR);
    printf("reopen O_RDWR: %s\n", rw >= 0 ? "ok" : errname(errno));
    write(rw, "loop", 4);
    memset(buf, 0, sizeof buf);
    printf("read back on the same description: [%.*s]\n", (int)read(rw, buf, sizeof buf), buf);
    close(p[0]);
    close(p[1]);
    close(r2);
    close(rw);
    errno = 0;
    n = write(w2, "x", 1);
    printf("write with every reader closed: %ld %s\n", n, n < 0 ? errname(errno) : "");
    close(w2);

    /* An unlinked file. */
    int f = open("victim", O_CREAT | O_RDWR, 0600);
    write(f, "still here", 10);
    char path[128];
    snprintf(path, sizeof path, "%s/victim", top);
    printf("link of a named file is its path: %s\n", strcmp(link_of(f), path) == 0 ? "yes" : link_of(f));
    fdinfo("regular file", f);
    unlink("victim");
    snprintf(expect, sizeof expect, "%s/victim (deleted)", top);
    printf("link after unlink is PATH (deleted): %s\n", strcmp(link_of(f), expect) == 0 ? "yes" : link_of(f));
    struct stat fs;
    fstat(f, &fs);
    printf("fstat after unlink: nlink %lu size %ld\n", (unsigned long)fs.st_nlink, (long)fs.st_size);
    int g = reopen(f, O_RDWR);
    printf("reopen unlinked file: %s\n", g >= 0 ? "ok" : errname(errno));
    memset(buf, 0, sizeof buf);
    printf("read it: [%.*s]\n", (int)pread(g, buf, sizeof buf, 0), buf);
    pwrite(g, "STILL", 5, 0);
    memset(buf, 0, sizeof buf);
    printf("write through it, read by the first fd: [%.*s]\n", (int)pread(f, buf, sizeof buf, 0), buf);
    struct stat gs;
    fstat(g, &gs);
    printf("same file: %s\n", gs.st_ino == fs.st_ino && gs.st_dev == fs.st_dev ? "yes" : "no");
    printf("reopen O_CREAT|O_EXCL: %s\n", reopen(f, O_CREAT | O_EXCL | O_RDWR) >= 0 ? "ok" : errname(errno));
    printf("reopen O_DIRECTORY: %s\n", reopen(f, O_DIRECTORY) >= 0 ? "ok" : errname(errno));
    close(f);
    close(g);

    /* A directory: the link is its path, and it can be walked through. */
    mkdir("sub", 0755);
    int fd_file = open("sub/file", O_CREAT | O_WRONLY, 0644);
    write(fd_file, "in sub", 6);
    close(fd_file);
    int d = open("sub", O_RDONLY | O_DIRECTORY);
    snprintf(path, sizeof path, "%s/sub", top);
    printf("directory link is its path: %s\n", strcmp(link_of(d), path) == 0 ? "yes" : link_of(d));
    snprintf(path, sizeof path, "/proc/self/fd/%d/file", d);
    int inner = open(path, O_RDONLY);
    memset(buf, 0, sizeof buf);
    printf("open /proc/self/fd/DIR/file: [%.*s]\n", (int)read(inner, buf, sizeof buf), buf);
    close(inner);
    unlink("sub/file");

    /* The working directory, before and after it is removed. */
    chdir("sub");
    char cwd[256];
    long len = readlink("/proc/self/cwd", cwd, sizeof cwd - 1);
    cwd[len > 0 ? len : 0] = 0;
    snprintf(path, sizeof path, "%s/sub", top);
    printf("/proc/self/cwd is the cwd: %s\n", strcmp(cwd, path) == 0 ? "yes" : cwd);
    rmdir(path);
    len = readlink("/proc/self/cwd", cwd, sizeof cwd - 1);
    cwd[len > 0 ? len : 0] = 0;
    snprintf(expect, sizeof expect, "%s (deleted)", path);
    printf("/proc/self/cwd after rmdir is PATH (deleted): %s\n", strcmp(cwd, expect) == 0 ? "yes" : cwd);
    errno = 0;
    printf("getcwd after rmdir: %s\n", syscall(SYS_getcwd, cwd, sizeof cwd) < 0 ? errname(errno) : cwd);
    close(d);

    /* stdio: the kind of file only (what it is depends on who started the program). */
    printf("stdout link is a pipe or path: %s\n", strncmp(link_of(1), "pipe:[", 6) == 0 ? "pipe"
           : link_of(1)[0] == '/' ? "path" : link_of(1));

    chdir("/");
    printf("cleanup: %s\n", rmdir(top) == 0 ? "ok" : errname(errno));
    return 0;
}
