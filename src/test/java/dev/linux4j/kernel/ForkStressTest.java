package dev.linux4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linux4j.guest.GuestRun;
import dev.linux4j.guest.Toolchain;
import dev.linux4j.memory.PagePool;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: a guest that forks 1,000 short-lived children and reaps them gives native's output,
 * and afterwards the JVM has neither more threads nor more guest memory frames in use than
 * before (every child's Java thread ended and its address space was freed).
 */
class ForkStressTest {
    private static final Path SOURCE = Path.of("src/test/resources/dev/linux4j/kernel/fork_stress.c");

    private static long linux4jThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("linux4j"))
                .count();
    }

    @Test
    void thousandForksLeakNothing() throws InterruptedException {
        assumeTrue(Toolchain.Variant.GLIBC_STATIC.available(), "gcc is not installed");
        Path bin = Toolchain.compile(SOURCE, Toolchain.Variant.GLIBC_STATIC);
        GuestRun run = GuestRun.of(bin.toString()).timeout(300);
        // Warm up once in every mode so class loading and JIT-held state (the translator's one
        // thread) do not count as leaks.
        for (GuestRun.Mode mode : GuestRun.Mode.values()) {
            run.assertSame(mode);
        }
        long framesBefore = PagePool.shared().framesInUse();
        long threadsBefore = linux4jThreads();
        for (GuestRun.Mode mode : GuestRun.Mode.values()) {
            GuestRun.Outcome out = run.assertSame(mode);
            assertThat(out.out()).isEqualTo("reaped 1000 children, status sum 2997\n");
        }
        for (int i = 0; i < 50 && linux4jThreads() > threadsBefore; i++) {
            Thread.sleep(100); // threads of reaped children finish their last steps
        }
        assertThat(linux4jThreads()).as("JVM threads after 2,000 forks").isLessThanOrEqualTo(threadsBefore);
        assertThat(PagePool.shared().framesInUse()).as("guest frames after 2,000 forks").isEqualTo(framesBefore);
    }
}
