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
            writeFixtures(dir);
            for (String name : List.of("alpha.txt", "numbers", "blob.bin", "sub", ".")) {
                Files.setLastModifiedTime(dir.resolve(name), FileTime.from(Instant.ofEpochSecond(t)));
                t += 3600;
            }
        }
        return dir;
    }

    /**
     * Inputs for jq, xz, tclsh, perl and file(1): deterministic text, JSON, a script, gzip and xz
     * data (compressed by the host's own tools, so decompression is checked against them).
     */
    private static void writeFixtures(Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        java.util.Random random = new java.util.Random(42);
        String[] words = {"linux", "java", "kernel", "page", "fault", "syscall", "mmap", "ld.so", "glibc", "x86"};
        for (int line = 0; line < 4000; line++) {
            for (int w = 0; w < 8; w++) {
                text.append(words[random.nextInt(words.length)]).append(w == 7 ? '\n' : ' ');
            }
        }
        Files.writeString(dir.resolve("words.txt"), text);
        Files.writeString(dir.resolve("data.json"), "{\"name\": \"linux4j\", \"items\": [{\"n\": 3, \"tag\": \"b\"},"
                + " {\"n\": 1.5, \"tag\": \"a\"}, {\"n\": -7, \"tag\": \"c\"}], \"ok\": true, \"none\": null}\n");
        Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hello\n");
        Files.writeString(dir.resolve("prog.tcl"), "proc fact {n} { expr {$n < 2 ? 1 : $n * [fact [expr {$n - 1}]]} }\n"
                + "puts [fact 20]\nputs [lsort -integer {5 3 11 1}]\nputs [format %.6f [expr {sqrt(2) * 4 * atan(1)}]]\n"
                + "set d [dict create b 2 a 1]\ndict for {k v} $d { puts \"$k=$v\" }\n"
                + "set f [open [lindex $argv 0]]\nset n 0\nwhile {[gets $f line] >= 0} { incr n }\nclose $f\nputs \"lines $n\"\n"
                + "puts [regsub -all {(\\w+)@(\\w+)} {a@b c@d} {\\2.\\1}]\nputs [string map {x y} xoxo]\n");
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve("words.gz")))) {
            gz.write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Path xz = Path.of("/usr/bin/xz");
        if (Files.isExecutable(xz)) {
            try {
                Process p = new ProcessBuilder(xz.toString(), "-6", "-k", "-c", dir.resolve("words.txt").toString())
                        .redirectOutput(dir.resolve("words.xz").toFile()).start();
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.createDirectories(dir.resolveSibling("work"));
    }

    /** A Python program using the C-extension modules ld.so loads at run time and /proc/self. */
    static final String PYTHON_MODULES = String.join("\n",
            "import hashlib, json, math, re, sqlite3, zlib, struct, os",
            "print(hashlib.sha256(b'linux4j').hexdigest(), hashlib.md5(b'x' * 1000).hexdigest())",
            "print(json.dumps({'a': [1, 2.5, None, True], 'b': {'c': 'd'}}, sort_keys=True))",
            "print(json.loads('[1e300, -0.0, \"\\\\u00e9\"]'))",
            "print(math.sqrt(2), math.pi, math.exp(1), math.lgamma(10.5), math.fsum([0.1] * 10), math.atan2(1, -1))",
            "print(re.sub(r'(\\w+)@(\\w+)', r'<\\2.\\1>', 'x@y z@w'), re.findall(r'\\d+', 'a1b22c333'))",
            "c = sqlite3.connect(':memory:')",
            "c.execute('create table t(k text primary key, v real)')",
            "c.executemany('insert into t values(?, ?)', [('a', 1.5), ('b', math.pi), ('c', -2)])",
            "print(c.execute('select count(*), sum(v), group_concat(k) from t').fetchall(), sqlite3.sqlite_version)",
            "print(zlib.crc32(b'linux4j'), struct.pack('<dq', 1.5, -2).hex())",
            "status = open('/proc/self/status').read().splitlines()",
            "print([l for l in status if l.startswith(('Name:', 'State:', 'Umask:'))])",
            "print(open('/proc/self/cmdline', 'rb').read().split(b'\\0')[:2], open('/proc/self/comm').read().strip())",
            "print(os.readlink('/proc/self/exe'), os.readlink('/proc/self/cwd') == os.getcwd())",
            "print(open('/proc/self/stat').read().split()[1:3], os.getpid() == int(os.readlink('/proc/self')))");

    static final String PERL_SCRIPT = String.join("\n",
            "use strict; use warnings; use POSIX qw(floor); use Digest::MD5 qw(md5_hex); use List::Util qw(sum max);",
            "my %count; open(my $fh, '<', $ARGV[0]) or die; while (<$fh>) { $count{$_}++ for split } close $fh;",
            "print join(' ', map { \"$_=$count{$_}\" } sort keys %count), \"\\n\";",
            "printf(\"%.10g %s %d %s\\n\", atan2(1, 1) * 4, floor(-2.5), sum(1 .. 100), max(3, 9, 2));",
            "print md5_hex('linux4j'), ' ', unpack('H*', pack('N n C', 0xdeadbeef, 513, 7)), \"\\n\";",
            "my $s = 'The quick brown fox'; (my $t = $s) =~ s/(\\w+)/\\u\\L$1/g; print scalar(reverse $t), \"\\n\";",
            "print join(',', sort { $a <=> $b } (10, 2, 33, 4)), ' ', sprintf('%08.3f', -3.14159), \"\\n\";");

    /** Host programs and their arguments; {@code @F} stands for the fixture directory, {@code @W} for a scratch one. */
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
            List.of("/bin/bash", "-c", "echo hi; x=6; echo $((x * 7)); printf '%s-%d\\n' a 5"),
            // coreutils
            List.of("/usr/bin/stat", "@F/alpha.txt", "@F/sub", "@F/link", "@F/blob.bin"),
            List.of("/usr/bin/stat", "-L", "-c", "%n %s %b %B %f %h %i %u %g %X %Y %Z %W", "@F/link", "@F"),
            // statfs: the fields that do not move while other processes write to the disk
            List.of("/usr/bin/stat", "-f", "-c", "%T %S %s %b %c %l", "@F"),
            List.of("/usr/bin/du", "-a", "@F"),
            List.of("/usr/bin/du", "-sb", "--apparent-size", "@F"),
            // df: the mount table is linux4j's own (the guest sees "/", "/dev", "/proc", not the
            // host's cgroup or overlay mounts) and the used/free counts move with any writer on
            // the host, so only the columns of "/" that are stable are compared.
            List.of("/bin/df", "--output=fstype,size,itotal,target", "/"),
            List.of("/usr/bin/sort", "-k2,2", "-k1,1r", "@F/words.txt"),
            List.of("/usr/bin/sha256sum", "@F/words.txt", "@F/words.gz"),
            // interpreters and tools loading shared libraries at run time
            List.of("/usr/bin/python3", "-c", PYTHON_MODULES),
            List.of("/usr/bin/perl", "-e", PERL_SCRIPT, "@F/words.txt"),
            List.of("/usr/bin/sqlite3", ":memory:", "create table t(a integer primary key, b text, c real)",
                    "insert into t(b, c) values ('x', 1.25), ('y', -3), ('z', 1e100)",
                    "select a, b, c, typeof(c) from t order by c", ".mode csv",
                    "select count(*), group_concat(b, '+'), sum(c) from t", "select printf('%.3f', 22.0 / 7)"),
            List.of("/usr/bin/sqlite3", ":memory:", ".open --new @W/t.db",
                    "create table kv(k text primary key, v integer)", "create index kv_v on kv(v)",
                    "with recursive n(i) as (select 1 union all select i + 1 from n where i < 500) "
                            + "insert into kv select 'key' || i, i * i from n",
                    "select count(*), sum(v), max(k) from kv where v % 7 = 3", "pragma integrity_check", ".schema"),
            List.of("/usr/bin/jq", "-S", ".", "@F/data.json"),
            List.of("/usr/bin/jq", "-r", "[.items[] | select(.n > 0) | .tag] | sort | join(\",\")", "@F/data.json"),
            List.of("/usr/bin/jq", "-n", "[range(0; 20) | . * . ] | add, (1 / 3), ([3, 1, 2] | sort)"),
            List.of("/usr/bin/xz", "-6", "-c", "@F/words.txt"),
            List.of("/usr/bin/xz", "-d", "-c", "@F/words.xz"),
            List.of("/usr/bin/xz", "-l", "@F/words.xz"),
            List.of("/usr/bin/mawk", "{ for (i = 1; i <= NF; i++) n[$i]++ } END { for (w in n) s += n[w]; "
                    + "printf \"%d %d %.4f %s\\n\", NR, s, s / NR, toupper(\"x\" substr($0, 2, 3)) }", "@F/words.txt"),
            List.of("/usr/bin/tclsh", "@F/prog.tcl", "@F/words.txt"),
            List.of("/usr/bin/file", "@F/alpha.txt", "@F/blob.bin", "@F/data.json", "@F/script.sh", "@F/words.gz",
                    "@F/words.xz", "@F/sub", "@F/link", "/bin/ls"),
            List.of("/usr/bin/file", "-i", "-L", "@F/link", "@F/words.gz", "@F/data.json"),
            // util-linux's scheduling tools: ioprio_set/get, sched_setattr/getattr, personality
            List.of("/usr/bin/ionice", "-c2", "-n5", "/usr/bin/ionice"),
            List.of("/usr/bin/ionice", "-c3", "/bin/sh", "-c", "ionice -p $$; ionice -c2 -n1 -p $$; ionice -p $$"),
            List.of("/usr/bin/chrt", "-R", "-f", "3", "/bin/sh", "-c",
                    "chrt -p $$ | cut -d: -f2; chrt -b -p 0 $$; chrt -p $$ | cut -d: -f2; chrt -m"),
            List.of("/usr/bin/setarch", "i386", "-R", "/bin/uname", "-m"),
            List.of("/usr/bin/setarch", "--uname-2.6", "/bin/sh", "-c", "uname -r | cut -c1-4; uname -m"),
            // procps's vmstat needs /proc/vmstat; the values differ from the host's, the layout must not
            List.of("/bin/sh", "-c", "vmstat 1 1 | head -2; vmstat -s | wc -l; cat /proc/execdomains; "
                    + "head -1 /proc/partitions"));

    @TestFactory
    Stream<DynamicNode> hostPrograms() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (List<String> argv : HOST_PROGRAMS) {
            List<DynamicNode> perMode = new ArrayList<>();
            for (GuestRun.Mode mode : GuestRun.Mode.values()) {
                perMode.add(DynamicTest.dynamicTest(mode.name().toLowerCase(), () -> {
                    assumeTrue(Files.isExecutable(Path.of(argv.get(0))), argv.get(0) + " is not installed");
                    String dir = fixture().toString();
                    String work = fixture().resolveSibling("work").toString();
                    List<String> args = argv.stream().map(a -> a.replace("@F", dir).replace("@W", work)).toList();
                    GuestRun.of(args).cwd(fixture()).assertSame(mode);
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(String.join(" ", argv), perMode));
        }
        return nodes.stream();
    }

    /**
     * cp -a natively and under linux4j from the same tree (hard link, symlinks, a FIFO, a sparse
     * file, a private directory, nanosecond times): the two copies must be identical in type,
     * mode, size, link count, mtime, link target, st_blocks and contents.
     */
    @TestFactory
    Stream<DynamicNode> cpArchive() {
        return Stream.of(GuestRun.Mode.values()).map(mode -> DynamicTest.dynamicTest(mode.name().toLowerCase(), () -> {
            Path base = fixture.resolve("cp-" + mode.name().toLowerCase());
            Path src = base.resolve("src");
            Files.createDirectories(src.resolve("sub/deep"));
            Files.writeString(src.resolve("sub/deep/f"), "deep\n");
            Files.writeString(src.resolve("a"), "a\n");
            Files.createLink(src.resolve("hard"), src.resolve("a"));
            Files.createSymbolicLink(src.resolve("sym"), Path.of("a"));
            Files.createSymbolicLink(src.resolve("dangling"), Path.of("/nonexistent/x"));
            Files.write(src.resolve("big"), new java.util.Random(7).ints(300_000).collect(
                    java.io.ByteArrayOutputStream::new, (o, i) -> o.write(i), (x, y) -> { }).toByteArray());
            sh("mkfifo " + src.resolve("fifo") + " && truncate -s 10M " + src.resolve("sparse")
                    + " && chmod 640 " + src.resolve("a") + " && chmod 700 " + src.resolve("sub")
                    + " && touch -h -d '2020-01-02 03:04:05.123456789' " + src.resolve("a") + " " + src.resolve("sym")
                    + " " + src.resolve("sub/deep") + " " + src.resolve("sub"));
            sh("cp -a " + src + " " + base.resolve("native"));
            GuestRun.Outcome o = GuestRun.of("/bin/cp", "-a", src.toString(), base.resolve("guest").toString())
                    .cwd(base).runLinux4j(mode);
            org.assertj.core.api.Assertions.assertThat(o.status()).as(o.toString()).isZero();
            String listing = "find . -printf '%p %y %m %s %n %T@ %l %b\\n' | sort";
            org.assertj.core.api.Assertions.assertThat(sh("cd " + base.resolve("guest") + " && " + listing))
                    .isEqualTo(sh("cd " + base.resolve("native") + " && " + listing));
            sh("diff -r --no-dereference -x fifo " + base.resolve("native") + " " + base.resolve("guest"));
        }));
    }

    /** Runs a host shell command; fails the test unless it succeeds; returns its stdout. */
    static String sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(command + " failed:\n" + out);
        }
        return out;
    }

    /**
     * Guest tests outside programs/ that the dynamic loader sees differently from a static
     * program: ld.so sets up the vDSO as a shared object of its own (its soname, its versions).
     */
    private static final List<String> ALSO_DYNAMIC = List.of("proc/vdso.c");

    @TestFactory
    Stream<DynamicNode> dynamicallyLinkedCPrograms() throws IOException {
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> s = Files.list(GuestProgramTest.GUEST.resolve("programs"))) {
            sources.addAll(s.filter(p -> p.toString().endsWith(".c")).sorted().toList());
        }
        for (String other : ALSO_DYNAMIC) {
            sources.add(GuestProgramTest.GUEST.resolve(other));
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
