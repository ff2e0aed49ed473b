/* Tries to leave the guest root through chroot(2) (run under linux4j with --root; argv[1] is a
 * secret's host path outside that root). A root process in a Linux chroot can climb out of a
 * chroot it made itself — the working directory or a descriptor left outside, a second chroot,
 * /proc/PID/root of an unconfined process — and linux4j lets it, as Linux does; but every such
 * climb must end at the guest root, never at the host's files. Each attempt prints its errno
 * name, or what it read. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *ename(int e) {
    switch (e) {
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case EACCES: return "EACCES";
    case ELOOP: return "ELOOP";
    case EPERM: return "EPERM";
    default: return "other";
    }
}

static const char *secret;

static void report(const char *what, int fd) {
    if (fd < 0) {
        printf("%s: %s\n", what, ename(errno));
        return;
    }
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
    printf("%s: OPENED %s\n", what, n > 0 ? buf : "(unreadable)");
    close(fd);
}

/* The secret by its host path from a directory descriptor, and by climbing far up from it. */
static void from(const char *what, int dirfd) {
    char path[4096], label[128];
    snprintf(label, sizeof label, "%s, host path", what);
    report(label, openat(dirfd, secret, O_RDONLY));
    strcpy(path, "");
    for (int k = 0; k < 30; k++) strcat(path, "../");
    strcat(path, secret + 1);
    snprintf(label, sizeof label, "%s, dotdot", what);
    report(label, openat(dirfd, path, O_RDONLY));
    snprintf(label, sizeof label, "%s, root marker", what);
    strcpy(path, "");
    for (int k = 0; k < 30; k++) strcat(path, "../");
    strcat(path, "marker.txt");
    report(label, openat(dirfd, path, O_RDONLY));
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    secret = argv[1];
    int top = open("/", O_RDONLY | O_DIRECTORY);
    int proc = open("/proc", O_RDONLY | O_DIRECTORY);
    pid_t parent = getpid();

    pid_t p = fork();
    if (p == 0) {
        printf("chroot /jail: %s\n", syscall(SYS_chroot, "/jail") == 0 ? "ok" : ename(errno));
        from("absolute in jail", AT_FDCWD);
        report("jail symlink to host path", open("/hostlink", O_RDONLY));
        report("jail marker", open("/marker.txt", O_RDONLY));
        /* The working directory was left at the guest root. */
        from("cwd left outside", AT_FDCWD);
        chdir("/");
        /* A descriptor from before the chroot. */
        from("old descriptor", top);
        printf("fchdir old descriptor: %s\n", fchdir(top) == 0 ? "ok" : ename(errno));
        for (int k = 0; k < 30; k++) chdir("..");
        from("after climbing from it", AT_FDCWD);
        /* /proc magic links: our own root, an unconfined process's root and cwd, a directory fd. */
        char path[4096];
        snprintf(path, sizeof path, "self/root/../../../..%s", secret);
        report("/proc/self/root dotdot", openat(proc, path, O_RDONLY));
        report("/proc/self/root marker", openat(proc, "self/root/marker.txt", O_RDONLY));
        snprintf(path, sizeof path, "%d/root%s", (int)parent, secret);
        report("/proc/PARENT/root host path", openat(proc, path, O_RDONLY));
        snprintf(path, sizeof path, "%d/root/../../..%s", (int)parent, secret);
        report("/proc/PARENT/root dotdot", openat(proc, path, O_RDONLY));
        snprintf(path, sizeof path, "%d/root/marker.txt", (int)parent);
        report("/proc/PARENT/root marker", openat(proc, path, O_RDONLY));
        snprintf(path, sizeof path, "%d/cwd/../../../..%s", (int)parent, secret);
        report("/proc/PARENT/cwd dotdot", openat(proc, path, O_RDONLY));
        snprintf(path, sizeof path, "self/fd/%d/../../..%s", top, secret);
        report("/proc/self/fd/DIR dotdot", openat(proc, path, O_RDONLY));
        /* The classic double chroot. */
        chdir("/");
        syscall(SYS_chroot, "/jail");
        chdir("/");
        mkdir("/inner", 0755);
        printf("chroot /inner: %s\n", syscall(SYS_chroot, "/inner") == 0 ? "ok" : ename(errno));
        for (int k = 0; k < 30; k++) chdir("..");
        printf("chroot . after climbing: %s\n", syscall(SYS_chroot, ".") == 0 ? "ok" : ename(errno));
        from("after double chroot", AT_FDCWD);
        report("after double chroot, absolute", open(secret, O_RDONLY));
        char cwd[256];
        printf("getcwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : ename(errno));
        printf("mkdir at the top: %s\n", mkdir("made-by-escape", 0755) == 0 ? "ok" : ename(errno));
        rmdir("made-by-escape");
        rmdir("/jail/inner");
        _exit(0);
    }
    int status;
    waitpid(p, &status, 0);
    printf("child status %d\n", WEXITSTATUS(status));
    return 0;
}
