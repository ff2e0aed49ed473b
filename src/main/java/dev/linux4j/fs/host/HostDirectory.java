package dev.linux4j.fs.host;

import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import java.util.List;

/** An open host directory: getdents64 reads a snapshot taken at open or rewind. */
final class HostDirectory implements FileOps {
    private final HostFileSystem fs;
    private final String path;

    HostDirectory(HostFileSystem fs, String path) {
        this.fs = fs;
        this.path = path;
    }

    @Override
    public boolean seekable() {
        return true;
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        throw dev.linux4j.abi.ErrnoException.of(dev.linux4j.abi.Errno.EISDIR);
    }

    @Override
    public StatBuf stat(FileDescription file) {
        return fs.stat(path);
    }

    /** The listing getdents walks; taken again whenever reading starts from position 0 (open, rewinddir). */
    private List<DirEntry> snapshot;

    @Override
    public synchronized List<DirEntry> readdir(FileDescription file) {
        if (snapshot == null || file.position() == 0) {
            snapshot = fs.list(path);
        }
        return snapshot;
    }

    @Override
    public void fsync(FileDescription file) {}
}
