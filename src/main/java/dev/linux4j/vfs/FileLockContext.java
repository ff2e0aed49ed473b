package dev.linux4j.vfs;

import dev.linux4j.abi.Flock;
import java.util.ArrayList;
import java.util.List;

/**
 * The locks on one file: Linux's {@code struct file_lock_context} (fs/locks.c). POSIX and OFD
 * locks share one list (flc_posix), so they conflict with each other; flock(2) locks live in a
 * list of their own (flc_flock) and never meet them.
 *
 * <p>The POSIX list keeps Linux's order, which decides which lock F_GETLK reports: each owner's
 * locks sit together, sorted by start and never overlapping, and an owner that had none joins
 * at the tail (posix_lock_inode). Locks are immutable: a lock that is trimmed, split, merged or
 * converted is replaced by new records, so "the lock a waiter blocked on" is still held exactly
 * when the same record is still in the list.
 *
 * <p>Locking: every method runs under {@link FileLocks}'s lock.
 */
final class FileLockContext {
    final List<FileLock> posix = new ArrayList<>();
    final List<FileLock> flock = new ArrayList<>();

    boolean isEmpty() {
        return posix.isEmpty() && flock.isEmpty();
    }

    // ---------------------------------------------------------------- POSIX and OFD locks

    /** posix_locks_conflict over the list: the first lock of another owner the request conflicts with. */
    FileLock firstPosixConflict(FileLock request) {
        for (FileLock l : posix) {
            if (l.owner() != request.owner() && l.overlaps(request.start(), request.end())
                    && l.conflictsWith(request.type())) {
                return l;
            }
        }
        return null;
    }

    /**
     * posix_test_locks_conflict, for F_OFD_GETLK with F_UNLCK (Linux 6.6+): the first lock of the
     * same owner that overlaps the range.
     */
    FileLock firstOwnLock(FileLock request) {
        for (FileLock l : posix) {
            if (l.owner() == request.owner() && l.overlaps(request.start(), request.end())) {
                return l;
            }
        }
        return null;
    }

    boolean holdsPosix(Object owner) {
        for (FileLock l : posix) {
            if (l.owner() == owner) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies a request that conflicts with no other owner (posix_lock_inode): the owner's locks
     * lose the requested range, then, unless it is F_UNLCK, the new lock goes in, merged with
     * locks of the same type it touches or overlaps. Returns whether any existing lock changed
     * (so that waiters blocked on it must look again).
     */
    boolean applyPosix(FileLock request) {
        int first = 0;
        while (first < posix.size() && posix.get(first).owner() != request.owner()) {
            first++;
        }
        int last = first;
        while (last < posix.size() && posix.get(last).owner() == request.owner()) {
            last++;
        }
        List<FileLock> old = posix.subList(first, last);
        List<FileLock> result = new ArrayList<>(old.size() + 2);
        long start = request.start();
        long end = request.end();
        boolean changed = false;
        for (FileLock l : old) {
            if (!l.overlaps(start, end)) {
                result.add(l);
                continue;
            }
            changed = true;
            if (l.start() < start) {
                // Split in two: Linux's left half is a new lock (new_fl2), the right one stays.
                result.add(l.end() > end ? l.withRange(l.start(), start - 1, FileLocks.nextSerial())
                        : l.withRange(l.start(), start - 1));
            }
            if (l.end() > end) {
                result.add(l.withRange(end + 1, l.end()));
            }
        }
        if (request.type() != Flock.F_UNLCK) {
            // Same-type neighbours merge into the oldest of them, as Linux grows an existing lock;
            // compare "start - 1" with end so that OFFSET_MAX cannot overflow.
            long serial = Long.MAX_VALUE;
            for (int i = result.size() - 1; i >= 0; i--) {
                FileLock l = result.get(i);
                if (l.type() == request.type() && (l.end() == start - 1 || l.start() - 1 == end)) {
                    start = Math.min(start, l.start());
                    end = Math.max(end, l.end());
                    serial = Math.min(serial, l.serial());
                    result.remove(i);
                    changed = true;
                }
            }
            result.add(request.withRange(start, end, serial != Long.MAX_VALUE ? serial : FileLocks.nextSerial()));
            result.sort((a, b) -> Long.compare(a.start(), b.start()));
        }
        old.clear();
        posix.addAll(first, result);
        return changed;
    }

    /** Drops every POSIX-list lock of an owner (locks_remove_posix); true if there was one. */
    boolean removePosix(Object owner) {
        return posix.removeIf(l -> l.owner() == owner);
    }

    // ---------------------------------------------------------------- flock(2) locks

    /** The flock(2) lock held through this open file description, or null. */
    FileLock flockOf(FileDescription file) {
        for (FileLock l : flock) {
            if (l.owner() == file) {
                return l;
            }
        }
        return null;
    }

    /** flock_locks_conflict over the list: locks through the same description never conflict. */
    FileLock firstFlockConflict(FileDescription file, int type) {
        for (FileLock l : flock) {
            if (l.owner() != file && l.conflictsWith(type)) {
                return l;
            }
        }
        return null;
    }

    boolean removeFlock(FileDescription file) {
        return flock.removeIf(l -> l.owner() == file);
    }
}
