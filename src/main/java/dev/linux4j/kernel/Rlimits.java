package dev.linux4j.kernel;

import static dev.linux4j.abi.Resource.*;

import dev.linux4j.abi.Signal;

/** Default resource limits (as a Debian login session has them) and signal core-dump classes. */
final class Rlimits {
    private Rlimits() {}

    static final int RLIMIT_NOFILE = dev.linux4j.abi.Resource.RLIMIT_NOFILE;

    static long[][] defaults() {
        long[][] l = new long[RLIM_NLIMITS][];
        for (int i = 0; i < RLIM_NLIMITS; i++) {
            l[i] = new long[] {RLIM_INFINITY, RLIM_INFINITY};
        }
        l[RLIMIT_STACK] = new long[] {8L << 20, RLIM_INFINITY};
        l[RLIMIT_CORE] = new long[] {0, RLIM_INFINITY};
        l[RLIMIT_NOFILE] = new long[] {FdTable.DEFAULT_NOFILE, 1L << 20};
        l[RLIMIT_MEMLOCK] = new long[] {8L << 20, 8L << 20};
        l[RLIMIT_NPROC] = new long[] {63408, 63408};
        l[RLIMIT_SIGPENDING] = new long[] {63408, 63408};
        l[RLIMIT_MSGQUEUE] = new long[] {819200, 819200};
        l[RLIMIT_NICE] = new long[] {0, 0};
        l[RLIMIT_RTPRIO] = new long[] {0, 0};
        return l;
    }

    /** Signals whose default action is "core" (signal(7)). */
    static boolean dumpsCore(int sig) {
        return switch (sig) {
            case Signal.SIGQUIT, Signal.SIGILL, Signal.SIGTRAP, Signal.SIGABRT, Signal.SIGBUS, Signal.SIGFPE,
                    Signal.SIGSEGV, Signal.SIGXCPU, Signal.SIGXFSZ, Signal.SIGSYS -> true;
            default -> false;
        };
    }
}
