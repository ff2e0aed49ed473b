package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.Task;

/**
 * futex(2) for single-threaded processes (kernel/futex/): there is no other thread to wake or to
 * be woken by, so FUTEX_WAKE wakes nobody and FUTEX_WAIT either finds the value changed
 * (EAGAIN) or sleeps until its timeout. glibc issues these on uncontended paths (lock release,
 * pthread_once). Guest threads (issue 5) replace this with real wait queues.
 */
final class FutexSyscalls {
    private FutexSyscalls() {}

    // include/uapi/linux/futex.h
    static final int FUTEX_WAIT = 0;
    static final int FUTEX_WAKE = 1;
    static final int FUTEX_WAIT_BITSET = 9;
    static final int FUTEX_WAKE_BITSET = 10;
    static final int FUTEX_PRIVATE_FLAG = 128;
    static final int FUTEX_CLOCK_REALTIME = 256;

    /**
     * futex(2): {@code long futex(uint32_t *uaddr, int futex_op, uint32_t val, const struct
     * timespec *timeout, uint32_t *uaddr2, uint32_t val3)}.
     */
    static long futex(Task task, SyscallArgs args) {
        long uaddr = args.pointer(0);
        int op = args.int32(1);
        int val = args.int32(2);
        long timeout = args.pointer(3);
        int val3 = args.int32(5);
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        if ((uaddr & 3) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        switch (cmd) {
            case FUTEX_WAKE, FUTEX_WAKE_BITSET -> {
                if (cmd == FUTEX_WAKE_BITSET && val3 == 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                return 0;
            }
            case FUTEX_WAIT, FUTEX_WAIT_BITSET -> {
                if (cmd == FUTEX_WAIT_BITSET && val3 == 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                if (task.memory().read32(uaddr) != val) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                long nanos = timeout == 0 ? Long.MAX_VALUE : TimeSyscalls.readTimespec(task, timeout);
                if (cmd == FUTEX_WAIT_BITSET && timeout != 0) {
                    nanos -= (op & FUTEX_CLOCK_REALTIME) != 0 ? System.currentTimeMillis() * 1_000_000L : System.nanoTime();
                }
                if (nanos > 0) {
                    try {
                        // Without a timeout nobody can ever wake this thread: it sleeps as on Linux.
                        Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw ErrnoException.of(Errno.EINTR);
                    }
                }
                throw ErrnoException.of(Errno.ETIMEDOUT);
            }
            default -> throw ErrnoException.of(Errno.ENOSYS);
        }
    }
}
