package dev.linux4j.kernel;

import static dev.linux4j.abi.Resource.*;

import dev.linux4j.abi.Signal;

/**
 * The first process's resource limits and the signals' core-dump classes. A program started
 * from a shell inherits the shell's limits; so does the guest's first process, which takes the
 * limits of the JVM linux4j runs in (read from the host's /proc/self/limits), but for the soft
 * limit on open files: HotSpot raises its own to the hard limit at start-up (-XX:+MaxFDLimit),
 * so the launcher passes the shell's in {@code -Dlinux4j.nofile}. Where the host has no
 * /proc/self/limits, the limits a Debian login session has.
 */
final class Rlimits {
    private Rlimits() {}

    static final int RLIMIT_NOFILE = dev.linux4j.abi.Resource.RLIMIT_NOFILE;

    /** The host's limits, read once; the Debian defaults where they cannot be read. */
    private static final class Host {
        static final long[][] LIMITS = read();

        private static long[][] read() {
            long[][] l = defaults();
            try {
                java.util.List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"));
                for (String line : lines) {
                    String[] f = line.trim().split(" {2,}");
                    if (f.length < 3) {
                        continue;
                    }
                    int r = byName(f[0]);
                    if (r >= 0) {
                        l[r] = new long[] {value(f[1]), value(f[2])};
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                return defaults();
            }
            String nofile = System.getProperty("linux4j.nofile");
            if (nofile != null) {
                try {
                    long soft = value(nofile.trim());
                    if (Long.compareUnsigned(soft, l[RLIMIT_NOFILE][1]) <= 0) {
                        l[RLIMIT_NOFILE][0] = soft;
                    }
                } catch (NumberFormatException e) {
                    // not a number: keep the JVM's
                }
            }
            return l;
        }

        private static long value(String s) {
            return "unlimited".equals(s) ? RLIM_INFINITY : Long.parseLong(s);
        }

        /** The resource a /proc/PID/limits row names (fs/proc/base.c lnames), or -1. */
        private static int byName(String name) {
            return switch (name) {
                case "Max cpu time" -> RLIMIT_CPU;
                case "Max file size" -> RLIMIT_FSIZE;
                case "Max data size" -> RLIMIT_DATA;
                case "Max stack size" -> RLIMIT_STACK;
                case "Max core file size" -> RLIMIT_CORE;
                case "Max resident set" -> RLIMIT_RSS;
                case "Max processes" -> RLIMIT_NPROC;
                case "Max open files" -> RLIMIT_NOFILE;
                case "Max locked memory" -> RLIMIT_MEMLOCK;
                case "Max address space" -> RLIMIT_AS;
                case "Max file locks" -> RLIMIT_LOCKS;
                case "Max pending signals" -> RLIMIT_SIGPENDING;
                case "Max msgqueue size" -> RLIMIT_MSGQUEUE;
                case "Max nice priority" -> RLIMIT_NICE;
                case "Max realtime priority" -> RLIMIT_RTPRIO;
                case "Max realtime timeout" -> RLIMIT_RTTIME;
                default -> -1;
            };
        }
    }

    /** The first process's limits: a copy of the host's. */
    static long[][] initial() {
        long[][] l = new long[RLIM_NLIMITS][];
        for (int i = 0; i < RLIM_NLIMITS; i++) {
            l[i] = Host.LIMITS[i].clone();
        }
        return l;
    }

    /** The first process's soft limit on open files, as an fd table's bound. */
    static int initialNofile() {
        long soft = Host.LIMITS[RLIMIT_NOFILE][0];
        return soft < 0 || soft > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) soft; // RLIM_INFINITY is -1
    }

    /** The limits of a Debian login session. */
    static long[][] defaults() {
        long[][] l = new long[RLIM_NLIMITS][];
        for (int i = 0; i < RLIM_NLIMITS; i++) {
            l[i] = new long[] {RLIM_INFINITY, RLIM_INFINITY};
        }
        l[RLIMIT_STACK] = new long[] {_STK_LIM, RLIM_INFINITY};
        l[RLIMIT_CORE] = new long[] {0, RLIM_INFINITY};
        l[RLIMIT_NOFILE] = new long[] {FdTable.DEFAULT_NOFILE, 1L << 20};
        l[RLIMIT_MEMLOCK] = new long[] {MLOCK_LIMIT, MLOCK_LIMIT};
        l[RLIMIT_NPROC] = new long[] {63408, 63408};
        l[RLIMIT_SIGPENDING] = new long[] {63408, 63408};
        l[RLIMIT_MSGQUEUE] = new long[] {819200, 819200};
        l[RLIMIT_NICE] = new long[] {0, 0};
        l[RLIMIT_RTPRIO] = new long[] {0, 0};
        return l;
    }

    /**
     * The host's kernel.core_pattern, read once: what the guest's /proc/sys/kernel/core_pattern
     * shows and what decides whether cores go to a file or, starting with "|", to a program
     * (apport, systemd-coredump). "core" where it cannot be read.
     */
    static final class CorePattern {
        static final String VALUE = read();
        static final boolean PIPE = VALUE.startsWith("|");

        private static String read() {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/core_pattern")).stripTrailing();
            } catch (java.io.IOException | RuntimeException e) {
                return "core";
            }
        }
    }

    /**
     * Whether death by {@code sig} with soft RLIMIT_CORE {@code limit} dumps core as the host's
     * kernel would (do_coredump): a "core" signal, and a limit of at least a page (the ELF
     * format's min_coredump) when cores go to a file, any limit but 1 when they go to a pipe.
     */
    static boolean dumpsCore(int sig, long limit) {
        return dumpsCore(sig) && (CorePattern.PIPE ? limit != 1 : Long.compareUnsigned(limit, 4096) >= 0);
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
