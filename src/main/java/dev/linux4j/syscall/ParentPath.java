package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.NAME_MAX;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Vfs;

/**
 * A path split the way Linux's {@code filename_parentat} splits it for the calls that create,
 * remove or rename names (mkdir, unlink, rmdir, rename, link, symlink): the resolved directory
 * that holds the last component, the component itself, its kind (Linux's LAST_NORM, LAST_ROOT,
 * LAST_DOT, LAST_DOTDOT) and whether the path ended in slashes. The last component is never
 * followed; {@link #stat()} is its lstat, or null when it does not exist.
 */
record ParentPath(Vfs.Resolved parent, String name, Kind kind, boolean trailingSlash, Location location,
        StatBuf stat) {

    /** The kind of the last component, as fs/namei.c's LAST_* types. */
    enum Kind {
        /** An ordinary name. */
        NORM,
        /** The path was "/" (or only slashes). */
        ROOT,
        /** The last component is ".". */
        DOT,
        /** The last component is "..". */
        DOTDOT
    }

    boolean exists() {
        return stat != null;
    }

    /** The parent directory's location. */
    Location parentLocation() {
        return parent.location();
    }

    /**
     * Resolves every component but the last (following symlinks), relative to {@code dirfd};
     * then looks the last one up without following it. An empty path is ENOENT.
     */
    static ParentPath of(Task task, int dirfd, String path) {
        if (path.isEmpty()) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        Vfs vfs = task.kernel().vfs();
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        boolean trailing = end < path.length();
        if (end == 0) {
            Vfs.Resolved root = vfs.resolve(PathArgs.root(task), "/", "/", Vfs.FOLLOW);
            return new ParentPath(root, "/", Kind.ROOT, trailing, root.location(), root.stat());
        }
        int slash = path.lastIndexOf('/', end - 1);
        String name = path.substring(slash + 1, end);
        Vfs.Resolved parent;
        if (slash < 0) {
            String start = PathArgs.startDirectory(task, dirfd, path);
            parent = vfs.resolve(start, ".", Vfs.FOLLOW);
        } else {
            // Keep the slash so the parent must be a directory ("file/x" is ENOTDIR).
            parent = PathArgs.resolve(task, dirfd, path.substring(0, slash + 1), Vfs.FOLLOW, false);
        }
        Kind kind = name.equals(".") ? Kind.DOT : name.equals("..") ? Kind.DOTDOT : Kind.NORM;
        if (kind != Kind.NORM) {
            return new ParentPath(parent, name, kind, trailing, parent.location(), parent.stat());
        }
        if (name.length() > NAME_MAX) {
            throw ErrnoException.of(Errno.ENAMETOOLONG);
        }
        String dir = parent.guestPath();
        Location loc = vfs.locate(dir.equals("/") ? "/" + name : dir + "/" + name);
        return new ParentPath(parent, name, kind, trailing, loc, lstatOrNull(loc));
    }

    /** lstat of a location, or null when nothing is there. */
    static StatBuf lstatOrNull(Location loc) {
        try {
            return loc.fs().stat(loc.fsPath());
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    /** may_create / may_delete: write and search permission on the parent directory, else EACCES. */
    void checkParentWritable() {
        Location p = parent.location();
        if (!p.fs().access(p.fsPath(), dev.linux4j.abi.Fcntl.W_OK | dev.linux4j.abi.Fcntl.X_OK)) {
            throw ErrnoException.of(Errno.EACCES);
        }
    }

    /** mnt_want_write on the parent's mount: EROFS on a read-only mount. */
    boolean readOnly() {
        return parent.location().mount().readOnly();
    }
}
