package dev.linux4j.loader;

import static dev.linux4j.elf.Elf.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Resource;
import dev.linux4j.elf.ProgramHeader;
import dev.linux4j.loader.ImageMapper.Placement;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.GuestFault;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * execve(2)'s ELF image loader: {@code load_elf_binary()} and {@code load_elf_interp()} of
 * fs/binfmt_elf.c with the argument copying of fs/exec.c, for ELF64 x86-64, without address
 * space randomisation (as under {@code setarch -R}).
 *
 * <p>Layout, as Linux 6.x lays it out without ASLR (checked on the reference host):
 * <ul>
 *   <li>ET_EXEC at its p_vaddr; brk starts at the page after the highest p_vaddr + p_memsz.
 *   <li>ET_DYN with PT_INTERP (PIE) at ELF_ET_DYN_BASE 0x555555554000 (rounded down to the
 *       largest power-of-two p_align); brk after its bss.
 *   <li>ET_DYN without PT_INTERP (static-pie, ld.so run directly) top-down below mmap_base
 *       0x7ffff7fff000; brk at ELF_ET_DYN_BASE page-aligned, 0x555555555000.
 *   <li>The interpreter top-down below mmap_base (or below the program when that came first).
 *   <li>The stack below STACK_TOP 0x7ffffffff000; see {@link InitialStack}.
 * </ul>
 *
 * <p>The address space must be fresh (execve hands over a new mm). Errors found before Linux's
 * point of no return are ordinary {@link ExecException}s; later ones are marked
 * {@link ExecException#pastPointOfNoReturn()}.
 *
 * <p>Beyond Linux: a binary branded for another OS (EI_OSABI, or a FreeBSD/NetBSD/OpenBSD or
 * non-Linux GNU ABI note) is refused with ENOEXEC; segment data past the end of the file is
 * refused with ENOEXEC (Linux would fault with SIGBUS when the page is touched).
 */
public final class ElfLoader {
    private ElfLoader() {}

    /** ELF_ET_DYN_BASE on x86-64: DEFAULT_MAP_WINDOW / 3 * 2, not page aligned. */
    public static final long ELF_ET_DYN_BASE = Long.divideUnsigned(dev.linux4j.abi.Mman.TASK_SIZE, 3) * 2;
    /** PATH_MAX: a longer PT_INTERP is refused. */
    static final int PATH_MAX = 4096;

    /** Loads with the default 8 MiB RLIMIT_STACK. */
    public static LoadedImage load(AddressSpace space, ImageFile file, ImageOpener opener, ExecParams params)
            throws ExecException {
        return load(space, file, opener, params, Resource._STK_LIM);
    }

    /**
     * Loads {@code file} into {@code space}, with the interpreter it names opened through
     * {@code opener}, and builds the initial stack.
     *
     * @param stackRlimit RLIMIT_STACK's soft limit (sets the E2BIG limit for the strings and the
     *     [stack] mapping's first size)
     */
    public static LoadedImage load(AddressSpace space, ImageFile file, ImageOpener opener, ExecParams params,
            long stackRlimit) throws ExecException {
        InitialStack stack = InitialStack.copyStrings(params, stackRlimit);
        ElfImage program = ElfImage.readProgram(file);
        String interpPath = null;
        ElfImage interp = null;
        ProgramHeader interpHeader = program.interpHeader();
        if (interpHeader != null) {
            interpPath = readInterpreterPath(program, interpHeader);
            ImageFile interpFile = openInterpreter(opener, interpPath);
            try {
                interp = ElfImage.readInterpreter(interpFile, interpPath);
            } catch (ExecException e) {
                interpFile.close();
                throw e;
            }
        }
        boolean executableStack = program.executableStack();
        // begin_new_exec(): the point of no return.
        try {
            return loadImages(space, program, interp, interpPath, stack, params, executableStack, stackRlimit);
        } catch (ErrnoException e) {
            throw new ExecException(e.errno(), "cannot build the new image: " + e.errno().name(), true);
        } catch (GuestFault e) {
            throw new ExecException(Errno.EFAULT, "cannot write the new image", true);
        } finally {
            if (interp != null) {
                interp.file.close(); // its mappings hold their own references
            }
        }
    }

    private static LoadedImage loadImages(AddressSpace space, ElfImage program, ElfImage interp, String interpPath,
            InitialStack stack, ExecParams params, boolean executableStack, long stackRlimit) throws ExecException {
        stack.mapAndWrite(space, executableStack, stackRlimit);
        ProgramLayout layout = mapProgram(space, program, interp != null);
        long entry = layout.entry;
        long interpBase = 0;
        if (interp != null) {
            interpBase = mapInterpreter(space, interp, layout.loadBias);
            entry = interpBase + interp.header.entry();
            if (Long.compareUnsigned(entry, dev.linux4j.abi.Mman.TASK_SIZE) >= 0) {
                throw ImageMapper.fatal(Errno.EINVAL, "interpreter entry point outside the address space");
            }
        } else if (Long.compareUnsigned(entry, dev.linux4j.abi.Mman.TASK_SIZE) >= 0) {
            throw ImageMapper.fatal(Errno.EINVAL, "entry point outside the address space");
        }
        long vdso = Vdso.map(space); // ARCH_SETUP_ADDITIONAL_PAGES, after the interpreter
        InitialStack.Placed placed = stack.createElfTables(space, params,
                new InitialStack.Tables(layout.phdr, program.header.phnum(), interpBase, layout.entry, vdso));
        long brk;
        if (program.header.type() == ET_DYN && interp == null) {
            brk = ImageMapper.pageAlign(ELF_ET_DYN_BASE); // static-pie: brk moved out of the mmap area
        } else {
            brk = ImageMapper.pageAlign(layout.elfBrk);
        }
        space.initBrk(brk);
        return new LoadedImage(entry, placed.sp(), layout.entry, layout.phdr, program.header.phnum(), interpBase, brk,
                placed.auxv(), placed.auxvLength(), interpPath, executableStack, InitialStack.STACK_TOP,
                stack.argStart, stack.argEnd, stack.envStart, stack.envEnd, stack.execfn,
                layout.startCode, layout.endCode, layout.startData, layout.endData);
    }

    /** The PT_INTERP string: 2..PATH_MAX bytes, NUL-terminated, read whole from the file. */
    private static String readInterpreterPath(ElfImage program, ProgramHeader ph) throws ExecException {
        if (Long.compareUnsigned(ph.filesz(), PATH_MAX) > 0) {
            throw new ExecException(Errno.ENOEXEC, "corrupt ELF: PT_INTERP path longer than PATH_MAX");
        }
        if (ph.filesz() < 2) {
            throw new ExecException(Errno.ENOEXEC, "corrupt ELF: PT_INTERP path too short");
        }
        if (ph.offset() < 0) {
            throw new ExecException(Errno.EINVAL, "corrupt ELF: PT_INTERP at a negative file offset");
        }
        byte[] path = new byte[(int) ph.filesz()];
        if (ElfImage.readAt(program.file, ph.offset(), path, Errno.EIO, "cannot read PT_INTERP") != path.length) {
            throw new ExecException(Errno.EIO, "corrupt ELF: PT_INTERP outside the file");
        }
        if (path[path.length - 1] != 0) {
            throw new ExecException(Errno.ENOEXEC, "corrupt ELF: PT_INTERP path not NUL-terminated");
        }
        int len = 0;
        while (path[len] != 0) {
            len++;
        }
        return new String(path, 0, len, StandardCharsets.UTF_8);
    }

    private static ImageFile openInterpreter(ImageOpener opener, String path) throws ExecException {
        if (path.isEmpty()) {
            throw new ExecException(Errno.ENOENT, "empty interpreter path");
        }
        try {
            ImageFile f = opener.open(path);
            if (f == null) {
                throw new ExecException(Errno.ENOENT, "interpreter " + path + " not found");
            }
            return f;
        } catch (ErrnoException e) {
            throw new ExecException(e.errno(), "cannot open interpreter " + path + ": " + e.errno().name());
        }
    }

    /** What mapping the program's segments established (load_elf_binary()'s locals). */
    private static final class ProgramLayout {
        long loadBias;
        long entry;
        long phdr;
        long elfBrk;
        long startCode = -1;
        long endCode;
        long startData;
        long endData;
    }

    /** The PT_LOAD loop of load_elf_binary(). */
    private static ProgramLayout mapProgram(AddressSpace space, ElfImage image, boolean hasInterp) throws ExecException {
        ImageMapper mapper = new ImageMapper(space, image);
        ProgramLayout l = new ProgramLayout();
        boolean first = true;
        long loadBias = 0;
        boolean dyn = image.header.type() == ET_DYN;
        List<ProgramHeader> phdrs = image.phdrs;
        for (int i = 0; i < phdrs.size(); i++) {
            ProgramHeader ph = phdrs.get(i);
            if (ph.type() != PT_LOAD) {
                continue;
            }
            int prot = ImageMapper.makeProt(ph.flags());
            long vaddr = ph.vaddr();
            long totalSize = 0;
            Placement placement;
            if (!first) {
                placement = Placement.FIXED;
            } else if (!dyn) {
                placement = Placement.FIXED_NOREPLACE;
            } else {
                totalSize = totalMappingSize(phdrs);
                if (totalSize == 0) {
                    throw ImageMapper.fatal(Errno.EINVAL, "PT_LOAD segments span no memory");
                }
                long alignment = maximumAlignment(phdrs);
                if (hasInterp) {
                    loadBias = ELF_ET_DYN_BASE;
                    if (alignment != 0) {
                        loadBias &= ~(alignment - 1);
                    }
                    placement = Placement.FIXED_NOREPLACE;
                } else if (Long.compareUnsigned(alignment, ImageMapper.pageAlign(1)) > 0) {
                    loadBias = mapper.elfLoad(0, ph, prot, Placement.ANYWHERE, totalSize);
                    mapper.unmapQuietly(loadBias, ImageMapper.pageAlign(totalSize));
                    loadBias &= ~(alignment - 1);
                    placement = Placement.FIXED_NOREPLACE;
                } else {
                    loadBias = 0;
                    placement = Placement.ANYWHERE;
                }
                loadBias = ImageMapper.pageStart(loadBias - vaddr);
            }
            long mapAddr = mapper.elfLoad(loadBias + vaddr, ph, prot, placement, totalSize);
            if (first) {
                first = false;
                if (dyn) {
                    loadBias += mapAddr - ImageMapper.pageStart(loadBias + vaddr);
                }
            }
            long phoff = image.header.phoff();
            if (Long.compareUnsigned(ph.offset(), phoff) <= 0
                    && Long.compareUnsigned(phoff, ph.offset() + ph.filesz()) < 0) {
                l.phdr = phoff - ph.offset() + vaddr;
            }
            if (ph.executable() && Long.compareUnsigned(vaddr, l.startCode) < 0) {
                l.startCode = vaddr;
            }
            if (Long.compareUnsigned(l.startData, vaddr) < 0) {
                l.startData = vaddr;
            }
            checkSegmentBounds(ph, vaddr, Errno.EINVAL);
            long k = vaddr + ph.filesz();
            if (ph.executable() && Long.compareUnsigned(l.endCode, k) < 0) {
                l.endCode = k;
            }
            if (Long.compareUnsigned(l.endData, k) < 0) {
                l.endData = k;
            }
            k = vaddr + ph.memsz();
            if (Long.compareUnsigned(k, l.elfBrk) > 0) {
                l.elfBrk = k;
            }
        }
        l.loadBias = loadBias;
        l.entry = image.header.entry() + loadBias;
        l.phdr += loadBias;
        l.elfBrk += loadBias;
        l.startCode += loadBias;
        l.endCode += loadBias;
        l.startData += loadBias;
        l.endData += loadBias;
        return l;
    }

    /** The check after each segment is mapped: "set_brk can never work. Avoid overflows." */
    private static void checkSegmentBounds(ProgramHeader ph, long k, Errno errno) throws ExecException {
        long taskSize = dev.linux4j.abi.Mman.TASK_SIZE;
        if (Long.compareUnsigned(k, taskSize) >= 0
                || Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0
                || Long.compareUnsigned(ph.memsz(), taskSize) > 0
                || Long.compareUnsigned(taskSize - ph.memsz(), k) < 0) {
            String why = Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0
                    ? "corrupt ELF: p_filesz larger than p_memsz"
                    : String.format("segment at 0x%x of 0x%x bytes is outside the address space", k, ph.memsz());
            throw ImageMapper.fatal(errno, why);
        }
    }

    /** load_elf_interp(): returns the interpreter's load bias (AT_BASE). */
    private static long mapInterpreter(AddressSpace space, ElfImage interp, long noBase) throws ExecException {
        int type = interp.header.type();
        if (type != ET_EXEC && type != ET_DYN) {
            // load_elf_interp() returns ~0UL, which load_elf_binary() reports as -EPERM.
            throw ImageMapper.fatal(Errno.EPERM, "interpreter " + interp.path() + " is not an executable");
        }
        long totalSize = totalMappingSize(interp.phdrs);
        if (totalSize == 0) {
            throw ImageMapper.fatal(Errno.EINVAL, "interpreter " + interp.path() + " has no loadable segment");
        }
        ImageMapper mapper = new ImageMapper(space, interp);
        long loadAddr = 0;
        boolean loadAddrSet = false;
        for (ProgramHeader ph : interp.phdrs) {
            if (ph.type() != PT_LOAD) {
                continue;
            }
            int prot = ImageMapper.makeProt(ph.flags());
            long vaddr = ph.vaddr();
            Placement placement = Placement.ANYWHERE;
            if (type == ET_EXEC || loadAddrSet) {
                placement = Placement.FIXED;
            } else if (noBase != 0) {
                loadAddr = -vaddr;
            }
            long mapAddr = mapper.elfLoad(loadAddr + vaddr, ph, prot, placement, totalSize);
            totalSize = 0;
            if (!loadAddrSet && type == ET_DYN) {
                loadAddr = mapAddr - ImageMapper.pageStart(vaddr);
                loadAddrSet = true;
            }
            checkSegmentBounds(ph, loadAddr + vaddr, Errno.ENOMEM);
        }
        return loadAddr;
    }

    /** total_mapping_size(): from the lowest PT_LOAD page to the highest PT_LOAD end. */
    static long totalMappingSize(List<ProgramHeader> phdrs) {
        long min = -1;
        long max = 0;
        boolean any = false;
        for (ProgramHeader ph : phdrs) {
            if (ph.type() == PT_LOAD) {
                long start = ImageMapper.pageStart(ph.vaddr());
                if (Long.compareUnsigned(start, min) < 0) {
                    min = start;
                }
                long end = ph.vaddr() + ph.memsz();
                if (Long.compareUnsigned(end, max) > 0) {
                    max = end;
                }
                any = true;
            }
        }
        return any ? max - min : 0;
    }

    /** maximum_alignment(): the largest power-of-two p_align of the PT_LOADs, page-aligned. */
    static long maximumAlignment(List<ProgramHeader> phdrs) {
        long alignment = 0;
        for (ProgramHeader ph : phdrs) {
            if (ph.type() == PT_LOAD) {
                long a = ph.align();
                if (a != 0 && (a & (a - 1)) == 0 && Long.compareUnsigned(a, alignment) > 0) {
                    alignment = a;
                }
            }
        }
        return ImageMapper.pageAlign(alignment);
    }
}
