/* Forks 1,000 short-lived children in a loop and reaps each: issue 4's stress test. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int exited = 0, sum = 0;
    for (int i = 0; i < 1000; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            _exit(i % 7);
        }
        int status;
        if (waitpid(pid, &status, 0) != pid) {
            perror("waitpid");
            return 1;
        }
        if (WIFEXITED(status)) {
            exited++;
            sum += WEXITSTATUS(status);
        }
    }
    printf("reaped %d children, status sum %d\n", exited, sum);
    return 0;
}
