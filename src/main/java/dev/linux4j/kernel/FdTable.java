package dev.linux4j.kernel;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileLocks;
import java.util.Arrays;

/**
 * A process's file descriptor table: Linux's {@code struct files_struct}. Maps small integers
 * to open file descriptions, each with its close-on-exec bit. It is also the owner of the
 * process's POSIX record locks (fl_owner), so every close goes through {@code filpClose}.
 *
 * <p>Locking: {@code this} guards both arrays.
 */
public final class FdTable {
    /** RLIMIT_NOFILE's default soft limit on Linux. */
    public static final int DEFAULT_NOFILE = 1024;

    private FileDescription[] files = new FileDescription[64];
    private boolean[] cloexec = new boolean[64];
    /** RLIMIT_NOFILE's soft limit (a new table has the first process's; fork copies the parent's). */
    private int limit = Rlimits.initialNofile();

    /** The description behind {@code fd}; EBADF if none. */
    public synchronized FileDescription get(int fd) {
        if (fd < 0 || fd >= files.length || files[fd] == null) {
            throw ErrnoException.of(Errno.EBADF);
        }
        return files[fd];
    }

    /** The description behind {@code fd}, or null if none. */
    public synchronized FileDescription lookup(int fd) {
        return fd >= 0 && fd < files.length ? files[fd] : null;
    }

    public synchronized boolean isOpen(int fd) {
        return fd >= 0 && fd < files.length && files[fd] != null;
    }

    /** Installs at the lowest free descriptor >= {@code min}; EMFILE past the limit. Takes over the reference. */
    public synchronized int install(FileDescription file, boolean closeOnExec, int min) {
        for (int fd = Math.max(min, 0); fd < limit; fd++) {
            if (fd >= files.length) {
                grow(fd + 1);
            }
            if (files[fd] == null) {
                files[fd] = file;
                cloexec[fd] = closeOnExec;
                return fd;
            }
        }
        throw ErrnoException.of(Errno.EMFILE);
    }

    public int install(FileDescription file, boolean closeOnExec) {
        return install(file, closeOnExec, 0);
    }

    /** dup2/dup3 semantics: installs at exactly {@code fd}, closing what was there. */
    public void installAt(int fd, FileDescription file, boolean closeOnExec) {
        FileDescription old;
        synchronized (this) {
            if (fd < 0 || fd >= limit) {
                throw ErrnoException.of(Errno.EBADF);
            }
            if (fd >= files.length) {
                grow(fd + 1);
            }
            old = files[fd];
            files[fd] = file;
            cloexec[fd] = closeOnExec;
        }
        if (old != null) {
            filpClose(old);
        }
    }

    /** close(2). */
    public void close(int fd) {
        FileDescription old;
        synchronized (this) {
            if (fd < 0 || fd >= files.length || files[fd] == null) {
                throw ErrnoException.of(Errno.EBADF);
            }
            old = files[fd];
            files[fd] = null;
            cloexec[fd] = false;
        }
        filpClose(old);
    }

    /**
     * close_range(2)'s closing: every open descriptor from {@code first} to {@code last}
     * (inclusive, both non-negative; {@code last} may lie past the table) is closed as close(2)
     * would close it (__range_close).
     */
    public void closeRange(int first, int last) {
        java.util.List<FileDescription> doomed = new java.util.ArrayList<>();
        synchronized (this) {
            int end = Math.min(last, files.length - 1);
            for (int fd = first; fd <= end; fd++) {
                if (files[fd] != null) {
                    doomed.add(files[fd]);
                    files[fd] = null;
                    cloexec[fd] = false;
                }
            }
        }
        for (FileDescription f : doomed) {
            filpClose(f);
        }
    }

    /** close_range(2) with CLOSE_RANGE_CLOEXEC: the open descriptors in the range become close-on-exec. */
    public synchronized void setCloseOnExecRange(int first, int last) {
        int end = Math.min(last, files.length - 1);
        for (int fd = first; fd <= end; fd++) {
            if (files[fd] != null) {
                cloexec[fd] = true;
            }
        }
    }

    public synchronized boolean closeOnExec(int fd) {
        get(fd);
        return cloexec[fd];
    }

    public synchronized void setCloseOnExec(int fd, boolean on) {
        get(fd);
        cloexec[fd] = on;
    }

    public synchronized int limit() {
        return limit;
    }

    public synchronized void setLimit(int limit) {
        this.limit = limit;
    }

    /** Open descriptors, ascending. */
    public synchronized int[] openFds() {
        return java.util.stream.IntStream.range(0, files.length).filter(i -> files[i] != null).toArray();
    }

    /** fork: a new table with the same descriptions (each one more reference) and close-on-exec bits. */
    public FdTable fork() {
        FdTable child = new FdTable();
        synchronized (this) {
            child.files = files.clone();
            child.cloexec = cloexec.clone();
            child.limit = limit;
            for (FileDescription f : child.files) {
                if (f != null) {
                    f.retain();
                }
            }
        }
        return child;
    }

    /** execve: closes every close-on-exec descriptor (do_close_on_exec). */
    public void closeOnExec() {
        java.util.List<FileDescription> doomed = new java.util.ArrayList<>();
        synchronized (this) {
            for (int fd = 0; fd < files.length; fd++) {
                if (files[fd] != null && cloexec[fd]) {
                    doomed.add(files[fd]);
                    files[fd] = null;
                    cloexec[fd] = false;
                }
            }
        }
        for (FileDescription f : doomed) {
            filpClose(f);
        }
    }

    /** Closes everything (process exit). */
    public void closeAll() {
        FileDescription[] doomed;
        synchronized (this) {
            doomed = files;
            files = new FileDescription[64];
            cloexec = new boolean[64];
        }
        for (FileDescription f : doomed) {
            if (f != null) {
                filpClose(f);
            }
        }
    }

    /**
     * filp_close: a descriptor of this table let go of {@code file}. The process's POSIX locks on
     * the file go with it, whichever descriptor set them (man 2 fcntl: "If a process closes any
     * file descriptor referring to a file, then all of the process's locks on that file are
     * released"), after the file's own flush, then the reference is dropped.
     */
    private void filpClose(FileDescription file) {
        file.ops().flush(file); // f_op->flush
        FileLocks.flush(file, this);
        file.release();
    }

    private void grow(int min) {
        int n = Math.max(min, files.length * 2);
        files = Arrays.copyOf(files, n);
        cloexec = Arrays.copyOf(cloexec, n);
    }
}
