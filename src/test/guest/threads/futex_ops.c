/* futex(2) operations called directly: errors, timeouts, WAKE_OP, REQUEUE, bitsets, PI words,
 * futex_waitv; and clone/clone3 flag combinations Linux rejects. Prints results, not timings. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/time.h>

/* include/uapi/linux/futex.h (musl has no kernel headers) */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_BITSET_PRIVATE (FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffff
#define FUTEX_TID_MASK 0x3fffffff
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP(op, oparg, cmp, cmparg) \
    (((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff))
#ifndef CLONE_NEWNS
#define CLONE_NEWNS 0x00020000
#endif
#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
struct waitv_entry {
    uint64_t val;
    uint64_t uaddr;
    uint32_t flags;
    uint32_t reserved;
};
#define W_SIZE_U32 0x02
#define W_PRIVATE 128

#include "../errname.h"

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts, uint32_t *uaddr2, uint32_t val3) {
    return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static void show(const char *what, long r) {
    printf("%-34s %ld %s\n", what, r, r < 0 ? errname(errno) : "");
}

static uint32_t word, word2;
static volatile int waiting;

static void *waiter(void *arg) {
    uint32_t *w = arg;
    __atomic_add_fetch(&waiting, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(w, __ATOMIC_SEQ_CST) == 0) {
        futex(w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    }
    return NULL;
}

static void *bit_waiter(void *arg) {
    __atomic_add_fetch(&waiting, 1, __ATOMIC_SEQ_CST);
    futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, (uint32_t) (long) arg);
    return NULL;
}

static void wait_for_waiters(int n) {
    while (__atomic_load_n(&waiting, __ATOMIC_SEQ_CST) < n) sched_yield();
    usleep(30000); /* let them enter the kernel */
}

static void on_alarm(int sig) { (void) sig; }

int main(void) {
    struct timespec ts = {0, 1000000};
    word = 1;
    show("WAIT value mismatch", futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0));
    show("WAIT relative timeout", futex(&word, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0));
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    now.tv_nsec += 2000000;
    if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
    show("WAIT_BITSET absolute monotonic", futex(&word, FUTEX_WAIT_BITSET, 1, &now, NULL, FUTEX_BITSET_MATCH_ANY));
    clock_gettime(CLOCK_REALTIME, &now);
    show("WAIT_BITSET absolute in the past", futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, &now, NULL, ~0u));
    show("WAIT with CLOCK_REALTIME", futex(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 1, &ts, NULL, 0));
    show("WAIT_BITSET bitset 0", futex(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0));
    show("WAKE_BITSET bitset 0", futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0));
    show("WAIT misaligned", futex((uint32_t *) ((char *) &word + 1), FUTEX_WAIT, 1, &ts, NULL, 0));
    struct timespec bad = {0, 1000000000};
    show("WAIT bad timespec", futex(&word, FUTEX_WAIT, 1, &bad, NULL, 0));
    show("WAKE nobody", futex(&word, FUTEX_WAKE, 10, NULL, NULL, 0));
    show("unknown op", futex(&word, 99, 0, NULL, NULL, 0));
    show("WAKE_OP bad op", futex(&word, FUTEX_WAKE_OP, 1, (void *) 1, &word2, 0x70000000));

    /* EINTR: a handler without SA_RESTART interrupts a wait. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    /* A repeating timer: a first signal that comes before the wait starts (a slow translation
       of the code in between, say) must not leave it waiting for ever. */
    struct itimerval every = {{0, 20000}, {0, 20000}}, off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &every, NULL);
    show("WAIT interrupted by a signal", futex(&word, FUTEX_WAIT, 1, NULL, NULL, 0));
    setitimer(ITIMER_REAL, &off, NULL);

    /* WAKE wakes exactly as many as asked. */
    pthread_t t[4];
    word = 0;
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, waiter, &word);
    wait_for_waiters(4);
    __atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
    long woken = 0;
    while (woken < 4) woken += futex(&word, FUTEX_WAKE_PRIVATE, 3, NULL, NULL, 0);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    show("WAKE total", woken);

    /* CMP_REQUEUE: wake 1, move the rest to word2, then wake them there. */
    word = 0;
    word2 = 0;
    waiting = 0;
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, waiter, &word);
    wait_for_waiters(4);
    show("CMP_REQUEUE value mismatch", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *) 10, &word2, 5));
    __atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&word2, 1, __ATOMIC_SEQ_CST);
    show("CMP_REQUEUE wake 1 move 10", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *) 10, &word2, 1));
    show("WAKE on the old word", futex(&word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
    show("WAKE on the new word", futex(&word2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);

    /* WAKE_OP: word2 += 5, wake one on word, one on word2 if old value < 10. */
    word2 = 3;
    show("WAKE_OP", futex(&word, FUTEX_WAKE_OP, 1, (void *) 1, &word2,
                          FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_LT, 10)));
    printf("word2 after ADD %u\n", word2);
    futex(&word, FUTEX_WAKE_OP, 1, (void *) 1, &word2, FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4, FUTEX_OP_CMP_EQ, 0));
    printf("word2 after OR 1<<4 %u\n", word2);

    /* Bitsets: only waiters whose bitset meets the waker's. */
    word = 0;
    waiting = 0;
    pthread_create(&t[0], NULL, bit_waiter, (void *) 1L);
    pthread_create(&t[1], NULL, bit_waiter, (void *) 2L);
    wait_for_waiters(2);
    show("WAKE_BITSET 4", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 4));
    show("WAKE_BITSET 2", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 2));
    show("WAKE_BITSET 1", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 1));
    pthread_join(t[0], NULL);
    pthread_join(t[1], NULL);

    /* PI words. */
    uint32_t pi = 0;
    show("TRYLOCK_PI free", futex(&pi, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
    printf("owner is me %d\n", (pi & FUTEX_TID_MASK) == (uint32_t) syscall(SYS_gettid));
    show("LOCK_PI by owner", futex(&pi, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    show("UNLOCK_PI", futex(&pi, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    printf("word after unlock %u\n", pi);
    show("UNLOCK_PI not owner", futex(&pi, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    pi = 0x3ffffff0;
    show("LOCK_PI owner does not exist", futex(&pi, FUTEX_LOCK_PI, 0, NULL, NULL, 0));

    /* futex_waitv (Linux 5.16). */
    struct waitv_entry wv[2];
    memset(wv, 0, sizeof wv);
    word = 1;
    word2 = 2;
    wv[0].val = 1; wv[0].uaddr = (uintptr_t) &word; wv[0].flags = W_SIZE_U32 | W_PRIVATE;
    wv[1].val = 3; wv[1].uaddr = (uintptr_t) &word2; wv[1].flags = W_SIZE_U32 | W_PRIVATE;
    show("waitv value mismatch", syscall(SYS_futex_waitv, wv, 2, 0, NULL, CLOCK_MONOTONIC));
    wv[1].val = 2;
    clock_gettime(CLOCK_MONOTONIC, &now);
    show("waitv timeout", syscall(SYS_futex_waitv, wv, 2, 0, &now, CLOCK_MONOTONIC));
    show("waitv flags", syscall(SYS_futex_waitv, wv, 2, 1, NULL, CLOCK_MONOTONIC));
    show("waitv bad clock", syscall(SYS_futex_waitv, wv, 2, 0, &now, CLOCK_BOOTTIME));

    /* clone flag combinations. */
    show("clone THREAD without SIGHAND", syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0));
    show("clone SIGHAND without VM", syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0));
    show("clone NEWNS with FS", syscall(SYS_clone, CLONE_NEWNS | CLONE_FS, 0, 0, 0, 0));
    uint64_t args[11];
    memset(args, 0, sizeof args);
    args[0] = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
    args[4] = SIGCHLD;
    show("clone3 THREAD with exit_signal", syscall(SYS_clone3, args, 88));
    args[0] = SIGCHLD;
    args[4] = 0;
    show("clone3 CSIGNAL in flags", syscall(SYS_clone3, args, 88));
    show("clone3 short struct", syscall(SYS_clone3, args, 32));
    args[0] = 0;
    args[5] = 0;
    args[6] = 4096;
    show("clone3 stack_size without stack", syscall(SYS_clone3, args, 64));
    return 0;
}
