/* Prints what the kernel gave this process at start-up, for comparison with linux4j's loader:
 * the stack from argc to STACK_TOP in hex, argv/envp string addresses, the auxiliary vector,
 * and /proc/self/maps. Run under "setarch x86_64 -R" so that nothing is randomised. */
#include <stdio.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
    unsigned char *sp = (unsigned char *) (argv - 1);
    unsigned char *top = (unsigned char *) 0x7ffffffff000UL;
    printf("SP %lx\n", (unsigned long) sp);
    for (int i = 0; i < argc; i++) printf("ARG %lx\n", (unsigned long) argv[i]);
    char **e = environ;
    for (; *e; e++) printf("ENV %lx\n", (unsigned long) *e);
    unsigned long *a = (unsigned long *) (e + 1);
    printf("AUXV %lx\n", (unsigned long) a);
    for (;; a += 2) {
        printf("AUX %lu %lx\n", a[0], a[1]);
        if (a[0] == 0) break;
    }
    printf("STACK ");
    for (unsigned char *p = sp; p < top; p++) printf("%02x", *p);
    printf("\n");
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) printf("MAP %s", line);
    return 0;
}
