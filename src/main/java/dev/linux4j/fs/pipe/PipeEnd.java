package dev.linux4j.fs.pipe;

import static dev.linux4j.abi.Poll.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Ioctls;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;

/** One end of a {@link Pipe} as an open file: Linux's pipefifo_fops on pipefs. */
public final class PipeEnd implements FileOps {
    /** pipefs's st_dev as Linux reports it (an anonymous device, 0:14 here). */
    private static final long PIPEFS_DEV = 0xe;


    private final Pipe pipe;
    private final boolean reader;
    private final boolean writer;
    private final int uid;
    private final int gid;
    private final long created;

    private PipeEnd(Pipe pipe, boolean reader, boolean writer, int uid, int gid, long created) {
        this.pipe = pipe;
        this.reader = reader;
        this.writer = writer;
        this.uid = uid;
        this.gid = gid;
        this.created = created;
        pipe.open(reader, writer);
    }

    /**
     * pipe2(2)'s files: {read end, write end}, with O_NONBLOCK and O_DIRECT from {@code flags},
     * named "pipe:[inode]" as /proc/self/fd shows them.
     */
    public static FileDescription[] create(int flags, int uid, int gid) {
        Pipe p = new Pipe();
        String name = "pipe:[" + p.inode + "]";
        int status = flags & (Fcntl.O_NONBLOCK | Fcntl.O_DIRECT);
        long now = System.currentTimeMillis();
        return new FileDescription[] {
            new FileDescription(new PipeEnd(p, true, false, uid, gid, now), Fcntl.O_RDONLY | status, name, null),
            new FileDescription(new PipeEnd(p, false, true, uid, gid, now), Fcntl.O_WRONLY | status, name, null)};
    }

    /** pipefs's d_dname: "pipe:[INODE]", the inode fstat shows for both ends. */
    @Override
    public String dname(FileDescription file) {
        return "pipe:[" + pipe.inode + "]";
    }

    /**
     * Opening /proc/PID/fd/N of a pipe: fifo_open on the same pipe, reading, writing or both as
     * the access mode asks. An anonymous pipe never waits for a partner there (is_pipe).
     */
    @Override
    public FileOps reopen(FileDescription file, int flags) {
        int acc = flags & Fcntl.O_ACCMODE;
        if (acc == Fcntl.O_ACCMODE) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return new PipeEnd(pipe, acc != Fcntl.O_WRONLY, acc != Fcntl.O_RDONLY, uid, gid, created);
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        return read(file, buf, off, len, false);
    }

    /** read(2), and preadv2(2) with RWF_NOWAIT ({@code nowait}): non-blocking as O_NONBLOCK makes it. */
    public int read(FileDescription file, byte[] buf, int off, int len, boolean nowait) {
        if (!reader) {
            throw ErrnoException.of(Errno.EBADF);
        }
        return pipe.read(buf, off, len, nowait || (file.flags() & Fcntl.O_NONBLOCK) != 0);
    }

    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        return write(file, buf, off, len, false);
    }

    /** write(2), and pwritev2(2) with RWF_NOWAIT ({@code nowait}): non-blocking as O_NONBLOCK makes it. */
    public int write(FileDescription file, byte[] buf, int off, int len, boolean nowait) {
        if (!writer) {
            throw ErrnoException.of(Errno.EBADF);
        }
        int flags = file.flags();
        return pipe.write(buf, off, len, nowait || (flags & Fcntl.O_NONBLOCK) != 0, (flags & Fcntl.O_DIRECT) != 0);
    }

    /** The pipe itself, for splice(2), tee(2) and vmsplice(2) (get_pipe_info). */
    public Pipe pipe() {
        return pipe;
    }

    @Override
    public boolean readReady(FileDescription file) {
        boolean[] s = pipe.state();
        return s[0] || s[2];
    }

    /**
     * Wake-ups for edge-triggered epoll: pipe_write wakes readers (EPOLLIN), pipe_read writers
     * (EPOLLOUT), and a close both.
     */
    @Override
    public long pollWakeups(FileDescription file, int events) {
        long[] w = pipe.wakeups();
        return ((events & POLLIN) != 0 ? w[0] : 0) + ((events & POLLOUT) != 0 ? w[1] : 0);
    }

    /** pipe_poll's mask for this end. */
    @Override
    public int poll(FileDescription file) {
        boolean[] s = pipe.state();
        int mask = 0;
        if (reader) {
            mask |= s[0] ? POLLIN | POLLRDNORM : 0;
            mask |= s[2] ? POLLHUP : 0;
        }
        if (writer) {
            mask |= s[1] ? POLLOUT | POLLWRNORM : 0;
            mask |= s[3] ? POLLERR : 0;
        }
        return mask;
    }

    @Override
    public long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
        if (cmd == Ioctls.FIONREAD) {
            int n = pipe.available();
            context.writeInt(arg, n);
            return 0;
        }
        throw ErrnoException.of(Errno.ENOTTY);
    }

    /** F_GETPIPE_SZ. */
    public int pipeSize() {
        return pipe.size();
    }

    /** F_SETPIPE_SZ: returns the size chosen. */
    public int setPipeSize(long size) {
        return pipe.resize(size);
    }

    @Override
    public StatBuf stat(FileDescription file) {
        long sec = created / 1000;
        int nsec = (int) (created % 1000) * 1_000_000;
        return new StatBuf(PIPEFS_DEV, pipe.inode, Stat.S_IFIFO | 0600, 1, uid, gid, 0, 0, 4096, 0, sec, nsec, sec,
                nsec, sec, nsec, 0, 0, false, 0);
    }

    @Override
    public void release(FileDescription file) {
        pipe.close(reader, writer);
    }
}
