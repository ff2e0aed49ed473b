/* capget(2): the version handshake libcap makes (an unknown version is answered with version 3
 * and EINVAL, or 0 when no data pointer is given), the three header versions, pids, and root's
 * sets: effective equal to permitted and holding CAP_SETUID, CAP_SETGID and CAP_KILL, an empty
 * inheritable set. Only what is the same in any root process is printed (a container may drop
 * other capabilities). Raw syscalls, so glibc and musl make the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../errname.h"

struct hdr { uint32_t version; int pid; };
struct data { uint32_t effective, permitted, inheritable; };

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-48s -> %s\n", #call, errname(errno)); else printf("%-48s -> %ld\n", #call, r_); } while (0)

int main(void) {
    struct hdr h = {0, 0};
    struct data d[2] = {{0}};
    T(syscall(SYS_capget, &h, NULL));
    printf("version %#x\n", h.version);
    h.version = 0x12345678;
    T(syscall(SYS_capget, &h, d));
    printf("version %#x\n", h.version);
    uint32_t versions[] = {0x19980330, 0x20071026, 0x20080522};
    for (int i = 0; i < 3; i++) {
        struct data e[2] = {{0xaaaa, 0xaaaa, 0xaaaa}, {0xbbbb, 0xbbbb, 0xbbbb}};
        h.version = versions[i];
        h.pid = 0;
        T(syscall(SYS_capget, &h, e));
        printf("v%d: eff==prm %d %d setuid %d setgid %d kill %d inh %u %u second word untouched %d\n", i + 1,
               e[0].effective == e[0].permitted, i == 0 || e[1].effective == e[1].permitted,
               (e[0].effective >> 7) & 1, (e[0].effective >> 6) & 1, (e[0].effective >> 5) & 1,
               e[0].inheritable, i == 0 ? 0 : e[1].inheritable, i == 0 ? e[1].effective == 0xbbbb : -1);
    }
    h.pid = getpid();
    T(syscall(SYS_capget, &h, d));
    h.pid = -1;
    T(syscall(SYS_capget, &h, d));
    h.pid = 4000000;
    T(syscall(SYS_capget, &h, d));
    T(syscall(SYS_capget, (void *)8, d));
    return 0;
}
