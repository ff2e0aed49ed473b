package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * Every C program under src/test/guest/ (instruction tests in insn/, syscall tests in syscall/,
 * whole programs in programs/), built with each toolchain variant, run natively and under
 * linux4j in every execution mode: stdout, stderr and exit status must be identical.
 * {@code -Dlinux4j.guestFilter=TEXT} keeps only the programs whose path under src/test/guest/
 * contains TEXT (for working on a few; the suite runs them all).
 */
class GuestProgramTest {
    static final Path GUEST = Path.of("src/test/guest");

    @TestFactory
    Stream<DynamicNode> guestPrograms() throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.walk(GUEST)) {
            String only = System.getProperty("linux4j.guestFilter", "");
            sources = s.filter(p -> p.toString().endsWith(".c"))
                    .filter(p -> GUEST.relativize(p).toString().contains(only))
                    .sorted().toList();
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path src : sources) {
            List<DynamicNode> perVariant = new ArrayList<>();
            for (Toolchain.Variant v : List.of(Toolchain.Variant.GLIBC_STATIC, Toolchain.Variant.MUSL_STATIC)) {
                for (GuestRun.Mode mode : GuestRun.Mode.values()) {
                    perVariant.add(DynamicTest.dynamicTest(v.name().toLowerCase() + " " + mode.name().toLowerCase(),
                            () -> {
                                assumeTrue(v.available(), v.compiler + " is not installed");
                                Path bin = Toolchain.compile(src, v);
                                GuestRun.of(bin.toString()).eagerJit().assertSame(mode);
                            }));
                }
            }
            nodes.add(DynamicContainer.dynamicContainer(GUEST.relativize(src).toString(), perVariant));
        }
        return nodes.stream();
    }
}
