package dev.linux4j.kernel;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.memory.GuestFault;
import dev.linux4j.memory.Mmu;
import dev.linux4j.vfs.RestartSyscall;
import dev.linux4j.vfs.Sleep;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Futex wait queues (kernel/futex/): waiters sleep on the host address of the futex word, so
 * a futex in a MAP_SHARED page is the same futex in every process mapping it, and a private
 * one is distinct per process. PI futexes (FUTEX_LOCK_PI) keep Linux's word protocol (owner
 * TID | FUTEX_WAITERS | FUTEX_OWNER_DIED) and hand the lock to the first waiter on unlock;
 * there are no priorities to inherit on the JVM.
 *
 * <p>Locking: one lock guards every queue (Linux hashes into buckets; a futex call only comes
 * on a contended path, so one lock is plenty). It is taken before a task's siglock (through
 * {@link Sleep}), never after.
 */
public final class Futex {
    private Futex() {}

    // include/uapi/linux/futex.h
    public static final int FUTEX_WAITERS = 0x80000000;
    public static final int FUTEX_OWNER_DIED = 0x40000000;
    public static final int FUTEX_TID_MASK = 0x3fffffff;
    public static final int FUTEX_BITSET_MATCH_ANY = 0xffffffff;
    /** No timeout. */
    public static final long FOREVER = Long.MAX_VALUE;
    /** ROBUST_LIST_LIMIT: at most this many robust entries are walked at exit. */
    private static final int ROBUST_LIST_LIMIT = 2048;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Map<Object, ArrayDeque<Waiter>> QUEUES = new HashMap<>();

    /** A sleeping task (one futex_q per word it waits on; futex_waitv waits on several). */
    private static final class Sleeper {
        final Condition wake = LOCK.newCondition();
        final Task task;
        final List<Waiter> entries = new ArrayList<>(1);
        /** The index of the word that woke it, -1 while asleep; for PI, {@link #HANDED_OFF} or {@link #RETRY}. */
        int woken = -1;

        Sleeper(Task task) {
            this.task = task;
        }
    }

    private static final int HANDED_OFF = 0;
    private static final int RETRY = 1;

    /** One queued wait on one futex word. */
    private static final class Waiter {
        Object key;
        final int bitset;
        final int index;
        final boolean pi;
        final Sleeper sleeper;

        Waiter(Object key, int bitset, int index, boolean pi, Sleeper sleeper) {
            this.key = key;
            this.bitset = bitset;
            this.index = index;
            this.pi = pi;
            this.sleeper = sleeper;
        }
    }

    // ---------------------------------------------------------------- keys and words

    /**
     * get_futex_key: the word's address space and address for private memory, its host address
     * for a MAP_SHARED page (EFAULT if unmapped, EINVAL if misaligned).
     */
    private static Object key(Task t, long uaddr) {
        if ((uaddr & 3) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        try {
            return t.memory().futexKey(uaddr);
        } catch (GuestFault f) {
            throw ErrnoException.of(Errno.EFAULT);
        }
    }

    private static Mmu mmu(Task t) {
        return t.cpu().mmu;
    }

    private static int read(Task t, long uaddr) {
        try {
            return mmu(t).read32(uaddr);
        } catch (GuestFault f) {
            throw ErrnoException.of(Errno.EFAULT);
        }
    }

    /** An atomic cmpxchg on the word (faults as EFAULT); true if it stored {@code update}. */
    private static boolean cas(Task t, long uaddr, int expected, int update) {
        try {
            return (int) mmu(t).compareAndExchange(uaddr, expected, update, 4) == expected;
        } catch (GuestFault f) {
            throw ErrnoException.of(Errno.EFAULT);
        }
    }

    private static void enqueue(Waiter w) {
        QUEUES.computeIfAbsent(w.key, k -> new ArrayDeque<>()).add(w);
        w.sleeper.entries.add(w);
    }

    /** Takes every entry of {@code s} off its queue. */
    private static void unqueue(Sleeper s) {
        for (Waiter w : s.entries) {
            ArrayDeque<Waiter> q = QUEUES.get(w.key);
            if (q != null) {
                q.remove(w);
                if (q.isEmpty()) {
                    QUEUES.remove(w.key);
                }
            }
        }
        s.entries.clear();
    }

    /** Wakes the sleeper of {@code w} (already chosen), reporting {@code how}; LOCK held. */
    private static void wakeUp(Waiter w, int how) {
        Sleeper s = w.sleeper;
        unqueue(s);
        s.woken = how;
        s.wake.signal();
    }

    /**
     * Sleeps until woken, the deadline ({@link System#nanoTime} scale) passes (ETIMEDOUT) or a
     * signal comes (ERESTARTSYS). A wake-up that raced with the signal or the timeout wins, as
     * futex_unqueue decides on Linux. LOCK held.
     */
    private static int sleep(Sleeper s, long deadline) {
        try {
            while (s.woken < 0) {
                if (deadline == FOREVER) {
                    Sleep.await(s.wake);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        unqueue(s);
                        throw ErrnoException.of(Errno.ETIMEDOUT);
                    }
                    Sleep.awaitNanos(s.wake, left);
                }
            }
            return s.woken;
        } catch (RestartSyscall interrupted) {
            if (s.woken >= 0) {
                return s.woken;
            }
            unqueue(s);
            throw interrupted;
        }
    }

    // ---------------------------------------------------------------- FUTEX_WAIT, FUTEX_WAKE

    /**
     * futex_wait: sleeps while the word holds {@code val} (EAGAIN if it does not), until a
     * FUTEX_WAKE whose bitset meets {@code bitset}, the deadline, or a signal.
     */
    public static void wait(Task t, long uaddr, int val, int bitset, long deadline) {
        if (bitset == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Object key = key(t, uaddr);
        LOCK.lock();
        try {
            if (read(t, uaddr) != val) {
                throw ErrnoException.of(Errno.EAGAIN);
            }
            Sleeper s = new Sleeper(t);
            enqueue(new Waiter(key, bitset, 0, false, s));
            sleep(s, deadline);
        } finally {
            LOCK.unlock();
        }
    }

    /** futex_wake: wakes up to {@code nr} waiters (at least one) whose bitset meets {@code bitset}. */
    public static int wake(Task t, long uaddr, int nr, int bitset) {
        if (bitset == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Object key = key(t, uaddr);
        LOCK.lock();
        try {
            return wakeKey(key, nr, bitset);
        } finally {
            LOCK.unlock();
        }
    }

    private static int wakeKey(Object key, int nr, int bitset) {
        ArrayDeque<Waiter> q = QUEUES.get(key);
        if (q == null) {
            return 0;
        }
        int woken = 0;
        for (Waiter w : new ArrayList<>(q)) {
            if (w.pi) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if ((w.bitset & bitset) == 0 || w.sleeper.woken >= 0) {
                continue;
            }
            wakeUp(w, w.index);
            if (++woken >= nr) {
                break;
            }
        }
        return woken;
    }

    /**
     * futex_requeue: wakes {@code nrWake} waiters of uaddr and moves up to {@code nrRequeue} more
     * to uaddr2; with {@code cmp} non-null (FUTEX_CMP_REQUEUE) only if uaddr still holds it.
     * Returns woken plus requeued.
     */
    public static int requeue(Task t, long uaddr, long uaddr2, int nrWake, int nrRequeue, Integer cmp) {
        if (nrWake < 0 || nrRequeue < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Object key1 = key(t, uaddr);
        Object key2 = key(t, uaddr2);
        LOCK.lock();
        try {
            if (cmp != null && read(t, uaddr) != cmp) {
                throw ErrnoException.of(Errno.EAGAIN);
            }
            int woken = 0;
            int moved = 0;
            ArrayDeque<Waiter> q = QUEUES.get(key1);
            if (q != null) {
                for (Waiter w : new ArrayList<>(q)) {
                    if (woken + moved >= nrWake + nrRequeue && woken >= nrWake) {
                        break;
                    }
                    if (w.pi) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    if (woken < nrWake) {
                        wakeUp(w, w.index);
                        woken++;
                    } else if (moved < nrRequeue) {
                        if (!key1.equals(key2)) {
                            q.remove(w);
                            w.key = key2;
                            QUEUES.computeIfAbsent(key2, k -> new ArrayDeque<>()).add(w);
                        }
                        moved++;
                    } else {
                        break;
                    }
                }
                if (q.isEmpty()) {
                    QUEUES.remove(key1, q);
                }
            }
            return woken + moved;
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * futex_wake_op: atomically applies the encoded operation to the word at uaddr2, wakes
     * {@code nr1} waiters of uaddr, and {@code nr2} of uaddr2 if the old value passes the
     * encoded comparison.
     */
    public static int wakeOp(Task t, long uaddr, long uaddr2, int nr1, int nr2, int encoded) {
        int op = (encoded >>> 28) & 7;
        boolean shift = (encoded & (8 << 28)) != 0;
        int cmp = (encoded >>> 24) & 15;
        int oparg = (encoded << 8) >> 20;
        int cmparg = (encoded << 20) >> 20;
        if (shift) {
            oparg = 1 << (oparg & 31);
        }
        if (op > 4 || cmp > 5) {
            throw ErrnoException.of(Errno.ENOSYS);
        }
        Object key1 = key(t, uaddr);
        if ((uaddr2 & 3) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        LOCK.lock();
        try {
            int old;
            while (true) {
                old = read(t, uaddr2);
                int next = switch (op) {
                    case 0 -> oparg; // FUTEX_OP_SET
                    case 1 -> old + oparg; // FUTEX_OP_ADD
                    case 2 -> old | oparg; // FUTEX_OP_OR
                    case 3 -> old & ~oparg; // FUTEX_OP_ANDN
                    default -> old ^ oparg; // FUTEX_OP_XOR
                };
                if (cas(t, uaddr2, old, next)) {
                    break;
                }
            }
            Object key2 = key(t, uaddr2);
            int woken = wakeKey(key1, nr1, FUTEX_BITSET_MATCH_ANY);
            boolean pass = switch (cmp) {
                case 0 -> old == cmparg;
                case 1 -> old != cmparg;
                case 2 -> old < cmparg;
                case 3 -> old <= cmparg;
                case 4 -> old > cmparg;
                default -> old >= cmparg;
            };
            if (pass) {
                woken += wakeKey(key2, nr2, FUTEX_BITSET_MATCH_ANY);
            }
            return woken;
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * futex_waitv: waits on several words at once (each must still hold its value, else
     * EAGAIN); returns the index of the one that was woken.
     */
    public static int waitv(Task t, long[] uaddrs, int[] vals, long deadline) {
        Object[] keys = new Object[uaddrs.length];
        for (int i = 0; i < uaddrs.length; i++) {
            keys[i] = key(t, uaddrs[i]);
        }
        LOCK.lock();
        try {
            for (int i = 0; i < uaddrs.length; i++) {
                if (read(t, uaddrs[i]) != vals[i]) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
            }
            Sleeper s = new Sleeper(t);
            for (int i = 0; i < uaddrs.length; i++) {
                enqueue(new Waiter(keys[i], FUTEX_BITSET_MATCH_ANY, i, false, s));
            }
            return sleep(s, deadline);
        } finally {
            LOCK.unlock();
        }
    }

    // ---------------------------------------------------------------- PI futexes

    /**
     * futex_lock_pi: takes the lock word for the caller (its TID), sleeping behind the owner
     * otherwise; EDEADLK if the caller owns it, EAGAIN for a busy trylock, ESRCH for an owner
     * that does not exist.
     */
    public static void lockPi(Task t, long uaddr, long deadline, boolean trylock) {
        Object key = key(t, uaddr);
        int tid = t.tid();
        LOCK.lock();
        try {
            while (true) {
                int val = read(t, uaddr);
                int owner = val & FUTEX_TID_MASK;
                if (owner == 0) {
                    int waiters = QUEUES.containsKey(key) ? FUTEX_WAITERS : 0;
                    if (cas(t, uaddr, val, tid | (val & FUTEX_OWNER_DIED) | waiters)) {
                        return;
                    }
                    continue;
                }
                if (owner == tid) {
                    throw ErrnoException.of(Errno.EDEADLK);
                }
                if (trylock) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                if (Threads.findTask(t.kernel(), owner) == null) {
                    throw ErrnoException.of(Errno.ESRCH);
                }
                if ((val & FUTEX_WAITERS) == 0 && !cas(t, uaddr, val, val | FUTEX_WAITERS)) {
                    continue;
                }
                Sleeper s = new Sleeper(t);
                enqueue(new Waiter(key, FUTEX_BITSET_MATCH_ANY, 0, true, s));
                if (sleep(s, deadline) == HANDED_OFF) {
                    return;
                }
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** futex_unlock_pi: the owner gives the lock to its first waiter, or frees it; EPERM for a non-owner. */
    public static void unlockPi(Task t, long uaddr) {
        Object key = key(t, uaddr);
        int tid = t.tid();
        LOCK.lock();
        try {
            while (true) {
                int val = read(t, uaddr);
                if ((val & FUTEX_TID_MASK) != tid) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                Waiter next = firstPi(key);
                if (next == null) {
                    if (cas(t, uaddr, val, 0)) {
                        return;
                    }
                    continue;
                }
                if (cas(t, uaddr, val, FUTEX_WAITERS | next.sleeper.task.tid())) {
                    wakeUp(next, HANDED_OFF);
                    return;
                }
            }
        } finally {
            LOCK.unlock();
        }
    }

    private static Waiter firstPi(Object key) {
        ArrayDeque<Waiter> q = QUEUES.get(key);
        if (q != null) {
            for (Waiter w : q) {
                if (w.pi && w.sleeper.woken < 0) {
                    return w;
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- thread exit (mm_release)

    /**
     * exit_robust_list, then clear_child_tid: locks the dying thread holds get FUTEX_OWNER_DIED
     * and a waiter is woken; the TID word CLONE_CHILD_CLEARTID named is zeroed and woken (that
     * is how pthread_join learns of the exit). Runs on the dying task's own thread.
     */
    static void exitMm(Task t) {
        if (t.memory() == null) {
            return;
        }
        long head = t.robustListHead();
        if (head != 0) {
            try {
                exitRobustList(t, head);
            } catch (GuestFault | ErrnoException ignored) {
                // a corrupt list ends the walk, as get_user failing does
            }
        }
        long tidptr = t.clearChildTid();
        if (tidptr != 0) {
            t.setClearChildTid(0);
            try {
                mmu(t).write32(tidptr, 0);
                wake(t, tidptr, 1, FUTEX_BITSET_MATCH_ANY);
            } catch (GuestFault | ErrnoException ignored) {
                // put_user failing is ignored
            }
        }
    }

    /** struct robust_list_head { list.next; long futex_offset; list_op_pending; }; bit 0 of an entry marks PI. */
    private static void exitRobustList(Task t, long head) {
        Mmu m = mmu(t);
        long entry = m.read64(head);
        long offset = m.read64(head + 8);
        long pending = m.read64(head + 16);
        for (int limit = ROBUST_LIST_LIMIT; entry != head && limit > 0; limit--) {
            long next = m.read64(entry & ~1L);
            if ((entry & ~1L) != (pending & ~1L)) {
                handleDeath(t, (entry & ~1L) + offset, (entry & 1) != 0, false);
            }
            entry = next;
        }
        if (pending != 0) {
            handleDeath(t, (pending & ~1L) + offset, (pending & 1) != 0, true);
        }
    }

    /** handle_futex_death. */
    private static void handleDeath(Task t, long uaddr, boolean pi, boolean pendingOp) {
        if ((uaddr & 3) != 0) {
            return;
        }
        while (true) {
            int val = read(t, uaddr);
            if (pendingOp && !pi && val == 0) {
                wake(t, uaddr, 1, FUTEX_BITSET_MATCH_ANY);
                return;
            }
            if ((val & FUTEX_TID_MASK) != t.tid()) {
                return;
            }
            int dead = (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
            if (!cas(t, uaddr, val, dead)) {
                continue;
            }
            if ((val & FUTEX_WAITERS) != 0) {
                if (pi) {
                    wakePiRetry(t, uaddr);
                } else {
                    wake(t, uaddr, 1, FUTEX_BITSET_MATCH_ANY);
                }
            }
            return;
        }
    }

    /** The owner of a PI futex died: its first waiter tries again (and finds the owner gone). */
    private static void wakePiRetry(Task t, long uaddr) {
        Object key = key(t, uaddr);
        LOCK.lock();
        try {
            Waiter w = firstPi(key);
            if (w != null) {
                wakeUp(w, RETRY);
            }
        } finally {
            LOCK.unlock();
        }
    }
}
