package dev.linux4j.fs.anon;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.EventFds;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.Sleep;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A timerfd (fs/timerfd.c, timerfd_create(2)): a timer whose expirations are counted and read
 * as a 64-bit number. Times are kept on the host's monotonic clock: an absolute setting is
 * turned into a delay from now on its own clock once, when it is set (clock_settime does not
 * exist inside the sandbox, so no clock jumps afterwards). Expirations are counted from the
 * time when read, so none is lost or late; a thread on the clock only wakes pollers and
 * readers when one is due.
 *
 * <p>Locking: {@link #lock} guards the timer's state.
 */
public final class TimerFd extends AnonInode {
    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "linux4j timerfd");
        t.setDaemon(true);
        return t;
    });

    private final int clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition expired = lock.newCondition();
    /** When the next expiration is due (System.nanoTime), while armed. */
    private long next;
    private long interval;
    private boolean armed;
    /** Expirations counted but not read yet. */
    private long ticks;
    /** Expirations counted in all: each is a wake-up (EPOLLIN) for edge-triggered epoll. */
    private long expirations;
    private ScheduledFuture<?> wakeUp;

    private TimerFd(int clock) {
        super("[timerfd]");
        this.clock = clock;
    }

    /** timerfd_create's file on clock {@code clock}: O_RDWR, with O_NONBLOCK from {@code flags}. */
    public static FileDescription create(int clock, int flags) {
        return new FileDescription(new TimerFd(clock), Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK), "anon_inode:[timerfd]",
                null);
    }

    /** The clock id it was created on (absolute settings are times of it). */
    public int clock() {
        return clock;
    }

    /** The timer behind an open file, or EINVAL when it is not a timerfd (timerfd_fget). */
    public static TimerFd of(FileDescription file) {
        if (file.ops() instanceof TimerFd t) {
            return t;
        }
        throw ErrnoException.of(Errno.EINVAL);
    }

    /** Counts the expirations due by now (the lock held). */
    private void advance(long now) {
        if (armed && now - next >= 0) {
            if (interval > 0) {
                long n = (now - next) / interval + 1;
                ticks += n;
                expirations++;
                next += n * interval;
            } else {
                ticks++;
                expirations++;
                armed = false;
            }
        }
    }

    /** {it_interval, it_value} in nanoseconds: the time left to the next expiration (0 when disarmed). */
    public long[] get() {
        lock.lock();
        try {
            long now = System.nanoTime();
            advance(now);
            return new long[] {interval, armed ? Math.max(1, next - now) : 0};
        } finally {
            lock.unlock();
        }
    }

    /**
     * timerfd_settime: arms the timer to expire in {@code delay} nanoseconds (disarms it when
     * {@code disarm}) and then every {@code interval}; unread expirations are dropped. Returns
     * the old setting as {@link #get} does.
     */
    public long[] set(boolean disarm, long delay, long interval) {
        lock.lock();
        try {
            long[] old = get();
            ticks = 0;
            if (wakeUp != null) {
                wakeUp.cancel(false);
                wakeUp = null;
            }
            this.interval = disarm ? 0 : interval;
            armed = !disarm;
            if (armed) {
                next = System.nanoTime() + Math.max(0, delay);
                schedule();
            }
            return old;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes pollers and readers when the next expiration is due (the lock held). */
    private void schedule() {
        long delay = Math.max(0, next - System.nanoTime());
        wakeUp = CLOCK.schedule(this::due, delay, TimeUnit.NANOSECONDS);
    }

    private void due() {
        lock.lock();
        try {
            advance(System.nanoTime());
            expired.signalAll();
            if (armed && interval > 0) {
                schedule();
            } else {
                wakeUp = null;
            }
        } finally {
            lock.unlock();
        }
        Sleep.wakePollers();
    }

    /** timerfd_read: EINVAL under 8 bytes; blocks (or EAGAIN) until an expiration is due; returns and clears the count. */
    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        if (len < 8) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long value;
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                advance(now);
                if (ticks != 0) {
                    break;
                }
                if ((file.flags() & Fcntl.O_NONBLOCK) != 0) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                if (armed) {
                    Sleep.awaitNanos(expired, next - now);
                } else {
                    Sleep.await(expired);
                }
            }
            value = ticks;
            ticks = 0;
        } finally {
            lock.unlock();
        }
        putCount(buf, off, value);
        return 8;
    }

    /** timerfd_poll: EPOLLIN while an expiration is unread. */
    @Override
    public int poll(FileDescription file) {
        lock.lock();
        try {
            advance(System.nanoTime());
            return ticks != 0 ? EventFds.EPOLLIN : 0;
        } finally {
            lock.unlock();
        }
    }

    /** timerfd_tmrproc wakes with EPOLLIN at each expiration. */
    @Override
    public long pollWakeups(FileDescription file, int events) {
        lock.lock();
        try {
            advance(System.nanoTime());
            return (events & EventFds.EPOLLIN) != 0 ? expirations : 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean readReady(FileDescription file) {
        return poll(file) != 0;
    }

    @Override
    public void release(FileDescription file) {
        lock.lock();
        try {
            if (wakeUp != null) {
                wakeUp.cancel(false);
                wakeUp = null;
            }
            armed = false;
        } finally {
            lock.unlock();
        }
    }
}
