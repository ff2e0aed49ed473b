package dev.linux4j.fs.pipe;

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

    // poll bits, include/uapi/asm-generic/poll.h
    private static final int POLLIN = 0x1;
    private static final int POLLOUT = 0x4;
    private static final int POLLERR = 0x8;
    private static final int POLLHUP = 0x10;
    private static final int POLLRDNORM = 0x40;
    private static final int POLLWRNORM = 0x100;

    private final Pipe pipe;
    private final boolean reader;
    private final int uid;
    private final int gid;
    private final long created = System.currentTimeMillis();

    private PipeEnd(Pipe pipe, boolean reader, int uid, int gid) {
        this.pipe = pipe;
        this.reader = reader;
        this.uid = uid;
        this.gid = gid;
        pipe.open(reader, !reader);
    }

    /**
     * pipe2(2)'s files: {read end, write end}, with O_NONBLOCK and O_DIRECT from {@code flags},
     * named "pipe:[inode]" as /proc/self/fd shows them.
     */
    public static FileDescription[] create(int flags, int uid, int gid) {
        Pipe p = new Pipe();
        String name = "pipe:[" + p.inode + "]";
        int status = flags & (Fcntl.O_NONBLOCK | Fcntl.O_DIRECT);
        return new FileDescription[] {
            new FileDescription(new PipeEnd(p, true, uid, gid), Fcntl.O_RDONLY | status, name, null),
            new FileDescription(new PipeEnd(p, false, uid, gid), Fcntl.O_WRONLY | status, name, null)};
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        if (!reader) {
            throw ErrnoException.of(Errno.EBADF);
        }
        int flags = file.flags();
        return pipe.read(buf, off, len, (flags & Fcntl.O_NONBLOCK) != 0, (flags & Fcntl.O_DIRECT) != 0);
    }

    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        if (reader) {
            throw ErrnoException.of(Errno.EBADF);
        }
        int flags = file.flags();
        return pipe.write(buf, off, len, (flags & Fcntl.O_NONBLOCK) != 0, (flags & Fcntl.O_DIRECT) != 0);
    }

    @Override
    public boolean readReady(FileDescription file) {
        boolean[] s = pipe.state();
        return s[0] || s[2];
    }

    /** pipe_poll's mask for this end. */
    @Override
    public int poll(FileDescription file) {
        boolean[] s = pipe.state();
        int mask = 0;
        if (reader) {
            mask |= s[0] ? POLLIN | POLLRDNORM : 0;
            mask |= s[2] ? POLLHUP : 0;
        } else {
            mask |= s[1] ? POLLOUT | POLLWRNORM : 0;
            mask |= s[3] ? POLLERR : 0;
        }
        return mask;
    }

    @Override
    public long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
        if (cmd == Ioctls.FIONREAD) {
            int n = pipe.available();
            context.write(arg, new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)});
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
        pipe.close(reader, !reader);
    }
}
