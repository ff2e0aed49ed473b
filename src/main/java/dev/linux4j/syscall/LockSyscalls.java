package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.*;
import static dev.linux4j.abi.Flock.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.FdTable;
import dev.linux4j.kernel.Task;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileLock;
import dev.linux4j.vfs.FileLocks;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Advisory file locks (fs/locks.c): fcntl(2)'s record-lock commands F_GETLK, F_SETLK, F_SETLKW
 * and their open-file-description forms F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW (man 2 fcntl,
 * "Advisory record locking" and "Open file description locks"), and flock(2) (man 2 flock).
 * The lock space itself is {@link FileLocks}.
 */
final class LockSyscalls {
    private LockSyscalls() {}

    /** A byte range from struct flock, first and last byte inclusive. */
    private record Range(long start, long end) {}

    // ---------------------------------------------------------------- fcntl

    /**
     * fcntl_getlk (F_GETLK, F_OFD_GETLK): reports the first lock that would conflict with the
     * described one (l_whence becomes SEEK_SET, l_pid the holder's pid or -1 for an OFD lock),
     * or sets only l_type to F_UNLCK when there is none. F_OFD_GETLK also takes F_UNLCK, and
     * then reports the description's own lock over the range (Linux 6.6).
     */
    static long getlk(Task task, FileDescription file, int cmd, long flockPtr) {
        AddressSpace mem = task.memory();
        ByteBuffer flock = ByteBuffer.wrap(mem.read(flockPtr, SIZEOF_FLOCK)).order(ByteOrder.LITTLE_ENDIAN);
        int type = flock.getShort(L_TYPE);
        if (cmd != F_OFD_GETLK && type != F_RDLCK && type != F_WRLCK) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Range range = toPosixLock(file, flock);
        FileLock request;
        if (cmd == F_OFD_GETLK) {
            if (flock.getInt(L_PID) != 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            request = FileLock.request(FileLock.Kind.OFD, file, task.group().pid(), type, range.start(), range.end());
        } else {
            request = FileLock.request(FileLock.Kind.POSIX, task.files(), task.group().pid(), type, range.start(),
                    range.end());
        }
        FileLock found = FileLocks.test(file, request);
        if (found == null) {
            flock.putShort(L_TYPE, (short) F_UNLCK);
        } else {
            flock.putShort(L_TYPE, (short) found.type());
            flock.putShort(L_WHENCE, (short) SEEK_SET);
            flock.putLong(L_START, found.start());
            flock.putLong(L_LEN, found.length());
            flock.putInt(L_PID, found.reportedPid());
        }
        mem.write(flockPtr, flock.array());
        return 0;
    }

    /**
     * fcntl_setlk (F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW): EBADF when the descriptor's
     * access mode does not allow the lock type, EINVAL for an OFD request whose l_pid is not 0,
     * EAGAIN on a conflict without waiting, EDEADLK when a wait would deadlock, ERESTARTSYS when
     * a signal ends the wait. A POSIX lock won while another thread closed the descriptor is
     * dropped again with EBADF, as Linux recovers from that race.
     */
    static long setlk(Task task, int fd, FileDescription file, int cmd, long flockPtr) {
        ByteBuffer flock = ByteBuffer.wrap(task.memory().read(flockPtr, SIZEOF_FLOCK)).order(ByteOrder.LITTLE_ENDIAN);
        Range range = toPosixLock(file, flock);
        int type = flock.getShort(L_TYPE);
        if ((type == F_RDLCK && !file.readable()) || (type == F_WRLCK && !file.writable())) {
            throw ErrnoException.of(Errno.EBADF); // check_fmode_for_setlk
        }
        boolean ofd = cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
        if (ofd && flock.getInt(L_PID) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        boolean wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
        FdTable files = task.files();
        FileLock request = FileLock.request(ofd ? FileLock.Kind.OFD : FileLock.Kind.POSIX, ofd ? file : files,
                task.group().pid(), type, range.start(), range.end());
        file.retain(); // fdget: the description outlives a close by another thread while we sleep
        try {
            FileLocks.set(file, request, wait);
            if (!ofd && type != F_UNLCK && files.lookup(fd) != file) {
                FileLocks.removePosix(file, files);
                throw ErrnoException.of(Errno.EBADF);
            }
        } finally {
            file.release();
        }
        return 0;
    }

    /**
     * flock_to_posix_lock: the absolute byte range of a struct flock (l_whence SEEK_SET, SEEK_CUR
     * or SEEK_END; l_len 0 runs to OFFSET_MAX, a negative l_len ends just before l_start),
     * EINVAL for a bad l_whence, a negative start or l_type, EOVERFLOW past OFFSET_MAX.
     */
    private static Range toPosixLock(FileDescription file, ByteBuffer flock) {
        int whence = flock.getShort(L_WHENCE);
        long start = flock.getLong(L_START);
        long len = flock.getLong(L_LEN);
        long base = switch (whence) {
            case SEEK_SET -> 0;
            case SEEK_CUR -> file.position();
            case SEEK_END -> file.ops().size(file);
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
        if (start > FileLocks.OFFSET_MAX - base) {
            throw ErrnoException.of(Errno.EOVERFLOW);
        }
        start += base;
        if (start < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long end;
        if (len > 0) {
            if (len - 1 > FileLocks.OFFSET_MAX - start) {
                throw ErrnoException.of(Errno.EOVERFLOW);
            }
            end = start + (len - 1);
        } else if (len < 0) {
            if (start + len < 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            end = start - 1;
            start += len;
        } else {
            end = FileLocks.OFFSET_MAX;
        }
        int type = flock.getShort(L_TYPE);
        if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK) {
            throw ErrnoException.of(Errno.EINVAL); // assign_type
        }
        return new Range(start, end);
    }

    // ---------------------------------------------------------------- flock

    /**
     * flock(2): {@code int flock(int fd, int operation)}. LOCK_SH, LOCK_EX or LOCK_UN, optionally
     * with LOCK_NB, on the open file description (shared by dup(2) and fork(2)); EINVAL for any
     * other operation, then EBADF for a descriptor that is not open (or O_PATH) or, for a lock,
     * open neither for reading nor writing; EWOULDBLOCK under LOCK_NB; a blocking wait ends
     * with ERESTARTSYS on a signal. An operation with LOCK_MAND is ignored (0), as Linux 5.15+.
     */
    static long flock(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        int operation = args.int32(1);
        if ((operation & LOCK_MAND) != 0) {
            return 0;
        }
        int type = switch (operation & ~LOCK_NB) {
            case LOCK_SH -> F_RDLCK;
            case LOCK_EX -> F_WRLCK;
            case LOCK_UN -> F_UNLCK;
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
        FileDescription file = FdSyscalls.fdget(task, fd);
        if (type != F_UNLCK && !file.readable() && !file.writable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        file.retain();
        try {
            FileLocks.flock(file, task.group().pid(), type, (operation & LOCK_NB) == 0);
        } finally {
            file.release();
        }
        return 0;
    }
}
