package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.*;
import static dev.linux4j.abi.ReadWrite.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Resource;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Stat;
import dev.linux4j.fs.pipe.PipeEnd;
import dev.linux4j.kernel.SignalCalls;
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
    /** Most a read or write of a stream moves at once (a pipe holds at most 1 MiB). */
    private static final int STREAM_MAX = CHUNK * 16;
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

    /**
     * readv(2): {@code ssize_t readv(int fd, const struct iovec *iov, int iovcnt)}. From a
     * stream it is one read scattered over the buffers, as Linux's read_iter does.
     */
    static long readv(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long iov = args.pointer(1);
        long iovcnt = args.int64(2);
        FileDescription file = task.files().get(fd);
        return readVector(task, file, iov, iovcnt, -1, 0);
    }

    /**
     * writev(2): {@code ssize_t writev(int fd, const struct iovec *iov, int iovcnt)}. The
     * buffers are gathered so a writev to a pipe or terminal is one write, as on Linux.
     */
    static long writev(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long iov = args.pointer(1);
        long iovcnt = args.int64(2);
        FileDescription file = task.files().get(fd);
        return writeVector(task, file, iov, iovcnt, -1, 0);
    }

    /** lseek(2): {@code off_t lseek(int fd, off_t offset, int whence)}. */
    static long lseek(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long offset = args.int64(1);
        int whence = args.int32(2);
        FileDescription file = task.files().get(fd);
        FileOps ops = file.ops();
        if (whence < 0 || whence > SEEK_HOLE) {
            throw ErrnoException.of(Errno.EINVAL); // ksys_lseek checks SEEK_MAX before the file's llseek
        }
        if (ops.noopLlseek()) {
            return file.position();
        }
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

    /** import_iovec: {base, length} pairs, EINVAL beyond IOV_MAX, lengths clipped to MAX_RW_COUNT in all. */
    static long[][] iovecs(Task task, long iov, long iovcnt) {
        if (iovcnt < 0 || iovcnt > IOV_MAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        AddressSpace mem = task.memory();
        long[][] vec = new long[(int) iovcnt][];
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
        if (count <= CHUNK || count <= STREAM_MAX && !file.ops().seekable()) {
            // one write to a stream, so a pipe takes it as one pipe_write, as on Linux
            byte[] data = task.memory().read(buf, (int) count);
            return writeBytes(file, data, 0, data.length, offset);
        }
        count = limitWrite(file, count, offset, (file.flags() & O_APPEND) != 0);
        long total = 0;
        byte[] chunk = new byte[CHUNK];
        while (total < count) {
            int want = (int) Math.min(CHUNK, count - total);
            long n;
            try {
                task.memory().read(buf + total, chunk, 0, want);
                n = writeBytes(file, chunk, 0, want, offset < 0 ? -1 : offset + total);
            } catch (RuntimeException e) {
                if (total > 0) {
                    // a signal, EPIPE, EAGAIN or EFAULT after some chunks went: the count of
                    // what went, as pipe_write and generic_perform_write return it (the chunks
                    // written would otherwise be written again when the caller retries)
                    return total;
                }
                throw e;
            }
            total += n;
            if (n < want) {
                break;
            }
        }
        return total;
    }

    /**
     * Writes bytes at the position or at {@code offset}; with O_APPEND at the end of the file
     * whatever the offset (pwrite(2)'s BUGS), the position moving only when {@code offset} is -1.
     */
    static long writeBytes(FileDescription file, byte[] data, int off, int len, long offset) {
        return writeBytes(file, data, off, len, offset, (file.flags() & O_APPEND) != 0, false);
    }

    /**
     * {@link #writeBytes(FileDescription, byte[], int, int, long)} with the append mode given
     * (O_APPEND, RWF_APPEND, RWF_NOAPPEND) and {@code nowait} (RWF_NOWAIT: a pipe does not block).
     */
    static long writeBytes(FileDescription file, byte[] data, int off, int len, long offset, boolean append,
            boolean nowait) {
        FileOps ops = file.ops();
        if (!ops.seekable()) {
            if (nowait && ops instanceof PipeEnd end) {
                return end.write(file, data, off, len, true);
            }
            return ops.write(file, data, off, len, 0);
        }
        len = (int) limitWrite(file, len, offset, append);
        MappedFile.Stamp before = FileMappings.beforeWrite(file);
        if (offset >= 0 && !append) {
            int n = ops.write(file, data, off, len, offset);
            FileMappings.afterWrite(file, offset, n, before);
            return n;
        }
        synchronized (file) {
            long pos = append ? ops.size(file) : file.position();
            int n = ops.write(file, data, off, len, pos);
            if (offset < 0) {
                file.setPosition(pos + n);
            }
            FileMappings.afterWrite(file, pos, n, before);
            return n;
        }
    }

    /**
     * generic_write_check_limits: the part of a {@code count}-byte write to a regular file that
     * RLIMIT_FSIZE allows, at the offset (or the position, or the end with {@code append});
     * none at or past the limit: SIGXFSZ to the writer, then EFBIG. Other files have no limit.
     */
    static long limitWrite(FileDescription file, long count, long offset, boolean append) {
        Task task = count == 0 ? null : Task.current();
        if (task == null) {
            return count;
        }
        long limit = task.group().softLimit(Resource.RLIMIT_FSIZE);
        if (limit == Resource.RLIM_INFINITY || !Stat.isReg(file.ops().stat(file).mode())) {
            return count;
        }
        long pos = append ? file.ops().size(file) : offset >= 0 ? offset : file.position();
        if (Long.compareUnsigned(pos, limit) >= 0) {
            SignalCalls.sendSelf(task, Signal.SIGXFSZ);
            throw ErrnoException.of(Errno.EFBIG);
        }
        return Math.min(count, limit - pos);
    }

    /**
     * inode_newsize_ok: growing a file to {@code newSize} past RLIMIT_FSIZE sends SIGXFSZ and fails
     * with EFBIG (truncate, ftruncate, fallocate without FALLOC_FL_KEEP_SIZE).
     */
    static void checkNewSize(Task task, long oldSize, long newSize) {
        long limit = task.group().softLimit(Resource.RLIMIT_FSIZE);
        if (newSize > oldSize && limit != Resource.RLIM_INFINITY && Long.compareUnsigned(newSize, limit) > 0) {
            SignalCalls.sendSelf(task, Signal.SIGXFSZ);
            throw ErrnoException.of(Errno.EFBIG);
        }
    }

    /**
     * preadv(2): {@code ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t
     * offset)}; the raw call passes the offset as (pos_l, pos_h), and on x86-64 pos_l holds all
     * of it. Linux's order: EINVAL for a negative offset, EBADF, ESPIPE for a stream, then
     * readv's checks; the file position is left alone.
     */
    static long preadv(Task task, SyscallArgs args) {
        return positionalVector(task, args, 0, false);
    }

    /** pwritev(2): {@code ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)}, as {@link #preadv}. */
    static long pwritev(Task task, SyscallArgs args) {
        return positionalVector(task, args, 0, true);
    }

    /**
     * preadv2(2): {@code ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t
     * offset, int flags)}: offset -1 reads at (and advances) the file position as readv does,
     * any other offset as preadv. Flags (kiocb_set_rw_flags): EOPNOTSUPP for unknown ones and
     * RWF_ATOMIC; RWF_NOWAIT makes a pipe read non-blocking, and a regular file's data is
     * always at hand; RWF_DONTCACHE only on regular files; checked after an empty transfer
     * has returned 0.
     */
    static long preadv2(Task task, SyscallArgs args) {
        if (args.int64(3) == -1) {
            FileDescription file = task.files().get(args.int32(0));
            return readVector(task, file, args.pointer(1), args.int64(2), -1, args.int32(5));
        }
        return positionalVector(task, args, args.int32(5), false);
    }

    /**
     * pwritev2(2): {@code ssize_t pwritev2(int fd, const struct iovec *iov, int iovcnt, off_t
     * offset, int flags)}, as {@link #preadv2}. RWF_APPEND writes at the end of the file (the
     * position moves only for offset -1), RWF_NOAPPEND ignores O_APPEND; RWF_NOWAIT makes a
     * pipe write non-blocking and is EOPNOTSUPP for a regular file (ext4 has no non-blocking
     * buffered writes); RWF_DSYNC, RWF_SYNC and RWF_HIPRI change nothing observable here.
     */
    static long pwritev2(Task task, SyscallArgs args) {
        if (args.int64(3) == -1) {
            FileDescription file = task.files().get(args.int32(0));
            return writeVector(task, file, args.pointer(1), args.int64(2), -1, args.int32(5));
        }
        return positionalVector(task, args, args.int32(5), true);
    }

    /** do_preadv/do_pwritev: EINVAL for a negative offset, EBADF, ESPIPE, then the transfer. */
    private static long positionalVector(Task task, SyscallArgs args, int flags, boolean write) {
        int fd = args.int32(0);
        long iov = args.pointer(1);
        long iovcnt = args.int64(2);
        long offset = args.int64(3);
        if (offset < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        FileDescription file = task.files().get(fd);
        if (!file.ops().seekable()) {
            throw ErrnoException.of(Errno.ESPIPE);
        }
        return write ? writeVector(task, file, iov, iovcnt, offset, flags)
                : readVector(task, file, iov, iovcnt, offset, flags);
    }

    /**
     * vfs_readv: EBADF unless open for reading, the iovec array (EINVAL, EFAULT), 0 for an
     * empty transfer, the offset range and the RWF flags, then the read at {@code offset} or,
     * for -1, at the file position.
     */
    static long readVector(Task task, FileDescription file, long iov, long iovcnt, long offset, int flags) {
        checkReadable(file);
        long[][] vec = iovecs(task, iov, iovcnt);
        long total = total(vec);
        if (total == 0) {
            return 0;
        }
        verifyArea(offset, total);
        checkRwFlags(file, flags);
        FileOps ops = file.ops();
        if (!ops.seekable()) {
            byte[] buf = new byte[(int) Math.min(total, STREAM_MAX)];
            boolean nowait = (flags & RWF_NOWAIT) != 0;
            int n;
            if (ops instanceof PipeEnd end) {
                n = end.read(file, buf, 0, buf.length, nowait);
            } else {
                if (nowait && !ops.readReady(file)) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                n = ops.read(file, buf, 0, buf.length, 0);
            }
            scatter(task, vec, buf, n);
            return n;
        }
        long done = 0;
        for (long[] v : vec) {
            if (v[1] == 0) {
                continue;
            }
            long n;
            try {
                n = readAt(task, file, v[0], v[1], offset < 0 ? -1 : offset + done);
            } catch (ErrnoException e) {
                if (done > 0) {
                    break;
                }
                throw e;
            }
            done += n;
            if (n < v[1]) {
                break;
            }
        }
        return done;
    }

    /**
     * vfs_writev: EBADF unless open for writing, the iovec array, 0 for an empty transfer, the
     * offset range and the RWF flags, then the buffers gathered and written at {@code offset}
     * or, for -1, at the file position (at the end for O_APPEND or RWF_APPEND).
     */
    static long writeVector(Task task, FileDescription file, long iov, long iovcnt, long offset, int flags) {
        checkWritable(file);
        long[][] vec = iovecs(task, iov, iovcnt);
        long total = total(vec);
        if (total == 0) {
            return 0;
        }
        verifyArea(offset, total);
        checkRwFlags(file, flags);
        boolean nowait = (flags & RWF_NOWAIT) != 0;
        if (nowait && file.ops().seekable()) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        boolean append = (flags & RWF_APPEND) != 0
                || (file.flags() & O_APPEND) != 0 && (flags & RWF_NOAPPEND) == 0;
        if (total <= STREAM_MAX) {
            byte[] all = gather(task, vec, total);
            return writeBytes(file, all, 0, all.length, offset, append, nowait);
        }
        long allowed = limitWrite(file, total, offset, append);
        long done = 0;
        byte[] chunk = new byte[CHUNK];
        try {
            for (long[] v : vec) {
                for (long at = 0; at < v[1]; ) {
                    if (done == allowed) {
                        return done; // RLIMIT_FSIZE: the part allowed
                    }
                    int want = (int) Math.min(Math.min(CHUNK, v[1] - at), allowed - done);
                    task.memory().read(v[0] + at, chunk, 0, want);
                    long n = writeBytes(file, chunk, 0, want, offset < 0 ? -1 : offset + done, append, nowait);
                    done += n;
                    at += n;
                    if (n < want) {
                        return done;
                    }
                }
            }
        } catch (ErrnoException e) {
            if (done == 0) {
                throw e;
            }
        }
        return done;
    }

    /** The bytes of guest buffers {@code vec} ({base, length} pairs, {@code total} bytes in all), in order. */
    static byte[] gather(Task task, long[][] vec, long total) {
        byte[] all = new byte[(int) total];
        int at = 0;
        for (long[] v : vec) {
            task.memory().read(v[0], all, at, (int) v[1]);
            at += (int) v[1];
        }
        return all;
    }

    /** Spreads the first {@code n} bytes of {@code data} over guest buffers {@code vec}, in order. */
    static void scatter(Task task, long[][] vec, byte[] data, int n) {
        int at = 0;
        for (long[] v : vec) {
            int part = (int) Math.min(v[1], n - at);
            if (part <= 0) {
                break;
            }
            task.memory().write(v[0], data, at, part);
            at += part;
        }
    }

    /** The bytes of guest buffers {@code vec} in all. */
    static long total(long[][] vec) {
        long total = 0;
        for (long[] v : vec) {
            total += v[1];
        }
        return total;
    }

    /** rw_verify_area: EINVAL when the range at {@code offset} would pass the largest loff_t. */
    private static void verifyArea(long offset, long count) {
        if (offset >= 0 && offset + count < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /**
     * kiocb_set_rw_flags: EOPNOTSUPP for flags Linux does not know, for RWF_ATOMIC (only for
     * O_DIRECT writes to devices that have atomic writes) and for RWF_DONTCACHE on anything but
     * a regular file.
     */
    private static void checkRwFlags(FileDescription file, int flags) {
        if (flags == 0) {
            return;
        }
        if ((flags & ~RWF_SUPPORTED) != 0 || (flags & RWF_ATOMIC) != 0) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        if ((flags & RWF_DONTCACHE) != 0
                && (file.ops().stat(file).mode() & dev.linux4j.abi.Stat.S_IFMT) != dev.linux4j.abi.Stat.S_IFREG) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
    }
}
