package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The host's dynamic python3 running multiprocessing under linux4j: a Pool of forked workers
 * fed through pipes and semaphores, a Process with a Queue, and a descriptor passed over a
 * socketpair with socket.send_fds/recv_fds (SCM_RIGHTS); a Manager's server process, which its
 * clients reach over a listening AF_UNIX socket in a temporary directory, and a threaded AF_UNIX
 * server of the script's own. Output must match the native run.
 */
class PythonMultiprocessingTest {
    private static final String SCRIPT = """
            import multiprocessing as mp, socket, os
            def square(x):
                return x * x
            if __name__ == '__main__':
                with mp.Pool(2) as pool:
                    print('pool', sum(pool.map(square, range(100))))
                q = mp.Queue()
                p = mp.Process(target=q.put, args=(42,))
                p.start()
                print('queue', q.get())
                p.join()
                print('exitcode', p.exitcode)
                a, b = socket.socketpair()
                r, w = os.pipe()
                socket.send_fds(a, [b'fd'], [w])
                msg, fds, flags, addr = socket.recv_fds(b, 10, 4)
                os.write(fds[0], b'through the passed descriptor')
                print(msg, len(fds), os.read(r, 100))
            """;

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    void poolQueueAndPassedDescriptors(GuestRun.Mode mode) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        GuestRun.of("/usr/bin/python3", "-c", SCRIPT).timeout(180).assertSame(mode);
    }

    private static final String MANAGER = """
            import multiprocessing as mp, os, socket, tempfile, threading
            def work(d, l, i):
                d[i] = i * i
                l.append(i)
            if __name__ == '__main__':
                with mp.Manager() as m:
                    d = m.dict()
                    l = m.list()
                    ps = [mp.Process(target=work, args=(d, l, i)) for i in range(4)]
                    for p in ps:
                        p.start()
                    for p in ps:
                        p.join()
                    print('manager', sorted(d.items()), sorted(l))
                path = os.path.join(tempfile.mkdtemp(), 'sock')
                srv = socket.socket(socket.AF_UNIX)
                srv.bind(path)
                srv.listen()
                def serve():
                    c, addr = srv.accept()
                    c.sendall(c.recv(100).upper() + repr(addr).encode())
                    c.close()
                t = threading.Thread(target=serve)
                t.start()
                cl = socket.socket(socket.AF_UNIX)
                cl.connect(path)
                cl.sendall(b'hello unix')
                print(cl.recv(100), cl.getpeername() == path)
                t.join()
                os.unlink(path)
                os.rmdir(os.path.dirname(path))
            """;

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    void managerAndUnixListener(GuestRun.Mode mode) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        GuestRun.of("/usr/bin/python3", "-c", MANAGER).timeout(180).assertSame(mode);
    }
}
