package dev.linux4j.vfs;

import dev.linux4j.abi.Fcntl;

/**
 * An open file: Linux's {@code struct file}. Shared by every descriptor that dup(2), fork(2)
 * or SCM_RIGHTS made from the same open(2); holds the position and status flags.
 *
 * <p>Locking: {@code this} guards {@link #position} and {@link #flags}.
 */
public final class FileDescription {
    private final FileOps ops;
    private final String path;
    private final Location location;
    private int flags;
    private long position;
    private int references = 1;
    /** The inode as (st_dev, st_ino), once {@link FileMapping#keyOf} has asked: it never changes. */
    private volatile FileMapping.Key key;

    public FileDescription(FileOps ops, int flags, String path, Location location) {
        this(ops, flags, path, location, false);
    }

    /** do_dentry_open's f_flags: the creation flags go (and O_CLOEXEC, as build_open_flags takes it for open(2)). */
    private FileDescription(FileOps ops, int flags, String path, Location location, boolean keepCloexec) {
        this.ops = ops;
        this.flags = flags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOCTTY | Fcntl.O_TRUNC
                | (keepCloexec ? 0 : Fcntl.O_CLOEXEC));
        this.path = path;
        this.location = location;
    }

    /**
     * A file opened by dentry_open with the caller's flags as they are (mq_open): O_CLOEXEC stays
     * in f_flags, where open(2)'s build_open_flags strips it, and F_GETFL shows it.
     */
    public static FileDescription dentryOpen(FileOps ops, int flags, String path, Location location) {
        return new FileDescription(ops, flags, path, location, true);
    }

    public FileOps ops() {
        return ops;
    }

    FileMapping.Key key() {
        return key;
    }

    void setKey(FileMapping.Key key) {
        this.key = key;
    }

    /** The guest path it was opened by (for /proc/self/fd and strace), or a pseudo name like "pipe:[3]". */
    public String path() {
        return path;
    }

    /** Where it lives in the VFS, or null for anonymous files (pipes, stdio). */
    public Location location() {
        return location;
    }

    public synchronized int flags() {
        return flags;
    }

    /** F_SETFL: only O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT and O_NOATIME may change (fs/fcntl.c SETFL_MASK). */
    public synchronized void setStatusFlags(int newFlags) {
        int settable = Fcntl.O_APPEND | Fcntl.O_NONBLOCK | Fcntl.FASYNC | Fcntl.O_DIRECT | Fcntl.O_NOATIME;
        flags = (flags & ~settable) | (newFlags & settable);
    }

    public int accessMode() {
        return flags() & Fcntl.O_ACCMODE;
    }

    public boolean isPath() {
        return (flags() & Fcntl.O_PATH) != 0;
    }

    public boolean readable() {
        int m = accessMode();
        return !isPath() && (m == Fcntl.O_RDONLY || m == Fcntl.O_RDWR);
    }

    public boolean writable() {
        int m = accessMode();
        return !isPath() && (m == Fcntl.O_WRONLY || m == Fcntl.O_RDWR);
    }

    public synchronized long position() {
        return position;
    }

    public synchronized void setPosition(long position) {
        this.position = position;
    }

    /**
     * The listing getdents walks, taken when reading starts from position 0 (open, rewinddir):
     * a position is an index into it, so entries removed while a program walks the directory
     * (closing the descriptors /proc/self/fd lists, unlinking what it reads) do not move the
     * ones not read yet, as positions do not move on Linux. Every file system lists a directory
     * afresh when asked.
     */
    private java.util.List<DirEntry> listing;

    /** {@link #listing}, taken again from {@code ops} at position 0 (under this file's lock). */
    public synchronized java.util.List<DirEntry> readdir() {
        if (listing == null || position == 0) {
            listing = ops.readdir(this);
        }
        return listing;
    }

    public synchronized void retain() {
        references++;
    }

    /** Whether the last reference is gone (epoll forgets such a file, as eventpoll_release does). */
    public synchronized boolean released() {
        return references == 0;
    }

    /** Drops one reference; releases the file when it was the last. */
    public void release() {
        boolean last;
        synchronized (this) {
            last = --references == 0;
        }
        if (last) {
            FileEvents.closed(this); // __fput's fsnotify_close
            FileLocks.removeFile(this); // __fput's locks_remove_file: OFD and flock(2) locks go
            ops.release(this);
        }
    }
}
