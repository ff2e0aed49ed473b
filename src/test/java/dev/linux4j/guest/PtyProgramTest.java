package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Debian programs that need a pseudo-terminal of their own (/dev/ptmx, /dev/pts): util-linux's
 * script, and python3's pty module (pty.fork: a session with the slave as its controlling
 * terminal; canonical input with erase, echo, ONLCR, raw mode, EIO at the end; pty.openpty).
 * Output must match the native run.
 */
class PtyProgramTest {
    private static final String PYTHON = """
            import os, pty, sys, termios, tty
            pid, fd = pty.fork()
            if pid == 0:
                print("child isatty", os.isatty(0), os.isatty(1), os.ttyname(1).startswith("/dev/pts/"), flush=True)
                print("session leader", os.getsid(0) == os.getpid(),
                      "foreground", os.tcgetpgrp(0) == os.getpgrp(), flush=True)
                line = sys.stdin.readline()
                print("got", repr(line), flush=True)
                a = termios.tcgetattr(0)
                print("lflag", oct(a[3]), "cc", list(a[6][:7]), flush=True)
                tty.setraw(0)
                os.write(1, b"ready\\n")
                c = os.read(0, 1)
                os.write(1, b"raw %r\\n" % c)
                os._exit(7)
            out = b""
            typed = False
            sent = False
            while True:
                try:
                    d = os.read(fd, 1024)
                except OSError as e:
                    out += b"<%s>" % os.strerror(e.errno).encode()
                    break
                if not d:
                    break
                out += d
                if b"foreground True" in out and not typed:
                    os.write(fd, b"hello\\x7fo world\\n")  # after the child's first lines: the echo follows them
                    typed = True
                if b"ready" in out and not sent:
                    os.write(fd, b"\\r")
                    sent = True
            print(repr(out))
            _, st = os.waitpid(pid, 0)
            print("status", os.waitstatus_to_exitcode(st))
            m, s = pty.openpty()
            os.write(m, b"ab\\x15cd\\x04")
            print(repr(os.read(s, 100)), repr(os.read(m, 100)))
            """;

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    void scriptRunsACommandOnAPty(GuestRun.Mode mode) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux's script is not installed");
        GuestRun.of("/usr/bin/script", "-q", "-c", "stty -a | head -1; echo hi; tty | cut -c1-9", "/dev/null")
                .timeout(120).assertSame(mode);
    }

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    void pythonPtyModule(GuestRun.Mode mode) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        GuestRun.of("/usr/bin/python3", "-c", PYTHON).timeout(120).assertSame(mode);
    }
}
