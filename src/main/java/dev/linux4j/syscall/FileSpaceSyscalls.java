package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.SYNC_FILE_RANGE_WAIT_AFTER;
import static dev.linux4j.abi.Fcntl.SYNC_FILE_RANGE_WAIT_BEFORE;
import static dev.linux4j.abi.Fcntl.SYNC_FILE_RANGE_WRITE;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;

/**
 * fallocate(2) (fs/open.c, vfs_fallocate), fadvise64(2) (mm/fadvise.c), readahead(2)
 * (mm/readahead.c), and sync(2), syncfs(2) and sync_file_range(2) (fs/sync.c).
 */
final class FileSpaceSyscalls {
    private FileSpaceSyscalls() {}

    /** POSIX_FADV_NORMAL .. POSIX_FADV_NOREUSE. */
    private static final int POSIX_FADV_MAX = 5;

    /**
     * fadvise64(2): {@code int fadvise64(int fd, off_t offset, off_t len, int advice)}. Advice
     * changes nothing a program can observe; Linux's checks are kept: ESPIPE for a FIFO or pipe,
     * EINVAL for a negative length or unknown advice.
     */
    static long fadvise64(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long len = args.int64(2);
        int advice = args.int32(3);
        FileDescription file = FdSyscalls.fdget(task, fd);
        if ((file.ops().stat(file).mode() & Stat.S_IFMT) == Stat.S_IFIFO) {
            throw ErrnoException.of(Errno.ESPIPE);
        }
        if (len < 0 || advice < 0 || advice > POSIX_FADV_MAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return 0;
    }

    /**
     * fallocate(2): {@code int fallocate(int fd, int mode, off_t offset, off_t len)}, in
     * vfs_fallocate's order of checks; the host file system does the allocation itself.
     */
    static long fallocate(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        int mode = args.int32(1);
        long offset = args.int64(2);
        long len = args.int64(3);
        if (offset < 0 || len <= 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        FileDescription file = FdSyscalls.fdget(task, fd);
        if (!file.writable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        int type = file.ops().stat(file).mode() & Stat.S_IFMT;
        if (type == Stat.S_IFIFO) {
            throw ErrnoException.of(Errno.ESPIPE);
        }
        if (type == Stat.S_IFDIR) {
            throw ErrnoException.of(Errno.EISDIR);
        }
        if (type != Stat.S_IFREG) {
            throw ErrnoException.of(Errno.ENODEV);
        }
        if (offset + len < 0) {
            throw ErrnoException.of(Errno.EFBIG);
        }
        if ((mode & 0x01) == 0) { // not FALLOC_FL_KEEP_SIZE: the file may grow
            ReadWriteSyscalls.checkNewSize(task, file.ops().size(file), offset + len);
        }
        file.ops().fallocate(file, mode, offset, len);
        FileMappings.afterTruncate(file);
        return 0;
    }

    /**
     * sync(2): {@code void sync(void)}. Always succeeds; the host writes its page cache back in
     * its own time, and nothing the guest can observe depends on when.
     */
    static long sync(Task task, SyscallArgs args) {
        return 0;
    }

    /**
     * syncfs(2): {@code int syncfs(int fd)}. EBADF for a closed or O_PATH descriptor (fdget);
     * any other file, pipes and devices included, succeeds, as for sync(2).
     */
    static long syncfs(Task task, SyscallArgs args) {
        FdSyscalls.fdget(task, args.int32(0));
        return 0;
    }

    /**
     * sync_file_range(2): {@code int sync_file_range(int fd, off64_t offset, off64_t nbytes,
     * unsigned int flags)}. Linux's order (fs/sync.c): EBADF for a closed or O_PATH descriptor,
     * EINVAL for unknown flags, a negative offset or end, or an end before the offset (nbytes 0
     * means "to the end of the file"), then ESPIPE for anything but a regular file, directory,
     * symlink or block device. SYNC_FILE_RANGE_WAIT_AFTER on a regular file asks the host to
     * write the file back (fsync); the rest has nothing to wait for.
     */
    static long syncFileRange(Task task, SyscallArgs args) {
        FileDescription file = FdSyscalls.fdget(task, args.int32(0));
        long offset = args.int64(1);
        long nbytes = args.int64(2);
        int flags = args.int32(3);
        int valid = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
        long end = offset + nbytes;
        if ((flags & ~valid) != 0 || offset < 0 || end < 0 || end < offset) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int type = file.ops().stat(file).mode() & Stat.S_IFMT;
        if (type != Stat.S_IFREG && type != Stat.S_IFDIR && type != Stat.S_IFLNK && type != Stat.S_IFBLK) {
            throw ErrnoException.of(Errno.ESPIPE);
        }
        if (type == Stat.S_IFREG && (flags & SYNC_FILE_RANGE_WAIT_AFTER) != 0) {
            try {
                file.ops().fsync(file);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINVAL) {
                    throw e; // a write-back error; files without ->fsync (proc) have nothing to wait for
                }
            }
        }
        return 0;
    }

    /**
     * readahead(2): {@code ssize_t readahead(int fd, off64_t offset, size_t count)}. Linux's order
     * (mm/readahead.c): EBADF for a closed or O_PATH descriptor or one not open for reading,
     * EINVAL for anything but a regular file or block device, then (generic_fadvise) for a count
     * that is negative as a loff_t. Any offset is accepted; nothing is read ahead here, which a
     * program cannot tell.
     */
    static long readahead(Task task, SyscallArgs args) {
        FileDescription file = FdSyscalls.fdget(task, args.int32(0));
        long count = args.int64(2);
        if (!file.readable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        int type = file.ops().stat(file).mode() & Stat.S_IFMT;
        if ((type != Stat.S_IFREG && type != Stat.S_IFBLK) || count < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return 0;
    }
}
