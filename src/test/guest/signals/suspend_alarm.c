/* alarm + sigsuspend, pause, EINTR without SA_RESTART, nanosleep interrupted with time left. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int alarms;

static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, 0);
    sigset_t block, old, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &old);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, 0);
    sigemptyset(&empty);
    int r = sigsuspend(&empty);
    printf("sigsuspend: %d errno=%s alarms=%d\n", r, strerror(errno), alarms);
    sigset_t now;
    sigprocmask(SIG_BLOCK, 0, &now);
    printf("mask restored: %d\n", sigismember(&now, SIGALRM));
    sigprocmask(SIG_SETMASK, &old, 0);
    alarm(1);
    unsigned left = alarm(0);
    printf("alarm left: %u\n", left);
    /* pause, read and nanosleep are interrupted by an alarm that repeats every 50 ms: a single
     * alarm could fire before the call blocks when the program runs slowly (an emulator compiling
     * code, a loaded machine), and would then be handled without interrupting anything. */
    struct itimerval repeat = {{0, 50000}, {0, 50000}};
    struct itimerval stop = {{0, 0}, {0, 0}};
    int before = alarms;
    setitimer(ITIMER_REAL, &repeat, 0);
    r = pause();
    setitimer(ITIMER_REAL, &stop, 0);
    printf("pause: %d errno=%s alarm handled=%d\n", r, strerror(errno), alarms > before);
    char c;
    int fds[2];
    if (pipe(fds) == 0) {
        before = alarms;
        setitimer(ITIMER_REAL, &repeat, 0);
        r = read(fds[0], &c, 1);
        setitimer(ITIMER_REAL, &stop, 0);
        printf("read: %d errno=%s alarm handled=%d\n", r, strerror(errno), alarms > before);
    }
    struct timespec req = {5, 0}, rem = {0, 0};
    before = alarms;
    setitimer(ITIMER_REAL, &repeat, 0);
    r = nanosleep(&req, &rem);
    setitimer(ITIMER_REAL, &stop, 0);
    printf("nanosleep: %d errno=%s left_ok=%d alarm handled=%d\n", r, strerror(errno),
           rem.tv_sec >= 3 && rem.tv_sec < 5, alarms > before);
    /* SA_RESTART: the read is restarted, so it sees the data written after the alarm. */
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, 0);
    struct itimerval every = {{0, 10000}, {0, 10000}};
    setitimer(ITIMER_REAL, &every, 0);
    struct timespec t = {0, 50000000};
    while (alarms < 6) {
        nanosleep(&t, 0);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, 0);
    printf("interval alarms>=6: %d\n", alarms >= 6);
    return 0;
}
