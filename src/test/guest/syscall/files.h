/* Helpers shared by the file-transfer tests (sendfile, splice, copy_file_range, the vectored
 * reads and writes): a descriptor's position, a small file's contents printed with NULs shown
 * as '0', and a file written whole. */
#ifndef LINUX4J_TEST_FILES_H
#define LINUX4J_TEST_FILES_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static inline long pos(int fd) { return (long)lseek(fd, 0, SEEK_CUR); }

static inline void dump(const char *path) {
    char buf[128];
    int fd = open(path, O_RDONLY);
    long n = read(fd, buf, sizeof buf);
    close(fd);
    printf("  %s (%ld): [", path, n);
    for (long i = 0; i < n; i++) putchar(buf[i] ? buf[i] : '0');
    printf("]\n");
}

static inline void put(const char *path, const char *s) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, s, strlen(s));
    close(fd);
}

#endif
