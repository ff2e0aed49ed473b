package dev.linux4j.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linux4j.cli.Machine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate guest root, as Plan 9's {@code linux -r ./mroot}: the test builds a small Linux
 * userland in a temporary directory (a few of the host's dynamically linked programs, their
 * libraries found with ldd and the ELF interpreter, and static busybox), runs programs in it
 * with {@code --root}, and compares each run with the same program under the host's
 * {@code chroot DIR} — Linux is the oracle. A secret file the test creates outside the root
 * must be invisible: open and stat fail with ENOENT exactly as in the chroot, through absolute
 * paths, "..", and a symlink inside the root that points at the secret's host path.
 */
class SeparateRootTest {
    @TempDir
    static Path tmp;

    static final List<String> PROGRAMS = List.of("/bin/ls", "/usr/bin/sha256sum", "/bin/bash", "/bin/cat",
            "/usr/bin/stat", "/usr/bin/perl", "/bin/busybox");

    static final Path CHROOT = Path.of("/usr/sbin/chroot");

    private static Path root;
    private static Path secret;

    /** Builds the root once: programs, the libraries ldd names for them, /data, empty /proc and /dev. */
    static synchronized Path root() throws IOException, InterruptedException {
        if (root != null) {
            return root;
        }
        Path r = tmp.resolve("mroot");
        Path outside = tmp.resolve("outside");
        Files.createDirectories(outside);
        secret = outside.resolve("secret.txt");
        Files.writeString(secret, "TOP SECRET\n");
        for (String program : PROGRAMS) {
            Path p = Path.of(program);
            if (!Files.isExecutable(p)) {
                continue;
            }
            copyInto(r, p);
            for (Path lib : libraries(p)) {
                copyInto(r, lib);
            }
        }
        // Linux does not mount /proc and /dev in a chroot; linux4j's guest root has them. Empty
        // directories make the names in "/" the same; nothing below is compared.
        Files.createDirectories(r.resolve("proc"));
        Files.createDirectories(r.resolve("dev"));
        Path data = Files.createDirectories(r.resolve("data"));
        Files.writeString(data.resolve("hello.txt"), "hello from the guest root\n");
        Files.write(data.resolve("zeros.bin"), new byte[70000]);
        Files.writeString(data.resolve("probe.pl"), "for my $f (@ARGV) { my @s = stat $f; "
                + "print @s ? \"$f found\\n\" : \"$f: $!\\n\"; "
                + "print open(my $fh, '<', $f) ? \"$f opened\\n\" : \"$f: $!\\n\" }\n");
        Files.createSymbolicLink(data.resolve("leak"), secret);
        Files.createSymbolicLink(data.resolve("upleak"), Path.of("../../../../../../../.." + secret));
        Files.createSymbolicLink(data.resolve("hostdir"), outside);
        // A directory to chroot(2) into, with static busybox inside.
        Path jail = Files.createDirectories(r.resolve("jail/bin"));
        if (Files.isExecutable(Path.of("/bin/busybox"))) {
            Files.copy(Path.of("/bin/busybox"), jail.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.writeString(r.resolve("jail/inside.txt"), "inside the jail\n");
        Files.createSymbolicLink(r.resolve("jail/up"), Path.of("../data/hello.txt"));
        root = r;
        return r;
    }

    /** Copies a host file to the same path inside {@code r}, following symlinks (lib64's loader is one). */
    private static void copyInto(Path r, Path hostFile) throws IOException {
        Path target = r.resolve(hostFile.toString().substring(1));
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Files.copy(hostFile, target, StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static final Pattern LDD_PATH = Pattern.compile("(?:=> )?(/\\S+) \\(0x");

    /** The shared objects ldd lists for a program, the ELF interpreter included; none for a static one. */
    static List<Path> libraries(Path program) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ldd", program.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<Path> libs = new ArrayList<>();
        Matcher m = LDD_PATH.matcher(out);
        while (m.find()) {
            libs.add(Path.of(m.group(1)));
        }
        return libs;
    }

    /** argv run inside the root; {@code @S} stands for the secret's host path. */
    static final List<List<String>> CASES = List.of(
            List.of("/bin/ls", "-la", "/data", "/bin", "/lib64"),
            List.of("/bin/ls", "/", "/data/..", "/.."),
            List.of("/bin/ls", "-lL", "/data/leak", "/data/upleak", "/data/hostdir", "@S"),
            List.of("/usr/bin/sha256sum", "/data/hello.txt", "/data/zeros.bin", "@S", "/data/leak"),
            List.of("/bin/cat", "@S", "/etc/passwd", "/data/hello.txt", "/data/upleak"),
            List.of("/usr/bin/stat", "@S", "/data/leak", "/data/hostdir/secret.txt"),
            List.of("/usr/bin/stat", "-c", "%n %s %F %a %h", "/data/hello.txt", "/data/leak", "/", "/.."),
            List.of("/bin/bash", "-c", "cd /../..; pwd; echo *; test -e @S; echo $?; cat < @S; echo $?; "
                    + "cd /data/hostdir; echo $?; read x < /data/hello.txt; echo \"$x\""),
            // a script file: "perl -e" opens /dev/null, which linux4j's root has and the chroot does not
            List.of("/usr/bin/perl", "/data/probe.pl", "@S", "/data/leak", "/data/upleak", "/data/hello.txt", "../..@S"),
            List.of("/bin/busybox", "ls", "-a", "/", "/data"),
            List.of("/bin/busybox", "cat", "../../../..@S"),
            List.of("/bin/busybox", "sha256sum", "/data/hello.txt"),
            // chroot(2) inside the root: execve, absolute paths, "..", symlinks and pwd in the jail
            List.of("/bin/busybox", "chroot", "/jail", "/bin/busybox", "cat", "/inside.txt", "/../data/hello.txt",
                    "/up", "@S"),
            List.of("/bin/busybox", "chroot", "/jail", "/bin/busybox", "sh", "-c",
                    "pwd; ls -a / /..; cd ..; pwd; cd /bin/../..; pwd; ls; /bin/busybox cat ../../inside.txt up"));

    @TestFactory
    Stream<DynamicNode> programsInSeparateRoot() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (List<String> argv : CASES) {
            List<DynamicNode> perMode = new ArrayList<>();
            for (GuestRun.Mode mode : GuestRun.Mode.values()) {
                perMode.add(DynamicTest.dynamicTest(mode.name().toLowerCase(), () -> {
                    assumeTrue(Files.isExecutable(Path.of(argv.get(0))), argv.get(0) + " is not installed");
                    Path r = root();
                    List<String> args = argv.stream().map(a -> a.replace("@S", secret.toString())).toList();
                    GuestRun.Outcome guest = runInRoot(r, args, mode);
                    // Whatever the oracle: the secret's contents never reach the guest.
                    assertThat(guest.out() + guest.err()).doesNotContain("TOP SECRET");
                    assumeTrue(dev.linux4j.host.HostNative.getuid() == 0 && Files.isExecutable(CHROOT),
                            "chroot(8) needs root");
                    GuestRun.Outcome expected = runChroot(r, args);
                    assertThat(guest.status()).as("status\n=== chroot: " + expected + "\n=== linux4j: " + guest)
                            .isEqualTo(expected.status());
                    assertThat(guest.out()).as("stdout\n=== chroot: " + expected + "\n=== linux4j: " + guest)
                            .isEqualTo(expected.out());
                    assertThat(guest.err()).as("stderr\n=== chroot: " + expected + "\n=== linux4j: " + guest)
                            .isEqualTo(expected.err());
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(String.join(" ", argv), perMode));
        }
        return nodes.stream();
    }

    /** The host's chroot(8): Linux resolving every path of the program against the root. */
    static GuestRun.Outcome runChroot(Path r, List<String> argv) {
        List<String> command = new ArrayList<>(List.of(CHROOT.toString(), r.toString()));
        command.addAll(argv);
        return GuestRun.of(command).cwd(Path.of("/")).runNative();
    }

    /** linux4j with --root, cwd "/" as chroot(8) leaves it. */
    static GuestRun.Outcome runInRoot(Path r, List<String> argv, GuestRun.Mode mode) throws Machine.ExecFailure {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Machine machine = Machine.builder().root(r).cwd("/").jit(mode.jit).build();
        int status = machine.run(argv, new TreeMap<>(GuestRun.ENV), new ByteArrayInputStream(new byte[0]), out, err);
        return new GuestRun.Outcome(out.toByteArray(), err.toByteArray(), status);
    }
}
