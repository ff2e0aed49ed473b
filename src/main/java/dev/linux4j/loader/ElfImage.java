package dev.linux4j.loader;

import static dev.linux4j.elf.Elf.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.elf.ElfBrand;
import dev.linux4j.elf.ElfHeader;
import dev.linux4j.elf.ElfMachine;
import dev.linux4j.elf.ElfNote;
import dev.linux4j.elf.ProgramHeader;
import java.util.ArrayList;
import java.util.List;

/**
 * An ELF file whose header and program headers were read and checked, as the part of
 * {@code load_elf_binary()} before {@code begin_new_exec()} does (fs/binfmt_elf.c): everything
 * here fails with an errno execve(2) returns to its caller.
 */
final class ElfImage {
    /** BINPRM_BUF_SIZE: how much of the file the kernel reads before choosing a binary format. */
    static final int BINPRM_BUF_SIZE = 256;
    /** load_elf_phdrs(): the program header table may be at most 64 KiB. */
    static final int MAX_PHDR_TABLE = 65536;
    /** PT_NOTE segments larger than this are not read for branding. */
    static final int MAX_NOTE_SEGMENT = 65536;

    final ImageFile file;
    final ElfHeader header;
    final List<ProgramHeader> phdrs;

    private ElfImage(ImageFile file, ElfHeader header, List<ProgramHeader> phdrs) {
        this.file = file;
        this.header = header;
        this.phdrs = phdrs;
    }

    /** Reads and checks the program being executed; errors are ENOEXEC (or the file's I/O errno). */
    static ElfImage readProgram(ImageFile file) throws ExecException {
        byte[] buf = new byte[BINPRM_BUF_SIZE];
        int n = readAt(file, 0, buf, Errno.EIO, "cannot read the file");
        if (n == 0) {
            throw new ExecException(Errno.ENOEXEC, "empty file");
        }
        if (!hasMagic(buf)) {
            throw new ExecException(Errno.ENOEXEC, "not an ELF file");
        }
        ElfHeader h = ElfHeader.parse(buf);
        if (h.type() != ET_EXEC && h.type() != ET_DYN) {
            throw new ExecException(Errno.ENOEXEC, "ELF " + typeName(h.type()) + " is not an executable");
        }
        checkMachine(h, Errno.ENOEXEC, "");
        List<ProgramHeader> phdrs = readProgramHeaders(file, h);
        if (phdrs == null) {
            throw new ExecException(Errno.ENOEXEC, phdrProblem(file, h));
        }
        ElfImage image = new ElfImage(file, h, phdrs);
        ElfBrand brand = ElfBrand.of(h, image.notes());
        if (!brand.linux()) {
            throw new ExecException(Errno.ENOEXEC, "ELF branded for " + brand.os());
        }
        image.checkSegmentsInFile(Errno.ENOEXEC, "");
        return image;
    }

    /**
     * Reads and checks an interpreter after its header was read, as load_elf_binary() does
     * before begin_new_exec(): a bad magic, machine or program header table is ELIBBAD.
     */
    static ElfImage readInterpreter(ImageFile file, String path) throws ExecException {
        byte[] buf = new byte[ElfHeader.SIZE];
        int n = readAt(file, 0, buf, Errno.EIO, "cannot read interpreter " + path);
        if (n < ElfHeader.SIZE) {
            throw new ExecException(Errno.EIO, "interpreter " + path + " is shorter than an ELF header");
        }
        if (!hasMagic(buf)) {
            throw new ExecException(Errno.ELIBBAD, "interpreter " + path + " is not an ELF file");
        }
        ElfHeader h = ElfHeader.parse(buf);
        String who = "interpreter " + path + ": ";
        checkMachine(h, Errno.ELIBBAD, who);
        List<ProgramHeader> phdrs = readProgramHeaders(file, h);
        if (phdrs == null) {
            throw new ExecException(Errno.ELIBBAD, who + phdrProblem(file, h));
        }
        ElfImage image = new ElfImage(file, h, phdrs);
        image.checkSegmentsInFile(Errno.ELIBBAD, who);
        return image;
    }

    /** elf_check_arch(): e_machine must be EM_X86_64; linux4j has no 32-bit (compat) loader. */
    private static void checkMachine(ElfHeader h, Errno errno, String who) throws ExecException {
        int machine = h.machineAsEncoded();
        boolean x86 = machine == ElfMachine.EM_X86_64 || machine == ElfMachine.EM_386;
        if (h.elfClass() == ELFCLASS32 && x86) {
            throw new ExecException(errno, who + "32-bit ELF is not supported");
        }
        if (h.machine() != ElfMachine.EM_X86_64) {
            throw new ExecException(errno, who + "ELF for another machine (" + ElfMachine.name(machine) + ")");
        }
        if (h.elfClass() == ELFCLASS32) {
            throw new ExecException(errno, who + "32-bit ELF is not supported");
        }
    }

    /** load_elf_phdrs(): null when the table is malformed or cannot be read whole. */
    private static List<ProgramHeader> readProgramHeaders(ImageFile file, ElfHeader h) throws ExecException {
        if (h.phentsize() != ProgramHeader.SIZE) {
            return null;
        }
        int size = ProgramHeader.SIZE * h.phnum();
        if (size == 0 || size > MAX_PHDR_TABLE || h.phoff() < 0) {
            return null;
        }
        byte[] table = new byte[size];
        if (readAt(file, h.phoff(), table, Errno.EIO, "cannot read the program headers") != size) {
            return null;
        }
        return ProgramHeader.parseTable(table, h.phnum());
    }

    private static String phdrProblem(ImageFile file, ElfHeader h) {
        if (h.phentsize() != ProgramHeader.SIZE) {
            return "corrupt ELF: e_phentsize is " + h.phentsize() + ", not " + ProgramHeader.SIZE;
        }
        if (h.phnum() == 0) {
            return "corrupt ELF: no program headers";
        }
        if (ProgramHeader.SIZE * h.phnum() > MAX_PHDR_TABLE) {
            return "corrupt ELF: too many program headers (" + h.phnum() + ")";
        }
        return "corrupt ELF: program header table outside the file";
    }

    /**
     * linux4j's one check beyond Linux: file data of a PT_LOAD must lie within the file's last
     * page. Linux maps such pages and delivers SIGBUS when they are touched; until file-backed
     * mappings exist, segment data is copied, and there is nothing to copy.
     */
    private void checkSegmentsInFile(Errno errno, String who) throws ExecException {
        long fileEnd = pageAlign(file.size());
        for (ProgramHeader ph : phdrs) {
            if (ph.type() != PT_LOAD || ph.filesz() == 0 || ((ph.offset() ^ ph.vaddr()) & (PAGE - 1)) != 0) {
                continue; // an incongruent segment fails in mmap, after the point of no return
            }
            long end = ph.offset() + ph.filesz();
            long pageOffset = ph.vaddr() & (PAGE - 1);
            boolean overflow = Long.compareUnsigned(end, ph.offset()) < 0
                    || Long.compareUnsigned(ph.offset(), pageOffset) < 0
                    || Long.compareUnsigned(end, -PAGE) > 0;
            if (overflow || Long.compareUnsigned(pageAlign(end), fileEnd) > 0) {
                throw new ExecException(errno, who + "corrupt ELF: segment data beyond end of file");
            }
        }
    }

    /** The notes of every PT_NOTE segment that lies in the file (malformed ones are skipped). */
    List<ElfNote> notes() throws ExecException {
        List<ElfNote> notes = new ArrayList<>();
        for (ProgramHeader ph : phdrs) {
            if (ph.type() != PT_NOTE || ph.filesz() <= 0 || ph.filesz() > MAX_NOTE_SEGMENT || ph.offset() < 0) {
                continue;
            }
            byte[] seg = new byte[(int) ph.filesz()];
            if (readAt(file, ph.offset(), seg, Errno.EIO, "cannot read a note") == seg.length) {
                notes.addAll(ElfNote.parseAll(seg, ph.align()));
            }
        }
        return notes;
    }

    /** The first PT_INTERP header (load_elf_binary() stops at the first), or null. */
    ProgramHeader interpHeader() {
        for (ProgramHeader ph : phdrs) {
            if (ph.type() == PT_INTERP) {
                return ph;
            }
        }
        return null;
    }

    /** PT_GNU_STACK's PF_X: the last such header decides, as in load_elf_binary(). */
    boolean executableStack() {
        boolean exec = false;
        for (ProgramHeader ph : phdrs) {
            if (ph.type() == PT_GNU_STACK) {
                exec = ph.executable();
            }
        }
        return exec;
    }

    String path() {
        return file.path();
    }

    static final long PAGE = 4096;

    static long pageAlign(long v) {
        return (v + PAGE - 1) & -PAGE;
    }

    /**
     * Reads as much of {@code dst} as the file holds at {@code offset}; returns the count read.
     * An I/O errno from the file becomes an ExecException with that errno.
     */
    static int readAt(ImageFile file, long offset, byte[] dst, Errno fallback, String what) throws ExecException {
        int done = 0;
        try {
            while (done < dst.length) {
                int n = file.read(offset + done, dst, done, dst.length - done);
                if (n <= 0) {
                    break;
                }
                done += n;
            }
        } catch (ErrnoException e) {
            throw new ExecException(e.errno(), what + ": " + e.errno().name());
        }
        return done;
    }

    static String typeName(int type) {
        return switch (type) {
            case ET_NONE -> "type NONE";
            case ET_REL -> "relocatable object";
            case ET_CORE -> "core dump";
            default -> "type " + type;
        };
    }
}
