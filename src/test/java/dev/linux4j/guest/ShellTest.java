package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Shell scripts run by Debian's busybox sh and bash, natively and under linux4j in every mode:
 * pipelines, command substitution, subshells, traps, wait and the statuses of killed children
 * exercise fork, execve, wait, pipes and signals together. stdout and the exit status must be
 * identical (stderr names pids, which differ).
 */
class ShellTest {
    record Script(String name, String text) {}

    static List<Script> scripts() {
        return List.of(
                new Script("pipeline", "echo one two three | tr ' ' '\\n' | sort -r | head -2"),
                new Script("command substitution", "x=$(echo hello | tr a-z A-Z); echo \"[$x]\"; echo $(( $(echo 6) * 7 ))"),
                new Script("subshell", "(echo inside; exit 3); echo \"status $?\"; (cd /; pwd); pwd"),
                new Script("trap", "trap 'echo got' USR1; kill -USR1 $$; echo after"),
                new Script("wait", "(exit 4) & wait $!; echo \"waited $?\"; sleep 0.05 & sleep 0.01 & wait; echo all"),
                new Script("kill -9", "sh -c 'kill -9 $$'; echo $?"),
                new Script("kill -TERM", "sh -c 'kill -TERM $$'; echo $?; sh -c 'exit 7'; echo $?"),
                new Script("loop", "i=0; while [ $i -lt 20 ]; do i=$((i+1)); /bin/true; done; echo $i"),
                new Script("exit status", "false || echo or; true && echo and; sh -c 'exit 42'"),
                new Script("here and redirect", "cat <<EOT | wc -l\na\nb\nc\nEOT\necho err >&2; echo out 2>/dev/null"),
                // the first process starts with the limits it was started with, as a native one
                new Script("ulimit", "ulimit -a; ulimit -S -n 100; sh -c 'ulimit -n'; ulimit -n 2000 || echo raise refused"));
    }

    @TestFactory
    Stream<DynamicNode> shells() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (String shell : List.of("/bin/busybox sh", "/bin/bash")) {
            List<DynamicNode> perScript = new ArrayList<>();
            for (Script s : scripts()) {
                for (GuestRun.Mode mode : GuestRun.Mode.values()) {
                    perScript.add(DynamicTest.dynamicTest(s.name() + " " + mode.name().toLowerCase(), () -> {
                        String[] cmd = shell.split(" ");
                        assumeTrue(Files.isExecutable(Path.of(cmd[0])), cmd[0] + " is not installed");
                        List<String> argv = new ArrayList<>(List.of(cmd));
                        argv.add("-c");
                        argv.add(s.text());
                        GuestRun.of(argv).assertSame(mode, false);
                    }));
                }
            }
            nodes.add(DynamicContainer.dynamicContainer(shell, perScript));
        }
        return nodes.stream();
    }
}
