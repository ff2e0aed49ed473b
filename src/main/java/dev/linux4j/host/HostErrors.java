package dev.linux4j.host;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.Map;

/**
 * The one table from host I/O failures to the Linux errno Linux would return (DESIGN.md
 * decision 6). java.nio reports most failures as typed exceptions; the rest carry the host's
 * strerror text in {@link FileSystemException#getReason()}, matched here against the messages of
 * Linux, macOS and Windows hosts.
 */
public final class HostErrors {
    private HostErrors() {}

    /** Exception type → errno, most specific first. */
    private static final Map<Class<? extends Exception>, Errno> BY_TYPE = Map.of(
            NoSuchFileException.class, Errno.ENOENT,
            FileAlreadyExistsException.class, Errno.EEXIST,
            DirectoryNotEmptyException.class, Errno.ENOTEMPTY,
            AccessDeniedException.class, Errno.EACCES,
            NotDirectoryException.class, Errno.ENOTDIR,
            NotLinkException.class, Errno.EINVAL,
            FileSystemLoopException.class, Errno.ELOOP,
            ReadOnlyFileSystemException.class, Errno.EROFS,
            NonReadableChannelException.class, Errno.EBADF,
            NonWritableChannelException.class, Errno.EBADF);

    /** Host strerror text → errno, for FileSystemExceptions that carry only a reason. */
    private static final Map<String, Errno> BY_REASON = Map.ofEntries(
            Map.entry("No such file or directory", Errno.ENOENT),
            Map.entry("File exists", Errno.EEXIST),
            Map.entry("Permission denied", Errno.EACCES),
            Map.entry("Operation not permitted", Errno.EPERM),
            Map.entry("Not a directory", Errno.ENOTDIR),
            Map.entry("Is a directory", Errno.EISDIR),
            Map.entry("Directory not empty", Errno.ENOTEMPTY),
            Map.entry("Too many levels of symbolic links", Errno.ELOOP),
            Map.entry("File name too long", Errno.ENAMETOOLONG),
            Map.entry("Read-only file system", Errno.EROFS),
            Map.entry("No space left on device", Errno.ENOSPC),
            Map.entry("Disk quota exceeded", Errno.EDQUOT),
            Map.entry("Invalid cross-device link", Errno.EXDEV),
            Map.entry("Cross-device link", Errno.EXDEV),
            Map.entry("Device or resource busy", Errno.EBUSY),
            Map.entry("Resource busy", Errno.EBUSY),
            Map.entry("Text file busy", Errno.ETXTBSY),
            Map.entry("Invalid argument", Errno.EINVAL),
            Map.entry("Too many open files", Errno.EMFILE),
            Map.entry("Too many links", Errno.EMLINK),
            Map.entry("File too large", Errno.EFBIG),
            Map.entry("Input/output error", Errno.EIO),
            Map.entry("No such device or address", Errno.ENXIO),
            Map.entry("No such device", Errno.ENODEV),
            Map.entry("Bad file descriptor", Errno.EBADF),
            Map.entry("Broken pipe", Errno.EPIPE),
            Map.entry("Operation not supported", Errno.EOPNOTSUPP),
            Map.entry("Stale file handle", Errno.ESTALE));

    /** The Linux errno for a host I/O failure; EIO when nothing more specific is known. */
    public static Errno errno(Exception e) {
        for (Class<?> c = e.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            Errno byType = BY_TYPE.get(c);
            if (byType != null) {
                if (e instanceof FileSystemException fse && byType == Errno.EACCES && fse.getReason() != null) {
                    Errno byReason = BY_REASON.get(fse.getReason());
                    if (byReason != null) {
                        return byReason;
                    }
                }
                return byType;
            }
        }
        if (e instanceof ClosedChannelException) {
            return Errno.EBADF;
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason != null) {
            Errno byReason = BY_REASON.get(reason.trim());
            if (byReason != null) {
                return byReason;
            }
            for (Map.Entry<String, Errno> entry : BY_REASON.entrySet()) {
                if (reason.contains(entry.getKey())) {
                    return entry.getValue();
                }
            }
        }
        if (e instanceof UnsupportedOperationException) {
            return Errno.EOPNOTSUPP;
        }
        if (e instanceof SecurityException) {
            return Errno.EACCES;
        }
        return Errno.EIO;
    }

    /** The ErrnoException for a host failure, ready to throw. */
    public static ErrnoException toErrno(Exception e) {
        return ErrnoException.of(errno(e));
    }

    /** Convenience for {@code catch (IOException e) { throw HostErrors.toErrno(e); }}. */
    public static ErrnoException io(IOException e) {
        return toErrno(e);
    }
}
