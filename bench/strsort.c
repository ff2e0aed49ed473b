/* malloc/qsort/strcmp string workload: build random strings, sort, dedupe into a hash table, free.
 * Usage: strsort [COUNT] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 2463534242u;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

typedef struct Node { char *s; struct Node *next; } Node;

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 400000L;
    char **v = malloc(n * sizeof *v);
    for (long i = 0; i < n; i++) {
        int len = 3 + next() % 20;
        v[i] = malloc(len + 1);
        for (int k = 0; k < len; k++) v[i][k] = 'a' + next() % 8;
        v[i][len] = 0;
    }
    qsort(v, n, sizeof *v, cmp);
    size_t buckets = 1 << 16;
    Node **table = calloc(buckets, sizeof *table);
    long distinct = 0;
    for (long i = 0; i < n; i++) {
        uint32_t h = 5381;
        for (char *p = v[i]; *p; p++) h = h * 33 + (unsigned char)*p;
        Node **slot = &table[h & (buckets - 1)];
        Node *e = *slot;
        while (e && strcmp(e->s, v[i])) e = e->next;
        if (!e) { e = malloc(sizeof *e); e->s = strdup(v[i]); e->next = *slot; *slot = e; distinct++; }
    }
    printf("%s %s %ld distinct\n", v[0], v[n - 1], distinct);
    for (size_t b = 0; b < buckets; b++) for (Node *e = table[b], *t; e; e = t) { t = e->next; free(e->s); free(e); }
    for (long i = 0; i < n; i++) free(v[i]);
    free(v); free(table);
    return 0;
}
