/* System V semaphores: semget with keys and the nsems rules; semctl GETVAL/SETVAL/GETALL/SETALL/
 * GETPID/GETNCNT/GETZCNT/IPC_STAT/IPC_SET/IPC_RMID/SEM_STAT/SEM_INFO; semop's all-or-nothing
 * rule (also for two operations on one semaphore), IPC_NOWAIT, ERANGE, E2BIG, EFBIG; sleepers
 * in forked children woken by a change, by IPC_RMID (EIDRM) and by a signal (EINTR even with
 * SA_RESTART); semtimedop's timeout; SEM_UNDO applied at exit, clamped at 0, cleared by SETVAL,
 * kept across execve, not inherited by fork, and its own range; permissions for another user. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
    struct seminfo *__buf;
};

static int id;

static void values(const char *what) {
    unsigned short v[3];
    if (semctl(id, 0, GETALL, v) < 0) printf("%s: GETALL -> %s\n", what, errname(errno));
    else printf("%s: %d %d %d\n", what, v[0], v[1], v[2]);
}

static long op(int num, int op, int flg) {
    struct sembuf s = {num, op, flg};
    return semop(id, &s, 1);
}

static void wait_count(int cmd, int num, int n) {
    while (semctl(id, num, cmd) < n) usleep(1000);
}

static void show_status(const char *what, int status) {
    if (WIFSIGNALED(status)) printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

static void on_usr1(int sig) { (void)sig; }

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2 && strcmp(argv[1], "exec-child") == 0) {
        id = atoi(argv[2]);
        values("after execve, before exit");
        return 0;
    }

    char dir[] = "/tmp/semtestXXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    key_t key = ftok(dir, 'M');

    /* semget */
    T(semget(IPC_PRIVATE, -1, 0600));
    T(semget(IPC_PRIVATE, 32001, 0600));
    T(semget(IPC_PRIVATE, 0, 0600));
    T(semget(key, 3, 0600));
    id = semget(key, 3, IPC_CREAT | IPC_EXCL | 0600);
    printf("semget create -> %s\n", id >= 0 ? "id" : errname(errno));
    T(semget(key, 3, IPC_CREAT | IPC_EXCL | 0600));
    T(semget(key, 4, 0600));
    printf("same id: %d %d %d\n", semget(key, 3, 0) == id, semget(key, 0, 0) == id, semget(key, 1, IPC_CREAT) == id);

    /* semctl */
    struct semid_ds ds;
    memset(&ds, 0, sizeof ds);
    T(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}));
    printf("IPC_STAT: nsems %lu mode %o uid %d otime %s ctime %s\n", (unsigned long)ds.sem_nsems,
           ds.sem_perm.mode, (int)ds.sem_perm.uid, ds.sem_otime ? "set" : "0", ds.sem_ctime ? "set" : "0");
    T(semctl(id, 0, GETVAL));
    T(semctl(id, 0, GETPID));
    T(semctl(id, 0, SETVAL, (union semun){.val = 5}));
    T(semctl(id, 0, GETVAL));
    printf("GETPID is self: %d\n", semctl(id, 0, GETPID) == getpid());
    T(semctl(id, 0, SETVAL, (union semun){.val = -1}));
    T(semctl(id, 0, SETVAL, (union semun){.val = 32768}));
    T(semctl(id, 3, SETVAL, (union semun){.val = 1}));
    T(semctl(id, -1, GETVAL));
    T(semctl(id, 3, GETVAL));
    T(semctl(-1, 0, GETVAL));
    T(semctl(id + 32768, 0, GETVAL));
    T(semctl(id, 0, 99));
    T(syscall(SYS_semctl, id, 0, GETVAL | 0x100, 0));
    T(semctl(id, 0, IPC_STAT, (union semun){.buf = (struct semid_ds *)8}));
    T(semctl(id, 0, GETALL, (union semun){.array = (unsigned short *)8}));
    unsigned short all[3] = {1, 2, 3};
    T(semctl(id, 99, SETALL, (union semun){.array = all}));
    values("after SETALL");
    unsigned short big[3] = {1, 40000, 3};
    T(semctl(id, 0, SETALL, (union semun){.array = big}));
    T(semctl(id, 0, SETALL, (union semun){.array = (unsigned short *)8}));
    values("after failed SETALL");

    /* semop */
    struct sembuf two[2] = {{0, -1, IPC_NOWAIT}, {1, -5, IPC_NOWAIT}};
    T(semop(id, two, 2));
    values("all or nothing");
    struct sembuf dup[2] = {{1, -2, IPC_NOWAIT}, {1, -1, IPC_NOWAIT}};
    T(semop(id, dup, 2));
    values("two on one semaphore");
    dup[1].sem_op = 1;
    dup[0].sem_op = -3;
    T(semop(id, dup, 2));
    values("-3 then +1 on semaphore 1");
    T(op(0, -1, 0));
    T(op(0, 0, IPC_NOWAIT));
    T(op(0, -1, IPC_NOWAIT));
    T(op(2, 32767, 0));
    struct sembuf range[2] = {{0, 1, 0}, {2, 32767, 0}};
    T(semop(id, range, 2));
    values("after ERANGE");
    T(op(3, 1, 0));
    T(op(-1 & 0xffff, 1, 0));
    struct sembuf many[501];
    memset(many, 0, sizeof many);
    T(semop(id, many, 501));
    T(semop(id, many, 0));
    T(semop(id, (struct sembuf *)8, 1));
    T(semop(-1, many, 1));
    T(semop(id + 32768, many, 1));
    T(op(0, 0, 0));
    memset(&ds, 0, sizeof ds);
    semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
    printf("otime after semop: %s\n", ds.sem_otime ? "set" : "0");

    /* semtimedop */
    struct timespec ts = {0, 20 * 1000 * 1000};
    struct sembuf down = {0, -1, 0};
    T(semtimedop(id, &down, 1, &ts));
    ts.tv_nsec = 1000000000;
    T(semtimedop(id, &down, 1, &ts));
    T(semtimedop(id, &down, 1, (struct timespec *)8));
    ts.tv_nsec = 0;
    T(semtimedop(id, &down, 1, &ts));
    T(semctl(id, 0, SETVAL, (union semun){.val = 1}));
    ts.tv_nsec = -1;
    T(semtimedop(id, many, 501, &ts));
    T(semtimedop(id, &down, 1, &ts));
    ts.tv_nsec = 0;
    T(semtimedop(id, &down, 1, &ts));

    /* a sleeper woken by SETVAL; GETNCNT counts it on the semaphore it waits for */
    semctl(id, 0, SETALL, (union semun){.array = (unsigned short[]){1, 0, 0}});
    pid_t c = fork();
    if (c == 0) {
        struct sembuf both[2] = {{0, -1, 0}, {1, -1, 0}};
        printf("child: semop -> %ld\n", (long)semop(id, both, 2));
        _exit(0);
    }
    wait_count(GETNCNT, 1, 1);
    printf("GETNCNT %d %d, GETZCNT %d\n", semctl(id, 0, GETNCNT), semctl(id, 1, GETNCNT), semctl(id, 1, GETZCNT));
    values("child asleep");
    long woke = semctl(id, 1, SETVAL, (union semun){.val = 2});
    int status;
    waitpid(c, &status, 0);
    printf("SETVAL that wakes it -> %ld\n", woke);
    show_status("woken child", status);
    values("after the child's semop");
    printf("GETPID is the child: %d %d\n", semctl(id, 0, GETPID) == c, semctl(id, 1, GETPID) == c);

    /* wait for zero */
    c = fork();
    if (c == 0) {
        printf("child: wait for zero -> %ld\n", op(1, 0, 0));
        _exit(0);
    }
    wait_count(GETZCNT, 1, 1);
    printf("GETZCNT %d\n", semctl(id, 1, GETZCNT));
    woke = op(1, -1, 0);
    waitpid(c, &status, 0);
    printf("semop that wakes it -> %ld\n", woke);
    show_status("zero child", status);

    /* a signal interrupts even with SA_RESTART */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    c = fork();
    if (c == 0) {
        errno = 0;
        long r = op(2, -1, 0);
        printf("child: interrupted semop -> %ld %s\n", r, errname(errno));
        _exit(0);
    }
    wait_count(GETNCNT, 2, 1);
    kill(c, SIGUSR1);
    waitpid(c, &status, 0);
    show_status("interrupted child", status);
    printf("GETNCNT after: %d\n", semctl(id, 2, GETNCNT));

    /* SEM_UNDO */
    semctl(id, 0, SETALL, (union semun){.array = (unsigned short[]){2, 0, 0}});
    c = fork();
    if (c == 0) {
        op(0, -1, SEM_UNDO);
        op(1, 3, SEM_UNDO);
        op(1, -1, SEM_UNDO);
        values("child with undo");
        _exit(0);
    }
    waitpid(c, &status, 0);
    values("after its exit");
    printf("GETPID is the child: %d %d %d\n", semctl(id, 0, GETPID) == c, semctl(id, 1, GETPID) == c,
           semctl(id, 2, GETPID) == c);
    int up[2], go[2];
    if (pipe(up) < 0 || pipe(go) < 0) return 1;
    c = fork();
    if (c == 0) {
        op(0, 2, SEM_UNDO);
        op(1, 2, SEM_UNDO);
        write(up[1], "x", 1);
        char b;
        read(go[0], &b, 1);
        _exit(0);
    }
    char b;
    read(up[0], &b, 1);
    values("child added 2 and 2");
    T(op(0, -3, 0));
    T(semctl(id, 1, SETVAL, (union semun){.val = 7}));
    write(go[1], "x", 1);
    waitpid(c, &status, 0);
    values("after exit: clamped at 0, SETVAL cleared");
    c = fork();
    if (c == 0) {
        op(2, 4, SEM_UNDO);
        char arg[16];
        snprintf(arg, sizeof arg, "%d", id);
        execl("/proc/self/exe", argv[0], "exec-child", arg, (char *)NULL);
        _exit(127);
    }
    waitpid(c, &status, 0);
    values("after the execve child's exit");
    T(op(2, 1, SEM_UNDO));
    c = fork();
    if (c == 0) _exit(0);
    waitpid(c, &status, 0);
    values("fork does not inherit undo");
    T(op(2, -1, SEM_UNDO));
    T(semctl(id, 2, SETVAL, (union semun){.val = 0}));
    T(op(2, 32767, SEM_UNDO));
    T(op(2, -32767, 0));
    T(op(2, 1, SEM_UNDO));
    T(op(2, -1, 0));
    T(op(2, 1, SEM_UNDO));
    values("undo range");

    /* IPC_SET, SEM_STAT, SEM_INFO, another user */
    memset(&ds, 0, sizeof ds);
    semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
    ds.sem_perm.mode = 0604;
    T(semctl(id, 0, IPC_SET, (union semun){.buf = &ds}));
    memset(&ds, 0, sizeof ds);
    semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
    printf("mode after IPC_SET %o\n", ds.sem_perm.mode);
    printf("SEM_STAT by index returns the id: %d\n", semctl(id & 0x7fff, 0, SEM_STAT, (union semun){.buf = &ds}) == id);
    struct seminfo si;
    memset(&si, 0, sizeof si);
    long n = semctl(0, 0, IPC_INFO, (union semun){.__buf = &si});
    printf("IPC_INFO -> %s semvmx %d semusz %d semaem %d\n", n >= 0 ? "ok" : errname(errno), si.semvmx, si.semusz,
           si.semaem);
    n = semctl(0, 0, SEM_INFO, (union semun){.__buf = &si});
    printf("SEM_INFO -> %s arrays>0 %d\n", n >= 0 ? "ok" : errname(errno), si.semusz > 0);
    c = fork();
    if (c == 0) {
        if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0) { printf("setuid failed\n"); _exit(1); }
        T(semctl(id, 0, GETVAL));
        T(op(0, 1, 0));
        T(op(0, 0, IPC_NOWAIT));
        T(semctl(id, 0, SETVAL, (union semun){.val = 1}));
        T(semctl(id, 0, IPC_RMID));
        _exit(0);
    }
    waitpid(c, &status, 0);

    /* IPC_RMID wakes sleepers with EIDRM */
    c = fork();
    if (c == 0) {
        errno = 0;
        long r = op(0, -1, 0);
        printf("child: semop on removed array -> %ld %s\n", r, errname(errno));
        _exit(0);
    }
    wait_count(GETNCNT, 0, 1);
    woke = semctl(id, 0, IPC_RMID);
    waitpid(c, &status, 0);
    printf("IPC_RMID -> %ld\n", woke);
    show_status("EIDRM child", status);
    T(semctl(id, 0, GETVAL));
    T(op(0, 1, 0));
    T(semget(key, 0, 0));

    rmdir(dir);
    return 0;
}
