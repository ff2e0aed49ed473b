package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.Task;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.MappedFile;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;

/** read, write and their vectored and positional forms, and lseek: fs/read_write.c. */
final class ReadWriteSyscalls {
    private ReadWriteSyscalls() {}

    /** Largest single transfer, as Linux's MAX_RW_COUNT (INT_MAX rounded down to a page). */
    static final long MAX_RW_COUNT = 0x7ffff000L;
    /** Bytes moved between guest memory and a file per step. */
    private static final int CHUNK = 1 << 16;
    /** IOV_MAX. */
    private static final int IOV_MAX = 1024;

    /** read(2): {@code ssize_t read(int fd, void *buf, size_t count)}. */
    static long read(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long buf = args.pointer(1);
        long count = args.sizeT(2);
        FileDescription file = task.files().get(fd);
        return readAt(task, file, buf, count, -1);
    }

    /** write(2): {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    static long write(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long buf = args.pointer(1);
        long count = args.sizeT(2);
        FileDescription file = task.files().get(fd);
        return writeAt(task, file, buf, count, -1);
    }

    /** pread64(2): {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)}. */
    static long pread64(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long buf = args.pointer(1);
        long count = args.sizeT(2);
        long offset = args.int64(3);
        FileDescription file = task.files().get(fd);
        if (offset < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (!file.ops().seekable()) {
            throw ErrnoException.of(Errno.ESPIPE);
        }
        return readAt(task, file, buf, count, offset);
    }

    /** pwrite64(2): {@code ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)}. */
    static long pwrite64(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long buf = args.pointer(1);
        long count = args.sizeT(2);
        long offset = args.int64(3);
        FileDescription file = task.files().get(fd);
        if (offset < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (!file.ops().seekable()) {
            throw ErrnoException.of(Errno.ESPIPE);
        }
        return writeAt(task, file, buf, count, offset);
    }

    /** readv(2): {@code ssize_t readv(int fd, const struct iovec *iov, int iovcnt)}. */
    static long readv(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long iov = args.pointer(1);
        int iovcnt = args.int32(2);
        FileDescription file = task.files().get(fd);
        long[][] vec = iovecs(task, iov, iovcnt);
        long total = 0;
        for (long[] v : vec) {
            if (v[1] == 0) {
                continue;
            }
            long n = readAt(task, file, v[0], v[1], -1);
            total += n;
            if (n < v[1]) {
                break;
            }
        }
        return total;
    }

    /** writev(2): {@code ssize_t writev(int fd, const struct iovec *iov, int iovcnt)}. */
    static long writev(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long iov = args.pointer(1);
        int iovcnt = args.int32(2);
        FileDescription file = task.files().get(fd);
        long[][] vec = iovecs(task, iov, iovcnt);
        // Gather into one buffer so a writev to a pipe or terminal is one write, as on Linux.
        long total = 0;
        for (long[] v : vec) {
            total += v[1];
        }
        if (total <= CHUNK * 16L) {
            byte[] all = new byte[(int) total];
            int at = 0;
            for (long[] v : vec) {
                task.memory().read(v[0], all, at, (int) v[1]);
                at += (int) v[1];
            }
            checkWritable(file);
            return writeBytes(file, all, 0, all.length, -1);
        }
        long written = 0;
        for (long[] v : vec) {
            long n = writeAt(task, file, v[0], v[1], -1);
            written += n;
            if (n < v[1]) {
                break;
            }
        }
        return written;
    }

    /** lseek(2): {@code off_t lseek(int fd, off_t offset, int whence)}. */
    static long lseek(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long offset = args.int64(1);
        int whence = args.int32(2);
        FileDescription file = task.files().get(fd);
        FileOps ops = file.ops();
        if (!ops.seekable()) {
            throw ErrnoException.of(Errno.ESPIPE);
        }
        long pos;
        try {
            pos = switch (whence) {
                case SEEK_SET -> offset;
                case SEEK_CUR -> Math.addExact(file.position(), offset);
                case SEEK_END -> Math.addExact(ops.size(file), offset);
                case SEEK_DATA, SEEK_HOLE -> {
                    long size = ops.size(file);
                    if (offset < 0 || offset >= size) {
                        throw ErrnoException.of(Errno.ENXIO);
                    }
                    yield ops.seekDataHole(file, offset, whence);
                }
                default -> throw ErrnoException.of(Errno.EINVAL);
            };
        } catch (ArithmeticException overflow) {
            throw ErrnoException.of(Errno.EOVERFLOW);
        }
        if (pos < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        file.setPosition(pos);
        return pos;
    }

    // ---------------------------------------------------------------- shared helpers

    private static long[][] iovecs(Task task, long iov, int iovcnt) {
        if (iovcnt < 0 || iovcnt > IOV_MAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        AddressSpace mem = task.memory();
        long[][] vec = new long[iovcnt][];
        long total = 0;
        for (int i = 0; i < iovcnt; i++) {
            long base = mem.read64(iov + 16L * i);
            long len = mem.read64(iov + 16L * i + 8);
            if (len < 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            total += len;
            if (total < 0 || total > MAX_RW_COUNT) {
                len -= total - MAX_RW_COUNT;
                total = MAX_RW_COUNT;
            }
            vec[i] = new long[] {base, len};
        }
        return vec;
    }

    private static void checkReadable(FileDescription file) {
        if (!file.readable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
    }

    private static void checkWritable(FileDescription file) {
        if (!file.writable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
    }

    /**
     * Reads up to {@code count} bytes into guest memory at {@code buf}; at the file position
     * (advancing it) when {@code offset} is -1.
     */
    static long readAt(Task task, FileDescription file, long buf, long count, long offset) {
        checkReadable(file);
        if (count < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        count = Math.min(count, MAX_RW_COUNT);
        FileOps ops = file.ops();
        boolean positional = ops.seekable();
        long pos = offset >= 0 ? offset : positional ? file.position() : 0;
        FileMappings.beforeAccess(file);
        byte[] chunk = new byte[(int) Math.min(count, CHUNK)];
        long total = 0;
        while (total < count) {
            int want = (int) Math.min(chunk.length, count - total);
            int n = ops.read(file, chunk, 0, want, pos + total);
            if (n <= 0) {
                break;
            }
            task.memory().write(buf + total, chunk, 0, n);
            total += n;
            if (n < want || !positional) {
                break; // a short read from a stream returns what arrived, as Linux does
            }
        }
        if (offset < 0 && positional) {
            file.setPosition(pos + total);
        }
        return total;
    }

    static long writeAt(Task task, FileDescription file, long buf, long count, long offset) {
        checkWritable(file);
        if (count < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        count = Math.min(count, MAX_RW_COUNT);
        if (count <= CHUNK) {
            byte[] data = task.memory().read(buf, (int) count);
            return writeBytes(file, data, 0, data.length, offset);
        }
        long total = 0;
        byte[] chunk = new byte[CHUNK];
        while (total < count) {
            int want = (int) Math.min(CHUNK, count - total);
            task.memory().read(buf + total, chunk, 0, want);
            long n = writeBytes(file, chunk, 0, want, offset < 0 ? -1 : offset + total);
            total += n;
            if (n < want) {
                break;
            }
        }
        return total;
    }

    /** Writes bytes at the position (O_APPEND: at the end) or at {@code offset}. */
    static long writeBytes(FileDescription file, byte[] data, int off, int len, long offset) {
        FileOps ops = file.ops();
        if (!ops.seekable()) {
            return ops.write(file, data, off, len, 0);
        }
        MappedFile.Stamp before = FileMappings.beforeWrite(file);
        if (offset >= 0) {
            int n = ops.write(file, data, off, len, offset);
            FileMappings.afterWrite(file, offset, n, before);
            return n;
        }
        synchronized (file) {
            long pos = (file.flags() & O_APPEND) != 0 ? ops.size(file) : file.position();
            int n = ops.write(file, data, off, len, pos);
            file.setPosition(pos + n);
            FileMappings.afterWrite(file, pos, n, before);
            return n;
        }
    }
}
