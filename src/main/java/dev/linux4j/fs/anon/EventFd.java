package dev.linux4j.fs.anon;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.EventFds;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.Sleep;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An eventfd (fs/eventfd.c, eventfd(2)): a 64-bit counter. read(2) returns it and resets it to
 * zero (EFD_SEMAPHORE: returns 1 and decrements it), blocking while it is zero; write(2) adds to
 * it, blocking while the sum would exceed 0xfffffffffffffffe.
 *
 * <p>Locking: {@link #lock} guards {@link #count}.
 */
public final class EventFd extends AnonInode {
    /** ULLONG_MAX - 1, the largest value the counter holds. */
    private static final long MAX = -2L;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final boolean semaphore;
    private long count;
    /** Wake-ups sent to readers (by writes) and to writers (by reads), for edge-triggered epoll. */
    private long inWakeups;
    private long outWakeups;

    private EventFd(long initval, boolean semaphore) {
        super("[eventfd]");
        this.count = initval;
        this.semaphore = semaphore;
    }

    /** eventfd2's file: O_RDWR, with O_NONBLOCK from {@code flags}. */
    public static FileDescription create(long initval, int flags) {
        EventFd e = new EventFd(initval, (flags & EventFds.EFD_SEMAPHORE) != 0);
        return new FileDescription(e, Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK), "anon_inode:[eventfd]", null);
    }

    /** eventfd_read: EINVAL for fewer than 8 bytes; blocks (or EAGAIN) while the counter is zero. */
    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        if (len < 8) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long value;
        lock.lock();
        try {
            while (count == 0) {
                if ((file.flags() & Fcntl.O_NONBLOCK) != 0) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Sleep.await(changed);
            }
            value = semaphore ? 1 : count;
            count -= value;
            outWakeups++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Sleep.wakePollers();
        putCount(buf, off, value);
        return 8;
    }

    /**
     * eventfd_write: EINVAL unless exactly 8 bytes are written (Linux 6.18 here refuses 9 and 16
     * too) or for the value 0xffffffffffffffff; blocks (or EAGAIN) while adding it would pass
     * 0xfffffffffffffffe.
     */
    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        if (len != 8) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (buf[off + i] & 0xffL) << (8 * i);
        }
        if (value == -1L) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        lock.lock();
        try {
            while (Long.compareUnsigned(value, MAX - count) > 0) {
                if ((file.flags() & Fcntl.O_NONBLOCK) != 0) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Sleep.await(changed);
            }
            count += value;
            inWakeups++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Sleep.wakePollers();
        return 8;
    }

    /** eventfd_write wakes with EPOLLIN, eventfd_read with EPOLLOUT. */
    @Override
    public long pollWakeups(FileDescription file, int events) {
        lock.lock();
        try {
            return ((events & EventFds.EPOLLIN) != 0 ? inWakeups : 0) + ((events & EventFds.EPOLLOUT) != 0 ? outWakeups : 0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean readReady(FileDescription file) {
        return (poll(file) & EventFds.EPOLLIN) != 0;
    }

    /**
     * eventfd_poll: EPOLLIN while the counter is above zero, EPOLLOUT while it is below the
     * maximum (and neither RDNORM nor WRNORM, as Linux reports).
     */
    @Override
    public int poll(FileDescription file) {
        lock.lock();
        try {
            int mask = 0;
            if (count != 0) {
                mask |= EventFds.EPOLLIN;
            }
            if (Long.compareUnsigned(count, MAX) < 0) {
                mask |= EventFds.EPOLLOUT;
            }
            return mask;
        } finally {
            lock.unlock();
        }
    }
}
