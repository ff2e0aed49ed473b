/* /dev/shm is a tmpfs: shm_open + ftruncate + MAP_SHARED shared with a forked child, a named
 * POSIX semaphore across fork, statfs's f_type, shm_unlink and the errors of a second O_EXCL. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define TMPFS_MAGIC 0x01021994

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct statfs sf;
    int r = statfs("/dev/shm", &sf);
    printf("statfs /dev/shm: %d, tmpfs: %d\n", r, sf.f_type == TMPFS_MAGIC);
    struct stat st;
    stat("/dev/shm", &st);
    printf("/dev/shm is a sticky world-writable directory: %d\n",
           S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777);

    char name[64];
    snprintf(name, sizeof name, "/linux4j-test-%d", (int)getpid());
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    printf("shm_open: %s\n", fd >= 0 ? "ok" : strerror(errno));
    int again = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    printf("shm_open O_EXCL again: %d %s\n", again, again < 0 && errno == EEXIST ? "EEXIST" : strerror(errno));
    printf("ftruncate: %d\n", ftruncate(fd, 8192));
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mmap: %s\n", p == MAP_FAILED ? strerror(errno) : "ok");

    char sname[64];
    snprintf(sname, sizeof sname, "/linux4j-sem-%d", (int)getpid());
    sem_t *sem = sem_open(sname, O_CREAT | O_EXCL, 0600, 0);
    printf("sem_open: %s\n", sem == SEM_FAILED ? strerror(errno) : "ok");

    pid_t pid = fork();
    if (pid == 0) {
        strcpy(p + 4096, "written by the child");
        sem_post(sem);
        _exit(0);
    }
    sem_wait(sem);
    printf("parent reads: %s\n", p + 4096);
    int status;
    waitpid(pid, &status, 0);

    /* A second open of the same name sees the same memory. */
    int fd2 = shm_open(name, O_RDONLY, 0);
    char buf[32] = {0};
    pread(fd2, buf, 20, 4096);
    printf("read through a second open: %s\n", buf);
    fstat(fd2, &st);
    printf("size %ld\n", (long)st.st_size);

    printf("shm_unlink: %d\n", shm_unlink(name));
    int gone = shm_open(name, O_RDONLY, 0);
    printf("shm_open after unlink: %d %s\n", gone, gone < 0 && errno == ENOENT ? "ENOENT" : strerror(errno));
    printf("mapping still readable: %s\n", p + 4096);
    printf("sem_unlink: %d\n", sem_unlink(sname));
    sem_close(sem);
    munmap(p, 8192);
    close(fd);
    close(fd2);
    return 0;
}
