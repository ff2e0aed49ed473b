package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileEvents;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Vfs;

/** open, openat, creat, close and the stat family: fs/open.c, fs/stat.c. */
final class OpenSyscalls {
    private OpenSyscalls() {}

    /** Flags open(2) accepts; anything else is ignored as Linux ignores unknown flags. */
    private static final int VALID_OPEN_FLAGS = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND
            | O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME
            | O_CLOEXEC | __O_SYNC | O_PATH | __O_TMPFILE;

    /** open(2): {@code int open(const char *pathname, int flags, mode_t mode)}. */
    static long open(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        int flags = args.int32(1);
        int mode = args.int32(2);
        return openAt(task, AT_FDCWD, path, flags, mode);
    }

    /** openat(2): {@code int openat(int dirfd, const char *pathname, int flags, mode_t mode)}. */
    static long openat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        String path = PathArgs.read(task, args.pointer(1));
        int flags = args.int32(2);
        int mode = args.int32(3);
        return openAt(task, dirfd, path, flags, mode);
    }

    /** creat(2): open with O_CREAT|O_WRONLY|O_TRUNC. */
    static long creat(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        int mode = args.int32(1);
        return openAt(task, AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    }

    /** do_sys_open: resolve, create if asked, check the flags against the file, install an fd. */
    static long openAt(Task task, int dirfd, String path, int flags, int mode) {
        flags &= VALID_OPEN_FLAGS;
        if ((flags & O_PATH) != 0) {
            flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        }
        if ((flags & __O_TMPFILE) != 0) {
            OpenUnnamed.checkTmpfileFlags(flags);
            return OpenUnnamed.tmpfile(task, dirfd, path, flags, mode);
        }
        boolean creating = (flags & O_CREAT) != 0;
        int vfsFlags = ((flags & O_NOFOLLOW) == 0 && !((flags & O_CREAT) != 0 && (flags & O_EXCL) != 0))
                ? Vfs.FOLLOW : 0;
        if (creating) {
            vfsFlags |= Vfs.MAY_NOT_EXIST;
        }
        Vfs.Resolved r = PathArgs.resolve(task, dirfd, path, vfsFlags, false);
        if (r.file() != null) {
            return OpenUnnamed.reopen(task, r.file(), r.stat(), flags);
        }
        StatBuf st = r.stat();
        Location loc = r.location();
        if (st != null) {
            if (creating && (flags & O_EXCL) != 0) {
                throw ErrnoException.of(Errno.EEXIST);
            }
            if (Stat.isLink(st.mode()) && (flags & O_PATH) == 0) {
                throw ErrnoException.of(Errno.ELOOP); // O_NOFOLLOW on a symlink
            }
            if ((flags & O_DIRECTORY) != 0 && !Stat.isDir(st.mode())) {
                throw ErrnoException.of(Errno.ENOTDIR);
            }
            if (Stat.isDir(st.mode()) && (flags & O_PATH) == 0
                    && ((flags & O_ACCMODE) != O_RDONLY || (creating && (flags & O_DIRECTORY) == 0))) {
                throw ErrnoException.of(Errno.EISDIR);
            }
            if ((flags & O_PATH) == 0) {
                checkPermission(loc, st, flags);
            }
        } else {
            if (path.endsWith("/")) {
                throw ErrnoException.of(Errno.EISDIR);
            }
            if (loc.mount().readOnly()) {
                throw ErrnoException.of(Errno.EROFS);
            }
        }
        if (((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) != 0 || (creating && st == null))
                && loc.mount().readOnly() && (flags & O_PATH) == 0) {
            throw ErrnoException.of(Errno.EROFS);
        }
        int createMode = mode & ~task.group().umask() & 07777;
        FileOps ops = loc.fs().open(loc.fsPath(), flags, createMode);
        // force_o_largefile(): 64-bit Linux marks every open file O_LARGEFILE, but not O_PATH ones.
        int fileFlags = (flags & O_PATH) != 0 ? flags : flags | O_LARGEFILE;
        FileDescription file = new FileDescription(ops, fileFlags, loc.guestPath(), loc);
        int fd = FdSyscalls.install(task, file, (flags & O_CLOEXEC) != 0);
        if ((flags & O_PATH) == 0) {
            FileEvents.opened(file); // do_sys_openat2's fsnotify_open
        }
        return fd;
    }

    /** may_open: access to an existing file for the requested mode. */
    private static void checkPermission(Location loc, StatBuf st, int flags) {
        int acc = flags & O_ACCMODE;
        int want = switch (acc) {
            case O_RDONLY -> R_OK;
            case O_WRONLY -> W_OK;
            default -> R_OK | W_OK;
        };
        if ((flags & O_TRUNC) != 0) {
            want |= W_OK;
        }
        if (!loc.fs().access(loc.fsPath(), want)) {
            throw ErrnoException.of(Errno.EACCES);
        }
    }

    /** close(2): {@code int close(int fd)}. */
    static long close(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        task.files().close(fd);
        return 0;
    }

    /** fstat(2): {@code int fstat(int fd, struct stat *statbuf)}. */
    static long fstat(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long statbuf = args.pointer(1);
        FileDescription file = task.files().get(fd);
        task.memory().write(statbuf, file.ops().stat(file).toStat());
        return 0;
    }

    /** stat(2): {@code int stat(const char *pathname, struct stat *statbuf)}. */
    static long stat(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        long statbuf = args.pointer(1);
        Vfs.Resolved r = PathArgs.resolve(task, AT_FDCWD, path, Vfs.FOLLOW, false);
        task.memory().write(statbuf, r.stat().toStat());
        return 0;
    }

    /** lstat(2): {@code int lstat(const char *pathname, struct stat *statbuf)}. */
    static long lstat(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        long statbuf = args.pointer(1);
        Vfs.Resolved r = PathArgs.resolve(task, AT_FDCWD, path, 0, false);
        task.memory().write(statbuf, r.stat().toStat());
        return 0;
    }

    /**
     * newfstatat(2): {@code int fstatat(int dirfd, const char *pathname, struct stat *statbuf, int flags)}
     * with AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_NO_AUTOMOUNT.
     */
    static long newfstatat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        String path = PathArgs.read(task, args.pointer(1));
        long statbuf = args.pointer(2);
        int flags = args.int32(3);
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        task.memory().write(statbuf, statAt(task, dirfd, path, flags).toStat());
        return 0;
    }

    /**
     * statx(2): {@code int statx(int dirfd, const char *pathname, int flags, unsigned int mask,
     * struct statx *statxbuf)}.
     */
    static long statx(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        String path = PathArgs.read(task, args.pointer(1));
        int flags = args.int32(2);
        int mask = args.int32(3);
        long buf = args.pointer(4);
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) != 0
                || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & 0x80000000) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        task.memory().write(buf, statAt(task, dirfd, path, flags).toStatx(mask));
        return 0;
    }

    /** vfs_fstatat: stat of a path relative to dirfd, or of dirfd itself with AT_EMPTY_PATH. */
    static StatBuf statAt(Task task, int dirfd, String path, int flags) {
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0 && dirfd != AT_FDCWD) {
            FileDescription file = task.files().get(dirfd);
            return file.ops().stat(file);
        }
        int vfsFlags = (flags & AT_SYMLINK_NOFOLLOW) != 0 ? 0 : Vfs.FOLLOW;
        Vfs.Resolved r = PathArgs.resolve(task, dirfd, path, vfsFlags, (flags & AT_EMPTY_PATH) != 0);
        return r.stat();
    }
}
