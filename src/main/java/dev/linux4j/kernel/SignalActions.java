package dev.linux4j.kernel;

import dev.linux4j.abi.Signal;

/**
 * A process's signal dispositions: Linux's {@code struct sighand_struct}, one
 * {@code struct k_sigaction} per signal (handler, flags, restorer, mask), as rt_sigaction(2)
 * stores and returns them.
 *
 * <p>Locking: {@code this} guards the arrays.
 */
public final class SignalActions {
    public static final long SIG_DFL = 0;
    public static final long SIG_IGN = 1;

    private final long[] handler = new long[Signal.NSIG + 1];
    private final long[] flags = new long[Signal.NSIG + 1];
    private final long[] restorer = new long[Signal.NSIG + 1];
    private final long[] mask = new long[Signal.NSIG + 1];

    /** {handler, flags, restorer, mask} of a signal. */
    public synchronized long[] get(int sig) {
        return new long[] {handler[sig], flags[sig], restorer[sig], mask[sig]};
    }

    public synchronized void set(int sig, long newHandler, long newFlags, long newRestorer, long newMask) {
        handler[sig] = newHandler;
        flags[sig] = newFlags;
        restorer[sig] = newRestorer;
        mask[sig] = newMask;
    }

    /** fork: the child gets a copy of every disposition. */
    void copyFrom(SignalActions other) {
        long[][] copy;
        synchronized (other) {
            copy = new long[][] {other.handler.clone(), other.flags.clone(), other.restorer.clone(), other.mask.clone()};
        }
        synchronized (this) {
            System.arraycopy(copy[0], 0, handler, 0, handler.length);
            System.arraycopy(copy[1], 0, flags, 0, flags.length);
            System.arraycopy(copy[2], 0, restorer, 0, restorer.length);
            System.arraycopy(copy[3], 0, mask, 0, mask.length);
        }
    }

    /** execve (flush_signal_handlers): handled signals go back to SIG_DFL; ignored ones stay ignored. */
    synchronized void resetHandled() {
        for (int sig = 1; sig < handler.length; sig++) {
            if (handler[sig] != SIG_IGN) {
                handler[sig] = SIG_DFL;
            }
            flags[sig] = 0;
            restorer[sig] = 0;
            mask[sig] = 0;
        }
    }

    public synchronized long handler(int sig) {
        return handler[sig];
    }
}
