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
}
