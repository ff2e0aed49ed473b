package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.AT_FDCWD;
import static dev.linux4j.abi.Fcntl.PATH_MAX;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.Vfs;
import java.nio.charset.StandardCharsets;

/**
 * Path arguments: copying a path from guest memory (getname) and resolving it relative to a
 * directory descriptor (the *at() family), through the one VFS resolver.
 */
final class PathArgs {
    private PathArgs() {}

    /** Copies a NUL-terminated path; ENAMETOOLONG at PATH_MAX, EFAULT on a bad pointer. */
    static String read(Task task, long pathPtr) {
        if (pathPtr == 0) {
            throw ErrnoException.of(Errno.EFAULT);
        }
        byte[] bytes = task.memory().readCString(pathPtr, PATH_MAX - 1);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The process's root directory (chroot): where absolute paths and absolute symlinks start. */
    static String root(Task task) {
        return task.group().fs().root();
    }

    /** The guest directory a relative path starts from: the cwd, or the directory behind dirfd. */
    static String startDirectory(Task task, int dirfd, String path) {
        if (!path.isEmpty() && path.charAt(0) == '/') {
            return root(task);
        }
        if (dirfd == AT_FDCWD) {
            return task.group().cwd();
        }
        FileDescription dir = task.files().get(dirfd);
        if (dir.location() == null) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        if (!path.isEmpty() && !Stat.isDir(dir.ops().stat(dir).mode())) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        return Vfs.whereNow(dir).guestPath();
    }

    /**
     * Resolves a path argument relative to {@code dirfd}, inside the process's root. With
     * {@code emptyPath} (AT_EMPTY_PATH) an empty path names the file behind dirfd itself;
     * otherwise an empty path is ENOENT. The result names an open file with no path (its
     * {@code location()} is null and {@code file()} the file) for AT_EMPTY_PATH on a pipe or
     * stdio stream, and for a /proc/PID/fd/N link to one.
     */
    static Vfs.Resolved resolve(Task task, int dirfd, String path, int vfsFlags, boolean emptyPath) {
        Vfs vfs = task.kernel().vfs();
        if (path.isEmpty()) {
            if (!emptyPath) {
                throw ErrnoException.of(Errno.ENOENT);
            }
            if (dirfd == AT_FDCWD) {
                return vfs.resolve("/", "/", task.group().cwd(), vfsFlags);
            }
            FileDescription file = task.files().get(dirfd);
            if (file.location() == null) {
                return new Vfs.Resolved(null, file.ops().stat(file), file);
            }
            return vfs.resolve("/", "/", Vfs.whereNow(file).guestPath(), vfsFlags & ~Vfs.FOLLOW);
        }
        return vfs.resolve(root(task), startDirectory(task, dirfd, path), path, vfsFlags);
    }
}
