package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The host's dynamic python3 running threads under linux4j: threading with locks, conditions,
 * events and semaphores, queue.Queue, and concurrent.futures.ThreadPoolExecutor. Output must
 * match the native run.
 */
class PythonThreadsTest {
    private static final String SCRIPT = """
            import threading, queue, concurrent.futures
            n = 0
            lock = threading.Lock()
            def add():
                global n
                for _ in range(2000):
                    with lock:
                        n += 1
            ts = [threading.Thread(target=add) for _ in range(4)]
            for t in ts: t.start()
            for t in ts: t.join()
            print("locked counter", n)
            q = queue.Queue(maxsize=4)
            out = []
            def produce(k):
                for i in range(50): q.put(k * 1000 + i)
            def consume():
                while True:
                    v = q.get()
                    if v is None: return
                    out.append(v)
            c = threading.Thread(target=consume); c.start()
            ps = [threading.Thread(target=produce, args=(k,)) for k in range(3)]
            for p in ps: p.start()
            for p in ps: p.join()
            q.put(None); c.join()
            print("queue", len(out), sum(out))
            cond = threading.Condition(); ready = []
            def waiter():
                with cond:
                    cond.wait_for(lambda: ready)
            w = threading.Thread(target=waiter); w.start()
            with cond:
                ready.append(1); cond.notify_all()
            w.join()
            ev = threading.Event(); sem = threading.BoundedSemaphore(2)
            print("event wait timeout", ev.wait(0.01))
            with sem: print("semaphore ok")
            local = threading.local()
            def tl(i):
                local.v = i
                return local.v
            with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
                print("pool squares", sum(ex.map(lambda x: x * x, range(200))))
                print("pool locals", sorted(ex.map(tl, range(8))))
            print("threads alive", threading.active_count())
            """;

    @Test
    void threadingAndThreadPoolExecutor() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        GuestRun.of("/usr/bin/python3", "-c", SCRIPT).timeout(120).assertSame(GuestRun.Mode.INTERPRETER);
    }
}
