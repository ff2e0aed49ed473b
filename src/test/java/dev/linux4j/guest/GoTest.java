package dev.linux4j.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A static Go program (src/test/go/main.go, built at test time with the host's Go toolchain and
 * CGO_ENABLED=0) under linux4j: the Go runtime makes its own threads with clone, parks them on
 * futexes, preempts goroutines with tgkill signals, waits in its network poller (epoll_pwait,
 * woken through a pipe) and starts children with clone(CLONE_VFORK). Output and exit status must
 * match the native run.
 */
class GoTest {
    private static Path binary;

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        assumeTrue(Toolchain.onPath("go"), "go is not installed");
        Path dir = Path.of("target", "go-test").toAbsolutePath();
        Files.createDirectories(dir);
        Files.copy(Path.of("src/test/go/main.go"), dir.resolve("main.go"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("go.mod"), "module gotest\ngo 1.19\n");
        binary = dir.resolve("hello");
        ProcessBuilder pb = new ProcessBuilder("go", "build", "-o", binary.toString(), ".").directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("CGO_ENABLED", "0");
        pb.environment().put("GOCACHE", dir.resolve("cache").toString());
        pb.environment().put("GOPATH", dir.resolve("gopath").toString());
        pb.environment().put("GOFLAGS", "-mod=mod");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        p.waitFor(300, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "go build failed:\n" + log);
    }

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    void goroutinesTimersAndExec(GuestRun.Mode mode) {
        GuestRun.of(binary.toString()).assertSame(mode);
    }
}
