package dev.linux4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linux4j.guest.GuestRun;
import dev.linux4j.guest.Toolchain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contended thread programs of src/test/guest/threads, run again and again inside this JVM
 * (alternating static glibc and musl, interpreter and JIT): every run must print exactly what
 * the program prints natively (no lost update, no broken order), finish within its timeout (no
 * deadlock), and leave no guest thread behind.
 *
 * <p>Issue 5 asks for 200 runs of each contended program, and that is the default: 600 runs took
 * 274 s of wall time (188 s of user CPU) on the 2-core machine with a load average of 4.5 from
 * other work, so about 3 minutes on an idle one: well inside CI's 30-minute budget. The iteration counts are small but the
 * threads still contend: a start barrier puts all eight hammering threads in their loops at
 * once. {@code -Dlinux4j.threadStressRuns=N} changes the runs per program.
 */
class ThreadStressTest {
    private static final Path THREADS = Path.of("src/test/guest/threads");
    /** Runs of each program, spread evenly over the toolchain variants and execution modes. */
    private static final int RUNS = Integer.getInteger("linux4j.threadStressRuns", 200);

    private record Program(String source, List<String> args) {}

    private static final List<Program> PROGRAMS = List.of(
            new Program("mutex_counter.c", List.of("400")),
            new Program("atomics.c", List.of("400", "300")),
            new Program("sync.c", List.of()));

    @Test
    void contendedProgramsRepeatedly() {
        List<Toolchain.Variant> variants = new ArrayList<>();
        for (Toolchain.Variant v : List.of(Toolchain.Variant.GLIBC_STATIC, Toolchain.Variant.MUSL_STATIC)) {
            if (v.available()) {
                variants.add(v);
            }
        }
        assumeTrue(!variants.isEmpty(), "no C compiler for static guests");
        List<GuestRun> runs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<GuestRun.Outcome> expected = new ArrayList<>();
        for (Program p : PROGRAMS) {
            for (Toolchain.Variant v : variants) {
                List<String> argv = new ArrayList<>();
                argv.add(Toolchain.compile(THREADS.resolve(p.source()), v).toString());
                argv.addAll(p.args());
                GuestRun run = GuestRun.of(argv).timeout(30);
                runs.add(run);
                labels.add(p.source() + " " + v);
                expected.add(run.runNative());
            }
        }
        Set<Thread> before = guestThreads();
        GuestRun.Mode[] modes = GuestRun.Mode.values();
        for (int i = 0; i < RUNS * PROGRAMS.size(); i++) {
            int k = i % runs.size();
            GuestRun.Mode mode = modes[(i / runs.size()) % modes.length];
            GuestRun.Outcome got = runs.get(k).runLinux4j(mode);
            assertThat(got.out()).as("run %d of %s in %s", i, labels.get(k), mode).isEqualTo(expected.get(k).out());
            assertThat(got.status()).as("status of run %d", i).isEqualTo(expected.get(k).status());
        }
        assertThat(awaitNoNewThreads(before)).as("guest threads left running").isEmpty();
    }

    /** The Java threads running guest tasks ("linux4j tid N", "linux4j pid N"). */
    static Set<Thread> guestThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("linux4j "))
                .collect(Collectors.toSet());
    }

    /** Guest threads not in {@code before}, after giving exiting ones a moment to finish. */
    static Set<String> awaitNoNewThreads(Set<Thread> before) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            Set<Thread> now = guestThreads();
            now.removeAll(before);
            if (now.isEmpty() || System.currentTimeMillis() > deadline) {
                return now.stream().map(Thread::getName).collect(Collectors.toSet());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Set.of("interrupted");
            }
        }
    }
}
