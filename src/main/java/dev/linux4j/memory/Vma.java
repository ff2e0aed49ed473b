package dev.linux4j.memory;

/**
 * One virtual memory area, as Linux's {@code struct vm_area_struct}: a page-aligned range with
 * one protection, flags and name (what {@code /proc/self/maps} shows).
 *
 * @param start first byte, page aligned
 * @param end one past the last byte, page aligned
 * @param prot PROT_READ | PROT_WRITE | PROT_EXEC
 * @param flags MAP_* flags that matter after mapping (MAP_SHARED, MAP_GROWSDOWN, MAP_NORESERVE)
 * @param name "[heap]", "[stack]", a file path, or "" for anonymous memory
 * @param offset the file offset of {@code start} for a file mapping
 */
public record Vma(long start, long end, int prot, int flags, String name, long offset) {
    public long length() {
        return end - start;
    }

    Vma withRange(long newStart, long newEnd) {
        return new Vma(newStart, newEnd, prot, flags, name, offset + (newStart - start));
    }

    Vma withProt(int newProt) {
        return new Vma(start, end, newProt, flags, name, offset);
    }
}
