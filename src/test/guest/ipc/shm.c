/* System V shared memory: shmget with keys, IPC_CREAT/IPC_EXCL and the size rules; shmat at a
 * chosen address, with SHM_RND, SHM_RDONLY (a store faults, mprotect to PROT_WRITE is EACCES) and
 * SHM_REMAP; shmdt of an attach split by mprotect; the segment shared with a forked child, its
 * attaches inherited and dropped at exit and at execve (shm_nattch, shm_lpid); contents kept
 * while nobody is attached; IPC_STAT/IPC_SET/IPC_RMID (a removed segment stays while attached,
 * SHM_DEST in the mode, its key private), SHM_STAT, SHM_LOCK, IPC_INFO; permissions for
 * another user; and the errors Linux gives. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)
/* for calls returning an id: only whether it is one */
#define ID(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> id\n", #call); } while (0)
#define P(call) do { errno = 0; void *r_ = (call); \
    if (r_ == (void *)-1) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> ok\n", #call); } while (0)

#define PAGE 4096
#define SIZE (3 * PAGE + 100)

static void stat_of(const char *what, int id) {
    struct shmid_ds ds;
    memset(&ds, 0x55, sizeof ds);
    if (shmctl(id, IPC_STAT, &ds) < 0) {
        printf("stat %s -> %s\n", what, errname(errno));
        return;
    }
    printf("stat %s: segsz %zu mode %o nattch %lu uid %d cuid %d cpid-self %d lpid %s atime %s dtime %s ctime %s\n",
           what, ds.shm_segsz, ds.shm_perm.mode, (unsigned long)ds.shm_nattch, (int)ds.shm_perm.uid,
           (int)ds.shm_perm.cuid, ds.shm_cpid == getpid(),
           ds.shm_lpid == 0 ? "0" : ds.shm_lpid == getpid() ? "self" : "other",
           ds.shm_atime ? "set" : "0", ds.shm_dtime ? "set" : "0", ds.shm_ctime ? "set" : "0");
}

static long nattch(int id) {
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0) return -errno;
    return (long)ds.shm_nattch;
}

static pid_t lpid(int id) {
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0) return -1;
    return ds.shm_lpid;
}

static void show_status(const char *what, int status) {
    if (WIFSIGNALED(status)) printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

/* the program run again by execve in a child: its attach is gone */
static int exec_child(int id) {
    printf("after execve: nattch %ld\n", nattch(id));
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2 && strcmp(argv[1], "exec-child") == 0) return exec_child(atoi(argv[2]));

    char dir[] = "/tmp/shmtestXXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    key_t key = ftok(dir, 'S');
    printf("key %s\n", key == -1 ? "failed" : "ok");

    /* errors of shmget */
    T(shmget(IPC_PRIVATE, 0, 0600));
    T(shmget(IPC_PRIVATE, (size_t)-1, 0600));
    T(shmget(key, SIZE, 0600));
    T(shmget(key, 0, 0));

    /* a segment with a key */
    int id = shmget(key, SIZE, IPC_CREAT | IPC_EXCL | 0600);
    printf("shmget create -> %s\n", id >= 0 ? "id" : errname(errno));
    T(shmget(key, SIZE, IPC_CREAT | IPC_EXCL | 0600));
    printf("same id again: %d\n", shmget(key, SIZE, 0600) == id);
    printf("same id with IPC_CREAT: %d\n", shmget(key, 10, IPC_CREAT | 0600) == id);
    printf("same id with size 0: %d\n", shmget(key, 0, 0) == id);
    T(shmget(key, SIZE + 1, 0600));
    stat_of("new", id);

    /* errors of shmctl and shmat */
    struct shmid_ds ds;
    T(shmctl(-1, IPC_STAT, &ds));
    T(shmctl(id, -1, &ds));
    T(shmctl(id, 99, &ds));
    T(shmctl(id + 32768, IPC_STAT, &ds));
    T(shmctl(id, IPC_STAT, (struct shmid_ds *)8));
    T(syscall(SYS_shmctl, id, IPC_STAT | 0x100, &ds));
    P(shmat(-1, NULL, 0));
    P(shmat(id + 32768, NULL, 0));
    P(shmat(id, NULL, SHM_REMAP));
    P(shmat(id, (void *)(PAGE * 100 + 5), 0));
    T(shmdt((void *)5));
    T(shmdt((void *)(PAGE * 100)));

    /* attach, write, see it again */
    char *p = shmat(id, NULL, 0);
    printf("shmat -> %s aligned %d\n", p == (void *)-1 ? errname(errno) : "ok", ((uintptr_t)p & (PAGE - 1)) == 0);
    stat_of("attached", id);
    strcpy(p, "hello");
    strcpy(p + SIZE - 6, "tail");
    p[SIZE + 10] = 'x'; /* in the last page, past shm_segsz */
    char *r = shmat(id, NULL, SHM_RDONLY);
    printf("read-only attach: %s, sees \"%s\" \"%s\" %c, nattch %ld\n", r == (void *)-1 ? errname(errno) : "ok",
           r, r + SIZE - 6, r[SIZE + 10], nattch(id));
    T(mprotect(r, PAGE, PROT_READ | PROT_WRITE));
    T(mprotect(p, PAGE, PROT_READ));
    T(mprotect(p, PAGE, PROT_READ | PROT_WRITE));

    /* the maps line names the segment by key */
    char want[64], line[512];
    snprintf(want, sizeof want, "/SYSV%08x (deleted)", (unsigned)key);
    FILE *maps = fopen("/proc/self/maps", "r");
    int named = 0;
    while (fgets(line, sizeof line, maps)) {
        if (strstr(line, want)) named++;
    }
    fclose(maps);
    printf("maps lines naming the segment: %d\n", named);

    /* a store through the read-only attach faults */
    pid_t c = fork();
    if (c == 0) {
        r[0] = 'X';
        _exit(0);
    }
    int status;
    waitpid(c, &status, 0);
    show_status("store to read-only attach", status);
    printf("nattch after that child: %ld, lpid child %d\n", nattch(id), lpid(id) == c);

    /* a child inherits both attaches and shares the pages */
    int up[2], down[2];
    if (pipe(up) < 0 || pipe(down) < 0) return 1;
    c = fork();
    if (c == 0) {
        printf("child: sees \"%s\", nattch %ld\n", p, nattch(id));
        strcpy(p, "from child");
        char go;
        write(up[1], "x", 1);
        read(down[0], &go, 1);
        printf("child: sees \"%s\"\n", p);
        _exit(0);
    }
    char go;
    read(up[0], &go, 1);
    printf("parent: sees \"%s\" through both: \"%s\"\n", p, r);
    strcpy(p, "from parent");
    write(down[1], "x", 1);
    waitpid(c, &status, 0);
    show_status("sharing child", status);
    printf("nattch %ld, lpid child %d\n", nattch(id), lpid(id) == c);

    /* shmdt: misaligned, inside the attach, then the attach split by mprotect */
    T(shmdt(p + 1));
    T(shmdt(p + PAGE));
    T(mprotect(p + PAGE, PAGE, PROT_READ));
    printf("nattch after splitting: %ld\n", nattch(id));
    T(munmap(p + 2 * PAGE, PAGE));
    printf("nattch after unmapping a page: %ld\n", nattch(id));
    T(shmdt(p));
    printf("nattch after shmdt: %ld\n", nattch(id));
    T(shmdt(p));
    T(shmdt(r));
    stat_of("detached", id);

    /* nobody attached: the contents stay */
    p = shmat(id, NULL, 0);
    printf("reattached: \"%s\" \"%s\" %c\n", p, p + SIZE - 6, p[SIZE + 10]);

    /* a chosen address: SHM_RND, then an address in use (EINVAL), then SHM_REMAP */
    char *area = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(area + PAGE, "anonymous");
    P(shmat(id, area + PAGE, 0));
    P(shmat(id, area + PAGE + 1, 0));
    char *q = shmat(id, area + PAGE, SHM_REMAP);
    printf("SHM_REMAP: %s at %d, sees \"%s\"\n", q == (void *)-1 ? errname(errno) : "ok", q == area + PAGE, q);
    T(shmdt(q));
    T(munmap(area, 8 * PAGE));
    q = shmat(id, area + PAGE + 123, SHM_RND);
    printf("SHM_RND: %s at %d, sees \"%s\"\n", q == (void *)-1 ? errname(errno) : "ok", q == area + PAGE, q);
    T(shmdt(q));
    P(shmat(id, (void *)123, SHM_RND | SHM_REMAP));

    /* execve drops the child's attach */
    c = fork();
    if (c == 0) {
        char arg[16];
        snprintf(arg, sizeof arg, "%d", id);
        printf("before execve: nattch %ld\n", nattch(id));
        execl("/proc/self/exe", argv[0], "exec-child", arg, (char *)NULL);
        _exit(127);
    }
    waitpid(c, &status, 0);
    show_status("execve child", status);

    /* IPC_SET, SHM_STAT, SHM_LOCK, IPC_INFO */
    memset(&ds, 0, sizeof ds);
    shmctl(id, IPC_STAT, &ds);
    ds.shm_perm.mode = 0640 | 0777000;
    T(shmctl(id, IPC_SET, &ds));
    stat_of("after IPC_SET", id);
    ds.shm_perm.uid = (uid_t)-1;
    T(shmctl(id, IPC_SET, &ds));
    T(shmctl(id, IPC_SET, (struct shmid_ds *)8));
    printf("SHM_STAT by index returns the id: %d\n", shmctl(id & 0x7fff, SHM_STAT, &ds) == id);
    printf("SHM_STAT_ANY by index returns the id: %d\n", shmctl(id & 0x7fff, SHM_STAT_ANY, &ds) == id);
    T(shmctl(id, SHM_LOCK, NULL));
    stat_of("locked", id);
    T(shmctl(id, SHM_UNLOCK, NULL));
    stat_of("unlocked", id);
    struct shminfo info;
    memset(&info, 0, sizeof info);
    long n = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
    printf("IPC_INFO -> %s shmmin %lu\n", n >= 0 ? "ok" : errname(errno), (unsigned long)info.shmmin);
    struct shm_info sinfo;
    n = shmctl(0, SHM_INFO, (struct shmid_ds *)&sinfo);
    printf("SHM_INFO -> %s used_ids>0 %d\n", n >= 0 ? "ok" : errname(errno), sinfo.used_ids > 0);
    /* shm_rss counts a segment's pages from their first touch through an attach */
    {
        int rid = shmget(IPC_PRIVATE, 3 * 4096, IPC_CREAT | 0600);
        char *m = shmat(rid, NULL, 0);
        struct shm_info before, after;
        shmctl(0, SHM_INFO, (struct shmid_ds *)&before);
        m[0] = 1;
        m[2 * 4096 + 5] = 2;
        shmctl(0, SHM_INFO, (struct shmid_ds *)&after);
        printf("SHM_INFO shm_rss grew by %ld pages\n", (long)(after.shm_rss - before.shm_rss));
        shmdt(m);
        shmctl(rid, IPC_RMID, NULL);
    }
    T(shmctl(0, IPC_INFO, (struct shmid_ds *)8));

    /* another user */
    ds.shm_perm.uid = 0;
    ds.shm_perm.mode = 0600;
    shmctl(id, IPC_SET, &ds);
    c = fork();
    if (c == 0) {
        if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0) { printf("setuid failed\n"); _exit(1); }
        struct shmid_ds d;
        ID(shmget(key, 0, 0));
        T(shmget(key, 0, 0400));
        T(shmctl(id, IPC_STAT, &d));
        T(shmctl(id & 0x7fff, SHM_STAT, &d));
        printf("SHM_STAT_ANY as another user returns the id: %d\n", shmctl(id & 0x7fff, SHM_STAT_ANY, &d) == id);
        P(shmat(id, NULL, SHM_RDONLY));
        T(shmctl(id, IPC_SET, &d));
        T(shmctl(id, IPC_RMID, NULL));
        T(shmctl(id, SHM_LOCK, NULL));
        _exit(0);
    }
    waitpid(c, &status, 0);
    ds.shm_perm.mode = 0604;
    shmctl(id, IPC_SET, &ds);
    c = fork();
    if (c == 0) {
        if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0) { printf("setuid failed\n"); _exit(1); }
        ID(shmget(key, 0, 0));
        ID(shmget(key, 0, 0004));
        T(shmget(key, 0, 0006));
        char *ro = shmat(id, NULL, SHM_RDONLY);
        printf("other user read-only: %s \"%s\"\n", ro == (void *)-1 ? errname(errno) : "ok", ro == (void *)-1 ? "" : ro);
        P(shmat(id, NULL, 0));
        _exit(0);
    }
    waitpid(c, &status, 0);

    /* IPC_RMID while attached: SHM_DEST, private key, still attachable; gone with the last detach */
    T(shmctl(id, IPC_RMID, NULL));
    memset(&ds, 0, sizeof ds);
    T(shmctl(id, IPC_STAT, &ds));
    printf("removed: mode %o key %d nattch %lu\n", ds.shm_perm.mode, (int)ds.shm_perm.__key, (unsigned long)ds.shm_nattch);
    T(shmget(key, 0, 0));
    char *again = shmat(id, NULL, 0);
    printf("attach removed segment: %s \"%s\" nattch %ld\n", again == (void *)-1 ? errname(errno) : "ok", again, nattch(id));
    T(shmdt(again));
    T(shmdt(p));
    T(shmctl(id, IPC_STAT, &ds));
    T(shmctl(id, IPC_RMID, NULL));

    /* a private segment, removed by a child's exit */
    int pid2 = shmget(IPC_PRIVATE, 10, 0600);
    printf("private -> %s\n", pid2 >= 0 ? "id" : errname(errno));
    c = fork();
    if (c == 0) {
        char *m = shmat(pid2, NULL, 0);
        strcpy(m, "child data");
        shmctl(pid2, IPC_RMID, NULL);
        printf("child: nattch %ld\n", nattch(pid2));
        _exit(0);
    }
    waitpid(c, &status, 0);
    T(shmctl(pid2, IPC_STAT, &ds));
    P(shmat(pid2, NULL, 0));

    rmdir(dir);
    return 0;
}
