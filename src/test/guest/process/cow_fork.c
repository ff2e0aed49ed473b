/* fork(2) semantics of memory: private pages are copies (copy-on-write underneath), MAP_SHARED
 * anonymous pages stay shared between parent and child, mprotect and munmap after fork act on
 * one side only, and a FUTEX_WAKE in the child does not wake a waiter on the same private
 * address in the parent (private futexes belong to one address space). */
#define _GNU_SOURCE
#include <errno.h>
#define FUTEX_WAIT 0 /* <linux/futex.h>, which musl-gcc lacks */
#define FUTEX_WAKE 1
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int data_word = 1;          /* .data: file-backed private page */
static char bss_buf[3 * 4096];     /* .bss: anonymous private pages */

static long futex(int *uaddr, int op, int val, const struct timespec *ts) {
    return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

static int wait_child(pid_t pid) {
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char *heap = malloc(100000);
    memset(heap, 'h', 100000);
    memset(bss_buf, 'b', sizeof bss_buf);
    char *priv = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *shared = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *untouched = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (priv == MAP_FAILED || shared == MAP_FAILED || untouched == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    strcpy(priv, "parent-private");
    strcpy(shared, "parent-shared");

    /* 1: the child's writes to private memory stay in the child; shared ones reach the parent. */
    pid_t pid = fork();
    if (pid == 0) {
        data_word = 2;
        heap[50000] = 'C';
        bss_buf[4096] = 'C';
        strcpy(priv, "child-private");
        strcpy(shared + 4096, "child-shared");
        untouched[0] = 'U'; /* a shared page neither side had touched before fork */
        printf("child sees data=%d heap=%c bss=%c priv=%s shared=%s\n", data_word, heap[50000], bss_buf[4096],
               priv, shared);
        _exit(7);
    }
    printf("child 1 exit %d\n", wait_child(pid));
    printf("parent sees data=%d heap=%c bss=%c priv=%s shared+4096=%s untouched=%c\n", data_word, heap[50000],
           bss_buf[4096], priv, shared + 4096, untouched[0] ? untouched[0] : '0');

    /* 2: the parent writes after fork; the child must still see the old contents. */
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        return 1;
    }
    pid = fork();
    if (pid == 0) {
        char c;
        close(pipefd[1]);
        read(pipefd[0], &c, 1); /* the parent has written by now */
        printf("child 2 sees data=%d heap=%c priv=%s shared=%s\n", data_word, heap[10], priv, shared);
        _exit(0);
    }
    close(pipefd[0]);
    data_word = 3;
    heap[10] = 'P';
    strcpy(priv, "parent-again");
    strcpy(shared, "parent-shared-2");
    write(pipefd[1], "x", 1);
    close(pipefd[1]);
    printf("child 2 exit %d\n", wait_child(pid));

    /* 3: mprotect and munmap in the child do not change the parent's mappings. */
    pid = fork();
    if (pid == 0) {
        mprotect(priv, 4096, PROT_READ);
        munmap(priv + 4096, 4096);
        munmap(shared + 8192, 4096);
        _exit(0);
    }
    printf("child 3 exit %d\n", wait_child(pid));
    priv[0] = 'W';
    priv[4096] = 'X';
    shared[8192] = 'S';
    printf("parent still writes priv=%c%c shared=%c\n", priv[0], priv[4096], shared[8192]);

    /* 4: grandchildren: copies of copies stay independent. */
    pid = fork();
    if (pid == 0) {
        pid_t g = fork();
        if (g == 0) {
            data_word = 40;
            printf("grandchild data=%d\n", data_word);
            _exit(0);
        }
        wait_child(g);
        printf("child 4 data=%d\n", data_word);
        data_word = 41;
        _exit(0);
    }
    wait_child(pid);
    printf("parent data=%d\n", data_word);

    /* 5: a private futex word at the same address in parent and child is two futexes. */
    static int word = 0;
    struct timespec ts = {0, 200 * 1000 * 1000};
    pid = fork();
    if (pid == 0) {
        int woken = 0;
        for (int k = 0; k < 20; k++) {
            woken += (int)futex(&word, FUTEX_WAKE, 1, NULL);
            usleep(10000);
        }
        _exit(woken);
    }
    long r = futex(&word, FUTEX_WAIT, 0, &ts); /* only the timeout may end this wait */
    printf("parent futex wait: %ld %s\n", r, r == -1 ? (errno == ETIMEDOUT ? "ETIMEDOUT" : strerror(errno)) : "");
    printf("child 5 woke %d\n", wait_child(pid));

    /* 6: a shared futex in MAP_SHARED memory is one futex for both. */
    int *sword = (int *)(shared + 100);
    *sword = 0;
    pid = fork();
    if (pid == 0) {
        while (futex(sword, FUTEX_WAKE, 1, NULL) == 0) {
            usleep(1000);
        }
        _exit(0);
    }
    struct timespec forever = {10, 0};
    r = futex(sword, FUTEX_WAIT, 0, &forever);
    printf("shared futex wait: %ld\n", r);
    printf("child 6 exit %d\n", wait_child(pid));

    /* 7: the kernel writing into a copy-on-write page (read(2) into a buffer the program has
     * just read from) must be seen by the program's next load, on both sides of the fork. */
    static char buf[64] = "old contents";
    if (pipe(pipefd) != 0) {
        return 1;
    }
    write(pipefd[1], "from-pipe-1", 12);
    write(pipefd[1], "from-pipe-2", 12);
    int go[2];
    if (pipe(go) != 0) {
        return 1;
    }
    pid = fork();
    volatile char before = buf[0];
    (void)before;
    if (pid == 0) {
        char c;
        read(go[0], &c, 1); /* the parent has read its message */
    }
    if (read(pipefd[0], buf, 12) != 12) {
        return 1;
    }
    printf("%s reads %s\n", pid == 0 ? "child 7" : "parent", buf);
    if (pid == 0) {
        _exit(0);
    }
    write(go[1], "g", 1);
    wait_child(pid);
    return 0;
}
