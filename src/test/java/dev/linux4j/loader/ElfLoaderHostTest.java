package dev.linux4j.loader;

import static dev.linux4j.elf.Auxv.*;
import static dev.linux4j.loader.LoaderTesting.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linux4j.elf.Elf;
import dev.linux4j.elf.ProgramHeader;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.Vma;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real binaries compiled at test time, loaded by linux4j and run natively under
 * {@code setarch x86_64 -R} (no randomisation): mappings, brk, auxv and the initial stack must
 * agree with the host kernel's, the vDSO's mappings and AT_SYSINFO_EHDR included.
 */
class ElfLoaderHostTest {
    private static final List<String> ARGS = List.of("x", "yy");
    private static final List<String> ENV = List.of("A=1", "BB=22");

    @BeforeAll
    static void hostIsTheOracle() {
        assumeTrue(NativeOracle.available(), "needs Linux x86-64 with gcc");
    }

    /** What the probe printed about itself. */
    record Native(long sp, List<Long> argv, List<Long> envp, long auxvAddress, Map<Long, Long> auxv, List<long[]> auxvPairs,
            byte[] stack, List<String> maps) {
        static Native parse(String out) {
            long sp = 0, auxvAddr = 0;
            List<Long> argv = new ArrayList<>(), envp = new ArrayList<>();
            Map<Long, Long> auxv = new LinkedHashMap<>();
            List<long[]> pairs = new ArrayList<>();
            byte[] stack = null;
            List<String> maps = new ArrayList<>();
            for (String line : out.split("\n")) {
                String[] w = line.split(" ", 2);
                switch (w[0]) {
                    case "SP" -> sp = Long.parseUnsignedLong(w[1], 16);
                    case "ARG" -> argv.add(Long.parseUnsignedLong(w[1], 16));
                    case "ENV" -> envp.add(Long.parseUnsignedLong(w[1], 16));
                    case "AUXV" -> auxvAddr = Long.parseUnsignedLong(w[1], 16);
                    case "AUX" -> {
                        String[] kv = w[1].split(" ");
                        long k = Long.parseUnsignedLong(kv[0]);
                        long v = Long.parseUnsignedLong(kv[1], 16);
                        auxv.put(k, v);
                        pairs.add(new long[] {k, v});
                    }
                    case "STACK" -> stack = HexFormat.of().parseHex(w[1].trim());
                    case "MAP" -> maps.add(w[1]);
                    default -> { }
                }
            }
            return new Native(sp, argv, envp, auxvAddr, auxv, pairs, stack, maps);
        }

        byte[] bytes(long addr, int len) {
            return java.util.Arrays.copyOfRange(stack, (int) (addr - sp), (int) (addr - sp) + len);
        }
    }

    private static Path compile(String name, String... command) throws Exception {
        return NativeOracle.compile("stackprobe.c", name, command);
    }

    private static Native runNative(Path binary, String... prefix) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        cmd.addAll(ENV);
        cmd.addAll(List.of("setarch", "x86_64", "-R"));
        cmd.addAll(List.of(prefix));
        cmd.add("./" + binary.getFileName());
        cmd.addAll(ARGS);
        return Native.parse(NativeOracle.run(cmd, binary.getParent()));
    }

    private static ExecParams paramsLike(Native n, String argv0, String execfn) {
        List<byte[]> argv = new ArrayList<>(strings(argv0));
        argv.addAll(strings(ARGS.toArray(String[]::new)));
        long random = n.auxv.get((long) AT_RANDOM);
        return new ExecParams(argv, strings(ENV.toArray(String[]::new)), b(execfn),
                n.auxv.get((long) AT_UID).intValue(), n.auxv.get((long) AT_EUID).intValue(),
                n.auxv.get((long) AT_GID).intValue(), n.auxv.get((long) AT_EGID).intValue(),
                n.auxv.get((long) AT_SECURE) != 0, n.bytes(random, 16), n.auxv.get((long) AT_HWCAP),
                n.auxv.get((long) AT_HWCAP2), "x86_64", n.auxv.get((long) AT_MINSIGSTKSZ));
    }

    /** Loads the binary as the kernel did for the probe and compares everything. */
    private static LoadedImage compare(Path binary) throws Exception {
        Native n = runNative(binary);
        AddressSpace space = new AddressSpace();
        String name = "./" + binary.getFileName();
        LoadedImage img = ElfLoader.load(space, HostImageFile.open(binary), HostImageFile.hostOpener(),
                paramsLike(n, name, name));

        // The strings, platform and AT_RANDOM bytes: byte for byte, at the same addresses.
        long random = n.auxv.get((long) AT_RANDOM);
        int len = (int) (InitialStack.STACK_TOP - random);
        assertThat(space.read(random, len)).isEqualTo(n.bytes(random, len));
        assertThat(img.argStart()).isEqualTo(n.argv.get(0));

        // The pointer block: argc, argv[], envp[] and auxv the same.
        assertThat(img.stackPointer()).isEqualTo(n.sp);
        assertThat(img.stackPointer() % 16).isZero();
        long sp = img.stackPointer();
        assertThat(space.read64(sp)).isEqualTo(1 + ARGS.size());
        for (int i = 0; i < n.argv.size(); i++) {
            assertThat(space.read64(sp + 8 + 8L * i)).isEqualTo(n.argv.get(i));
        }
        long envAt = sp + 8 + 8L * (n.argv.size() + 1);
        for (int i = 0; i < n.envp.size(); i++) {
            assertThat(space.read64(envAt + 8L * i)).isEqualTo(n.envp.get(i));
        }
        assertThat(img.auxvAddress()).isEqualTo(envAt + 8L * (n.envp.size() + 1));
        List<String> expectedAuxv = new ArrayList<>();
        for (long[] p : n.auxvPairs) {
            expectedAuxv.add(p[0] + "=" + Long.toHexString(p[1]));
        }
        List<String> actualAuxv = new ArrayList<>();
        for (long a = img.auxvAddress(); ; a += 16) {
            actualAuxv.add(space.read64(a) + "=" + Long.toHexString(space.read64(a + 8)));
            if (space.read64(a) == AT_NULL) {
                assertThat(a + 16 - img.auxvAddress()).isEqualTo(img.auxvLength());
                break;
            }
        }
        assertThat(actualAuxv).isEqualTo(expectedAuxv);
        assertThat(img.programEntry()).isEqualTo(n.auxv.get((long) AT_ENTRY));
        assertThat(img.phdr()).isEqualTo(n.auxv.get((long) AT_PHDR));
        assertThat(img.interpreterBase()).isEqualTo(n.auxv.get((long) AT_BASE));

        compareMappings(space, n.maps, img);
        return img;
    }

    /**
     * Every page linux4j mapped (but the stack) appears in the host's maps with the same name,
     * offset and permissions — except that the C library has since made RELRO read-only.
     */
    private static void compareMappings(AddressSpace space, List<String> nativeMaps, LoadedImage img) throws Exception {
        List<long[]> relro = new ArrayList<>();
        for (Vma v : space.vmas()) {
            if (!v.name().isEmpty() && !v.name().startsWith("[") && v.offset() == 0) {
                for (ProgramHeader ph : phdrs(Path.of(v.name()))) {
                    if (ph.type() == Elf.PT_GNU_RELRO) {
                        long base = v.start() - firstLoadPage(Path.of(v.name()));
                        relro.add(new long[] {base + ph.vaddr() & -4096L, base + ph.vaddr() + ph.memsz() & -4096L});
                    }
                }
            }
        }
        for (Vma v : space.vmas()) {
            if (v.name().equals("[stack]")) {
                assertThat(v.end()).isEqualTo(InitialStack.STACK_TOP);
                continue;
            }
            for (long page = v.start(); page < v.end(); page += 4096) {
                String line = nativeLine(nativeMaps, page);
                assertThat(line).as("page 0x%x of %s", page, v).isNotNull();
                String[] f = line.trim().split("\\s+");
                String perms = (v.prot() & 1) != 0 ? "r" : "-";
                perms += (v.prot() & 2) != 0 ? "w" : "-";
                perms += (v.prot() & 4) != 0 ? "x" : "-";
                final long p = page;
                boolean inRelro = relro.stream().anyMatch(r -> p >= r[0] && p < r[1]);
                if (inRelro && perms.equals("rw-")) {
                    assertThat(f[1]).as("permissions of RELRO page 0x%x: %s", page, line).isIn("rw-p", "r--p");
                } else {
                    assertThat(f[1]).as("permissions of page 0x%x: %s", page, line).isEqualTo(perms + "p");
                }
                String nativeName = f.length > 5 ? f[5] : "";
                assertThat(nativeName).as("name of page 0x%x", page).isEqualTo(v.name());
                if (!v.name().isEmpty()) {
                    long start = Long.parseUnsignedLong(f[0].split("-")[0], 16);
                    long offset = Long.parseUnsignedLong(f[2], 16) + (page - start);
                    assertThat(offset).as("file offset of page 0x%x", page).isEqualTo(v.offset() + (page - v.start()));
                }
            }
        }
        for (String line : nativeMaps) {
            if (line.endsWith("[heap]")) {
                assertThat(Long.parseUnsignedLong(line.split("-")[0], 16)).as("brk start").isEqualTo(img.brkStart());
            }
        }
    }

    private static String nativeLine(List<String> maps, long page) {
        for (String line : maps) {
            String[] range = line.split(" ")[0].split("-");
            if (Long.parseUnsignedLong(range[0], 16) <= page && page < Long.parseUnsignedLong(range[1], 16)) {
                return line;
            }
        }
        return null;
    }

    private static List<ProgramHeader> phdrs(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        var h = dev.linux4j.elf.ElfHeader.parse(bytes);
        return ProgramHeader.parseTable(java.util.Arrays.copyOfRange(bytes, (int) h.phoff(), (int) h.phoff() + 56 * h.phnum()),
                h.phnum());
    }

    private static long firstLoadPage(Path file) throws Exception {
        for (ProgramHeader ph : phdrs(file)) {
            if (ph.type() == Elf.PT_LOAD) {
                return ph.vaddr() & -4096L;
            }
        }
        return 0;
    }

    @Test
    void glibcStatic() throws Exception {
        Path bin = compile("probe-static", "gcc", "-static", "-O2");
        LoadedImage img = compare(bin);
        assertThat(img.interpreterPath()).isNull();
        assertThat(img.entry()).isEqualTo(img.programEntry());
        assertThat(img.executableStack()).isFalse();
    }

    @Test
    void glibcStaticPie() throws Exception {
        Path bin = compile("probe-static-pie", "gcc", "-static-pie", "-O2");
        LoadedImage img = compare(bin);
        assertThat(img.brkStart()).isEqualTo(0x555555555000L);
        assertThat(img.phdr() & -4096L).isLessThan(AddressSpace.DEFAULT_MMAP_BASE);
    }

    @Test
    void muslStatic() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/musl-gcc")), "needs musl-gcc");
        Path bin = compile("probe-musl", "musl-gcc", "-static", "-O2");
        compare(bin);
    }

    @Test
    void glibcDynamicPie() throws Exception {
        Path bin = compile("probe-dynamic", "gcc", "-O2");
        LoadedImage img = compare(bin);
        assertThat(img.interpreterPath()).isEqualTo("/lib64/ld-linux-x86-64.so.2");
        assertThat(img.phdr()).isEqualTo(0x555555554040L);
        assertThat(img.entry()).isNotEqualTo(img.programEntry());
    }

    @Test
    void glibcDynamicNonPie() throws Exception {
        Path bin = compile("probe-dynamic-nopie", "gcc", "-O2", "-no-pie");
        compare(bin);
    }

    @Test
    void dynamicLinkerRunDirectly() throws Exception {
        // ET_DYN without PT_INTERP: top-down below mmap_base; brk at ELF_ET_DYN_BASE.
        Path bin = compile("probe-dynamic", "gcc", "-O2");
        Path ldso = Path.of("/lib64/ld-linux-x86-64.so.2");
        Native n = runNative(bin, ldso.toString());
        AddressSpace space = new AddressSpace();
        LoadedImage img = ElfLoader.load(space, HostImageFile.open(ldso), NO_FILES,
                params(strings(ldso.toString(), "./probe-dynamic", "x", "yy"), strings("A=1", "BB=22"), ldso.toString()));
        assertThat(img.brkStart()).isEqualTo(0x555555555000L);
        for (Vma v : space.vmas()) {
            if (v.name().equals(ldso.toRealPath().toString())) {
                String line = nativeLine(n.maps, v.start());
                assertThat(line).isNotNull();
                assertThat(line).contains(v.name());
                // ld.so has since split its last mapping (RELRO): compare where each mapping starts.
                assertThat(line.split("-")[0]).isEqualTo(Long.toHexString(v.start()));
                assertThat(Long.parseUnsignedLong(line.split(" ")[0].split("-")[1], 16)).isLessThanOrEqualTo(v.end());
            }
        }
        assertThat(space.vmas().stream().mapToLong(Vma::end).filter(e -> e < InitialStack.STACK_TOP - (8 << 20)).max()
                .orElseThrow()).isEqualTo(AddressSpace.DEFAULT_MMAP_BASE);
    }
}
