package dev.linux4j.guest;

import dev.linux4j.cli.Machine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one program natively and under linux4j with the same arguments, environment, working
 * directory and stdin, and captures what each printed and how it exited. Linux is the oracle:
 * {@link #assertSame} compares the two byte for byte.
 */
public final class GuestRun {
    /** What a run produced. */
    public record Outcome(byte[] stdout, byte[] stderr, int status) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String err() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "status " + status + "\n--- stdout ---\n" + clip(out()) + "\n--- stderr ---\n" + clip(err());
        }

        private static String clip(String s) {
            return s.length() > 4000 ? s.substring(0, 4000) + "\n...(" + s.length() + " chars)" : s;
        }
    }

    /** How linux4j executes guest code; every guest test runs in every mode. */
    public enum Mode {
        /** --jit=off */
        INTERPRETER(Machine.Jit.OFF),
        /**
         * The JIT as users run it (--jit=on: hot code is translated). Small test programs ask for
         * {@link GuestRun#eagerJit()} so every block they execute is translated (--jit=always).
         */
        JIT(Machine.Jit.ON);

        final Machine.Jit jit;

        Mode(Machine.Jit jit) {
            this.jit = jit;
        }
    }

    /**
     * The environment both sides get: small and fixed, so output cannot depend on the host's.
     * LINUX4J_ORACLE_CPU tells a test program the vendor of the processor its native run is on
     * (src/test/guest/oracle.h).
     */
    public static final Map<String, String> ENV = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LC_ALL", "C",
            "TZ", "UTC", "HOME", "/root", "TERM", "dumb", "LINUX4J_ORACLE_CPU", hostCpuVendor());

    /** The host processor's CPUID vendor string, from /proc/cpuinfo's vendor_id ("unknown" if none). */
    static String hostCpuVendor() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("vendor_id"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    private final List<String> argv;
    private Map<String, String> env = ENV;
    private Path cwd = Path.of("/tmp");
    private byte[] stdin = new byte[0];
    private long timeoutSeconds = 120;
    private boolean eagerJit;

    private GuestRun(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    public static GuestRun of(String... argv) {
        return new GuestRun(List.of(argv));
    }

    public static GuestRun of(List<String> argv) {
        return new GuestRun(argv);
    }

    public GuestRun env(Map<String, String> env) {
        this.env = env;
        return this;
    }

    public GuestRun cwd(Path dir) {
        this.cwd = dir.toAbsolutePath();
        return this;
    }

    public GuestRun stdin(String text) {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public GuestRun stdin(byte[] bytes) {
        this.stdin = bytes.clone();
        return this;
    }

    /**
     * In {@link Mode#JIT}, translate every block before it first runs (--jit=always), so even
     * code executed once goes through the JIT: for instruction and syscall test programs, which
     * are small. Large programs (compilers, interpreters) use the default hot-code threshold.
     */
    public GuestRun eagerJit() {
        this.eagerJit = true;
        return this;
    }

    public GuestRun timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** Runs on the host kernel and CPU. */
    public Outcome runNative() {
        try {
            // env(1) execs the program with exactly this environment, in this (sorted) order:
            // the same order linux4j's run gets, so a program printing environ matches; and with
            // every signal at its default, as the guest starts here (a test run started as a
            // background job of a script inherits SIGINT ignored: fork_wait's child never died).
            List<String> command = new ArrayList<>(List.of("/usr/bin/env", "-i", "--default-signal"));
            new TreeMap<>(env).forEach((k, v) -> command.add(k + "=" + v));
            command.addAll(argv);
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the program did not read all of its input
            }
            var out = drain(p.getInputStream());
            var err = drain(p.getErrorStream());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("native run timed out: " + argv);
            }
            int status = p.exitValue();
            return new Outcome(out.get(), err.get(), status);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs under linux4j, in this JVM, in the given mode. */
    public Outcome runLinux4j(Mode mode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin);
        Machine.Jit jit = mode == Mode.JIT && eagerJit ? Machine.Jit.ALWAYS : mode.jit;
        Machine machine = Machine.builder().cwd(cwd.toString()).hostname(hostname()).jit(jit).build();
        int[] status = {-1};
        Throwable[] failure = {null};
        Thread t = new Thread(() -> {
            try {
                status[0] = machine.run(argv, new TreeMap<>(env), in, out, err);
            } catch (Machine.ExecFailure e) {
                err.writeBytes(("linux4j: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                status[0] = e.status();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "guest " + argv.get(0));
        t.setDaemon(true);
        t.start();
        try {
            t.join(TimeUnit.SECONDS.toMillis(timeoutSeconds * 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            t.interrupt();
            throw new AssertionError("linux4j run timed out: " + argv);
        }
        if (failure[0] != null) {
            throw new AssertionError("linux4j crashed running " + argv, failure[0]);
        }
        return new Outcome(out.toByteArray(), err.toByteArray(), status[0]);
    }

    /** Runs both ways and asserts stdout, stderr and status are identical. */
    public Outcome assertSame(Mode mode) {
        return assertSame(mode, true);
    }

    /** As {@link #assertSame(Mode)}; {@code compareStderr} false when stderr names the program differently. */
    public Outcome assertSame(Mode mode, boolean compareStderr) {
        Outcome expected = runNative();
        Outcome actual = runLinux4j(mode);
        List<String> diffs = new ArrayList<>();
        if (expected.status() != actual.status()) {
            diffs.add("status: native " + expected.status() + ", linux4j " + actual.status());
        }
        if (!java.util.Arrays.equals(expected.stdout(), actual.stdout())) {
            diffs.add("stdout differs");
        }
        if (compareStderr && !java.util.Arrays.equals(expected.stderr(), actual.stderr())) {
            diffs.add("stderr differs");
        }
        if (!diffs.isEmpty()) {
            throw new AssertionError(String.join("; ", diffs) + " for " + argv + "\n=== native: " + expected
                    + "\n=== linux4j: " + actual);
        }
        return actual;
    }

    private static String hostname() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private interface Drained {
        byte[] get();
    }

    private static Drained drain(InputStream s) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                s.transferTo(buf);
            } catch (IOException ignored) {
                // process gone
            }
        });
        t.setDaemon(true);
        t.start();
        return () -> {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return buf.toByteArray();
        };
    }
}
