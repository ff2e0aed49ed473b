/* /proc/PID/stat's pgrp, session, tty_nr and tpgid (do_task_stat) for processes in a session
 * whose controlling terminal is a pseudo-terminal, and for one without a terminal. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Fields 5-8 of /proc/self/stat: pgrp session tty_nr tpgid. */
static void stat_fields(int *pgrp, int *session, int *tty_nr, int *tpgid) {
    char buf[1024];
    FILE *f = fopen("/proc/self/stat", "r");
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    char state;
    int ppid;
    sscanf(p + 2, "%c %d %d %d %d %d", &state, &ppid, pgrp, session, tty_nr, tpgid);
}

static const char *ok(int cond) {
    return cond ? "ok" : "WRONG";
}

static void report(const char *who, int slave) {
    int pgrp, session, tty_nr, tpgid;
    stat_fields(&pgrp, &session, &tty_nr, &tpgid);
    printf("%s: pgrp %s, session %s", who, ok(pgrp == getpgrp()), ok(session == getsid(0)));
    if (slave >= 0) {
        struct stat st;
        fstat(slave, &st);
        printf(", tty_nr %s, tpgid %s", ok(tty_nr == (int)st.st_rdev), ok(tpgid == tcgetpgrp(slave)));
    } else {
        printf(", tty_nr %d, tpgid %d", tty_nr, tpgid);
    }
    printf(", own group %s\n", getpgrp() == getpid() ? "yes" : "no");
    fflush(stdout);
}

int main(void) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) || unlockpt(master)) {
        perror("pty");
        return 1;
    }
    char name[64];
    ptsname_r(master, name, sizeof name);
    fflush(stdout);
    pid_t leader = fork();
    if (leader == 0) {
        setsid();
        report("new session, no terminal", -1);
        int slave = open(name, O_RDWR); /* the session leader's first terminal becomes its own */
        report("session leader", slave);
        pid_t member = fork();
        if (member == 0) {
            setpgid(0, 0);
            report("member in its own group, in the background", slave);
            signal(SIGTTOU, SIG_IGN); /* a background group may then take the terminal */
            tcsetpgrp(slave, getpgrp());
            report("member in the foreground", slave);
            _exit(0);
        }
        waitpid(member, NULL, 0);
        pid_t same = fork();
        if (same == 0) {
            report("member in the leader's group", slave);
            _exit(0);
        }
        waitpid(same, NULL, 0);
        _exit(0);
    }
    int st;
    waitpid(leader, &st, 0);
    printf("leader exit %d\n", WEXITSTATUS(st));
    return 0;
}
