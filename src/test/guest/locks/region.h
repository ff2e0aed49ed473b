/* region(...): a struct flock naming a lock region for fcntl's record-lock commands, every other
 * field zero. Shared by the lock tests. */
#ifndef LINUX4J_TEST_REGION_H
#define LINUX4J_TEST_REGION_H

#include <fcntl.h>
#include <string.h>

static struct flock region(int type, int whence, long start, long len, pid_t pid) {
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = whence;
    fl.l_start = start;
    fl.l_len = len;
    fl.l_pid = pid;
    return fl;
}

#endif
