/* The working directory and directory descriptors across rename and rmdir: getcwd of a removed
 * cwd is ENOENT and ".." still leaves it; fchdir, openat and /proc/self/fd follow a directory
 * (or file) that was renamed; an O_PATH directory descriptor too. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char top[64];

#include "../errname.h"

/* A path with the temporary top directory shown as TOP. */
static const char *rel(const char *path) {
    static char buf[512];
    size_t n = strlen(top);
    if (strncmp(path, top, n) == 0) snprintf(buf, sizeof buf, "TOP%s", path + n);
    else snprintf(buf, sizeof buf, "%s", path);
    return buf;
}

static void cwd(const char *label) {
    char buf[256];
    long n = syscall(SYS_getcwd, buf, sizeof buf);
    printf("%-36s getcwd: %s\n", label, n < 0 ? errname(errno) : rel(buf));
}

static void link_of(const char *label, int fd) {
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    long n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("%-36s link: %s\n", label, n < 0 ? errname(errno) : rel(buf));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    strcpy(top, "/tmp/cwdXXXXXX");
    if (!mkdtemp(top) || chdir(top) < 0) return 1;
    mkdir("a", 0755);
    mkdir("a/b", 0755);

    /* A removed working directory. */
    chdir("a/b");
    cwd("in a/b");
    char path[128];
    snprintf(path, sizeof path, "%s/a/b", top);
    printf("rmdir a/b: %s\n", rmdir(path) == 0 ? "ok" : errname(errno));
    cwd("after rmdir");
    printf("mkdir in removed cwd: %s\n", mkdir("x", 0755) == 0 ? "ok" : errname(errno));
    printf("chdir ..: %s\n", chdir("..") == 0 ? "ok" : errname(errno));
    cwd("after chdir ..");

    /* A renamed directory, held by a descriptor. */
    mkdir("c", 0755);
    int dir = open("c", O_RDONLY | O_DIRECTORY);
    int opath = open("c", O_PATH | O_DIRECTORY);
    link_of("before rename", dir);
    printf("rename c d: %s\n", rename("c", "d") == 0 ? "ok" : errname(errno));
    link_of("after rename", dir);
    link_of("O_PATH after rename", opath);
    int f = openat(dir, "made", O_CREAT | O_WRONLY, 0644);
    printf("openat renamed dir: %s\n", f >= 0 ? "ok" : errname(errno));
    link_of("file made there", f);
    struct stat st;
    printf("it is in d: %s\n", stat("d/made", &st) == 0 ? "yes" : errname(errno));
    printf("openat O_PATH renamed dir: %s\n", faccessat(opath, "made", F_OK, 0) == 0 ? "ok" : errname(errno));
    printf("rename the file: %s\n", rename("d/made", "d/moved") == 0 ? "ok" : errname(errno));
    link_of("renamed file", f);
    close(f);
    printf("fchdir renamed dir: %s\n", fchdir(dir) == 0 ? "ok" : errname(errno));
    cwd("after fchdir");
    unlink("moved");
    chdir("..");

    /* A removed directory, held by a descriptor. */
    printf("rmdir d: %s\n", rmdir("d") == 0 ? "ok" : errname(errno));
    printf("fchdir removed dir: %s\n", fchdir(dir) == 0 ? "ok" : errname(errno));
    cwd("after fchdir to removed");
    printf("chdir ..: %s\n", chdir("..") == 0 ? "ok" : errname(errno));
    cwd("after chdir ..");
    close(dir);
    close(opath);

    chdir(top);
    rmdir("a");
    chdir("/");
    printf("cleanup: %s\n", rmdir(top) == 0 ? "ok" : errname(errno));
    return 0;
}
