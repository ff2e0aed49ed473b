package dev.linux4j.fs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.host.HostFiles;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Vfs;
import dev.linux4j.vfs.Xattrs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host files held by descriptor (an open file stays itself across rename and unlink, O_TMPFILE,
 * extended attributes) and path resolution inside a process root (chroot). The same behaviour
 * is compared with Linux by the programs in src/test/guest/vfs.
 */
class HostDescriptorTest {
    @TempDir
    Path dir;

    private FileDescription open(Vfs vfs, String guestPath, int flags) {
        Vfs.Resolved r = vfs.resolve("/", guestPath, Vfs.FOLLOW | Vfs.MAY_NOT_EXIST);
        FileOps ops = r.location().fs().open(r.location().fsPath(), flags, 0644);
        return new FileDescription(ops, flags, r.guestPath(), r.location());
    }

    @Test
    void anOpenFileSurvivesUnlinkAndFollowsRename() throws IOException {
        assumeTrue(HostFiles.available(), "the host has no descriptor calls");
        Vfs vfs = new Vfs(new HostFileSystem(dir, false));
        Files.createDirectories(dir.resolve("a"));
        FileDescription f = open(vfs, "/a/f", Fcntl.O_RDWR | Fcntl.O_CREAT);
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        f.ops().write(f, data, 0, data.length, 0);
        FileDescription d = open(vfs, "/a", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
        Files.move(dir.resolve("a"), dir.resolve("b"));
        assertThat(Vfs.whereNow(d).guestPath()).isEqualTo("/b");
        assertThat(Vfs.whereNow(f).guestPath()).isEqualTo("/b/f");
        Files.delete(dir.resolve("b/f"));
        assertThat(f.ops().stat(f).nlink()).isZero();
        assertThat(f.ops().stat(f).size()).isEqualTo(5);
        assertThat(Vfs.whereNow(f).guestPath()).isEqualTo("/a/f"); // unlinked: the name it was opened by
        FileOps again = f.ops().reopen(f, Fcntl.O_RDONLY);
        FileDescription g = new FileDescription(again, Fcntl.O_RDONLY, f.path(), f.location());
        byte[] buf = new byte[16];
        assertThat(g.ops().read(g, buf, 0, buf.length, 0)).isEqualTo(5);
        g.release();
        f.release();
        d.release();
    }

    @Test
    void tmpfileIsInvisibleUntilLinked() {
        assumeTrue(HostFiles.available(), "the host has no descriptor calls");
        HostFileSystem fs = new HostFileSystem(dir, false);
        FileOps ops = fs.openTmpfile("", Fcntl.O_RDWR, 0600);
        FileDescription t = new FileDescription(ops, Fcntl.O_RDWR | Fcntl.O_TMPFILE, "/#", null);
        assertThat(t.ops().stat(t).nlink()).isZero();
        assertThat(fs.list("")).hasSize(2); // "." and ".."
        assertThat(t.ops().linkInto(t, "named")).isTrue();
        assertThat(Files.exists(dir.resolve("named"))).isTrue();
        assertThat(t.ops().stat(t).nlink()).isEqualTo(1);
        t.release();
    }

    @Test
    void userAttributesAreTheHostFileSystems() throws IOException {
        assumeTrue(HostFiles.available(), "the host has no descriptor calls");
        Files.writeString(dir.resolve("f"), "x");
        Xattrs x = new HostFileSystem(dir, false).xattrs("f");
        try {
            x.set("user.probe", new byte[] {1}, 0);
        } catch (ErrnoException e) {
            assumeTrue(e.errno() != Errno.EOPNOTSUPP, "no user xattrs on this file system");
            throw e;
        }
        assertThat(x.get("user.probe")).containsExactly(1);
        assertThat(new String(x.list(), StandardCharsets.UTF_8)).contains("user.probe\0");
        assertThatThrownBy(() -> x.set("user.probe", new byte[0], Xattrs.XATTR_CREATE))
                .isEqualTo(ErrnoException.of(Errno.EEXIST));
        x.remove("user.probe");
        assertThatThrownBy(() -> x.get("user.probe")).isEqualTo(ErrnoException.of(Errno.ENODATA));
        assertThatThrownBy(() -> new HostFileSystem(dir, true).xattrs("f").set("user.p", new byte[0], 0))
                .isEqualTo(ErrnoException.of(Errno.EROFS));
    }

    @Test
    void aProcessRootBoundsAbsolutePathsDotdotAndSymlinks() throws IOException {
        Files.createDirectories(dir.resolve("jail/sub"));
        Files.writeString(dir.resolve("jail/in"), "in");
        Files.writeString(dir.resolve("out"), "out");
        Files.createSymbolicLink(dir.resolve("jail/sub/abs"), Path.of("/in"));
        Files.createSymbolicLink(dir.resolve("jail/sub/up"), Path.of("../../../out"));
        Vfs vfs = new Vfs(new HostFileSystem(dir, false));
        assertThat(vfs.resolve("/jail", "/", "/in", 0).guestPath()).isEqualTo("/jail/in");
        assertThat(vfs.resolve("/jail", "/", "/../../out", Vfs.MAY_NOT_EXIST).exists()).isFalse();
        assertThat(vfs.resolve("/jail", "/jail/sub", "abs", Vfs.FOLLOW).guestPath()).isEqualTo("/jail/in");
        assertThat(vfs.resolve("/jail", "/jail/sub", "up", Vfs.FOLLOW | Vfs.MAY_NOT_EXIST).guestPath())
                .isEqualTo("/jail/out");
        assertThat(vfs.resolve("/jail", "/jail", "../../../out", Vfs.MAY_NOT_EXIST).guestPath())
                .isEqualTo("/jail/out");
        // A start outside the root (a cwd left there by chroot) climbs to the guest root and no further.
        Location outside = vfs.resolve("/jail", "/", "../../out", 0).location();
        assertThat(outside.guestPath()).isEqualTo("/out");
    }

    @Test
    void pathsAreShownFromTheReadersRoot() {
        assertThat(Vfs.pathFrom("/", "/a/b", true)).isEqualTo("/a/b");
        assertThat(Vfs.pathFrom("/a", "/a/b", true)).isEqualTo("/b");
        assertThat(Vfs.pathFrom("/a", "/a", true)).isEqualTo("/");
        assertThat(Vfs.pathFrom("/a", "/ab", true)).isNull();
        assertThat(Vfs.pathFrom("/a", "/ab", false)).isEqualTo("/ab");
    }
}
