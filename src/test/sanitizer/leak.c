/* LeakSanitizer at exit: one block lost, one still reachable from a global, one reachable
 * only from another thread's stack while the world is stopped (ptrace). Exit status 1. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *kept;
static int ready[2], done[2];

static void *holder(void *arg) {
    (void) arg;
    volatile char *mine = malloc(64); /* only this thread's stack points at it */
    mine[0] = 1;
    char c = 0;
    write(ready[1], &c, 1);
    read(done[0], &c, 1); /* blocked here while LeakSanitizer looks */
    return (void *) (long) mine[0];
}

static __attribute__((noinline)) void lose(void) {
    char *volatile p = malloc(40);
    strcpy(p, "lost");
    p = NULL;
}

/* nothing of lose()'s frame survives on the stack */
static __attribute__((noinline)) void scrub(void) {
    volatile char junk[512];
    memset((char *) junk, 0, sizeof junk);
}

int main(void) {
    pipe(ready);
    pipe(done);
    pthread_t t;
    pthread_create(&t, NULL, holder, NULL);
    char c;
    read(ready[0], &c, 1);
    kept = malloc(7);
    lose();
    scrub();
    printf("leaking\n");
    fflush(stdout);
    exit(0); /* the holder is still blocked: its block is reachable */
}
