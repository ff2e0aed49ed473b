/* Tries to read a secret file outside the root it runs in (a chroot natively, --root under
 * linux4j). argv[1] is the secret's host path. Every attempt prints its errno name or, if it
 * escaped, the secret. Expected: each attempt fails as it does in a Linux chroot. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *ename(int e) {
    switch (e) {
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case EACCES: return "EACCES";
    case ELOOP: return "ELOOP";
    case EXDEV: return "EXDEV";
    case EPERM: return "EPERM";
    case EBADF: return "EBADF";
    default: return "other";
    }
}

static void report(const char *what, int fd) {
    if (fd < 0) {
        printf("%s: %s\n", what, ename(errno));
        return;
    }
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("%s: OPENED %s\n", what, n > 0 ? buf : "(unreadable)");
    close(fd);
}

static void try_open(const char *what, const char *path) {
    report(what, open(path, O_RDONLY));
}

static void try_stat(const char *what, const char *path) {
    struct stat st;
    if (stat(path, &st) < 0)
        printf("%s: %s\n", what, ename(errno));
    else
        printf("%s: STAT size %ld\n", what, (long)st.st_size);
}

int main(int argc, char **argv) {
    const char *secret = argc > 1 ? argv[1] : "/nonexistent";
    char path[4096];
    try_open("host path", secret);
    try_stat("host path stat", secret);
    snprintf(path, sizeof path, "/../../../../..%s", secret);
    try_open("dotdot absolute", path);
    snprintf(path, sizeof path, "../../../../..%s", secret);
    try_open("dotdot relative", path);
    try_open("dotdot outside", "/../outside/secret.txt");
    try_open("absolute symlink", "/abslink");
    try_open("absolute dotdot symlink", "/absdotdot");
    try_open("relative symlink", "/rellink");
    try_open("symlinked directory", "/dirlink/secret.txt");
    try_stat("symlinked directory stat", "/dirlink/secret.txt");
    try_open("symlink chain", "/chain/secret.txt");
    try_open("hard link inside", "/hardlink");
    if (link("/../outside/secret.txt", "/newlink") < 0)
        printf("hard link out: %s\n", ename(errno));
    else
        try_open("hard link out", "/newlink");
    int dir = open("/", O_PATH | O_DIRECTORY);
    report("O_PATH openat dotdot", openat(dir, "../outside/secret.txt", O_RDONLY));
    char spath[4096];
    snprintf(spath, sizeof spath, "../../../..%s", secret);
    report("O_PATH openat host path", openat(dir, spath, O_RDONLY));
    int sub = open("/sub", O_PATH | O_DIRECTORY);
    report("O_PATH subdir dotdot", openat(sub, "../../outside/secret.txt", O_RDONLY));
    for (int i = 0; i < 10; i++)
        if (chdir("..") < 0)
            printf("chdir: %s\n", ename(errno));
    char cwd[4096];
    printf("cwd after chdir ..: %s\n", getcwd(cwd, sizeof cwd) ? cwd : ename(errno));
    try_open("relative after chdir", "outside/secret.txt");
    if (chdir("/dirlink") < 0)
        printf("chdir symlinked directory: %s\n", ename(errno));
    else
        try_open("after chdir symlinked directory", "secret.txt");
    if (symlink("/../outside", "/made") == 0)
        try_open("new symlink", "/made/secret.txt");
    unlink("/made");
    unlink("/newlink");
    return 0;
}
