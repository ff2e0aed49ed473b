package dev.linux4j.kernel;

import dev.linux4j.abi.Resource;
import dev.linux4j.abi.Siginfo;
import dev.linux4j.abi.Signal;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * RLIMIT_CPU (check_process_timers in kernel/time/posix-cpu-timers.c): once the process's CPU
 * time (user plus system) reaches the soft limit it gets SIGXCPU (si_code SI_KERNEL), and the soft
 * limit moves up by a second (getrlimit shows it), so that SIGXCPU comes again every second of
 * CPU time; at the hard limit it gets SIGKILL instead. Linux looks at each scheduler tick; here the itimer
 * thread samples the process's clock every tick while the soft limit is finite, as it does for
 * the CPU interval timers ({@link CpuIntervalTimer}).
 *
 * <p>Locking: {@code this} guards {@link #poll}; the limits are the thread group's.
 */
final class CpuLimit {
    private static final long NSEC_PER_SEC = 1_000_000_000L;

    private final ProcessCputime clock;
    private ScheduledFuture<?> poll;

    CpuLimit(ProcessCputime clock) {
        this.clock = clock;
    }

    /** update_rlimit_cpu: the limit was set (or inherited): sample while it is finite. */
    synchronized void limitChanged() {
        long soft = clock.group().softLimit(Resource.RLIMIT_CPU);
        if (soft != Resource.RLIM_INFINITY && poll == null) {
            poll = IntervalTimer.CLOCK.scheduleAtFixedRate(this::check, ProcessCputime.TICK_NSEC,
                    ProcessCputime.TICK_NSEC, TimeUnit.NANOSECONDS);
        } else if (soft == Resource.RLIM_INFINITY) {
            stopPolling();
        }
    }

    private void stopPolling() {
        if (poll != null) {
            poll.cancel(false);
            poll = null;
        }
    }

    /** The RLIMIT_CPU part of check_process_timers, at one tick. */
    private void check() {
        ThreadGroup group = clock.group();
        int signal;
        synchronized (this) {
            long[] limit = group.rlimit(Resource.RLIMIT_CPU);
            long soft = limit[0];
            long hard = limit[1];
            if (soft == Resource.RLIM_INFINITY || group.exiting()) {
                stopPolling();
                return;
            }
            long ptime = clock.sample(false)[1];
            if (hard != Resource.RLIM_INFINITY && Long.compareUnsigned(ptime / NSEC_PER_SEC, hard) >= 0) {
                signal = Signal.SIGKILL;
                stopPolling();
            } else if (Long.compareUnsigned(ptime / NSEC_PER_SEC, soft) >= 0) {
                signal = Signal.SIGXCPU;
                group.setSoftLimitQuietly(Resource.RLIMIT_CPU, soft + 1); // the next SIGXCPU a second on
            } else {
                return;
            }
        }
        Signals.sendToGroup(group, Siginfo.kill(signal, Siginfo.SI_KERNEL, 0, 0));
    }
}
