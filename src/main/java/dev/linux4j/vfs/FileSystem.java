package dev.linux4j.vfs;

import dev.linux4j.abi.StatBuf;
import java.util.List;

/**
 * A mounted file system's inode operations, addressed by the path inside the file system
 * ("" is its root; components are separated by '/'). The {@link Vfs} resolves symlinks and
 * "..", so paths given here never need following except where a method says so; none of these
 * methods follows a final symlink.
 */
public interface FileSystem {
    /** lstat: attributes of the file itself; ENOENT if it does not exist. */
    StatBuf stat(String path);

    /** readlink; EINVAL if not a symlink. */
    String readlink(String path);

    /** Opens an existing file or creates one (O_CREAT) after the VFS checked the flags. */
    FileOps open(String path, int flags, int mode);

    void mkdir(String path, int mode);

    void unlink(String path);

    void rmdir(String path);

    void rename(String from, String to, int flags);

    void link(String existing, String newPath);

    void symlink(String target, String linkPath);

    /**
     * mknod(2) of a FIFO, socket or empty regular file ({@code mode} holds the type and the
     * permission bits after umask). EPERM where the file system cannot make one.
     */
    default void mknod(String path, int mode, long device) {
        throw dev.linux4j.abi.ErrnoException.of(dev.linux4j.abi.Errno.EPERM);
    }

    void chmod(String path, int mode);

    void truncate(String path, long length);

    /** utimensat with resolved times in nanoseconds since the epoch; null leaves a time unchanged. */
    void setTimes(String path, Long atimeNanos, Long mtimeNanos);

    /** Directory entries of a directory, "." and ".." first. */
    List<DirEntry> list(String path);

    /**
     * statfs(2) fields: f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree, f_namelen, f_frsize;
     * optionally followed by f_fsid (val[0] in the low 32 bits, val[1] in the high) and f_flags (ST_*).
     */
    long[] statfs(String path);

    /**
     * chown(2) of the file itself (no symlink following) after the VFS checked permission; -1
     * leaves the owner or group unchanged. Linux: EPERM where the file system cannot do it.
     */
    default void chown(String path, int uid, int gid) {
        throw dev.linux4j.abi.ErrnoException.of(dev.linux4j.abi.Errno.EPERM);
    }

    /** Whether the caller may access the file: access(2) semantics for the given R_OK/W_OK/X_OK mask. */
    boolean access(String path, int mode);

    /**
     * Where following the symlink at {@code path} jumps, for /proc's magic links; null for an
     * ordinary symlink, whose {@link #readlink} text is resolved instead.
     */
    default MagicLink magicLink(String path) {
        return null;
    }

    /**
     * open(2) with O_TMPFILE: an unnamed regular file in the directory {@code dirPath}, linkable
     * later (unless {@code flags} has O_EXCL) through {@link FileOps#linkInto}. Linux:
     * EOPNOTSUPP when the file system has no ->tmpfile.
     */
    default FileOps openTmpfile(String dirPath, int flags, int mode) {
        throw dev.linux4j.abi.ErrnoException.of(dev.linux4j.abi.Errno.EOPNOTSUPP);
    }

    /**
     * The extended attributes of the file itself (no final symlink is followed), as the file
     * system stores them. The VFS has already applied Linux's namespace rules
     * (xattr_permission); by default the file system stores none (EOPNOTSUPP, an empty list).
     */
    default Xattrs xattrs(String path) {
        stat(path);
        return Xattrs.NONE;
    }
}
