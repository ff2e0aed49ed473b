package dev.linux4j.fs.mqueue;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Mqueue;
import dev.linux4j.abi.Poll;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.RestartSyscall;
import dev.linux4j.vfs.Sleep;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One POSIX message queue: an inode of the mqueue file system with its
 * {@code struct mqueue_inode_info} (ipc/mqueue.c). Messages are kept by priority, highest
 * first, in arrival order within a priority (the rbtree of posix_msg_tree_node lists). A
 * sender finding a receiver asleep hands the message over without queueing it
 * (pipelined_send); a receiver that makes room moves the first sleeping sender's message into
 * the queue (pipelined_receive). Sleeps end at an absolute deadline (ETIMEDOUT) or with
 * ERESTARTSYS when a signal comes, so SA_RESTART restarts them (wq_sleep).
 *
 * <p>Locking: {@link #lock} (info->lock) guards the messages, the sleepers, the notification and
 * the times; sleepers wait on conditions of it. The link and open counts are guarded by the
 * file system's lock ({@link MqueueFs}), which is never taken while {@link #lock} is held.
 */
public final class MessageQueue {
    /** A message as received: its text and priority. */
    public record Message(byte[] text, int priority) {}

    /**
     * What a send owes a notification registration (__do_notify's SIGEV_SIGNAL): the signal for
     * process {@code pid}, with {@code value} as si_value, provided the process has not exec'd
     * since registering ({@code execToken} unchanged, Linux's self_exec_id).
     */
    public record Notification(int pid, int signo, long value, Object execToken) {}

    /** A registration by mq_notify: sigev_notify, sigev_signo and sigev_value, the owner's pid and exec token. */
    public record Registration(int how, int signo, long value, int pid, Object execToken) {}

    /** struct ext_wait_queue: a sleeping sender (with its message) or receiver (given one). */
    private static final class Waiter {
        final Condition wake;
        Message message;
        /** STATE_READY: the message was taken (a sender) or handed over (a receiver). */
        boolean ready;

        Waiter(Condition wake, Message message) {
            this.wake = wake;
            this.message = message;
        }
    }

    final MqueueFs fs;
    /** The name under the file system's root, as bytes in ISO-8859-1 (the lookup key). */
    final String key;
    final long ino;
    final long maxmsg;
    final long msgsize;
    final int uid;
    final int gid;
    final int mode;
    /** What creating the queue charged to its creator's RLIMIT_MSGQUEUE (mqueue_get_inode's mq_bytes). */
    final long charged;
    final int chargedUid;
    /** Guarded by the file system's lock. */
    int nlink = 1;
    int opens;

    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Integer, ArrayDeque<Message>> messages = new TreeMap<>(Comparator.reverseOrder());
    private long curmsgs;
    /** Bytes of message text queued (info->qsize). */
    private long qsize;
    private final ArrayDeque<Waiter> senders = new ArrayDeque<>();
    private final ArrayDeque<Waiter> receivers = new ArrayDeque<>();
    private Registration notify;
    /** Wake-ups of the poll wait queue, for edge-triggered epoll. */
    private long wakeups;
    private Instant atime;
    private Instant mtime;
    private Instant ctime;

    MessageQueue(MqueueFs fs, String key, long ino, long maxmsg, long msgsize, int uid, int gid, int mode,
            long charged, int chargedUid) {
        this.fs = fs;
        this.key = key;
        this.ino = ino;
        this.maxmsg = maxmsg;
        this.msgsize = msgsize;
        this.uid = uid;
        this.gid = gid;
        this.mode = mode;
        this.charged = charged;
        this.chargedUid = chargedUid;
        this.atime = this.mtime = this.ctime = Instant.now();
    }

    /** mq_maxmsg. */
    public long maxmsg() {
        return maxmsg;
    }

    /** mq_msgsize. */
    public long msgsize() {
        return msgsize;
    }

    /** mq_curmsgs. */
    public long curmsgs() {
        lock.lock();
        try {
            return curmsgs;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The queue's part of do_mq_timedsend, once the descriptor, the size and the text are
     * checked: EAGAIN when full and {@code nonblock}, else a sleep until a receiver makes room,
     * the deadline ({@link System#nanoTime} scale, {@link Long#MAX_VALUE} for none) passes
     * (ETIMEDOUT) or a signal comes (ERESTARTSYS).
     *
     * @return the signal a notification registration is owed, or null
     */
    public Notification send(Message msg, boolean nonblock, long deadline) {
        Notification owed = null;
        lock.lock();
        try {
            if (curmsgs == maxmsg) {
                if (nonblock) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Waiter w = new Waiter(lock.newCondition(), msg);
                senders.add(w);
                sleep(w, senders, deadline);
                return null; // a receiver queued the message (pipelined_receive)
            }
            Waiter receiver = receivers.poll();
            if (receiver != null) {
                receiver.message = msg; // pipelined_send
                receiver.ready = true;
                receiver.wake.signal();
            } else {
                insert(msg);
                owed = doNotify();
            }
            touch(true);
        } finally {
            lock.unlock();
        }
        Sleep.wakePollers();
        return owed;
    }

    /**
     * The queue's part of do_mq_timedreceive, once the descriptor and the buffer size are
     * checked: the oldest message of the highest priority; EAGAIN when empty and
     * {@code nonblock}, else a sleep as {@link #send} sleeps.
     */
    public Message receive(boolean nonblock, long deadline) {
        Message msg;
        lock.lock();
        try {
            if (curmsgs == 0) {
                if (nonblock) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Waiter w = new Waiter(lock.newCondition(), null);
                receivers.add(w);
                sleep(w, receivers, deadline);
                return w.message; // pipelined_send gave it
            }
            msg = take();
            touch(true);
            Waiter sender = senders.poll(); // pipelined_receive
            if (sender != null) {
                insert(sender.message);
                sender.ready = true;
                sender.wake.signal();
            } else {
                wakeups++;
            }
        } finally {
            lock.unlock();
        }
        Sleep.wakePollers();
        return msg;
    }

    /** wq_sleep: the lock held; returns once {@code w} is ready, else removes it and throws. */
    private static void sleep(Waiter w, ArrayDeque<Waiter> queue, long deadline) {
        try {
            while (!w.ready) {
                if (deadline == Long.MAX_VALUE) {
                    Sleep.await(w.wake);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        queue.remove(w);
                        throw ErrnoException.of(Errno.ETIMEDOUT);
                    }
                    Sleep.awaitNanos(w.wake, left);
                }
            }
        } catch (RestartSyscall interrupted) {
            if (!w.ready) {
                queue.remove(w);
                throw interrupted;
            }
        }
    }

    /** msg_insert. */
    private void insert(Message msg) {
        messages.computeIfAbsent(msg.priority(), p -> new ArrayDeque<>()).add(msg);
        curmsgs++;
        qsize += msg.text().length;
    }

    /** msg_get: the first message of the highest priority. */
    private Message take() {
        Map.Entry<Integer, ArrayDeque<Message>> first = messages.firstEntry();
        Message msg = first.getValue().poll();
        if (first.getValue().isEmpty()) {
            messages.remove(first.getKey());
        }
        curmsgs--;
        qsize -= msg.text().length;
        return msg;
    }

    /**
     * __do_notify after a message was queued: when it made the queue non-empty, the registered
     * process is notified once (SIGEV_SIGNAL with a signal number is owed a signal) and the
     * registration ends. Pollers are woken either way.
     */
    private Notification doNotify() {
        Notification owed = null;
        if (notify != null && curmsgs == 1) {
            if (notify.how() == Mqueue.SIGEV_SIGNAL && notify.signo() != 0) {
                owed = new Notification(notify.pid(), notify.signo(), notify.value(), notify.execToken());
            }
            notify = null;
        }
        wakeups++;
        return owed;
    }

    /**
     * do_mq_notify on this queue: a null registration removes the caller's ({@code pid}) own, if
     * it has one; another registration is EBUSY while one stands.
     */
    public void register(Registration r, int pid) {
        lock.lock();
        try {
            if (r == null) {
                if (notify != null && notify.pid() == pid) {
                    notify = null;
                    atime = ctime = Instant.now();
                }
                return;
            }
            if (notify != null) {
                throw ErrnoException.of(Errno.EBUSY);
            }
            notify = r;
            atime = ctime = Instant.now();
        } finally {
            lock.unlock();
        }
    }

    /** mqueue_flush_file: a descriptor closed by the registered process ends its registration. */
    void flush(int pid) {
        lock.lock();
        try {
            if (notify != null && notify.pid() == pid) {
                notify = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** mq_getsetattr's setting: only the times change here (the file's O_NONBLOCK is set by the caller). */
    public void attrSet() {
        lock.lock();
        try {
            atime = ctime = Instant.now();
        } finally {
            lock.unlock();
        }
    }

    /** simple_inode_init_ts after a send or receive; or (reading the status line) atime and ctime only. */
    private void touch(boolean modified) {
        Instant now = Instant.now();
        atime = ctime = now;
        if (modified) {
            mtime = now;
        }
    }

    /**
     * mqueue_read_file's line: {@code "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n"},
     * NOTIFY and SIGNO the registration's sigev_notify and signal, NOTIFY_PID its process.
     */
    byte[] status() {
        lock.lock();
        try {
            int how = notify == null ? 0 : notify.how();
            int signo = notify != null && notify.how() == Mqueue.SIGEV_SIGNAL ? notify.signo() : 0;
            int pid = notify == null ? 0 : notify.pid();
            return String.format("QSIZE:%-10d NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", qsize, how, signo, pid)
                    .getBytes(StandardCharsets.US_ASCII);
        } finally {
            lock.unlock();
        }
    }

    /** A read of the status line returned bytes: atime and ctime change. */
    void statusRead() {
        lock.lock();
        try {
            touch(false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * mqueue_poll_file: EPOLLIN|EPOLLRDNORM while a message is queued, EPOLLOUT|EPOLLWRNORM while
     * there is room.
     */
    int poll() {
        lock.lock();
        try {
            int mask = 0;
            if (curmsgs != 0) {
                mask |= Poll.POLLIN | Poll.POLLRDNORM;
            }
            if (curmsgs < maxmsg) {
                mask |= Poll.POLLOUT | Poll.POLLWRNORM;
            }
            return mask;
        } finally {
            lock.unlock();
        }
    }

    long wakeups() {
        lock.lock();
        try {
            return wakeups;
        } finally {
            lock.unlock();
        }
    }

    /** The inode's attributes: a regular file of FILENT_SIZE bytes, its blocks 0. */
    StatBuf stat(int links) {
        Instant a;
        Instant m;
        Instant c;
        lock.lock();
        try {
            a = atime;
            m = mtime;
            c = ctime;
        } finally {
            lock.unlock();
        }
        return new StatBuf(MqueueFs.DEV, ino, Stat.S_IFREG | mode, links, uid, gid, 0, Mqueue.FILENT_SIZE, 4096, 0,
                a.getEpochSecond(), a.getNano(), m.getEpochSecond(), m.getNano(), c.getEpochSecond(), c.getNano(),
                0, 0, false, 0);
    }

    /** mqueue_evict_inode: the messages still queued go with the queue (no one can sleep on it any more). */
    void discard() {
        lock.lock();
        try {
            messages.clear();
            curmsgs = 0;
            qsize = 0;
        } finally {
            lock.unlock();
        }
    }
}
