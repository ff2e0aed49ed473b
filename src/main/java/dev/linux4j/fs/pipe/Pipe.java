package dev.linux4j.fs.pipe;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.vfs.Sleep;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An anonymous pipe (fs/pipe.c): a ring buffer of 64 KiB by default, with blocking and
 * non-blocking reads and writes, writes of at most PIPE_BUF bytes kept atomic, EOF once every
 * writer is gone and EPIPE once every reader is, and O_DIRECT packet mode.
 *
 * <p>Locking: {@link #lock} guards every field; readers and writers wait on its conditions.
 */
public final class Pipe {
    public static final int PIPE_BUF = 4096;
    public static final int DEFAULT_SIZE = 16 * 4096;
    /** /proc/sys/fs/pipe-max-size's default. */
    public static final int MAX_SIZE = 1 << 20;

    private static final AtomicLong INODES = new AtomicLong(100000);

    final long inode = INODES.incrementAndGet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private byte[] ring = new byte[DEFAULT_SIZE];
    private int head;
    private int count;
    private int readers;
    private int writers;
    /** Packet lengths in O_DIRECT mode (one entry per write), in order. */
    private final ArrayDeque<Integer> packets = new ArrayDeque<>();

    Pipe() {}

    void open(boolean reader, boolean writer) {
        lock.lock();
        try {
            readers += reader ? 1 : 0;
            writers += writer ? 1 : 0;
        } finally {
            lock.unlock();
        }
    }

    void close(boolean reader, boolean writer) {
        lock.lock();
        try {
            readers -= reader ? 1 : 0;
            writers -= writer ? 1 : 0;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        Sleep.wakePollers();
    }

    /** pipe_read: blocks while empty and written to; 0 at EOF; EAGAIN when non-blocking. */
    int read(byte[] buf, int off, int len, boolean nonblock, boolean packet) {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (count == 0) {
                if (writers == 0) {
                    return 0;
                }
                if (nonblock) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Sleep.await(readable);
            }
            int n;
            if (!packets.isEmpty()) {
                int size = packets.poll();
                n = Math.min(size, len);
                copyOut(buf, off, n);
                skip(size - n); // the rest of the packet is discarded
            } else {
                n = Math.min(count, len);
                copyOut(buf, off, n);
            }
            writable.signalAll();
            return n;
        } finally {
            lock.unlock();
            Sleep.wakePollers();
        }
    }

    /**
     * pipe_write: EPIPE without readers; writes of at most PIPE_BUF bytes wait for room for all
     * of it; larger ones go in pieces, returning what was written if interrupted after a piece.
     */
    int write(byte[] buf, int off, int len, boolean nonblock, boolean packet) {
        if (len == 0) {
            return 0;
        }
        int written = 0;
        lock.lock();
        try {
            while (written < len) {
                if (readers == 0) {
                    if (written > 0) {
                        return written;
                    }
                    throw ErrnoException.of(Errno.EPIPE);
                }
                int room = ring.length - count;
                int want = len - written;
                boolean atomic = len <= PIPE_BUF;
                int chunk = packet ? Math.min(want, PIPE_BUF) : want;
                if (room == 0 || (atomic || packet) && room < chunk) {
                    if (nonblock) {
                        if (written > 0) {
                            return written;
                        }
                        throw ErrnoException.of(Errno.EAGAIN);
                    }
                    try {
                        Sleep.await(writable);
                    } catch (RuntimeException interrupted) {
                        if (written > 0) {
                            return written;
                        }
                        throw interrupted;
                    }
                    continue;
                }
                int n = Math.min(room, chunk);
                copyIn(buf, off + written, n);
                if (packet) {
                    packets.add(n);
                }
                written += n;
                readable.signalAll();
                Sleep.wakePollers();
            }
            return written;
        } finally {
            lock.unlock();
        }
    }

    private void copyOut(byte[] buf, int off, int n) {
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, buf, off, first);
        System.arraycopy(ring, 0, buf, off + first, n - first);
        skip(n);
    }

    private void skip(int n) {
        head = (head + n) % ring.length;
        count -= n;
        if (count == 0) {
            head = 0;
        }
    }

    private void copyIn(byte[] buf, int off, int n) {
        int tail = (head + count) % ring.length;
        int first = Math.min(n, ring.length - tail);
        System.arraycopy(buf, off, ring, tail, first);
        System.arraycopy(buf, off + first, ring, 0, n - first);
        count += n;
    }

    /** poll: {readable, writable, no writers, no readers}. */
    boolean[] state() {
        lock.lock();
        try {
            return new boolean[] {count > 0, ring.length - count >= PIPE_BUF || ring.length - count > 0
                    && count == 0, writers == 0, readers == 0};
        } finally {
            lock.unlock();
        }
    }

    /** FIONREAD. */
    int available() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return ring.length;
        } finally {
            lock.unlock();
        }
    }

    /** F_SETPIPE_SZ: a power-of-two number of pages, EPERM above the maximum, EBUSY below the contents. */
    int resize(long requested) {
        if (requested <= 0 || requested > MAX_SIZE) {
            throw ErrnoException.of(requested <= 0 ? Errno.EINVAL : Errno.EPERM);
        }
        int size = Math.max(4096, Integer.highestOneBit((int) requested - 1) << 1);
        lock.lock();
        try {
            if (size < count) {
                throw ErrnoException.of(Errno.EBUSY);
            }
            byte[] fresh = new byte[size];
            int n = count;
            copyOut(fresh, 0, n);
            ring = fresh;
            head = 0;
            count = n;
            writable.signalAll();
            return size;
        } finally {
            lock.unlock();
        }
    }
}
