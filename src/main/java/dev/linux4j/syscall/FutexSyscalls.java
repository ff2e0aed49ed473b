package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.Futex;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.RestartSyscall;

/**
 * futex(2) and futex_waitv(2) (kernel/futex/syscalls.c): decoding of the operation, its flags
 * and timeout; the wait queues are {@link Futex}.
 */
final class FutexSyscalls {
    private FutexSyscalls() {}

    // include/uapi/linux/futex.h
    static final int FUTEX_WAIT = 0;
    static final int FUTEX_WAKE = 1;
    static final int FUTEX_FD = 2;
    static final int FUTEX_REQUEUE = 3;
    static final int FUTEX_CMP_REQUEUE = 4;
    static final int FUTEX_WAKE_OP = 5;
    static final int FUTEX_LOCK_PI = 6;
    static final int FUTEX_UNLOCK_PI = 7;
    static final int FUTEX_TRYLOCK_PI = 8;
    static final int FUTEX_WAIT_BITSET = 9;
    static final int FUTEX_WAKE_BITSET = 10;
    static final int FUTEX_WAIT_REQUEUE_PI = 11;
    static final int FUTEX_CMP_REQUEUE_PI = 12;
    static final int FUTEX_LOCK_PI2 = 13;
    static final int FUTEX_PRIVATE_FLAG = 128;
    static final int FUTEX_CLOCK_REALTIME = 256;

    /** futex_waitv's flags: FUTEX2_SIZE_U32 and FUTEX2_PRIVATE. */
    private static final int FUTEX2_SIZE_U32 = 0x02;
    private static final int FUTEX2_SIZE_MASK = 0x03;
    private static final int FUTEX2_PRIVATE = 128;
    private static final int FUTEX_WAITV_MAX = 128;

    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_MONOTONIC = 1;

    /**
     * futex(2): {@code long futex(uint32_t *uaddr, int futex_op, uint32_t val, const struct
     * timespec *timeout, uint32_t *uaddr2, uint32_t val3)}.
     */
    static long futex(Task task, SyscallArgs args) {
        long uaddr = args.pointer(0);
        int op = args.int32(1);
        int val = args.int32(2);
        long timeout = args.pointer(3);
        long uaddr2 = args.pointer(4);
        int val3 = args.int32(5);
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        boolean realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
        if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2) {
            throw ErrnoException.of(Errno.ENOSYS);
        }
        int val2 = (int) timeout; // the operations without a timeout take a count there
        switch (cmd) {
            case FUTEX_WAIT, FUTEX_WAIT_BITSET -> {
                int bitset = cmd == FUTEX_WAIT ? Futex.FUTEX_BITSET_MATCH_ANY : val3;
                if (bitset == 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                long deadline = Futex.FOREVER;
                if (timeout != 0) {
                    long t = TimeSyscalls.readTimespec(task, timeout);
                    deadline = cmd == FUTEX_WAIT ? relative(t) : absolute(task, t, realtime);
                }
                return waitRestartable(task, uaddr, val, bitset, deadline, timeout != 0);
            }
            case FUTEX_WAKE -> {
                return Futex.wake(task, uaddr, val, Futex.FUTEX_BITSET_MATCH_ANY);
            }
            case FUTEX_WAKE_BITSET -> {
                return Futex.wake(task, uaddr, val, val3);
            }
            case FUTEX_REQUEUE -> {
                return Futex.requeue(task, uaddr, uaddr2, val, val2, null);
            }
            case FUTEX_CMP_REQUEUE -> {
                return Futex.requeue(task, uaddr, uaddr2, val, val2, val3);
            }
            case FUTEX_WAKE_OP -> {
                return Futex.wakeOp(task, uaddr, uaddr2, val, val2, val3);
            }
            case FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_TRYLOCK_PI -> {
                long deadline = Futex.FOREVER;
                if (timeout != 0 && cmd != FUTEX_TRYLOCK_PI) {
                    // LOCK_PI's timeout is absolute on CLOCK_REALTIME; LOCK_PI2's on the chosen clock.
                    deadline = absolute(task, TimeSyscalls.readTimespec(task, timeout), cmd == FUTEX_LOCK_PI || realtime);
                }
                try {
                    Futex.lockPi(task, uaddr, deadline, cmd == FUTEX_TRYLOCK_PI);
                } catch (RestartSyscall interrupted) {
                    throw RestartSyscall.ERESTARTNOINTR;
                }
                return 0;
            }
            case FUTEX_UNLOCK_PI -> {
                Futex.unlockPi(task, uaddr);
                return 0;
            }
            default -> throw ErrnoException.of(Errno.ENOSYS);
        }
    }

    /**
     * A wait that a signal interrupts: without a timeout ERESTARTSYS (EINTR for a handler without
     * SA_RESTART); with one ERESTART_RESTARTBLOCK, restart_syscall resuming with the same deadline.
     */
    private static long waitRestartable(Task task, long uaddr, int val, int bitset, long deadline, boolean timed) {
        try {
            Futex.wait(task, uaddr, val, bitset, deadline);
            return 0;
        } catch (RestartSyscall interrupted) {
            if (!timed) {
                throw interrupted;
            }
            task.setRestartBlock(t -> waitRestartable(t, uaddr, val, bitset, deadline, true));
            throw RestartSyscall.ERESTART_RESTARTBLOCK;
        }
    }

    /** A relative timeout as a {@link System#nanoTime} deadline. */
    private static long relative(long nanos) {
        long now = System.nanoTime();
        return nanos >= Futex.FOREVER - now ? Futex.FOREVER : now + nanos;
    }

    /** An absolute time on CLOCK_REALTIME or CLOCK_MONOTONIC as a {@link System#nanoTime} deadline. */
    private static long absolute(Task task, long abs, boolean realtime) {
        long left = abs - TimeSyscalls.now(task, realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC);
        return left <= 0 ? System.nanoTime() : relative(left);
    }

    /**
     * futex_waitv(2): {@code long futex_waitv(struct futex_waitv *waiters, unsigned int
     * nr_futexes, unsigned int flags, struct timespec *timeout, clockid_t clockid)} — struct
     * futex_waitv { u64 val; u64 uaddr; u32 flags; u32 __reserved; }. Returns the index woken.
     */
    static long futexWaitv(Task task, SyscallArgs args) {
        long waiters = args.pointer(0);
        long nr = args.uint32(1);
        long flags = args.uint32(2);
        long timeout = args.pointer(3);
        int clock = args.int32(4);
        if (flags != 0 || nr == 0 || nr > FUTEX_WAITV_MAX || waiters == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long deadline = Futex.FOREVER;
        if (timeout != 0) {
            if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            deadline = absolute(task, TimeSyscalls.readTimespec(task, timeout), clock == CLOCK_REALTIME);
        }
        long[] uaddrs = new long[(int) nr];
        int[] vals = new int[(int) nr];
        for (int i = 0; i < nr; i++) {
            long at = waiters + 24L * i;
            long v = task.memory().read64(at);
            long addr = task.memory().read64(at + 8);
            int f = task.memory().read32(at + 16);
            int reserved = task.memory().read32(at + 20);
            if (reserved != 0 || (f & ~(FUTEX2_SIZE_MASK | FUTEX2_PRIVATE)) != 0
                    || (f & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32 || (v >>> 32) != 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            uaddrs[i] = addr;
            vals[i] = (int) v;
        }
        return Futex.waitv(task, uaddrs, vals, deadline);
    }
}
