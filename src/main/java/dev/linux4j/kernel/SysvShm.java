package dev.linux4j.kernel;

import static dev.linux4j.abi.Ipc.*;
import static dev.linux4j.abi.Mman.MAP_FIXED;
import static dev.linux4j.abi.Mman.MAP_SHARED;
import static dev.linux4j.abi.Mman.PAGE_SIZE;
import static dev.linux4j.abi.Mman.PROT_EXEC;
import static dev.linux4j.abi.Mman.PROT_READ;
import static dev.linux4j.abi.Mman.PROT_WRITE;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Ipc;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.MappedFile;
import dev.linux4j.memory.SharedFilePages;
import dev.linux4j.memory.Vma;
import dev.linux4j.vfs.SparsePages;
import dev.linux4j.vfs.SysvIpcView;
import java.util.ArrayList;
import java.util.List;

/**
 * System V shared memory (ipc/shm.c). A segment's pages live here, sparsely; an attach maps
 * them MAP_SHARED as a file mapping ({@link Attach}), so every process attaching the segment
 * shares the frames through the shared page cache, fork inherits the mapping, and exit and
 * execve detach it as they unmap everything else. Each VMA naming an attach counts in
 * shm_nattch, as shm_open and shm_close count them on Linux (a split or a fork adds one).
 *
 * <p>Locking: the table's lock ({@link IpcIds}) guards the segments' fields; a segment's page
 * map is guarded by the map itself (the shared page cache reads and writes it under its own lock).
 */
public final class SysvShm {
    private final IpcIds<Segment> ids = new IpcIds<>();
    /** ns->shm_tot: pages of all segments. Guarded by the table's lock. */
    private long totalPages;

    /** The pid of a process whose exit is detaching its segments (no task runs on that thread). */
    private static final ThreadLocal<Integer> EXITING = new ThreadLocal<>();

    /** struct shmid_kernel. */
    static final class Segment extends IpcIds.Perm {
        final long size;
        final String name;
        long atime;
        long dtime;
        long ctime;
        int cpid;
        int lpid;
        long nattch;
        /** The segment's pages by index (shmem's page cache); guarded by itself. */
        final SparsePages pages = new SparsePages();

        Segment(long size, int key) {
            this.size = size;
            this.name = String.format("/SYSV%08x (deleted)", key);
        }

        long pageCount() {
            return (size + PAGE_SIZE - 1) >>> 12;
        }
    }

    /**
     * One shmat(2) of a segment: Linux's per-attach {@code struct file} as the VMAs' file. Its
     * pages are the segment's; its references are the segment's attaches.
     */
    private final class Attach implements MappedFile {
        final Segment segment;
        final boolean writable;

        Attach(Segment segment, boolean writable) {
            this.segment = segment;
            this.writable = writable;
        }

        /** i_size of the shm file, page aligned so that the whole last page is kept. */
        @Override
        public long size() {
            return segment.pageCount() << 12;
        }

        @Override
        public int read(long offset, byte[] dst, int off, int len) {
            synchronized (segment.pages) {
                segment.pages.read(offset, dst, off, len);
                return len;
            }
        }

        @Override
        public void write(long offset, byte[] src, int off, int len) {
            synchronized (segment.pages) {
                if (!segment.deleted) {
                    segment.pages.write(offset, src, off, len);
                }
            }
        }

        /** VM_MAYWRITE: an attach with SHM_RDONLY cannot be made writable by mprotect (EACCES). */
        @Override
        public boolean writable() {
            return writable;
        }

        /** Every attach of the segment shares its pages. */
        @Override
        public Object identity() {
            return segment;
        }

        /** shm_open: a VMA was split or copied by fork. */
        @Override
        public void retain() {
            opened(segment, currentPid());
        }

        /** shm_close: a VMA went (munmap, shmdt, exit, execve). */
        @Override
        public void release() {
            closed(segment, currentPid());
        }

        /** The page cache's hold is not an attach. */
        @Override
        public void pin() {}

        @Override
        public void unpin() {}
    }

    /** The process the calling thread acts for, 0 when unknown. */
    private static int currentPid() {
        Task t = Task.current();
        if (t != null) {
            return t.group().pid();
        }
        Integer exiting = EXITING.get();
        return exiting == null ? 0 : exiting;
    }

    /** __shm_open: one more attach; the attach time and the last operator. */
    private void opened(Segment s, int pid) {
        ids.lock.lock();
        try {
            s.nattch++;
            s.atime = IpcIds.now();
            if (pid != 0) {
                s.lpid = pid;
            }
        } finally {
            ids.lock.unlock();
        }
    }

    /** shm_close: one attach less; a segment marked SHM_DEST goes with its last attach. */
    private void closed(Segment s, int pid) {
        ids.lock.lock();
        try {
            if (pid != 0) {
                s.lpid = pid;
            }
            s.dtime = IpcIds.now();
            s.nattch--;
            if (s.nattch == 0 && (s.mode & SHM_DEST) != 0 && !s.deleted) {
                destroy(s);
            }
        } finally {
            ids.lock.unlock();
        }
    }

    /** shm_destroy (the lock held). */
    private void destroy(Segment s) {
        totalPages -= s.pageCount();
        ids.remove(s);
        synchronized (s.pages) {
            s.pages.clear();
        }
    }

    /**
     * shmget(2) (ksys_shmget, newseg): EINVAL for a size outside SHMMIN..SHMMAX or larger than
     * an existing segment's; ENOSPC past SHMALL pages or SHMMNI segments.
     */
    public int shmget(Task task, int key, long size, int flags) {
        Credentials cred = task.group().credentials();
        int pid = task.group().pid();
        return ids.get(key, flags, cred, new IpcIds.Ops<>() {
            @Override
            public int create() {
                if (Long.compareUnsigned(size, SHMMIN) < 0 || Long.compareUnsigned(size, SHMMAX) > 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                long pages = (size + PAGE_SIZE - 1) >>> 12;
                if (Long.compareUnsigned(totalPages + pages, totalPages) < 0
                        || Long.compareUnsigned(totalPages + pages, SHMALL) > 0) {
                    throw ErrnoException.of(Errno.ENOSPC);
                }
                Segment s = new Segment(size, key);
                IpcIds.init(s, key, flags, cred);
                s.cpid = pid;
                s.ctime = IpcIds.now();
                int id = ids.add(s, SHMMNI);
                totalPages += pages;
                return id;
            }

            @Override
            public void moreChecks(Segment existing) {
                if (Long.compareUnsigned(existing.size, size) < 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
            }
        });
    }

    /**
     * shmat(2) (do_shmat): the address checks (EINVAL: misaligned without SHM_RND, SHM_REMAP
     * without an address, an address whose segment-sized range is in use without SHM_REMAP),
     * the id (EINVAL), the permission for reading, writing unless SHM_RDONLY, executing with
     * SHM_EXEC (EACCES), then a MAP_SHARED mapping of the segment.
     *
     * @return the attach address
     */
    public long shmat(Task task, int shmid, long addr, int flags) {
        if (shmid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int mapFlags = MAP_SHARED;
        if (addr != 0) {
            if ((addr & (SHMLBA - 1)) != 0) {
                if ((flags & SHM_RND) == 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                addr &= ~(SHMLBA - 1);
                if (addr == 0 && (flags & SHM_REMAP) != 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
            }
            mapFlags |= MAP_FIXED;
        } else if ((flags & SHM_REMAP) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int prot;
        int access;
        if ((flags & SHM_RDONLY) != 0) {
            prot = PROT_READ;
            access = 0444;
        } else {
            prot = PROT_READ | PROT_WRITE;
            access = 0666;
        }
        if ((flags & SHM_EXEC) != 0) {
            prot |= PROT_EXEC;
            access |= 0111;
        }
        Credentials cred = task.group().credentials();
        Segment s;
        ids.lock.lock();
        try {
            s = ids.obtain(shmid);
            s.check(cred, access);
            s.nattch++; // held while mapping, as do_shmat does
        } finally {
            ids.lock.unlock();
        }
        Attach attach = new Attach(s, (flags & SHM_RDONLY) == 0);
        AddressSpace mem = task.memory();
        try {
            if (addr != 0 && (flags & SHM_REMAP) == 0) {
                if (Long.compareUnsigned(addr + s.size, addr) < 0 || mem.overlaps(addr, s.size)) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
            }
            addr = mem.map(addr, s.size, prot, mapFlags, s.name, 0, attach);
            opened(s, task.group().pid()); // the mapping's own attach (shm_mmap's __shm_open)
            return addr;
        } finally {
            ids.lock.lock();
            try {
                s.nattch--;
                if (s.nattch == 0 && (s.mode & SHM_DEST) != 0 && !s.deleted) { // shm_may_destroy
                    destroy(s);
                }
            } finally {
                ids.lock.unlock();
            }
        }
    }

    /**
     * shmdt(2) (ksys_shmdt): unmaps the attach that starts at {@code addr} and every fragment
     * of the same attach within the segment's size (what mprotect or munmap left of it);
     * EINVAL when {@code addr} is misaligned or no attach starts there.
     */
    public void shmdt(Task task, long addr) {
        if ((addr & (PAGE_SIZE - 1)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        AddressSpace mem = task.memory();
        List<Vma> vmas = mem.vmas();
        int i = 0;
        while (i < vmas.size() && Long.compareUnsigned(vmas.get(i).end(), addr) <= 0) {
            i++;
        }
        Attach found = null;
        for (; i < vmas.size(); i++) {
            Vma v = vmas.get(i);
            if (v.file() instanceof Attach a && fragmentAt(v, addr)) {
                found = a;
                mem.unmap(v.start(), v.length());
                i++;
                break;
            }
        }
        if (found == null) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long size = found.size();
        for (; i < vmas.size() && vmas.get(i).end() - addr <= size; i++) {
            Vma v = vmas.get(i);
            if (v.file() == found && fragmentAt(v, addr)) {
                mem.unmap(v.start(), v.length());
            }
        }
    }

    /** (vm_start - addr) / PAGE_SIZE == vm_pgoff: the VMA is the part of an attach at addr it would be. */
    private static boolean fragmentAt(Vma v, long addr) {
        return Long.compareUnsigned(v.start(), addr) >= 0 && v.start() - addr == v.offset();
    }

    /** exit_mmap's shm_close for an exiting process: its attaches go, with it as the last operator. */
    void exit(ThreadGroup group, AddressSpace space) {
        EXITING.set(group.pid());
        try {
            for (Vma v : space.vmas()) {
                if (v.file() instanceof Attach) {
                    space.unmap(v.start(), v.length());
                }
            }
        } finally {
            EXITING.remove();
        }
    }

    /** IPC_STAT, SHM_STAT and SHM_STAT_ANY (shmctl_stat): EACCES without read permission except for SHM_STAT_ANY. */
    public IpcNamespace.Status<Ipc.ShmidDs> stat(Task task, int shmid, int cmd) {
        ids.lock.lock();
        try {
            Segment s = cmd == IPC_STAT ? ids.obtain(shmid) : ids.obtainByIndex(shmid);
            if (cmd != SHM_STAT_ANY) {
                s.check(task.group().credentials(), 0444);
            }
            Ipc.ShmidDs ds = new Ipc.ShmidDs(s.toAbi(), s.size, s.atime, s.dtime, s.ctime, s.cpid, s.lpid, s.nattch);
            return new IpcNamespace.Status<>(cmd == IPC_STAT ? 0 : s.id, ds);
        } finally {
            ids.lock.unlock();
        }
    }

    /**
     * IPC_SET and IPC_RMID (shmctl_down): the creator, the owner or root (EPERM). IPC_RMID of
     * an attached segment marks it SHM_DEST and makes its key private; the last detach frees it.
     */
    public void control(Task task, int shmid, int cmd, Ipc.Perm perm) {
        ids.lock.lock();
        try {
            Segment s = ids.obtain(shmid);
            s.checkOwner(task.group().credentials());
            if (cmd == IPC_SET) {
                s.update(perm);
                s.ctime = IpcIds.now();
            } else if (s.nattch != 0) {
                s.mode |= SHM_DEST;
                ids.setKeyPrivate(s);
            } else {
                destroy(s);
            }
        } finally {
            ids.lock.unlock();
        }
    }

    /**
     * SHM_LOCK and SHM_UNLOCK (shmctl_do_lock): without CAP_IPC_LOCK only the owner or creator
     * (EPERM), and SHM_LOCK needs a RLIMIT_MEMLOCK; SHM_LOCKED shows in the mode. Pages are
     * never swapped here, so locking changes nothing else.
     */
    public void lock(Task task, int shmid, boolean lock) {
        ids.lock.lock();
        try {
            Segment s = ids.obtain(shmid);
            Credentials c = task.group().credentials();
            if (c.euid() != 0) {
                if (c.euid() != s.uid && c.euid() != s.cuid) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                long memlock = task.group().rlimit(dev.linux4j.abi.Resource.RLIMIT_MEMLOCK)[0];
                if (lock && memlock == 0) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                if (lock && (s.mode & SHM_LOCKED) == 0 && memlock != -1
                        && Long.compareUnsigned(s.pageCount(), memlock >>> 12) > 0) {
                    throw ErrnoException.of(Errno.ENOMEM); // user_shm_lock
                }
            }
            if (lock) {
                s.mode |= SHM_LOCKED;
            } else {
                s.mode &= ~SHM_LOCKED;
            }
        } finally {
            ids.lock.unlock();
        }
    }

    /**
     * /proc/sysvipc/shm (sysvipc_shm_proc_show): rss is the segment's pages in memory
     * (shm_add_rss_swap, after {@link #writeBackAll}), swap 0.
     */
    List<SysvIpcView.Shm> proc() {
        writeBackAll();
        ids.lock.lock();
        try {
            List<SysvIpcView.Shm> out = new ArrayList<>();
            for (Segment s : ids.all()) {
                long rss;
                synchronized (s.pages) {
                    rss = (long) s.pages.count() * PAGE_SIZE;
                }
                out.add(new SysvIpcView.Shm(s.key, s.id, s.mode, s.size, s.cpid, s.lpid, s.nattch,
                        s.uid, s.gid, s.cuid, s.cgid, s.atime, s.dtime, s.ctime, rss, 0));
            }
            return out;
        } finally {
            ids.lock.unlock();
        }
    }

    /** IPC_INFO (shmctl_ipc_info): the limits, and the highest index in use as the result. */
    public IpcNamespace.Status<Ipc.Shminfo> info() {
        ids.lock.lock();
        try {
            return new IpcNamespace.Status<>(ids.maxIndex(), new Ipc.Shminfo(SHMMAX, SHMMIN, SHMMNI, SHMMNI, SHMALL));
        } finally {
            ids.lock.unlock();
        }
    }

    /**
     * Writes the pages the attaches hold in the shared page cache back into their segments, so
     * that a page touched through a mapping counts in rss, as a shmem page does from its first
     * fault.
     */
    private void writeBackAll() {
        List<Segment> segments;
        ids.lock.lock();
        try {
            segments = ids.all();
        } finally {
            ids.lock.unlock();
        }
        for (Segment s : segments) {
            SharedFilePages.writeBack(s); // not under the table's lock: it takes the page cache's
        }
    }

    /**
     * SHM_INFO (shmctl_shm_info): segments in use, their pages, and the pages in memory
     * (shm_rss, counted after {@link #writeBackAll}).
     */
    public IpcNamespace.Status<Ipc.ShmInfo> shmInfo() {
        writeBackAll();
        ids.lock.lock();
        try {
            long rss = 0;
            for (Segment s : ids.all()) {
                synchronized (s.pages) {
                    rss += s.pages.count();
                }
            }
            return new IpcNamespace.Status<>(ids.maxIndex(), new Ipc.ShmInfo(ids.inUse(), totalPages, rss, 0));
        } finally {
            ids.lock.unlock();
        }
    }
}
