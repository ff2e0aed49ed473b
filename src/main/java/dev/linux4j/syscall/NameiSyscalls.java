package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.fs.socket.SocketPaths;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Vfs;
import java.nio.charset.StandardCharsets;

/**
 * The namespace-changing calls of fs/namei.c — mkdir, rmdir, unlink, rename, link, symlink —
 * and readlink (fs/stat.c), with their *at() forms. Errors come in the order Linux checks them:
 * the parent lookup, the kind of the last component, EROFS, the lookup of the last component,
 * trailing slashes, then the operation.
 */
final class NameiSyscalls {
    private NameiSyscalls() {}

    // ---------------------------------------------------------------- mkdir

    /** mkdir(2): {@code int mkdir(const char *pathname, mode_t mode)}. */
    static long mkdir(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        int mode = args.int32(1);
        return mkdirAt(task, AT_FDCWD, path, mode);
    }

    /** mkdirat(2): {@code int mkdirat(int dirfd, const char *pathname, mode_t mode)}. */
    static long mkdirat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        String path = PathArgs.read(task, args.pointer(1));
        int mode = args.int32(2);
        return mkdirAt(task, dirfd, path, mode);
    }

    /** do_mkdirat: the new directory gets {@code mode & ~umask & (0777|S_ISVTX)}. */
    private static long mkdirAt(Task task, int dirfd, String path, int mode) {
        ParentPath p = create(task, dirfd, path, true);
        int dirMode = mode & ~task.group().umask() & (0777 | Stat.S_ISVTX);
        p.location().fs().mkdir(p.location().fsPath(), dirMode);
        return 0;
    }

    // ---------------------------------------------------------------- mknod

    /** mknod(2): {@code int mknod(const char *pathname, mode_t mode, dev_t dev)}. */
    static long mknod(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        return mknodAt(task, AT_FDCWD, path, args.int32(1), args.int64(2));
    }

    /** mknodat(2): {@code int mknodat(int dirfd, const char *pathname, mode_t mode, dev_t dev)}. */
    static long mknodat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        String path = PathArgs.read(task, args.pointer(1));
        return mknodAt(task, dirfd, path, args.int32(2), args.int64(3));
    }

    /**
     * do_mknodat: may_mknod first (a zero type means a regular file, S_IFDIR is EPERM, an
     * unknown type EINVAL), then filename_create, then the umask; device nodes need CAP_MKNOD.
     */
    private static long mknodAt(Task task, int dirfd, String path, int mode, long dev) {
        int type = mode & Stat.S_IFMT;
        switch (type) {
            case 0 -> type = Stat.S_IFREG;
            case Stat.S_IFREG, Stat.S_IFCHR, Stat.S_IFBLK, Stat.S_IFIFO, Stat.S_IFSOCK -> {
            }
            case Stat.S_IFDIR -> throw ErrnoException.of(Errno.EPERM);
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
        ParentPath p = create(task, dirfd, path, false);
        int perm = mode & 07777 & ~task.group().umask();
        p.location().fs().mknod(p.location().fsPath(), type | perm, dev);
        return 0;
    }

    /**
     * unix_bind_bsd: an S_IFSOCK node at {@code path} with mode {@code 0777 & ~umask}, as
     * mknod(2) makes it, but EADDRINUSE where the name exists; returns the node's identity.
     */
    static SocketPaths.Node mksock(Task task, String path) {
        ParentPath p;
        try {
            p = create(task, AT_FDCWD, path, false);
        } catch (ErrnoException e) {
            throw e.errno() == Errno.EEXIST ? ErrnoException.of(Errno.EADDRINUSE) : e;
        }
        p.location().fs().mknod(p.location().fsPath(), Stat.S_IFSOCK | (0777 & ~task.group().umask()), 0);
        StatBuf st = p.location().fs().stat(p.location().fsPath());
        return new SocketPaths.Node(st.dev(), st.ino());
    }

    /**
     * filename_create: the parent of a name about to be created. EEXIST for ".", ".." and "/",
     * and for any existing name (even a dangling symlink); ENOENT for "name/" unless creating a
     * directory; then EROFS and EACCES.
     */
    private static ParentPath create(Task task, int dirfd, String path, boolean directory) {
        ParentPath p = ParentPath.of(task, dirfd, path);
        if (p.kind() != ParentPath.Kind.NORM || p.exists()) {
            throw ErrnoException.of(Errno.EEXIST);
        }
        if (p.trailingSlash() && !directory) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        if (p.readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        p.checkParentWritable();
        return p;
    }

    // ---------------------------------------------------------------- unlink and rmdir

    /** unlink(2): {@code int unlink(const char *pathname)}. */
    static long unlink(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        return unlinkAt(task, AT_FDCWD, path);
    }

    /** rmdir(2): {@code int rmdir(const char *pathname)}. */
    static long rmdir(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        return rmdirAt(task, AT_FDCWD, path);
    }

    /** unlinkat(2): {@code int unlinkat(int dirfd, const char *pathname, int flags)} with AT_REMOVEDIR. */
    static long unlinkat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        long pathPtr = args.pointer(1);
        int flags = args.int32(2);
        if ((flags & ~AT_REMOVEDIR) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        String path = PathArgs.read(task, pathPtr);
        return (flags & AT_REMOVEDIR) != 0 ? rmdirAt(task, dirfd, path) : unlinkAt(task, dirfd, path);
    }

    /** do_unlinkat: never follows the last component; "name/" is ENOTDIR unless a directory (EISDIR). */
    static long unlinkAt(Task task, int dirfd, String path) {
        ParentPath p = ParentPath.of(task, dirfd, path);
        if (p.kind() != ParentPath.Kind.NORM) {
            throw ErrnoException.of(Errno.EISDIR);
        }
        if (p.readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        if (!p.exists()) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        if (Stat.isDir(p.stat().mode())) {
            throw ErrnoException.of(Errno.EISDIR);
        }
        if (p.trailingSlash()) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        p.checkParentWritable();
        p.location().fs().unlink(p.location().fsPath());
        return 0;
    }

    /** do_rmdir: "." is EINVAL, ".." ENOTEMPTY, "/" and mount points EBUSY. */
    private static long rmdirAt(Task task, int dirfd, String path) {
        ParentPath p = ParentPath.of(task, dirfd, path);
        switch (p.kind()) {
            case DOT -> throw ErrnoException.of(Errno.EINVAL);
            case DOTDOT -> throw ErrnoException.of(Errno.ENOTEMPTY);
            case ROOT -> throw ErrnoException.of(Errno.EBUSY);
            case NORM -> { }
        }
        if (p.readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        if (!p.exists()) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        if (!Stat.isDir(p.stat().mode())) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        p.checkParentWritable();
        if (isMountPoint(p)) {
            throw ErrnoException.of(Errno.EBUSY);
        }
        p.location().fs().rmdir(p.location().fsPath());
        return 0;
    }

    private static boolean isMountPoint(ParentPath p) {
        return p.location().mount() != p.parentLocation().mount();
    }

    // ---------------------------------------------------------------- rename

    /** rename(2): {@code int rename(const char *oldpath, const char *newpath)}. */
    static long rename(Task task, SyscallArgs args) {
        String oldPath = PathArgs.read(task, args.pointer(0));
        String newPath = PathArgs.read(task, args.pointer(1));
        return renameAt(task, AT_FDCWD, oldPath, AT_FDCWD, newPath, 0);
    }

    /** renameat(2): {@code int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)}. */
    static long renameat(Task task, SyscallArgs args) {
        int oldDirfd = args.int32(0);
        String oldPath = PathArgs.read(task, args.pointer(1));
        int newDirfd = args.int32(2);
        String newPath = PathArgs.read(task, args.pointer(3));
        return renameAt(task, oldDirfd, oldPath, newDirfd, newPath, 0);
    }

    /**
     * renameat2(2): {@code int renameat2(int olddirfd, const char *oldpath, int newdirfd,
     * const char *newpath, unsigned int flags)} with RENAME_NOREPLACE. RENAME_EXCHANGE and
     * RENAME_WHITEOUT are EINVAL, as Linux answers for a file system without them.
     */
    static long renameat2(Task task, SyscallArgs args) {
        int oldDirfd = args.int32(0);
        long oldPtr = args.pointer(1);
        int newDirfd = args.int32(2);
        long newPtr = args.pointer(3);
        int flags = args.int32(4);
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
                || ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0 && (flags & RENAME_EXCHANGE) != 0)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return renameAt(task, oldDirfd, PathArgs.read(task, oldPtr), newDirfd, PathArgs.read(task, newPtr), flags);
    }

    /** do_renameat2 and vfs_rename. */
    private static long renameAt(Task task, int oldDirfd, String oldPath, int newDirfd, String newPath, int flags) {
        ParentPath from = ParentPath.of(task, oldDirfd, oldPath);
        ParentPath to = ParentPath.of(task, newDirfd, newPath);
        if (from.parentLocation().mount() != to.parentLocation().mount()) {
            throw ErrnoException.of(Errno.EXDEV);
        }
        if (from.kind() != ParentPath.Kind.NORM) {
            throw ErrnoException.of(Errno.EBUSY);
        }
        if (to.kind() != ParentPath.Kind.NORM) {
            throw ErrnoException.of((flags & RENAME_NOREPLACE) != 0 ? Errno.EEXIST : Errno.EBUSY);
        }
        if (from.readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        if (!from.exists()) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        boolean exchange = (flags & RENAME_EXCHANGE) != 0;
        if (exchange && !to.exists()) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        if ((flags & RENAME_NOREPLACE) != 0 && to.exists()) {
            throw ErrnoException.of(Errno.EEXIST);
        }
        boolean fromDir = Stat.isDir(from.stat().mode());
        if (!fromDir && (from.trailingSlash() || (!exchange && to.trailingSlash()))) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        String src = from.location().guestPath();
        String dst = to.location().guestPath();
        if (dst.startsWith(src + "/")) {
            throw ErrnoException.of(Errno.EINVAL); // the source is an ancestor of the target
        }
        if (src.startsWith(dst + "/")) {
            throw ErrnoException.of(exchange ? Errno.EINVAL : Errno.ENOTEMPTY); // the target is an ancestor
        }
        if (to.exists() && sameFile(from.stat(), to.stat())) {
            return 0; // rename(2): "If oldpath and newpath are existing hard links to the same file, do nothing"
        }
        from.checkParentWritable();
        to.checkParentWritable();
        if (to.exists() && !exchange) {
            boolean toDir = Stat.isDir(to.stat().mode());
            if (fromDir && !toDir) {
                throw ErrnoException.of(Errno.ENOTDIR);
            }
            if (!fromDir && toDir) {
                throw ErrnoException.of(Errno.EISDIR);
            }
        }
        if (isMountPoint(from) || (to.exists() && isMountPoint(to))) {
            throw ErrnoException.of(Errno.EBUSY);
        }
        if ((flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0) {
            throw ErrnoException.of(Errno.EINVAL); // the host file system gives no atomic exchange or whiteout
        }
        from.location().fs().rename(from.location().fsPath(), to.location().fsPath(), flags);
        return 0;
    }

    private static boolean sameFile(StatBuf a, StatBuf b) {
        return a.ino() == b.ino() && a.dev() == b.dev();
    }

    // ---------------------------------------------------------------- link and symlink

    /** link(2): {@code int link(const char *oldpath, const char *newpath)}. */
    static long link(Task task, SyscallArgs args) {
        String oldPath = PathArgs.read(task, args.pointer(0));
        String newPath = PathArgs.read(task, args.pointer(1));
        return linkAt(task, AT_FDCWD, oldPath, AT_FDCWD, newPath, 0);
    }

    /**
     * linkat(2): {@code int linkat(int olddirfd, const char *oldpath, int newdirfd,
     * const char *newpath, int flags)} with AT_SYMLINK_FOLLOW and AT_EMPTY_PATH.
     */
    static long linkat(Task task, SyscallArgs args) {
        int oldDirfd = args.int32(0);
        long oldPtr = args.pointer(1);
        int newDirfd = args.int32(2);
        long newPtr = args.pointer(3);
        int flags = args.int32(4);
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return linkAt(task, oldDirfd, PathArgs.read(task, oldPtr), newDirfd, PathArgs.read(task, newPtr), flags);
    }

    /**
     * do_linkat: a directory is EPERM, another mount EXDEV. The source may be an open file
     * (AT_EMPTY_PATH, or a /proc/self/fd/N link followed with AT_SYMLINK_FOLLOW): it is then
     * linked by the file itself, so an O_TMPFILE file gets its first name, and an unlinked one
     * is ENOENT, as vfs_link decides.
     */
    private static long linkAt(Task task, int oldDirfd, String oldPath, int newDirfd, String newPath, int flags) {
        boolean emptyPath = (flags & AT_EMPTY_PATH) != 0 && task.group().credentials().euid() == 0;
        int vfsFlags = (flags & AT_SYMLINK_FOLLOW) != 0 ? Vfs.FOLLOW : 0;
        Location existing;
        StatBuf st;
        FileDescription source = null;
        if (oldPath.isEmpty() && emptyPath && oldDirfd != AT_FDCWD) {
            source = task.files().get(oldDirfd);
            existing = source.location();
            st = source.ops().stat(source);
        } else {
            Vfs.Resolved r = PathArgs.resolve(task, oldDirfd, oldPath, vfsFlags, emptyPath);
            existing = r.location();
            st = r.stat();
            source = r.file();
        }
        if (existing == null) {
            throw ErrnoException.of(Errno.ENOENT); // a pipe or stdio stream: nowhere to link from
        }
        ParentPath p = ParentPath.of(task, newDirfd, newPath);
        if (p.kind() != ParentPath.Kind.NORM || p.exists()) {
            throw ErrnoException.of(Errno.EEXIST);
        }
        if (p.trailingSlash()) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        if (p.readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        if (existing.mount() != p.parentLocation().mount()) {
            throw ErrnoException.of(Errno.EXDEV);
        }
        p.checkParentWritable();
        if (Stat.isDir(st.mode())) {
            throw ErrnoException.of(Errno.EPERM);
        }
        if (source != null && source.ops().linkInto(source, p.location().fsPath())) {
            return 0;
        }
        if (source != null && st.nlink() == 0) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        p.location().fs().link(existing.fsPath(), p.location().fsPath());
        return 0;
    }

    /** symlink(2): {@code int symlink(const char *target, const char *linkpath)}. */
    static long symlink(Task task, SyscallArgs args) {
        long targetPtr = args.pointer(0);
        long linkPtr = args.pointer(1);
        return symlinkAt(task, targetPtr, AT_FDCWD, linkPtr);
    }

    /** symlinkat(2): {@code int symlinkat(const char *target, int newdirfd, const char *linkpath)}. */
    static long symlinkat(Task task, SyscallArgs args) {
        long targetPtr = args.pointer(0);
        int newDirfd = args.int32(1);
        long linkPtr = args.pointer(2);
        return symlinkAt(task, targetPtr, newDirfd, linkPtr);
    }

    /** do_symlinkat: the target is stored as given; an empty target is ENOENT. */
    private static long symlinkAt(Task task, long targetPtr, int newDirfd, long linkPtr) {
        String target = PathArgs.read(task, targetPtr);
        if (target.isEmpty()) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        String linkPath = PathArgs.read(task, linkPtr);
        ParentPath p = create(task, newDirfd, linkPath, false);
        p.location().fs().symlink(target, p.location().fsPath());
        return 0;
    }

    // ---------------------------------------------------------------- readlink

    /** readlink(2): {@code ssize_t readlink(const char *pathname, char *buf, size_t bufsiz)}. */
    static long readlink(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        long buf = args.pointer(1);
        int bufsiz = args.int32(2);
        return readlinkAt(task, AT_FDCWD, path, buf, bufsiz);
    }

    /** readlinkat(2): {@code ssize_t readlinkat(int dirfd, const char *pathname, char *buf, size_t bufsiz)}. */
    static long readlinkat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        String path = PathArgs.read(task, args.pointer(1));
        long buf = args.pointer(2);
        int bufsiz = args.int32(3);
        return readlinkAt(task, dirfd, path, buf, bufsiz);
    }

    /**
     * do_readlinkat: the target, truncated silently to {@code bufsiz} and not NUL-terminated.
     * An empty path names dirfd itself (an O_PATH|O_NOFOLLOW descriptor of a symlink); for
     * anything but a symlink that is ENOENT, a non-empty path to a non-symlink EINVAL.
     */
    private static long readlinkAt(Task task, int dirfd, String path, long buf, int bufsiz) {
        if (bufsiz <= 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Location loc;
        if (path.isEmpty()) {
            if (dirfd == AT_FDCWD) {
                throw ErrnoException.of(Errno.ENOENT);
            }
            FileDescription file = task.files().get(dirfd);
            if (file.location() == null || !Stat.isLink(file.ops().stat(file).mode())) {
                throw ErrnoException.of(Errno.ENOENT);
            }
            loc = file.location();
        } else {
            Vfs.Resolved r = PathArgs.resolve(task, dirfd, path, 0, false);
            if (!Stat.isLink(r.stat().mode())) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            loc = r.location();
        }
        byte[] target = loc.fs().readlink(loc.fsPath()).getBytes(StandardCharsets.UTF_8);
        int n = Math.min(target.length, bufsiz);
        task.memory().write(buf, target, 0, n);
        return n;
    }
}
