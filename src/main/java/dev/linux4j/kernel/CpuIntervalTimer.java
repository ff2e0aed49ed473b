package dev.linux4j.kernel;

import dev.linux4j.abi.Siginfo;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * ITIMER_VIRTUAL or ITIMER_PROF (kernel/time/itimer.c, set_cpu_itimer and get_cpu_itimer;
 * check_cpu_itimer in kernel/time/posix-cpu-timers.c): an expiry on the process's CPU clock,
 * user time for VIRTUAL, user plus system time for PROF. Linux checks it at each scheduler tick;
 * here the itimer thread samples the process's clock every tick while the timer is armed, and
 * when the clock reaches the expiry sends SIGVTALRM or SIGPROF to the process (si_code
 * SI_KERNEL, as SEND_SIG_PRIV gives) and moves the expiry on by the interval, or disarms.
 *
 * <p>Locking: {@code this} guards the fields; it is taken before the process's
 * {@link ProcessCputime}.
 */
final class CpuIntervalTimer {
    private final ProcessCputime clock;
    /** Which sample of {@link ProcessCputime#sample}: 0 VIRT, 1 PROF. */
    private final int which;
    private final int signal;
    /** it->expires: the absolute CPU time of the next expiry in nanoseconds, 0 when disarmed. */
    private long expires;
    /** it->incr: the interval. */
    private long incr;
    private ScheduledFuture<?> poll;

    CpuIntervalTimer(ProcessCputime clock, int which, int signal) {
        this.clock = clock;
        this.which = which;
        this.signal = signal;
    }

    /** get_cpu_itimer: {value, interval}; an expiry already reached but not yet signalled reads as one tick. */
    synchronized long[] get() {
        long val = expires;
        if (val != 0) {
            long t = clock.sample(which == 0)[which];
            val = val < t ? ProcessCputime.TICK_NSEC : val - t;
        }
        return new long[] {val, incr};
    }

    /**
     * set_cpu_itimer and set_process_cpu_timer: a new value gets one tick added (the tick that
     * checks it may come up to a tick late) and becomes absolute; returns the old {value, interval}.
     */
    synchronized long[] set(long nval, long ninterval) {
        long oval = expires;
        long ointerval = incr;
        if (oval != 0 || nval != 0) {
            if (nval > 0) {
                nval += ProcessCputime.TICK_NSEC;
            }
            long now = clock.sample(which == 0)[which];
            if (oval != 0) {
                oval = oval <= now ? ProcessCputime.TICK_NSEC : oval - now;
            }
            if (nval != 0) {
                nval += now;
            }
        }
        expires = nval;
        incr = ninterval;
        if (expires != 0 && poll == null) {
            poll = IntervalTimer.CLOCK.scheduleAtFixedRate(this::check, ProcessCputime.TICK_NSEC,
                    ProcessCputime.TICK_NSEC, TimeUnit.NANOSECONDS);
        } else if (expires == 0) {
            stopPolling();
        }
        return new long[] {oval, ointerval};
    }

    private void stopPolling() {
        if (poll != null) {
            poll.cancel(false);
            poll = null;
        }
    }

    /** check_cpu_itimer, at one tick. */
    private void check() {
        synchronized (this) {
            if (expires == 0 || clock.group().exiting()) {
                stopPolling();
                return;
            }
            if (clock.sample(which == 0)[which] < expires) {
                return;
            }
            if (incr != 0) {
                expires += incr;
            } else {
                expires = 0;
                stopPolling();
            }
        }
        Signals.sendToGroup(clock.group(), Siginfo.kill(signal, Siginfo.SI_KERNEL, 0, 0));
    }
}
