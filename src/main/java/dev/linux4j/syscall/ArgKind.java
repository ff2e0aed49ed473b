package dev.linux4j.syscall;

/** How --strace prints a syscall argument (and the compatibility document names it). */
public enum ArgKind {
    INT, UINT, LONG, ULONG, HEX, PTR, FD, DIRFD, PATH, STRING,
    /** A buffer the call reads: printed as a string, its length in the next argument. */
    BUF_IN,
    /** A buffer the call fills: printed after the call, as many bytes as it returned. */
    BUF_OUT,
    OPEN_FLAGS, MODE, PROT, MMAP_FLAGS, AT_FLAGS, ACCESS_MODE, WHENCE, SIGNAL, CLOCK, FCNTL_CMD, IOCTL_CMD,
    ARCH_PRCTL, RLIMIT, SIGHOW, STAT_OUT, RLIM_OUT, FUTEX_OP, MADVISE, MREMAP_FLAGS, STATX_MASK,
    /** A struct timespec the call fills: printed after a successful call. */
    TIMESPEC_OUT;
}
