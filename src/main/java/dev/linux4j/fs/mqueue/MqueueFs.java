package dev.linux4j.fs.mqueue;

import static dev.linux4j.abi.Mqueue.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.FileDescription;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The mqueue file system of one IPC namespace (ipc/mqueue.c's internal mount, ns->mq_mnt): a
 * root directory (mode 01777, owned by root) holding the queues by name. mq_open and mq_unlink
 * look names up in it as lookup_one_len does (no '/', not "." or "..", at most NAME_MAX bytes);
 * a queue lives on after mq_unlink until its last descriptor is closed, and only then gives
 * back what it was charged to its creator's RLIMIT_MSGQUEUE (mqueue_evict_inode).
 *
 * <p>Locking: {@code this} guards the names, the counts and every queue's link and open
 * counts (Linux's root inode lock and mq_lock); it is taken before a queue's own lock.
 */
public final class MqueueFs {
    /** The mqueue superblock's anonymous device (a number of our own; Linux's varies by boot). */
    static final long DEV = StatBuf.makedev(0, 20);
    /** NAME_MAX. */
    private static final int NAME_MAX = 255;

    private final Map<String, MessageQueue> names = new HashMap<>();
    /** ns->mq_queues_count: queues not yet evicted, unlinked or not. */
    private int queues;
    /** UCOUNT_RLIMIT_MSGQUEUE per real uid: bytes charged by the queues each user created. */
    private final Map<Integer, Long> charged = new HashMap<>();
    private long nextIno = 1000;

    /**
     * Who opens or unlinks: the credentials the checks use, the umask, and the caller's
     * RLIMIT_MSGQUEUE soft limit (-1 for RLIM_INFINITY).
     *
     * @param uid the real uid, whose RLIMIT_MSGQUEUE count a new queue is charged to
     * @param fsuid the file-system uid: a new queue's owner, and whose permissions apply
     * @param fsgid the file-system gid
     * @param groups supplementary groups
     * @param capable CAP_SYS_RESOURCE and CAP_FOWNER (root here)
     */
    public record Creds(int uid, int fsuid, int fsgid, int[] groups, boolean capable, int umask, long msgqueueLimit) {}

    /**
     * do_mq_open after the name was copied: looks {@code name} up (EACCES, ENAMETOOLONG), then
     * as prepare_open: ENOENT without O_CREAT, a new queue with it (ENOSPC past queues_max,
     * EINVAL for limits, EMFILE past RLIMIT_MSGQUEUE); for an existing queue EEXIST with
     * O_CREAT|O_EXCL, EINVAL for access mode 3, EACCES without the permission asked for.
     *
     * @param mode the permission bits (umode_t) before the umask
     * @param attr mq_maxmsg and mq_msgsize for a new queue, or null for the defaults
     * @return a new open file description, its flags {@code oflag}
     */
    public FileDescription open(byte[] name, int oflag, int mode, long[] attr, Creds c) {
        String key = lookup(name);
        MessageQueue q;
        synchronized (this) {
            q = names.get(key);
            if (q == null) {
                if ((oflag & Fcntl.O_CREAT) == 0) {
                    throw ErrnoException.of(Errno.ENOENT);
                }
                q = create(key, (mode & ~c.umask()) & 07777, attr, c);
                names.put(key, q);
            } else {
                if ((oflag & (Fcntl.O_CREAT | Fcntl.O_EXCL)) == (Fcntl.O_CREAT | Fcntl.O_EXCL)) {
                    throw ErrnoException.of(Errno.EEXIST);
                }
                int acc = oflag & Fcntl.O_ACCMODE;
                if (acc == 3) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                int want = acc == Fcntl.O_RDONLY ? 4 : acc == Fcntl.O_WRONLY ? 2 : 6;
                if (!permitted(q, want, c)) {
                    throw ErrnoException.of(Errno.EACCES);
                }
            }
            q.opens++;
        }
        return FileDescription.dentryOpen(new MqueueFile(q), oflag, "/" + display(q), null);
    }

    /**
     * mq_unlink(2) after the name was copied: EACCES or ENAMETOOLONG from the lookup, ENOENT,
     * EPERM from the root's sticky bit for a queue neither the caller's nor root's.
     */
    public synchronized void unlink(byte[] name, Creds c) {
        MessageQueue q = names.get(lookup(name));
        if (q == null) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        if (c.fsuid() != q.uid && c.fsuid() != 0 && !c.capable()) {
            throw ErrnoException.of(Errno.EPERM); // may_delete's check_sticky
        }
        names.remove(q.key);
        q.nlink = 0;
        evictIfUnused(q);
    }

    /** Queues in the namespace, unlinked ones still open included (ns->mq_queues_count). */
    public synchronized int queueCount() {
        return queues;
    }

    /**
     * lookup_one_len on the root: EACCES for an empty name, "." or "..", or one with '/';
     * ENAMETOOLONG past NAME_MAX bytes (simple_lookup). Returns the lookup key.
     */
    private static String lookup(byte[] name) {
        int len = name.length;
        if (len == 0 || name[0] == '.' && (len == 1 || len == 2 && name[1] == '.')) {
            throw ErrnoException.of(Errno.EACCES);
        }
        for (byte b : name) {
            if (b == '/') {
                throw ErrnoException.of(Errno.EACCES);
            }
        }
        if (len > NAME_MAX) {
            throw ErrnoException.of(Errno.ENAMETOOLONG);
        }
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    /**
     * mqueue_create_attr and mqueue_get_inode: ENOSPC at queues_max (unless capable); EINVAL for
     * a size or count that is not positive or above the sysctl limits (the hard ones when
     * capable); the queue's worst-case memory charged to its creator (EMFILE past the limit).
     */
    private MessageQueue create(String key, int perm, long[] attr, Creds c) {
        if (queues >= DFLT_QUEUESMAX && !c.capable()) {
            throw ErrnoException.of(Errno.ENOSPC);
        }
        long maxmsg = Math.min(DFLT_MSGMAX, DFLT_MSG);
        long msgsize = Math.min(DFLT_MSGSIZEMAX, DFLT_MSGSIZE);
        if (attr != null) {
            maxmsg = attr[0];
            msgsize = attr[1];
        }
        if (maxmsg <= 0 || msgsize <= 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (c.capable() ? maxmsg > HARD_MSGMAX || msgsize > HARD_MSGSIZEMAX
                : maxmsg > DFLT_MSGMAX || msgsize > DFLT_MSGSIZEMAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long treesize = maxmsg * SIZEOF_MSG_MSG + Math.min(maxmsg, MQ_PRIO_MAX) * SIZEOF_POSIX_MSG_TREE_NODE;
        long bytes = maxmsg * msgsize + treesize;
        long total = charged.getOrDefault(c.uid(), 0L) + bytes;
        if (c.msgqueueLimit() != -1 && Long.compareUnsigned(total, c.msgqueueLimit()) > 0) {
            throw ErrnoException.of(Errno.EMFILE);
        }
        charged.put(c.uid(), total);
        queues++;
        return new MessageQueue(this, key, nextIno++, maxmsg, msgsize, c.fsuid(), c.fsgid(), perm, bytes, c.uid());
    }

    /** generic_permission on the queue's mode bits; CAP_DAC_OVERRIDE (fsuid 0) reads and writes anything. */
    private static boolean permitted(MessageQueue q, int want, Creds c) {
        if (c.fsuid() == 0) {
            return true;
        }
        int bits;
        if (c.fsuid() == q.uid) {
            bits = q.mode >> 6;
        } else if (inGroup(c, q.gid)) {
            bits = q.mode >> 3;
        } else {
            bits = q.mode;
        }
        return (want & ~bits & 7) == 0;
    }

    private static boolean inGroup(Creds c, int gid) {
        if (c.fsgid() == gid) {
            return true;
        }
        for (int g : c.groups()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }

    /** The name as /proc/PID/fd shows it. */
    static String display(MessageQueue q) {
        return new String(q.key.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** st_nlink: 1 while the name stands, 0 once unlinked. */
    synchronized int links(MessageQueue q) {
        return q.nlink;
    }

    /** Another open of {@code q} (through /proc/PID/fd/N). */
    synchronized MqueueFile reopen(MessageQueue q) {
        q.opens++;
        return new MqueueFile(q);
    }

    /** The last descriptor of an open file description of {@code q} was closed. */
    synchronized void closed(MessageQueue q) {
        q.opens--;
        evictIfUnused(q);
    }

    /** mqueue_evict_inode: an unlinked queue no one has open gives back its charge and its count. */
    private void evictIfUnused(MessageQueue q) {
        if (q.nlink != 0 || q.opens != 0) {
            return;
        }
        q.discard();
        charged.merge(q.chargedUid, -q.charged, Long::sum);
        queues--;
    }
}
