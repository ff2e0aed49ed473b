/* Huge reservations, as AddressSanitizer's shadow or a JIT's cage make them: a terabyte of
 * PROT_NONE and 8 TiB of MAP_NORESERVE read-write memory, touched in a few places, protected in
 * part, forked, moved and unmapped. Linux gives page-table entries only to touched pages. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int code;

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void) sig; (void) uc;
    code = si->si_code;
    siglongjmp(env, 1);
}

static const char *probe(volatile char *p, int write) {
    code = 0;
    if (sigsetjmp(env, 1) == 0) {
        if (write) {
            *p = 1;
        } else {
            (void) *p;
        }
        return "ok";
    }
    return code == SEGV_ACCERR ? "SEGV_ACCERR" : code == SEGV_MAPERR ? "SEGV_MAPERR" : "other";
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    const size_t TiB = 1UL << 40;

    char *none = mmap(NULL, TiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    printf("1 TiB PROT_NONE: %s\n", none == MAP_FAILED ? "failed" : "mapped");
    if (none == MAP_FAILED) return 1;
    printf("read in it: %s, write: %s\n", probe(none + TiB / 2, 0), probe(none + 12345, 1));
    char *piece = none + TiB / 2;
    printf("mprotect 1 MiB RW: %d\n", mprotect(piece, 1 << 20, PROT_READ | PROT_WRITE));
    memset(piece, 'x', 1 << 20);
    printf("piece: %c%c, next page: %s\n", piece[0], piece[(1 << 20) - 1], probe(piece + (1 << 20), 0));
    unsigned char vec[4];
    printf("mincore: %d", mincore(piece - 8192, 4 * 4096, vec));
    for (int k = 0; k < 4; k++) printf(" %d", vec[k] & 1);
    int r = mprotect(none, TiB, PROT_NONE);
    printf("\nmprotect all back to NONE: %d, piece: %s\n", r, probe(piece, 0));
    r = mprotect(piece, 8192, PROT_READ | PROT_WRITE);
    printf("mprotect 2 pages RW again: %d, contents kept: %c\n", r, piece[4096]);

    char *rw = mmap(NULL, 8 * TiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    printf("8 TiB read-write NORESERVE: %s\n", rw == MAP_FAILED ? "failed" : "mapped");
    if (rw == MAP_FAILED) return 1;
    size_t spots[] = {0, 4096, TiB, 4 * TiB + 777, 8 * TiB - 1};
    for (int k = 0; k < 5; k++) rw[spots[k]] = (char) ('a' + k);
    printf("untouched reads zero: %d %d\n", rw[2 * TiB], rw[8 * TiB - 4097]);

    pid_t pid = fork();
    if (pid == 0) {
        int ok = 1;
        for (int k = 0; k < 5; k++) ok &= rw[spots[k]] == 'a' + k;
        rw[spots[2]] = 'Z';
        rw[3 * TiB] = 'Q';
        _exit(ok && piece[100] == 'x' ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child saw the parent's pages: %s; parent after child wrote: %c %d\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no", rw[spots[2]], rw[3 * TiB]);

    char *moved = mremap(rw + 4 * TiB, 1UL << 30, 1UL << 31, MREMAP_MAYMOVE);
    if (moved == MAP_FAILED) return 1;
    printf("mremap 1 GiB -> 2 GiB: %s, moved byte %c, untouched %d, grown part %d\n",
           moved == MAP_FAILED ? "failed" : "ok", moved[777], moved[4096 * 3], moved[(1UL << 31) - 1]);
    printf("old place: %s\n", probe(rw + 4 * TiB + 777, 0));
    int u1 = munmap(moved, 1UL << 31), u2 = munmap(rw, 8 * TiB), u3 = munmap(none, TiB);
    printf("munmap: %d %d %d\n", u1, u2, u3);
    printf("after munmap: %s\n", probe(rw + TiB, 0));
    return 0;
}
