package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * setuid, setgid, setreuid, setregid, setresuid, setresgid and setgroups as kernel/sys.c defines
 * them (glibc's posix_spawn, used by make, calls setresuid), driven from python3 and compared
 * with the native run: the guest starts with the host's ids, and the privileged transitions only
 * succeed while the effective uid is 0.
 */
class IdentityTest {
    static final String SCRIPT = """
            import os
            def show(tag): print(tag, os.getresuid(), os.getresgid())
            show("start")
            os.setgroups([30, 10, 20]); print("groups", os.getgroups())
            os.setresgid(-1, 5, -1); show("setresgid")
            os.setregid(7, -1); show("setregid")
            os.setgid(9); show("setgid")
            os.setresuid(1000, 1000, 0); show("setresuid")
            try:
                os.setgroups([1])
            except PermissionError as e:
                print("setgroups", e.errno)
            try:
                os.setresuid(2000, -1, -1)
            except PermissionError as e:
                print("setresuid", e.errno)
            os.seteuid(0); show("seteuid")
            os.setreuid(-1, 1000); show("setreuid")
            try:
                os.setuid(0)
                show("setuid 0")
            except PermissionError as e:
                print("setuid", e.errno)
            os.setuid(1000); show("setuid")
            try:
                os.setuid(0)
            except PermissionError as e:
                print("setuid", e.errno)
            pid = os.fork()
            if pid == 0:
                show("child")
                os._exit(0)
            os.waitpid(pid, 0)
            try:
                os.setuid(-1)
            except (OverflowError, OSError) as e:
                print("setuid -1", type(e).__name__)
            """;

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void identityChanges(GuestRun.Mode mode) throws java.io.IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        assumeTrue((int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "the transitions need root");
        GuestRun.of("/usr/bin/python3", "-c", SCRIPT).timeout(120).assertSame(mode);
    }
}
