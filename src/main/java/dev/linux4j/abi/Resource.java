package dev.linux4j.abi;

/** Resource limits: {@code include/uapi/asm-generic/resource.h}. */
public final class Resource {
    private Resource() {}

    public static final int RLIMIT_CPU = 0;
    public static final int RLIMIT_FSIZE = 1;
    public static final int RLIMIT_DATA = 2;
    public static final int RLIMIT_STACK = 3;
    public static final int RLIMIT_CORE = 4;
    public static final int RLIMIT_RSS = 5;
    public static final int RLIMIT_NPROC = 6;
    public static final int RLIMIT_NOFILE = 7;
    public static final int RLIMIT_MEMLOCK = 8;
    public static final int RLIMIT_AS = 9;
    public static final int RLIMIT_LOCKS = 10;
    public static final int RLIMIT_SIGPENDING = 11;
    public static final int RLIMIT_MSGQUEUE = 12;
    public static final int RLIMIT_NICE = 13;
    public static final int RLIMIT_RTPRIO = 14;
    public static final int RLIMIT_RTTIME = 15;
    public static final int RLIM_NLIMITS = 16;
    public static final long RLIM_INFINITY = -1L;
    /** The default RLIMIT_STACK, 8 MiB. */
    public static final long _STK_LIM = 8L * 1024 * 1024;
    /** The default RLIMIT_MEMLOCK, 8 MiB. */
    public static final long MLOCK_LIMIT = 8L * 1024 * 1024;

    /** getpriority(2)/setpriority(2) targets, include/uapi/linux/resource.h. */
    public static final int PRIO_PROCESS = 0;
    public static final int PRIO_PGRP = 1;
    public static final int PRIO_USER = 2;
    /** Nice values run from MIN_NICE to MAX_NICE (include/linux/sched/prio.h). */
    public static final int MIN_NICE = -20;
    public static final int MAX_NICE = 19;
}
