package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamically linked programs of the host (glibc's ld.so loading libc and friends through
 * openat, mmap of files, mprotect for RELRO) and the C programs under src/test/guest/programs
 * built with plain dynamic {@code gcc}: natively and under linux4j in every execution mode,
 * stdout, stderr and exit status must be identical.
 */
class DynamicProgramTest {
    @TempDir
    static Path fixture;

    /** A directory whose listing does not depend on when or by whom the test runs. */
    static Path fixture() throws IOException {
        Path dir = fixture.resolve("listing");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.resolve("sub"));
            Files.writeString(dir.resolve("alpha.txt"), "alpha\nbeta\ngamma\n");
            Files.writeString(dir.resolve("numbers"), "3\n1\n2\n10\n");
            Files.write(dir.resolve("blob.bin"), new byte[5000]);
            Files.createSymbolicLink(dir.resolve("link"), Path.of("alpha.txt"));
            long t = Instant.parse("2021-03-04T05:06:07Z").getEpochSecond();
            for (String name : List.of("alpha.txt", "numbers", "blob.bin", "sub", ".")) {
                Files.setLastModifiedTime(dir.resolve(name), FileTime.from(Instant.ofEpochSecond(t)));
                t += 3600;
            }
        }
        return dir;
    }

    /** Host programs and their arguments; {@code @F} stands for the fixture directory. */
    static final List<List<String>> HOST_PROGRAMS = List.of(
            List.of("/usr/bin/python3", "-c", "import hashlib, json, math, re; "
                    + "print(hashlib.sha256(b'linux4j').hexdigest(), json.dumps({'a': [1, 2.5, None]}), "
                    + "math.sqrt(2), re.sub(r'(\\w+)@', r'<\\1>', 'x@y z@w'))"),
            List.of("/usr/bin/python3", "-c", "print(sum(i * i for i in range(1000)))"),
            List.of("/bin/ls", "-l", "@F"),
            List.of("/bin/ls", "-la", "--time-style=full-iso", "@F"),
            List.of("/usr/bin/sha256sum", "@F/alpha.txt", "@F/blob.bin"),
            List.of("/usr/bin/sort", "-n", "@F/numbers"),
            List.of("/bin/grep", "-n", "a$", "@F/alpha.txt"),
            List.of("/usr/bin/awk", "{ s += $1 } END { print s, NR }", "@F/numbers"),
            List.of("/bin/sed", "-e", "s/a/A/g", "-e", "2d", "@F/alpha.txt"),
            List.of("/bin/date", "-u", "-d", "@1000000000"),
            List.of("/bin/cat", "@F/alpha.txt", "@F/numbers"),
            List.of("/usr/bin/wc", "@F/alpha.txt", "@F/numbers", "@F/blob.bin"),
            List.of("/bin/bash", "-c", "echo hi; x=6; echo $((x * 7)); printf '%s-%d\\n' a 5"));

    @TestFactory
    Stream<DynamicNode> hostPrograms() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (List<String> argv : HOST_PROGRAMS) {
            List<DynamicNode> perMode = new ArrayList<>();
            for (GuestRun.Mode mode : GuestRun.Mode.values()) {
                perMode.add(DynamicTest.dynamicTest(mode.name().toLowerCase(), () -> {
                    assumeTrue(Files.isExecutable(Path.of(argv.get(0))), argv.get(0) + " is not installed");
                    String dir = fixture().toString();
                    List<String> args = argv.stream().map(a -> a.replace("@F", dir)).toList();
                    GuestRun.of(args).cwd(fixture()).assertSame(mode);
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(String.join(" ", argv), perMode));
        }
        return nodes.stream();
    }

    @TestFactory
    Stream<DynamicNode> dynamicallyLinkedCPrograms() throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.list(GuestProgramTest.GUEST.resolve("programs"))) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path src : sources) {
            List<DynamicNode> perMode = new ArrayList<>();
            for (GuestRun.Mode mode : GuestRun.Mode.values()) {
                perMode.add(DynamicTest.dynamicTest(mode.name().toLowerCase(), () -> {
                    assumeTrue(Toolchain.Variant.GLIBC_DYNAMIC.available(), "gcc is not installed");
                    Path bin = Toolchain.compile(src, Toolchain.Variant.GLIBC_DYNAMIC);
                    GuestRun.of(bin.toString()).assertSame(mode);
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(src.getFileName().toString(), perMode));
        }
        return nodes.stream();
    }
}
