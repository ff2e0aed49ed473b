/* _exit skips atexit handlers and stdio flushing. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void handler(void) { printf("must not print\n"); }

int main(void) {
    atexit(handler);
    printf("lost in the buffer");
    write(1, "written directly\n", 17);
    _exit(3);
}
