package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The host's dynamic Node.js under linux4j: V8 (a JIT inside the guest, writing and running its
 * own code), libuv's event loop on epoll, eventfd and a thread pool, and child processes, whose
 * stdio libuv connects with socketpair(2). The script's output
 * order is fixed by the event loop's rules alone (process.nextTick, then promise jobs; inside
 * an I/O callback setImmediate before a zero timeout), and its exit status comes from
 * process.exitCode. Output and status must match the native run.
 */
class NodeTest {
    private static final String SCRIPT = """
            const fs = require('fs');
            process.nextTick(() => console.log('nextTick'));
            Promise.resolve().then(() => console.log('microtask'));
            setTimeout(() => {
                console.log('timer');
                fs.readFile('/etc/passwd', (e, d) => {
                    console.log('readFile', e ? e.code : d.toString().split('\\n')[0].split(':')[0]);
                    setTimeout(() => console.log('timeout after immediate'), 0);
                    setImmediate(() => console.log('immediate'));
                    fs.promises.stat('/').then(s => {
                        console.log('isDirectory', s.isDirectory());
                        console.log([3, 1, 2].sort().join(','), JSON.stringify({a: [1, 2]}), (2n ** 64n).toString());
                        let sum = 0;
                        for (let i = 0; i < 200000; i++) sum = (sum + i * i) % 1000003;
                        console.log('loop', sum);
                        const cp = require('child_process');
                        console.log(cp.execFileSync('/bin/sh', ['-c', 'echo child $((6 * 7))']).toString().trim());
                        const child = cp.spawn('/bin/sh', ['-c', 'read x; echo "got $x"; exit 3']);
                        let out = '';
                        child.stdout.on('data', d => out += d);
                        child.on('close', code => {
                            console.log('spawned:', out.trim(), 'exit', code);
                            process.exitCode = 5;
                        });
                        child.stdin.end('line\n');
                    });
                });
            }, 10);
            """;

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    void eventLoopAndV8(GuestRun.Mode mode) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "node is not installed");
        GuestRun.of("/usr/bin/node", "-e", SCRIPT).timeout(180).assertSame(mode);
    }
}
