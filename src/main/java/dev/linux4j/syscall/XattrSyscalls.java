package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.AT_FDCWD;
import static dev.linux4j.abi.Fcntl.R_OK;
import static dev.linux4j.abi.Fcntl.W_OK;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.kernel.Credentials;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Vfs;
import dev.linux4j.vfs.Xattrs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Extended attributes (fs/xattr.c): the name and size checks, Linux's namespace rules
 * ({@code xattr_permission}: user.* only on regular files and directories, trusted.* and
 * setting security.* only with CAP_SYS_ADMIN — an effective uid of 0 here), then the file
 * system's store: the host file system's own attributes for host files, none in /proc.
 */
final class XattrSyscalls {
    private XattrSyscalls() {}

    /** XATTR_NAME_MAX, XATTR_SIZE_MAX and XATTR_LIST_MAX (include/uapi/linux/limits.h). */
    private static final int XATTR_NAME_MAX = 255;
    private static final int XATTR_SIZE_MAX = 65536;
    private static final int XATTR_LIST_MAX = 65536;

    private static final String USER = "user.";
    private static final String TRUSTED = "trusted.";
    private static final String SECURITY = "security.";

    /**
     * What an attribute call acts on.
     *
     * @param xattrs the file's attributes
     * @param stat its attributes
     * @param location where it is, or null for a file without a path
     * @param readOnly whether its mount is read-only
     * @param open whether it was named by an open file (permission then comes from its mode bits)
     */
    private record Target(Xattrs xattrs, StatBuf stat, Location location, boolean readOnly, boolean open) {}

    // ---------------------------------------------------------------- handlers

    /** getxattr(2), lgetxattr(2): {@code ssize_t getxattr(const char *path, const char *name, void *value, size_t size)}. */
    static Handler get(boolean follow) {
        return (task, args) -> {
            String name = name(task, args.pointer(1));
            return get(task, path(task, args.pointer(0), follow), name, args.pointer(2), args.sizeT(3));
        };
    }

    /** fgetxattr(2): {@code ssize_t fgetxattr(int fd, const char *name, void *value, size_t size)}. */
    static long fget(Task task, SyscallArgs args) {
        Target t = fd(task, args.int32(0));
        return get(task, t, name(task, args.pointer(1)), args.pointer(2), args.sizeT(3));
    }

    /** setxattr(2), lsetxattr(2): {@code int setxattr(const char *path, const char *name, const void *value, size_t size, int flags)}. */
    static Handler set(boolean follow) {
        return (task, args) -> {
            int flags = args.int32(4);
            checkSetFlags(flags);
            String name = name(task, args.pointer(1));
            byte[] value = value(task, args.pointer(2), args.sizeT(3));
            return set(task, path(task, args.pointer(0), follow), name, value, flags);
        };
    }

    /** fsetxattr(2): {@code int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)}. */
    static long fset(Task task, SyscallArgs args) {
        Target t = fd(task, args.int32(0));
        int flags = args.int32(4);
        checkSetFlags(flags);
        String name = name(task, args.pointer(1));
        return set(task, t, name, value(task, args.pointer(2), args.sizeT(3)), flags);
    }

    /** listxattr(2), llistxattr(2): {@code ssize_t listxattr(const char *path, char *list, size_t size)}. */
    static Handler list(boolean follow) {
        return (task, args) -> list(task, path(task, args.pointer(0), follow), args.pointer(1), args.sizeT(2));
    }

    /** flistxattr(2): {@code ssize_t flistxattr(int fd, char *list, size_t size)}. */
    static long flist(Task task, SyscallArgs args) {
        return list(task, fd(task, args.int32(0)), args.pointer(1), args.sizeT(2));
    }

    /** removexattr(2), lremovexattr(2): {@code int removexattr(const char *path, const char *name)}. */
    static Handler remove(boolean follow) {
        return (task, args) -> {
            String name = name(task, args.pointer(1));
            return remove(task, path(task, args.pointer(0), follow), name);
        };
    }

    /** fremovexattr(2): {@code int fremovexattr(int fd, const char *name)}. */
    static long fremove(Task task, SyscallArgs args) {
        Target t = fd(task, args.int32(0));
        return remove(task, t, name(task, args.pointer(1)));
    }

    // ---------------------------------------------------------------- arguments

    /** The file a path names (following a final symlink unless the l-form). */
    private static Target path(Task task, long pathPtr, boolean follow) {
        String path = PathArgs.read(task, pathPtr);
        Vfs.Resolved r = PathArgs.resolve(task, AT_FDCWD, path, follow ? Vfs.FOLLOW : 0, false);
        if (r.file() != null) {
            return of(r.file());
        }
        Location loc = r.location();
        return new Target(loc.fs().xattrs(loc.fsPath()), r.stat(), loc, loc.mount().readOnly(), false);
    }

    /** The file behind a descriptor (EBADF, also for O_PATH descriptors). */
    private static Target fd(Task task, int fd) {
        return of(FdSyscalls.fdget(task, fd));
    }

    private static Target of(FileDescription file) {
        Location loc = file.location();
        return new Target(file.ops().xattrs(file), file.ops().stat(file), loc, loc != null && loc.mount().readOnly(),
                true);
    }

    /** strncpy_from_user into a XATTR_NAME_MAX + 1 buffer: an empty or too long name is ERANGE. */
    private static String name(Task task, long namePtr) {
        byte[] bytes;
        try {
            bytes = task.memory().readCString(namePtr, XATTR_NAME_MAX);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENAMETOOLONG) {
                throw ErrnoException.of(Errno.ERANGE);
            }
            throw e;
        }
        if (bytes.length == 0) {
            throw ErrnoException.of(Errno.ERANGE);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** setxattr_copy's value: E2BIG over XATTR_SIZE_MAX. */
    private static byte[] value(Task task, long valuePtr, long size) {
        if (Long.compareUnsigned(size, XATTR_SIZE_MAX) > 0) {
            throw ErrnoException.of(Errno.E2BIG);
        }
        return size == 0 ? new byte[0] : task.memory().read(valuePtr, (int) size);
    }

    private static void checkSetFlags(int flags) {
        if ((flags & ~(Xattrs.XATTR_CREATE | Xattrs.XATTR_REPLACE)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    // ---------------------------------------------------------------- the operations

    /** do_getxattr: the value's length with size 0, ERANGE when it does not fit. */
    private static long get(Task task, Target t, String name, long valuePtr, long size) {
        permission(task, t, name, false);
        byte[] value = t.xattrs().get(name);
        long room = Long.compareUnsigned(size, XATTR_SIZE_MAX) > 0 ? XATTR_SIZE_MAX : size;
        if (room == 0) {
            return value.length;
        }
        if (value.length > room) {
            throw ErrnoException.of(Errno.ERANGE);
        }
        task.memory().write(valuePtr, value);
        return value.length;
    }

    /** do_setxattr: EROFS, the namespace rules, then the store (EEXIST for XATTR_CREATE, ENODATA for XATTR_REPLACE). */
    private static long set(Task task, Target t, String name, byte[] value, int flags) {
        if (t.readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        permission(task, t, name, true);
        t.xattrs().set(name, value, flags);
        return 0;
    }

    /** removexattr: as set, then ENODATA when there is no such attribute. */
    private static long remove(Task task, Target t, String name) {
        if (t.readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        permission(task, t, name, true);
        t.xattrs().remove(name);
        return 0;
    }

    /**
     * vfs_listxattr: every name, NUL-terminated — trusted.* only for CAP_SYS_ADMIN, as ext4 and
     * tmpfs list them. No permission is needed to list.
     */
    private static long list(Task task, Target t, long listPtr, long size) {
        byte[] raw = t.xattrs().list();
        byte[] names = capable(task) ? raw : withoutTrusted(raw);
        long room = Long.compareUnsigned(size, XATTR_LIST_MAX) > 0 ? XATTR_LIST_MAX : size;
        if (room == 0) {
            return names.length;
        }
        if (names.length > room) {
            throw ErrnoException.of(names.length > XATTR_LIST_MAX ? Errno.E2BIG : Errno.ERANGE);
        }
        task.memory().write(listPtr, names);
        return names.length;
    }

    private static byte[] withoutTrusted(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        int start = 0;
        for (int k = 0; k < raw.length; k++) {
            if (raw[k] == 0) {
                String n = new String(raw, start, k - start, StandardCharsets.UTF_8);
                if (!n.startsWith(TRUSTED)) {
                    out.write(raw, start, k - start + 1);
                }
                start = k + 1;
            }
        }
        return out.toByteArray();
    }

    private static boolean capable(Task task) {
        return task.group().credentials().euid() == 0;
    }

    /**
     * xattr_permission, then security_inode_setxattr/removexattr's CAP_SYS_ADMIN for security.*:
     * user.* on anything but a regular file or directory is ENODATA to read and EPERM to write,
     * as is a sticky directory not the caller's; trusted.* needs CAP_SYS_ADMIN; user.* and
     * unknown namespaces need read or write permission on the file.
     */
    private static void permission(Task task, Target t, String name, boolean write) {
        Credentials cred = task.group().credentials();
        if (name.startsWith(SECURITY)) {
            if (write && !capable(task)) {
                throw ErrnoException.of(Errno.EPERM);
            }
            return;
        }
        if (name.startsWith("system.")) {
            return;
        }
        if (name.startsWith(TRUSTED)) {
            if (!capable(task)) {
                throw ErrnoException.of(write ? Errno.EPERM : Errno.ENODATA);
            }
            return;
        }
        int mode = t.stat().mode();
        if (name.startsWith(USER)) {
            if (!Stat.isReg(mode) && !Stat.isDir(mode)) {
                throw ErrnoException.of(write ? Errno.EPERM : Errno.ENODATA);
            }
            if (Stat.isDir(mode) && (mode & Stat.S_ISVTX) != 0 && write && cred.fsuid() != 0
                    && cred.fsuid() != t.stat().uid()) {
                throw ErrnoException.of(Errno.EPERM);
            }
        }
        int want = write ? W_OK : R_OK;
        Location loc = t.location();
        boolean allowed = t.open() ? AttrSyscalls.permittedByMode(t.stat(), want, cred)
                : loc.fs().access(loc.fsPath(), want);
        if (!allowed) {
            throw ErrnoException.of(Errno.EACCES);
        }
    }
}
