/* Returning N from main is exit(N). */
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    printf("returning %d\n", 6 + argc);
    return 6 + argc;
}
