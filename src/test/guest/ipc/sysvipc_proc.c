/* /proc/sysvipc/{shm,sem,msg}, what ipcs(1) reads: the headers, and the line of each object the
 * program creates as it changes (attach, write, detach, IPC_RMID of an attached segment; semop;
 * msgsnd and msgrcv). Each line must re-format to itself with the kernel's printf format, so the
 * columns are checked byte for byte; its ids, pids and times are then printed masked (as
 * "mine", "self", "set"). Also the IPC sysctls under /proc/sys/kernel and /proc/sys/fs/mqueue. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

static char line[512];

/* The line of object `id` in /proc/sysvipc/`what` (its second column), or NULL; the header when id is -1. */
static const char *find(const char *what, int id) {
    char path[64];
    snprintf(path, sizeof path, "/proc/sysvipc/%s", what);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("open %s -> %s\n", path, errname(errno));
        return NULL;
    }
    const char *found = NULL;
    int first = 1;
    while (fgets(line, sizeof line, f)) {
        if (first) {
            first = 0;
            if (id == -1) {
                found = line;
                break;
            }
            continue;
        }
        int key, lid;
        if (sscanf(line, "%d %d", &key, &lid) == 2 && lid == id) {
            found = line;
            break;
        }
    }
    fclose(f);
    return found;
}

static const char *when(unsigned long long t) {
    time_t now = time(NULL);
    if (t == 0) return "0";
    return (long long)t > now - 600 && (long long)t <= now + 5 ? "set" : "wrong";
}

static const char *who(unsigned v) {
    return v == 0 ? "0" : v == (unsigned)getpid() ? "self" : "other";
}

static void shm_line(const char *what, int id) {
    const char *l = find("shm", id);
    if (!l) {
        printf("shm %s: no line\n", what);
        return;
    }
    int key, sid;
    unsigned mode, cpid, lpid, uid, gid, cuid, cgid;
    unsigned long size, nattch, rss, swap;
    unsigned long long atime, dtime, ctime;
    if (sscanf(l, "%d %d %o %lu %u %u %lu %u %u %u %u %llu %llu %llu %lu %lu", &key, &sid, &mode, &size, &cpid, &lpid,
               &nattch, &uid, &gid, &cuid, &cgid, &atime, &dtime, &ctime, &rss, &swap) != 16) {
        printf("shm %s: unparsed\n", what);
        return;
    }
    char again[512];
    snprintf(again, sizeof again,
             "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10llu %10llu %10llu %21lu %21lu\n", key, sid, mode,
             size, cpid, lpid, nattch, uid, gid, cuid, cgid, atime, dtime, ctime, rss, swap);
    printf("shm %s: exact %d key %d perms %o size %lu cpid %s lpid %s nattch %lu uid %u gid %u cuid %u cgid %u"
           " atime %s dtime %s ctime %s rss %lu swap %lu\n",
           what, strcmp(again, l) == 0, key, mode, size, who(cpid), who(lpid), nattch, uid, gid, cuid, cgid, when(atime),
           when(dtime), when(ctime), rss, swap);
}

static void sem_line(const char *what, int id) {
    const char *l = find("sem", id);
    if (!l) {
        printf("sem %s: no line\n", what);
        return;
    }
    int key, sid;
    unsigned mode, nsems, uid, gid, cuid, cgid;
    unsigned long long otime, ctime;
    if (sscanf(l, "%d %d %o %u %u %u %u %u %llu %llu", &key, &sid, &mode, &nsems, &uid, &gid, &cuid, &cgid, &otime,
               &ctime) != 10) {
        printf("sem %s: unparsed\n", what);
        return;
    }
    char again[512];
    snprintf(again, sizeof again, "%10d %10d  %4o %10u %5u %5u %5u %5u %10llu %10llu\n", key, sid, mode, nsems, uid,
             gid, cuid, cgid, otime, ctime);
    printf("sem %s: exact %d key %d perms %o nsems %u uid %u gid %u cuid %u cgid %u otime %s ctime %s\n", what,
           strcmp(again, l) == 0, key, mode, nsems, uid, gid, cuid, cgid, when(otime), when(ctime));
}

static void msg_line(const char *what, int id) {
    const char *l = find("msg", id);
    if (!l) {
        printf("msg %s: no line\n", what);
        return;
    }
    int key, mid;
    unsigned mode, lspid, lrpid, uid, gid, cuid, cgid;
    unsigned long cbytes, qnum;
    unsigned long long stime, rtime, ctime;
    if (sscanf(l, "%d %d %o %lu %lu %u %u %u %u %u %u %llu %llu %llu", &key, &mid, &mode, &cbytes, &qnum, &lspid,
               &lrpid, &uid, &gid, &cuid, &cgid, &stime, &rtime, &ctime) != 14) {
        printf("msg %s: unparsed\n", what);
        return;
    }
    char again[512];
    snprintf(again, sizeof again, "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu\n", key, mid,
             mode, cbytes, qnum, lspid, lrpid, uid, gid, cuid, cgid, stime, rtime, ctime);
    printf("msg %s: exact %d key %d perms %o cbytes %lu qnum %lu lspid %s lrpid %s uid %u gid %u cuid %u cgid %u"
           " stime %s rtime %s ctime %s\n",
           what, strcmp(again, l) == 0, key, mode, cbytes, qnum, who(lspid), who(lrpid), uid, gid, cuid, cgid,
           when(stime), when(rtime), when(ctime));
}

static void sysctl(const char *path) {
    char buf[128];
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s -> %s\n", path, errname(errno));
        return;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    printf("%s: %s", path, buf);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    /* the directory */
    struct stat st;
    stat("/proc/sysvipc", &st);
    printf("/proc/sysvipc: dir %d mode %o\n", S_ISDIR(st.st_mode), st.st_mode & 07777);
    DIR *d = opendir("/proc/sysvipc");
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            stat(e->d_name[0] == 's' && e->d_name[1] == 'h' ? "/proc/sysvipc/shm"
                 : e->d_name[0] == 's'                      ? "/proc/sysvipc/sem"
                                                            : "/proc/sysvipc/msg",
                 &st);
            printf("entry %s: regular %d mode %o size %ld\n", e->d_name, S_ISREG(st.st_mode), st.st_mode & 07777,
                   (long)st.st_size);
        }
    }
    closedir(d);
    printf("%s", find("shm", -1));
    printf("%s", find("sem", -1));
    printf("%s", find("msg", -1));

    /* shared memory */
    int shm = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0640);
    shm_line("created", shm);
    char *p = shmat(shm, NULL, 0);
    shm_line("attached", shm);
    p[0] = 1;
    p[4096] = 2;
    shm_line("two pages written", shm);
    pid_t pid = fork();
    if (pid == 0) {
        _exit(p[4096] == 2 ? 0 : 1);
    }
    waitpid(pid, NULL, 0);
    shm_line("after a child", shm);
    shmdt(p);
    shm_line("detached", shm);
    key_t key = 0x4c340000 | (getpid() & 0xffff);
    int keyed = shmget(key, 1, IPC_CREAT | IPC_EXCL | 0600);
    if (keyed < 0) {
        printf("shmget with a key -> %s\n", errname(errno));
    } else {
        const char *l = find("shm", keyed);
        int k = 0;
        if (l) sscanf(l, "%d", &k);
        printf("shm keyed: key column is the key %d\n", k == key);
        shmctl(keyed, IPC_RMID, NULL);
    }
    p = shmat(shm, NULL, SHM_RDONLY);
    shmctl(shm, IPC_RMID, NULL);
    shm_line("removed while attached", shm);
    shmdt(p);
    shm_line("removed and detached", shm);

    /* semaphores */
    int sem = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    sem_line("created", sem);
    struct sembuf op = {1, 2, 0};
    semop(sem, &op, 1);
    sem_line("after semop", sem);
    semctl(sem, 0, IPC_RMID);
    sem_line("removed", sem);

    /* message queues */
    int msq = msgget(IPC_PRIVATE, IPC_CREAT | 0604);
    msg_line("created", msq);
    struct {
        long type;
        char text[16];
    } m = {5, "hello"};
    msgsnd(msq, &m, 5, 0);
    msgsnd(msq, &m, 3, 0);
    msg_line("two sent", msq);
    msgrcv(msq, &m, sizeof m.text, 0, 0);
    msg_line("one received", msq);
    msgctl(msq, IPC_RMID, NULL);
    msg_line("removed", msq);

    /* the sysctls */
    sysctl("/proc/sys/kernel/shmmax");
    sysctl("/proc/sys/kernel/shmall");
    sysctl("/proc/sys/kernel/shmmni");
    sysctl("/proc/sys/kernel/msgmax");
    sysctl("/proc/sys/kernel/msgmnb");
    sysctl("/proc/sys/kernel/msgmni");
    sysctl("/proc/sys/kernel/sem");
    sysctl("/proc/sys/fs/mqueue/msg_default");
    sysctl("/proc/sys/fs/mqueue/msg_max");
    sysctl("/proc/sys/fs/mqueue/msgsize_default");
    sysctl("/proc/sys/fs/mqueue/msgsize_max");
    sysctl("/proc/sys/fs/mqueue/queues_max");
    return 0;
}
