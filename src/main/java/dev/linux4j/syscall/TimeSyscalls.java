package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.ProcessCputime;
import dev.linux4j.kernel.Task;
import dev.linux4j.kernel.ThreadGroup;
import java.time.Instant;

/** Clocks and sleeps: kernel/time/posix-timers.c, kernel/time/time.c, hrtimer nanosleep. */
final class TimeSyscalls {
    private TimeSyscalls() {}

    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_MONOTONIC = 1;
    static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    static final int CLOCK_THREAD_CPUTIME_ID = 3;
    static final int CLOCK_MONOTONIC_RAW = 4;
    static final int CLOCK_REALTIME_COARSE = 5;
    static final int CLOCK_MONOTONIC_COARSE = 6;
    static final int CLOCK_BOOTTIME = 7;
    static final int CLOCK_REALTIME_ALARM = 8;
    static final int CLOCK_BOOTTIME_ALARM = 9;
    static final int CLOCK_TAI = 11;
    static final int TIMER_ABSTIME = 1;

    /** The clock's current value in nanoseconds; EINVAL for an unknown clock id. */
    static long now(Task task, int clock) {
        return switch (clock) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_REALTIME_ALARM, CLOCK_TAI -> {
                Instant t = Instant.now();
                yield t.getEpochSecond() * 1_000_000_000L + t.getNano() + (clock == CLOCK_TAI ? 37_000_000_000L : 0);
            }
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM ->
                task.kernel().uptimeNanos();
            case CLOCK_PROCESS_CPUTIME_ID -> task.group().cputime().runtime();
            case CLOCK_THREAD_CPUTIME_ID -> task.cputime().runtime();
            default -> {
                if (clock < 0) {
                    yield cpuClock(task, clock, true);
                }
                throw ErrnoException.of(Errno.EINVAL);
            }
        };
    }

    // ---------------------------------------------------------------- CPU clocks (posix-cpu-timers.c)

    /** CPUCLOCK_PROF, CPUCLOCK_VIRT, CPUCLOCK_SCHED: the low two bits of a CPU clock id. */
    static final int CPUCLOCK_PROF = 0;
    static final int CPUCLOCK_VIRT = 1;
    static final int CPUCLOCK_SCHED = 2;
    static final int CPUCLOCK_MAX = 3;
    static final int CPUCLOCK_PERTHREAD_MASK = 4;

    /**
     * A dynamic CPU clock's value (clock_getcpuclockid, pthread_getcpuclockid: the id encodes
     * ~pid << 3, a per-thread bit and which clock), as posix_cpu_clock_get samples it; EINVAL
     * when the clock names nothing the caller may read (pid_for_clock).
     */
    private static long cpuClock(Task task, int clock, boolean gettime) {
        int which = clock & 3;
        boolean thread = (clock & CPUCLOCK_PERTHREAD_MASK) != 0;
        int pid = ~(clock >> 3);
        if (which >= CPUCLOCK_MAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (thread) {
            Task t = pid == 0 ? task : threadOf(task.group(), pid);
            if (t == null) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            return which == CPUCLOCK_SCHED ? t.cputime().runtime() : t.cputime().sample(true)[profOrVirt(which)];
        }
        ThreadGroup g = pid == 0 || gettime && pid == task.tid() ? task.group()
                : task.kernel().tree().find(pid);
        if (g == null) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return which == CPUCLOCK_SCHED ? g.cputime().runtime() : g.cputime().sample(true)[profOrVirt(which)];
    }

    /** The index of a PROF or VIRT clock in a {VIRT, PROF, SCHED} sample. */
    private static int profOrVirt(int which) {
        return which == CPUCLOCK_VIRT ? 0 : 1;
    }

    private static Task threadOf(ThreadGroup g, int tid) {
        for (Task t : g.tasks()) {
            if (t.tid() == tid && !t.hasExited()) {
                return t;
            }
        }
        return null;
    }

    private static void writeTimespec(Task task, long addr, long nanos) {
        task.memory().write64(addr, Math.floorDiv(nanos, 1_000_000_000L));
        task.memory().write64(addr + 8, Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Reads a struct timespec; EINVAL if tv_nsec is out of range or tv_sec negative. */
    static long readTimespec(Task task, long addr) {
        return timespecNanos(task.memory().read64(addr), task.memory().read64(addr + 8));
    }

    /**
     * A struct itimerspec, read whole (EFAULT) before either half is checked (EINVAL), as
     * get_itimerspec64 and itimerspec64_valid: {it_interval, it_value} in nanoseconds.
     */
    static long[] readItimerspec(Task task, long addr) {
        long[] raw = new long[4];
        for (int i = 0; i < 4; i++) {
            raw[i] = task.memory().read64(addr + 8L * i);
        }
        return new long[] {timespecNanos(raw[0], raw[1]), timespecNanos(raw[2], raw[3])};
    }

    /** timespec64_valid's check (EINVAL), then the time in nanoseconds, Long.MAX_VALUE past what a long holds. */
    private static long timespecNanos(long sec, long nsec) {
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (sec > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return Long.MAX_VALUE;
        }
        return sec * 1_000_000_000L + nsec;
    }

    /** Writes a {@code struct itimerspec} from {interval, value} in nanoseconds. */
    static void writeItimerspec(Task task, long addr, long[] intervalAndValue) {
        task.memory().write64(addr, intervalAndValue[0] / 1_000_000_000L);
        task.memory().write64(addr + 8, intervalAndValue[0] % 1_000_000_000L);
        task.memory().write64(addr + 16, intervalAndValue[1] / 1_000_000_000L);
        task.memory().write64(addr + 24, intervalAndValue[1] % 1_000_000_000L);
    }

    /** clock_gettime(2): {@code int clock_gettime(clockid_t clockid, struct timespec *tp)}. */
    static long clockGettime(Task task, SyscallArgs args) {
        int clock = args.int32(0);
        long tp = args.pointer(1);
        writeTimespec(task, tp, now(task, clock));
        return 0;
    }

    /**
     * clock_getres(2): 1 ns for the high-resolution clocks and the CPU clocks that count
     * runtime (CPUCLOCK_SCHED), one jiffy (4 ms at HZ=250) for the coarse clocks and the
     * tick-sampled PROF and VIRT CPU clocks (posix_cpu_clock_getres).
     */
    static long clockGetres(Task task, SyscallArgs args) {
        int clock = args.int32(0);
        long res = args.pointer(1);
        long tick = ProcessCputime.TICK_NSEC;
        long resolution;
        if (clock < 0) {
            cpuClock(task, clock, false); // EINVAL check
            resolution = (clock & 3) == CPUCLOCK_SCHED ? 1 : (1_000_000_000L + ProcessCputime.HZ - 1) / ProcessCputime.HZ;
        } else {
            now(task, clock); // EINVAL check
            boolean coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
            resolution = coarse ? tick : 1;
        }
        if (res != 0) {
            writeTimespec(task, res, resolution);
        }
        return 0;
    }

    /** gettimeofday(2): {@code int gettimeofday(struct timeval *tv, struct timezone *tz)}. */
    static long gettimeofday(Task task, SyscallArgs args) {
        long tv = args.pointer(0);
        long tz = args.pointer(1);
        long nanos = now(task, CLOCK_REALTIME);
        if (tv != 0) {
            task.memory().write64(tv, nanos / 1_000_000_000L);
            task.memory().write64(tv + 8, (nanos % 1_000_000_000L) / 1000);
        }
        if (tz != 0) {
            task.memory().write64(tz, 0); // tz_minuteswest = 0, tz_dsttime = 0
        }
        return 0;
    }

    /**
     * TIME_SETTOD_SEC_MAX: the latest time settimeofday and clock_settime accept (KTIME_SEC_MAX
     * less 30 years of uptime), as timespec64_valid_settod checks it.
     */
    private static final long TIME_SETTOD_SEC_MAX = Long.MAX_VALUE / 1_000_000_000L - 30L * 365 * 86400;

    /**
     * clock_settime(2): {@code int clock_settime(clockid_t clockid, const struct timespec *tp)}.
     * The guest does not set the host's clock: the call fails as it does for a process without
     * CAP_SYS_TIME (a container's root), with EPERM after the checks Linux makes first — EINVAL
     * for a clock that cannot be set (only CLOCK_REALTIME and the CPU clocks have a setter),
     * EFAULT, then EINVAL for a time timespec64_valid_settod refuses; a CPU clock is EINVAL when
     * it names nothing (posix_cpu_clock_set), else EPERM.
     */
    static long clockSettime(Task task, SyscallArgs args) {
        int clock = args.int32(0);
        long tp = args.pointer(1);
        if (clock != CLOCK_REALTIME && clock >= 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long sec = task.memory().read64(tp);
        long nsec = task.memory().read64(tp + 8);
        if (clock < 0) {
            cpuClock(task, clock, false);
        } else {
            checkSettod(sec, nsec);
        }
        throw ErrnoException.of(Errno.EPERM);
    }

    /**
     * settimeofday(2): {@code int settimeofday(const struct timeval *tv, const struct timezone
     * *tz)}. As {@link #clockSettime}, EPERM after Linux's own checks: EFAULT for either
     * pointer, EINVAL for tv_usec past a second or a time timespec64_valid_settod refuses. The
     * capability is checked even when both are NULL (security_settime64).
     */
    static long settimeofday(Task task, SyscallArgs args) {
        long tv = args.pointer(0);
        long tz = args.pointer(1);
        long sec = 0;
        long usec = 0;
        if (tv != 0) {
            sec = task.memory().read64(tv);
            usec = task.memory().read64(tv + 8);
            if (usec > 1_000_000L || usec < 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
        }
        if (tz != 0) {
            task.memory().read64(tz); // copy_from_user of the struct timezone: EFAULT
        }
        if (tv != 0) {
            checkSettod(sec, usec * 1000);
        }
        throw ErrnoException.of(Errno.EPERM);
    }

    /** timespec64_valid_settod: EINVAL for a negative or unnormalized time or one past TIME_SETTOD_SEC_MAX. */
    private static void checkSettod(long sec, long nsec) {
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L || sec >= TIME_SETTOD_SEC_MAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /** time(2): {@code time_t time(time_t *tloc)}. */
    static long time(Task task, SyscallArgs args) {
        long tloc = args.pointer(0);
        long secs = now(task, CLOCK_REALTIME) / 1_000_000_000L;
        if (tloc != 0) {
            task.memory().write64(tloc, secs);
        }
        return secs;
    }

    /** nanosleep(2): {@code int nanosleep(const struct timespec *req, struct timespec *rem)}. */
    static long nanosleep(Task task, SyscallArgs args) {
        long req = args.pointer(0);
        long rem = args.pointer(1);
        long nanos = readTimespec(task, req);
        return sleepRelative(task, nanos, rem);
    }

    /**
     * clock_nanosleep(2): {@code int clock_nanosleep(clockid_t clockid, int flags, const struct
     * timespec *request, struct timespec *remain)} — returns the error number itself, as the raw
     * syscall does (negated).
     */
    static long clockNanosleep(Task task, SyscallArgs args) {
        int clock = args.int32(0);
        int flags = args.int32(1);
        long request = args.pointer(2);
        if (clock == CLOCK_THREAD_CPUTIME_ID) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long start = now(task, clock);
        long nanos = readTimespec(task, request);
        if ((flags & TIMER_ABSTIME) != 0) {
            nanos = nanos - start;
            if (nanos > 0) {
                try {
                    dev.linux4j.vfs.Sleep.sleep(nanos, null);
                } catch (dev.linux4j.vfs.RestartSyscall interrupted) {
                    throw dev.linux4j.vfs.RestartSyscall.ERESTARTNOHAND; // same absolute deadline on restart
                }
            }
            return 0;
        }
        return nanos > 0 ? sleepRelative(task, nanos, args.pointer(3)) : 0;
    }

    /**
     * hrtimer_nanosleep for a relative time: interrupted by a signal, it writes the time left to
     * {@code rem} and returns ERESTART_RESTARTBLOCK, so restart_syscall(2) sleeps only what is left.
     */
    private static long sleepRelative(Task task, long nanos, long rem) {
        long[] left = {0};
        try {
            dev.linux4j.vfs.Sleep.sleep(nanos, left);
            return 0;
        } catch (dev.linux4j.vfs.RestartSyscall interrupted) {
            if (rem != 0) {
                task.memory().write64(rem, left[0] / 1_000_000_000L);
                task.memory().write64(rem + 8, left[0] % 1_000_000_000L);
            }
            long remaining = left[0];
            task.setRestartBlock(t -> sleepRelative(t, remaining, rem));
            throw dev.linux4j.vfs.RestartSyscall.ERESTART_RESTARTBLOCK;
        }
    }
}
