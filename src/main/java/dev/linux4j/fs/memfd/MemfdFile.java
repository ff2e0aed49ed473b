package dev.linux4j.fs.memfd;

import static dev.linux4j.abi.Fcntl.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.SparsePages;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open memfd_create(2) file: a regular file that lives only in memory, as Linux keeps it on
 * its internal shmem mount (mm/shmem.c, mm/memfd.c). Its pages are held here, sparsely, so a
 * large ftruncate costs nothing until written; the file goes when the last description and
 * mapping let go of it. Each open of it (the memfd itself, reopening /proc/self/fd/N) is one
 * of these around the shared {@link Inode}, which also keeps the file's seals (F_ADD_SEALS).
 */
public final class MemfdFile implements FileOps {
    private static final int PAGE = 4096;
    /** st_dev of Linux's internal shmem mount, as fstat of a memfd shows it: 0:1. */
    private static final long SHMEM_DEV = StatBuf.makedev(0, 1);
    /** get_next_ino: inode numbers of the internal mount. */
    private static final AtomicLong NEXT_INO = new AtomicLong(1000);
    /** MAX_LFS_FILESIZE. */
    private static final long MAX_SIZE = Long.MAX_VALUE;

    private final Inode inode;

    private MemfdFile(Inode inode) {
        this.inode = inode;
    }

    /**
     * A new memfd: size 0, st_nlink 0, owned by {@code uid}/{@code gid}, with {@code mode}'s
     * permission bits and the given initial seals.
     */
    public static MemfdFile create(String name, int mode, int uid, int gid, int seals) {
        return new MemfdFile(new Inode(name, mode, uid, gid, seals));
    }

    /** The file's seals (F_GET_SEALS). */
    public int seals() {
        synchronized (inode) {
            return inode.seals;
        }
    }

    /**
     * memfd_add_seals after its checks on the descriptor: EPERM once F_SEAL_SEAL is set;
     * {@code writablyMapped} is asked (under the inode's lock) only when F_SEAL_WRITE is new, and
     * a yes is EBUSY. F_SEAL_EXEC on a file with execute bits brings every write seal with it.
     */
    public void addSeals(int seals, java.util.function.BooleanSupplier writablyMapped) {
        synchronized (inode) {
            if ((inode.seals & F_SEAL_SEAL) != 0) {
                throw ErrnoException.of(Errno.EPERM);
            }
            if ((seals & F_SEAL_WRITE) != 0 && (inode.seals & F_SEAL_WRITE) == 0 && writablyMapped.getAsBoolean()) {
                throw ErrnoException.of(Errno.EBUSY);
            }
            if ((seals & F_SEAL_EXEC) != 0 && (inode.mode & 0111) != 0) {
                seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
            }
            inode.seals |= seals;
        }
    }

    /**
     * What mmap(2) of a memfd must refuse (shmem's memfd_check_seals_mmap): a shared mapping
     * that may write once F_SEAL_WRITE or F_SEAL_FUTURE_WRITE is set is EPERM.
     */
    public void checkMmap(boolean shared, boolean protWrite) {
        if (shared && protWrite && (seals() & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0) {
            throw ErrnoException.of(Errno.EPERM);
        }
    }

    /** fchmod(2): the permission bits change, except execute bits under F_SEAL_EXEC (EPERM). */
    public void chmod(int mode) {
        synchronized (inode) {
            if ((inode.seals & F_SEAL_EXEC) != 0 && ((mode ^ inode.mode) & 0111) != 0) {
                throw ErrnoException.of(Errno.EPERM);
            }
            inode.mode = mode & 07777;
            inode.touchCtime();
        }
    }

    @Override
    public boolean seekable() {
        return true;
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        synchronized (inode) {
            if (position >= inode.size) {
                return 0;
            }
            int n = (int) Math.min(len, inode.size - position);
            inode.pages.read(position, buf, off, n);
            return n;
        }
    }

    /**
     * shmem_write_begin's seal checks, page by page: EPERM under F_SEAL_WRITE or
     * F_SEAL_FUTURE_WRITE, and for the part of a write that would grow the file under
     * F_SEAL_GROW (what went before it stays written).
     */
    @Override
    public int write(FileDescription file, byte[] buf, int off, int len, long position) {
        if (len == 0) {
            return 0;
        }
        synchronized (inode) {
            if ((inode.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0) {
                throw ErrnoException.of(Errno.EPERM);
            }
            return store(buf, off, len, position);
        }
    }

    /**
     * A shared mapping's stores reaching the file: a mapping made before F_SEAL_FUTURE_WRITE
     * still writes, as on Linux. Under F_SEAL_WRITE the stores are dropped: Linux would have
     * refused the writable mapping (or mprotect to PROT_WRITE) in the first place.
     */
    @Override
    public int writeBack(FileDescription file, byte[] buf, int off, int len, long position) {
        synchronized (inode) {
            if ((inode.seals & F_SEAL_WRITE) != 0) {
                return len;
            }
            return store(buf, off, len, position);
        }
    }

    /** Stores bytes into the pages (the inode's lock held), F_SEAL_GROW checked page by page. */
    private int store(byte[] buf, int off, int len, long position) {
        if (position + len < 0 || position + len > MAX_SIZE) {
            throw ErrnoException.of(Errno.EFBIG);
        }
        int n = len;
        if ((inode.seals & F_SEAL_GROW) != 0 && position + len > inode.size) {
            // Page by page, as shmem_write_begin is asked: what goes is up to the last page end
            // within the file; a first page that would grow it is EPERM.
            long lastEnd = inode.size - inode.size % PAGE;
            if (lastEnd <= position) {
                throw ErrnoException.of(Errno.EPERM);
            }
            n = (int) (lastEnd - position);
        }
        inode.pages.write(position, buf, off, n);
        inode.size = Math.max(inode.size, position + n);
        inode.touchMtime();
        return n;
    }

    @Override
    public long size(FileDescription file) {
        synchronized (inode) {
            return inode.size;
        }
    }

    @Override
    public StatBuf stat(FileDescription file) {
        synchronized (inode) {
            long blocks = (long) inode.pages.count() * (PAGE / 512);
            return new StatBuf(SHMEM_DEV, inode.ino, Stat.S_IFREG | inode.mode, 0, inode.uid, inode.gid, 0,
                    inode.size, PAGE, blocks, inode.atime / 1_000_000_000L, (int) (inode.atime % 1_000_000_000L),
                    inode.mtime / 1_000_000_000L, (int) (inode.mtime % 1_000_000_000L),
                    inode.ctime / 1_000_000_000L, (int) (inode.ctime % 1_000_000_000L),
                    inode.btime / 1_000_000_000L, (int) (inode.btime % 1_000_000_000L), true, 0);
        }
    }

    /** shmem has nothing to write back. */
    @Override
    public void fsync(FileDescription file) {}

    /** shmem_setattr's size change: EPERM under F_SEAL_SHRINK or F_SEAL_GROW when it would shrink or grow. */
    @Override
    public void truncate(FileDescription file, long length) {
        if (!file.writable()) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        synchronized (inode) {
            if ((length < inode.size && (inode.seals & F_SEAL_SHRINK) != 0)
                    || (length > inode.size && (inode.seals & F_SEAL_GROW) != 0)) {
                throw ErrnoException.of(Errno.EPERM);
            }
            if (length < inode.size) {
                inode.discard(length, inode.size);
            }
            if (length != inode.size) {
                inode.size = length;
                inode.touchMtime();
            }
        }
    }

    /**
     * shmem_fallocate: mode 0 and FALLOC_FL_KEEP_SIZE reserve (growing the size unless kept,
     * EPERM under F_SEAL_GROW), FALLOC_FL_PUNCH_HOLE|KEEP_SIZE zeroes (EPERM under a write
     * seal); other modes are EOPNOTSUPP.
     */
    @Override
    public void fallocate(FileDescription file, int mode, long offset, long len) {
        final int keepSize = 1;
        final int punchHole = 2;
        synchronized (inode) {
            if (mode == (punchHole | keepSize)) {
                if ((inode.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                inode.discard(offset, Math.min(offset + len, inode.size));
                inode.touchMtime();
                return;
            }
            if (mode != 0 && mode != keepSize) {
                throw ErrnoException.of(Errno.EOPNOTSUPP);
            }
            long end = offset + len;
            if (mode == 0 && end > inode.size) {
                if ((inode.seals & F_SEAL_GROW) != 0) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                inode.size = end;
                inode.touchCtime();
            }
        }
    }

    /** "/memfd:NAME (deleted)": the path d_path gives a memfd. */
    @Override
    public String dname(FileDescription file) {
        return "/memfd:" + inode.name + " (deleted)";
    }

    /** Opening /proc/PID/fd/N of a memfd opens the same file again. */
    @Override
    public FileOps reopen(FileDescription file, int flags) {
        if ((flags & O_TRUNC) != 0 && (flags & O_ACCMODE) != O_RDONLY) {
            synchronized (inode) {
                if (inode.size != 0 && (inode.seals & F_SEAL_SHRINK) != 0) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                inode.discard(0, inode.size);
                inode.size = 0;
                inode.touchMtime();
            }
        }
        return new MemfdFile(inode);
    }

    /** The file itself, shared by its opens: shmem_inode_info with the memfd's seals. */
    private static final class Inode {
        final String name;
        final long ino = NEXT_INO.incrementAndGet();
        final int uid;
        final int gid;
        int mode;
        int seals;
        long size;
        final SparsePages pages = new SparsePages();
        final long btime;
        long atime;
        long mtime;
        long ctime;

        Inode(String name, int mode, int uid, int gid, int seals) {
            this.name = name;
            this.mode = mode & 07777;
            this.uid = uid;
            this.gid = gid;
            this.seals = seals;
            btime = atime = mtime = ctime = now(0);
        }

        /** The wall clock in nanoseconds, past {@code after}: each change gives the file a new ctime. */
        private static long now(long after) {
            java.time.Instant t = java.time.Instant.now();
            long ns = t.getEpochSecond() * 1_000_000_000L + t.getNano();
            return Math.max(ns, after + 1);
        }

        void touchMtime() {
            mtime = ctime = now(ctime);
        }

        void touchCtime() {
            ctime = now(ctime);
        }

        /** Zeroes [from, to): whole pages go, partial ones are cleared. */
        void discard(long from, long to) {
            pages.discard(from, to);
        }
    }
}
