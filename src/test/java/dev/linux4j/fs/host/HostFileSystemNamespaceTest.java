package dev.linux4j.fs.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linux4j.abi.Stat;
import dev.linux4j.vfs.DirEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exactness of the host file system where java.nio alone would not be exact. */
class HostFileSystemNamespaceTest {
    @TempDir
    Path dir;

    /** symlink(2) stores its target byte for byte; java.nio would turn "a//b/" into "a/b". */
    @Test
    void symlinkTargetIsKeptExactly() {
        HostFileSystem fs = new HostFileSystem(dir, false);
        fs.symlink("a//b/../c/", "l");
        assertThat(fs.readlink("l")).isEqualTo("a//b/../c/");
    }

    /** "." and ".." are listed where the host's readdir puts them, with the other entries in host order. */
    @Test
    void listingFollowsTheHostOrder() throws IOException {
        Files.createFile(dir.resolve("f"));
        Files.createDirectory(dir.resolve("d"));
        Files.createSymbolicLink(dir.resolve("l"), Path.of("f"));
        HostFileSystem fs = new HostFileSystem(dir, false);
        List<String> names = new ArrayList<>();
        for (DirEntry e : fs.list("")) {
            names.add(new String(e.name(), StandardCharsets.UTF_8));
            String n = names.getLast();
            int expected = switch (n) {
                case ".", "..", "d" -> Stat.DT_DIR;
                case "f" -> Stat.DT_REG;
                default -> Stat.DT_LNK;
            };
            assertThat(e.type()).as(n).isEqualTo(expected);
        }
        assertThat(names).containsExactlyInAnyOrder(".", "..", "f", "d", "l");
        List<String> javaOrder = new ArrayList<>();
        try (var s = Files.newDirectoryStream(dir)) {
            s.forEach(p -> javaOrder.add(p.getFileName().toString()));
        }
        List<String> withoutDots = new ArrayList<>(names);
        withoutDots.removeAll(List.of(".", ".."));
        assertThat(withoutDots).isEqualTo(javaOrder);
        // ".." of the file system's root is the root itself: the guest cannot see above it.
        DirEntry dot = fs.list("").stream().filter(e -> e.name().length == 1).findFirst().orElseThrow();
        DirEntry dotdot = fs.list("").stream().filter(e -> e.name().length == 2 && e.name()[0] == '.')
                .findFirst().orElseThrow();
        assertThat(dotdot.ino()).isEqualTo(dot.ino());
    }
}
