package dev.linux4j.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real launcher {@code ./linux4j} as a user meets it: its own errors are one line on stderr
 * starting {@code linux4j: } with status 126 (cannot execute), 127 (not found) or 2 (usage),
 * never a Java stack trace; a guest's death by signal N is status 128 + N, as a shell reports it.
 */
class CliTest {
    static final Path LAUNCHER = Path.of("linux4j").toAbsolutePath();
    static final String BUSYBOX = "/bin/busybox";

    static Path tmp;

    /** What the launcher did. */
    record Result(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "status " + status + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    @BeforeAll
    static void buildOnce() throws Exception {
        tmp = Files.createTempDirectory("linux4j-cli-");
        Result help = launch("--help");
        assertThat(help.status()).as("the launcher builds and runs --help: %s", help).isZero();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (tmp != null) {
            BusyboxTest.deleteTree(tmp);
        }
    }

    /**
     * Runs {@code ./linux4j ARGS} from the project root. The launcher rebuilds its jar when the
     * sources change and says so on stderr; such a run is repeated, so only the program's own
     * behaviour is checked.
     */
    static Result launch(String... args) throws IOException, InterruptedException {
        for (int attempt = 0;; attempt++) {
            Result r = launchOnce(args);
            boolean rebuilt = r.stderr().startsWith("linux4j: building ") || r.stderr().contains("linux4j: build failed");
            if (!rebuilt || attempt == 5) {
                return r;
            }
            Thread.sleep(attempt == 0 ? 0 : 20_000);
        }
    }

    private static Result launchOnce(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    /** Runs a command from the project root, with the guest tests' environment and no input. */
    static Result exec(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(LAUNCHER.getParent().toFile());
        pb.environment().putAll(GuestRun.ENV);
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drainErr = Thread.ofVirtual().start(() -> transfer(p.getErrorStream(), err));
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        drainErr.join();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void transfer(InputStream in, OutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    /** Exactly one line on stderr, starting "linux4j: ", no stack trace, and the given status. */
    static void assertOneLineError(Result r, int status) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertThat(r.stderr()).as("stderr of %s", r).startsWith("linux4j: ").endsWith("\n");
        assertThat(r.stderr().lines().count()).as("one line in %s", r).isEqualTo(1);
        assertNoStackTrace(r);
    }

    static void assertNoStackTrace(Result r) {
        assertThat(r.stderr()).as("no Java stack trace in %s", r).doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain("internal error");
    }

    // ---- cannot find or cannot execute ---------------------------------------------------------

    /**
     * A program started with signals ignored finds them ignored, as execve keeps SIG_IGN (nohup;
     * a background job of a non-interactive shell): the standard signals the guest's
     * /proc/self/status, and a child shell's, show ignored are those they show natively.
     * Real-time signals are left out: glibc keeps 32 and 33 for itself (env cannot reset them,
     * and a JVM that inherited 33 ignored handles it), so they depend on who started the test.
     */
    /**
     * A FIFO on the host file system connects a guest and a host process, both ways: a guest
     * reading it sees what a host process writes, and a host process reads what a guest writes.
     */
    @Test
    void aHostFifoConnectsAGuestAndAHostProcess() throws Exception {
        Path fifo = tmp.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Thread hostWriter = Thread.ofVirtual().start(() -> {
            try {
                Files.writeString(fifo, "from the host\n"); // waits for the guest's reader
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Result read = launch(BUSYBOX, "cat", fifo.toString());
        unblock(fifo);
        hostWriter.join();
        assertThat(read.stdout()).as("%s", read).isEqualTo("from the host\n");
        assertThat(read.status()).isZero();

        String[] got = new String[1];
        Thread hostReader = Thread.ofVirtual().start(() -> {
            try {
                got[0] = Files.readString(fifo); // waits for the guest's writer, then its end of file
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Result write = launch(BUSYBOX, "sh", "-c", "echo from the guest > " + fifo);
        unblock(fifo);
        hostReader.join();
        assertThat(write.status()).as("%s", write).isZero();
        assertThat(got[0]).isEqualTo("from the guest\n");
    }

    /**
     * Opens and closes the FIFO for reading and writing (which never waits), so that a host
     * thread still waiting for a partner the guest failed to be gets one, and the test fails
     * instead of hanging.
     */
    private static void unblock(Path fifo) throws IOException {
        try (var partner = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
            partner.getFD().sync();
        } catch (java.io.SyncFailedException expected) {
            // a FIFO has nothing to sync: the open and close were the point
        }
    }

    @Test
    void signalsTheParentIgnoredStayIgnored() throws Exception {
        List<String> ignoring = List.of("env", "--default-signal", "--ignore-signal=HUP,INT,TERM,USR1");
        for (List<String> program : List.of(List.of(BUSYBOX, "grep", "SigIgn", "/proc/self/status"),
                List.of(BUSYBOX, "sh", "-c", "grep SigIgn /proc/self/status"))) {
            List<String> nativeCmd = new ArrayList<>(ignoring);
            nativeCmd.addAll(program);
            Result natively = exec(nativeCmd);
            List<String> guestCmd = new ArrayList<>(ignoring);
            guestCmd.add(LAUNCHER.toString());
            guestCmd.addAll(program);
            Result emulated = exec(guestCmd);
            long expected = standardSignals(natively);
            assertThat(expected).as("natively: %s", natively).isIn(0x4203L, 0x4207L);
            assertThat(standardSignals(emulated)).as("under linux4j: %s", emulated).isEqualTo(expected);
            assertThat(emulated.status()).isEqualTo(natively.status());
        }
    }

    /** Signals 1-31 of the SigIgn line a program printed. */
    private static long standardSignals(Result r) {
        assertThat(r.stdout()).as("%s", r).matches("SigIgn:\t\\p{XDigit}{16}\n");
        return Long.parseUnsignedLong(r.stdout().substring("SigIgn:".length()).trim(), 16) & 0x7fff_ffffL;
    }

    @Test
    void missingFileIs127() throws Exception {
        Result r = launch(tmp.resolve("no-such-program").toString());
        assertOneLineError(r, 127);
        assertThat(r.stderr()).contains("no-such-program");
    }

    @Test
    void directoryIs126() throws Exception {
        assertOneLineError(launch(tmp.toString()), 126);
    }

    @Test
    void fileWithoutExecutePermissionIs126() throws Exception {
        Path copy = tmp.resolve("not-executable");
        Files.copy(smallStaticBinary(), copy);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        assertOneLineError(launch(copy.toString()), 126);
    }

    @Test
    void textFileWithoutShebangIs126() throws Exception {
        Path text = executable("plain-text", "this is not a program\necho hi\n".getBytes(StandardCharsets.UTF_8));
        assertOneLineError(launch(text.toString()), 126);
    }

    @Test
    void emptyFileIs126() throws Exception {
        assertOneLineError(launch(executable("empty", new byte[0]).toString()), 126);
    }

    @Test
    void truncatedElfIs126() throws Exception {
        byte[] head = Arrays.copyOf(Files.readAllBytes(smallStaticBinary()), 100);
        assertOneLineError(launch(executable("truncated", head).toString()), 126);
    }

    @Test
    void elfClass32Is126() throws Exception {
        assertOneLineError(launch(executable("elf32", elf32()).toString()), 126);
    }

    @Test
    void aarch64ElfIs126() throws Exception {
        assertOneLineError(launch(executable("aarch64", elf64(183)).toString()), 126);
    }

    @Test
    void riscvElfIs126() throws Exception {
        assertOneLineError(launch(executable("riscv", elf64(243)).toString()), 126);
    }

    @Test
    void freeBsdBrandedElfIs126() throws Exception {
        byte[] bytes = Files.readAllBytes(smallStaticBinary());
        bytes[7] = 9; // e_ident[EI_OSABI] = ELFOSABI_FREEBSD
        assertOneLineError(launch(executable("freebsd", bytes).toString()), 126);
    }

    // ---- usage ----------------------------------------------------------------------------------

    @Test
    void unknownOptionIs2() throws Exception {
        Result r = launch("--no-such-option", BUSYBOX, "true");
        assertOneLineError(r, 2);
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void noProgramIs2() throws Exception {
        assertOneLineError(launch(), 2);
    }

    @Test
    void helpIs0() throws Exception {
        Result r = launch("--help");
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).contains("linux4j").contains("--strace");
        assertThat(r.stderr()).isEmpty();
    }

    // ---- running programs ----------------------------------------------------------------------

    @Test
    void busyboxEcho() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BUSYBOX)));
        Result r = launch(BUSYBOX, "echo", "hello");
        assertThat(r).isEqualTo(new Result(0, "hello\n", ""));
    }

    /**
     * sethostname and setdomainname rename the guest's world (uname, /proc/sys/kernel) and
     * not the host, as in a UTS namespace of its own: syscall/uts.c compares only the calls
     * that fail, as a native call that succeeds would rename this machine.
     */
    @Test
    void sethostnameRenamesTheGuestOnly() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BUSYBOX)));
        String hostBefore = Files.readString(Path.of("/proc/sys/kernel/hostname"));
        Result r = launch("--hostname", "before", BUSYBOX, "sh", "-c",
                "busybox hostname; busybox hostname l4j-renamed && busybox hostname && busybox uname -n"
                        + " && cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname"
                        + " && busybox sh -c 'busybox hostname'");
        assertThat(r).isEqualTo(new Result(0, "before\nl4j-renamed\nl4j-renamed\nl4j-renamed\n(none)\nl4j-renamed\n", ""));
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname"))).isEqualTo(hostBefore);
    }

    @Test
    void doubleDashEndsOptions() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BUSYBOX)));
        assertThat(launch("--", BUSYBOX, "echo", "--help")).isEqualTo(new Result(0, "--help\n", ""));
    }

    @Test
    void guestExitStatusIsPassedThrough() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BUSYBOX)));
        assertThat(launch(BUSYBOX, "false")).isEqualTo(new Result(1, "", ""));
        Result r = launch(BUSYBOX, "sh", "-c", "exit 42");
        assertThat(r.status()).as("%s", r).isEqualTo(42);
    }

    @Test
    void segfaultIs139() throws Exception {
        Path bin = compile("segv", """
                #include <stdio.h>
                int main(void) {
                    printf("before\\n");
                    fflush(stdout);
                    volatile int *p = 0;
                    return *p;
                }
                """);
        Result r = launch(bin.toString());
        assertThat(r.status()).as("%s", r).isEqualTo(139);
        assertThat(r.stdout()).isEqualTo("before\n");
        assertAtMostOneLinux4jLine(r);
    }

    @Test
    void abortIs134() throws Exception {
        Path bin = compile("abort", """
                #include <stdlib.h>
                int main(void) { abort(); }
                """);
        Result r = launch(bin.toString());
        assertThat(r.status()).as("%s", r).isEqualTo(134);
        assertAtMostOneLinux4jLine(r);
    }

    /**
     * An instruction linux4j does not implement (AVX's VZEROUPPER: CPUID does not offer AVX) is
     * SIGILL, as on a CPU without it, and the one line names its bytes and address.
     */
    @Test
    void unimplementedInstructionIsSigillNamingItsBytes() throws Exception {
        Path bin = compile("vzeroupper", """
                #include <stdio.h>
                __attribute__((noinline)) void avx(void) { __asm__ volatile(".byte 0xc5, 0xf8, 0x77"); }
                int main(void) {
                    printf("%lx\\n", (unsigned long) avx);
                    fflush(stdout);
                    avx();
                    return 0;
                }
                """);
        Result r = launch(bin.toString());
        assertThat(r.status()).as("%s", r).isEqualTo(128 + 4);
        long avx = Long.parseLong(r.stdout().strip(), 16);
        assertThat(r.stderr()).as("%s", r).matches("linux4j: unimplemented instruction c5f877[0-9a-f]* at 0x[0-9a-f]+\n");
        long at = Long.parseLong(r.stderr().replaceAll("(?s).* at 0x([0-9a-f]+)\n", "$1"), 16);
        assertThat(at - avx).as("%s", r).isBetween(0L, 16L);
    }

    /** A shell would say "Segmentation fault"; linux4j may say one line of its own, nothing more. */
    private static void assertAtMostOneLinux4jLine(Result r) {
        assertNoStackTrace(r);
        if (!r.stderr().isEmpty()) {
            assertThat(r.stderr()).as("%s", r).startsWith("linux4j: ").endsWith("\n");
            assertThat(r.stderr().lines().count()).as("%s", r).isEqualTo(1);
        }
    }

    @Test
    void straceWritesStraceFormatToStderr() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BUSYBOX)));
        Result r = launch("--strace", BUSYBOX, "echo", "hello");
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).isEqualTo("hello\n");
        // as strace(1) prints it: the call padded to 39 columns, then " = result"
        assertThat(r.stderr().lines()).contains("write(1, \"hello\\n\", 6)                  = 6",
                "exit_group(0)                           = ?");
        assertThat(r.stderr()).endsWith("+++ exited with 0 +++\n");
        assertNoStackTrace(r);
    }

    @Test
    void straceToFile() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BUSYBOX)));
        Path log = tmp.resolve("strace.log");
        Result r = launch("--strace=" + log, BUSYBOX, "echo", "hi");
        assertThat(r).isEqualTo(new Result(0, "hi\n", ""));
        String text = Files.readString(log);
        assertThat(text.lines()).contains("write(1, \"hi\\n\", 3)                     = 3");
        assertThat(text).endsWith("+++ exited with 0 +++\n");
    }

    @Test
    void straceShowsGuestExitStatus() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BUSYBOX)));
        Result r = launch("--strace", BUSYBOX, "false");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.stderr()).endsWith("exit_group(1)                           = ?\n+++ exited with 1 +++\n");
    }

    /**
     * The C library calls the time functions through the vDSO, where Linux answers them in user
     * mode (no system call for strace to show) unless the clock is one the vDSO does not read, a
     * CPU-time clock or an invalid one: linux4j's vDSO makes the system call, --strace shows
     * only those strace shows.
     */
    @Test
    void straceShowsTheVdsoFallbacksOnly() throws Exception {
        Path bin = compile("vdso_strace", """
                #include <stdio.h>
                #include <sys/time.h>
                #include <time.h>
                int main(void) {
                    struct timespec t;
                    struct timeval tv;
                    int a = clock_gettime(CLOCK_MONOTONIC, &t);
                    int b = gettimeofday(&tv, NULL);
                    time_t c = time(NULL);
                    int d = clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
                    int e = clock_gettime(12345, &t);
                    printf("%d %d %d %d %d\\n", a, b, c > 0, d, e);
                    return 0;
                }
                """);
        Result r = launch("--strace", bin.toString());
        assertThat(r.stdout()).isEqualTo("0 0 1 0 -1\n");
        List<String> clocks = r.stderr().lines()
                .filter(l -> l.startsWith("clock_") || l.startsWith("gettimeofday") || l.startsWith("time("))
                .map(l -> l.replaceAll("0x[0-9a-f]{6,}", "PTR").replaceAll("tv_nsec=[0-9]+", "tv_nsec=N")).toList();
        assertThat(clocks).containsExactly("clock_gettime(CLOCK_PROCESS_CPUTIME_ID, {tv_sec=0, tv_nsec=N}) = 0",
                "clock_gettime(0x3039 /* CLOCK_??? */, PTR) = -1 EINVAL (Invalid argument)");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Path executable(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static Path smallStaticBinary() throws IOException {
        return compile("hello", """
                #include <stdio.h>
                int main(void) { puts("hello"); return 0; }
                """);
    }

    private static Path compile(String name, String source) throws IOException {
        assumeTrue(Toolchain.Variant.GLIBC_STATIC.available(), "gcc is not installed");
        Path src = tmp.resolve(name + ".c");
        Files.writeString(src, source);
        return Toolchain.compile(src, Toolchain.Variant.GLIBC_STATIC);
    }

    /** A minimal Elf64_Ehdr + one PT_LOAD Elf64_Phdr for {@code machine} (gABI, "ELF Header"). */
    static byte[] elf64(int machine) {
        ByteBuffer b = ByteBuffer.allocate(64 + 56 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
        b.putShort((short) 2).putShort((short) machine).putInt(1); // ET_EXEC, e_machine, EV_CURRENT
        b.putLong(0x400078).putLong(64).putLong(0).putInt(0); // e_entry, e_phoff, e_shoff, e_flags
        b.putShort((short) 64).putShort((short) 56).putShort((short) 1); // e_ehsize, e_phentsize, e_phnum
        b.putShort((short) 64).putShort((short) 0).putShort((short) 0); // e_shentsize, e_shnum, e_shstrndx
        b.putInt(1).putInt(5).putLong(0).putLong(0x400000).putLong(0x400000); // PT_LOAD R+X, offset, vaddr, paddr
        b.putLong(136).putLong(136).putLong(0x1000); // filesz, memsz, align
        return b.array();
    }

    /** A minimal Elf32_Ehdr (ELFCLASS32, EM_386) + one PT_LOAD Elf32_Phdr. */
    static byte[] elf32() {
        ByteBuffer b = ByteBuffer.allocate(52 + 32 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0}).put(new byte[8]);
        b.putShort((short) 2).putShort((short) 3).putInt(1); // ET_EXEC, EM_386, EV_CURRENT
        b.putInt(0x08048054).putInt(52).putInt(0).putInt(0); // e_entry, e_phoff, e_shoff, e_flags
        b.putShort((short) 52).putShort((short) 32).putShort((short) 1);
        b.putShort((short) 40).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(0).putInt(0x08048000).putInt(0x08048000); // PT_LOAD, offset, vaddr, paddr
        b.putInt(100).putInt(100).putInt(5).putInt(0x1000); // filesz, memsz, flags, align
        return b.array();
    }
}
