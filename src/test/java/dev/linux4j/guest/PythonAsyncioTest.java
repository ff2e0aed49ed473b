package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The host's dynamic python3 running asyncio under linux4j: the event loop's epoll selector and
 * its self-pipe (a socketpair), tasks and sleeps, a subprocess whose output is read through the
 * loop, and socket.socketpair with send, recv and shutdown. Output must match the native run.
 */
class PythonAsyncioTest {
    private static final String SCRIPT = """
            import asyncio, socket
            async def worker(name, delay, out):
                await asyncio.sleep(delay)
                out.append(name)
            async def main():
                out = []
                await asyncio.gather(worker('b', 0.02, out), worker('a', 0.01, out), worker('c', 0.03, out))
                print('all done', sorted(out))
                p = await asyncio.create_subprocess_exec('/bin/sh', '-c', 'echo from child; exit 3',
                                                         stdout=asyncio.subprocess.PIPE)
                data, _ = await p.communicate()
                print(data.decode().strip(), p.returncode)
                q = asyncio.Queue()
                async def produce():
                    for i in range(5):
                        await q.put(i)
                    await q.put(None)
                total = 0
                asyncio.get_running_loop().create_task(produce())
                while (v := await q.get()) is not None:
                    total += v
                print('queue total', total)
                try:
                    await asyncio.wait_for(asyncio.sleep(10), 0.02)
                except asyncio.TimeoutError:
                    print('timed out')
            asyncio.run(main())
            a, b = socket.socketpair()
            a.sendall(b'hello')
            print(b.recv(10), a.type == socket.SOCK_STREAM, a.family == socket.AF_UNIX)
            a.shutdown(socket.SHUT_WR)
            print(b.recv(10))
            """;

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    void eventLoopSubprocessAndSocketpair(GuestRun.Mode mode) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        GuestRun.of("/usr/bin/python3", "-c", SCRIPT).timeout(180).assertSame(mode);
    }
}
