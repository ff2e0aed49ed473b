package dev.linux4j.fs.host;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.host.HostFiles;
import dev.linux4j.host.HostXattrs;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.Xattrs;

/**
 * An open host regular file held by its host descriptor ({@link HostFiles}): reads and writes
 * are pread/pwrite, fstat is the descriptor's, so the file stays itself after it is renamed or
 * unlinked, as an open file does on Linux — fstat shows st_nlink 0, /proc/self/fd/N reopens it,
 * and an O_TMPFILE file can be linked into the tree later.
 */
final class HostFdFile implements FileOps {
    private final HostFileSystem fs;
    private final int fd;

    HostFdFile(HostFileSystem fs, int fd) {
        this.fs = fs;
        this.fd = fd;
    }

    /** Host open(2) flags for a guest open of a regular file: the access mode and what creation needs. */
    static int hostFlags(int flags) {
        return (flags & (Fcntl.O_ACCMODE | Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_TRUNC)) | Fcntl.O_NOFOLLOW;
    }

    private static ErrnoException error(long rc) {
        return ErrnoException.ofNumber(-rc);
    }

    @Override
    public boolean seekable() {
        return true;
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        int total = 0;
        while (total < len) {
            long n = HostFiles.pread(fd, buf, off + total, len - total, position + total);
            if (n < 0) {
                if (total > 0) {
                    break;
                }
                throw error(n);
            }
            if (n == 0) {
                break;
            }
            total += (int) n;
        }
        return total;
    }

    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        int total = 0;
        while (total < len) {
            long n = HostFiles.pwrite(fd, buf, off + total, len - total, position + total);
            if (n < 0) {
                if (total > 0) {
                    break;
                }
                throw error(n);
            }
            total += (int) n;
        }
        return total;
    }

    @Override
    public long size(FileDescription file) {
        return stat(file).size();
    }

    @Override
    public StatBuf stat(FileDescription file) {
        return HostStat.of(fd);
    }

    @Override
    public void fsync(FileDescription file) {
        int rc = HostFiles.fsync(fd, false);
        if (rc < 0) {
            throw error(rc);
        }
    }

    @Override
    public void truncate(FileDescription file, long length) {
        if (!file.writable()) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int rc = HostFiles.ftruncate(fd, length);
        if (rc < 0) {
            throw error(rc);
        }
    }

    @Override
    public void fallocate(FileDescription file, int mode, long offset, long len) {
        int rc = HostFiles.fallocate(fd, mode, offset, len);
        if (rc == -38) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        if (rc < 0) {
            throw error(rc);
        }
    }

    /** SEEK_DATA/SEEK_HOLE from the host file system's extents; the generic answer if the host cannot say. */
    @Override
    public long seekDataHole(FileDescription file, long offset, int whence) {
        return seekDataHoleAnswer(HostFiles.lseek(fd, offset, whence), () -> FileOps.super.seekDataHole(file, offset, whence));
    }

    /**
     * The result of the host's lseek(SEEK_DATA or SEEK_HOLE), {@code r} being the offset or
     * -errno: ENXIO (no data, or hole, at or after the offset) as the host says it, and the
     * {@code generic} answer for any other failure, where the host cannot say.
     */
    static long seekDataHoleAnswer(long r, java.util.function.LongSupplier generic) {
        if (r >= 0) {
            return r;
        }
        if (r == Errno.ENXIO.negated()) {
            throw ErrnoException.of(Errno.ENXIO);
        }
        return generic.getAsLong();
    }

    /** A new open of the same host file, as opening /proc/self/fd/N does (also after unlink). */
    @Override
    public FileOps reopen(FileDescription file, int flags) {
        if ((flags & Fcntl.O_ACCMODE) != Fcntl.O_RDONLY || (flags & Fcntl.O_TRUNC) != 0) {
            fs.checkWritable();
        }
        int hostFlags = flags & (Fcntl.O_ACCMODE | Fcntl.O_TRUNC);
        int newFd = HostFiles.open("/proc/self/fd/" + fd, hostFlags, 0);
        if (newFd < 0) {
            throw error(newFd);
        }
        return new HostFdFile(fs, newFd);
    }

    @Override
    public String pathNow(FileDescription file) {
        return fs.pathOfDescriptor(fd);
    }

    @Override
    public Xattrs xattrs(FileDescription file) {
        return new HostFileXattrs(fs, HostXattrs.Target.fd(fd));
    }

    @Override
    public boolean linkInto(FileDescription file, String newPath) {
        fs.checkWritable();
        int rc = HostFiles.linkDescriptor(fd, fs.host(newPath).toString());
        if (rc < 0) {
            throw error(rc);
        }
        return true;
    }

    @Override
    public void release(FileDescription file) {
        HostFiles.close(fd);
    }
}
