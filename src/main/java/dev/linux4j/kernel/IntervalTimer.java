package dev.linux4j.kernel;

import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Siginfo;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process's ITIMER_REAL (kernel/time/itimer.c): when it expires the process gets SIGALRM
 * (si_code SI_KERNEL, as it_real_fn sends it), and it re-arms with its interval. alarm(2) is
 * the same timer in seconds. Timers run on one shared daemon thread, which also samples the
 * CPU clocks of armed ITIMER_VIRTUAL and ITIMER_PROF timers ({@link CpuIntervalTimer}).
 *
 * <p>Locking: {@code this} guards the fields.
 */
final class IntervalTimer {
    static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "linux4j itimer");
        t.setDaemon(true);
        return t;
    });

    private final ThreadGroup group;
    private ScheduledFuture<?> pending;
    private long expiresAt;
    private long intervalNanos;

    IntervalTimer(ThreadGroup group) {
        this.group = group;
    }

    /** {value, interval} in nanoseconds: time to the next expiry (0 if disarmed) and the period. */
    synchronized long[] get() {
        long value = pending == null ? 0 : Math.max(1000, expiresAt - System.nanoTime());
        return new long[] {value, intervalNanos};
    }

    /** setitimer: arms (value > 0) or disarms (value 0); returns the old {value, interval}. */
    synchronized long[] set(long valueNanos, long interval) {
        long[] old = get();
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        intervalNanos = interval;
        if (valueNanos > 0) {
            arm(valueNanos);
        }
        return old;
    }

    private void arm(long nanos) {
        expiresAt = System.nanoTime() + nanos;
        pending = CLOCK.schedule(this::expire, nanos, TimeUnit.NANOSECONDS);
    }

    private void expire() {
        synchronized (this) {
            pending = null;
            if (intervalNanos > 0 && !group.exiting()) {
                arm(intervalNanos);
            }
        }
        Signals.sendToGroup(group, Siginfo.kill(Signal.SIGALRM, Siginfo.SI_KERNEL, 0, 0));
    }
}
