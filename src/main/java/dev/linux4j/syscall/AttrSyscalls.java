package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.kernel.Credentials;
import dev.linux4j.kernel.Task;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Vfs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

/**
 * Inode attributes: access and faccessat (fs/open.c), chmod, truncate (fs/open.c),
 * utimensat/utimes/utime (fs/utimes.c) and statfs (fs/statfs.c).
 */
final class AttrSyscalls {
    private AttrSyscalls() {}

    /** utimensat's special tv_nsec values, include/uapi/linux/stat.h. */
    static final long UTIME_NOW = (1L << 30) - 1;
    static final long UTIME_OMIT = (1L << 30) - 2;

    /** statfs f_flags bits, include/linux/statfs.h. */
    static final long ST_RDONLY = 0x0001;
    static final long ST_VALID = 0x0020;
    /** sizeof(struct statfs) on x86-64. */
    static final int SIZEOF_STATFS = 120;

    // ---------------------------------------------------------------- access

    /** access(2): {@code int access(const char *pathname, int mode)}. */
    static long access(Task task, SyscallArgs args) {
        long pathPtr = args.pointer(0);
        int mode = args.int32(1);
        return accessAt(task, AT_FDCWD, pathPtr, mode, 0);
    }

    /** faccessat(2), the kernel's three-argument form: {@code int faccessat(int dirfd, const char *pathname, int mode)}. */
    static long faccessat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        long pathPtr = args.pointer(1);
        int mode = args.int32(2);
        return accessAt(task, dirfd, pathPtr, mode, 0);
    }

    /**
     * faccessat2(2): {@code int faccessat2(int dirfd, const char *pathname, int mode, int flags)} with
     * AT_EACCESS (the same as the real ids here: linux4j never changes ids), AT_SYMLINK_NOFOLLOW and
     * AT_EMPTY_PATH.
     */
    static long faccessat2(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        long pathPtr = args.pointer(1);
        int mode = args.int32(2);
        int flags = args.int32(3);
        return accessAt(task, dirfd, pathPtr, mode, flags);
    }

    /** do_faccessat. */
    private static long accessAt(Task task, int dirfd, long pathPtr, int mode, int flags) {
        if ((mode & ~(R_OK | W_OK | X_OK)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if ((flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        String path = PathArgs.read(task, pathPtr);
        int vfsFlags = (flags & AT_SYMLINK_NOFOLLOW) != 0 ? 0 : Vfs.FOLLOW;
        boolean emptyPath = (flags & AT_EMPTY_PATH) != 0;
        Vfs.Resolved r = PathArgs.resolve(task, dirfd, path, vfsFlags, emptyPath);
        if (r.location() == null) {
            // An anonymous file (a pipe or stdio stream, by AT_EMPTY_PATH or /proc/self/fd): its mode bits decide.
            if (!permittedByMode(r.stat(), mode, task.group().credentials())) {
                throw ErrnoException.of(Errno.EACCES);
            }
            return 0;
        }
        if (mode == F_OK) {
            return 0;
        }
        int type = r.stat().mode() & Stat.S_IFMT;
        boolean writableType = type == Stat.S_IFREG || type == Stat.S_IFDIR || type == Stat.S_IFLNK;
        if ((mode & W_OK) != 0 && writableType && r.location().mount().readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        if (type == Stat.S_IFLNK) {
            return 0; // a symlink's own permissions are 0777 and never checked
        }
        if (!r.location().fs().access(r.location().fsPath(), mode)) {
            throw ErrnoException.of(Errno.EACCES);
        }
        return 0;
    }

    /** generic_permission from the mode bits alone, for files with no path to ask the host about. */
    static boolean permittedByMode(StatBuf st, int mode, Credentials cred) {
        if (cred.fsuid() == 0) {
            return (mode & X_OK) == 0 || (st.mode() & 0111) != 0 || Stat.isDir(st.mode());
        }
        int bits = cred.fsuid() == st.uid() ? (st.mode() >> 6) & 7 : cred.fsgid() == st.gid() ? (st.mode() >> 3) & 7
                : st.mode() & 7;
        return (mode & ~bits) == 0;
    }

    // ---------------------------------------------------------------- chmod

    /** chmod(2): {@code int chmod(const char *pathname, mode_t mode)}. */
    static long chmod(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        int mode = args.int32(1);
        return chmodAt(task, AT_FDCWD, path, mode, 0);
    }

    /** fchmod(2): {@code int fchmod(int fd, mode_t mode)}. */
    static long fchmod(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        int mode = args.int32(1);
        FileDescription file = FdSyscalls.fdget(task, fd);
        if (file.ops() instanceof dev.linux4j.fs.memfd.MemfdFile memfd) {
            var cred = task.group().credentials();
            if (cred.fsuid() != 0 && cred.fsuid() != memfd.stat(file).uid()) {
                throw ErrnoException.of(Errno.EPERM); // inode_owner_or_capable
            }
            memfd.chmod(mode);
            return 0;
        }
        if (file.location() == null) {
            return 0; // a pipe or stdio stream: its inode lives only in the host kernel
        }
        return chmodCommon(task, file.location(), file.ops().stat(file), mode);
    }

    /** fchmodat(2), the kernel's three-argument form: {@code int fchmodat(int dirfd, const char *pathname, mode_t mode)}. */
    static long fchmodat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        String path = PathArgs.read(task, args.pointer(1));
        int mode = args.int32(2);
        return chmodAt(task, dirfd, path, mode, 0);
    }

    /**
     * fchmodat2(2): {@code int fchmodat2(int dirfd, const char *pathname, mode_t mode, unsigned int flags)}
     * with AT_SYMLINK_NOFOLLOW (a symlink itself is EOPNOTSUPP, as on Linux) and AT_EMPTY_PATH.
     */
    static long fchmodat2(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        long pathPtr = args.pointer(1);
        int mode = args.int32(2);
        int flags = args.int32(3);
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return chmodAt(task, dirfd, PathArgs.read(task, pathPtr), mode, flags);
    }

    private static long chmodAt(Task task, int dirfd, String path, int mode, int flags) {
        int vfsFlags = (flags & AT_SYMLINK_NOFOLLOW) != 0 ? 0 : Vfs.FOLLOW;
        Vfs.Resolved r = PathArgs.resolve(task, dirfd, path, vfsFlags, (flags & AT_EMPTY_PATH) != 0);
        if (r.location() == null) {
            return 0; // a pipe or stdio stream
        }
        return chmodCommon(task, r.location(), r.stat(), mode);
    }

    /** chmod_common: only the 07777 bits change; EROFS; a symlink's mode cannot change (EOPNOTSUPP). */
    private static long chmodCommon(Task task, Location loc, StatBuf st, int mode) {
        if (loc.mount().readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        if (Stat.isLink(st.mode())) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        int fsuid = task.group().credentials().fsuid();
        if (fsuid != 0 && fsuid != st.uid()) {
            throw ErrnoException.of(Errno.EPERM);
        }
        loc.fs().chmod(loc.fsPath(), mode & 07777);
        return 0;
    }

    // ---------------------------------------------------------------- truncate

    /** truncate(2): {@code int truncate(const char *path, off_t length)}. */
    static long truncate(Task task, SyscallArgs args) {
        long pathPtr = args.pointer(0);
        long length = args.int64(1);
        if (length < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Vfs.Resolved r = PathArgs.resolve(task, AT_FDCWD, PathArgs.read(task, pathPtr), Vfs.FOLLOW, false);
        int mode = r.stat().mode();
        if (Stat.isDir(mode)) {
            throw ErrnoException.of(Errno.EISDIR);
        }
        if (!Stat.isReg(mode) || r.location() == null) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Location loc = r.location();
        if (loc.mount().readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        if (!loc.fs().access(loc.fsPath(), W_OK)) {
            throw ErrnoException.of(Errno.EACCES);
        }
        ReadWriteSyscalls.checkNewSize(task, r.stat().size(), length);
        loc.fs().truncate(loc.fsPath(), length);
        return 0;
    }

    /** ftruncate(2): {@code int ftruncate(int fd, off_t length)}; EINVAL unless a regular file open for writing. */
    static long ftruncate(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long length = args.int64(1);
        if (length < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        FileDescription file = FdSyscalls.fdget(task, fd);
        var st = file.ops().stat(file);
        if (!file.writable() || !Stat.isReg(st.mode())) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        ReadWriteSyscalls.checkNewSize(task, st.size(), length);
        file.ops().truncate(file, length);
        FileMappings.afterTruncate(file);
        return 0;
    }

    // ---------------------------------------------------------------- utimes

    /**
     * utimensat(2): {@code int utimensat(int dirfd, const char *pathname, const struct timespec times[2],
     * int flags)} with UTIME_NOW, UTIME_OMIT, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH; a NULL pathname
     * with a dirfd is futimens(3).
     */
    static long utimensat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        long pathPtr = args.pointer(1);
        long timesPtr = args.pointer(2);
        int flags = args.int32(3);
        long[] times = null;
        if (timesPtr != 0) {
            AddressSpace mem = task.memory();
            times = new long[] {mem.read64(timesPtr), mem.read64(timesPtr + 8), mem.read64(timesPtr + 16),
                mem.read64(timesPtr + 24)};
            if (times[1] == UTIME_OMIT && times[3] == UTIME_OMIT) {
                return 0; // nothing to do: Linux does not even look at the path
            }
        }
        return utimesAt(task, dirfd, pathPtr, times, flags);
    }

    /** utimes(2): {@code int utimes(const char *filename, const struct timeval times[2])}. */
    static long utimes(Task task, SyscallArgs args) {
        return utimesAt(task, AT_FDCWD, args.pointer(0), timevals(task, args.pointer(1)), 0);
    }

    /**
     * futimesat(2): {@code int futimesat(int dirfd, const char *pathname, const struct timeval
     * times[2])}: utimes relative to a directory descriptor (do_futimesat). EINVAL for
     * microseconds outside [0, 999999] before the path is looked at; a NULL pathname with a
     * dirfd other than AT_FDCWD sets the times of the dirfd's own file, as futimes(3) does.
     */
    static long futimesat(Task task, SyscallArgs args) {
        return utimesAt(task, args.int32(0), args.pointer(1), timevals(task, args.pointer(2)), 0);
    }

    /** Two struct timevals as {sec, nsec} pairs (null for a NULL pointer); EINVAL for bad microseconds. */
    private static long[] timevals(Task task, long timesPtr) {
        if (timesPtr == 0) {
            return null;
        }
        AddressSpace mem = task.memory();
        long[] tv = {mem.read64(timesPtr), mem.read64(timesPtr + 8), mem.read64(timesPtr + 16),
            mem.read64(timesPtr + 24)};
        if (tv[1] < 0 || tv[1] >= 1_000_000 || tv[3] < 0 || tv[3] >= 1_000_000) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return new long[] {tv[0], tv[1] * 1000, tv[2], tv[3] * 1000};
    }

    /** utime(2): {@code int utime(const char *filename, const struct utimbuf *times)}: whole seconds. */
    static long utime(Task task, SyscallArgs args) {
        long pathPtr = args.pointer(0);
        long timesPtr = args.pointer(1);
        long[] times = null;
        if (timesPtr != 0) {
            AddressSpace mem = task.memory();
            times = new long[] {mem.read64(timesPtr), 0, mem.read64(timesPtr + 8), 0};
        }
        return utimesAt(task, AT_FDCWD, pathPtr, times, 0);
    }

    /** do_utimes: {sec, nsec} pairs for atime and mtime, or null for "now". */
    private static long utimesAt(Task task, int dirfd, long pathPtr, long[] times, int flags) {
        Location loc;
        StatBuf st;
        if (pathPtr == 0 && dirfd != AT_FDCWD) {
            if (flags != 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            FileDescription file = FdSyscalls.fdget(task, dirfd);
            loc = file.location();
            st = file.ops().stat(file);
        } else {
            if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            String path = PathArgs.read(task, pathPtr);
            int vfsFlags = (flags & AT_SYMLINK_NOFOLLOW) != 0 ? 0 : Vfs.FOLLOW;
            Vfs.Resolved r = PathArgs.resolve(task, dirfd, path, vfsFlags, (flags & AT_EMPTY_PATH) != 0);
            loc = r.location(); // null for a pipe or stdio stream
            st = r.stat();
        }
        return vfsUtimes(task, loc, st, times);
    }

    /** vfs_utimes: validates the nanoseconds, then EROFS, then the owner/writer checks of notify_change. */
    private static long vfsUtimes(Task task, Location loc, StatBuf st, long[] times) {
        if (times != null) {
            if (!nsecValid(times[1]) || !nsecValid(times[3])) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (times[1] == UTIME_NOW && times[3] == UTIME_NOW) {
                times = null;
            }
        }
        if (loc != null && loc.mount().readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        Credentials cred = task.group().credentials();
        if (cred.fsuid() != 0 && cred.fsuid() != st.uid()) {
            boolean explicit = times != null && ((times[1] != UTIME_NOW && times[1] != UTIME_OMIT)
                    || (times[3] != UTIME_NOW && times[3] != UTIME_OMIT));
            if (explicit) {
                throw ErrnoException.of(Errno.EPERM);
            }
            if (loc != null && !loc.fs().access(loc.fsPath(), W_OK)) {
                throw ErrnoException.of(Errno.EACCES);
            }
        }
        if (loc == null) {
            return 0; // a pipe or stdio stream: its times live only in the host kernel
        }
        long now = nowNanos();
        Long atime = times == null ? Long.valueOf(now) : toNanos(times[0], times[1], now);
        Long mtime = times == null ? Long.valueOf(now) : toNanos(times[2], times[3], now);
        loc.fs().setTimes(loc.fsPath(), atime, mtime);
        return 0;
    }

    private static boolean nsecValid(long nsec) {
        return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec <= 999_999_999L);
    }

    private static Long toNanos(long sec, long nsec, long now) {
        if (nsec == UTIME_OMIT) {
            return null;
        }
        if (nsec == UTIME_NOW) {
            return now;
        }
        try {
            return Math.addExact(Math.multiplyExact(sec, 1_000_000_000L), nsec);
        } catch (ArithmeticException beyondRange) {
            return sec < 0 ? Long.MIN_VALUE : Long.MAX_VALUE; // clamped, as timestamp_truncate clamps to the fs range
        }
    }

    private static long nowNanos() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    // ---------------------------------------------------------------- statfs

    /** statfs(2): {@code int statfs(const char *path, struct statfs *buf)}. */
    static long statfs(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        long buf = args.pointer(1);
        Vfs.Resolved r = PathArgs.resolve(task, AT_FDCWD, path, Vfs.FOLLOW, false);
        task.memory().write(buf, r.location() == null ? PIPEFS_STATFS : statfsOf(r.location()));
        return 0;
    }

    /** fstatfs(2): {@code int fstatfs(int fd, struct statfs *buf)}; O_PATH descriptors are accepted. */
    static long fstatfs(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long buf = args.pointer(1);
        FileDescription file = task.files().get(fd);
        Location loc = file.location();
        if (loc == null) {
            task.memory().write(buf, PIPEFS_STATFS);
            return 0;
        }
        task.memory().write(buf, statfsOf(loc));
        return 0;
    }

    /** pipefs: PIPEFS_MAGIC, as Linux reports for a pipe. */
    private static final byte[] PIPEFS_STATFS = encodeStatfs(new long[] {0x50495045L, 4096, 0, 0, 0, 0, 0, 255, 4096},
            false);

    private static byte[] statfsOf(Location loc) {
        return encodeStatfs(loc.fs().statfs(loc.fsPath()), loc.mount().readOnly());
    }

    /**
     * struct statfs for x86-64 ({@code include/uapi/asm-generic/statfs.h}, 120 bytes): f_type 0,
     * f_bsize 8, f_blocks 16, f_bfree 24, f_bavail 32, f_files 40, f_ffree 48, f_fsid 56 (two
     * ints), f_namelen 64, f_frsize 72, f_flags 80, f_spare[4] 88.
     */
    static byte[] encodeStatfs(long[] f, boolean readOnly) {
        ByteBuffer b = ByteBuffer.allocate(SIZEOF_STATFS).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, f[0]);
        b.putLong(8, f[1]);
        b.putLong(16, f[2]);
        b.putLong(24, f[3]);
        b.putLong(32, f[4]);
        b.putLong(40, f[5]);
        b.putLong(48, f[6]);
        b.putLong(64, f[7]);
        b.putLong(72, f[8]);
        if (f.length > 10) {
            b.putLong(56, f[9]);
            b.putLong(80, f[10] | (readOnly ? ST_RDONLY : 0));
        } else {
            b.putLong(80, ST_VALID | (readOnly ? ST_RDONLY : 0));
        }
        return b.array();
    }
}
