package dev.linux4j.fs.host;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.FileSystem;
import dev.linux4j.vfs.Xattrs;
import java.util.List;

/**
 * The FreeBSD Linuxulator's lookup ({@code linux_emul_convpath()}: try {@code /compat/linux}
 * first, then the host's own tree) as a file system: each path is looked up in the guest root,
 * and only when it does not exist there, in the fallback tree (the host root). Anything created,
 * renamed or removed is done in the guest root. Used for {@code --host-fallback}; never the
 * default, because it makes the host visible to the guest.
 */
public final class FallbackFileSystem implements FileSystem {
    private final FileSystem primary;
    private final FileSystem fallback;

    public FallbackFileSystem(FileSystem primary, FileSystem fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    /** The tree that holds {@code path} for reading: the guest root when it has it (or any error but ENOENT). */
    private FileSystem holder(String path) {
        try {
            primary.stat(path);
            return primary;
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) {
                return primary;
            }
        }
        try {
            fallback.stat(path);
            return fallback;
        } catch (ErrnoException e) {
            return primary;
        }
    }

    @Override
    public StatBuf stat(String path) {
        return holder(path).stat(path);
    }

    @Override
    public String readlink(String path) {
        return holder(path).readlink(path);
    }

    @Override
    public FileOps open(String path, int flags, int mode) {
        return holder(path).open(path, flags, mode);
    }

    @Override
    public FileOps openTmpfile(String dirPath, int flags, int mode) {
        return primary.openTmpfile(dirPath, flags, mode);
    }

    @Override
    public Xattrs xattrs(String path) {
        return holder(path).xattrs(path);
    }

    @Override
    public void mkdir(String path, int mode) {
        primary.mkdir(path, mode);
    }

    @Override
    public void unlink(String path) {
        primary.unlink(path);
    }

    @Override
    public void rmdir(String path) {
        primary.rmdir(path);
    }

    @Override
    public void rename(String from, String to, int flags) {
        primary.rename(from, to, flags);
    }

    @Override
    public void link(String existing, String newPath) {
        primary.link(existing, newPath);
    }

    @Override
    public void symlink(String target, String linkPath) {
        primary.symlink(target, linkPath);
    }

    @Override
    public void mknod(String path, int mode, long dev) {
        primary.mknod(path, mode, dev);
    }

    @Override
    public void chmod(String path, int mode) {
        holder(path).chmod(path, mode);
    }

    @Override
    public void chown(String path, int uid, int gid) {
        holder(path).chown(path, uid, gid);
    }

    @Override
    public void truncate(String path, long length) {
        holder(path).truncate(path, length);
    }

    @Override
    public void setTimes(String path, Long atimeNanos, Long mtimeNanos) {
        holder(path).setTimes(path, atimeNanos, mtimeNanos);
    }

    @Override
    public List<DirEntry> list(String path) {
        return holder(path).list(path);
    }

    @Override
    public long[] statfs(String path) {
        return holder(path).statfs(path);
    }

    @Override
    public boolean access(String path, int mode) {
        return holder(path).access(path, mode);
    }
}
