/* qsort/malloc-heavy string work: thousands of strings, strtok, strcmp, a hash table. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

static uint32_t rng = 2463534242u;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static int cmp_len_then_rev(const void *a, const void *b) {
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    if (lx != ly) return lx < ly ? -1 : 1;
    return -strcmp(x, y);
}
static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }

typedef struct Entry { char *key; int count; struct Entry *next; } Entry;
#define BUCKETS 1031
static Entry *table[BUCKETS];
static unsigned hash(const char *s) { unsigned h = 5381; while (*s) h = h * 33 + (unsigned char)*s++; return h % BUCKETS; }
static void add(const char *w) {
    unsigned h = hash(w);
    for (Entry *e = table[h]; e; e = e->next) if (!strcmp(e->key, w)) { e->count++; return; }
    Entry *e = malloc(sizeof *e);
    e->key = strdup(w); e->count = 1; e->next = table[h]; table[h] = e;
}

int main(void) {
    enum { N = 20000 };
    char **v = malloc(N * sizeof *v);
    for (int i = 0; i < N; i++) {
        int len = 1 + next() % 24;
        v[i] = malloc(len + 1);
        for (int k = 0; k < len; k++) v[i][k] = 'a' + next() % 26;
        v[i][len] = 0;
    }
    qsort(v, N, sizeof *v, cmp_str);
    printf("first %s last %s mid %s\n", v[0], v[N - 1], v[N / 2]);
    int dups = 0; unsigned long long h = 0;
    for (int i = 0; i < N; i++) { if (i && !strcmp(v[i], v[i - 1])) dups++; for (char *p = v[i]; *p; p++) h = h * 131 + *p; }
    printf("dups %d hash %016llx\n", dups, h);
    qsort(v, N, sizeof *v, cmp_len_then_rev);
    for (int i = 0; i < 5; i++) printf("by len %d: %s\n", i, v[i]);
    printf("longest %s\n", v[N - 1]);

    /* realloc growth and concatenation */
    size_t cap = 16, len = 0; char *big = malloc(cap);
    for (int i = 0; i < N; i += 3) {
        size_t l = strlen(v[i]);
        while (len + l + 2 > cap) { cap *= 2; big = realloc(big, cap); }
        memcpy(big + len, v[i], l); len += l; big[len++] = (i % 7 == 0) ? ',' : ' ';
    }
    big[len] = 0;
    printf("big length %zu\n", len);
    for (int i = 0; i < N; i++) free(v[i]);
    free(v);

    /* strtok + word counts in a hash table */
    int words = 0;
    for (char *tok = strtok(big, " ,"); tok; tok = strtok(NULL, " ,")) { char w[4] = {tok[0], tok[1] ? tok[1] : 'x', 0}; add(w); words++; }
    int distinct = 0, maxc = 0; char maxw[8] = "";
    for (int b = 0; b < BUCKETS; b++)
        for (Entry *e = table[b]; e; e = e->next) { distinct++; if (e->count > maxc || (e->count == maxc && strcmp(e->key, maxw) < 0)) { maxc = e->count; strcpy(maxw, e->key); } }
    printf("words %d distinct %d most common %s x%d\n", words, distinct, maxw, maxc);
    free(big);

    /* string functions */
    char buf[256];
    snprintf(buf, sizeof buf, "%s|%10s|%-10s|%.3s|%c|%5d|%-5d|%05d|%x|%X|%o|%+d|% d|%lld|%llu",
             "hello", "right", "left", "truncate", 'Z', 42, 42, 42, 0xbeef, 0xbeef, 8, 5, 5, -9223372036854775807LL - 1, 18446744073709551615ULL);
    printf("%s\n", buf);
    printf("strstr %s strchr %s strrchr %s strspn %zu strcspn %zu\n", strstr(buf, "left"), strchr(buf, 'Z'), strrchr(buf, '|'),
           strspn("aaabbbccc", "ab"), strcspn("hello world", "ow"));
    char up[64]; strcpy(up, "Mixed Case 123 !?"); for (char *p = up; *p; p++) *p = toupper((unsigned char)*p);
    printf("upper %s memcmp %d strncmp %d\n", up, memcmp("abc", "abd", 3) < 0, strncmp("abcdef", "abcxyz", 3));
    char mv[32] = "0123456789abcdef"; memmove(mv + 3, mv, 10); printf("memmove %s\n", mv);
    memset(mv, '#', 5); printf("memset %s\n", mv);
    printf("strtol %ld %ld %ld atoi %d strtoul %lu\n", strtol("  -12345xyz", NULL, 10), strtol("0x7fff", NULL, 16),
           strtol("0777", NULL, 0), atoi("99 bottles"), strtoul("18446744073709551615", NULL, 10));

    /* integer qsort */
    int *ints = malloc(100000 * sizeof *ints);
    for (int i = 0; i < 100000; i++) ints[i] = (int)next();
    qsort(ints, 100000, sizeof *ints, cmp_int);
    long long acc = 0; for (int i = 0; i < 100000; i += 997) acc = acc * 3 + ints[i];
    printf("ints min %d max %d acc %lld\n", ints[0], ints[99999], acc);
    free(ints);

    /* many small allocations freed in odd orders */
    void *ptrs[4096]; unsigned long long total = 0;
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 4096; i++) { size_t sz = 1 + next() % 700; ptrs[i] = calloc(1, sz); total += sz; ((char *)ptrs[i])[sz - 1] = 1; }
        for (int i = 0; i < 4096; i += 2) free(ptrs[i]);
        for (int i = 1; i < 4096; i += 2) free(ptrs[i]);
    }
    printf("allocated %llu bytes\n", total);
    return 0;
}
