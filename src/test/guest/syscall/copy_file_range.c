/* copy_file_range: with and without offset pointers (the pointers advance and the positions
 * stay, or the positions advance), copies clipped at EOF and 0 there, within one file (EINVAL
 * for overlapping ranges), large copies, a MAP_SHARED mapping of the destination, and the errors
 * Linux gives. Raw syscalls: old musl has no wrapper. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../errname.h"
#include "files.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-62s -> %s\n", #call, errname(errno)); else printf("%-62s -> %ld\n", #call, r_); } while (0)

#define CFR(a, ao, b, bo, n, f) syscall(SYS_copy_file_range, a, ao, b, bo, (size_t)(n), (unsigned)(f))

static void copies(void) {
    printf("copies\n");
    put("src", "0123456789abcdefghij");
    int in = open("src", O_RDONLY);
    int out = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    T(CFR(in, NULL, out, NULL, 5, 0));
    printf("  positions %ld %ld\n", pos(in), pos(out));
    loff_t oi = 10, oo = 30;
    T(CFR(in, &oi, out, &oo, 4, 0));
    printf("  offsets %ld %ld positions %ld %ld\n", (long)oi, (long)oo, pos(in), pos(out));
    T(CFR(in, &oi, out, NULL, 100, 0));
    printf("  offset %ld positions %ld %ld\n", (long)oi, pos(in), pos(out));
    T(CFR(in, &oi, out, NULL, 100, 0));
    oi = 500;
    T(CFR(in, &oi, out, &oo, 100, 0));
    printf("  offsets %ld %ld\n", (long)oi, (long)oo);
    T(CFR(in, NULL, out, &oo, 3, 0));
    printf("  offset %ld positions %ld %ld\n", (long)oo, pos(in), pos(out));
    T(CFR(in, NULL, out, NULL, 0, 0));
    dump("dst");

    printf("one file\n");
    int rw = open("src", O_RDWR);
    oi = 0; oo = 10;
    T(CFR(rw, &oi, rw, &oo, 5, 0));
    dump("src");
    oi = 0; oo = 4;
    T(CFR(rw, &oi, rw, &oo, 5, 0));
    oi = 4; oo = 0;
    T(CFR(rw, &oi, rw, &oo, 5, 0));
    oi = 0; oo = 0;
    T(CFR(rw, &oi, rw, &oo, 5, 0));
    oi = 15; oo = 0;
    T(CFR(rw, &oi, rw, &oo, 100, 0));
    printf("  offsets %ld %ld\n", (long)oi, (long)oo);
    oi = 0; oo = 18;
    T(CFR(rw, &oi, rw, &oo, 100, 0));
    oi = 0; oo = 25;
    T(CFR(rw, &oi, rw, &oo, 100, 0));
    printf("  offsets %ld %ld\n", (long)oi, (long)oo);
    dump("src");
    close(rw);
    close(in);
    close(out);
}

static void errors(void) {
    printf("errors\n");
    put("src", "0123456789");
    int in = open("src", O_RDONLY);
    int out = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ap = open("dst", O_WRONLY | O_APPEND);
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    int p[2];
    pipe(p);
    loff_t oi = 0, oo = 0;
    T(CFR(99, NULL, out, NULL, 5, 0));
    T(CFR(in, NULL, 99, NULL, 5, 0));
    T(CFR(in, NULL, out, NULL, 5, 1));
    T(CFR(in, NULL, out, NULL, 0, 1));
    T(CFR(in, NULL, in, NULL, 5, 0));
    T(CFR(out, NULL, out, NULL, 5, 0));
    T(CFR(in, NULL, ap, NULL, 5, 0));
    T(CFR(dir, NULL, out, NULL, 5, 0));
    T(CFR(in, NULL, dir, NULL, 5, 0));
    T(CFR(p[0], NULL, out, NULL, 5, 0));
    T(CFR(in, NULL, p[1], NULL, 5, 0));
    T(CFR(in, (loff_t *)8, out, NULL, 5, 0));
    T(CFR(in, NULL, out, (loff_t *)8, 5, 0));
    oi = -1;
    T(CFR(in, &oi, out, NULL, 5, 0));
    oi = 0; oo = -1;
    T(CFR(in, &oi, out, &oo, 5, 0));
    oi = -5;
    T(CFR(in, &oi, out, NULL, 0, 0));
    oi = 0x7ffffffffffffff0L;
    T(CFR(in, &oi, out, NULL, 100, 0));
    oi = 0; oo = 0x7ffffffffffffff0L;
    T(CFR(in, &oi, out, &oo, 100, 0));
    printf("  offsets %ld %ld\n", (long)oi, (long)oo);
    int dn = open("/dev/null", O_WRONLY);
    T(CFR(in, NULL, dn, NULL, 5, 0));
    close(dn);
    dump("dst");
    close(in); close(out); close(ap); close(dir); close(p[0]); close(p[1]);
}

static void large(void) {
    printf("large\n");
    enum { N = 700000 };
    char *data = malloc(N), *back = malloc(N);
    for (int i = 0; i < N; i++) data[i] = (char)(i * 11 + i / 999);
    int in = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(in, data, N);
    lseek(in, 1000, SEEK_SET);
    int out = open("big2", O_RDWR | O_CREAT | O_TRUNC, 0644);
    T(CFR(in, NULL, out, NULL, 10000000, 0));
    printf("  positions %ld %ld\n", pos(in), pos(out));
    long n = pread(out, back, N, 0);
    printf("  %ld bytes, same %d\n", n, memcmp(back, data + 1000, N - 1000) == 0);
    close(in);
    close(out);
    unlink("big2");
    free(data);
    free(back);
}

static void mapped(void) {
    printf("mapped\n");
    put("src", "0123456789abcdefghij");
    put("m", "");
    int in = open("src", O_RDWR);
    int out = open("m", O_RDWR);
    ftruncate(out, 4096);
    char *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, out, 0);
    char *s = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, in, 0);
    loff_t oi = 0, oo = 300;
    T(CFR(in, &oi, out, &oo, 6, 0));
    printf("  mapping sees [%.6s]\n", m + 300);
    memcpy(s + 6, "STORE", 5);
    T(CFR(in, &oi, out, &oo, 8, 0));
    printf("  mapping sees [%.14s]\n", m + 300);
    munmap(m, 4096);
    munmap(s, 4096);
    close(in);
    close(out);
}

int main(void) {
    char dir[] = "/tmp/copy_file_range.XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) return 1;
    setvbuf(stdout, 0, _IONBF, 0);
    copies();
    errors();
    large();
    mapped();
    unlink("src"); unlink("dst"); unlink("big"); unlink("m");
    chdir("/");
    rmdir(dir);
    return 0;
}
