/* chroot(2): errors in Linux's order, then a process confined to a directory — absolute paths,
 * "..", absolute and relative symlinks and /proc/self/root resolve inside it; the working
 * directory and descriptors from before the chroot still reach outside (Linux allows that);
 * fork and execve keep the root, CLONE_FS shares it, fork does not. Raw syscalls where glibc and
 * musl differ. Run as root (natively chroot needs CAP_SYS_CHROOT); otherwise every chroot is EPERM. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-52s -> %s\n", #call, errname(errno)); else printf("%-52s -> %ld\n", #call, r_); } while (0)

static char top[64];

/* What a path holds: the first line of the file, or the errno of open. */
static void cat(const char *label, int dirfd, const char *path) {
    int fd = openat(dirfd, path, O_RDONLY);
    if (fd < 0) {
        printf("%-28s %-26s: %s\n", label, path, errname(errno));
        return;
    }
    char buf[64] = {0};
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
    printf("%-28s %-26s: \"%s\"\n", label, path, buf);
}

/* getcwd(2) itself (glibc and musl both turn "(unreachable)" into ENOENT). */
static void cwd(const char *label) {
    char buf[256];
    long n = syscall(SYS_getcwd, buf, sizeof buf);
    if (n < 0) printf("%-28s getcwd: %s\n", label, errname(errno));
    else if (strncmp(buf, "(unreachable)", 13) == 0)
        printf("%-28s getcwd: (unreachable)%s\n", label, strcmp(buf + 13, top) == 0 ? " the top directory" : " elsewhere");
    else printf("%-28s getcwd: %s\n", label, buf);
}

static void mkfile(const char *path, const char *text) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (text) write(fd, text, strlen(text));
    close(fd);
}

static void link_text(int procfd, const char *path) {
    char buf[256];
    long n = readlinkat(procfd, path, buf, sizeof buf - 1);
    if (n < 0) { printf("readlink /proc/%-13s: %s\n", path, errname(errno)); return; }
    buf[n] = 0;
    printf("readlink /proc/%-13s: %s\n", path, strcmp(buf, top) == 0 ? "the top directory" : buf);
}

static void copy_self(const char *to) {
    int in = open("/proc/self/exe", O_RDONLY), out = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0755);
    char buf[65536];
    long n;
    while ((n = read(in, buf, sizeof buf)) > 0) write(out, buf, n);
    close(in);
    close(out);
}

/* After execve inside the jail. */
static int exec_child(void) {
    cwd("after execve");
    cat("after execve", AT_FDCWD, "/inside.txt");
    cat("after execve", AT_FDCWD, "/../../outside.txt");
    return 0;
}

static int confined(void) {
    int topfd = open(top, O_RDONLY | O_DIRECTORY);
    int procfd = open("/proc", O_RDONLY | O_DIRECTORY);
    if (chdir(top) < 0) return 1;

    T(syscall(SYS_chroot, "missing"));
    T(syscall(SYS_chroot, "jail/inside.txt"));
    T(syscall(SYS_chroot, "jail/inside.txt/"));
    T(syscall(SYS_chroot, ""));
    T(syscall(SYS_chroot, "jail/missing/x"));
    pid_t p = fork();
    if (p == 0) {
        if (syscall(SYS_setresuid, 65534, 65534, 65534) < 0) _exit(2);
        T(syscall(SYS_chroot, "jail"));
        _exit(0);
    }
    waitpid(p, NULL, 0);

    errno = 0;
    long r = syscall(SYS_chroot, "jail");
    printf("chroot jail -> %s\n", r < 0 ? errname(errno) : "0");
    if (r < 0) return 0;

    cwd("cwd left outside");
    cat("relative from outside cwd", AT_FDCWD, "outside.txt");
    cat("absolute", AT_FDCWD, "/inside.txt");
    cat("absolute dotdot", AT_FDCWD, "/../../../outside.txt");
    cat("absolute symlink", AT_FDCWD, "jail/abs");
    cat("relative symlink up", AT_FDCWD, "jail/up");
    cat("dotdot symlink in subdir", AT_FDCWD, "jail/sub/deep/inside.txt");
    cat("fd from before chroot", topfd, "outside.txt");
    cat("fd from before, dotdot", topfd, "jail/../outside.txt");
    link_text(procfd, "self/root");
    link_text(procfd, "self/cwd");
    cat("through /proc/self/root", procfd, "self/root/inside.txt");
    cat("through /proc/self/root/..", procfd, "self/root/../outside.txt");

    T(chdir("/"));
    cwd("after chdir /");
    T(chdir(".."));
    cwd("after chdir ..");
    cat("relative dotdot", AT_FDCWD, "../outside.txt");
    T(chdir("sub"));
    cwd("after chdir sub");
    T(chdir("../.."));
    cwd("after chdir ../..");
    T(fchdir(topfd));
    cwd("after fchdir to old fd");
    T(chdir(".."));
    cwd("after chdir .. outside");
    T(chdir("/sub"));

    /* fork copies the root; a child's chroot leaves the parent's alone. */
    p = fork();
    if (p == 0) {
        T(syscall(SYS_chroot, "."));
        cat("child chrooted to sub", AT_FDCWD, "/marker.txt");
        _exit(0);
    }
    waitpid(p, NULL, 0);
    cat("parent after fork child", AT_FDCWD, "/marker.txt");
    cat("parent after fork child", AT_FDCWD, "/inside.txt");

    /* execve resolves inside the root and keeps it. */
    p = fork();
    if (p == 0) {
        char *argv[] = {"prog", "exec-child", NULL};
        execve("/../prog", argv, NULL);
        printf("execve: %s\n", errname(errno));
        _exit(1);
    }
    int status;
    waitpid(p, &status, 0);
    printf("exec child status %d\n", WEXITSTATUS(status));
    p = fork();
    if (p == 0) {
        char *argv[] = {"prog", "exec-child", NULL};
        execve("/../../prog", argv, NULL);
        printf("execve outside path: %s\n", errname(errno));
        _exit(1);
    }
    waitpid(p, &status, 0);
    /* execveat through a descriptor opened inside the root: by the descriptor alone (fexecve's
     * AT_EMPTY_PATH) and relative to a directory descriptor. */
    for (int k = 0; k < 2; k++) {
        p = fork();
        if (p == 0) {
            char *argv[] = {"prog", "exec-child", NULL};
            int fd = k == 0 ? open("/prog", O_RDONLY) : open("/", O_RDONLY | O_DIRECTORY);
            syscall(SYS_execveat, fd, k == 0 ? "" : "prog", argv, NULL, k == 0 ? AT_EMPTY_PATH : 0);
            printf("execveat %d: %s\n", k, errname(errno));
            _exit(1);
        }
        waitpid(p, &status, 0);
        printf("execveat %d child status %d\n", k, WEXITSTATUS(status));
    }
    /* CLONE_FS shares it. */
    p = syscall(SYS_clone, CLONE_FS | SIGCHLD, 0, 0, 0, 0);
    if (p == 0) {
        syscall(SYS_chroot, ".");
        syscall(SYS_chdir, "/");
        _exit(0);
    }
    waitpid(p, NULL, 0);
    cat("parent after CLONE_FS child", AT_FDCWD, "/marker.txt");
    cat("parent after CLONE_FS child", AT_FDCWD, "/inside.txt");
    cwd("parent after CLONE_FS child");

    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) return exec_child();
    strcpy(top, "/tmp/chrootXXXXXX");
    if (!mkdtemp(top)) return 1;
    chmod(top, 0755);
    chdir(top);
    mkdir("jail", 0755);
    mkdir("jail/sub", 0755);
    mkfile("outside.txt", "OUTSIDE\n");
    mkfile("jail/outside.txt", "JAIL OUTSIDE\n");
    mkfile("jail/inside.txt", "INSIDE\n");
    mkfile("jail/sub/marker.txt", "MARKER\n");
    symlink("/inside.txt", "jail/abs");
    symlink("../outside.txt", "jail/up");
    symlink("/../../..", "jail/sub/deep");
    copy_self("jail/prog");
    chdir("/");

    pid_t p = fork();
    if (p == 0) _exit(confined());
    int status;
    waitpid(p, &status, 0);
    printf("confined child status %d\n", WEXITSTATUS(status));

    chdir(top);
    unlink("jail/sub/deep");
    unlink("jail/sub/marker.txt");
    rmdir("jail/sub");
    unlink("jail/prog");
    unlink("jail/abs");
    unlink("jail/up");
    unlink("jail/inside.txt");
    unlink("jail/outside.txt");
    rmdir("jail");
    unlink("outside.txt");
    chdir("/");
    printf("cleanup: %s\n", rmdir(top) == 0 ? "ok" : errname(errno));
    return 0;
}
