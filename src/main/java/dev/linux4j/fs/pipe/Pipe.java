package dev.linux4j.fs.pipe;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.vfs.Sleep;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An anonymous pipe (fs/pipe.c): a ring of page-sized buffers (16 slots, 64 KiB, by default),
 * with blocking and non-blocking reads and writes, EOF once every writer is gone and EPIPE once
 * every reader is, and O_DIRECT packet mode. As on Linux, write(2) merges into the last buffer
 * only the part of a write that does not fill a page, so a write of at most PIPE_BUF bytes is
 * atomic; splice(2), tee(2) and vmsplice(2) add buffers of their own, never merged into.
 *
 * <p>Locking: {@link #lock} guards every field; readers and writers wait on its conditions. The
 * pipe-to-pipe transfers take both locks in inode order (Linux's pipe_double_lock).
 */
public final class Pipe {
    public static final int PIPE_BUF = 4096;
    public static final int PAGE_SIZE = 4096;
    public static final int DEFAULT_SIZE = 16 * PAGE_SIZE;
    /** /proc/sys/fs/pipe-max-size's default. */
    public static final int MAX_SIZE = 1 << 20;

    private static final AtomicLong INODES = new AtomicLong(100000);

    /**
     * A pipe_buffer: {@code len} bytes at {@code offset} of a page. Pages may be shared between
     * buffers of several pipes after tee(2); only the bytes a buffer covers are its own.
     */
    private static final class Buffer {
        final byte[] page;
        int offset;
        int len;
        /** PIPE_BUF_FLAG_CAN_MERGE: write(2) may append to it. */
        boolean canMerge;
        /** PIPE_BUF_FLAG_PACKET: an O_DIRECT write; a read takes it whole, discarding the rest. */
        final boolean packet;

        Buffer(byte[] page, int offset, int len, boolean canMerge, boolean packet) {
            this.page = page;
            this.offset = offset;
            this.len = len;
            this.canMerge = canMerge;
            this.packet = packet;
        }
    }

    /** Where splice(2) and vmsplice(2) get the bytes they add (a file, guest memory). */
    @FunctionalInterface
    public interface Source {
        /** Fills {@code buf[off..off+want)} as far as it can; fewer bytes at end of file. */
        int fill(byte[] buf, int off, int want);
    }

    /** Where splice(2) and vmsplice(2) put the bytes they take out of the pipe. */
    @FunctionalInterface
    public interface Sink {
        /** Takes up to {@code len} bytes of {@code data}; returns how many it took. */
        int drain(byte[] data, int len);
    }

    final long inode = INODES.incrementAndGet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final ArrayDeque<Buffer> bufs = new ArrayDeque<>();
    /** pipe->max_usage: the number of slots. */
    private int maxUsage = DEFAULT_SIZE / PAGE_SIZE;
    /** The bytes held by all buffers. */
    private int bytes;
    private int readers;
    /** Wake-ups of readers and of writers so far (for {@link PipeEnd#pollWakeups}). */
    private long inWakeups;
    private long outWakeups;
    private int writers;

    /** A pipe with no ends open yet ({@link #open} counts them). */
    public Pipe() {}

    /** The pipefs inode number, as fstat and /proc/PID/fd show it. */
    public long inode() {
        return inode;
    }

    public void open(boolean reader, boolean writer) {
        lock.lock();
        try {
            readers += reader ? 1 : 0;
            writers += writer ? 1 : 0;
        } finally {
            lock.unlock();
        }
    }

    public void close(boolean reader, boolean writer) {
        lock.lock();
        try {
            readers -= reader ? 1 : 0;
            writers -= writer ? 1 : 0;
            wakeReaders();
            wakeWriters();
        } finally {
            lock.unlock();
        }
        Sleep.wakePollers();
    }

    private boolean full() {
        return bufs.size() >= maxUsage;
    }

    /**
     * pipe_read: blocks while empty and written to; 0 at EOF; EAGAIN when non-blocking. Takes
     * bytes from successive buffers; a packet buffer ends the read, its unread rest discarded.
     */
    public int read(byte[] buf, int off, int len, boolean nonblock) {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            awaitData(nonblock);
            if (bufs.isEmpty()) {
                return 0;
            }
            int n = 0;
            while (n < len && !bufs.isEmpty()) {
                Buffer b = bufs.peekFirst();
                int chars = Math.min(b.len, len - n);
                System.arraycopy(b.page, b.offset, buf, off + n, chars);
                n += chars;
                if (b.packet) {
                    consumeFirst(b.len);
                    break;
                }
                consumeFirst(chars);
            }
            wakeWriters();
            return n;
        } finally {
            lock.unlock();
            Sleep.wakePollers();
        }
    }

    /**
     * Copies what {@link #read} would return without taking it (a socket's MSG_PEEK): waits the
     * same way, and stops at the end of a packet.
     */
    public int peek(byte[] buf, int off, int len, boolean nonblock) {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            awaitData(nonblock);
            int n = 0;
            for (Buffer b : bufs) {
                if (n == len) {
                    break;
                }
                int chars = Math.min(b.len, len - n);
                System.arraycopy(b.page, b.offset, buf, off + n, chars);
                n += chars;
                if (b.packet) {
                    break;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the pipe has data (true) or no writers (false, end of file): EAGAIN when
     * non-blocking, ERESTARTSYS on a signal. For a socket's receive queue, whose messages may be
     * empty.
     */
    public boolean await(boolean nonblock) {
        lock.lock();
        try {
            awaitData(nonblock);
            return !bufs.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A socket's next message, the first buffer whole (see {@link #writeMessage}), taken unless
     * {@code peek}; null when the pipe is empty. Never waits.
     */
    public byte[] takeMessage(boolean peek) {
        lock.lock();
        try {
            Buffer b = bufs.peekFirst();
            if (b == null) {
                return null;
            }
            byte[] message = Arrays.copyOfRange(b.page, b.offset, b.offset + b.len);
            if (!peek) {
                consumeFirst(b.len);
                wakeWriters();
            }
            return message;
        } finally {
            lock.unlock();
            if (!peek) {
                Sleep.wakePollers();
            }
        }
    }

    /**
     * Adds one message of any length, empty ones too, as a single packet buffer: a datagram or
     * seqpacket socket's queue, which Linux keeps as one sk_buff per message. Waits for a free
     * slot and for the bytes to fit the pipe's size (a message larger than the size goes into
     * an empty pipe): EPIPE without readers, EAGAIN when non-blocking.
     */
    public void writeMessage(byte[] buf, int off, int len, boolean nonblock) {
        lock.lock();
        try {
            while (true) {
                awaitRoom(nonblock);
                if (bufs.isEmpty() || bytes + len <= maxUsage * PAGE_SIZE) {
                    break;
                }
                if (nonblock) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Sleep.await(writable);
            }
            bufs.addLast(new Buffer(Arrays.copyOfRange(buf, off, off + len), 0, len, false, true));
            bytes += len;
            wakeReaders();
        } finally {
            lock.unlock();
        }
        Sleep.wakePollers();
    }

    /** The first buffer's length: a socket's next message (its SIOCINQ); 0 when empty. */
    public int firstLength() {
        lock.lock();
        try {
            Buffer b = bufs.peekFirst();
            return b == null ? 0 : b.len;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, the lock held, until the pipe has data or no writers (ipipe_prep, and the wait of
     * pipe_read and splice_from_pipe_next): EAGAIN when non-blocking, ERESTARTSYS on a signal.
     */
    private void awaitData(boolean nonblock) {
        while (bufs.isEmpty()) {
            if (writers == 0) {
                return;
            }
            if (nonblock) {
                throw ErrnoException.of(Errno.EAGAIN);
            }
            Sleep.await(readable);
        }
    }

    /** Waits, the lock held, for a free slot (wait_for_space, opipe_prep): EPIPE without readers. */
    private void awaitRoom(boolean nonblock) {
        while (true) {
            if (readers == 0) {
                throw ErrnoException.of(Errno.EPIPE);
            }
            if (!full()) {
                return;
            }
            if (nonblock) {
                throw ErrnoException.of(Errno.EAGAIN);
            }
            Sleep.await(writable);
        }
    }

    private void consumeFirst(int n) {
        Buffer b = bufs.peekFirst();
        b.offset += n;
        b.len -= n;
        bytes -= n;
        if (b.len == 0 || b.packet) {
            bytes -= b.len;
            bufs.pollFirst();
        }
    }

    /**
     * pipe_write: EPIPE without readers. The part of the write beyond whole pages is merged
     * into the last buffer when it fits there; the rest goes into new buffers of a page each,
     * waiting for free slots (EAGAIN when non-blocking), returning what was written when a
     * signal or a full non-blocking pipe stops it after a piece.
     */
    public int write(byte[] buf, int off, int len, boolean nonblock, boolean packet) {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            if (readers == 0) {
                throw ErrnoException.of(Errno.EPIPE);
            }
            int written = 0;
            int chars = len & (PAGE_SIZE - 1);
            Buffer last = bufs.peekLast();
            if (chars != 0 && last != null && last.canMerge && last.offset + last.len + chars <= PAGE_SIZE) {
                System.arraycopy(buf, off, last.page, last.offset + last.len, chars);
                last.len += chars;
                bytes += chars;
                written = chars;
                wakeReaders();
                Sleep.wakePollers();
            }
            while (written < len) {
                if (readers == 0) {
                    if (written > 0) {
                        return written;
                    }
                    throw ErrnoException.of(Errno.EPIPE);
                }
                if (!full()) {
                    int n = Math.min(PAGE_SIZE, len - written);
                    byte[] page = new byte[PAGE_SIZE];
                    System.arraycopy(buf, off + written, page, 0, n);
                    bufs.addLast(new Buffer(page, 0, n, !packet, packet));
                    bytes += n;
                    written += n;
                    wakeReaders();
                    Sleep.wakePollers();
                    continue;
                }
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
            }
            return written;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds bytes to the pipe as splice(2) from a file (filemap_splice_read) and vmsplice(2)
     * (iter_to_pipe) do: after waiting for one free slot (wait_for_space: EPIPE without
     * readers, EAGAIN when non-blocking), each segment {@code {address, length}} becomes
     * buffers that end at page boundaries of its address, until the segments or the free
     * slots run out or {@code source} comes up short. Returns the bytes added.
     */
    public int spliceIn(long[][] segments, boolean nonblock, Source source) {
        lock.lock();
        try {
            awaitRoom(nonblock);
            int total = 0;
            byte[] page = null;
            try {
                for (long[] seg : segments) {
                    long addr = seg[0];
                    long left = seg[1];
                    while (left > 0 && !full()) {
                        int in = (int) (addr & (PAGE_SIZE - 1));
                        int want = (int) Math.min(PAGE_SIZE - in, left);
                        page = new byte[PAGE_SIZE];
                        int n = 0;
                        while (n < want) {
                            int got = source.fill(page, in + n, want - n);
                            if (got <= 0) {
                                break;
                            }
                            n += got;
                        }
                        if (n > 0) {
                            bufs.addLast(new Buffer(page, in, n, false, false));
                            bytes += n;
                            total += n;
                        }
                        if (n < want) {
                            return total;
                        }
                        addr += n;
                        left -= n;
                    }
                    if (full()) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                if (total == 0) {
                    throw e;
                }
            }
            return total;
        } finally {
            if (!bufs.isEmpty()) {
                wakeReaders();
            }
            lock.unlock();
            Sleep.wakePollers();
        }
    }

    /**
     * Takes bytes out of the pipe as splice(2) to a file and vmsplice(2) to memory do
     * (splice_from_pipe_next, __splice_from_pipe): waits for data (0 without writers, EAGAIN
     * when non-blocking), hands {@code sink} all there is up to {@code len} and removes what it
     * took. The lock stays held meanwhile, as Linux holds the pipe's mutex.
     */
    public int spliceOut(int len, boolean nonblock, Sink sink) {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            awaitData(nonblock);
            if (bufs.isEmpty()) {
                return 0;
            }
            byte[] data = new byte[Math.min(len, bytes)];
            int n = 0;
            for (Buffer b : bufs) {
                int chars = Math.min(b.len, data.length - n);
                System.arraycopy(b.page, b.offset, data, n, chars);
                n += chars;
                if (n == data.length) {
                    break;
                }
            }
            int taken = sink.drain(data, n);
            int left = taken;
            while (left > 0) {
                int chars = Math.min(bufs.peekFirst().len, left);
                Buffer b = bufs.peekFirst();
                b.offset += chars;
                b.len -= chars;
                bytes -= chars;
                if (b.len == 0) {
                    bufs.pollFirst();
                }
                left -= chars;
            }
            if (taken > 0) {
                wakeWriters();
            }
            return taken;
        } finally {
            lock.unlock();
            Sleep.wakePollers();
        }
    }

    /**
     * splice(2) between two pipes (splice_pipe_to_pipe), or tee(2) when {@code keep}
     * (link_pipe): first waits for input (ipipe_prep) then for output room (opipe_prep), then
     * moves (or, for tee, duplicates) whole buffers, the last cut to what is left of {@code
     * len}, until the input, the output's free slots or {@code len} run out. EPIPE when the
     * output has no readers. splice starts again when another task emptied the input or filled
     * the output in between; tee returns 0 then.
     */
    public static int transfer(Pipe in, Pipe out, int len, boolean nonblock, boolean keep) {
        while (true) {
            in.lock.lock();
            try {
                in.awaitData(nonblock);
            } finally {
                in.lock.unlock();
            }
            out.lock.lock();
            try {
                while (out.full()) {
                    if (out.readers == 0) {
                        throw ErrnoException.of(Errno.EPIPE);
                    }
                    if (nonblock) {
                        throw ErrnoException.of(Errno.EAGAIN);
                    }
                    Sleep.await(out.writable);
                }
            } finally {
                out.lock.unlock();
            }
            Pipe first = in.inode < out.inode ? in : out;
            Pipe second = first == in ? out : in;
            int ret = 0;
            boolean retry = false;
            first.lock.lock();
            second.lock.lock();
            try {
                List<Buffer> inputs = keep ? new ArrayList<>(in.bufs) : null;
                int next = 0;
                int left = len;
                while (left > 0) {
                    if (out.readers == 0) {
                        if (ret == 0) {
                            throw ErrnoException.of(Errno.EPIPE);
                        }
                        break;
                    }
                    boolean inputEmpty = keep ? next == inputs.size() : in.bufs.isEmpty();
                    if (keep && (inputEmpty || out.full())) {
                        break;
                    }
                    if (inputEmpty && in.writers == 0) {
                        break;
                    }
                    if (inputEmpty || out.full()) {
                        if (ret > 0) {
                            break;
                        }
                        if (nonblock) {
                            throw ErrnoException.of(Errno.EAGAIN);
                        }
                        retry = true;
                        break;
                    }
                    Buffer ib = keep ? inputs.get(next++) : in.bufs.peekFirst();
                    Buffer ob;
                    if (keep) {
                        ob = new Buffer(ib.page, ib.offset, Math.min(ib.len, left), false, ib.packet);
                    } else if (left >= ib.len) {
                        ob = in.bufs.pollFirst();
                        in.bytes -= ob.len;
                    } else {
                        ob = new Buffer(ib.page, ib.offset, left, false, ib.packet);
                        ib.offset += left;
                        ib.len -= left;
                        in.bytes -= left;
                    }
                    out.bufs.addLast(ob);
                    out.bytes += ob.len;
                    ret += ob.len;
                    left -= ob.len;
                }
            } finally {
                if (ret > 0) {
                    out.wakeReaders();
                    if (!keep) {
                        in.wakeWriters();
                    }
                }
                second.lock.unlock();
                first.lock.unlock();
                if (ret > 0) {
                    Sleep.wakePollers();
                }
            }
            if (!retry) {
                return ret;
            }
        }
    }

    /** Wakes readers (the lock held): a wake-up with EPOLLIN for edge-triggered epoll. */
    private void wakeReaders() {
        inWakeups++;
        readable.signalAll();
    }

    /** Wakes writers (the lock held): a wake-up with EPOLLOUT for edge-triggered epoll. */
    private void wakeWriters() {
        outWakeups++;
        writable.signalAll();
    }

    /** The wake-ups so far: {readers', writers'}. */
    public long[] wakeups() {
        lock.lock();
        try {
            return new long[] {inWakeups, outWakeups};
        } finally {
            lock.unlock();
        }
    }

    /** poll: {readable, writable, no writers, no readers}. */
    public boolean[] state() {
        lock.lock();
        try {
            return new boolean[] {!bufs.isEmpty(), !full(), writers == 0, readers == 0};
        } finally {
            lock.unlock();
        }
    }

    /** FIONREAD. */
    public int available() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return maxUsage * PAGE_SIZE;
        } finally {
            lock.unlock();
        }
    }

    /**
     * F_SETPIPE_SZ: a power-of-two number of pages, EPERM above the maximum, EBUSY when fewer
     * slots than the buffers in use (pipe_resize_ring).
     */
    public int resize(long requested) {
        if (requested <= 0 || requested > MAX_SIZE) {
            throw ErrnoException.of(requested <= 0 ? Errno.EINVAL : Errno.EPERM);
        }
        int size = Math.max(PAGE_SIZE, Integer.highestOneBit((int) requested - 1) << 1);
        lock.lock();
        try {
            if (size / PAGE_SIZE < bufs.size()) {
                throw ErrnoException.of(Errno.EBUSY);
            }
            maxUsage = size / PAGE_SIZE;
            wakeWriters();
            return size;
        } finally {
            lock.unlock();
            Sleep.wakePollers();
        }
    }
}
