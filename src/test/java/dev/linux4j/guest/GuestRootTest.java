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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest root and what may be seen through it: --root confines every path (escape attempts
 * through "..", absolute and relative symlinks, symlinked directories, hard links and O_PATH
 * descriptors fail exactly as in a Linux chroot), --bind mounts a host directory (read-only ones
 * give EROFS), --host-fallback looks in the host root, --fake-root shows root's ownership.
 */
class GuestRootTest {
    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {}

    static Result run(Machine.Builder builder, List<String> argv) throws Machine.ExecFailure {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = builder.cwd("/").jit(Machine.Jit.OFF).build().run(argv, new TreeMap<>(GuestRun.ENV),
                new ByteArrayInputStream(new byte[0]), out, err);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A root holding the escape program beside symlinks and links that point out of it. */
    private Path hostileTree(Path secret) throws IOException {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("sub"));
        Path outside = secret.getParent();
        Files.createSymbolicLink(root.resolve("abslink"), secret);
        Files.createSymbolicLink(root.resolve("absdotdot"), Path.of("/../../../outside/secret.txt"));
        Files.createSymbolicLink(root.resolve("rellink"), Path.of("../../outside/secret.txt"));
        Files.createSymbolicLink(root.resolve("dirlink"), outside);
        Files.createSymbolicLink(root.resolve("chain"), Path.of("dirlink"));
        Files.writeString(root.resolve("inner"), "INSIDE\n");
        Files.createLink(root.resolve("hardlink"), root.resolve("inner"));
        Path bin = Toolchain.compile(Path.of("src/test/escape/escape.c"), Toolchain.Variant.GLIBC_STATIC);
        Files.copy(bin, root.resolve("escape"), StandardCopyOption.COPY_ATTRIBUTES);
        return root;
    }

    static final String EXPECTED = """
            host path: ENOENT
            host path stat: ENOENT
            dotdot absolute: ENOENT
            dotdot relative: ENOENT
            dotdot outside: ENOENT
            absolute symlink: ENOENT
            absolute dotdot symlink: ENOENT
            relative symlink: ENOENT
            symlinked directory: ENOENT
            symlinked directory stat: ENOENT
            symlink chain: ENOENT
            hard link inside: OPENED INSIDE

            hard link out: ENOENT
            O_PATH openat dotdot: ENOENT
            O_PATH openat host path: ENOENT
            O_PATH subdir dotdot: ENOENT
            cwd after chdir ..: /
            relative after chdir: ENOENT
            chdir symlinked directory: ENOENT
            new symlink: ENOENT
            """;

    @Test
    void nothingOutsideTheRootIsReachable() throws Exception {
        assumeTrue(Toolchain.Variant.GLIBC_STATIC.available(), "gcc is not installed");
        Path secret = tmp.resolve("outside/secret.txt");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "SECRET\n");
        Path root = hostileTree(secret);
        Result r = run(Machine.builder().root(root), List.of("/escape", secret.toString()));
        assertThat(r.out()).doesNotContain("SECRET").isEqualTo(EXPECTED);
        assertThat(r.status()).isZero();
        assertThat(Files.exists(tmp.resolve("outside/made"))).isFalse();
        Path chroot = Path.of("/usr/sbin/chroot");
        if (dev.linux4j.host.HostNative.getuid() == 0 && Files.isExecutable(chroot)) {
            // Linux itself is the oracle where the test may chroot.
            GuestRun.Outcome nat = GuestRun.of(chroot.toString(), root.toString(), "/escape", secret.toString()).runNative();
            assertThat(r.out()).isEqualTo(nat.out());
        }
    }

    static final String CHROOT_EXPECTED = """
            chroot /jail: ok
            absolute in jail, host path: ENOENT
            absolute in jail, dotdot: ENOENT
            absolute in jail, root marker: OPENED GUEST ROOT
            jail symlink to host path: ENOENT
            jail marker: OPENED JAIL
            cwd left outside, host path: ENOENT
            cwd left outside, dotdot: ENOENT
            cwd left outside, root marker: OPENED GUEST ROOT
            old descriptor, host path: ENOENT
            old descriptor, dotdot: ENOENT
            old descriptor, root marker: OPENED GUEST ROOT
            fchdir old descriptor: ok
            after climbing from it, host path: ENOENT
            after climbing from it, dotdot: ENOENT
            after climbing from it, root marker: OPENED GUEST ROOT
            /proc/self/root dotdot: ENOENT
            /proc/self/root marker: OPENED JAIL
            /proc/PARENT/root host path: ENOENT
            /proc/PARENT/root dotdot: ENOENT
            /proc/PARENT/root marker: OPENED GUEST ROOT
            /proc/PARENT/cwd dotdot: ENOENT
            /proc/self/fd/DIR dotdot: ENOENT
            chroot /inner: ok
            chroot . after climbing: ok
            after double chroot, host path: ENOENT
            after double chroot, dotdot: ENOENT
            after double chroot, root marker: OPENED GUEST ROOT
            after double chroot, absolute: ENOENT
            getcwd: /
            mkdir at the top: ok
            child status 0
            """;

    /**
     * chroot(2) inside --root: a root process may climb out of a chroot of its own making, as on
     * Linux (the cwd or a descriptor left outside, a second chroot, /proc/PID/root of an
     * unconfined process), but every climb ends at the guest root: the host's files stay out of
     * reach. (Natively the same program escapes a chroot(1) to the host root, so Linux cannot be
     * the oracle here; the expectation is the guest root's marker file and ENOENT for the secret.)
     */
    @Test
    void chrootInsideTheRootCannotClimbAboveIt() throws Exception {
        assumeTrue(Toolchain.Variant.GLIBC_STATIC.available(), "gcc is not installed");
        Path secret = tmp.resolve("outside/secret.txt");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "SECRET\n");
        Path root = tmp.resolve("chroot-root");
        Files.createDirectories(root.resolve("jail"));
        Files.writeString(root.resolve("marker.txt"), "GUEST ROOT\n");
        Files.writeString(root.resolve("jail/marker.txt"), "JAIL\n");
        Files.createSymbolicLink(root.resolve("jail/hostlink"), secret);
        Path bin = Toolchain.compile(Path.of("src/test/escape/chroot_escape.c"), Toolchain.Variant.GLIBC_STATIC);
        Files.copy(bin, root.resolve("escape"), StandardCopyOption.COPY_ATTRIBUTES);
        Result r = run(Machine.builder().root(root).fakeRoot(true), List.of("/escape", secret.toString()));
        assertThat(r.out()).doesNotContain("SECRET").isEqualTo(CHROOT_EXPECTED);
        assertThat(r.status()).isZero();
        assertThat(Files.exists(tmp.resolve("made-by-escape"))).isFalse();
        assertThat(Files.exists(root.resolve("jail/inner"))).isFalse();
    }

    /** Without CAP_SYS_CHROOT (an effective uid other than 0) chroot is EPERM, after the lookup's own errors. */
    @Test
    void chrootNeedsRoot() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")));
        String script = "import os\n"
                + "if os.geteuid() == 0:\n    os.setresuid(65534, 65534, 65534)\n"
                + "for p in ['/nonexistent', '/etc/passwd', '/tmp']:\n"
                + "    try:\n        os.chroot(p)\n        print(p, 'ok')\n"
                + "    except OSError as e:\n        print(p, e.strerror)\n";
        Result r = run(Machine.builder(), List.of("/usr/bin/python3", "-c", script));
        assertThat(r.out()).isEqualTo("/nonexistent No such file or directory\n/etc/passwd Not a directory\n"
                + "/tmp Operation not permitted\n");
    }

    @Test
    void readOnlyBindMountsAreVisibleAndRefuseWrites() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")));
        Path shared = tmp.resolve("shared");
        Files.createDirectories(shared);
        Files.writeString(shared.resolve("data.txt"), "bound\n");
        String script = "import os\n"
                + "print(open('/mnt/ro/data.txt').read(), end='')\n"
                + "try:\n    open('/mnt/ro/new', 'w')\nexcept OSError as e:\n    print(e.strerror)\n"
                + "open('/mnt/rw/new', 'w').write('x')\n"
                + "print(sorted(os.listdir('/mnt/rw')))\n";
        Result r = run(Machine.builder().bind(Machine.Bind.parse(shared + ":/mnt/ro:ro"))
                .bind(Machine.Bind.parse(shared + ":/mnt/rw")), List.of("/usr/bin/python3", "-c", script));
        assertThat(r.out()).isEqualTo("bound\nRead-only file system\n['data.txt', 'new']\n");
        assertThat(Files.readString(shared.resolve("new"))).isEqualTo("x");
    }

    @Test
    void hostFallbackIsOffByDefaultAndFindsHostFilesWhenOn() throws Exception {
        assumeTrue(Toolchain.Variant.GLIBC_STATIC.available(), "gcc is not installed");
        Path secret = tmp.resolve("outside/secret.txt");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "SECRET\n");
        Path root = hostileTree(secret);
        Result confined = run(Machine.builder().root(root), List.of("/escape", secret.toString()));
        assertThat(confined.out()).startsWith("host path: ENOENT\n");
        Result fallback = run(Machine.builder().root(root).hostFallback(true), List.of("/escape", secret.toString()));
        assertThat(fallback.out()).startsWith("host path: OPENED SECRET\n");
        // The guest root still wins where it has the path.
        assertThat(fallback.out()).contains("hard link inside: OPENED INSIDE");
    }

    @Test
    void fakeRootSeesRootOwnershipAndRecordsChown() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")));
        Path file = tmp.resolve("owned");
        Files.writeString(file, "x");
        Object hostUid = Files.getAttribute(file, "unix:uid");
        String script = "import os\nf = '" + file + "'\n"
                + "print(os.getuid(), os.getgid(), os.stat(f).st_uid, os.stat(f).st_gid)\n"
                + "os.chown(f, 123, 456)\nst = os.stat(f)\nprint(st.st_uid, st.st_gid)\n"
                + "os.chown(f, -1, 7)\nprint(os.stat(f).st_gid)\n";
        Result r = run(Machine.builder().fakeRoot(true), List.of("/usr/bin/python3", "-c", script));
        assertThat(r.out()).isEqualTo("0 0 0 0\n123 456\n7\n");
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(hostUid);
    }

    @Test
    void bindSpecificationsParse() {
        assertThat(Machine.Bind.parse("/a:/b:ro")).isEqualTo(new Machine.Bind(Path.of("/a"), "/b", true));
        assertThat(Machine.Bind.parse("/a:/b/")).isEqualTo(new Machine.Bind(Path.of("/a"), "/b", false));
        assertThat(Machine.Bind.parse("/a")).isEqualTo(new Machine.Bind(Path.of("/a"), "/a", false));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Machine.Bind.parse("/a:b"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Machine.Bind.parse("/a:/b:rx"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Under --root, /dev/shm is a private tmpfs: writable by the guest, shared by its processes,
     * and not the host's /dev/shm (nothing outside the root is reachable).
     */
    @Test
    void privateDevShmUnderRoot() throws Exception {
        Path root = tmp.resolve("shmroot");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        String name = "linux4j-root-test-" + ProcessHandle.current().pid();
        Result r = run(Machine.builder().root(root), List.of("/bin/busybox", "sh", "-c",
                "echo shared > /dev/shm/" + name + " && /bin/busybox sh -c 'cat /dev/shm/" + name + "'"
                        + " && /bin/busybox stat -c %a /dev/shm"));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("shared\n1777\n");
        assertThat(Path.of("/dev/shm", name)).as("the host's /dev/shm").doesNotExist();
    }
}
