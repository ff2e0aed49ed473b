package dev.linux4j.fs.host;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.host.HostFiles;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import java.nio.file.Path;
import java.util.List;

/**
 * An open host directory: getdents64 reads a snapshot taken at open or rewind. On a Linux host
 * it is held by a host descriptor ({@code hostFd} ≥ 0), so it stays the same directory after a
 * rename — fstat, getdents and *at() calls follow it, as they follow a dentry on Linux.
 */
final class HostDirectory implements FileOps {
    private final HostFileSystem fs;
    private final String path;
    private final int hostFd;

    HostDirectory(HostFileSystem fs, String path, int hostFd) {
        this.fs = fs;
        this.path = path;
        this.hostFd = hostFd;
    }

    @Override
    public boolean seekable() {
        return true;
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        throw ErrnoException.of(Errno.EISDIR);
    }

    @Override
    public StatBuf stat(FileDescription file) {
        return hostFd < 0 ? fs.stat(path) : HostStat.of(hostFd);
    }

    /** The listing now (FileDescription#readdir keeps it while getdents walks it). */
    @Override
    public List<DirEntry> readdir(FileDescription file) {
        if (hostFd >= 0 && HostStat.of(hostFd).nlink() == 0) {
            throw ErrnoException.of(Errno.ENOENT); // iterate_dir on a removed directory (IS_DEADDIR)
        }
        return hostFd < 0 ? fs.list(path) : fs.list(path, Path.of("/proc/self/fd/" + hostFd));
    }

    @Override
    public void fsync(FileDescription file) {}

    @Override
    public String pathNow(FileDescription file) {
        return hostFd < 0 ? null : fs.pathOfDescriptor(hostFd);
    }

    @Override
    public void release(FileDescription file) {
        if (hostFd >= 0) {
            HostFiles.close(hostFd);
        }
    }
}
