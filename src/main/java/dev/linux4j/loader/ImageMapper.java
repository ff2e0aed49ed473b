package dev.linux4j.loader;

import static dev.linux4j.abi.Mman.*;
import static dev.linux4j.elf.Elf.PF_R;
import static dev.linux4j.elf.Elf.PF_W;
import static dev.linux4j.elf.Elf.PF_X;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.elf.ProgramHeader;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.GuestFault;
import dev.linux4j.memory.MappedFile;
import dev.linux4j.memory.Vma;
import java.util.List;

/**
 * Maps one PT_LOAD segment the way fs/binfmt_elf.c's {@code elf_load()} and {@code elf_map()}
 * do, with the checks {@code vm_mmap()} and {@code vm_brk_flags()} apply on the way. File pages
 * are copied into anonymous memory (file-backed mappings come later) but keep the file's name
 * and offset, so /proc/self/maps reads as on Linux.
 *
 * <p>Every failure here happens after Linux's point of no return: it is reported as a fatal
 * {@link ExecException}, whose errno is what the kernel computed internally.
 */
final class ImageMapper {
    /** vm.mmap_min_addr on the reference host (Linux's default is 4096; Debian's 65536). */
    static final long MMAP_MIN_ADDR = 4096;
    /**
     * The most one private writable mapping may commit: the heuristic overcommit check
     * ({@code __vm_enough_memory}: RAM + swap) for the guest's nominal memory.
     */
    static final long OVERCOMMIT_LIMIT = 16L << 30;

    private static final long PAGE = PAGE_SIZE;

    /** How the first mapping of an image is placed (elf_flags in load_elf_binary()). */
    enum Placement { ANYWHERE, FIXED, FIXED_NOREPLACE }

    private final AddressSpace space;
    private final ElfImage image;

    ImageMapper(AddressSpace space, ElfImage image) {
        this.space = space;
        this.image = image;
    }

    static long pageStart(long v) {
        return v & -PAGE;
    }

    static long pageOffset(long v) {
        return v & (PAGE - 1);
    }

    /** ELF_PAGEALIGN: wraps around on overflow, as the kernel's unsigned arithmetic does. */
    static long pageAlign(long v) {
        return (v + PAGE - 1) & -PAGE;
    }

    /** make_prot(): p_flags to PROT_* (x86 adds nothing). */
    static int makeProt(int pFlags) {
        int prot = 0;
        if ((pFlags & PF_R) != 0) {
            prot |= PROT_READ;
        }
        if ((pFlags & PF_W) != 0) {
            prot |= PROT_WRITE;
        }
        if ((pFlags & PF_X) != 0) {
            prot |= PROT_EXEC;
        }
        return prot;
    }

    /**
     * elf_load(): maps the file part of the segment at {@code addr}, zeroes the rest of its last
     * page when the segment is writable, and maps whole bss pages anonymously.
     *
     * @return the address of the file mapping (the page of {@code addr} when filesz is 0)
     */
    long elfLoad(long addr, ProgramHeader ph, int prot, Placement placement, long totalSize) throws ExecException {
        long zeroStart;
        long zeroEnd;
        long mapAddr;
        if (ph.filesz() != 0) {
            mapAddr = elfMap(addr, ph, prot, placement, totalSize);
            zeroStart = mapAddr + pageOffset(ph.vaddr()) + ph.filesz();
            zeroEnd = mapAddr + pageOffset(ph.vaddr()) + ph.memsz();
            if (Long.compareUnsigned(ph.memsz(), ph.filesz()) > 0 && (prot & PROT_WRITE) != 0) {
                padZero(zeroStart);
            }
        } else {
            mapAddr = zeroStart = pageStart(addr);
            zeroEnd = zeroStart + pageOffset(ph.vaddr()) + ph.memsz();
        }
        if (Long.compareUnsigned(ph.memsz(), ph.filesz()) > 0) {
            long start = pageAlign(zeroStart);
            long end = pageAlign(zeroEnd);
            vmBrk(start, end - start, prot & PROT_EXEC);
        }
        return mapAddr;
    }

    /**
     * elf_map(): maps the pages holding [p_offset, p_offset + p_filesz). With a total size (the
     * first segment of an ET_DYN image) the whole image span is reserved at once so that the
     * segments land together, then everything past this segment is released again.
     */
    private long elfMap(long addr, ProgramHeader ph, int prot, Placement placement, long totalSize) throws ExecException {
        long size = pageAlign(ph.filesz() + pageOffset(ph.vaddr()));
        long off = ph.offset() - pageOffset(ph.vaddr());
        addr = pageStart(addr);
        if (size == 0) {
            return addr;
        }
        long reserve = totalSize != 0 ? pageAlign(totalSize) : size;
        return vmMmap(addr, reserve, size, prot, placement, off);
    }

    /**
     * vm_mmap() of the image file, MAP_PRIVATE: the checks of vm_mmap(), do_mmap() and
     * __get_unmapped_area() for {@code reserve} bytes, of which the first {@code len} stay
     * mapped and hold file data. elf_map() maps the whole image span and unmaps the tail at
     * once; placing and checking the span, then mapping the head, is the same, and costs
     * nothing for images with huge holes.
     */
    private long vmMmap(long addr, long reserve, long len, int prot, Placement placement, long off) throws ExecException {
        if (Long.compareUnsigned(off + pageAlign(reserve), off) < 0 || pageOffset(off) != 0) {
            throw fatal(Errno.EINVAL, "segment file offset is not congruent with its address");
        }
        reserve = pageAlign(reserve);
        if (reserve == 0 || Long.compareUnsigned(reserve, TASK_SIZE) > 0) {
            throw fatal(Errno.ENOMEM, "segment does not fit in the address space");
        }
        if (placement == Placement.ANYWHERE) {
            addr = unmappedArea(addr, reserve);
        } else {
            checkFixed(addr, reserve);
            if (placement == Placement.FIXED_NOREPLACE && space.overlaps(addr, reserve)) {
                throw fatal(Errno.EEXIST, String.format("segment at 0x%x overlaps an existing mapping", addr));
            }
        }
        checkCommit(reserve, prot);
        if (Long.compareUnsigned(len, reserve) > 0) {
            len = reserve; // the span was smaller than this segment (its first PT_LOAD is not the lowest)
        }
        MappedFile file = image.file.mappedFile();
        map(addr, len, prot, image.path(), off, file);
        if (len != reserve && placement == Placement.FIXED) {
            unmapQuietly(addr + len, reserve - len); // MAP_FIXED replaced whatever was there
        }
        if (file == null) {
            copyFile(addr, off, Math.min(len, image.file.size() - off));
        }
        return addr;
    }

    /** vm_brk_flags(): anonymous read-write (and executable if asked) pages, replacing what was there. */
    void vmBrk(long addr, long request, int exec) throws ExecException {
        long len = pageAlign(request);
        if (Long.compareUnsigned(len, request) < 0) {
            throw fatal(Errno.ENOMEM, "bss size overflows");
        }
        if (len == 0) {
            return;
        }
        if (Long.compareUnsigned(len, TASK_SIZE) > 0) {
            throw fatal(Errno.ENOMEM, "bss does not fit in the address space");
        }
        checkFixed(addr, len);
        checkCommit(len, PROT_WRITE);
        map(addr, len, PROT_READ | PROT_WRITE | exec, "", 0, null);
    }

    /** __get_unmapped_area() for MAP_FIXED: inside TASK_SIZE and not below mmap_min_addr. */
    private static void checkFixed(long addr, long len) throws ExecException {
        if (Long.compareUnsigned(addr, TASK_SIZE - len) > 0) {
            throw fatal(Errno.ENOMEM, String.format("segment at 0x%x extends beyond the user address space", addr));
        }
        if (Long.compareUnsigned(addr, MMAP_MIN_ADDR) < 0) {
            throw fatal(Errno.EPERM, String.format("segment at 0x%x is below mmap_min_addr", addr));
        }
    }

    /** The overcommit heuristic: one private writable mapping may not exceed the guest's memory. */
    private static void checkCommit(long len, int prot) throws ExecException {
        if ((prot & PROT_WRITE) != 0 && Long.compareUnsigned(len, OVERCOMMIT_LIMIT) > 0) {
            throw fatal(Errno.ENOMEM, "segment larger than the memory available (" + (len >>> 20) + " MiB)");
        }
    }

    /** padzero(): clears from {@code addr} to the end of its page (the file bytes past p_filesz). */
    private void padZero(long addr) throws ExecException {
        int n = (int) pageOffset(addr);
        if (n != 0) {
            try {
                space.poke(addr, new byte[(int) PAGE - n], 0, (int) PAGE - n);
            } catch (GuestFault e) {
                throw fatal(Errno.EFAULT, String.format("cannot clear the bss tail at 0x%x", addr));
            }
        }
    }

    /** A private mapping of {@code file} (which it takes over), or of anonymous memory when null. */
    private void map(long addr, long len, int prot, String name, long offset, MappedFile file) throws ExecException {
        try {
            space.map(addr, len, prot, MAP_PRIVATE | MAP_FIXED, name, offset, file);
        } catch (ErrnoException e) {
            if (file != null) {
                file.release();
            }
            throw fatal(e.errno(), String.format("cannot map 0x%x bytes at 0x%x", len, addr));
        }
    }

    void unmapQuietly(long addr, long len) {
        try {
            space.unmap(addr, len);
        } catch (ErrnoException e) {
            // vm_munmap()'s result is ignored by elf_map() and load_elf_binary().
        }
    }

    /** Copies {@code len} bytes of the file at {@code off} to {@code addr}; the rest stays zero. */
    private void copyFile(long addr, long off, long len) throws ExecException {
        byte[] chunk = new byte[(int) Math.min(Math.max(len, 0), 1 << 16)];
        long done = 0;
        while (done < len) {
            int want = (int) Math.min(chunk.length, len - done);
            byte[] dst = want == chunk.length ? chunk : new byte[want];
            int n = ElfImage.readAt(image.file, off + done, dst, Errno.EIO, "cannot read " + image.path());
            if (n <= 0) {
                break;
            }
            space.poke(addr + done, dst, 0, n);
            done += n;
        }
    }

    /**
     * arch_get_unmapped_area_topdown() without randomisation: the hint when it is free and
     * inside the address space, else the highest free gap below mmap_base.
     */
    long unmappedArea(long hint, long len) throws ExecException {
        List<Vma> vmas = space.vmas();
        if (hint != 0) {
            long h = pageAlign(hint);
            if (Long.compareUnsigned(h, TASK_SIZE - len) <= 0 && Long.compareUnsigned(h, MMAP_MIN_ADDR) >= 0
                    && !space.overlaps(h, len)) {
                return h;
            }
        }
        long candidateEnd = AddressSpace.DEFAULT_MMAP_BASE;
        for (int i = vmas.size() - 1; i >= 0; i--) {
            Vma v = vmas.get(i);
            if (v.start() >= candidateEnd) {
                continue;
            }
            if (v.end() <= candidateEnd && candidateEnd - v.end() >= len) {
                break;
            }
            candidateEnd = Math.min(candidateEnd, v.start());
        }
        long start = candidateEnd - len;
        if (start < PAGE || start > candidateEnd) {
            throw fatal(Errno.ENOMEM, "no room in the address space for 0x" + Long.toHexString(len) + " bytes");
        }
        return start;
    }

    static ExecException fatal(Errno errno, String message) {
        return new ExecException(errno, message, true);
    }
}
