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
 */
public record Vma(long start, long end, int prot, int flags, String name, long offset, MappedFile file) {
    /** A mapping without a backing file. */
    public Vma(long start, long end, int prot, int flags, String name, long offset) {
        this(start, end, prot, flags, name, offset, null);
    }

    public long length() {
        return end - start;
    }

    /** Whether the mapping shares its pages with the file (MAP_SHARED of a file). */
    public boolean sharedFile() {
        return file != null && (flags & dev.linux4j.abi.Mman.MAP_SHARED) != 0;
    }

    Vma withRange(long newStart, long newEnd) {
        return new Vma(newStart, newEnd, prot, flags, name, offset + (newStart - start), file);
    }

    Vma withProt(int newProt) {
        return new Vma(start, end, newProt, flags, name, offset, file);
    }
}
