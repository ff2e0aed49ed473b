package dev.linux4j.kernel;

import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Siginfo;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A set of pending signals with their siginfo: Linux's {@code struct sigpending}. A standard
 * signal is pending at most once; real-time signals queue every instance in order.
 *
 * <p>Locking: guarded by the owning thread group's {@code siglock}.
 */
final class SigPending {
    /** SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS: dequeued first (kernel/signal.c SYNCHRONOUS_MASK). */
    static final long SYNCHRONOUS_MASK = Signals.bit(Signal.SIGSEGV) | Signals.bit(Signal.SIGBUS)
            | Signals.bit(Signal.SIGILL) | Signals.bit(Signal.SIGTRAP) | Signals.bit(Signal.SIGFPE)
            | Signals.bit(Signal.SIGSYS);

    long set;
    private final ArrayDeque<Siginfo> queue = new ArrayDeque<>();

    /** Queues a signal; a standard signal already pending is dropped (legacy_queue). */
    void add(Siginfo info) {
        int sig = info.signo();
        if (sig < Signal.SIGRTMIN && (set & Signals.bit(sig)) != 0) {
            return;
        }
        queue.add(info);
        set |= Signals.bit(sig);
    }

    /** The next signal among {@code allowed}: synchronous ones first, then the lowest number; 0 if none. */
    int next(long allowed) {
        long ready = set & allowed;
        if (ready == 0) {
            return 0;
        }
        long sync = ready & SYNCHRONOUS_MASK;
        return Long.numberOfTrailingZeros(sync != 0 ? sync : ready) + 1;
    }

    /** Removes and returns the first instance of {@code sig}. */
    Siginfo take(int sig) {
        Siginfo found = null;
        boolean more = false;
        for (Iterator<Siginfo> it = queue.iterator(); it.hasNext();) {
            Siginfo i = it.next();
            if (i.signo() == sig) {
                if (found == null) {
                    found = i;
                    it.remove();
                } else {
                    more = true;
                    break;
                }
            }
        }
        if (!more) {
            set &= ~Signals.bit(sig);
        }
        return found != null ? found : Siginfo.kill(sig, Siginfo.SI_KERNEL, 0, 0);
    }

    /** Drops every pending instance of the signals in {@code bits}. */
    void discard(long bits) {
        if ((set & bits) == 0) {
            return;
        }
        queue.removeIf(i -> (bits & Signals.bit(i.signo())) != 0);
        set &= ~bits;
    }
}
