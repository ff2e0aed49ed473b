/* One thread loops reading a page while another takes the page away (mprotect PROT_NONE): the
 * loop must fault at a read soon after, as Linux's TLB shootdown makes it. Under linux4j the loop
 * is compiled code that keeps translations cached across iterations; it must notice that the
 * address space changed under it. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static volatile long *page;
static atomic_int ready;
static sigjmp_buf env;
static void *volatile fault_addr;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
    (void) sig;
    (void) ctx;
    fault_addr = si->si_addr;
    siglongjmp(env, 1);
}

static void *reader(void *arg) {
    (void) arg;
    long sum = 0;
    if (sigsetjmp(env, 1)) {
        return (void *) 1;
    }
    for (long i = 0;; i++) {
        sum += page[i & 511];
        if (i == 20000000) {
            atomic_store(&ready, 1);
        }
        if (sum < 0) {
            break; /* never: the page holds small positive numbers */
        }
    }
    return (void *) 0;
}

int main(void) {
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (int k = 0; k < 512; k++) {
        page[k] = k;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    while (!atomic_load(&ready)) {
        sched_yield();
    }
    printf("reader looping\n");
    if (mprotect((void *) page, 4096, PROT_NONE) != 0) {
        perror("mprotect");
        return 1;
    }
    void *result;
    pthread_join(t, &result);
    long offset = (char *) fault_addr - (char *) page;
    printf("reader faulted: %s\n", result == (void *) 1 ? "yes" : "no");
    printf("fault address in the page: %s\n", offset >= 0 && offset < 4096 ? "yes" : "no");
    return 0;
}
