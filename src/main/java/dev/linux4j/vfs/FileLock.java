package dev.linux4j.vfs;

import dev.linux4j.abi.Flock;

/**
 * One granted advisory lock: Linux's {@code struct file_lock} (fs/locks.c) as far as the guest
 * can observe it. Immutable; a change to a lock (splitting, merging, conversion) replaces it.
 *
 * @param kind POSIX record lock, open file description lock, or flock(2) lock
 * @param owner who holds it (fl_owner): the process's descriptor table for a POSIX lock, the
 *     {@link FileDescription} for an OFD or flock(2) lock
 * @param pid the thread-group id of the process that set it (fl_pid)
 * @param type {@link Flock#F_RDLCK} or {@link Flock#F_WRLCK}
 * @param start the first byte locked (0 for flock(2))
 * @param end the last byte locked, inclusive; {@link FileLocks#OFFSET_MAX} for "to end of file
 *     and beyond" (l_len 0) and for flock(2)
 * @param serial when the lock entered the lock space (larger is newer; 0 for a request), the
 *     order of Linux's global file_lock_list that /proc/locks prints, newest first
 */
public record FileLock(Kind kind, Object owner, int pid, int type, long start, long end, long serial) {

    /** The three lock families Linux keeps (FL_POSIX, FL_POSIX|FL_OFDLCK, FL_FLOCK). */
    public enum Kind {
        /** fcntl(2) F_SETLK/F_SETLKW: owned by the process (its files_struct). */
        POSIX,
        /** fcntl(2) F_OFD_SETLK/F_OFD_SETLKW: owned by the open file description. */
        OFD,
        /** flock(2): owned by the open file description, in a lock space of its own. */
        FLOCK
    }

    /**
     * A request to lock (or, with type {@link Flock#F_UNLCK}, unlock) a range.
     *
     * @param kind POSIX or OFD
     * @param owner the descriptor table (POSIX) or the open file description (OFD)
     * @param pid the requesting process
     * @param type F_RDLCK, F_WRLCK or F_UNLCK
     * @param start the first byte
     * @param end the last byte, inclusive
     */
    public static FileLock request(Kind kind, Object owner, int pid, int type, long start, long end) {
        return new FileLock(kind, owner, pid, type, start, end, 0);
    }

    /** The same lock over another range (a lock trimmed in place keeps its place in the list). */
    FileLock withRange(long newStart, long newEnd) {
        return new FileLock(kind, owner, pid, type, newStart, newEnd, serial);
    }

    /** The same lock over another range, as a lock that entered the lock space at {@code newSerial}. */
    FileLock withRange(long newStart, long newEnd, long newSerial) {
        return new FileLock(kind, owner, pid, type, newStart, newEnd, newSerial);
    }

    boolean isWrite() {
        return type == Flock.F_WRLCK;
    }

    /** locks_overlap. */
    boolean overlaps(long otherStart, long otherEnd) {
        return start <= otherEnd && otherStart <= end;
    }

    /** locks_conflict: two locks that overlap conflict unless both are read locks. */
    boolean conflictsWith(int otherType) {
        return isWrite() || otherType == Flock.F_WRLCK;
    }

    /**
     * The l_pid F_GETLK reports for this lock (locks_translate_pid): -1 for an OFD lock, which
     * belongs to no process, else the pid of the process that set it.
     */
    public int reportedPid() {
        return kind == Kind.OFD ? -1 : pid;
    }

    /** The l_len F_GETLK reports: 0 for a lock that runs to OFFSET_MAX. */
    public long length() {
        return end == FileLocks.OFFSET_MAX ? 0 : end - start + 1;
    }
}
