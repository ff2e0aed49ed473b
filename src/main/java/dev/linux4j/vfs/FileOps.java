package dev.linux4j.vfs;

import static dev.linux4j.abi.Poll.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import java.util.List;

/**
 * What a kind of open file can do: Linux's {@code struct file_operations}. Each default is what
 * Linux does when the operation is missing, so an implementation states only what it supports.
 * Offsets for positional files are kept in the {@link FileDescription}; implementations are
 * given the position to use and return the byte count.
 */
public interface FileOps {
    /** read(2) at {@code position} (ignored by streams); 0 at end of file. Linux: EINVAL without ->read. */
    default int read(FileDescription file, byte[] buf, int off, int len, long position) {
        throw ErrnoException.of(Errno.EINVAL);
    }

    /** write(2) at {@code position} (ignored by streams). Linux: EINVAL without ->write. */
    default int write(FileDescription file, byte[] buf, int off, int len, long position) {
        throw ErrnoException.of(Errno.EINVAL);
    }

    /**
     * A shared mapping's stores going back to the file at {@code position}. On Linux they are
     * the page cache itself and pass none of write(2)'s checks; by default this is write.
     */
    default int writeBack(FileDescription file, byte[] buf, int off, int len, long position) {
        return write(file, buf, off, len, position);
    }

    /** True for files with a position (regular files, directories); false for streams (ESPIPE on lseek/pread). */
    default boolean seekable() {
        return false;
    }

    /**
     * Linux's noop_llseek: lseek(2) succeeds, returning the position without moving it (the
     * anon-inode files: eventfd, epoll, timerfd), though the file has no position to read at.
     */
    default boolean noopLlseek() {
        return false;
    }

    /** The file size, for SEEK_END and O_APPEND. */
    default long size(FileDescription file) {
        return stat(file).size();
    }

    StatBuf stat(FileDescription file);

    /** Directory entries, for getdents64; ENOTDIR for anything but a directory. */
    default List<DirEntry> readdir(FileDescription file) {
        throw ErrnoException.of(Errno.ENOTDIR);
    }

    /** ioctl(2); the argument is a guest pointer or value. Linux: ENOTTY without ->unlocked_ioctl. */
    default long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
        throw ErrnoException.of(Errno.ENOTTY);
    }

    /** fsync(2)/fdatasync(2). Linux: EINVAL without ->fsync. */
    default void fsync(FileDescription file) {
        throw ErrnoException.of(Errno.EINVAL);
    }

    /** ftruncate(2). Linux: EINVAL for anything but a regular file opened for writing. */
    default void truncate(FileDescription file, long length) {
        throw ErrnoException.of(Errno.EINVAL);
    }

    /**
     * lseek SEEK_DATA (3) / SEEK_HOLE (4) for an offset already checked to lie inside the file:
     * by default the whole file is data, as Linux's generic_file_llseek_size reports for file
     * systems without holes.
     */
    default long seekDataHole(FileDescription file, long offset, int whence) {
        return whence == 3 ? offset : size(file);
    }

    /** fallocate(2) on a regular file already checked writable; EOPNOTSUPP where the file system has none. */
    default void fallocate(FileDescription file, int mode, long offset, long len) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** Whether a read would not block (poll's POLLIN). */
    default boolean readReady(FileDescription file) {
        return true;
    }

    /**
     * poll(2)'s event mask now (POLLIN 0x1, POLLOUT 0x4, POLLERR 0x8, POLLHUP 0x10, POLLRDNORM
     * 0x40, POLLWRNORM 0x100). Linux: DEFAULT_POLLMASK without ->poll; here POLLIN follows
     * {@link #readReady}. A file whose readiness changes must call {@link Sleep#wakePollers}.
     */
    default int poll(FileDescription file) {
        return (readReady(file) ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
    }

    /**
     * How many wake-ups the file has sent so far for any of {@code events} (poll bits): what an
     * edge-triggered epoll item counts on, as Linux's ep_poll_callback is called with the events
     * of each wake-up (a pipe write wakes EPOLLIN waiters, a read EPOLLOUT ones). -1 when the
     * file does not count them; epoll then takes a change of its poll mask for an edge.
     */
    default long pollWakeups(FileDescription file, int events) {
        return -1;
    }

    /**
     * Whether the file has Linux's {@code ->poll} (file_can_poll): epoll_ctl refuses the others
     * with EPERM. By default FIFOs and sockets do, and regular files, directories and devices
     * do not.
     */
    default boolean pollable(FileDescription file) {
        int type = stat(file).mode() & Stat.S_IFMT;
        return type == Stat.S_IFIFO || type == Stat.S_IFSOCK;
    }

    /**
     * The name of a file that has no path (Linux's {@code d_op->d_dname}): "pipe:[INODE]",
     * "anon_inode:[eventfd]"... as /proc/PID/fd shows it; null for a file in the tree.
     */
    default String dname(FileDescription file) {
        return null;
    }

    /**
     * Where the open file is now inside its file system, following renames (d_path of f_path):
     * its path there, "" for the file system's root; null where the file system cannot tell,
     * or once the file is unlinked — then the path it was opened by stands.
     */
    default String pathNow(FileDescription file) {
        return null;
    }

    /**
     * Opening /proc/PID/fd/N of this open file when it has no path to open by (a pipe, an
     * unlinked or O_TMPFILE file): a new open of the same file with {@code flags}. Linux: ENXIO
     * for anonymous inodes, which have no ->open.
     */
    default FileOps reopen(FileDescription file, int flags) {
        throw ErrnoException.of(Errno.ENXIO);
    }

    /**
     * The process a /proc/PID directory was opened on, which pidfd_send_signal takes as a pidfd
     * (tgid_pidfd_to_pid); 0 for every other file.
     */
    default int procPid() {
        return 0;
    }

    /** The file's extended attributes (fgetxattr and friends): by default its file system's, by path. */
    default Xattrs xattrs(FileDescription file) {
        Location loc = file.location();
        return loc == null ? Xattrs.NONE : loc.fs().xattrs(loc.fsPath());
    }

    /**
     * linkat(2) of this open file (AT_EMPTY_PATH, or /proc/self/fd/N with AT_SYMLINK_FOLLOW) to
     * {@code newPath} on its own file system; false where the file can only be linked by its
     * path. Linux: ENOENT for an unlinked file, unless it was opened O_TMPFILE without O_EXCL.
     */
    default boolean linkInto(FileDescription file, String newPath) {
        return false;
    }

    /**
     * Linux's {@code ->flush}: a descriptor of the file is being closed (close(2), dup2 over it,
     * close-on-exec, exit), at every close rather than only the last, with {@link Caller} bound
     * to the closing task. Nothing by default.
     */
    default void flush(FileDescription file) {}

    /**
     * Whether a write(2) that fails with EPIPE also raises SIGPIPE: pipe_write's send_sig, and a
     * stream socket's; datagram and seqpacket sockets return EPIPE alone. Yes by default.
     */
    default boolean sigpipeOnEpipe() {
        return true;
    }

    /** Called when the last descriptor referring to the file description is closed. */
    default void release(FileDescription file) {}

    /** Guest memory access for ioctls that read or write a structure. */
    interface IoctlContext {
        byte[] read(long addr, int len);

        void write(long addr, byte[] data);

        /** Stores an int (FIONREAD's answer and the like), little-endian as x86-64 has it. */
        default void writeInt(long addr, int v) {
            write(addr, new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
        }
    }
}
