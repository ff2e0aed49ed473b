package dev.linux4j.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Headers, program headers and notes of host binaries, checked against readelf's reading of them. */
class ElfParseTest {
    private static final Path LDSO = Path.of("/lib64/ld-linux-x86-64.so.2");

    private static String readelf(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("readelf", "-W"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static boolean haveReadelf() {
        return Files.isExecutable(Path.of("/usr/bin/readelf")) && Files.exists(LDSO);
    }

    @Test
    void programHeadersMatchReadelf() throws Exception {
        assumeTrue(haveReadelf());
        byte[] file = Files.readAllBytes(LDSO.toRealPath());
        ElfHeader h = ElfHeader.parse(file);
        assertThat(h.elfClass()).isEqualTo(Elf.ELFCLASS64);
        assertThat(h.type()).isEqualTo(Elf.ET_DYN);
        assertThat(h.machine()).isEqualTo(ElfMachine.EM_X86_64);
        assertThat(h.phentsize()).isEqualTo(ProgramHeader.SIZE);
        String header = readelf("-h", LDSO.toString());
        assertThat(header).contains(String.format("Entry point address:               0x%x", h.entry()));
        assertThat(header).contains("Number of program headers:         " + h.phnum());

        List<ProgramHeader> phdrs = ProgramHeader.parseTable(
                Arrays.copyOfRange(file, (int) h.phoff(), (int) h.phoff() + ProgramHeader.SIZE * h.phnum()), h.phnum());
        List<String> expected = new ArrayList<>();
        for (String line : readelf("-l", LDSO.toString()).split("\n")) {
            String t = line.trim();
            if (t.matches("^[A-Z_]+\\s+0x[0-9a-f]+ .*") || t.matches("^0x[0-9a-f]+\\s+0x.*")) {
                expected.add(t.split("\\s+")[0] + " " + t.split("\\s+")[1] + " " + t.split("\\s+")[2]);
            }
        }
        List<String> actual = new ArrayList<>();
        for (ProgramHeader ph : phdrs) {
            actual.add(ProgramHeader.typeName(ph.type()) + " " + String.format("0x%06x", ph.offset()) + " "
                    + String.format("0x%016x", ph.vaddr()));
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void notesAndBrandOfTheHostLinker() throws Exception {
        assumeTrue(haveReadelf());
        byte[] file = Files.readAllBytes(LDSO.toRealPath());
        ElfHeader h = ElfHeader.parse(file);
        List<ElfNote> notes = new ArrayList<>();
        for (ProgramHeader ph : ProgramHeader.parseTable(
                Arrays.copyOfRange(file, (int) h.phoff(), (int) h.phoff() + 56 * h.phnum()), h.phnum())) {
            if (ph.type() == Elf.PT_NOTE) {
                notes.addAll(ElfNote.parseAll(Arrays.copyOfRange(file, (int) ph.offset(), (int) (ph.offset() + ph.filesz())),
                        ph.align()));
            }
        }
        String readelfNotes = readelf("-n", LDSO.toString());
        for (ElfNote n : notes) {
            assertThat(readelfNotes).contains(n.name());
        }
        assertThat(ElfBrand.of(h, notes).linux()).isTrue();
    }

    @Test
    void brands() {
        byte[] ident = new byte[64];
        ident[0] = 0x7f;
        ident[1] = 'E';
        ident[2] = 'L';
        ident[3] = 'F';
        ident[Elf.EI_OSABI] = (byte) Elf.ELFOSABI_FREEBSD;
        assertThat(ElfBrand.of(ElfHeader.parse(ident), List.of())).isEqualTo(new ElfBrand("FreeBSD", false, null));
        ident[Elf.EI_OSABI] = 0;
        byte[] tag = {0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0};
        assertThat(ElfBrand.of(ElfHeader.parse(ident), List.of(new ElfNote("GNU", Elf.NT_GNU_ABI_TAG, tag))))
                .isEqualTo(new ElfBrand("Linux", true, "3.2.0"));
        assertThat(ElfMachine.name(ElfMachine.EM_AARCH64)).isEqualTo("AArch64");
        assertThat(ElfMachine.name(9999)).isEqualTo("machine 9999");
    }

    @Test
    void malformedNotesEndTheList() {
        byte[] seg = {4, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 1, 0, 0, 0, 'G', 'N', 'U', 0};
        assertThat(ElfNote.parseAll(seg, 4)).isEmpty();
        assertThat(ElfNote.parseAll(new byte[5], 4)).isEmpty();
    }
}
