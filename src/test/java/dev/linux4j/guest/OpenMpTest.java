package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@code gcc -fopenmp} program (libgomp's thread pool: clone, futex waits and wakes, spinning
 * on shared flags, sched_getaffinity for the default team size) run natively and under linux4j
 * in every execution mode, built static and dynamic. glibc only: musl has no libgomp, which is
 * also why the source lives outside src/test/guest (GuestProgramTest builds those with musl too).
 */
class OpenMpTest {
    private static final Path SOURCE = Path.of("src/test/resources/dev/linux4j/guest/openmp.c");

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    void staticGlibc(GuestRun.Mode mode) {
        run(Toolchain.Variant.GLIBC_STATIC, mode);
    }

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    void dynamicGlibc(GuestRun.Mode mode) {
        run(Toolchain.Variant.GLIBC_DYNAMIC, mode);
    }

    private static void run(Toolchain.Variant variant, GuestRun.Mode mode) {
        assumeTrue(variant.available(), variant.compiler + " is not installed");
        assumeTrue(hasLibgomp(), "libgomp is not installed");
        Path bin = Toolchain.compile(SOURCE, variant, "-fopenmp");
        GuestRun.of(bin.toString()).timeout(120).assertSame(mode);
    }

    /** gcc's own libgomp (Debian ships libgomp.a and the libgomp.so link in the gcc package). */
    private static boolean hasLibgomp() {
        try {
            Process p = new ProcessBuilder("gcc", "-print-file-name=libgomp.a").redirectErrorStream(true).start();
            String path = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && Files.isRegularFile(Path.of(path));
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
