package dev.linux4j.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 4's userland, natively and under linux4j in every mode: {@code make -j2} (jobserver,
 * recursive make, timestamps), python3's subprocess and os.fork, git init/add/commit/log, and
 * {@code gcc -O2 hello.c -o hello && ./hello} with cc1, as, collect2 and ld all emulated. Each
 * side runs in its own copy of the same directory; stdout, stderr, status and the files a run
 * produces must be identical. Also: the JVM's SIGINT, SIGTERM and SIGHUP reach the guest's
 * foreground process group.
 */
class ToolchainTest {
    @TempDir
    Path tmp;

    // ------------------------------------------------------------------ make

    static final String MAKEFILE = """
            all: out.txt sub
            a.o: a.c
            \tsleep 0.1; cat a.c > a.o
            b.o: b.c
            \tcp b.c b.o
            c.o: c.c
            \tsed s/c/C/ c.c > c.o
            out.txt: a.o b.o c.o
            \tcat a.o b.o c.o > out.txt
            sub: out.txt
            \t$(MAKE) -s -C sub
            clean:
            \trm -f *.o out.txt sub/x
            .PHONY: all sub clean
            """;

    static final String SUB_MAKEFILE = """
            all: x
            x: ../out.txt
            \ttr a-z A-Z < ../out.txt > x
            \tcat x
            """;

    static final String MAKE_SCRIPT = """
            make -s -j2 && cat out.txt
            make -j2 out.txt
            touch b.c && make -j2 out.txt
            make -s clean; ls
            make -j2 -k missing; echo "status $?"
            """;

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void makeParallel(GuestRun.Mode mode) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/make")), "make is not installed");
        sameInCopies(mode, dir -> {
            write(dir.resolve("Makefile"), MAKEFILE);
            Files.createDirectories(dir.resolve("sub"));
            write(dir.resolve("sub/Makefile"), SUB_MAKEFILE);
            write(dir.resolve("a.c"), "a\n");
            write(dir.resolve("b.c"), "b\n");
            write(dir.resolve("c.c"), "c\n");
        }, GuestRun.ENV, "/bin/sh", "-c", MAKE_SCRIPT);
    }

    // ------------------------------------------------------------------ python3

    static final String PYTHON = """
            import os, subprocess
            r = subprocess.run(["/bin/echo", "hello", "world"], capture_output=True)
            print(r.returncode, r.stdout, r.stderr)
            r = subprocess.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], capture_output=True, text=True)
            print(r.returncode, repr(r.stdout), repr(r.stderr))
            r = subprocess.run(["tr", "a-z", "A-Z"], input=b"piped input\\n", capture_output=True)
            print(r.returncode, r.stdout)
            print(subprocess.check_output("echo $((6*7)) | cat", shell=True))
            p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            out, _ = p.communicate(b"x" * 100000)
            print(len(out), p.returncode)
            try:
                subprocess.run(["/nonexistent/program"])
            except FileNotFoundError as e:
                print("FileNotFoundError", e.errno)
            pid = os.fork()
            if pid == 0:
                print("child", flush=True)
                os._exit(7)
            wpid, status = os.waitpid(pid, 0)
            print("parent", wpid == pid, os.WIFEXITED(status), os.WEXITSTATUS(status))
            pids = []
            for i in range(5):
                pid = os.fork()
                if pid == 0:
                    os._exit(i)
                pids.append(pid)
            print(sorted(os.WEXITSTATUS(os.waitpid(p, 0)[1]) for p in pids))
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                os.write(w, b"via pipe")
                os._exit(0)
            os.close(w)
            print(os.read(r, 100))
            os.waitpid(pid, 0)
            pid = os.fork()
            if pid == 0:
                os.kill(os.getpid(), 9)
            _, st = os.waitpid(pid, 0)
            print(os.WIFSIGNALED(st), os.WTERMSIG(st))
            """;

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void pythonSubprocessAndFork(GuestRun.Mode mode) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        sameInCopies(mode, dir -> {}, GuestRun.ENV, "/usr/bin/python3", "-c", PYTHON);
    }

    // ------------------------------------------------------------------ git

    static final String GIT_SCRIPT = """
            set -e
            git init -q -b main .
            echo hello > a.txt; mkdir d; echo world > d/b.txt
            git add .
            git commit -q -m first
            echo more >> a.txt
            git add a.txt
            git commit -q -m second
            git log --oneline
            git log --format='%H %an <%ae> %ad %cn %s' --date=iso-strict
            git status --short
            git cat-file -p 'HEAD^{tree}'
            git diff --stat HEAD~1
            """;

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void gitInitAddCommitLog(GuestRun.Mode mode) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "git is not installed");
        Map<String, String> env = new TreeMap<>(GuestRun.ENV);
        env.putAll(Map.of("GIT_AUTHOR_NAME", "A U Thor", "GIT_AUTHOR_EMAIL", "author@example.com",
                "GIT_COMMITTER_NAME", "C O Mitter", "GIT_COMMITTER_EMAIL", "committer@example.com",
                "GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z", "GIT_COMMITTER_DATE", "2020-01-02T00:00:00Z",
                "GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null"));
        sameInCopies(mode, dir -> {}, env, "/bin/bash", "-c", GIT_SCRIPT);
    }

    // ------------------------------------------------------------------ gcc

    static final String HELLO = """
            #include <stdio.h>
            static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
            int main(void) {
                printf("hello, world %d\\n", fib(20));
                return 3;
            }
            """;

    /** The whole driver chain emulated; the linked program is byte-identical to the native build. */
    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void gccCompilesAndLinksHello(GuestRun.Mode mode) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed");
        sameInCopies(mode, dir -> write(dir.resolve("hello.c"), HELLO), GuestRun.ENV, "/bin/bash", "-c",
                "gcc -O2 hello.c -o hello && ./hello");
    }

    // ------------------------------------------------------------------ host signals

    /** SIGINT to the JVM kills the foreground guest as Ctrl-C would: status 130. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void hostSigintKillsForegroundGuest() throws Exception {
        HostSignalRun r = HostSignalRun.start(tmp, "/bin/sh", "-c", "echo ready; exec /bin/sleep 30");
        r.send("INT");
        assertThat(r.await()).isEqualTo(130);
    }

    /** A guest blocked reading the JVM's stdin (a read in the host kernel) is interrupted too. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void hostSigintInterruptsARead() throws Exception {
        HostSignalRun r = HostSignalRun.start(tmp, true, "/bin/sh", "-c", "echo ready; exec /bin/cat");
        r.send("INT");
        assertThat(r.await()).isEqualTo(130);
    }

    /**
     * SIGTERM, SIGHUP and SIGQUIT likewise: 143, 129 and 131 (SIGQUIT, which the JVM keeps for
     * itself, through linux4j's native handler; before it, the JVM printed a thread dump and the
     * guest ran on).
     */
    @ParameterizedTest
    @EnumSource(value = HostSignal.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void hostTerminationSignals(HostSignal signal) throws Exception {
        HostSignalRun r = HostSignalRun.start(tmp, "/bin/sh", "-c", "echo ready; exec /bin/sleep 30");
        r.send(signal.name());
        assertThat(r.await()).isEqualTo(128 + signal.linuxNumber);
    }

    enum HostSignal {
        TERM(15), HUP(1), QUIT(3);

        final int linuxNumber;

        HostSignal(int n) {
            this.linuxNumber = n;
        }
    }

    /** The whole foreground group gets it: sleep dies, its shell runs its INT trap (as with Ctrl-C). */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void hostSigintReachesTheWholeForegroundGroup() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
        HostSignalRun r = HostSignalRun.start(tmp, "/bin/bash", "-c",
                "trap 'echo caught; exit 5' INT; echo ready; /bin/sleep 30; echo not reached");
        r.send("INT");
        assertThat(r.await()).isEqualTo(5);
        assertThat(r.stdout()).isEqualTo("ready\ncaught\n");
    }

    /** linux4j's command line in a JVM of its own (the test's classpath), so signals can be sent to it. */
    private record HostSignalRun(Process process, Path out) {
        static HostSignalRun start(Path dir, String... argv) throws Exception {
            return start(dir, false, argv);
        }

        /** {@code keepStdinOpen}: the guest's stdin is a pipe nobody writes to or closes. */
        static HostSignalRun start(Path dir, boolean keepStdinOpen, String... argv) throws Exception {
            // env(1) execs the JVM (same pid) with every signal at its default: a test run started
            // as a background job of a script inherits SIGINT and SIGQUIT ignored, and so would
            // the guest, as natively.
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "--default-signal",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseParallelGC", "-Xss8m", "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), "dev.linux4j.cli.Main", "--jit=off"));
            cmd.addAll(List.of(argv));
            Path out = dir.resolve("stdout-" + System.nanoTime());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(GuestRun.ENV);
            Process p = pb.start();
            if (!keepStdinOpen) {
                p.getOutputStream().close();
            }
            HostSignalRun r = new HostSignalRun(p, out);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!r.stdout().startsWith("ready\n")) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new AssertionError("guest did not start: " + r.stdout());
                }
                Thread.sleep(50);
            }
            Thread.sleep(300); // past the echo: into the sleep
            return r;
        }

        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        void send(String signal) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
        }

        /** The JVM's exit status; it must come within seconds, not after the 30 s sleep. */
        int await() throws InterruptedException {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("linux4j still running 10 s after the signal");
            }
            return process.exitValue();
        }
    }

    // ------------------------------------------------------------------ helpers

    private interface Setup {
        void populate(Path dir) throws IOException;
    }

    /**
     * Runs argv natively in one fresh directory and under linux4j in another, both populated by
     * {@code setup}, and requires the same stdout, stderr and status and the same files with the
     * same contents afterwards.
     */
    private void sameInCopies(GuestRun.Mode mode, Setup setup, Map<String, String> env, String... argv)
            throws IOException {
        Path nativeDir = Files.createDirectory(tmp.resolve("native"));
        Path guestDir = Files.createDirectory(tmp.resolve("linux4j"));
        setup.populate(nativeDir);
        setup.populate(guestDir);
        GuestRun.Outcome expected = GuestRun.of(argv).env(env).cwd(nativeDir).timeout(120).runNative();
        GuestRun.Outcome actual = GuestRun.of(argv).env(env).cwd(guestDir).timeout(120).runLinux4j(mode);
        assertThat(actual.toString()).isEqualTo(expected.toString());
        assertThat(Arrays.equals(actual.stdout(), expected.stdout())).as("stdout bytes").isTrue();
        assertThat(tree(guestDir)).isEqualTo(tree(nativeDir));
    }

    /** Every regular file under {@code dir} (but .git's index and logs, which hold times): path and contents. */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString();
                if (rel.equals(".git/index") || rel.startsWith(".git/logs/")) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(p);
                files.put(rel, bytes.length + " bytes, sha256 " + sha256(bytes));
            }
        }
        return files;
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }
}
