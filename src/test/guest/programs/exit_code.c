/* exit(N) runs atexit handlers in reverse order and flushes stdio; the status is N & 0xff. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit first (runs last)\n"); }
static void second(void) { printf("atexit second (runs first)\n"); fprintf(stderr, "to stderr from atexit\n"); }

int main(void) {
    atexit(first);
    atexit(second);
    printf("buffered, not yet flushed");
    fprintf(stderr, "stderr is unbuffered\n");
    exit(300); /* status 300 & 0xff = 44 */
}
