package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Debian's static busybox, one applet per case, natively and under linux4j in every mode. Cases
 * that only read run both sides in one shared fixture directory; cases that change files run each
 * side in its own fresh, identical fixture directory, and then the two trees must be identical too
 * (names, types, permissions, sizes, contents, link targets, and the preserved fixture mtimes).
 */
class BusyboxTest {
    static final String BUSYBOX = "/bin/busybox";

    /** Fixture mtimes: fixed and long past, so ls shows a year and every run sees the same. */
    static final Instant EPOCH = Instant.parse("2021-03-04T05:06:07Z");

    /** Anything newer than this in a tree was written by the command under test. */
    static final Instant RECENT = Instant.parse("2022-01-01T00:00:00Z");

    static Path fixture;

    /** One busybox invocation: {@code args} follow "/bin/busybox"; {@code mutates} if it changes files. */
    record Case(String name, List<String> args, String stdin, boolean mutates) {}

    static Case read(String name, String... args) {
        return new Case(name, List.of(args), "", false);
    }

    static Case piped(String name, String stdin, String... args) {
        return new Case(name, List.of(args), stdin, false);
    }

    static Case write(String name, String... args) {
        return new Case(name, List.of(args), "", true);
    }

    static List<Case> cases() {
        return List.of(
                read("echo", "echo", "hello", "world", "  spaced  "),
                read("echo -n -e", "echo", "-n", "-e", "a\\tb\\nc\\0101"),
                read("printf", "printf", "%s=%d [%5.2f] %x %o %e %-4s| %c\\n", "a", "42", "3.14159", "255", "8", "12345.678", "ab", "z"),
                read("cat", "cat", "hello.txt", "lines.txt"),
                piped("cat stdin", "from stdin\nsecond\n", "cat", "-", "hello.txt"),
                read("cat missing", "cat", "hello.txt", "missing.txt"),
                read("ls -l", "ls", "-l"),
                read("ls -ln sub", "ls", "-ln", "sub"),
                read("ls -la sub", "ls", "-la", "sub"),
                read("ls -lR", "ls", "-lR", "sub"),
                read("ls -1 -t", "ls", "-1", "-t"),
                read("ls -s -S", "ls", "-s", "-S", "-1"),
                read("ls -F", "ls", "-F", "sub"),
                read("wc", "wc", "lines.txt", "hello.txt", "bin.dat"),
                piped("wc -l stdin", "a\nb\nc\n", "wc", "-l"),
                read("wc -c binary", "wc", "-c", BUSYBOX),
                read("sort", "sort", "lines.txt"),
                read("sort -n -r", "sort", "-n", "-r", "numbers.txt"),
                read("sort -t, -k2,2n", "sort", "-t", ",", "-k2,2n", "data.csv"),
                read("sort -u -f", "sort", "-u", "-f", "lines.txt", "words1.txt"),
                piped("uniq -c", "a\na\nb\nc\nc\nc\na\n", "uniq", "-c"),
                read("uniq -d on sorted", "uniq", "-d", "sorted.txt"),
                read("head", "head", "-n", "3", "lines.txt"),
                read("head -c", "head", "-c", "17", "lines.txt"),
                read("tail", "tail", "-n", "2", "lines.txt"),
                read("tail -c", "tail", "-c", "20", "lines.txt"),
                read("tail +N", "tail", "-n", "+8", "lines.txt"),
                read("cut -d -f", "cut", "-d", ",", "-f", "1,3", "data.csv"),
                read("cut -c", "cut", "-c", "2-5", "lines.txt"),
                piped("tr a-z A-Z", "Hello, World!\n", "tr", "a-z", "A-Z"),
                piped("tr -d", "the quick brown fox\n", "tr", "-d", "aeiou"),
                piped("tr -s", "aaabbbccc   d\n", "tr", "-s", "a-z "),
                read("sed s///g and d", "sed", "-e", "s/a/A/g", "-e", "2d", "lines.txt"),
                read("sed -n /re/p", "sed", "-n", "/apple/p", "lines.txt"),
                read("sed -E backrefs", "sed", "-E", "s/([a-z]+) ([a-z]+)/\\2 \\1/", "lines.txt"),
                read("sed y and line ranges", "sed", "-n", "3,5{y/abc/ABC/;p}", "lines.txt"),
                read("grep", "grep", "an", "lines.txt"),
                read("grep -c", "grep", "-c", "apple", "lines.txt"),
                read("grep -v", "grep", "-v", "an", "lines.txt"),
                read("grep -E", "grep", "-E", "^(a|b)[a-z]+ (pie|bread)$", "lines.txt"),
                read("grep -n -i", "grep", "-n", "-i", "APPLE", "lines.txt", "words1.txt"),
                read("grep no match", "grep", "zzz", "lines.txt"),
                read("grep -r", "grep", "-r", "-l", "line", "sub"),
                read("awk fields", "awk", "{ print NR \": \" NF, $1, toupper($2) }", "lines.txt"),
                read("awk -F sum printf", "awk", "-F", ",", "NR > 1 { q += $2; v += $2 * $3 } END { printf \"%d items, value %.2f, mean %8.3f\\n\", q, v, v / q }", "data.csv"),
                read("awk arithmetic (busybox awk has no math library)", "awk", "BEGIN { for (i = 1; i <= 10; i++) s += i * i; printf \"%d %d %d %d %.6f %.6f %d %s\\n\", s, 2 ^ 10, 7 % 3, int(-7 / 2), 10 / 4, -7.5 * 3 + 0.125, length(\"hello\"), substr(\"abcdef\", 2, 3) }"),
                read("awk arrays", "awk", "{ c[$1]++ } END { n = 0; for (k in c) n++; print n, c[\"apple\"], c[\"banana\"] }", "lines.txt"),
                read("awk split gsub", "awk", "BEGIN { n = split(\"a:b:c:d\", p, \":\"); s = \"hello world\"; g = gsub(/o/, \"0\", s); print n, p[3], g, s; printf \"%5.1e|%-6s|%06.2f\\n\", 12345.6789, \"ab\", 3.14159 }"),
                read("sha256sum", "sha256sum", "hello.txt", "bin.dat", "lines.txt"),
                read("md5sum", "md5sum", "hello.txt", "bin.dat"),
                read("sha1sum", "sha1sum", "hello.txt", "bin.dat"),
                read("sha512sum", "sha512sum", "bin.dat"),
                read("md5sum -c", "md5sum", "-c", "sums.md5"),
                read("md5sum -c bad", "md5sum", "-c", "bad.md5"),
                read("crc32", "crc32", "bin.dat", "lines.txt"),
                read("sha3sum", "sha3sum", "bin.dat", "lines.txt"),
                read("base64", "base64", "bin.dat"),
                read("base64 -d", "base64", "-d", "b64.txt"),
                // busybox od has no "z" (characters) suffix: -t x1z is an error there
                read("od -A x -t x1", "od", "-A", "x", "-t", "x1", "bin.dat"),
                read("od -A d -t u2", "od", "-A", "d", "-t", "u2", "bin.dat"),
                read("od -c", "od", "-c", "hello.txt"),
                read("hexdump -C", "hexdump", "-C", "bin.dat"),
                read("xxd", "xxd", "bin.dat"),
                read("gzip -c", "gzip", "-c", "lines.txt"),
                read("gzip -9 -c binary", "gzip", "-9", "-c", "bin.dat"),
                read("gunzip -c", "gunzip", "-c", "lines.gz"),
                read("bzip2 -c", "bzip2", "-c", "lines.txt"),
                read("bunzip2 -c", "bunzip2", "-c", "lines.bz2"),
                read("tar -cf -", "tar", "-cf", "-", "sub"),
                read("tar -tvf", "tar", "-tvf", "fixture.tar"),
                read("tar -xOf", "tar", "-xOf", "fixture.tar", "sub/a.txt"),
                read("readlink", "readlink", "link"),
                read("readlink -f", "readlink", "-f", "sub/deeper/../a.txt"),
                read("stat -c", "stat", "-c", "%s %F %a %n", "hello.txt", "sub", "link", "script.sh", "readonly.txt"),
                read("stat -L -c", "stat", "-L", "-c", "%s %F %h %n", "link"),
                read("du -s", "du", "-s", "sub", "bin.dat"),
                read("du -a -k", "du", "-a", "-k", "sub"),
                read("find -name", "find", ".", "-name", "*.txt"),
                read("find -type f", "find", "sub", "-type", "f"),
                read("find -type d -o -type l", "find", "sub", "-type", "d", "-o", "-type", "l"),
                read("expr arithmetic", "expr", "3", "*", "7", "+", "2"),
                read("expr string", "expr", "length", "hello"),
                read("expr false", "expr", "5", "=", "6"),
                read("seq", "seq", "1", "3", "20"),
                read("seq -w", "seq", "-w", "8", "11"),
                read("seq -s", "seq", "-s", ",", "5"),
                read("factor", "factor", "360", "1000000007", "4294967297", "18446744073709551615"),
                read("date -u -d", "date", "-u", "-d", "@1234567890", "+%Y-%m-%d %H:%M:%S %a %j"),
                read("date -d", "date", "-d", "@0", "+%s %Y %b %e %T %Z"),
                read("basename", "basename", "/a/b/c.txt", ".txt"),
                read("dirname", "dirname", "/a/b/c.txt"),
                read("cmp differ", "cmp", "hello.txt", "lines.txt"),
                read("cmp same", "cmp", "lines.txt", "lines.txt"),
                read("diff -u", "diff", "-u", "lines.txt", "lines2.txt"),
                read("dd", "dd", "if=bin.dat", "bs=16", "count=3", "skip=1"),
                read("true", "true"),
                read("false", "false"),
                read("test -f", "test", "-f", "hello.txt"),
                read("test -d fails", "test", "-d", "hello.txt"),
                read("[ -lt ]", "[", "3", "-lt", "5", "]"),
                read("[ string ]", "[", "abc", "=", "abd", "]"),
                read("env prints environ in order", "env"),
                read("env -u", "env", "-u", "TERM", "-u", "PATH", "-u", "HOME", "-u", "LC_ALL"),
                read("env -i", "env", "-i", "A=1", "B=two words"),
                read("sleep 0", "sleep", "0"),
                read("nl", "nl", "lines.txt"),
                read("rev", "rev", "lines.txt"),
                read("fold", "fold", "-w", "7", "lines.txt"),
                read("uniq -u", "uniq", "-u", "sorted.txt"),
                read("cmp -l", "cmp", "-l", "words1.txt", "words2.txt"),
                read("paste", "paste", "words1.txt", "words2.txt"),
                read("paste -s -d", "paste", "-s", "-d", ",", "words1.txt"),
                read("strings", "strings", "bin.dat"),
                read("strings -n 8 binary", "strings", "-n", "8", "sub/deeper/d.bin"),
                read("uname -s -m", "uname", "-s", "-m"),
                read("tac", "tac", "lines.txt"),
                read("expand", "expand", "tabs.txt"),
                read("realpath", "realpath", "sub/deeper/c.txt"),
                read("id -u -g", "id", "-u"),
                read("pwd", "pwd"),
                read("ls missing", "ls", "no-such-file"),
                write("cp", "cp", "hello.txt", "copy.txt"),
                write("cp -r", "cp", "-r", "sub", "subcopy"),
                write("cp -p", "cp", "-p", "lines.txt", "kept.txt"),
                write("mv", "mv", "hello.txt", "moved.txt"),
                write("mv dir", "mv", "sub", "emptydir"),
                write("rm", "rm", "hello.txt", "lines.txt"),
                write("rm -r", "rm", "-r", "sub"),
                write("rm missing", "rm", "missing.txt"),
                write("rmdir", "rmdir", "emptydir"),
                write("mkdir -p", "mkdir", "-p", "a/b/c", "sub/deeper/e"),
                write("mkdir existing", "mkdir", "sub"),
                write("ln -s", "ln", "-s", "hello.txt", "newlink"),
                write("ln hard", "ln", "hello.txt", "hardlink"),
                write("unix2dos", "unix2dos", "lines.txt"),
                write("dos2unix", "dos2unix", "crlf.txt"),
                write("dd of=", "dd", "if=bin.dat", "of=out.bin", "bs=16", "count=3", "skip=1"),
                write("dd conv=notrunc seek", "dd", "if=hello.txt", "of=lines.txt", "bs=1", "seek=4", "conv=notrunc"),
                write("touch -d", "touch", "-d", "2020-01-02 03:04:05", "hello.txt", "newfile"),
                write("chmod", "chmod", "600", "hello.txt", "sub/a.txt"),
                write("chmod -R", "chmod", "-R", "go-rwx", "sub"),
                write("truncate", "truncate", "-s", "5", "hello.txt"),
                write("tar -xf", "tar", "-xf", "fixture.tar", "-C", "emptydir"),
                write("gzip in place", "gzip", "lines.txt"),
                write("gunzip in place", "gunzip", "lines.gz"),
                write("sed -i", "sed", "-i", "s/apple/APPLE/", "lines.txt"),
                write("unlink", "unlink", "hello.txt"),
                new Case("tee", List.of("tee", "teed.txt"), "tee line 1\ntee line 2\n", true));
    }

    @BeforeAll
    static void createFixture() throws IOException, InterruptedException {
        if (Files.isExecutable(Path.of(BUSYBOX))) {
            fixture = Files.createTempDirectory("linux4j-busybox-");
            populate(fixture);
        }
    }

    @AfterAll
    static void deleteFixture() throws IOException {
        if (fixture != null) {
            deleteTree(fixture);
        }
    }

    @TestFactory
    Stream<DynamicNode> applets() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Case c : cases()) {
            List<DynamicNode> perMode = new ArrayList<>();
            for (GuestRun.Mode mode : GuestRun.Mode.values()) {
                perMode.add(DynamicTest.dynamicTest(mode.name().toLowerCase(), () -> run(c, mode)));
            }
            nodes.add(DynamicContainer.dynamicContainer(c.name() + ": busybox " + String.join(" ", c.args()), perMode));
        }
        return nodes.stream();
    }

    private static void run(Case c, GuestRun.Mode mode) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(BUSYBOX)), BUSYBOX + " is not installed (busybox-static)");
        List<String> argv = new ArrayList<>();
        argv.add(BUSYBOX);
        argv.addAll(c.args());
        if (!c.mutates()) {
            GuestRun.of(argv).eagerJit().cwd(fixture).stdin(c.stdin()).assertSame(mode);
            return;
        }
        Path nativeDir = Files.createTempDirectory("linux4j-busybox-native-");
        Path guestDir = Files.createTempDirectory("linux4j-busybox-guest-");
        try {
            populate(nativeDir);
            populate(guestDir);
            GuestRun.Outcome expected = GuestRun.of(argv).cwd(nativeDir).stdin(c.stdin()).runNative();
            GuestRun.Outcome actual = GuestRun.of(argv).eagerJit().cwd(guestDir).stdin(c.stdin()).runLinux4j(mode);
            List<String> diffs = new ArrayList<>();
            if (expected.status() != actual.status()) {
                diffs.add("status: native " + expected.status() + ", linux4j " + actual.status());
            }
            if (!Arrays.equals(expected.stdout(), actual.stdout())) {
                diffs.add("stdout differs");
            }
            if (!Arrays.equals(expected.stderr(), actual.stderr())) {
                diffs.add("stderr differs");
            }
            Map<String, String> nativeTree = describeTree(nativeDir);
            Map<String, String> guestTree = describeTree(guestDir);
            if (!nativeTree.equals(guestTree)) {
                diffs.add("resulting trees differ:\n" + treeDiff(nativeTree, guestTree));
            }
            if (!diffs.isEmpty()) {
                throw new AssertionError(String.join("; ", diffs) + " for " + argv + "\n=== native: " + expected
                        + "\n=== linux4j: " + actual);
            }
        } finally {
            deleteTree(nativeDir);
            deleteTree(guestDir);
        }
    }

    // ---- the fixture ----------------------------------------------------------------------------

    static final String LINES = """
            banana split
            apple pie
            cherry tart
            apple pie
            date loaf
            banana bread
            elderberry wine
            fig roll
            grape juice
            apple crumble
            """;

    /** Writes the fixture tree into {@code dir}: same names, bytes, modes and mtimes every time. */
    static void populate(Path dir) throws IOException, InterruptedException {
        text(dir, "hello.txt", "hello world\n");
        text(dir, "lines.txt", LINES);
        text(dir, "lines2.txt", LINES.replace("cherry tart\n", "cherry pie\n").replace("fig roll\n", "")
                + "kiwi smoothie\n");
        text(dir, "sorted.txt", "a\na\nb\nc\nc\nd\n");
        text(dir, "numbers.txt", "10\n2\n33\n-4\n5.5\n100\n0\n7\n");
        text(dir, "data.csv", "name,qty,price\nwidget,4,2.50\ngadget,10,13.25\ngizmo,1,99.99\ndoohickey,25,0.10\n");
        text(dir, "words1.txt", "apple\nbanana\ncherry\ndate\n");
        text(dir, "words2.txt", "banana\ncherry\negg\nfig\n");
        text(dir, "crlf.txt", "dos\r\nline\r\nends\r\n");
        text(dir, "tabs.txt", "a\tb\tc\n\tindented\nxxxxxxxxx\ty\n");
        Files.write(dir.resolve("bin.dat"), binaryData());
        text(dir, "b64.txt", Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(LINES.getBytes(StandardCharsets.UTF_8)) + "\n");
        text(dir, "script.sh", "#!/bin/sh\necho script\n");
        Files.setPosixFilePermissions(dir.resolve("script.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        text(dir, "readonly.txt", "read only\n");
        Files.setPosixFilePermissions(dir.resolve("readonly.txt"), PosixFilePermissions.fromString("r--r--r--"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("hello.txt"));
        Files.createDirectory(dir.resolve("emptydir"));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        text(sub, "a.txt", "first line in a\nsecond line in a\n");
        text(sub, "b.txt", "b\n");
        text(sub, "empty", "");
        Path deeper = Files.createDirectory(sub.resolve("deeper"));
        text(deeper, "c.txt", "c line\n".repeat(50));
        byte[] big = new byte[8193 + 4096 * 3];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i % 251 < 200 ? 'A' + i % 26 : i * 7);
        }
        Files.write(deeper.resolve("d.bin"), big);
        Files.createSymbolicLink(sub.resolve("dangling"), Path.of("no-such-target"));
        setTimes(sub);
        hostBusybox(dir, "lines.gz", "gzip", "-c", "lines.txt");
        hostBusybox(dir, "lines.bz2", "bzip2", "-c", "lines.txt");
        hostBusybox(dir, "fixture.tar", "tar", "-cf", "-", "sub");
        text(dir, "sums.md5", md5Line(dir, "hello.txt") + md5Line(dir, "lines.txt") + md5Line(dir, "bin.dat"));
        text(dir, "bad.md5", md5Line(dir, "hello.txt") + corrupt(md5Line(dir, "lines.txt"))
                + "0123456789abcdef0123456789abcdef  missing.txt\n");
        setTimes(dir);
    }

    private static void text(Path dir, String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** 256 byte values, two C strings, then pseudo-random bytes. */
    private static byte[] binaryData() {
        byte[] out = new byte[600];
        for (int i = 0; i < 256; i++) {
            out[i] = (byte) i;
        }
        byte[] s = "some printable strings here\0x\0another one\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, out, 256, s.length);
        long x = 88172645463325252L;
        for (int i = 256 + s.length; i < out.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out[i] = (byte) x;
        }
        return out;
    }

    private static String md5Line(Path dir, String name) throws IOException {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(Files.readAllBytes(dir.resolve(name)));
            return HexFormat.of().formatHex(d) + "  " + name + "\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String corrupt(String md5Line) {
        return (md5Line.charAt(0) == '0' ? "1" : "0") + md5Line.substring(1);
    }

    /** Runs busybox natively in {@code dir} to make a fixture file from its stdout. */
    private static void hostBusybox(Path dir, String output, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(BUSYBOX);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(dir.resolve(output).toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("fixture command failed: " + cmd);
        }
    }

    /** Gives every entry under {@code root} (itself included, links not followed) a fixed mtime. */
    private static void setTimes(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted().toList();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Path p = all.get(i);
            // distinct, and not in name order, so ls -t has something to sort
            FileTime t = FileTime.from(EPOCH.plusSeconds(3600L * ((i * 7919L) % 1000) + i));
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, t, null);
        }
    }

    // ---- comparing trees ------------------------------------------------------------------------

    /** Relative path → type, permissions, size, content digest or link target, and old mtimes. */
    static Map<String, String> describeTree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                out.put(root.relativize(p).toString(), describe(p));
            }
        }
        return out;
    }

    private static String describe(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        StringBuilder sb = new StringBuilder();
        Instant mtime = a.lastModifiedTime().toInstant();
        String when = mtime.isBefore(RECENT) ? mtime.toString() : "recent";
        if (a.isSymbolicLink()) {
            return sb.append("link -> ").append(Files.readSymbolicLink(p)).append(' ').append(when).toString();
        }
        sb.append(a.isDirectory() ? "dir " : a.isRegularFile() ? "file " : "other ");
        sb.append(PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
        sb.append(" nlink ").append(Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS));
        if (a.isRegularFile()) {
            sb.append(" size ").append(a.size()).append(" sha256 ").append(sha256(Files.readAllBytes(p)));
        }
        if (!a.isDirectory()) {
            sb.append(' ').append(when); // a directory's mtime depends on how its entries were created
        }
        return sb.toString();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String treeDiff(Map<String, String> expected, Map<String, String> actual) {
        StringBuilder sb = new StringBuilder();
        TreeMap<String, String> keys = new TreeMap<>(expected);
        keys.putAll(actual);
        for (String k : keys.keySet()) {
            String e = expected.get(k);
            String a = actual.get(k);
            if (!Objects.equals(e, a)) {
                sb.append("  ").append(k).append(": native ").append(e).append(" | linux4j ").append(a).append('\n');
            }
        }
        return sb.toString();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                dir.toFile().setWritable(true, true);
                dir.toFile().setExecutable(true, true);
                dir.toFile().setReadable(true, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
