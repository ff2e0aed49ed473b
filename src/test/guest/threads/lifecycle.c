/* Thread lifecycle: /proc/self/task lists every thread, gettid differs from getpid in threads,
 * fork from a multi-threaded process keeps only the caller, execve from a thread kills the
 * others, pthread_exit from main lets the others finish, exit_group from a thread ends all. */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int count_tasks(void) {
    DIR *d = opendir("/proc/self/task");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') n++;
    }
    closedir(d);
    return n;
}

static pthread_barrier_t started;
static volatile int stop;
static long tids[3];

static void *spin(void *arg) {
    tids[(long) arg] = syscall(SYS_gettid);
    pthread_barrier_wait(&started);
    while (!stop) {
        sched_yield();
    }
    return NULL;
}

static void *forever(void *arg) {
    (void) arg;
    pthread_barrier_wait(&started);
    for (;;) pause();
    return NULL;
}

static void *exec_from_thread(void *arg) {
    char **argv = arg;
    pthread_barrier_wait(&started);
    char *args[] = {argv[0], "after-exec", NULL};
    execv("/proc/self/exe", args);
    printf("execv failed\n");
    return NULL;
}

static void *late_printer(void *arg) {
    (void) arg;
    usleep(20000);
    printf("a thread outlived main's pthread_exit\n");
    fflush(stdout);
    return NULL;
}

static void *group_exiter(void *arg) {
    (void) arg;
    usleep(10000);
    printf("exit_group from a thread\n");
    fflush(stdout);
    exit(7);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
        printf("after exec: tasks %d, pid==tid %d\n", count_tasks(), getpid() == syscall(SYS_gettid));
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "main-exit") == 0) {
        pthread_t t;
        pthread_create(&t, NULL, late_printer, NULL);
        pthread_exit(NULL);
    }
    if (argc > 1 && strcmp(argv[1], "group-exit") == 0) {
        pthread_t t, u;
        pthread_barrier_init(&started, NULL, 2);
        pthread_create(&t, NULL, group_exiter, NULL);
        pthread_create(&u, NULL, forever, NULL);
        pthread_barrier_wait(&started);
        for (;;) pause();
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("tasks at start %d\n", count_tasks());
    pthread_barrier_init(&started, NULL, 4);
    pthread_t t[3];
    for (long i = 0; i < 3; i++) pthread_create(&t[i], NULL, spin, (void *) i);
    pthread_barrier_wait(&started);
    int distinct = tids[0] != tids[1] && tids[1] != tids[2] && tids[0] != getpid();
    printf("tasks with 3 threads %d, distinct tids %d, main tid==pid %d\n", count_tasks(), distinct,
           syscall(SYS_gettid) == getpid());
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tids[1]);
    printf("task entry readable %d\n", access(path, R_OK) == 0);

    pid_t pid = fork();
    if (pid == 0) {
        printf("child after fork: tasks %d\n", count_tasks());
        _exit(3);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child status %d\n", WEXITSTATUS(status));
    stop = 1;
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    /* pthread_join returns when the exiting thread clears its tid (mm_release), which is
     * before the kernel removes it from /proc/self/task (release_task): natively a joined
     * thread may still be listed for a moment, so wait for the count to settle. */
    int after = count_tasks();
    for (int k = 0; k < 2000 && after != 1; k++) {
        usleep(1000);
        after = count_tasks();
    }
    printf("tasks after join %d\n", after);

    pid = fork();
    if (pid == 0) {
        pthread_barrier_init(&started, NULL, 3);
        pthread_t a, b;
        pthread_create(&a, NULL, forever, NULL);
        pthread_create(&b, NULL, exec_from_thread, argv);
        pthread_barrier_wait(&started);
        for (;;) pause();
    }
    waitpid(pid, &status, 0);
    printf("exec child status %d\n", WEXITSTATUS(status));

    pid = fork();
    if (pid == 0) {
        char *args[] = {argv[0], "main-exit", NULL};
        execv("/proc/self/exe", args);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    printf("main-exit child: exited %d status %d\n", WIFEXITED(status), WEXITSTATUS(status));

    pid = fork();
    if (pid == 0) {
        char *args[] = {argv[0], "group-exit", NULL};
        execv("/proc/self/exe", args);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    printf("group-exit child: exited %d status %d\n", WIFEXITED(status), WEXITSTATUS(status));
    return 0;
}
