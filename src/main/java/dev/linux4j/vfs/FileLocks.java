package dev.linux4j.vfs;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Flock;
import dev.linux4j.abi.StatBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Advisory file locks between guest processes (fs/locks.c): fcntl(2) record locks ("Advisory
 * record locking"), open file description locks ("Open file description locks") and flock(2).
 * Every guest process of the JVM shares one lock space, as every process of a Linux machine
 * does; a file is identified by its st_dev and st_ino, so two opens of one file, through any
 * path or mount, meet the same locks.
 *
 * <ul>
 *   <li>POSIX locks belong to a process (its descriptor table, Linux's fl_owner = files_struct),
 *       are dropped when it closes any descriptor of the file ({@link #flush}) and when it
 *       exits, and are not inherited by fork(2).
 *   <li>OFD locks and flock(2) locks belong to the open file description and go when its last
 *       reference closes ({@link #removeFile}).
 *   <li>POSIX and OFD locks share one list per file and conflict with each other; flock(2) locks
 *       are separate (Linux emulates neither in terms of the other).
 * </ul>
 *
 * <p>Locking: {@link #LOCK} guards {@link #CONTEXTS}, {@link #WAITERS} and every
 * {@link FileLockContext}; it is taken before a task's signal lock (through {@link Sleep}),
 * never after. {@link #IDENTITIES} and {@link #POSIX_HOLDERS} are concurrent maps so that the
 * close paths can skip the lock for files and processes that never locked anything;
 * POSIX_HOLDERS is only written under LOCK.
 */
public final class FileLocks {
    private FileLocks() {}

    /** OFFSET_MAX for a 64-bit loff_t: the end of a lock that runs to end of file and beyond. */
    public static final long OFFSET_MAX = Long.MAX_VALUE;
    /** fs/locks.c MAX_DEADLK_ITERATIONS: how far the deadlock detector follows waiters. */
    private static final int MAX_DEADLK_ITERATIONS = 10;

    private static final Object LOCK = new Object();
    private static final Map<Object, FileLockContext> CONTEXTS = new HashMap<>();
    /** Sleeping POSIX (not OFD) requests, newest first: Linux's blocked_hash. */
    private static final List<Waiter> WAITERS = new ArrayList<>();
    /** The file identity of each description that has taken part in locking. */
    private static final Map<FileDescription, Object> IDENTITIES = new ConcurrentHashMap<>();
    /** POSIX owner → the number of files on which it holds locks. */
    private static final Map<Object, Integer> POSIX_HOLDERS = new ConcurrentHashMap<>();
    /** The serial of the newest lock (guarded by LOCK). */
    private static long serial;

    /** A file known by its device and inode numbers. */
    private record Inode(long dev, long ino) {}

    /** A sleeping F_SETLKW request and the held lock it waits for (fl_blocker). */
    private record Waiter(Object owner, Object key, FileLock blocker) {}

    // ---------------------------------------------------------------- POSIX and OFD locks

    /**
     * posix_test_lock (F_GETLK, F_OFD_GETLK): the first lock of another owner that conflicts
     * with {@code request}, or null. A request of type F_UNLCK (F_OFD_GETLK only) instead finds
     * the first lock of its own owner overlapping the range.
     */
    public static FileLock test(FileDescription file, FileLock request) {
        Object key = identity(file, false);
        synchronized (LOCK) {
            FileLockContext ctx = CONTEXTS.get(key);
            if (ctx == null) {
                return null;
            }
            return request.type() == Flock.F_UNLCK ? ctx.firstOwnLock(request) : ctx.firstPosixConflict(request);
        }
    }

    /**
     * posix_lock_file / posix_lock_inode_wait (F_SETLK, F_SETLKW and their OFD forms): sets,
     * converts or (type F_UNLCK) removes the owner's lock over the request's range. A conflict
     * is EAGAIN without {@code wait}; with it the caller sleeps until the conflict is gone,
     * interruptibly (ERESTARTSYS), after EDEADLK if a POSIX request would close a cycle of
     * processes waiting for each other's locks.
     */
    public static void set(FileDescription file, FileLock request, boolean wait) {
        Object key = identity(file, true);
        synchronized (LOCK) {
            while (true) {
                FileLockContext ctx = context(key);
                FileLock blocker = request.type() == Flock.F_UNLCK ? null : ctx.firstPosixConflict(request);
                if (blocker == null) {
                    boolean held = ctx.holdsPosix(request.owner());
                    boolean changed = ctx.applyPosix(request);
                    if (request.kind() == FileLock.Kind.POSIX) {
                        countHolder(request.owner(), held, ctx.holdsPosix(request.owner()));
                    }
                    finish(key, ctx, changed);
                    return;
                }
                if (!wait) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                // This deadlock detector can't reasonably detect deadlocks with OFD locks (fs/locks.c).
                if (request.kind() == FileLock.Kind.POSIX && deadlock(request.owner(), blocker)) {
                    throw ErrnoException.of(Errno.EDEADLK);
                }
                Waiter w = request.kind() == FileLock.Kind.POSIX ? new Waiter(request.owner(), key, blocker) : null;
                sleep(w);
            }
        }
    }

    /**
     * filp_flush's locks_remove_posix: a process closed a descriptor of the file, so all of its
     * POSIX locks on the file go, whichever descriptor set them. An O_PATH descriptor's close
     * leaves them alone, as in Linux.
     */
    public static void flush(FileDescription file, Object owner) {
        if (!file.isPath()) {
            removePosix(file, owner);
        }
    }

    /** locks_remove_posix: drops every POSIX lock {@code owner} holds on the file. */
    public static void removePosix(FileDescription file, Object owner) {
        if (!POSIX_HOLDERS.containsKey(owner)) {
            return;
        }
        Object key = identity(file, false);
        synchronized (LOCK) {
            FileLockContext ctx = CONTEXTS.get(key);
            if (ctx != null && ctx.removePosix(owner)) {
                countHolder(owner, true, false);
                finish(key, ctx, true);
            }
        }
    }

    // ---------------------------------------------------------------- flock(2)

    /**
     * flock_lock_inode_wait: takes, converts or (F_UNLCK) drops the description's flock(2) lock.
     * A conversion is not atomic: the old lock goes first, so a conversion that then conflicts
     * leaves the description with no lock (man 2 flock). EWOULDBLOCK without {@code wait}.
     */
    public static void flock(FileDescription file, int pid, int type, boolean wait) {
        Object key = identity(file, true);
        synchronized (LOCK) {
            while (true) {
                FileLockContext ctx = context(key);
                FileLock mine = ctx.flockOf(file);
                if (mine != null && mine.type() == type) {
                    return;
                }
                boolean changed = mine != null && ctx.removeFlock(file);
                if (type != Flock.F_UNLCK && ctx.firstFlockConflict(file, type) == null) {
                    ctx.flock.add(new FileLock(FileLock.Kind.FLOCK, file, pid, type, 0, OFFSET_MAX, nextSerial()));
                    finish(key, ctx, changed);
                    return;
                }
                finish(key, ctx, changed);
                if (type == Flock.F_UNLCK) {
                    return;
                }
                if (!wait) {
                    throw ErrnoException.of(Errno.EWOULDBLOCK);
                }
                sleep(null);
            }
        }
    }

    // ---------------------------------------------------------------- last close

    /**
     * locks_remove_file: the last reference to an open file description is gone, and with it
     * its OFD locks and its flock(2) lock. Called by {@link FileDescription#release}.
     */
    static void removeFile(FileDescription file) {
        Object key = IDENTITIES.remove(file);
        if (key == null) {
            return;
        }
        synchronized (LOCK) {
            FileLockContext ctx = CONTEXTS.get(key);
            if (ctx != null) {
                boolean ofd = ctx.removePosix(file);
                boolean flock = ctx.removeFlock(file);
                finish(key, ctx, ofd || flock);
            }
        }
    }

    // ---------------------------------------------------------------- /proc/locks

    /** Every lock now held, for /proc/locks: {@link ProcLocks}. */
    static List<Held> snapshot() {
        List<Held> all = new ArrayList<>();
        synchronized (LOCK) {
            for (var e : CONTEXTS.entrySet()) {
                long dev = e.getKey() instanceof Inode i ? i.dev() : 0;
                long ino = e.getKey() instanceof Inode i ? i.ino() : 0;
                for (FileLock l : e.getValue().posix) {
                    all.add(new Held(l, dev, ino));
                }
                for (FileLock l : e.getValue().flock) {
                    all.add(new Held(l, dev, ino));
                }
            }
        }
        return all;
    }

    /** A held lock and its file's device and inode numbers. */
    record Held(FileLock lock, long dev, long ino) {}

    // ---------------------------------------------------------------- internals (under LOCK)

    /** A serial for a lock entering the lock space. */
    static long nextSerial() {
        return ++serial;
    }

    /**
     * The identity the lock space knows the file by: its st_dev/st_ino, remembered per
     * description once it has locked (so that an unlinked file keeps its identity); a file that
     * cannot be stat'ed stands for itself.
     */
    private static Object identity(FileDescription file, boolean remember) {
        Object id = IDENTITIES.get(file);
        if (id != null) {
            return id;
        }
        try {
            StatBuf st = file.ops().stat(file);
            id = new Inode(st.dev(), st.ino());
        } catch (ErrnoException e) {
            id = file.ops();
        }
        if (remember) {
            Object earlier = IDENTITIES.putIfAbsent(file, id);
            return earlier != null ? earlier : id;
        }
        return id;
    }

    private static FileLockContext context(Object key) {
        return CONTEXTS.computeIfAbsent(key, k -> new FileLockContext());
    }

    /**
     * After a change to a file's locks: waiters whose blocking lock was removed or replaced
     * leave the blocked list and look again (locks_wake_up_blocks); an empty context goes.
     */
    private static void finish(Object key, FileLockContext ctx, boolean changed) {
        if (changed) {
            WAITERS.removeIf(w -> w.key().equals(key) && !containsSame(ctx.posix, w.blocker()));
            LOCK.notifyAll();
        }
        if (ctx.isEmpty()) {
            CONTEXTS.remove(key);
        }
    }

    private static boolean containsSame(List<FileLock> locks, FileLock lock) {
        for (FileLock l : locks) {
            if (l == lock) {
                return true;
            }
        }
        return false;
    }

    /** Sleeps until a lock changes; a POSIX waiter is listed for the deadlock detector meanwhile. */
    private static void sleep(Waiter w) {
        if (w != null) {
            WAITERS.addFirst(w);
        }
        try {
            Sleep.waitOn(LOCK, 0);
        } finally {
            if (w != null) {
                WAITERS.remove(w);
            }
        }
    }

    /**
     * posix_locks_deadlock: follows "the owner of the lock I need is itself waiting for a lock"
     * (what_owner_is_waiting_for) and reports a deadlock if that leads back to the caller.
     */
    private static boolean deadlock(Object caller, FileLock blocker) {
        int i = 0;
        while ((blocker = waitingFor(blocker.owner())) != null) {
            if (i++ > MAX_DEADLK_ITERATIONS) {
                return false;
            }
            if (blocker.owner() == caller) {
                return true;
            }
        }
        return false;
    }

    private static FileLock waitingFor(Object owner) {
        for (Waiter w : WAITERS) {
            if (w.owner() == owner) {
                return w.blocker();
            }
        }
        return null;
    }

    private static void countHolder(Object owner, boolean before, boolean after) {
        if (before != after) {
            POSIX_HOLDERS.merge(owner, after ? 1 : -1, (a, b) -> a + b == 0 ? null : a + b);
        }
    }
}
