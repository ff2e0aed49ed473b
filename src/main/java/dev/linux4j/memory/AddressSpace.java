package dev.linux4j.memory;

import static dev.linux4j.abi.Mman.*;
import static dev.linux4j.memory.PagePool.RAW;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A guest address space: Linux's {@code mm_struct}. A software page table maps each 4 KiB guest
 * page to an off-heap frame with its permissions; the VMA list records what was mapped, for
 * placement and {@code /proc/self/maps}. Frames are allocated on first touch, so a large
 * PROT_NONE or MAP_NORESERVE reservation takes no guest memory until used; its page-table
 * entries are written at once, though (8 bytes per page: 64 GiB cost 0.3 s and 128 MiB).
 *
 * <p>Locking: {@code this} guards the VMA map, the page-table structure, brk and the locks of
 * mlock(2). Page-table entries are read without the lock by {@link Mmu}s, which revalidate
 * through {@link #generation()} after any unmap or protection change. The caller's
 * {@link MemlockLimit} is read before taking {@code this}: it takes the task's own locks.
 */
public final class AddressSpace {
    // Page-table entry: frame address (page aligned) | flag bits below.
    static final long PTE_READ = PROT_READ;
    static final long PTE_WRITE = PROT_WRITE;
    static final long PTE_EXEC = PROT_EXEC;
    static final long PTE_MAPPED = 8;
    /** Decoded instructions are cached from this page: writes must invalidate them. */
    static final long PTE_CODE = 16;
    /** The frame belongs to {@link SharedFilePages} (a MAP_SHARED file page), not to this space. */
    static final long PTE_SHARED = 32;
    /** The frame may have other owners ({@link PagePool#share}): a write must copy it first. */
    static final long PTE_COW = 64;
    static final long PTE_FLAGS = 0xfff;
    static final long FRAME_MASK = ~0xfffL;

    /**
     * Page-table levels, as x86-64's four (the top one narrower: 35 bits of page number). Small
     * tables, because every fork and execve builds a page table: with 32 KiB leaves and 16 KiB
     * directories a `busybox true` spawn allocated about 170 KiB of them twice.
     */
    private static final int L3_BITS = 9;
    private static final int L2_BITS = 9;
    private static final int L1_BITS = 9;
    private static final int L0_BITS = 8;
    private static final int L3_SHIFT = 0;
    private static final int L2_SHIFT = L3_BITS;
    private static final int L1_SHIFT = L2_SHIFT + L2_BITS;
    private static final int L0_SHIFT = L1_SHIFT + L1_BITS;

    /** The default mmap_base without randomisation: TASK_SIZE minus the 128 MiB minimum gap. */
    public static final long DEFAULT_MMAP_BASE = TASK_SIZE - (128L << 20);

    private final PagePool pool = PagePool.shared();
    private final long[][][][] pageTable = new long[1 << L0_BITS][][][];
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    private volatile int generation;
    /** Mmus (threads) ever attached: with one, a copy-on-write fault need not flush anyone. */
    private final java.util.concurrent.atomic.AtomicInteger mmus = new java.util.concurrent.atomic.AtomicInteger();
    private volatile CodeWatcher codeWatcher;
    private long mmapBase = DEFAULT_MMAP_BASE;
    private long brkStart;
    private long brk;
    /**
     * mm->def_flags' VM_LOCKED_MASK: the lock mlockall(MCL_FUTURE) gives every later mapping.
     * Written under this; volatile so that a mapping call can tell without it whether it needs
     * the caller's {@link MemlockLimit}.
     */
    private volatile Vma.Lock futureLock = Vma.Lock.NONE;

    /** The calling task's limits, installed by the kernel. */
    private static volatile CallerLimits callerLimits = CallerLimits.DEFAULT;

    /**
     * Installs what tells this layer the calling task's RLIMIT_STACK (for a growing stack) and
     * RLIMIT_MEMLOCK with CAP_IPC_LOCK (for mlock, and for mmap, brk, mremap and stack growth of
     * memory that mlockall(MCL_FUTURE) or MAP_LOCKED lock). Until then {@link CallerLimits#DEFAULT}.
     */
    public static void setCallerLimits(CallerLimits limits) {
        callerLimits = limits;
    }

    /** Told when a page holding decoded code is written or unmapped. */
    public interface CodeWatcher {
        void codeChanged(long pageAddress);
    }

    public void setCodeWatcher(CodeWatcher watcher) {
        this.codeWatcher = watcher;
    }

    /** Bumped whenever a translation is removed or narrowed; per-thread TLBs flush on change. */
    public int generation() {
        return generation;
    }

    // ---------------------------------------------------------------- page table

    private static int index(long vpn, int shift, int bits) {
        return (int) (vpn >>> shift) & ((1 << bits) - 1);
    }

    long pte(long vpn) {
        long[] l3 = leaf(vpn);
        return l3 == null ? 0 : l3[index(vpn, L3_SHIFT, L3_BITS)];
    }

    /** The page-table leaf holding {@code vpn}'s entry, null if there is none yet. */
    private long[] leaf(long vpn) {
        long[][][] l1 = pageTable[index(vpn, L0_SHIFT, L0_BITS)];
        if (l1 == null) {
            return null;
        }
        long[][] l2 = l1[index(vpn, L1_SHIFT, L1_BITS)];
        return l2 == null ? null : l2[index(vpn, L2_SHIFT, L2_BITS)];
    }

    /**
     * For a page number whose leaf does not exist: the start of the next table after the
     * highest empty one on its path, the first page number after it that may have a leaf.
     */
    private long afterEmptyTable(long vpn) {
        long[][][] l1 = pageTable[index(vpn, L0_SHIFT, L0_BITS)];
        if (l1 == null) {
            return ((vpn >>> L0_SHIFT) + 1) << L0_SHIFT;
        }
        long[][] l2 = l1[index(vpn, L1_SHIFT, L1_BITS)];
        if (l2 == null) {
            return ((vpn >>> L1_SHIFT) + 1) << L1_SHIFT;
        }
        return ((vpn >>> L2_SHIFT) + 1) << L2_SHIFT;
    }

    /** What a walk over the page table ({@link #forEachEntry}) does with each entry there is. */
    private interface EntryVisitor {
        void visit(long vpn, long pte);
    }

    /**
     * Calls {@code visitor} with every non-empty entry of the pages in [start, end), in address
     * order, skipping the tables that do not exist: a range that was reserved and never touched
     * (an 8 MiB stack, a terabyte of sanitizer shadow) is mostly those. The visitor may set the
     * entry it is given. Caller holds the lock.
     */
    private void forEachEntry(long start, long end, EntryVisitor visitor) {
        long last = (end + PAGE_SIZE - 1) >>> PAGE_SHIFT;
        for (long vpn = start >>> PAGE_SHIFT; vpn < last; ) {
            long[] l3 = leaf(vpn);
            if (l3 == null) {
                vpn = afterEmptyTable(vpn);
                continue;
            }
            long pte = l3[index(vpn, L3_SHIFT, L3_BITS)];
            if (pte != 0) {
                visitor.visit(vpn, pte);
            }
            vpn++;
        }
    }

    /** Page-table entries holding a frame; guarded by this, as every {@link #setPte} is. */
    private long resident;

    private void setPte(long vpn, long value) {
        int i0 = index(vpn, L0_SHIFT, L0_BITS);
        long[][][] l1 = pageTable[i0];
        if (l1 == null) {
            l1 = pageTable[i0] = new long[1 << L1_BITS][][];
        }
        int i1 = index(vpn, L1_SHIFT, L1_BITS);
        long[][] l2 = l1[i1];
        if (l2 == null) {
            l2 = l1[i1] = new long[1 << L2_BITS][];
        }
        int i2 = index(vpn, L2_SHIFT, L2_BITS);
        long[] l3 = l2[i2];
        if (l3 == null) {
            l3 = l2[i2] = new long[1 << L3_BITS];
        }
        int i3 = index(vpn, L3_SHIFT, L3_BITS);
        resident += ((value & FRAME_MASK) != 0 ? 1 : 0) - ((l3[i3] & FRAME_MASK) != 0 ? 1 : 0);
        l3[i3] = value;
    }

    /** Pages with a frame now (the resident set), kept by {@link #setPte}: O(1) for getrusage and exit. */
    public synchronized long residentTotal() {
        return resident;
    }

    static boolean isUserAddress(long addr) {
        return addr >= 0 && addr < TASK_SIZE;
    }

    /**
     * The frame address for an access to {@code addr}, allocating the frame on first touch.
     * {@code access} is one of PROT_READ, PROT_WRITE, PROT_EXEC.
     *
     * @throws GuestFault when the page is not mapped or forbids the access
     */
    long frameFor(long addr, int access) {
        return frameFor(addr, access, false);
    }

    /**
     * A store's translation for {@link Mmu}'s slow path: as {@link #frameFor} with PROT_WRITE,
     * but the calling Mmu updates its own read TLB if a copy-on-write fault moves the page.
     */
    long frameForMmuWrite(long addr) {
        return frameFor(addr, PROT_WRITE, true);
    }

    private long frameFor(long addr, int access, boolean mmuWrite) {
        if (!isUserAddress(addr)) {
            throw new GuestFault(addr, GuestFault.Kind.NOT_MAPPED, access == PROT_WRITE);
        }
        long vpn = addr >>> PAGE_SHIFT;
        long pte = pte(vpn);
        if ((pte & PTE_MAPPED) == 0) {
            return faultUntouched(addr, access, mmuWrite);
        }
        if ((pte & access) == 0) {
            throw new GuestFault(addr, GuestFault.Kind.PROTECTION, access == PROT_WRITE);
        }
        if ((pte & PTE_CODE) != 0 && access == PROT_WRITE) {
            pte = clearCode(vpn);
        }
        if ((pte & PTE_COW) != 0 && (access == PROT_WRITE || access == PROT_NONE_ACCESS)) {
            return breakCow(vpn, mmuWrite);
        }
        long frame = pte & FRAME_MASK;
        if (frame == 0) {
            synchronized (this) {
                pte = pte(vpn);
                frame = pte & FRAME_MASK;
                if (frame == 0 && (pte & PTE_MAPPED) != 0) {
                    frame = populate(addr, pte, access);
                }
            }
        }
        return frame;
    }

    /**
     * The first touch of a page that has no page-table entry: as in Linux, a mapping gets entries
     * only for the pages touched, and the VMA holding the page says what it is (handle_mm_fault's
     * pte_none case). A page outside every mapping may be a stack growing down; else the fault
     * is SIGSEGV's SEGV_MAPERR, and a page whose mapping forbids the access SEGV_ACCERR.
     * Reserving a terabyte (AddressSanitizer's shadow, a JIT's cage) costs a VMA, not a table.
     */
    private synchronized long faultUntouched(long addr, int access, boolean mmuWrite) {
        long vpn = addr >>> PAGE_SHIFT;
        if ((pte(vpn) & PTE_MAPPED) != 0) {
            return frameFor(addr, access, mmuWrite); // another thread got here first
        }
        Vma v = vmaAt(addr);
        if (v == null) {
            if (!expandStack(addr)) {
                throw new GuestFault(addr, GuestFault.Kind.NOT_MAPPED, access == PROT_WRITE);
            }
            v = vmaAt(addr);
        }
        long pte = untouchedPte(v);
        if ((pte & access) == 0) {
            throw new GuestFault(addr, GuestFault.Kind.PROTECTION, access == PROT_WRITE);
        }
        return populate(addr, pte, access);
    }

    /** The entry a page of {@code v} has until it is first touched: its protection, no frame. */
    private static long untouchedPte(Vma v) {
        return PTE_MAPPED | (v.prot() & 7) | ((v.prot() & PROT_WRITE) != 0 ? PTE_READ : 0);
    }

    /** mmap_min_addr's default: no mapping, and no stack, below 64 KiB. */
    static final long MMAP_MIN_ADDR = 0x10000L;
    /** stack_guard_gap: 256 pages, the room a growing stack keeps above the mapping below it. */
    static final long STACK_GUARD_GAP = 256L << PAGE_SHIFT;

    /**
     * expand_stack for a fault at the unmapped {@code addr} (lock_mm_and_find_vma, then
     * expand_downwards and acct_stack_growth): if the mapping above it grows down, it is extended
     * down to the page of {@code addr}, unless the stack would then be larger than RLIMIT_STACK
     * or come within stack_guard_gap of an accessible mapping below that does not grow down, or
     * a locked stack would pass RLIMIT_MEMLOCK. The new pages are faulted in on first touch as
     * any others. Returns whether {@code addr} is now mapped; the fault is SIGSEGV otherwise.
     */
    private synchronized boolean expandStack(long addr) {
        if (vmaAt(addr) != null) {
            return true; // another thread grew it meanwhile
        }
        Map.Entry<Long, Vma> above = vmas.higherEntry(addr);
        if (above == null || (above.getValue().flags() & MAP_GROWSDOWN) == 0) {
            return false;
        }
        Vma v = above.getValue();
        long start = addr & ~(long) (PAGE_SIZE - 1);
        if (start < MMAP_MIN_ADDR) {
            return false;
        }
        Map.Entry<Long, Vma> below = vmas.lowerEntry(v.start());
        if (below != null) {
            Vma prev = below.getValue();
            if ((prev.flags() & MAP_GROWSDOWN) == 0 && prev.prot() != 0 && start - prev.end() < STACK_GUARD_GAP) {
                return false;
            }
        }
        if (Long.compareUnsigned(v.end() - start, callerLimits.stack()) > 0) {
            return false;
        }
        if (!mayExpand(v.prot(), v.flags(), (v.start() - start) >>> PAGE_SHIFT)) {
            return false; // acct_stack_growth's may_expand_vm
        }
        if (v.lock().locked() && !callerLimits.memlock().allows(((v.start() - start) >>> PAGE_SHIFT) + lockedPages())) {
            return false;
        }
        vmas.remove(v.start());
        insertVma(v.withRange(start, v.end()));
        return true; // its new pages get entries as they are touched
    }

    /**
     * The first touch of a page (handle_mm_fault): a zero frame for anonymous memory; for a
     * private file mapping a frame filled from the file (the tail past EOF zeroed), for a shared
     * one the file's cached page. A page wholly past EOF is SIGBUS (filemap_fault's VM_FAULT_SIGBUS).
     */
    private long populate(long addr, long pte, int access) {
        boolean write = access == PROT_WRITE;
        long vpn = addr >>> PAGE_SHIFT;
        Map.Entry<Long, Vma> e = vmas.floorEntry(vpn << PAGE_SHIFT);
        Vma v = e == null || e.getValue().end() <= addr ? null : e.getValue();
        long frame;
        long extraFlags = 0;
        if (v == null || v.file() == null) {
            frame = pool.allocate();
        } else {
            long offset = v.offset() + ((vpn << PAGE_SHIFT) - v.start());
            MappedFile.Stamp stamp = v.file().stamp();
            long size = stamp.size();
            if (Long.compareUnsigned(offset, (size + PAGE_SIZE - 1) & ~(long) (PAGE_SIZE - 1)) >= 0) {
                throw new GuestFault(addr, GuestFault.Kind.BEYOND_EOF, write);
            }
            if (v.sharedFile()) {
                frame = SharedFilePages.acquire(v.file(), offset >>> PAGE_SHIFT);
                extraFlags = PTE_SHARED;
            } else if ((access == PROT_READ || access == PROT_EXEC) && stamp.known()
                    && !SharedFilePages.holds(v.file().identity())) {
                // the file's clean page, shared until the first write copies it (do_read_fault)
                boolean executable = (v.prot() & PROT_EXEC) != 0;
                frame = FilePageCache.acquire(v.file(), stamp, offset >>> PAGE_SHIFT, executable, pool);
                extraFlags = PTE_COW;
                faultAround(v, vpn, access, stamp, executable);
            } else {
                frame = pool.allocate();
                SharedFilePages.fillPrivate(v.file(), frame, offset, size);
            }
        }
        setPte(vpn, frame | (pte & PTE_FLAGS) | extraFlags);
        return frame;
    }

    /** fault_around_bytes: 64 KiB, the window a read fault of a file page maps from the page cache. */
    private static final int FAULT_AROUND_PAGES = 16;

    /**
     * do_fault_around and filemap_map_pages, for the read fault of page {@code vpn} of the private
     * file mapping {@code v}: the other pages of its aligned 16-page window (clamped to the VMA
     * and the page-table leaf, the window starting at the VMA when that starts inside it) that
     * have no frame yet, lie below EOF as of {@code stamp} and that {@link FilePageCache} already
     * holds are mapped too, each with the entry a fault of its own would give it; the rest is left
     * to its own fault, and nothing is read. A program's later runs then take one fault, and one
     * host fstat for the stamp, per window they touch instead of per page (busybox true: 67 ->
     * 30 fstats per exec).
     */
    private void faultAround(Vma v, long vpn, int access, MappedFile.Stamp stamp, boolean executable) {
        long first = v.start() >>> PAGE_SHIFT;
        long from = Math.max(vpn & -FAULT_AROUND_PAGES, first);
        long leafEnd = ((from >>> L2_SHIFT) + 1) << L2_SHIFT;
        long to = Math.min(Math.min(from + FAULT_AROUND_PAGES, leafEnd), v.end() >>> PAGE_SHIFT);
        long eof = (stamp.size() + PAGE_SIZE - 1) & ~(long) (PAGE_SIZE - 1);
        for (long p = from; p < to; p++) {
            long pte = pte(p);
            if ((pte & PTE_MAPPED) == 0) {
                pte = untouchedPte(v);
            }
            // pages already present are left alone (filemap_map_folio_range's pte_none check)
            if (p == vpn || (pte & FRAME_MASK) != 0 || (pte & access) == 0) {
                continue;
            }
            long offset = v.offset() + ((p - first) << PAGE_SHIFT);
            if (Long.compareUnsigned(offset, eof) >= 0) {
                break; // next_uptodate_folio stops at i_size
            }
            long frame = FilePageCache.cached(v.file(), stamp, offset >>> PAGE_SHIFT, executable, pool);
            if (frame != 0) {
                setPte(p, frame | (pte & PTE_FLAGS) | PTE_COW);
            }
        }
    }

    /**
     * The write fault of a copy-on-write page (do_wp_page): the page gets a frame of its own,
     * the same one when no other address space still shares it. TLBs that may hold the old
     * frame drop it at their next revalidation; a faulting Mmu updates its own entry at once.
     */
    private synchronized long breakCow(long vpn, boolean mmuWrite) {
        long pte = pte(vpn);
        long frame = pte & FRAME_MASK;
        if ((pte & PTE_COW) == 0) {
            return frame;
        }
        long own = pool.unshare(frame);
        setPte(vpn, (pte & ~(FRAME_MASK | PTE_COW)) | own);
        if (own != frame && (!mmuWrite || mmus.get() > 1)) {
            generation++; // read TLBs may hold the old frame (a faulting Mmu fixes its own)
        }
        return own;
    }

    /** A thread's Mmu starts translating this address space. */
    void attachMmu() {
        mmus.incrementAndGet();
    }

    /** Drops the frame of a page-table entry: back to the pool, or one reference less on a shared file page. */
    private void releaseFrame(long pte, Vma v, long pageAddr, boolean writeBack) {
        long frame = pte & FRAME_MASK;
        if (frame == 0) {
            return;
        }
        if ((pte & PTE_SHARED) != 0 && v != null && v.file() != null) {
            long offset = v.offset() + (pageAddr - v.start());
            SharedFilePages.release(v.file().identity(), offset >>> PAGE_SHIFT, writeBack);
        } else {
            pool.release(frame);
        }
    }

    /** Marks a page as holding decoded code; later writes to it go through {@link #frameFor}. */
    public void markCode(long addr) {
        long vpn = addr >>> PAGE_SHIFT;
        synchronized (this) {
            long pte = pte(vpn);
            if ((pte & PTE_MAPPED) == 0) {
                Vma v = vmaAt(addr);
                pte = v == null ? 0 : untouchedPte(v); // code is marked before its page is first fetched
            }
            if ((pte & PTE_MAPPED) != 0 && (pte & PTE_CODE) == 0) {
                setPte(vpn, pte | PTE_CODE);
                if (writeCacheable(pte)) {
                    generation++; // a write TLB may hold the page: stores must now see it is code
                }
            }
        }
    }

    /**
     * Times a store found its page marked as code (and the code cache was told). Racy: a reader
     * only compares it before and after a store of its own, and counts any change.
     */
    int codeStores;

    private long clearCode(long vpn) {
        long pte;
        synchronized (this) {
            pte = pte(vpn) & ~PTE_CODE;
            setPte(vpn, pte);
            codeStores++;
        }
        CodeWatcher w = codeWatcher;
        if (w != null) {
            w.codeChanged(vpn << PAGE_SHIFT);
        }
        return pte;
    }

    /** True if the page holding {@code addr} may be cached by a TLB for writes. */
    static boolean writeCacheable(long pte) {
        return (pte & (PTE_WRITE | PTE_CODE | PTE_COW)) == PTE_WRITE;
    }

    // ---------------------------------------------------------------- mappings

    /** Page-aligns up, or throws ENOMEM on overflow. */
    public static long pageAlignUp(long length) {
        long aligned = (length + PAGE_SIZE - 1) & ~(long) (PAGE_SIZE - 1);
        if (aligned < length) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
        return aligned;
    }

    /**
     * Maps anonymous zero-filled memory, as mmap(2) does for MAP_ANONYMOUS. Placement follows
     * Linux: MAP_FIXED replaces, MAP_FIXED_NOREPLACE fails with EEXIST on overlap, otherwise a
     * free hint is honoured and the rest is placed top-down below mmap_base.
     *
     * @return the mapped address
     */
    public long map(long addr, long length, int prot, int flags, String name, long offset) {
        return map(addr, length, prot, flags, name, offset, null);
    }

    /**
     * Maps {@code file} from {@code offset} (or anonymous memory when null), as mmap(2). The
     * mapping takes over one reference to the file. MAP_PRIVATE pages are read from the file at
     * first touch into private frames; MAP_SHARED pages are the file's cached pages
     * ({@link SharedFilePages}). Placement as for anonymous memory. The mapping is locked with
     * MAP_LOCKED or after mlockall(MCL_FUTURE), and then faulted in unless locked on fault.
     *
     * @return the mapped address
     * @throws ErrnoException EPERM for MAP_LOCKED without RLIMIT_MEMLOCK or CAP_IPC_LOCK, EAGAIN
     *     when a locked mapping would exceed RLIMIT_MEMLOCK (do_mmap, mlock_future_ok)
     */
    public long map(long addr, long length, int prot, int flags, String name, long offset, MappedFile file) {
        boolean locks = (flags & MAP_LOCKED) != 0 || futureLock.locked();
        MemlockLimit limit = locks ? callerLimits.memlock() : MemlockLimit.UNLIMITED;
        return map(addr, length, prot, flags, name, offset, file, limit);
    }

    private synchronized long map(long addr, long length, int prot, int flags, String name, long offset,
            MappedFile file, MemlockLimit limit) {
        if (length <= 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long len = pageAlignUp(length);
        if (len > TASK_SIZE) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
        boolean fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
        if ((addr & (PAGE_SIZE - 1)) != 0 && fixed) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long start;
        if (fixed) {
            if (!isUserAddress(addr) || addr + len > TASK_SIZE || addr + len < addr) {
                throw ErrnoException.of(Errno.ENOMEM);
            }
            if ((flags & MAP_FIXED_NOREPLACE) != 0 && (flags & MAP_FIXED) == 0 && overlaps(addr, len)) {
                throw ErrnoException.of(Errno.EEXIST);
            }
            if ((flags & MAP_FIXED_NOREPLACE) != 0 && overlaps(addr, len)) {
                throw ErrnoException.of(Errno.EEXIST);
            }
            start = addr;
        } else {
            long hint = addr & ~(long) (PAGE_SIZE - 1);
            if (hint != 0 && hint >= PAGE_SIZE * 16L && hint + len <= TASK_SIZE && hint + len > hint
                    && !overlaps(hint, len)) {
                start = hint;
            } else {
                start = findFree(len, (flags & MAP_32BIT) != 0);
            }
        }
        Vma.Lock lock = futureLock; // mm->def_flags
        if ((flags & MAP_LOCKED) != 0) {
            if (!limit.mayLock()) {
                throw ErrnoException.of(Errno.EPERM);
            }
            lock = lock.locked() ? lock : Vma.Lock.LOCKED;
        }
        if (lock.locked() && !limit.allows((len >>> PAGE_SHIFT) + lockedPages())) {
            throw ErrnoException.of(Errno.EAGAIN);
        }
        if (!mayExpand(prot, flags, len >>> PAGE_SHIFT, start, fixed ? start + len : start)) {
            throw ErrnoException.of(Errno.ENOMEM); // do_mmap's may_expand_vm: RLIMIT_AS, RLIMIT_DATA
        }
        if (accountable(prot, flags, file) && !enoughMemory(len >>> PAGE_SHIFT)) {
            throw ErrnoException.of(Errno.ENOMEM); // mmap_region's security_vm_enough_memory_mm
        }
        if (fixed) {
            unmapLocked(start, len);
        }
        insertVma(new Vma(start, start + len, prot & 7, flags & (MAP_SHARED | MAP_GROWSDOWN | MAP_NORESERVE | MAP_STACK),
                name, offset, file, lock));
        if (lock == Vma.Lock.LOCKED) {
            populate(start, start + len, true); // vm_mmap_pgoff's mm_populate
        }
        return start;
    }

    /**
     * may_expand_vm (mm/mmap.c): whether {@code npages} more pages of a mapping with {@code prot}
     * and {@code flags} stay within RLIMIT_AS (all mappings) and, for a data mapping (writable,
     * private, not a stack: is_data_mapping), RLIMIT_DATA, whose soft limit 0 lets mappings up to
     * the hard one through (Linux's allowance for Valgrind). The mappings are counted only when a
     * limit is set.
     */
    private boolean mayExpand(int prot, int flags, long npages) {
        return mayExpand(prot, flags, npages, 0, 0);
    }

    /**
     * As {@link #mayExpand(int, int, long)}, for a mapping that replaces what is mapped in
     * [{@code replacedStart}, {@code replacedEnd}) (MAP_FIXED): those pages go, and only the
     * difference counts (do_mmap's count_vma_pages_range).
     */
    private boolean mayExpand(int prot, int flags, long npages, long replacedStart, long replacedEnd) {
        long as = callerLimits.addressSpace();
        boolean data = isData(prot, flags);
        long[] dataLimit = data ? callerLimits.data() : null;
        if (as == -1 && (dataLimit == null || dataLimit[0] == -1)) {
            return true;
        }
        long total = 0;
        long dataVm = 0;
        for (Vma v : vmas.values()) {
            long pages = v.length() >>> PAGE_SHIFT;
            total += pages;
            if (isData(v.prot(), v.flags())) {
                dataVm += pages;
            }
            long from = Math.max(v.start(), replacedStart);
            long to = Math.min(v.end(), replacedEnd);
            if (to > from) {
                npages -= (to - from) >>> PAGE_SHIFT;
            }
        }
        if (as != -1 && Long.compareUnsigned(total + npages, as >>> PAGE_SHIFT) > 0) {
            return false;
        }
        if (dataLimit != null && dataLimit[0] != -1
                && Long.compareUnsigned(dataVm + npages, dataLimit[0] >>> PAGE_SHIFT) > 0) {
            return dataLimit[0] == 0 && Long.compareUnsigned(dataVm + npages, dataLimit[1] >>> PAGE_SHIFT) <= 0;
        }
        return true;
    }

    /** is_data_mapping: writable, private, and not a stack. */
    private static boolean isData(int prot, int flags) {
        return (prot & PROT_WRITE) != 0 && (flags & (MAP_SHARED | MAP_GROWSDOWN)) == 0;
    }

    /**
     * The guest's RAM in pages: the JVM's memory limit, as /proc/meminfo's MemTotal and
     * sysinfo(2) report it (there is no swap).
     */
    static long totalRamPages() {
        return Runtime.getRuntime().maxMemory() >>> PAGE_SHIFT;
    }

    /**
     * __vm_enough_memory under the default heuristic overcommit (vm.overcommit_memory 0,
     * OVERCOMMIT_GUESS): a single commitment of more pages than RAM and swap together fails
     * (ENOMEM); anything smaller passes, whatever is committed already.
     */
    private static boolean enoughMemory(long pages) {
        return Long.compareUnsigned(pages, totalRamPages()) <= 0;
    }

    /**
     * accountable_mapping, and shmem_acct_size for shared anonymous memory: the mappings that
     * commit memory, a private writable one or a shared anonymous one, unless MAP_NORESERVE.
     */
    private static boolean accountable(int prot, int flags, MappedFile file) {
        if ((flags & MAP_NORESERVE) != 0) {
            return false;
        }
        return (flags & MAP_SHARED) != 0 ? file == null : (prot & PROT_WRITE) != 0;
    }

    /** Whether any mapping overlaps [addr, addr+len). */
    public synchronized boolean overlaps(long addr, long len) {
        Map.Entry<Long, Vma> below = vmas.lowerEntry(addr + len);
        return below != null && below.getValue().end() > addr;
    }

    private long findFree(long len, boolean below2g) {
        long top = below2g ? 0x80000000L : mmapBase;
        long floor = below2g ? 0x40000000L : 0x10000L;
        // Walk VMAs from the top down looking for a gap of len bytes below top.
        long candidateEnd = top;
        for (Vma v : vmas.descendingMap().values()) {
            if (v.start() >= candidateEnd) {
                continue;
            }
            if (v.end() <= candidateEnd && candidateEnd - v.end() >= len) {
                break;
            }
            candidateEnd = Math.min(candidateEnd, v.start());
        }
        long start = candidateEnd - len;
        if (start < floor || start > candidateEnd) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
        return start;
    }

    private void insertVma(Vma vma) {
        vmas.put(vma.start(), vma);
    }

    /** Removes mappings in [addr, addr+length), as munmap(2). */
    public synchronized void unmap(long addr, long length) {
        if ((addr & (PAGE_SIZE - 1)) != 0 || length <= 0 || !isUserAddress(addr)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long len = pageAlignUp(length);
        if (addr + len > TASK_SIZE || addr + len < addr) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (splitsSpecial(addr) || splitsSpecial(addr + len)) {
            throw ErrnoException.of(Errno.EINVAL); // special_mapping_split
        }
        unmapLocked(addr, len);
    }

    /** Whether {@code addr} falls inside one of the vDSO's mappings, which are never split. */
    private boolean splitsSpecial(long addr) {
        Vma v = vmaAt(addr);
        return v != null && v.special() && v.start() != addr;
    }

    private void unmapLocked(long addr, long len) {
        long end = addr + len;
        splitAt(addr);
        splitAt(end);
        CodeWatcher w = codeWatcher;
        for (Vma v : new ArrayList<>(vmas.subMap(addr, true, end, false).values())) {
            vmas.remove(v.start());
            boolean writeBack = v.sharedFile() && (v.prot() & PROT_WRITE) != 0;
            forEachEntry(v.start(), v.end(), (vpn, pte) -> {
                long p = vpn << PAGE_SHIFT;
                releaseFrame(pte, v, p, writeBack);
                if ((pte & PTE_CODE) != 0 && w != null) {
                    w.codeChanged(p);
                }
                setPte(vpn, 0);
            });
            if (v.file() != null) {
                v.file().release();
            }
        }
        generation++;
    }

    /** Splits the VMA containing {@code addr} so that one starts exactly there. */
    private void splitAt(long addr) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e == null) {
            return;
        }
        Vma v = e.getValue();
        if (v.start() < addr && v.end() > addr) {
            if (v.file() != null) {
                v.file().retain();
            }
            vmas.put(v.start(), v.withRange(v.start(), addr));
            vmas.put(addr, v.withRange(addr, v.end()));
        }
    }

    /**
     * Changes protection of [addr, addr+length), as mprotect(2); ENOMEM if any page is unmapped.
     * A locked private mapping that becomes writable is faulted in for writing (mprotect_fixup).
     */
    public synchronized void protect(long addr, long length, int prot) {
        // do_mprotect_pkey's checks, in its order
        int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
        prot &= ~grows;
        if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || (addr & (PAGE_SIZE - 1)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (length == 0) {
            return;
        }
        long len = pageAlignUp(length);
        long end = addr + len;
        if (Long.compareUnsigned(end, addr) <= 0) {
            throw ErrnoException.of(Errno.ENOMEM); // the length wrapped around
        }
        if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) != 0) {
            throw ErrnoException.of(Errno.EINVAL); // arch_validate_prot
        }
        if (!isUserAddress(addr) || Long.compareUnsigned(end, TASK_SIZE) > 0) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
        Map.Entry<Long, Vma> at = vmas.floorEntry(addr);
        Vma firstVma = at != null && at.getValue().end() > addr ? at.getValue() : null;
        if (firstVma == null) {
            Map.Entry<Long, Vma> above = vmas.ceilingEntry(addr);
            firstVma = above != null && above.getKey() < end ? above.getValue() : null;
        }
        if (firstVma == null) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
        if (grows == PROT_GROWSDOWN) {
            // the change reaches down to the start of the stack mapping the range begins in
            if ((firstVma.flags() & MAP_GROWSDOWN) == 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            addr = firstVma.start();
        } else if (firstVma.start() > addr) {
            throw ErrnoException.of(Errno.ENOMEM);
        } else if (grows == PROT_GROWSUP) {
            throw ErrnoException.of(Errno.EINVAL); // no VM_GROWSUP mapping on x86-64
        }
        // Every page must be mapped.
        long cursor = addr;
        while (cursor < end) {
            Map.Entry<Long, Vma> e = vmas.floorEntry(cursor);
            if (e == null || e.getValue().end() <= cursor) {
                throw ErrnoException.of(Errno.ENOMEM);
            }
            Vma v = e.getValue();
            if ((prot & PROT_WRITE) != 0 && v.sharedFile() && !v.file().writable()) {
                throw ErrnoException.of(Errno.EACCES); // a shared mapping of a file not open for writing
            }
            if (v.readOnlySpecial() && (prot & (PROT_WRITE | PROT_EXEC)) != 0) {
                throw ErrnoException.of(Errno.EACCES); // do_mprotect_pkey: no VM_MAYWRITE, VM_MAYEXEC
            }
            if (v.special() && v.prot() != (prot & 7) && (v.start() < addr || v.end() > end)) {
                throw ErrnoException.of(Errno.EINVAL); // special_mapping_split: the vDSO's are not split
            }
            cursor = v.end();
        }
        List<Vma> becomeWritable = new ArrayList<>();
        List<Long> changed = new ArrayList<>();
        long protBits = (prot & 7) | ((prot & PROT_WRITE) != 0 ? PTE_READ : 0);
        try {
            // firstVma holds addr now (the checks above end when the range starts in a hole)
            for (Vma whole : new ArrayList<>(vmas.subMap(firstVma.start(), true, end, false).values())) {
                if (whole.prot() == (prot & 7)) {
                    continue; // mprotect_fixup: nothing to change, nothing split
                }
                long from = Math.max(whole.start(), addr);
                long to = Math.min(whole.end(), end);
                splitAt(from);
                splitAt(to);
                Vma v = vmas.get(from);
                long pages = v.length() >>> PAGE_SHIFT;
                // mprotect_fixup: a mapping turning into data must fit RLIMIT_DATA (the mappings
                // before it keep their new protection).
                if ((prot & PROT_WRITE) != 0 && !mayExpand(prot & 7, v.flags(), pages)
                        && mayExpand(v.prot(), v.flags(), pages)) {
                    throw ErrnoException.of(Errno.ENOMEM);
                }
                // ...and a private mapping not committed yet commits its pages
                if ((prot & PROT_WRITE) != 0 && (v.prot() & PROT_WRITE) == 0
                        && (v.flags() & (MAP_SHARED | MAP_NORESERVE)) == 0 && !enoughMemory(pages)) {
                    throw ErrnoException.of(Errno.ENOMEM);
                }
                vmas.put(v.start(), v.withProt(prot & 7));
                changed.add(v.start());
                if (v.lock().locked() && (v.prot() & PROT_WRITE) == 0 && (v.flags() & MAP_SHARED) == 0
                        && (prot & PROT_WRITE) != 0) {
                    becomeWritable.add(v);
                }
                forEachEntry(v.start(), v.end(), (vpn, pte) -> {
                    if ((pte & PTE_MAPPED) != 0) {
                        setPte(vpn, (pte & ~7L) | protBits);
                    }
                });
            }
        } finally {
            // vma_modify_flags: a changed mapping merges with its neighbours when they now match
            for (Long start : changed) {
                mergeAt(start);
            }
            if (!changed.isEmpty()) {
                mergeAt(end);
            }
            generation++;
        }
        for (Vma v : becomeWritable) {
            populate(v.start(), v.end(), true);
        }
    }

    /**
     * mremap(2) for anonymous memory: shrink in place, grow in place when the pages above are
     * free, or move when MREMAP_MAYMOVE allows (frames move with their contents). A locked
     * mapping stays locked and its new pages are faulted in; growing it past RLIMIT_MEMLOCK is
     * EAGAIN. MREMAP_DONTUNMAP leaves the old range unlocked (move_vma).
     */
    public long remap(long oldAddr, long oldLength, long newLength, int flags, long newAddr) {
        boolean locked;
        synchronized (this) {
            Vma v = vmaAt(oldAddr);
            locked = v != null && v.lock().locked();
        }
        MemlockLimit limit = locked ? callerLimits.memlock() : MemlockLimit.UNLIMITED;
        return remap(oldAddr, oldLength, newLength, flags, newAddr, limit);
    }

    private synchronized long remap(long oldAddr, long oldLength, long newLength, int flags, long newAddr,
            MemlockLimit limit) {
        if ((oldAddr & (PAGE_SIZE - 1)) != 0 || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0
                || ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) || newLength == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long oldLen = pageAlignUp(oldLength);
        long newLen = pageAlignUp(newLength);
        Map.Entry<Long, Vma> e = vmas.floorEntry(oldAddr);
        if (e == null || e.getValue().end() <= oldAddr) {
            throw ErrnoException.of(Errno.EFAULT);
        }
        Vma v = e.getValue();
        if (oldLen == 0 || oldAddr + oldLen > v.end()) {
            throw ErrnoException.of(Errno.EFAULT);
        }
        if (v.special() && newLen > oldLen) {
            throw ErrnoException.of(Errno.EFAULT); // vma_to_resize: VM_DONTEXPAND
        }
        if (v.lock().locked() && newLen > oldLen && !limit.allows(((newLen - oldLen) >>> PAGE_SHIFT) + lockedPages())) {
            throw ErrnoException.of(Errno.EAGAIN); // mlock_future_ok
        }
        if (newLen > oldLen && !mayExpand(v.prot(), v.flags(), (newLen - oldLen) >>> PAGE_SHIFT)) {
            throw ErrnoException.of(Errno.ENOMEM); // vma_to_resize's may_expand_vm
        }
        if (newLen > oldLen && accountable(v.prot(), v.flags(), v.file())
                && !enoughMemory((newLen - oldLen) >>> PAGE_SHIFT)) {
            throw ErrnoException.of(Errno.ENOMEM); // a VM_ACCOUNT mapping commits its growth
        }
        if ((flags & MREMAP_FIXED) == 0) {
            if (newLen <= oldLen) {
                if (newLen < oldLen) {
                    unmapLocked(oldAddr + newLen, oldLen - newLen);
                }
                return oldAddr;
            }
            long growEnd = oldAddr + newLen;
            if (oldAddr + oldLen == v.end() && growEnd <= TASK_SIZE && !overlaps(v.end(), growEnd - v.end())) {
                splitAt(oldAddr);
                Vma head = vmas.get(oldAddr);
                vmas.put(oldAddr, head.withRange(oldAddr, growEnd));
                if (v.lock() == Vma.Lock.LOCKED) {
                    populate(oldAddr + oldLen, growEnd, true);
                }
                return oldAddr;
            }
            if ((flags & MREMAP_MAYMOVE) == 0) {
                throw ErrnoException.of(Errno.ENOMEM);
            }
        }
        long target;
        if ((flags & MREMAP_FIXED) != 0) {
            if ((newAddr & (PAGE_SIZE - 1)) != 0 || !isUserAddress(newAddr) || newAddr + newLen > TASK_SIZE) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (newAddr < oldAddr + oldLen && oldAddr < newAddr + newLen) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            unmapLocked(newAddr, newLen);
            target = newAddr;
        } else {
            target = findFree(newLen, false);
        }
        long pteFlags = untouchedPte(v);
        long shift = (target - oldAddr) >> PAGE_SHIFT; // pages move by this many (negative: down)
        forEachEntry(oldAddr, oldAddr + Math.min(oldLen, newLen), (src, pte) -> {
            long frame = pte & FRAME_MASK;
            if (frame != 0) {
                setPte(src, pte & ~FRAME_MASK);
                setPte(src + shift, pteFlags | frame | (pte & (PTE_SHARED | PTE_COW)));
            }
        });
        if (v.file() != null) {
            v.file().retain();
        }
        insertVma(new Vma(target, target + newLen, v.prot(), v.flags(), v.name(), v.offset() + (oldAddr - v.start()),
                v.file(), v.lock()));
        if ((flags & MREMAP_DONTUNMAP) == 0) {
            unmapLocked(oldAddr, oldLen);
        } else if (v.lock().locked()) {
            setLock(oldAddr, oldAddr + oldLen, Vma.Lock.NONE);
        }
        generation++;
        if (v.lock() == Vma.Lock.LOCKED && newLen > oldLen) {
            populate(target + oldLen, target + newLen, true);
        }
        return target;
    }

    /**
     * madvise(MADV_DONTNEED): private anonymous pages read back as zeros, private file pages
     * are read from the file again, shared file pages stay the file's.
     */
    public synchronized void discard(long addr, long length) {
        forEachEntry(addr, addr + pageAlignUp(length), (vpn, pte) -> {
            if ((pte & FRAME_MASK) != 0) {
                long p = vpn << PAGE_SHIFT;
                Vma v = vmaAt(p);
                releaseFrame(pte, v, p, v != null && v.sharedFile() && (v.prot() & PROT_WRITE) != 0);
                setPte(vpn, pte & PTE_FLAGS & ~(PTE_SHARED | PTE_COW));
            }
        });
        generation++;
    }

    /**
     * msync(2)'s work: writes the shared file pages of [addr, addr+length) back to their files.
     *
     * @throws ErrnoException ENOMEM if part of the range is unmapped
     */
    public void sync(long addr, long length) {
        List<Vma> shared = new ArrayList<>();
        synchronized (this) {
            long end = addr + pageAlignUp(length);
            if (!isMapped(addr, end - addr)) {
                throw ErrnoException.of(Errno.ENOMEM);
            }
            Map.Entry<Long, Vma> first = vmas.floorEntry(addr);
            long from = first != null ? first.getKey() : addr;
            for (Vma v : vmas.subMap(from, true, end, false).values()) {
                if (v.sharedFile() && v.end() > addr) {
                    shared.add(v);
                }
            }
            for (Vma v : shared) {
                long s = Math.max(v.start(), addr);
                long e = Math.min(v.end(), end);
                SharedFilePages.writeBack(v.file().identity(), v.offset() + (s - v.start()), e - s);
            }
        }
    }

    /**
     * mincore(2): one byte per page of [addr, addr+length), bit 0 set when the page is resident.
     *
     * @throws ErrnoException ENOMEM if part of the range is unmapped
     */
    public synchronized byte[] residency(long addr, long length) {
        long pages = pageAlignUp(length) >>> PAGE_SHIFT;
        if (!isMapped(addr, length)) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
        byte[] vec = new byte[(int) pages];
        for (int k = 0; k < pages; k++) {
            long p = addr + ((long) k << PAGE_SHIFT);
            long pte = pte(p >>> PAGE_SHIFT);
            boolean resident = (pte & FRAME_MASK) != 0;
            if (!resident) {
                Map.Entry<Long, Vma> e = vmas.floorEntry(p);
                Vma v = e == null ? null : e.getValue();
                if (v != null && v.end() > p && v.file() != null) {
                    // A file page is resident when the file's page cache holds it (the host caches the file).
                    long offset = v.offset() + (p - v.start());
                    resident = v.sharedFile() ? SharedFilePages.isCached(v.file().identity(), offset >>> PAGE_SHIFT)
                            : offset < v.file().size();
                }
            }
            vec[k] = (byte) (resident ? 1 : 0);
        }
        return vec;
    }

    /** True if every page of [addr, addr+len) is mapped (madvise/msync/mincore's ENOMEM check). */
    public synchronized boolean isMapped(long addr, long len) {
        long end = addr + pageAlignUp(len);
        for (long p = addr & ~(long) (PAGE_SIZE - 1); p < end; ) {
            Vma v = vmaAt(p);
            if (v == null) {
                return false;
            }
            p = v.end();
        }
        return true;
    }

    /** A snapshot of the mappings in address order. */
    public synchronized List<Vma> vmas() {
        return List.copyOf(vmas.values());
    }

    /** Pages in [start, end) backed by a frame (touched at least once): /proc's resident set. */
    public synchronized long residentPages(long start, long end) {
        long[] count = {0};
        forEachEntry(start, end, (vpn, pte) -> {
            if ((pte & FRAME_MASK) != 0) {
                count[0]++;
            }
        });
        return count[0];
    }

    // ---------------------------------------------------------------- mlock

    /** The name of the mapping holding {@code addr} ("[vdso]", a path...), or null if none does. */
    public synchronized String mappingNameAt(long addr) {
        Vma v = vmaAt(addr);
        return v == null ? null : v.name();
    }

    /** The mapping holding {@code addr}, or null (vma_lookup). */
    private Vma vmaAt(long addr) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        return e == null || Long.compareUnsigned(e.getValue().end(), addr) <= 0 ? null : e.getValue();
    }

    /** mm->locked_vm: pages of the locked mappings, what /proc/PID/status shows as VmLck. */
    public synchronized long lockedPages() {
        long pages = 0;
        for (Vma v : vmas.values()) {
            if (v.lock().locked()) {
                pages += v.length() >>> PAGE_SHIFT;
            }
        }
        return pages;
    }

    /** count_mm_mlocked_page_nr: locked pages within [start, start+len), the end clamped to 2^64-1. */
    private long lockedPagesIn(long start, long len) {
        long end = Long.compareUnsigned(start + len, start) < 0 ? -1 : start + len;
        long pages = 0;
        for (Vma v : vmas.values()) {
            if (v.lock().locked() && Long.compareUnsigned(v.end(), start) > 0 && Long.compareUnsigned(v.start(), end) < 0) {
                long from = Long.compareUnsigned(v.start(), start) > 0 ? v.start() : start;
                long to = Long.compareUnsigned(v.end(), end) < 0 ? v.end() : end;
                pages += (to - from) >>> PAGE_SHIFT;
            }
        }
        return pages;
    }

    /** mm->total_vm: pages of every mapping. */
    private long totalPages() {
        long pages = 0;
        for (Vma v : vmas.values()) {
            pages += v.length() >>> PAGE_SHIFT;
        }
        return pages;
    }

    /**
     * The work of mlock(2), mlock2(2) and munlock(2) on a range already rounded to pages
     * (do_mlock, apply_vma_lock_flags): locking more than {@code limit} counting each locked
     * page once is ENOMEM; a range that wraps is EINVAL; a gap is ENOMEM, the mappings before it
     * changed all the same. {@link Vma.Lock#LOCKED} then faults the pages in, and a page that
     * cannot be (PROT_NONE, beyond the end of its file) is ENOMEM with the lock kept, as
     * __mlock_posix_error_return turns populate's EFAULT.
     *
     * @param lock NONE for munlock, which checks no limit
     */
    public synchronized void lock(long start, long len, Vma.Lock lock, MemlockLimit limit) {
        if (lock.locked()) {
            long locked = (len >>> PAGE_SHIFT) + lockedPages();
            if (!limit.allows(locked)) {
                locked -= lockedPagesIn(start, len); // relocking a locked page does not count twice
            }
            if (!limit.allows(locked)) {
                throw ErrnoException.of(Errno.ENOMEM);
            }
        }
        long end = start + len;
        if (Long.compareUnsigned(end, start) < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (end == start) {
            return;
        }
        long cursor = start;
        while (Long.compareUnsigned(cursor, end) < 0) {
            Vma v = vmaAt(cursor);
            if (v == null) {
                throw ErrnoException.of(Errno.ENOMEM);
            }
            long pieceEnd = Long.compareUnsigned(v.end(), end) < 0 ? v.end() : end;
            if (v.lock() != lock && !v.special()) {
                setLock(cursor, pieceEnd, lock);
            }
            cursor = pieceEnd;
        }
        if (lock == Vma.Lock.LOCKED && !populate(start, end, false)) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
    }

    /**
     * mlockall(2) and munlockall(2) (apply_mlockall_flags): {@code future} makes {@code lock}
     * the lock of every later mapping until the next call, which clears it;
     * {@code current} sets it on every mapping now (ENOMEM when more pages are mapped than
     * {@code limit}, nothing changed) and faults them in, ignoring pages that cannot be.
     * munlockall is {@code lockAll(NONE, true, false, UNLIMITED)}.
     */
    public synchronized void lockAll(Vma.Lock lock, boolean current, boolean future, MemlockLimit limit) {
        if (current && !limit.allows(totalPages())) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
        futureLock = future ? lock : Vma.Lock.NONE;
        if (!current) {
            return;
        }
        for (Vma v : new ArrayList<>(vmas.values())) {
            if (v.lock() != lock && !v.special()) {
                vmas.put(v.start(), v.withLock(lock));
            }
        }
        for (Long start : new ArrayList<>(vmas.keySet())) {
            mergeAt(start);
        }
        if (lock == Vma.Lock.LOCKED) {
            populate(0, TASK_SIZE, true); // mm_populate(0, TASK_SIZE)
        }
    }

    /** mlock_fixup: gives [from, to), within mappings, {@code lock}, splitting and merging as vma_modify_flags. */
    private void setLock(long from, long to, Vma.Lock lock) {
        splitAt(from);
        splitAt(to);
        List<Long> starts = new ArrayList<>(vmas.subMap(from, true, to, false).keySet());
        for (Long start : starts) {
            vmas.put(start, vmas.get(start).withLock(lock));
        }
        for (Long start : starts) {
            mergeAt(start);
        }
        mergeAt(to);
    }

    /**
     * Joins the anonymous mapping that starts at {@code addr} to the one ending there when they
     * are pieces of one mapping that differ in nothing now (vma_merge). File mappings stay
     * apart: a System V segment counts its attaches by them (shm_vm_ops' close forbids merging).
     */
    private void mergeAt(long addr) {
        Vma next = vmas.get(addr);
        Map.Entry<Long, Vma> below = vmas.lowerEntry(addr);
        if (next == null || below == null || next.file() != null || !below.getValue().mergeableWith(next)) {
            return;
        }
        Vma prev = below.getValue();
        vmas.remove(addr);
        vmas.put(prev.start(), prev.withRange(prev.start(), next.end()));
    }

    /**
     * __mm_populate: faults in the pages of [start, end) that have no frame yet, as
     * populate_vma_page_range does for mlock: writable private pages for writing (breaking
     * copy-on-write), others for reading; mappings locked on fault are left alone.
     *
     * @return false at the first page that cannot be faulted in (a PROT_NONE mapping, a page
     *     beyond the end of its file), unless {@code ignoreErrors} skips to the next mapping
     */
    private boolean populate(long start, long end, boolean ignoreErrors) {
        Vma first = vmaAt(start);
        long from = first != null ? first.start() : start;
        for (Vma v : new ArrayList<>(vmas.subMap(from, true, end, false).values())) {
            if (v.lock() == Vma.Lock.ON_FAULT) {
                continue;
            }
            if ((v.prot() & (PROT_READ | PROT_WRITE | PROT_EXEC)) == 0) {
                if (ignoreErrors) {
                    continue;
                }
                return false; // check_vma_flags: no FOLL_FORCE for an inaccessible mapping
            }
            boolean privateWritable = (v.prot() & PROT_WRITE) != 0 && (v.flags() & MAP_SHARED) == 0;
            long to = Math.min(v.end(), end);
            int access = privateWritable ? PROT_WRITE : (untouchedPte(v) & PTE_READ) != 0 ? PROT_READ : PROT_EXEC;
            for (long p = Math.max(v.start(), start); p < to; p += PAGE_SIZE) {
                if ((pte(p >>> PAGE_SHIFT) & FRAME_MASK) != 0) {
                    continue;
                }
                try {
                    frameFor(p, access);
                } catch (GuestFault f) {
                    if (!ignoreErrors) {
                        return false;
                    }
                    break;
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- brk

    /** Sets where the heap starts (the page after the executable's bss). */
    public synchronized void initBrk(long start) {
        this.brkStart = start;
        this.brk = start;
    }

    /**
     * brk(2) as the kernel implements it: returns the new break, or the old one when the
     * request is refused (below the start, overlapping another mapping, or, after
     * mlockall(MCL_FUTURE), locking more than RLIMIT_MEMLOCK: check_brk_limits).
     */
    public long brk(long requested) {
        MemlockLimit limit = futureLock.locked() ? callerLimits.memlock() : MemlockLimit.UNLIMITED;
        return brk(requested, limit);
    }

    private synchronized long brk(long requested, MemlockLimit limit) {
        if (requested < brkStart) {
            return brk;
        }
        long oldTop = pageAlignUp(brk);
        long newTop = pageAlignUp(requested);
        if (newTop > oldTop) {
            Vma.Lock lock = futureLock; // do_brk_flags adds mm->def_flags
            if (newTop > mmapBase || overlaps(oldTop, newTop - oldTop)
                    || lock.locked() && !limit.allows(((newTop - oldTop) >>> PAGE_SHIFT) + lockedPages())
                    || !mayExpand(PROT_READ | PROT_WRITE, 0, (newTop - oldTop) >>> PAGE_SHIFT)
                    || !enoughMemory((newTop - oldTop) >>> PAGE_SHIFT)) {
                return brk;
            }
            Map.Entry<Long, Vma> below = brkStart == oldTop ? null : vmas.lowerEntry(oldTop);
            Vma heap = below != null && below.getValue().end() == oldTop && "[heap]".equals(below.getValue().name())
                    ? below.getValue() : null;
            if (heap != null && heap.lock() == lock) {
                vmas.put(heap.start(), heap.withRange(heap.start(), newTop));
            } else {
                // a heap locked differently is a mapping of its own, which munlockall may merge back
                long offset = heap != null ? heap.offset() + heap.length() : 0;
                insertVma(new Vma(oldTop, newTop, PROT_READ | PROT_WRITE, 0, "[heap]", offset, null, lock));
            }
            if (lock == Vma.Lock.LOCKED) {
                populate(oldTop, newTop, true);
            }
        } else if (newTop < oldTop) {
            unmapLocked(newTop, oldTop - newTop);
        }
        brk = requested;
        return brk;
    }

    public synchronized long brkStart() {
        return brkStart;
    }

    // ---------------------------------------------------------------- bulk access (syscalls, loader)

    /** Copies guest memory into {@code dst}; faults as the guest would. */
    public void read(long addr, byte[] dst, int off, int len) {
        copyOut(addr, dst, off, len, PROT_READ);
    }

    /** Copies guest memory into {@code dst} with {@code access} (PROT_READ or PROT_EXEC) permission. */
    private void copyOut(long addr, byte[] dst, int off, int len, int access) {
        while (len > 0) {
            long frame = frameFor(addr, access);
            int inPage = (int) (addr & (PAGE_SIZE - 1));
            int n = Math.min(len, PAGE_SIZE - inPage);
            java.lang.foreign.MemorySegment.copy(RAW, ValueLayout.JAVA_BYTE, frame + inPage, dst, off, n);
            addr += n;
            off += n;
            len -= n;
        }
    }

    /** Copies {@code src} into guest memory; faults as the guest would. */
    public void write(long addr, byte[] src, int off, int len) {
        while (len > 0) {
            long frame = frameFor(addr, PROT_WRITE);
            int inPage = (int) (addr & (PAGE_SIZE - 1));
            int n = Math.min(len, PAGE_SIZE - inPage);
            java.lang.foreign.MemorySegment.copy(src, off, RAW, ValueLayout.JAVA_BYTE, frame + inPage, n);
            addr += n;
            off += n;
            len -= n;
        }
    }

    /** Writes bytes ignoring page protection (the loader filling read-only segments). */
    public void poke(long addr, byte[] src, int off, int len) {
        while (len > 0) {
            long frame = frameFor(addr, PROT_NONE_ACCESS);
            int inPage = (int) (addr & (PAGE_SIZE - 1));
            int n = Math.min(len, PAGE_SIZE - inPage);
            java.lang.foreign.MemorySegment.copy(src, off, RAW, ValueLayout.JAVA_BYTE, frame + inPage, n);
            addr += n;
            off += n;
            len -= n;
        }
    }

    /** An access mask every mapped page satisfies: PTE_MAPPED. */
    private static final int PROT_NONE_ACCESS = (int) PTE_MAPPED;

    public byte[] read(long addr, int len) {
        byte[] b = new byte[len];
        read(addr, b, 0, len);
        return b;
    }

    public void write(long addr, byte[] src) {
        write(addr, src, 0, src.length);
    }

    public long read64(long addr) {
        if ((addr & (PAGE_SIZE - 1)) <= PAGE_SIZE - 8) {
            return RAW.get(ValueLayout.JAVA_LONG_UNALIGNED, frameFor(addr, PROT_READ) + (addr & (PAGE_SIZE - 1)));
        }
        byte[] b = read(addr, 8);
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public int read32(long addr) {
        return (int) (read64Bytes(addr, 4));
    }

    private long read64Bytes(long addr, int n) {
        byte[] b = read(addr, n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    public void write64(long addr, long value) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        write(addr, b);
    }

    public void write32(long addr, int value) {
        write(addr, new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }

    /**
     * Reads a NUL-terminated string of at most {@code max} bytes (not counting the NUL).
     *
     * @throws ErrnoException ENAMETOOLONG when no NUL is found within max bytes
     * @throws GuestFault on an unmapped byte
     */
    public byte[] readCString(long addr, int max) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            long frame = frameFor(addr, PROT_READ);
            int inPage = (int) (addr & (PAGE_SIZE - 1));
            for (int i = inPage; i < PAGE_SIZE; i++) {
                byte b = RAW.get(ValueLayout.JAVA_BYTE, frame + i);
                if (b == 0) {
                    return out.toByteArray();
                }
                if (out.size() >= max) {
                    throw ErrnoException.of(Errno.ENAMETOOLONG);
                }
                out.write(b);
            }
            addr += PAGE_SIZE - inPage;
        }
    }

    public String readString(long addr, int max) {
        return new String(readCString(addr, max), StandardCharsets.UTF_8);
    }

    /**
     * fork(2)'s dup_mmap: a new address space with the same mappings, brk and mmap base.
     * Private pages already touched become copy-on-write in both (copy_present_pte): the frame
     * is shared and the first store on either side copies it. MAP_SHARED pages stay shared:
     * file pages through the file's page cache, anonymous ones by sharing the frame (pages not
     * touched yet are populated first, so that both sides see the same shmem page).
     *
     * @param copyEagerly copy private pages now instead: the caller's other threads may still
     *     hold write translations of them that only their next revalidation drops
     */
    public synchronized AddressSpace fork(boolean copyEagerly) {
        AddressSpace child = new AddressSpace();
        child.mmapBase = mmapBase;
        child.brkStart = brkStart;
        child.brk = brk;
        for (Vma v : vmas.values()) {
            child.vmas.put(v.start(), v.lock().locked() ? v.withLock(Vma.Lock.NONE) : v); // dup_mmap: locks are not inherited
        }
        boolean[] parentChanged = {false};
        for (Vma v : vmas.values()) {
            if (v.file() != null) {
                v.file().retain(); // the child's VMA names the file too (get_file in dup_mmap)
            }
            if (v.file() == null && (v.flags() & MAP_SHARED) != 0) {
                // shared anonymous memory: both sides need the same frame, touched or not
                for (long vpn = v.start() >>> PAGE_SHIFT; vpn < v.end() >>> PAGE_SHIFT; vpn++) {
                    long pte = pte(vpn);
                    long mapped = (pte & PTE_MAPPED) != 0 ? pte : untouchedPte(v);
                    long frame = mapped & FRAME_MASK;
                    if (frame == 0) {
                        frame = pool.allocate();
                        setPte(vpn, mapped | frame);
                    }
                    pool.share(frame);
                    child.setPte(vpn, (mapped & PTE_FLAGS & ~PTE_CODE) | frame);
                }
                continue;
            }
            // the rest: entries only where touched (the child's mapping gives the others theirs)
            forEachEntry(v.start(), v.end(), (vpn, pte) -> {
                if ((pte & PTE_MAPPED) == 0) {
                    return;
                }
                long frame = pte & FRAME_MASK;
                long childFlags = pte & PTE_FLAGS & ~PTE_CODE;
                if (frame != 0 && (pte & PTE_SHARED) != 0 && v.file() != null) {
                    frame = SharedFilePages.acquire(v.file(), (v.offset() + ((vpn << PAGE_SHIFT) - v.start())) >>> PAGE_SHIFT);
                } else if (frame != 0 && copyEagerly && (pte & PTE_COW) == 0) {
                    long copy = pool.allocate();
                    java.lang.foreign.MemorySegment.copy(RAW, frame, RAW, copy, PAGE_SIZE);
                    frame = copy;
                } else if (frame != 0) {
                    pool.share(frame);
                    childFlags |= PTE_COW;
                    if ((pte & PTE_COW) == 0) {
                        setPte(vpn, pte | PTE_COW);
                        parentChanged[0] |= (pte & PTE_WRITE) != 0;
                    }
                }
                child.setPte(vpn, childFlags | frame);
            });
        }
        if (parentChanged[0]) {
            generation++; // the parent's write TLBs must forget the pages that are now copy-on-write
        }
        return child;
    }

    /** Releases every frame: the address space is gone (exit, or execve replaced it). */
    public synchronized void destroy() {
        codeWatcher = null; // nobody runs this space any more: its decoded blocks die with it
        unmapLocked(0, TASK_SIZE);
    }

    /** The frame of the page holding {@code addr}, fetched with execute permission (the decoder's page). */
    public long executableFrame(long addr) {
        return frameFor(addr, PROT_EXEC);
    }

    /**
     * Whether the bytes at {@code addr} are {@code code}, read with execute permission.
     *
     * @throws GuestFault when a page of the range is not mapped or not executable
     */
    public boolean executableBytesEqual(long addr, byte[] code) {
        java.lang.foreign.MemorySegment expected = java.lang.foreign.MemorySegment.ofArray(code);
        int off = 0;
        while (off < code.length) {
            long at = addr + off;
            long host = frameFor(at, PROT_EXEC) + (at & (PAGE_SIZE - 1));
            int n = (int) Math.min(code.length - off, PAGE_SIZE - (at & (PAGE_SIZE - 1)));
            if (java.lang.foreign.MemorySegment.mismatch(RAW, host, host + n, expected, off, off + n) != -1) {
                return false;
            }
            off += n;
        }
        return true;
    }

    /**
     * Copies the bytes at {@code addr} into {@code dst}, read with execute permission.
     *
     * @throws GuestFault when a page of the range is not mapped or not executable
     */
    public void readExecutable(long addr, byte[] dst) {
        copyOut(addr, dst, 0, dst.length, PROT_EXEC);
    }

    /**
     * The host address backing guest {@code addr} (touching the page for a read): equal for every
     * address space that shares the frame, so futexes on MAP_SHARED pages key by it.
     *
     * @throws GuestFault when the page is not mapped or not readable
     */
    private long hostAddress(long addr) {
        return frameFor(addr, PROT_READ) + (addr & (PAGE_SIZE - 1));
    }

    /**
     * get_futex_key: what identifies the futex word at {@code addr} — in a MAP_SHARED mapping
     * the host address of the shared page (equal in every address space mapping it), otherwise
     * this address space and the address (private and copy-on-write pages belong to one mm even
     * while a fork still shares their frames).
     *
     * @throws GuestFault when the page is not mapped or not readable
     */
    public Object futexKey(long addr) {
        long host = hostAddress(addr);
        Vma v;
        synchronized (this) {
            Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
            v = e == null ? null : e.getValue();
        }
        if (v != null && (v.flags() & MAP_SHARED) != 0) {
            return host;
        }
        return new PrivateFutexKey(this, addr);
    }

    private record PrivateFutexKey(AddressSpace space, long addr) {}

    /** Frame address of a page already known to be mapped; used by {@link Mmu}'s slow path. */
    long pteFor(long addr) {
        return pte(addr >>> PAGE_SHIFT);
    }
}
