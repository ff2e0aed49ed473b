package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;

/** fallocate(2) (fs/open.c, vfs_fallocate) and fadvise64(2) (mm/fadvise.c). */
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
        file.ops().fallocate(file, mode, offset, len);
        FileMappings.afterTruncate(file);
        return 0;
    }
}
