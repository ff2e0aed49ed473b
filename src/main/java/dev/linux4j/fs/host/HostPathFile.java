package dev.linux4j.fs.host;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import java.nio.file.Path;

/** An O_PATH descriptor: names a file for *at() calls and fstat; read and write give EBADF. */
final class HostPathFile implements FileOps {
    private final Path path;

    HostPathFile(Path path) {
        this.path = path;
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
        return HostFileSystem.statHost(path);
    }
}
