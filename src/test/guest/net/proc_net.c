/* /proc/net/tcp, tcp6, udp, udp6 and unix (and /proc/self/net, which /proc/net links to): the
 * exact header lines, and the lines of this program's own sockets, found by their inode (fstat's
 * st_ino, the number in /proc/self/fd's "socket:[INODE]"): a TCP listener and a connection pair
 * on 127.0.0.1, a bound UDP socket, an AF_UNIX stream listener at a path and an abstract datagram
 * socket. Ports, inodes, uid, slot numbers and kernel pointers vary and are masked; the rest of
 * each line is printed, with its length (the IPv4 files pad every line to a fixed width). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define T(x) do { if ((x) < 0) { printf("%s: %s\n", #x, strerror(errno)); exit(1); } } while (0)

enum { NSOCK = 6 };
static unsigned long inodes[NSOCK];
static const char *names[NSOCK] = {"tcp listener", "tcp client", "tcp accepted", "udp", "unix listener",
                                   "unix abstract"};
static char dir[64];
static char abstract_name[64];

static unsigned long ino_of(int fd) {
    struct stat st;
    T(fstat(fd, &st));
    char link[64], want[64];
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n < 0 ? 0 : n] = 0;
    snprintf(want, sizeof want, "socket:[%lu]", (unsigned long)st.st_ino);
    if (strcmp(link, want) != 0) {
        printf("fd link %s is not %s\n", link, want);
    }
    return st.st_ino;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap);
    size_t n;
    while ((n = fread(b + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            b = realloc(b, cap *= 2);
        }
    }
    b[len] = 0;
    fclose(f);
    return b;
}

/* Prints a line's fields with the variable ones masked: field index -> mask. */
static void show(const char *file, int idx, char *line, int inode_col) {
    size_t len = strlen(line);
    int is_unix = inode_col == 6;
    if (is_unix) {
        printf("%s %s:", file, names[idx]); /* the length varies with the inode and the path */
    } else {
        printf("%s %s: len %zu:", file, names[idx], len);
    }
    char *save, *tok;
    int col = 0;
    int connected = 0;
    for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save), col++) {
        if (is_unix) {
            if (col == 0) {
                tok = "PTR:";
            } else if (col == 7) {
                if (strncmp(tok, dir, strlen(dir)) == 0) {
                    printf(" DIR%s", tok + strlen(dir));
                    continue;
                }
                if (strcmp(tok, abstract_name) == 0) {
                    tok = "@ABSTRACT";
                }
            }
        } else {
            if (col == 0) {
                tok = "SL:";
            } else if (col == 1 || col == 2) {
                char *colon = strchr(tok, ':');
                if (colon && strcmp(colon, ":0000") != 0) {
                    strcpy(colon, ":PORT");
                }
            } else if (col == 7) {
                tok = (unsigned long)atol(tok) == (unsigned long)getuid() ? "UID" : "other-uid";
            } else if (col == 3) {
                connected = strcmp(tok, "01") == 0;
            } else if (col == 11) {
                tok = "PTR";
            }
            /* a connection's refcount, rto, ato, pingpong, cwnd and ssthresh change with timing */
            if (connected && (col == 10 || col >= 12)) {
                tok = "X";
            }
        }
        if (col == inode_col) {
            tok = "INODE";
        }
        printf(" %s", tok);
    }
    printf("\n");
}

static void dump(const char *file, int inode_col) {
    char path[64];
    snprintf(path, sizeof path, "/proc/net/%s", file);
    char *text = slurp(path);
    snprintf(path, sizeof path, "/proc/self/net/%s", file);
    char *self = slurp(path);
    if (!text || !self) {
        return;
    }
    char *nl = strchr(text, '\n');
    *nl = 0;
    printf("%s header (%zu): [%s]\n", file, strlen(text), text);
    char *lines[NSOCK] = {0};
    int same[NSOCK] = {0};
    char *save;
    for (char *line = strtok_r(nl + 1, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char copy[512];
        snprintf(copy, sizeof copy, "%s", line);
        char *s2, *tok = strtok_r(copy, " ", &s2);
        for (int c = 0; tok && c < inode_col; c++) {
            tok = strtok_r(NULL, " ", &s2);
        }
        if (!tok) {
            continue;
        }
        unsigned long ino = strtoul(tok, NULL, 10);
        for (int i = 0; i < NSOCK; i++) {
            if (inodes[i] == ino) {
                lines[i] = line;
                same[i] = strstr(self, line) != NULL; /* the same line in /proc/self/net */
            }
        }
    }
    for (int i = 0; i < NSOCK; i++) {
        if (lines[i]) {
            printf("%s %s: in /proc/self/net: %d\n", file, names[i], same[i]);
            show(file, i, lines[i], inode_col);
        }
    }
    free(text);
    free(self);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char link[64];
    ssize_t n = readlink("/proc/net", link, sizeof link - 1);
    link[n < 0 ? 0 : n] = 0;
    printf("/proc/net -> %s\n", link);

    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    T(bind(l, (struct sockaddr *)&a, sizeof a));
    T(listen(l, 5));
    socklen_t alen = sizeof a;
    T(getsockname(l, (struct sockaddr *)&a, &alen));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    T(connect(c, (struct sockaddr *)&a, sizeof a));
    int acc = accept(l, NULL, NULL);
    T(acc);
    int unbound = socket(AF_INET, SOCK_STREAM, 0); /* not hashed: listed nowhere */

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    T(bind(u, (struct sockaddr *)&ua, sizeof ua));

    strcpy(dir, "/tmp/proc_net.XXXXXX");
    if (!mkdtemp(dir)) {
        printf("mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    int ul = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    snprintf(un.sun_path, sizeof un.sun_path, "%s/sock", dir);
    T(bind(ul, (struct sockaddr *)&un, sizeof un));
    T(listen(ul, 5));

    int ua2 = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un ab = {.sun_family = AF_UNIX};
    snprintf(abstract_name, sizeof abstract_name, "@linux4j-proc-net-%d", (int)getpid());
    memcpy(ab.sun_path, abstract_name, strlen(abstract_name));
    ab.sun_path[0] = 0;
    T(bind(ua2, (struct sockaddr *)&ab, offsetof(struct sockaddr_un, sun_path) + strlen(abstract_name)));

    inodes[0] = ino_of(l);
    inodes[1] = ino_of(c);
    inodes[2] = ino_of(acc);
    inodes[3] = ino_of(u);
    inodes[4] = ino_of(ul);
    inodes[5] = ino_of(ua2);
    unsigned long unbound_ino = ino_of(unbound);

    dump("tcp", 9);
    dump("tcp6", 9);
    dump("udp", 9);
    dump("udp6", 9);
    dump("unix", 6);

    char *t = slurp("/proc/net/tcp");
    char needle[32];
    snprintf(needle, sizeof needle, " %lu ", unbound_ino);
    printf("unbound tcp socket listed: %d\n", t && strstr(t, needle) != NULL);
    free(t);

    /* closed sockets leave the tables */
    unsigned long closed_ino = inodes[0];
    close(l);
    t = slurp("/proc/net/tcp");
    snprintf(needle, sizeof needle, " %lu ", closed_ino);
    printf("closed listener listed: %d\n", t && strstr(t, needle) != NULL);
    free(t);
    unsigned long closed_unix = inodes[5];
    close(ua2);
    t = slurp("/proc/net/unix");
    snprintf(needle, sizeof needle, " %lu", closed_unix);
    char *hit = t ? strstr(t, needle) : NULL;
    printf("closed unix socket listed: %d\n", hit != NULL && (hit[strlen(needle)] == ' ' || hit[strlen(needle)] == '\n'));
    free(t);

    unlink(un.sun_path);
    rmdir(dir);
    return 0;
}
