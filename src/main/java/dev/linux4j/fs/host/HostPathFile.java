package dev.linux4j.fs.host;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.host.HostFiles;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import java.nio.file.Path;

/**
 * An O_PATH descriptor: names a file for *at() calls and fstat; read and write give EBADF. On
 * a Linux host it holds a host O_PATH descriptor ({@code hostFd} ≥ 0), so it keeps naming the
 * same file after a rename or unlink.
 */
final class HostPathFile implements FileOps {
    private final HostFileSystem fs;
    private final Path path;
    private final int hostFd;

    HostPathFile(HostFileSystem fs, Path path, int hostFd) {
        this.fs = fs;
        this.path = path;
        this.hostFd = hostFd;
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        throw ErrnoException.of(Errno.EBADF);
    }

    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        throw ErrnoException.of(Errno.EBADF);
    }

    @Override
    public StatBuf stat(FileDescription file) {
        return hostFd < 0 ? HostStat.of(path) : HostStat.of(hostFd);
    }

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
