package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.O_APPEND;
import static dev.linux4j.abi.Fcntl.O_NONBLOCK;
import static dev.linux4j.abi.ReadWrite.SPLICE_F_ALL;
import static dev.linux4j.abi.ReadWrite.SPLICE_F_NONBLOCK;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.fs.host.HostStreamFile;
import dev.linux4j.fs.pipe.Pipe;
import dev.linux4j.fs.pipe.PipeEnd;
import dev.linux4j.kernel.SignalCalls;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;

/**
 * Moving data between files without passing it through the caller's buffers: sendfile(2),
 * splice(2), tee(2), vmsplice(2) (fs/splice.c) and copy_file_range(2) (fs/read_write.c).
 * Linux moves page references; here the bytes are copied, in chunks, through the same paths
 * as read(2) and write(2) (so shared mappings of either file stay coherent), and pipes hold
 * them in page-sized buffers as Linux's do, so the counts returned are Linux's.
 */
final class TransferSyscalls {
    private TransferSyscalls() {}

    /** Bytes read from one file and written to the other per step. */
    private static final int CHUNK = 1 << 16;

    /**
     * sendfile(2): {@code ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)}.
     * Linux's order (do_sendfile): EBADF for {@code in_fd} or unless it is open for reading;
     * with {@code offset}, ESPIPE when {@code in_fd} cannot be read at an offset; EINVAL for a
     * negative offset or one that {@code count} would take past the largest loff_t; EBADF for
     * {@code out_fd} or unless it is open for writing. To a pipe it is splice(2) from the file:
     * at most what fits in the pipe, EAGAIN when the pipe is O_NONBLOCK and full. To anything
     * else (do_splice_direct) EINVAL for an O_APPEND file and for an input that cannot be
     * spliced from (a directory, a pipe), then the whole count up to end of file. {@code
     * *offset} advances and the file position stays, or without it the position advances.
     */
    static long sendfile(Task task, SyscallArgs args) {
        int outFd = args.int32(0);
        int inFd = args.int32(1);
        long offsetPtr = args.pointer(2);
        long count = args.sizeT(3);
        long pos = offsetPtr != 0 ? task.memory().read64(offsetPtr) : 0;
        FileDescription in = task.files().get(inFd);
        if (!in.readable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        if (offsetPtr == 0) {
            pos = in.ops().seekable() ? in.position() : 0;
        } else if (!in.ops().seekable()) {
            throw ErrnoException.of(Errno.ESPIPE);
        }
        verifyArea(pos, count);
        count = Math.min(count, ReadWriteSyscalls.MAX_RW_COUNT);
        FileDescription out = task.files().get(outFd);
        if (!out.writable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        long[] at = {pos};
        long done;
        try {
            if (out.ops() instanceof PipeEnd end) {
                checkSpliceRead(in);
                done = fileToPipe(in, at, end.pipe(), count, (out.flags() & O_NONBLOCK) != 0);
            } else {
                if ((out.flags() & O_APPEND) != 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                checkSpliceRead(in);
                done = copy(in, at, out, null, isPipe(out) ? hostPipeRoom(pos, count) : count, true);
            }
        } catch (ErrnoException e) {
            throw sigpipe(task, e);
        } finally {
            if (offsetPtr != 0) {
                task.memory().write64(offsetPtr, at[0]);
            }
        }
        if (offsetPtr == 0 && in.ops().seekable()) {
            in.setPosition(at[0]);
        }
        return done;
    }

    /**
     * splice(2): {@code ssize_t splice(int fd_in, off64_t *off_in, int fd_out, off64_t *off_out,
     * size_t len, unsigned int flags)}. Linux's order: 0 for {@code len} 0; EINVAL for unknown
     * flags; EBADF for either descriptor; ESPIPE for an offset on a pipe end; EFAULT for an
     * offset pointer; EBADF unless {@code fd_in} is open for reading and {@code fd_out} for
     * writing; then by kind. Pipe to pipe: EINVAL for the same pipe, otherwise what is there up
     * to {@code len}, waiting for data and for room. Pipe to file: EINVAL for an offset on a
     * stream and for O_APPEND; waits for data, then writes all there is up to {@code len}. File
     * to pipe: EINVAL for an offset on a stream; waits for room, then reads what fits. EINVAL
     * when neither end is a pipe. SPLICE_F_NONBLOCK, or O_NONBLOCK on the pipe (either, between
     * pipes), gives EAGAIN instead of waiting; SPLICE_F_MOVE, MORE and GIFT change nothing.
     * Offsets advance and file positions stay, or without them the positions advance; EPIPE
     * (and SIGPIPE) when the output pipe has no readers.
     */
    static long splice(Task task, SyscallArgs args) {
        int fdIn = args.int32(0);
        long offInPtr = args.pointer(1);
        int fdOut = args.int32(2);
        long offOutPtr = args.pointer(3);
        long len = args.sizeT(4);
        int flags = args.int32(5);
        if (len == 0) {
            return 0;
        }
        if ((flags & ~SPLICE_F_ALL) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        FileDescription in = task.files().get(fdIn);
        FileDescription out = task.files().get(fdOut);
        boolean inPipe = isPipe(in);
        boolean outPipe = isPipe(out);
        if (inPipe && offInPtr != 0 || outPipe && offOutPtr != 0) {
            throw ErrnoException.of(Errno.ESPIPE);
        }
        long[] offOut = offOutPtr != 0 ? new long[] {task.memory().read64(offOutPtr)} : null;
        long[] offIn = offInPtr != 0 ? new long[] {task.memory().read64(offInPtr)} : null;
        if (!in.readable() || !out.writable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        boolean nonblock = (flags & SPLICE_F_NONBLOCK) != 0;
        long verify = len; // rw_verify_area sees the count as given
        len = args.sizeT(4, ReadWriteSyscalls.MAX_RW_COUNT);
        long done;
        try {
            if (inPipe && outPipe) {
                if (in.ops() instanceof PipeEnd a && out.ops() instanceof PipeEnd b && a.pipe() == b.pipe()) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                nonblock |= ((in.flags() | out.flags()) & O_NONBLOCK) != 0;
                if (in.ops() instanceof PipeEnd a && out.ops() instanceof PipeEnd b) {
                    done = Pipe.transfer(a.pipe(), b.pipe(), (int) len, nonblock, false);
                } else {
                    done = streamToStream(in, out, len, nonblock, null);
                }
            } else if (inPipe) {
                if (offOut != null && !out.ops().seekable()) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                if ((out.flags() & O_APPEND) != 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                verifyArea(offOut != null ? offOut[0] : out.ops().seekable() ? out.position() : 0, verify);
                nonblock |= (in.flags() & O_NONBLOCK) != 0;
                if (in.ops() instanceof PipeEnd a) {
                    done = a.pipe().spliceOut((int) len, nonblock, (data, n) -> (int) writeOut(out, data, n, offOut));
                } else {
                    done = streamToStream(in, out, len, nonblock, offOut);
                }
            } else if (outPipe) {
                if (offIn != null && !in.ops().seekable()) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                long pos = offIn != null ? offIn[0] : in.ops().seekable() ? in.position() : 0;
                verifyArea(pos, verify);
                nonblock |= (out.flags() & O_NONBLOCK) != 0;
                checkSpliceRead(in);
                long[] at = {pos};
                if (out.ops() instanceof PipeEnd b) {
                    done = fileToPipe(in, at, b.pipe(), len, nonblock);
                } else {
                    done = copy(in, at, out, null, hostPipeRoom(pos, len), false);
                }
                if (offIn != null) {
                    offIn[0] = at[0];
                } else if (in.ops().seekable()) {
                    in.setPosition(at[0]);
                }
            } else {
                throw ErrnoException.of(Errno.EINVAL);
            }
        } catch (ErrnoException e) {
            throw sigpipe(task, e);
        }
        if (offOut != null) {
            task.memory().write64(offOutPtr, offOut[0]);
        }
        if (offIn != null) {
            task.memory().write64(offInPtr, offIn[0]);
        }
        return done;
    }

    /**
     * tee(2): {@code ssize_t tee(int fd_in, int fd_out, size_t len, unsigned int flags)}: copies
     * up to {@code len} bytes from one pipe to another, leaving them in the first. Linux's order:
     * EINVAL for unknown flags; 0 for {@code len} 0; EBADF for either descriptor or unless open
     * for reading and writing; EINVAL unless both are pipes, different ones. Waits for data in
     * the input, then for room in the output (EAGAIN instead with SPLICE_F_NONBLOCK or
     * O_NONBLOCK on either); 0 when the input is empty with no writers; EPIPE (and SIGPIPE)
     * when the output has no readers.
     */
    static long tee(Task task, SyscallArgs args) {
        int fdIn = args.int32(0);
        int fdOut = args.int32(1);
        long len = args.sizeT(2);
        int flags = args.int32(3);
        if ((flags & ~SPLICE_F_ALL) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (len == 0) {
            return 0;
        }
        FileDescription in = task.files().get(fdIn);
        FileDescription out = task.files().get(fdOut);
        if (!in.readable() || !out.writable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        if (!(in.ops() instanceof PipeEnd a) || !(out.ops() instanceof PipeEnd b) || a.pipe() == b.pipe()) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        boolean nonblock = (flags & SPLICE_F_NONBLOCK) != 0 || ((in.flags() | out.flags()) & O_NONBLOCK) != 0;
        try {
            return Pipe.transfer(a.pipe(), b.pipe(), (int) args.sizeT(2, ReadWriteSyscalls.MAX_RW_COUNT), nonblock,
                    true);
        } catch (ErrnoException e) {
            throw sigpipe(task, e);
        }
    }

    /**
     * vmsplice(2): {@code ssize_t vmsplice(int fd, const struct iovec *iov, size_t nr_segs,
     * unsigned int flags)}. Linux's order: EINVAL for unknown flags; EBADF for {@code fd} or
     * when open neither way; the iovec array (EINVAL beyond IOV_MAX, EFAULT); 0 for an empty
     * transfer; EBADF unless {@code fd} is a pipe. On a write end the buffers go into the pipe
     * after it has one free slot, a buffer per page piece of memory, as far as they fit; on a
     * read end what the pipe holds goes into them, after waiting for data (0 without writers).
     * Only SPLICE_F_NONBLOCK makes it EAGAIN instead of waiting: O_NONBLOCK does not. Linux
     * puts the caller's pages themselves into the pipe; here the bytes are copied at the call.
     */
    static long vmsplice(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long iov = args.pointer(1);
        long nrSegs = args.sizeT(2);
        int flags = args.int32(3);
        if ((flags & ~SPLICE_F_ALL) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        FileDescription file = task.files().get(fd);
        boolean toPipe = file.writable();
        if (!toPipe && !file.readable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        long[][] vec = ReadWriteSyscalls.iovecs(task, iov, nrSegs);
        long total = 0;
        for (long[] v : vec) {
            total += v[1];
        }
        if (total == 0) {
            return 0;
        }
        if (!(file.ops() instanceof PipeEnd end)) {
            throw ErrnoException.of(Errno.EBADF);
        }
        boolean nonblock = (flags & SPLICE_F_NONBLOCK) != 0;
        if (!toPipe) {
            return end.pipe().spliceOut((int) Math.min(total, Integer.MAX_VALUE), nonblock, (data, n) -> {
                int at = 0;
                for (long[] v : vec) {
                    int part = (int) Math.min(v[1], n - at);
                    if (part <= 0) {
                        break;
                    }
                    task.memory().write(v[0], data, at, part);
                    at += part;
                }
                return at;
            });
        }
        int[] seg = {0};
        long[] within = {0};
        try {
            return end.pipe().spliceIn(vec, nonblock, (buf, off, want) -> {
                while (seg[0] < vec.length && within[0] == vec[seg[0]][1]) {
                    seg[0]++;
                    within[0] = 0;
                }
                if (seg[0] == vec.length) {
                    return 0;
                }
                int n = (int) Math.min(want, vec[seg[0]][1] - within[0]);
                task.memory().read(vec[seg[0]][0] + within[0], buf, off, n);
                within[0] += n;
                return n;
            });
        } catch (ErrnoException e) {
            throw sigpipe(task, e);
        }
    }

    /**
     * copy_file_range(2): {@code ssize_t copy_file_range(int fd_in, off64_t *off_in, int fd_out,
     * off64_t *off_out, size_t len, unsigned int flags)}. Linux's order: EBADF for either
     * descriptor; EFAULT for an offset pointer; EINVAL for any flag; EISDIR for a directory,
     * EINVAL for anything but regular files, EBADF unless open for reading and writing or for
     * an O_APPEND output (generic_file_rw_checks); EOVERFLOW when an offset plus {@code len}
     * wraps; {@code len} cut at the input's end (0 from there on); EINVAL for overlapping ranges
     * of one file, then for negative offsets. Copies all of it (file systems of the same type
     * copy across mounts since Linux 5.19; every guest file is a host file here). Offsets advance
     * and positions stay, or without them the positions advance.
     */
    static long copyFileRange(Task task, SyscallArgs args) {
        int fdIn = args.int32(0);
        long offInPtr = args.pointer(1);
        int fdOut = args.int32(2);
        long offOutPtr = args.pointer(3);
        long len = args.sizeT(4);
        int flags = args.int32(5);
        FileDescription in = task.files().get(fdIn);
        FileDescription out = task.files().get(fdOut);
        long posIn = offInPtr != 0 ? task.memory().read64(offInPtr) : in.position();
        long posOut = offOutPtr != 0 ? task.memory().read64(offOutPtr) : out.position();
        if (flags != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        StatBuf stIn = in.ops().stat(in);
        StatBuf stOut = out.ops().stat(out);
        int typeIn = stIn.mode() & Stat.S_IFMT;
        int typeOut = stOut.mode() & Stat.S_IFMT;
        if (typeIn == Stat.S_IFDIR || typeOut == Stat.S_IFDIR) {
            throw ErrnoException.of(Errno.EISDIR);
        }
        if (typeIn != Stat.S_IFREG || typeOut != Stat.S_IFREG) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (!in.readable() || !out.writable() || (out.flags() & O_APPEND) != 0) {
            throw ErrnoException.of(Errno.EBADF);
        }
        if (Long.compareUnsigned(posIn + len, posIn) < 0 || Long.compareUnsigned(posOut + len, posOut) < 0) {
            throw ErrnoException.of(Errno.EOVERFLOW);
        }
        FileMappings.beforeAccess(in);
        long sizeIn = in.ops().size(in);
        long count = posIn >= sizeIn ? 0 : Long.compareUnsigned(len, sizeIn - posIn) < 0 ? len : sizeIn - posIn;
        if (stIn.dev() == stOut.dev() && stIn.ino() == stOut.ino() && posOut + count > posIn
                && posOut < posIn + count) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        verifyArea(posIn, count);
        verifyArea(posOut, count);
        if (count == 0) {
            return 0;
        }
        long[] at = {posIn};
        long[] atOut = {posOut};
        long done = copy(in, at, out, atOut, Math.min(count, ReadWriteSyscalls.MAX_RW_COUNT), true);
        if (done > 0) {
            if (offInPtr != 0) {
                task.memory().write64(offInPtr, posIn + done);
            } else {
                in.setPosition(posIn + done);
            }
            if (offOutPtr != 0) {
                task.memory().write64(offOutPtr, posOut + done);
            } else {
                out.setPosition(posOut + done);
            }
        }
        return done;
    }

    // ---------------------------------------------------------------- shared helpers

    /**
     * get_pipe_info: a pipe end, or one of the JVM's standard streams when the host file is a
     * pipe (moved through its reads and writes; tee(2) and vmsplice(2) need a guest pipe).
     */
    private static boolean isPipe(FileDescription file) {
        FileOps ops = file.ops();
        if (ops instanceof PipeEnd) {
            return true;
        }
        return ops instanceof HostStreamFile host && host.hostFd() >= 0
                && (ops.stat(file).mode() & Stat.S_IFMT) == Stat.S_IFIFO;
    }

    /** splice_read is missing for directories and pipes: EINVAL. */
    private static void checkSpliceRead(FileDescription in) {
        if (isPipe(in) || (in.ops().stat(in).mode() & Stat.S_IFMT) == Stat.S_IFDIR) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /**
     * What a splice from a file at {@code pos} into a host pipe moves at most: as much as an
     * empty pipe of 16 page buffers takes, the first ending at a page boundary of the file.
     */
    private static long hostPipeRoom(long pos, long count) {
        return Math.min(count, Pipe.DEFAULT_SIZE - (pos & (Pipe.PAGE_SIZE - 1)));
    }

    /**
     * rw_verify_area: EINVAL for a count past 2^63 (negative as an ssize_t), a negative offset or
     * a range past the largest loff_t.
     */
    private static void verifyArea(long pos, long count) {
        if (count < 0 || pos < 0 || pos + count < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /** EPIPE from writing to a pipe or socket comes with SIGPIPE (wait_for_space, opipe_prep, link_pipe, unix_stream_sendmsg). */
    static ErrnoException sigpipe(Task task, ErrnoException e) {
        if (e.errno() == Errno.EPIPE) {
            SignalCalls.sendSelf(task, Signal.SIGPIPE);
        }
        return e;
    }

    /** Reads from a file that is not a guest pipe: at {@code pos} when seekable, else the next bytes. */
    private static int readIn(FileDescription in, byte[] buf, int off, int len, long pos) {
        return in.ops().read(in, buf, off, len, pos);
    }

    /**
     * Writes {@code n} bytes at {@code at[0]} (advanced; the position stays) when {@code at} is
     * not null, else at the file position, through write(2)'s path; stops short where a write
     * does. An error after some bytes returns those.
     */
    private static long writeOut(FileDescription out, byte[] data, int n, long[] at) {
        long done = 0;
        boolean positional = at != null && out.ops().seekable();
        try {
            while (done < n) {
                long w = ReadWriteSyscalls.writeBytes(out, data, (int) done, (int) (n - done),
                        positional ? at[0] + done : -1, false, false);
                if (w <= 0) {
                    break;
                }
                done += w;
            }
        } catch (ErrnoException e) {
            if (done == 0) {
                throw e;
            }
        }
        if (positional) {
            at[0] += done;
        }
        return done;
    }

    /**
     * File to pipe (splice_file_to_pipe): the pipe takes what fits in its free slots, in
     * buffers that end at the file's page boundaries; {@code at[0]} advances by what was read.
     */
    private static long fileToPipe(FileDescription in, long[] at, Pipe pipe, long count, boolean nonblock) {
        boolean seekable = in.ops().seekable();
        FileMappings.beforeAccess(in);
        long start = at[0];
        long[] done = {0};
        int n = pipe.spliceIn(new long[][] {{seekable ? start : 0, count}}, nonblock, (buf, off, want) -> {
            if (!seekable && done[0] > 0) {
                return 0; // a stream gives one read's worth
            }
            int got = readIn(in, buf, off, want, start + done[0]);
            done[0] += Math.max(got, 0);
            return got;
        });
        if (seekable) {
            at[0] = start + n;
        }
        return n;
    }

    /**
     * do_splice_direct: reads from {@code in} at {@code at[0]} (advanced) and writes to {@code
     * out} at {@code atOut[0]} (advanced) or its position, in chunks, until {@code count} or
     * the end of the input; one chunk only from a stream unless {@code whole}. An error after
     * some bytes returns those.
     */
    private static long copy(FileDescription in, long[] at, FileDescription out, long[] atOut, long count,
            boolean whole) {
        boolean seekable = in.ops().seekable();
        FileMappings.beforeAccess(in);
        byte[] buf = new byte[(int) Math.min(count, CHUNK)];
        long done = 0;
        try {
            while (done < count) {
                int want = (int) Math.min(buf.length, count - done);
                int got = readIn(in, buf, 0, want, at[0]);
                if (got <= 0) {
                    break;
                }
                if (seekable) {
                    at[0] += got;
                }
                long w = writeOut(out, buf, got, atOut);
                done += w;
                if (w < got) {
                    if (seekable) {
                        at[0] -= got - w;
                    }
                    break;
                }
                if (!seekable && !whole || got < want && !seekable) {
                    break;
                }
            }
        } catch (ErrnoException e) {
            if (done == 0) {
                throw e;
            }
        }
        return done;
    }

    /**
     * splice(2) where a host pipe takes the place of a guest pipe: one read's worth, written at
     * {@code atOut[0]} (advanced) or at the position.
     */
    private static long streamToStream(FileDescription in, FileDescription out, long len, boolean nonblock,
            long[] atOut) {
        if (nonblock && !in.ops().readReady(in)) {
            throw ErrnoException.of(Errno.EAGAIN);
        }
        byte[] buf = new byte[(int) Math.min(len, CHUNK)];
        int got = readIn(in, buf, 0, buf.length, 0);
        if (got <= 0) {
            return 0;
        }
        return writeOut(out, buf, got, atOut);
    }
}
