/* inotify(7): watches on a file (IN_MODIFY, IN_ATTRIB, IN_DELETE_SELF, IN_MOVE_SELF), on a directory
 * (IN_CREATE, IN_DELETE, IN_MOVED_FROM/IN_MOVED_TO with one cookie, IN_ISDIR), IN_ONESHOT,
 * inotify_rm_watch's IN_IGNORED, the same file's watch descriptor on a second add, IN_MASK_ADD
 * and IN_MASK_CREATE, reads that wait for an event, non-blocking reads, short buffers, FIONREAD
 * and the errors Linux gives. Each change is made and then waited for, one at a time, and only
 * events that one change makes are asked for, so what is printed does not depend on timing. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static int in;
static char dir[] = "/tmp/l4j-inotify-XXXXXX";
static char path[128];

static const char *p(const char *name) {
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* reads until n events have come (waiting), and prints them */
static void events(const char *what, int n) {
    static unsigned last_cookie;
    char buf[4096] __attribute__((aligned(8)));
    printf("%s:\n", what);
    while (n > 0) {
        long len = read(in, buf, sizeof buf);
        if (len < 0) {
            printf("  read -> %s\n", errname(errno));
            return;
        }
        for (char *q = buf; q < buf + len;) {
            struct inotify_event *e = (struct inotify_event *)q;
            printf("  wd %d mask %#x cookie %s len %u name \"%s\"\n", e->wd, e->mask,
                   e->cookie == 0 ? "0" : e->cookie == last_cookie ? "same" : "new", e->len, e->len ? e->name : "");
            if (e->cookie) last_cookie = e->cookie;
            q += sizeof *e + e->len;
            n--;
        }
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdtemp(dir);
    in = inotify_init();
    printf("flags %#o\n", fcntl(in, F_GETFL));
    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", in);
    ssize_t ln = readlink(link, target, sizeof target - 1);
    target[ln < 0 ? 0 : ln] = 0;
    printf("link %s\n", target);

    /* a file */
    int fd = open(p("file"), O_RDWR | O_CREAT, 0644);
    T(inotify_add_watch(in, p("file"), IN_MODIFY | IN_ATTRIB));
    T(inotify_add_watch(in, p("file"), IN_MODIFY | IN_ATTRIB | IN_MASK_CREATE));
    write(fd, "hello", 5);
    events("write", 1);
    chmod(p("file"), 0600);
    events("chmod", 1);
    int avail = -1;
    write(fd, "more", 4);
    T(ioctl(in, FIONREAD, &avail));
    printf("FIONREAD %d\n", avail);
    char small[8];
    T(read(in, small, sizeof small));
    events("second write", 1);
    T(inotify_add_watch(in, p("file"), IN_DELETE_SELF));
    close(fd);
    unlink(p("file"));
    events("unlink", 2);

    /* a file renamed within its directory: IN_MOVE_SELF, and the watch follows it to its new
     * name; unlinked there (no descriptor open): IN_ATTRIB (the link count), IN_DELETE_SELF */
    char renamed[128];
    strcpy(renamed, p("moved"));
    fd = open(p("tomove"), O_RDWR | O_CREAT, 0644);
    T(inotify_add_watch(in, p("tomove"), IN_MOVE_SELF | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF));
    char before[128];
    strcpy(before, p("tomove"));
    rename(before, renamed);
    events("rename watched file", 1);
    write(fd, "x", 1);
    events("write to it", 1);
    close(fd);
    unlink(renamed);
    events("unlink it", 3);

    /* a directory */
    int wd = inotify_add_watch(in, dir, IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO);
    printf("directory wd %d\n", wd);
    close(open(p("a"), O_WRONLY | O_CREAT, 0644));
    events("create a", 1);
    mkdir(p("sub"), 0755);
    events("mkdir sub", 1);
    char from[128];
    strcpy(from, p("a"));
    rename(from, p("a-much-longer-name-than-sixteen-bytes"));
    events("rename", 2);
    unlink(p("a-much-longer-name-than-sixteen-bytes"));
    events("unlink", 1);
    rmdir(p("sub"));
    events("rmdir", 1);
    /* a log rotated: renamed, and a new file made under the old name at once */
    close(open(p("log"), O_WRONLY | O_CREAT, 0644));
    events("create log", 1);
    strcpy(from, p("log"));
    rename(from, p("log.1"));
    close(open(p("log"), O_WRONLY | O_CREAT, 0644));
    events("rotate log", 3);
    unlink(p("log"));
    events("unlink log", 1);
    unlink(p("log.1"));
    events("unlink log.1", 1);
    T(inotify_rm_watch(in, wd));
    events("rm_watch", 1);
    T(inotify_rm_watch(in, wd));

    /* one-shot */
    fd = open(p("once"), O_RDWR | O_CREAT, 0644);
    T(inotify_add_watch(in, p("once"), IN_MODIFY | IN_ONESHOT));
    write(fd, "x", 1);
    events("oneshot", 2);
    close(fd);
    unlink(p("once"));

    /* the program's own opens and last closes: on a directory's entries, on the directory
     * itself, a duplicate's close not counting, and a write's IN_MODIFY before its close */
    char oc[128];
    strcpy(oc, p("oc"));
    wd = inotify_add_watch(in, dir, IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE);
    printf("directory wd %d\n", wd);
    fd = open(oc, O_WRONLY | O_CREAT, 0644);
    events("create and open for writing", 1);
    int dup_fd = dup(fd);
    close(fd);
    int queued = -1;
    ioctl(in, FIONREAD, &queued);
    printf("queued after closing one of two: %d\n", queued);
    close(dup_fd);
    events("last close", 1);
    fd = open(oc, O_RDONLY);
    close(fd);
    events("open and close for reading", 2);
    DIR *dp = opendir(dir);
    closedir(dp);
    events("opendir and closedir", 2);
    T(inotify_rm_watch(in, wd));
    events("rm_watch", 1);
    fd = open(oc, O_WRONLY);
    T(inotify_add_watch(in, oc, IN_MODIFY | IN_CLOSE_WRITE));
    write(fd, "data", 4);
    close(fd);
    events("write and close", 2);
    unlink(oc);

    /* non-blocking */
    int nb = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    printf("flags %#o cloexec %d\n", fcntl(nb, F_GETFL), fcntl(nb, F_GETFD));
    T(read(nb, small, sizeof small));

    /* errors */
    T(inotify_init1(1));
    T(inotify_add_watch(in, dir, 0));
    T(inotify_add_watch(in, dir, IN_ONLYDIR));
    T(inotify_add_watch(in, "/etc/passwd", IN_ONLYDIR | IN_MODIFY));
    T(inotify_add_watch(in, "/nonexistent", IN_MODIFY));
    T(inotify_add_watch(in, dir, IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE));
    T(inotify_add_watch(0, dir, IN_MODIFY));
    T(inotify_add_watch(99, dir, IN_MODIFY));
    T(inotify_add_watch(99, dir, 0));
    T(inotify_add_watch(in, (char *)8, IN_MODIFY));
    T(inotify_rm_watch(in, 77));
    T(inotify_rm_watch(0, 1));
    rmdir(dir);
    return 0;
}
