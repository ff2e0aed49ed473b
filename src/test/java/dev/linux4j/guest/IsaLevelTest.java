package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Programs built for x86-64-v2 ({@code -march=x86-64-v2}: POPCNT, SSSE3, SSE4.1 and SSE4.2 in
 * the compiler's own code) run as natively. The dynamic ones are also marked as needing it
 * ({@code -z x86-64-v2}), so glibc's loader checks the ISA level CPUID reports and refuses a
 * lower one ("CPU ISA level is lower than required").
 */
class IsaLevelTest {
    private static final List<String> PROGRAMS = List.of("strings.c", "intloops.c", "numerics.c", "strtod.c");

    @TestFactory
    Stream<DynamicNode> programsBuiltForX8664V2() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (String name : PROGRAMS) {
            Path src = GuestProgramTest.GUEST.resolve("programs").resolve(name);
            List<DynamicNode> runs = new ArrayList<>();
            for (Toolchain.Variant v : List.of(Toolchain.Variant.GLIBC_STATIC, Toolchain.Variant.GLIBC_DYNAMIC)) {
                for (GuestRun.Mode mode : GuestRun.Mode.values()) {
                    runs.add(DynamicTest.dynamicTest(v.name().toLowerCase() + " " + mode.name().toLowerCase(), () -> {
                        assumeTrue(v.available(), v.compiler + " is not installed");
                        Path bin = v == Toolchain.Variant.GLIBC_DYNAMIC
                                ? Toolchain.compile(src, v, "-march=x86-64-v2", "-Wl,-z,x86-64-v2")
                                : Toolchain.compile(src, v, "-march=x86-64-v2");
                        GuestRun.of(bin.toString()).assertSame(mode);
                    }));
                }
            }
            nodes.add(DynamicContainer.dynamicContainer(name, runs));
        }
        return nodes.stream();
    }
}
