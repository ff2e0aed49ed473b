/* System V message queues: msgget with keys; msgsnd's checks (mtype, size, pointers), the queue
 * full at msg_qbytes bytes or messages (EAGAIN, or a sender that waits for a receiver); msgrcv
 * by type (0, a type, MSG_EXCEPT, the lowest type up to -msgtyp), E2BIG and MSG_NOERROR,
 * ENOMSG, MSG_COPY; a receiver in a child that waits for its type, one woken with E2BIG, one
 * interrupted by a signal (EINTR even with SA_RESTART); msgctl IPC_STAT/IPC_SET/IPC_RMID,
 * MSG_STAT and MSG_INFO; permissions for another user; and the errors Linux gives. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#ifndef MSG_COPY
#define MSG_COPY 040000 /* musl does not define it */
#endif

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

struct message {
    long mtype;
    char mtext[64];
};

static int q;

static long send(long type, const char *text, int flags) {
    struct message m;
    m.mtype = type;
    strcpy(m.mtext, text);
    return msgsnd(q, &m, strlen(text), flags);
}

static void recv(const char *what, size_t size, long type, int flags) {
    struct message m;
    memset(&m, 0, sizeof m);
    errno = 0;
    long n = msgrcv(q, &m, size, type, flags);
    if (n < 0) printf("%-40s -> %s\n", what, errname(errno));
    else printf("%-40s -> %ld type %ld \"%.*s\"\n", what, n, m.mtype, (int)n, m.mtext);
}

static void stat_of(const char *what) {
    struct msqid_ds ds;
    memset(&ds, 0x55, sizeof ds);
    if (msgctl(q, IPC_STAT, &ds) < 0) {
        printf("stat %s -> %s\n", what, errname(errno));
        return;
    }
    printf("stat %s: qnum %lu cbytes %lu qbytes %lu mode %o lspid %s lrpid %s stime %s rtime %s ctime %s\n", what,
           (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes,
           ds.msg_perm.mode, ds.msg_lspid == 0 ? "0" : ds.msg_lspid == getpid() ? "self" : "other",
           ds.msg_lrpid == 0 ? "0" : ds.msg_lrpid == getpid() ? "self" : "other", ds.msg_stime ? "set" : "0",
           ds.msg_rtime ? "set" : "0", ds.msg_ctime ? "set" : "0");
}

static void set_qbytes(unsigned long n) {
    struct msqid_ds ds;
    msgctl(q, IPC_STAT, &ds);
    ds.msg_qbytes = n;
    printf("IPC_SET qbytes %lu -> %s\n", n, msgctl(q, IPC_SET, &ds) < 0 ? errname(errno) : "0");
}

static void show_status(const char *what, int status) {
    if (WIFSIGNALED(status)) printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

static void on_alarm(int sig) { (void)sig; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char dir[] = "/tmp/msgtestXXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    key_t key = ftok(dir, 'Q');

    /* msgget */
    T(msgget(key, 0600));
    q = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    printf("msgget create -> %s\n", q >= 0 ? "id" : errname(errno));
    T(msgget(key, IPC_CREAT | IPC_EXCL | 0600));
    printf("same id: %d %d\n", msgget(key, 0) == q, msgget(key, IPC_CREAT | 0600) == q);
    stat_of("new");

    /* msgsnd's checks */
    struct message m = {0, "x"};
    T(msgsnd(q, &m, 1, 0));
    m.mtype = -5;
    T(msgsnd(q, &m, 1, 0));
    m.mtype = 1;
    T(msgsnd(q, &m, 8193, 0));
    T(msgsnd(q, &m, (size_t)-1, 0));
    T(msgsnd(q, (void *)8, 1, 0));
    T(msgsnd(-1, &m, 1, 0));
    T(msgsnd(q + 32768, &m, 1, 0));
    T(msgsnd(q, &m, 1, 077777777));
    T(syscall(SYS_msgctl, q, IPC_STAT | 0x100, &m));
    T(msgctl(q, -1, NULL));
    T(msgctl(-1, IPC_STAT, NULL));
    T(msgctl(q, 99, NULL));
    T(msgctl(q, IPC_STAT, (struct msqid_ds *)8));

    /* types */
    T(send(3, "three", 0));
    T(send(1, "one", 0));
    T(send(2, "two", 0));
    T(send(5, "five", 0));
    T(send(4, "", 0));
    stat_of("five sent");
    recv("type 2", 64, 2, 0);
    recv("lowest type up to 4", 64, -4, 0);
    recv("not type 3", 64, 3, MSG_EXCEPT);
    recv("any", 64, 0, 0);
    recv("type 2 again, IPC_NOWAIT", 64, 2, IPC_NOWAIT);
    recv("lowest type up to 3, IPC_NOWAIT", 64, -3, IPC_NOWAIT);
    recv("lowest type up to LONG_MIN", 64, -9223372036854775807L - 1, IPC_NOWAIT);
    stat_of("after receiving");
    T(send(7, "0123456789", 0));
    recv("too small", 4, 7, 0);
    recv("MSG_COPY index 0", 64, 0, MSG_COPY | IPC_NOWAIT);
    recv("MSG_COPY index 1", 64, 1, MSG_COPY | IPC_NOWAIT);
    recv("MSG_COPY without IPC_NOWAIT", 64, 0, MSG_COPY);
    recv("MSG_COPY with MSG_EXCEPT", 64, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT);
    recv("MSG_COPY index 2", 64, 2, MSG_COPY | IPC_NOWAIT);
    recv("MSG_COPY too small", 4, 1, MSG_COPY | IPC_NOWAIT);
    recv("MSG_COPY too small, MSG_NOERROR", 4, 1, MSG_COPY | IPC_NOWAIT | MSG_NOERROR);
    T(msgrcv(q, (void *)8, 64, 0, MSG_COPY | IPC_NOWAIT));
    recv("size -1", (size_t)-1, 0, 0);
    T(msgrcv(-1, &m, 8, 0, 0));
    T(msgrcv(q + 32768, &m, 8, 0, 0));
    recv("MSG_NOERROR", 4, 7, MSG_NOERROR);
    recv("type 5", 64, 5, 0);
    T(send(8, "lost", 0));
    T(msgrcv(q, (void *)8, 64, 0, 0));
    stat_of("empty");
    recv("empty, IPC_NOWAIT", 64, 0, IPC_NOWAIT);

    /* a receiver that waits for its type; one woken with E2BIG */
    pid_t c = fork();
    if (c == 0) {
        recv("child: type 9", 64, 9, 0);
        _exit(0);
    }
    long sent6 = send(6, "six", 0);
    long sent9 = send(9, "nine", 0);
    int status;
    waitpid(c, &status, 0);
    printf("sends to the waiting child -> %ld %ld\n", sent6, sent9);
    show_status("type 9 child", status);
    stat_of("after the child");
    c = fork();
    if (c == 0) {
        recv("child: small buffer", 2, 10, 0);
        _exit(0);
    }
    long sent10 = send(10, "ten ten", 0);
    waitpid(c, &status, 0);
    printf("send of a long message -> %ld\n", sent10);
    show_status("small buffer child", status);
    recv("type 10", 64, 10, 0);
    recv("type 6", 64, 6, 0);

    /* a full queue: bytes, then messages */
    set_qbytes(10);
    T(send(1, "12345678", 0));
    T(send(1, "123", IPC_NOWAIT));
    T(send(1, "12", IPC_NOWAIT));
    stat_of("full");
    c = fork();
    if (c == 0) _exit(send(2, "abcd", 0) == 0 ? 0 : errno);
    recv("make room", 64, 1, 0);
    waitpid(c, &status, 0);
    show_status("sender child", status);
    stat_of("after the sender");
    recv("sent by the child", 64, 0, 0);
    recv("last", 64, 0, 0);
    set_qbytes(2);
    T(send(1, "", IPC_NOWAIT));
    T(send(1, "", IPC_NOWAIT));
    T(send(1, "", IPC_NOWAIT));
    recv("zero length", 64, 0, 0);
    recv("zero length", 64, 0, 0);
    set_qbytes(16384);

    /* a signal interrupts a waiting receiver even with SA_RESTART */
    c = fork();
    if (c == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGALRM, &sa, NULL);
        struct itimerval it = {{0, 50000}, {0, 50000}};
        setitimer(ITIMER_REAL, &it, NULL);
        recv("child: interrupted", 64, 0, 0);
        struct message x = {1, "abc"};
        struct msqid_ds ds;
        msgctl(q, IPC_STAT, &ds);
        ds.msg_qbytes = 0;
        msgctl(q, IPC_SET, &ds);
        errno = 0;
        long r = msgsnd(q, &x, 3, 0);
        printf("child: interrupted send -> %ld %s\n", r, errname(errno));
        _exit(0);
    }
    waitpid(c, &status, 0);
    show_status("interrupted child", status);
    set_qbytes(16384);

    /* MSG_STAT, MSG_INFO, IPC_SET of the mode, another user */
    struct msqid_ds ds;
    printf("MSG_STAT by index returns the id: %d\n", msgctl(q & 0x7fff, MSG_STAT, &ds) == q);
    struct msginfo mi;
    memset(&mi, 0, sizeof mi);
    long n = msgctl(0, IPC_INFO, (struct msqid_ds *)&mi);
    printf("IPC_INFO -> %s msgssz %d msgseg %d\n", n >= 0 ? "ok" : errname(errno), mi.msgssz, mi.msgseg);
    n = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
    printf("MSG_INFO -> %s queues>0 %d\n", n >= 0 ? "ok" : errname(errno), mi.msgpool > 0);
    T(send(1, "for another user", 0));
    msgctl(q, IPC_STAT, &ds);
    ds.msg_perm.mode = 0642;
    T(msgctl(q, IPC_SET, &ds));
    stat_of("after IPC_SET");
    c = fork();
    if (c == 0) {
        if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0) { printf("setuid failed\n"); _exit(1); }
        T(msgctl(q, IPC_STAT, &ds));
        recv("other user", 64, 0, IPC_NOWAIT);
        T(send(1, "x", IPC_NOWAIT));
        T(msgctl(q, IPC_SET, &ds));
        T(msgctl(q, IPC_RMID, NULL));
        int own = q;
        q = msgget(IPC_PRIVATE, 0600);
        set_qbytes(16385); /* needs CAP_SYS_RESOURCE */
        set_qbytes(100);
        T(msgctl(q, IPC_RMID, NULL));
        q = own;
        _exit(0);
    }
    waitpid(c, &status, 0);
    ds.msg_perm.mode = 0600;
    msgctl(q, IPC_SET, &ds);
    stat_of("after the other user");
    recv("type 1", 64, 1, 0);

    T(msgctl(q, IPC_RMID, NULL));
    T(msgctl(q, IPC_STAT, &ds));
    T(send(1, "x", 0));
    recv("removed", 64, 0, 0);
    T(msgget(key, 0));

    rmdir(dir);
    return 0;
}
