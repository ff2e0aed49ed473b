package dev.linux4j.loader;

import static dev.linux4j.elf.Elf.*;
import static dev.linux4j.loader.LoaderTesting.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linux4j.abi.Errno;
import dev.linux4j.elf.ElfMachine;
import dev.linux4j.memory.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Malformed and foreign images. Each is checked against linux4j's expected errno and reason and,
 * where linux4j follows Linux, against what the host kernel's execve(2) does with the same bytes:
 * an errno before the point of no return, SIGSEGV (signal 11) after it.
 */
class ElfLoaderBadInputTest {

    /** The refusal, and the host kernel's verdict on the same image. */
    private static ExecException refused(byte[] image, Errno errno, boolean fatal, String reason) throws Exception {
        ExecException e = failure(image);
        assertThat(e.errno()).as(e.getMessage()).isEqualTo(errno);
        assertThat(e.pastPointOfNoReturn()).as(e.getMessage()).isEqualTo(fatal);
        assertThat(e.getMessage()).contains(reason);
        if (NativeOracle.available()) {
            assertThat(NativeOracle.exec(image)).isEqualTo(fatal ? "signal 11" : "errno " + errno.number());
        }
        return e;
    }

    private static byte[] patch(byte[] image, int offset, long value, int size) {
        byte[] copy = image.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            copy[offset + i] = (byte) (value >>> (8 * i));
        }
        return copy;
    }

    /** Offset of field {@code fieldOffset} in program header {@code index}. */
    private static int ph(int index, int fieldOffset) {
        return 64 + 56 * index + fieldOffset;
    }

    private static final int P_FLAGS = 4, P_OFFSET = 8, P_VADDR = 16, P_FILESZ = 32, P_MEMSZ = 40;

    @Test
    void theReferenceImageRunsAndLoads() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        LoadedImage img = load(image);
        assertThat(img.entry()).isEqualTo(ElfBuilder.BASE + 120);
        assertThat(img.brkStart()).isEqualTo(ElfBuilder.BASE + 0x1000);
        if (NativeOracle.available()) {
            assertThat(NativeOracle.exec(image)).isEqualTo("exit 42");
        }
    }

    @Test
    void emptyFile() throws Exception {
        refused(new byte[0], Errno.ENOEXEC, false, "empty file");
    }

    @Test
    void notElf() throws Exception {
        refused(b("hello, world\n"), Errno.ENOEXEC, false, "not an ELF file");
        refused(new byte[] {0x7f, 'E', 'L'}, Errno.ENOEXEC, false, "not an ELF file");
    }

    @Test
    void truncatedHeader() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        refused(Arrays.copyOf(image, 40), Errno.ENOEXEC, false, "e_phentsize is 0");
        refused(Arrays.copyOf(image, 18), Errno.ENOEXEC, false, "another machine (no machine)");
    }

    @Test
    void truncatedProgramHeaders() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        refused(Arrays.copyOf(image, 64 + 30), Errno.ENOEXEC, false, "program header table outside the file");
    }

    @Test
    void programHeadersBeyondEndOfFile() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        refused(patch(image, 32, 4096, 8), Errno.ENOEXEC, false, "program header table outside the file");
        refused(patch(image, 32, -64, 8), Errno.ENOEXEC, false, "program header table outside the file");
    }

    @Test
    void badProgramHeaderSizeOrCount() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        refused(patch(image, 54, 32, 2), Errno.ENOEXEC, false, "e_phentsize is 32, not 56");
        refused(patch(image, 56, 0, 2), Errno.ENOEXEC, false, "no program headers");
        refused(patch(image, 56, 1171, 2), Errno.ENOEXEC, false, "too many program headers");
    }

    @Test
    void notAnExecutable() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        refused(patch(image, 16, ET_REL, 2), Errno.ENOEXEC, false, "relocatable object is not an executable");
        refused(patch(image, 16, ET_CORE, 2), Errno.ENOEXEC, false, "core dump is not an executable");
    }

    @Test
    void segmentDataBeyondEndOfFile() throws Exception {
        // Linux maps the pages and the program dies of SIGBUS only if it touches them: a
        // documented difference, so no native comparison here.
        byte[] image = ElfBuilder.exit42().build();
        ExecException e = failure(patch(image, ph(0, P_FILESZ), 0x10000, 8));
        assertThat(e.errno()).isEqualTo(Errno.ENOEXEC);
        assertThat(e.getMessage()).contains("segment data beyond end of file");
        e = failure(patch(image, ph(0, P_OFFSET), 1L << 40, 8));
        assertThat(e.getMessage()).contains("segment data beyond end of file");
    }

    @Test
    void segmentDataPastEndOfFileButInsideTheLastPageIsZero() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        byte[] longer = patch(patch(image, ph(0, P_FILESZ), 0x800, 8), ph(0, P_MEMSZ), 0x800, 8);
        AddressSpace space = new AddressSpace();
        ElfLoader.load(space, new MemoryImageFile("/p", longer), NO_FILES, params());
        assertThat(space.read(ElfBuilder.BASE + image.length, 16)).containsOnly(0);
        if (NativeOracle.available()) {
            assertThat(NativeOracle.exec(longer)).isEqualTo("exit 42");
        }
    }

    @Test
    void fileSizeLargerThanMemorySize() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        refused(patch(image, ph(0, P_MEMSZ), 16, 8), Errno.EINVAL, true, "p_filesz larger than p_memsz");
    }

    @Test
    void offsetNotCongruentWithAddress() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        refused(patch(image, ph(0, P_VADDR), ElfBuilder.BASE + 8, 8), Errno.EINVAL, true, "not congruent");
    }

    @Test
    void overlappingSegmentsReplaceEachOtherAsOnLinux() throws Exception {
        // Linux maps the second PT_LOAD with MAP_FIXED over the first: no error.
        ElfBuilder b = ElfBuilder.exit42();
        b.phdr(PT_LOAD, PF_R | PF_W, 0, ElfBuilder.BASE, 0x100, 0x3000, 0x1000);
        byte[] image = b.build();
        AddressSpace space = new AddressSpace();
        ElfLoader.load(space, new MemoryImageFile("/p", image), NO_FILES, params());
        assertThat(space.vmas().get(0).prot()).isEqualTo(3); // the second, RW, segment won
        if (NativeOracle.available()) {
            assertThat(NativeOracle.exec(image)).isEqualTo("signal 11"); // code page no longer executable
        }
    }

    @Test
    void segmentOverlappingTheStack() throws Exception {
        ElfBuilder b = ElfBuilder.exit42().noDefaultLoad();
        b.phdr(PT_LOAD, PF_R | PF_X, 0, 0x7fffffffe000L, 0x100, 0x100, 0x1000);
        refused(b.build(), Errno.EEXIST, true, "overlaps an existing mapping");
    }

    @Test
    void segmentBeyondTaskSize() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        refused(patch(image, ph(0, P_VADDR), 0x800000000000L, 8), Errno.ENOMEM, true, "beyond the user address space");
        refused(patch(image, ph(0, P_VADDR), -4096L, 8), Errno.ENOMEM, true, "beyond the user address space");
    }

    @Test
    void hugeMemorySize() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        long started = System.nanoTime();
        refused(patch(image, ph(0, P_MEMSZ), 1L << 46, 8), Errno.ENOMEM, true, "larger than the memory available");
        refused(patch(image, ph(0, P_MEMSZ), 1L << 47, 8), Errno.ENOMEM, true, "beyond the user address space");
        refused(patch(image, ph(0, P_MEMSZ), -1L, 8), Errno.ENOMEM, true, "");
        assertThat(System.nanoTime() - started).isLessThan(30_000_000_000L);
    }

    @Test
    void largeBssIsLazy() throws Exception {
        ElfBuilder b = ElfBuilder.exit42();
        b.phdr(PT_LOAD, PF_R | PF_W, 0, 0x10000000L, 0, 1L << 32, 0x1000);
        AddressSpace space = new AddressSpace();
        LoadedImage img = ElfLoader.load(space, new MemoryImageFile("/p", b.build()), NO_FILES, params());
        assertThat(img.brkStart()).isEqualTo(0x10000000L + (1L << 32));
        assertThat(space.read64(0x10000000L + (1L << 31))).isZero();
    }

    @Test
    void segmentBelowMmapMinAddr() throws Exception {
        // Linux refuses this without CAP_SYS_RAWIO (the host test runs as root, so no comparison).
        byte[] image = ElfBuilder.exit42().build();
        ExecException e = failure(patch(image, ph(0, P_VADDR), 0, 8));
        assertThat(e.errno()).isEqualTo(Errno.EPERM);
        assertThat(e.pastPointOfNoReturn()).isTrue();
    }

    @Test
    void noLoadableSegments() throws Exception {
        // ET_EXEC: Linux maps nothing and the program faults at its entry point.
        ElfBuilder exec = ElfBuilder.exit42().noDefaultLoad();
        exec.phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
        byte[] image = exec.build();
        AddressSpace space = new AddressSpace();
        LoadedImage img = ElfLoader.load(space, new MemoryImageFile("/p", image), NO_FILES, params());
        assertThat(space.isMapped(img.entry(), 1)).isFalse();
        assertThat(img.phdr()).isZero();
        if (NativeOracle.available()) {
            assertThat(NativeOracle.exec(image)).isEqualTo("signal 11");
        }
        // ET_DYN likewise: the loop that would compute total_mapping_size() never runs.
        ElfBuilder dyn = ElfBuilder.exit42().noDefaultLoad();
        dyn.type = ET_DYN;
        dyn.phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
        image = dyn.build();
        img = ElfLoader.load(new AddressSpace(), new MemoryImageFile("/p", image), NO_FILES, params());
        assertThat(img.brkStart()).isEqualTo(0x555555555000L);
        if (NativeOracle.available()) {
            assertThat(NativeOracle.exec(image)).isEqualTo("signal 11");
        }
        // ET_DYN whose PT_LOADs span nothing: total_mapping_size() is 0, EINVAL past the point of no return.
        ElfBuilder empty = ElfBuilder.exit42().noDefaultLoad();
        empty.type = ET_DYN;
        empty.phdr(PT_LOAD, PF_R, 0, 0, 0, 0, 0x1000);
        refused(empty.build(), Errno.EINVAL, true, "span no memory");
    }

    @Test
    void thirtyTwoBitElf() throws Exception {
        byte[] elf32 = new byte[52 + 32];
        System.arraycopy(new byte[] {0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2LSB, 1}, 0, elf32, 0, 7);
        ByteBuffer b = ByteBuffer.wrap(elf32).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(16, (short) ET_EXEC).putShort(18, (short) ElfMachine.EM_386).putInt(20, 1);
        b.putInt(28, 52).putShort(40, (short) 52).putShort(42, (short) 32).putShort(44, (short) 1);
        ExecException e = failure(elf32);
        assertThat(e.errno()).isEqualTo(Errno.ENOEXEC);
        assertThat(e.getMessage()).isEqualTo("32-bit ELF is not supported");
        assertThat(e.pastPointOfNoReturn()).isFalse();
        // x32: ELFCLASS32 with EM_X86_64.
        b.putShort(18, (short) ElfMachine.EM_X86_64);
        assertThat(failure(elf32).getMessage()).isEqualTo("32-bit ELF is not supported");
    }

    @Test
    void otherMachines() throws Exception {
        byte[] image = ElfBuilder.exit42().build();
        refused(patch(image, 18, ElfMachine.EM_AARCH64, 2), Errno.ENOEXEC, false, "ELF for another machine (AArch64)");
        refused(patch(image, 18, ElfMachine.EM_RISCV, 2), Errno.ENOEXEC, false, "ELF for another machine (RISC-V)");
        byte[] ppc = patch(patch(image, 18, ElfMachine.EM_PPC64 << 8, 2), 5, ELFDATA2MSB, 1);
        refused(ppc, Errno.ENOEXEC, false, "ELF for another machine (PowerPC64)");
    }

    @Test
    void freeBsdOsAbi() {
        // Linux itself ignores EI_OSABI; linux4j refuses foreign brands (no native comparison).
        byte[] image = patch(ElfBuilder.exit42().build(), EI_OSABI, ELFOSABI_FREEBSD, 1);
        ExecException e = failure(image);
        assertThat(e.errno()).isEqualTo(Errno.ENOEXEC);
        assertThat(e.getMessage()).isEqualTo("ELF branded for FreeBSD");
        assertThat(failure(patch(image, EI_OSABI, ELFOSABI_NETBSD, 1)).getMessage()).isEqualTo("ELF branded for NetBSD");
    }

    @Test
    void gnuOsAbiAndSysvAreLinux() throws Exception {
        load(patch(ElfBuilder.exit42().build(), EI_OSABI, ELFOSABI_GNU, 1));
        load(patch(ElfBuilder.exit42().build(), EI_OSABI, ELFOSABI_SYSV, 1));
    }

    private static byte[] withNote(byte[] note) {
        ElfBuilder b = ElfBuilder.exit42();
        long off = b.dataOffset() + 56; // the note goes first in the data area, after one more phdr
        b.phdr(PT_NOTE, PF_R, off, ElfBuilder.BASE + off, note.length, note.length, 4);
        assertThat(b.append(note)).isEqualTo(off);
        return b.build();
    }

    @Test
    void abiTagNotes() throws Exception {
        ExecException e = failure(withNote(ElfBuilder.note("FreeBSD", NT_FREEBSD_ABI_TAG, 1400097)));
        assertThat(e.getMessage()).isEqualTo("ELF branded for FreeBSD");
        assertThat(failure(withNote(ElfBuilder.note("OpenBSD", 1, 0))).getMessage()).isEqualTo("ELF branded for OpenBSD");
        assertThat(failure(withNote(ElfBuilder.note("NetBSD", 1, 1000000000))).getMessage()).isEqualTo("ELF branded for NetBSD");
        assertThat(failure(withNote(ElfBuilder.note("GNU", NT_GNU_ABI_TAG, 1, 0, 0, 0))).getMessage())
                .isEqualTo("ELF branded for GNU/Hurd");
        byte[] linux = withNote(ElfBuilder.note("GNU", NT_GNU_ABI_TAG, 0, 3, 2, 0));
        load(linux);
        if (NativeOracle.available()) {
            assertThat(NativeOracle.exec(linux)).isEqualTo("exit 42");
        }
        load(withNote(ElfBuilder.note("GNU", 3 /* NT_GNU_BUILD_ID */, 0x12345678, 0x9abcdef0)));
    }

    private static byte[] withInterp(byte[] path, long filesz) {
        ElfBuilder b = ElfBuilder.exit42();
        long off = b.dataOffset() + 56;
        b.phdr(PT_INTERP, PF_R, off, ElfBuilder.BASE + off, filesz, filesz, 1);
        b.append(path);
        return b.build();
    }

    @Test
    void interpreterPathNotNulTerminated() throws Exception {
        byte[] p = b("/lib64/ld-linux-x86-64.so.2");
        refused(withInterp(p, p.length), Errno.ENOEXEC, false, "not NUL-terminated");
    }

    @Test
    void interpreterPathTooLongOrTooShort() throws Exception {
        byte[] p = new byte[5000];
        Arrays.fill(p, 0, 4999, (byte) 'a');
        p[0] = '/';
        refused(withInterp(p, p.length), Errno.ENOEXEC, false, "longer than PATH_MAX");
        refused(withInterp(new byte[] {0}, 1), Errno.ENOEXEC, false, "too short");
    }

    @Test
    void interpreterPathOutsideTheFile() throws Exception {
        ElfBuilder b = ElfBuilder.exit42();
        b.phdr(PT_INTERP, PF_R, 1 << 20, 0, 28, 28, 1);
        refused(b.build(), Errno.EIO, false, "PT_INTERP outside the file");
    }

    @Test
    void missingInterpreter() throws Exception {
        refused(withInterp(b("/nonexistent/ld-linux.so\0"), 25), Errno.ENOENT, false, "cannot open interpreter");
    }

    @Test
    void interpreterNotElf() throws Exception {
        assumeTrue(NativeOracle.available());
        Path text = Files.createTempFile(NativeOracle.dir(), "interp", "");
        Files.writeString(text, "this is not an ELF interpreter, just text padded out to more than 64 bytes\n");
        text.toFile().setExecutable(true); // open_exec() wants execute permission
        byte[] path = b(text + "\0");
        refused(withInterp(path, path.length), Errno.ELIBBAD, false, "is not an ELF file");
        Files.write(text, patch(ElfBuilder.exit42().build(), 18, ElfMachine.EM_AARCH64, 2));
        refused(withInterp(path, path.length), Errno.ELIBBAD, false, "another machine (AArch64)");
    }

    @Test
    void argumentListTooLong() {
        List<byte[]> many = new ArrayList<>(Collections.nCopies(70_000, b("0123456789012345678901234567890")));
        ExecException e = org.assertj.core.api.Assertions.catchThrowableOfType(ExecException.class,
                () -> ElfLoader.load(new AddressSpace(), new MemoryImageFile("/p", b("not even ELF")), NO_FILES,
                        params(many, strings(), "p")));
        assertThat(e.errno()).isEqualTo(Errno.E2BIG); // E2BIG is found before the file is looked at
        byte[] longest = new byte[131071];
        Arrays.fill(longest, (byte) 'x');
        byte[] tooLong = new byte[131072];
        Arrays.fill(tooLong, (byte) 'x');
        org.assertj.core.api.Assertions.assertThatCode(() -> ElfLoader.load(new AddressSpace(),
                new MemoryImageFile("/p", ElfBuilder.exit42().build()), NO_FILES, params(List.of(longest), strings(), "p")))
                .doesNotThrowAnyException();
        e = org.assertj.core.api.Assertions.catchThrowableOfType(ExecException.class,
                () -> ElfLoader.load(new AddressSpace(), new MemoryImageFile("/p", ElfBuilder.exit42().build()), NO_FILES,
                        params(strings("p"), List.of(tooLong), "p")));
        assertThat(e.errno()).isEqualTo(Errno.E2BIG);
    }
}
