/* AddressSanitizer's report of a heap use after free: the access, where the memory was freed
 * and allocated, and the shadow bytes around it; exit status 1. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    (void) argv;
    int *p = malloc(10 * sizeof *p);
    p[argc] = 5;
    free(p);
    printf("reading freed memory\n");
    fflush(stdout);
    return p[1];
}
