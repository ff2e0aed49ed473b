/* The kernel's random bytes as a program sees them: /proc/sys/kernel/random/boot_id is a version 4
 * UUID that stays the same between reads, .../uuid a new one on every read, getrandom(2) fills
 * what it is asked for and rejects unknown flags, AT_RANDOM points at 16 bytes, and /dev/urandom
 * reads as random bytes. Prints properties only, never the bytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <unistd.h>

static int read_file(const char *path, char *buf, int size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -errno;
    int t = 0, n;
    while (t < size && (n = read(fd, buf + t, size - t)) > 0) t += n;
    close(fd);
    return t;
}

static int uuid_v4(const char *s, int n) {
    if (n != 37 || s[36] != '\n') return 0;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (s[i] == '-')) return 0;
        if (!dash && !strchr("0123456789abcdef", s[i])) return 0;
    }
    return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}

int main(void) {
    char a[64], b[64];
    int na = read_file("/proc/sys/kernel/random/boot_id", a, sizeof a);
    int nb = read_file("/proc/sys/kernel/random/boot_id", b, sizeof b);
    printf("boot_id is a v4 uuid: %s\n", uuid_v4(a, na) ? "yes" : "no");
    printf("boot_id stable: %s\n", na == nb && memcmp(a, b, na) == 0 ? "yes" : "no");
    na = read_file("/proc/sys/kernel/random/uuid", a, sizeof a);
    nb = read_file("/proc/sys/kernel/random/uuid", b, sizeof b);
    printf("uuid is a v4 uuid: %s\n", uuid_v4(a, na) && uuid_v4(b, nb) ? "yes" : "no");
    printf("uuid new on each read: %s\n", na == nb && memcmp(a, b, na) != 0 ? "yes" : "no");

    unsigned char r1[64], r2[64];
    memset(r1, 0, sizeof r1);
    memset(r2, 0, sizeof r2);
    printf("getrandom 64: %zd\n", getrandom(r1, sizeof r1, 0));
    printf("getrandom 64 nonblock: %zd\n", getrandom(r2, sizeof r2, GRND_NONBLOCK));
    printf("two draws differ: %s\n", memcmp(r1, r2, sizeof r1) ? "yes" : "no");
    errno = 0;
    ssize_t bad = getrandom(r1, 8, 0x100);
    printf("getrandom bad flags: %zd %s\n", bad, errno == EINVAL ? "EINVAL" : strerror(errno));

    const unsigned char *at = (const unsigned char *)getauxval(AT_RANDOM);
    int nonzero = 0;
    for (int i = 0; at && i < 16; i++) nonzero |= at[i];
    printf("AT_RANDOM: %s\n", at && nonzero ? "16 bytes" : "missing");

    static unsigned char big[200000];
    int n = read_file("/dev/urandom", (char *)big, sizeof big);
    int seen[256] = {0}, distinct = 0;
    for (int i = 0; i < n; i++) distinct += !seen[big[i]]++;
    printf("/dev/urandom read %d, all 256 byte values: %s\n", n, distinct == 256 ? "yes" : "no");
    return 0;
}
