package dev.linux4j.memory;

/**
 * One virtual memory area, as Linux's {@code struct vm_area_struct}: a page-aligned range with
 * one protection, flags and name (what {@code /proc/self/maps} shows), and for a file mapping
 * the file whose pages fill it ({@code vm_file}, {@code vm_pgoff}).
 *
 * @param start first byte, page aligned
 * @param end one past the last byte, page aligned
 * @param prot PROT_READ | PROT_WRITE | PROT_EXEC
 * @param flags MAP_* flags that matter after mapping (MAP_SHARED, MAP_GROWSDOWN, MAP_NORESERVE)
 * @param name "[heap]", "[stack]", a file path, or "" for anonymous memory
 * @param offset the file offset of {@code start} for a file mapping
 * @param file the file whose pages back the mapping, or null (anonymous memory, or file data
 *     the loader copied in)
 * @param lock whether mlock(2) and friends locked it (VM_LOCKED, VM_LOCKONFAULT)
 */
public record Vma(long start, long end, int prot, int flags, String name, long offset, MappedFile file, Lock lock) {
    /**
     * The VM_LOCKED_MASK bits of {@code vm_flags} (include/linux/mm.h). Nothing is pinned on
     * the JVM: a lock is bookkeeping (VmLck, RLIMIT_MEMLOCK, smaps "lo") and populates the pages.
     */
    public enum Lock {
        /** Not locked. */
        NONE,
        /** VM_LOCKED: mlock(2), mlockall(MCL_CURRENT), MAP_LOCKED; its pages are faulted in at once. */
        LOCKED,
        /** VM_LOCKED | VM_LOCKONFAULT: mlock2(MLOCK_ONFAULT), MCL_ONFAULT; pages lock as they are touched. */
        ON_FAULT;

        /** Whether VM_LOCKED is set (what locked_vm, VmLck and smaps count). */
        public boolean locked() {
            return this != NONE;
        }
    }

    /** A mapping without a backing file. */
    public Vma(long start, long end, int prot, int flags, String name, long offset) {
        this(start, end, prot, flags, name, offset, null, Lock.NONE);
    }

    /** An unlocked mapping. */
    public Vma(long start, long end, int prot, int flags, String name, long offset, MappedFile file) {
        this(start, end, prot, flags, name, offset, file, Lock.NONE);
    }

    public long length() {
        return end - start;
    }

    /**
     * Whether it is one of the vDSO's mappings, which Linux installs with VM_DONTEXPAND (and
     * [vvar] with VM_IO | VM_PFNMAP): VM_SPECIAL, so mlock and mlockall leave them unlocked and
     * mremap cannot grow them.
     */
    public boolean special() {
        return "[vdso]".equals(name) || readOnlySpecial();
    }

    /** The vDSO's data pages, [vvar] and [vvar_vclock]: VM_MAYREAD only, never writable or executable. */
    public boolean readOnlySpecial() {
        return "[vvar]".equals(name) || "[vvar_vclock]".equals(name);
    }

    /** Whether the mapping shares its pages with the file (MAP_SHARED of a file). */
    public boolean sharedFile() {
        return file != null && (flags & dev.linux4j.abi.Mman.MAP_SHARED) != 0;
    }

    Vma withRange(long newStart, long newEnd) {
        return new Vma(newStart, newEnd, prot, flags, name, offset + (newStart - start), file, lock);
    }

    Vma withProt(int newProt) {
        return new Vma(start, end, newProt, flags, name, offset, file, lock);
    }

    Vma withLock(Lock newLock) {
        return new Vma(start, end, prot, flags, name, offset, file, newLock);
    }

    /**
     * Whether {@code next}, which starts where this ends, could be one mapping with it
     * (is_mergeable_vma): everything equal but the range, and the offsets contiguous, which
     * holds only for pieces of one mapping that a split cut apart (separately mapped anonymous
     * memory starts at offset 0).
     */
    boolean mergeableWith(Vma next) {
        return end == next.start && !special() && prot == next.prot && flags == next.flags && lock == next.lock
                && file == next.file && java.util.Objects.equals(name, next.name) && offset + length() == next.offset;
    }
}
