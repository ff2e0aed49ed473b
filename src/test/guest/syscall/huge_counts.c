/* Byte counts past 2^63 (a size_t of -1, -2, -4096) and past 2^31 given to the calls that clamp
 * or check them: sendto (EFAULT: INT_MAX bytes from a small buffer), recvfrom (a small message
 * into a small buffer is fine), sendfile and splice from a file (EINVAL: rw_verify_area's
 * negative ssize_t), tee and splice between pipes and copy_file_range (clamped). sendto,
 * recvfrom and sendfile crashed linux4j with a NegativeArraySizeException (found by calling
 * system calls with random arguments and descriptors). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../errname.h"
#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int sv[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int dg[2]; socketpair(AF_UNIX, SOCK_DGRAM, 0, dg);
    /* in .bss or .data, far below the top of user space: access_ok's range check passes for
     * 2 GiB from it (a stack buffer within 2 GiB of the top would make recvfrom EFAULT, and
     * where the stack is varies from run to run) */
    static char buf[16] = "hello";
    int f = open("/proc/self/exe", O_RDONLY);
    int p[2]; pipe(p);
    int q[2]; pipe(q);
    int out = open("/dev/null", O_WRONLY);
    T(sendto(sv[0], buf, -1L, 0, NULL, 0));
    T(sendto(sv[0], buf, -2L, MSG_DONTWAIT, NULL, 0));
    T(sendto(sv[0], buf, 1L << 40, MSG_DONTWAIT, NULL, 0));
    T(send(dg[0], buf, 5, 0));
    T(recvfrom(dg[1], buf, -1L, 0, NULL, NULL));
    T(send(dg[0], buf, 5, 0));
    T(recvfrom(dg[1], buf, 1L << 40, 0, NULL, NULL));
    T(send(dg[0], buf, 5, 0));
    T(recvfrom(dg[1], buf, -3L, MSG_TRUNC, NULL, NULL));
    T(sendfile(out, f, NULL, -1L));
    T(sendfile(out, f, NULL, -4096L));
    T(sendfile(p[1], f, NULL, -1L));
    T(write(p[1], "abc", 3));
    T(syscall(SYS_tee, p[0], q[1], -1L, 0));
    T(syscall(SYS_splice, p[0], NULL, q[1], NULL, -1L, 0));
    T(syscall(SYS_splice, f, NULL, q[1], NULL, -1L, 0));
    T(syscall(SYS_copy_file_range, f, NULL, out, NULL, -1L, 0));
    int g = open("/tmp/l4j-cfr", O_RDWR | O_CREAT | O_TRUNC, 0644);
    T(syscall(SYS_copy_file_range, f, NULL, g, NULL, -1L, 0));
    T(syscall(SYS_copy_file_range, f, NULL, g, NULL, 1L << 62, 0));
    unlink("/tmp/l4j-cfr");
    return 0;
}
