package dev.linux4j.fs.host;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.host.HostErrors;
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
        return HostFileSystem.statHost(path);
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
            setLength(channel, length);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    /** ftruncate semantics: shrink, or grow with zeros (FileChannel.truncate only shrinks). */
    static void setLength(FileChannel ch, long length) throws IOException {
        long size = ch.size();
        if (length < size) {
            ch.truncate(length);
        } else if (length > size) {
            ch.write(ByteBuffer.wrap(new byte[1]), length - 1);
        }
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
