package dev.linux4j.vfs;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * Interruptible sleeps (Linux's TASK_INTERRUPTIBLE) for the guest task running on the calling
 * Java thread. A task sleeps only between {@link Sleeper#enter} and {@link Sleeper#leave}; a
 * signal sent in that window interrupts the Java thread, so the wait ends with
 * {@link RestartSyscall#ERESTARTSYS}. Outside that window the thread is never interrupted, which
 * keeps host channels (closed by {@link Thread#interrupt}) safe.
 */
public final class Sleep {
    private Sleep() {}

    /** The kernel's side of a sleeping task. */
    public interface Sleeper {
        /** Starts a sleep; false when a signal is already pending (or the process is dying). */
        boolean enter();

        /** Ends the sleep and clears a wake-up that arrived after the wait returned. */
        void leave();
    }

    private static final ThreadLocal<Sleeper> CURRENT = new ThreadLocal<>();

    /** Pollers (poll, select) wait here; anything that becomes ready calls {@link #wakePollers}. */
    private static final Object POLL = new Object();
    private static long pollEvents;

    /** Binds the calling Java thread to a task (null to unbind). */
    public static void bind(Sleeper sleeper) {
        if (sleeper == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(sleeper);
        }
    }

    private static Sleeper enter() {
        Sleeper s = CURRENT.get();
        if (s != null && !s.enter()) {
            throw RestartSyscall.ERESTARTSYS;
        }
        return s;
    }

    private static void leave(Sleeper s) {
        if (s != null) {
            s.leave();
        }
    }

    /** Waits on {@code condition} (its lock held); ERESTARTSYS when a signal interrupts. */
    public static void await(Condition condition) {
        Sleeper s = enter();
        try {
            condition.await();
        } catch (InterruptedException e) {
            throw RestartSyscall.ERESTARTSYS;
        } finally {
            leave(s);
        }
    }

    /** Waits at most {@code nanos}; returns the time left. */
    public static long awaitNanos(Condition condition, long nanos) {
        Sleeper s = enter();
        try {
            return condition.awaitNanos(nanos);
        } catch (InterruptedException e) {
            throw RestartSyscall.ERESTARTSYS;
        } finally {
            leave(s);
        }
    }

    /** Object.wait on {@code monitor} (held) for at most {@code millis} (0 = forever). */
    public static void waitOn(Object monitor, long millis) {
        Sleeper s = enter();
        try {
            monitor.wait(millis);
        } catch (InterruptedException e) {
            throw RestartSyscall.ERESTARTSYS;
        } finally {
            leave(s);
        }
    }

    /**
     * Sleeps {@code nanos} (negative: until a signal). Returns 0 when the time passed; when a
     * signal interrupts, throws ERESTARTSYS after storing the time left in {@code remaining[0]}.
     */
    public static void sleep(long nanos, long[] remaining) {
        long deadline = System.nanoTime() + nanos;
        Sleeper s;
        try {
            s = enter();
        } catch (RestartSyscall pending) {
            if (remaining != null) {
                remaining[0] = Math.max(0, nanos);
            }
            throw pending;
        }
        try {
            if (nanos < 0) {
                Thread.sleep(Long.MAX_VALUE);
            } else {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        } catch (InterruptedException e) {
            if (remaining != null) {
                remaining[0] = Math.max(0, deadline - System.nanoTime());
            }
            throw RestartSyscall.ERESTARTSYS;
        } finally {
            leave(s);
        }
    }

    /** A change count for pollers: read it before checking readiness, then {@link #awaitPoll}. */
    public static long pollEvents() {
        synchronized (POLL) {
            return pollEvents;
        }
    }

    /** Waits until something calls {@link #wakePollers} after {@code seen}, or {@code millis} pass. */
    public static void awaitPoll(long seen, long millis) {
        synchronized (POLL) {
            if (pollEvents != seen) {
                return;
            }
            waitOn(POLL, Math.max(1, millis));
        }
    }

    /** Something became readable or writable (or hung up). */
    public static void wakePollers() {
        synchronized (POLL) {
            pollEvents++;
            POLL.notifyAll();
        }
    }
}
