package dev.linux4j.fs.host;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.host.HostErrors;
import dev.linux4j.host.HostNative;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** An open host regular file: positional reads and writes on a {@link FileChannel}. */
final class HostRegularFile implements FileOps {
    private final Path path;
    private final FileChannel channel;

    HostRegularFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    @Override
    public boolean seekable() {
        return true;
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
            int total = 0;
            while (bb.hasRemaining()) {
                int n = channel.read(bb, position + total);
                if (n <= 0) {
                    break;
                }
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
            int total = 0;
            while (bb.hasRemaining()) {
                total += channel.write(bb, position + total);
            }
            return total;
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public long size(FileDescription file) {
        try {
            return channel.size();
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public StatBuf stat(FileDescription file) {
        return HostStat.of(path);
    }

    @Override
    public void fsync(FileDescription file) {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public void truncate(FileDescription file, long length) {
        if (!file.writable()) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        try {
            setLength(channel, path, length);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    /**
     * ftruncate semantics: shrink, or grow with a hole as Linux does (FileChannel.truncate only
     * shrinks; the host's truncate(2) on the path grows sparsely, so st_blocks stays as on Linux).
     * Writing one zero byte at the new end is the fallback where that is unavailable.
     */
    static void setLength(FileChannel ch, Path path, long length) throws IOException {
        long size = ch.size();
        if (length < size) {
            ch.truncate(length);
        } else if (length > size) {
            if (path == null || HostNative.truncate(path.toString(), length) != 0 || ch.size() != length) {
                ch.write(ByteBuffer.wrap(new byte[1]), length - 1);
            }
        }
    }

    /** fallocate(2) by the host on the same file: allocation, hole punching and size as ext4 and friends do them. */
    @Override
    public void fallocate(FileDescription file, int mode, long offset, long len) {
        int rc = HostNative.fallocate(path.toString(), mode, offset, len);
        if (rc == -38) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        if (rc < 0) {
            throw ErrnoException.ofNumber(-rc);
        }
    }

    /** SEEK_DATA/SEEK_HOLE from the host file system's extents; the generic answer if the host cannot say. */
    @Override
    public long seekDataHole(FileDescription file, long offset, int whence) {
        return HostFdFile.seekDataHoleAnswer(HostNative.seekDataHole(path.toString(), offset, whence),
                () -> FileOps.super.seekDataHole(file, offset, whence));
    }

    @Override
    public void release(FileDescription file) {
        try {
            channel.close();
        } catch (IOException e) {
            // close(2) of a regular file reports write-back errors; the host already flushed.
        }
    }
}
