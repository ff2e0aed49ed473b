/* File I/O in a fresh directory under /tmp: write/read/seek/append/truncate, stat, readdir,
 * unlink, rmdir, stdio buffering. Prints nothing that depends on the directory's name. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static char *path(const char *name) {
    static char buf[4][128]; static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}
static void show_stat(const char *name) {
    struct stat st;
    if (stat(path(name), &st) != 0) { printf("stat %s: %s\n", name, strerror(errno)); return; }
    printf("stat %s: size %lld type %s mode %o nlink %ld\n", name, (long long)st.st_size,
           S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : "other",
           (unsigned)(st.st_mode & 07777), (long)st.st_nlink);
}
/* Evaluates the call before reading errno (argument order is unspecified). */
#define SHOW(label, call) do { errno = 0; long r_ = (long)(call); int e_ = errno; \
        printf("%s: %ld %s\n", label, r_, r_ < 0 ? strerror(e_) : "ok"); } while (0)

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static void list(void) {
    DIR *d = opendir(dir);
    char *names[64]; int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("dir:");
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

int main(void) {
    umask(022);
    strcpy(dir, "/tmp/linux4j-fileio-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    show_stat(".");
    list();

    int fd = open(path("a.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    const char *text = "hello, world\nsecond line\nthird line\n";
    printf("write %zd\n", write(fd, text, strlen(text)));
    printf("lseek end %lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("lseek set %lld\n", (long long)lseek(fd, 7, SEEK_SET));
    printf("overwrite %zd\n", write(fd, "WORLD", 5));
    printf("pwrite %zd\n", pwrite(fd, "SECOND", 6, 13));
    close(fd);
    show_stat("a.txt");

    char buf[256];
    fd = open(path("a.txt"), O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1); buf[n < 0 ? 0 : n] = 0;
    printf("read %zd: %s", n, buf);
    printf("lseek cur %lld read at eof %zd\n", (long long)lseek(fd, 0, SEEK_CUR), read(fd, buf, 10));
    lseek(fd, -11, SEEK_END);
    n = read(fd, buf, 5); buf[n] = 0; printf("tail read %zd [%s]\n", n, buf);
    n = pread(fd, buf, 5, 0); buf[n] = 0; printf("pread %zd [%s]\n", n, buf);
    SHOW("write on O_RDONLY", write(fd, "x", 1));
    close(fd);

    fd = open(path("a.txt"), O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    printf("append %zd, now at %lld\n", write(fd, "appended\n", 9), (long long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    show_stat("a.txt");

    printf("truncate %d\n", truncate(path("a.txt"), 12));
    show_stat("a.txt");
    fd = open(path("a.txt"), O_RDWR);
    printf("ftruncate grow %d\n", ftruncate(fd, 100));
    n = read(fd, buf, sizeof buf);
    int zeros = 0; for (int i = 12; i < n; i++) zeros += buf[i] == 0;
    printf("read after grow %zd, zeros %d\n", n, zeros);
    struct stat st; fstat(fd, &st); printf("fstat size %lld\n", (long long)st.st_size);
    int fd2 = dup(fd);
    lseek(fd2, 50, SEEK_SET);
    printf("dup shares offset %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    close(fd2); close(fd);

    SHOW("O_EXCL on existing", open(path("a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0600));
    SHOW("open missing", open(path("missing"), O_RDONLY));
    printf("mkdir %d\n", mkdir(path("sub"), 0755));
    SHOW("mkdir again", mkdir(path("sub"), 0755));
    show_stat("sub");

    /* stdio: buffered writes, fgets, fprintf, fseek, ftell */
    FILE *f = fopen(path("sub/lines.txt"), "w");
    for (int i = 0; i < 1000; i++) fprintf(f, "line %04d %s\n", i, i % 3 ? "fizz" : "buzz");
    printf("ftell before close %ld\n", ftell(f));
    fclose(f);
    show_stat("sub/lines.txt");
    f = fopen(path("sub/lines.txt"), "r");
    int count = 0, buzz = 0; char line[64], last[64] = "";
    while (fgets(line, sizeof line, f)) { count++; if (strstr(line, "buzz")) buzz++; strcpy(last, line); }
    printf("fgets %d lines, %d buzz, last %s", count, buzz, last);
    fseek(f, 15 * 500, SEEK_SET);
    if (fgets(line, sizeof line, f)) printf("after fseek: %s", line);
    printf("ftell %ld feof %d\n", ftell(f), feof(f));
    rewind(f);
    int c, nl = 0; while ((c = fgetc(f)) != EOF) nl += c == '\n';
    printf("fgetc newlines %d\n", nl);
    fclose(f);
    f = fopen(path("sub/lines.txt"), "a+");
    fputs("appended via stdio\n", f);
    fseek(f, 0, SEEK_SET);
    if (fgets(line, sizeof line, f)) printf("a+ first line %s", line);
    fclose(f);
    show_stat("sub/lines.txt");

    /* more files, rename, link, symlink */
    for (int i = 0; i < 10; i++) {
        char name[32]; snprintf(name, sizeof name, "f%02d", i * 7 % 10);
        fd = open(path(name), O_CREAT | O_WRONLY, 0600);
        for (int k = 0; k <= i; k++) write(fd, "0123456789", 10);
        close(fd);
    }
    printf("rename %d\n", rename(path("f03"), path("renamed")));
    printf("link %d\n", link(path("f04"), path("hardlink")));
    printf("symlink %d\n", symlink("f05", path("symlink")));
    n = readlink(path("symlink"), buf, sizeof buf); buf[n < 0 ? 0 : n] = 0;
    printf("readlink %zd %s\n", n, buf);
    struct stat lst; lstat(path("symlink"), &lst);
    printf("lstat symlink: %s size %lld\n", S_ISLNK(lst.st_mode) ? "link" : "?", (long long)lst.st_size);
    show_stat("symlink");
    show_stat("hardlink");
    show_stat("renamed");
    SHOW("access W_OK", access(path("f01"), W_OK));
    SHOW("access R_OK", access(path("f01"), R_OK));
    SHOW("access missing", access(path("nope"), F_OK));
    SHOW("chmod", chmod(path("f01"), 0640));
    show_stat("f01");
    SHOW("rename onto dir", rename(path("f01"), path("sub")));
    SHOW("open dir for writing", open(path("sub"), O_WRONLY));
    SHOW("opendir on file", opendir(path("f02")) ? 0 : -1);
    list();
    SHOW("rmdir non-empty", rmdir(path("sub")));
    SHOW("unlink dir", unlink(path("sub")));

    /* clean up */
    printf("unlink %d\n", unlink(path("sub/lines.txt")));
    printf("rmdir %d\n", rmdir(path("sub")));
    DIR *d = opendir(dir); struct dirent *e; int removed = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) removed += unlink(path(e->d_name)) == 0;
    }
    closedir(d);
    printf("removed %d\n", removed);
    list();
    printf("rmdir top %d\n", rmdir(dir));
    SHOW("stat removed dir", stat(dir, &st));
    return 0;
}
