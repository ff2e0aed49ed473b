package dev.linux4j.loader;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A host file read through java.nio, named by its real path (as the kernel's d_path shows it). */
final class HostImageFile implements ImageFile {
    private final String path;
    private final byte[] bytes;

    private HostImageFile(String path, byte[] bytes) {
        this.path = path;
        this.bytes = bytes;
    }

    static HostImageFile open(Path p) {
        try {
            Path real = p.toRealPath();
            return new HostImageFile(real.toString(), Files.readAllBytes(real));
        } catch (NoSuchFileException e) {
            throw ErrnoException.of(Errno.ENOENT);
        } catch (IOException e) {
            throw ErrnoException.of(Errno.EIO);
        }
    }

    /** An opener resolving PT_INTERP paths on the host. */
    static ImageOpener hostOpener() {
        return path -> open(Path.of(path));
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public int read(long offset, byte[] dst, int off, int len) {
        if (offset < 0 || offset >= bytes.length) {
            return 0;
        }
        int n = (int) Math.min(len, bytes.length - offset);
        System.arraycopy(bytes, (int) offset, dst, off, n);
        return n;
    }
}
