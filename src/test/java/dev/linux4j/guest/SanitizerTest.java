package dev.linux4j.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Programs built with gcc -fsanitize=address, or -fsanitize=thread for the tsan_ ones
 * (src/test/sanitizer/), natively and under linux4j in every mode. AddressSanitizer reserves
 * terabytes of shadow memory (MAP_NORESERVE and PROT_NONE) and reads /proc/self/maps;
 * LeakSanitizer stops every thread at exit with ptrace from a clone(CLONE_VM) tracer and reads
 * their registers; ThreadSanitizer maps its shadow at fixed addresses. Stdout and the exit status must be
 * identical, and so must the reports on stderr once process ids and addresses are blanked out.
 */
class SanitizerTest {
    static final Path SOURCES = Path.of("src/test/sanitizer");

    @TestFactory
    Stream<DynamicNode> addressSanitizerPrograms() throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.list(SOURCES)) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path src : sources) {
            List<DynamicNode> perMode = new ArrayList<>();
            for (GuestRun.Mode mode : GuestRun.Mode.values()) {
                perMode.add(DynamicTest.dynamicTest(mode.name().toLowerCase(), () -> {
                    String sanitizer = src.getFileName().toString().startsWith("tsan_") ? "thread" : "address";
                    Path bin = Toolchain.compile(src, Toolchain.Variant.GLIBC_DYNAMIC, "-fsanitize=" + sanitizer, "-g",
                            "-O1", "-pthread");
                    GuestRun run = GuestRun.of(bin.toString());
                    GuestRun.Outcome expected = run.runNative();
                    GuestRun.Outcome actual = run.runLinux4j(mode);
                    assertThat(actual.status()).as(actual.toString()).isEqualTo(expected.status());
                    assertThat(actual.out()).isEqualTo(expected.out());
                    assertThat(blank(actual.err())).isEqualTo(blank(expected.err()));
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(SOURCES.relativize(src).toString(), perMode));
        }
        return nodes.stream();
    }

    /** The report without what differs from run to run: process and thread ids, hexadecimal addresses. */
    static String blank(String report) {
        return report.replaceAll("==\\d+==", "==PID==").replaceAll("0x[0-9a-f]+", "0x?")
                .replaceAll("\\b(pid|tid)=\\d+", "$1=?");
    }
}
