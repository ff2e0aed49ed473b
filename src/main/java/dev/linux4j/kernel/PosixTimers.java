package dev.linux4j.kernel;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Siginfo;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process's POSIX timers (kernel/time/posix-timers.c, timer_create(2)) on the wall clocks:
 * each expiry sends its signal with si_code SI_TIMER, the timer's id and its sigval, to the
 * process or (SIGEV_THREAD_ID) to one of its threads, and re-arms with the interval. Times are
 * kept on the host's monotonic clock; an absolute time is made a delay when the timer is set.
 * Not like Linux: overruns are not counted (every expiry sends; a standard signal still
 * pending merges with it as any would, a real-time one queues again), so si_overrun and
 * timer_getoverrun are 0. Timers end with the process and at execve, and fork does not copy
 * them. They run on the interval timers' clock thread.
 *
 * <p>Locking: {@code this} guards the table and every timer.
 */
public final class PosixTimers {
    /** SIGEV_NONE: the timer runs but sends nothing. */
    public static final int SIGEV_SIGNAL = 0;
    public static final int SIGEV_NONE = 1;
    public static final int SIGEV_THREAD_ID = 4;

    private final ThreadGroup group;
    private final Map<Integer, Timer> timers = new HashMap<>();
    private int nextId;

    PosixTimers(ThreadGroup group) {
        this.group = group;
    }

    private static final class Timer {
        final int id;
        final int clock;
        final int notify;
        final int signo;
        final long value;
        final Task target;
        ScheduledFuture<?> pending;
        long expiresAt;
        long interval;

        Timer(int id, int clock, int notify, int signo, long value, Task target) {
            this.id = id;
            this.clock = clock;
            this.notify = notify;
            this.signo = signo;
            this.value = value;
            this.target = target;
        }
    }

    /**
     * timer_create: a disarmed timer on clock {@code clock} sending {@code signo} with
     * {@code value} (null: the timer's id, as without a sigevent) to the process, or to
     * {@code target} (SIGEV_THREAD_ID), or nothing (SIGEV_NONE); returns its id: the one after
     * the last given, skipping ids in use, as Linux counts them.
     */
    public synchronized int create(int clock, int notify, int signo, Long value, Task target) {
        int id = nextId;
        while (timers.containsKey(id)) {
            id++;
        }
        nextId = id + 1;
        timers.put(id, new Timer(id, clock, notify, signo, value == null ? id : value, target));
        return id;
    }

    /** The clock timer {@code id} was made on (for absolute settings); EINVAL for no such timer. */
    public synchronized int clock(int id) {
        return timer(id).clock;
    }

    private Timer timer(int id) {
        Timer t = timers.get(id);
        if (t == null) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return t;
    }

    /** timer_gettime: {interval, time to the next expiry (0 when disarmed)} in nanoseconds; EINVAL for no such timer. */
    public synchronized long[] get(int id) {
        Timer t = timer(id);
        long left = t.pending == null ? 0 : Math.max(1, t.expiresAt - System.nanoTime());
        return new long[] {t.interval, left};
    }

    /**
     * timer_settime: arms timer {@code id} to expire in {@code delay} nanoseconds (at once when
     * not positive) and then every {@code interval}, or disarms it; returns the old setting as
     * {@link #get}.
     */
    public synchronized long[] set(int id, boolean disarm, long delay, long interval) {
        Timer t = timer(id);
        long[] old = get(id);
        if (t.pending != null) {
            t.pending.cancel(false);
            t.pending = null;
        }
        t.interval = disarm ? 0 : interval;
        if (!disarm) {
            arm(t, Math.max(0, delay));
        }
        return old;
    }

    private void arm(Timer t, long nanos) {
        t.expiresAt = System.nanoTime() + nanos;
        t.pending = IntervalTimer.CLOCK.schedule(() -> expire(t), nanos, TimeUnit.NANOSECONDS);
    }

    private void expire(Timer t) {
        synchronized (this) {
            if (timers.get(t.id) != t || t.pending == null) {
                return; // deleted or re-set meanwhile
            }
            t.pending = null;
            if (t.interval > 0 && !group.exiting()) {
                arm(t, t.interval);
            }
        }
        if (t.notify == SIGEV_NONE) {
            return;
        }
        Siginfo info = Siginfo.timer(t.signo, t.id, 0, t.value);
        if (t.target != null) {
            Signals.sendToTask(t.target, info);
        } else {
            Signals.sendToGroup(group, info);
        }
    }

    /** timer_getoverrun: EINVAL for no such timer; 0 (overruns are not counted). */
    public synchronized int overrun(int id) {
        timer(id);
        return 0;
    }

    /** timer_delete: EINVAL for no such timer. */
    public synchronized void delete(int id) {
        Timer t = timer(id);
        if (t.pending != null) {
            t.pending.cancel(false);
        }
        timers.remove(id);
    }

    /** exit_itimers: at execve and when the process ends. */
    synchronized void deleteAll() {
        for (Timer t : timers.values()) {
            if (t.pending != null) {
                t.pending.cancel(false);
            }
        }
        timers.clear();
        nextId = 0;
    }
}
