/* errname(e): the symbolic name of errno value e ("errno N" for others), shared by the guest
 * test programs that print the errors they expect. Both the native run and the linux4j run of a
 * program print through it, so the names only have to be readable. */
#ifndef LINUX4J_TEST_ERRNAME_H
#define LINUX4J_TEST_ERRNAME_H

#include <errno.h>
#include <stdio.h>

static const char *errname(int e) {
    static const struct { int n; const char *s; } t[] = {
        {EPERM, "EPERM"}, {ENOENT, "ENOENT"}, {ESRCH, "ESRCH"}, {EINTR, "EINTR"}, {EIO, "EIO"}, {ENXIO, "ENXIO"},
        {E2BIG, "E2BIG"}, {EBADF, "EBADF"}, {EAGAIN, "EAGAIN"}, {EACCES, "EACCES"}, {EFAULT, "EFAULT"},
        {EBUSY, "EBUSY"}, {EEXIST, "EEXIST"}, {EXDEV, "EXDEV"}, {ENODEV, "ENODEV"}, {ENOTDIR, "ENOTDIR"},
        {EISDIR, "EISDIR"}, {EINVAL, "EINVAL"}, {EMFILE, "EMFILE"}, {ENOTTY, "ENOTTY"}, {EFBIG, "EFBIG"},
        {ENOSPC, "ENOSPC"}, {ESPIPE, "ESPIPE"}, {EROFS, "EROFS"}, {EMLINK, "EMLINK"}, {EPIPE, "EPIPE"},
        {ERANGE, "ERANGE"}, {EDEADLK, "EDEADLK"}, {ENAMETOOLONG, "ENAMETOOLONG"}, {ENOSYS, "ENOSYS"},
        {ENOTEMPTY, "ENOTEMPTY"}, {ELOOP, "ELOOP"}, {ENODATA, "ENODATA"}, {EOVERFLOW, "EOVERFLOW"},
        {EOPNOTSUPP, "EOPNOTSUPP"}, {ETIMEDOUT, "ETIMEDOUT"}, {ENOTSOCK, "ENOTSOCK"},
        {EPROTONOSUPPORT, "EPROTONOSUPPORT"}, {EAFNOSUPPORT, "EAFNOSUPPORT"}, {ENOPROTOOPT, "ENOPROTOOPT"},
        {EISCONN, "EISCONN"}, {ENOTCONN, "ENOTCONN"}, {ECONNREFUSED, "ECONNREFUSED"},
        {ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"}, {EADDRINUSE, "EADDRINUSE"}, {EPROTOTYPE, "EPROTOTYPE"},
        {ECONNRESET, "ECONNRESET"}, {EADDRNOTAVAIL, "EADDRNOTAVAIL"}, {EINPROGRESS, "EINPROGRESS"},
        {EALREADY, "EALREADY"}, {ENETUNREACH, "ENETUNREACH"}, {EHOSTUNREACH, "EHOSTUNREACH"},
        {EDESTADDRREQ, "EDESTADDRREQ"}, {EMSGSIZE, "EMSGSIZE"}, {ECONNABORTED, "ECONNABORTED"},
        {EIDRM, "EIDRM"}, {ENOMSG, "ENOMSG"}, {ENOMEM, "ENOMEM"}};
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].n == e) return t[i].s;
    static char buf[32];
    snprintf(buf, sizeof buf, "errno %d", e);
    return buf;
}

#endif
