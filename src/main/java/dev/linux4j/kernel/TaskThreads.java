package dev.linux4j.kernel;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The host threads that run tasks. Starting a platform thread costs about 0.3 ms (measured in
 * a shell loop of fork+exec+exit), a sixth of a whole spawn, so a thread whose task has ended
 * waits a little for the next one instead of ending: a shell that runs one program after
 * another reuses one thread. At most {@link #MAX_IDLE} wait, each for at most
 * {@link #IDLE_MILLIS}; then they end, so an idle JVM keeps no threads of ours.
 *
 * <p>A reused thread carries nothing over: its name is set for each task, its interrupt status
 * is cleared, and a task's thread-locals are cleared by the task itself when it ends.
 */
final class TaskThreads {
    private TaskThreads() {}

    static final int MAX_IDLE = 8;
    static final long IDLE_MILLIS = 1000;
    private static final String IDLE_NAME = "linux4j idle task thread";

    private static final ConcurrentLinkedDeque<Worker> IDLE = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger IDLE_COUNT = new AtomicInteger();

    /** Runs {@code body} on a host thread named {@code name}: an idle one if there is one. */
    static void start(String name, Runnable body) {
        Worker w;
        while ((w = IDLE.pollFirst()) != null) {
            IDLE_COUNT.decrementAndGet();
            if (w.offer(name, body)) {
                return;
            }
        }
        Worker fresh = new Worker();
        fresh.name = name;
        fresh.body = body;
        Thread.ofPlatform().daemon().name(name).start(fresh);
    }

    private static final class Worker implements Runnable {
        private static final int WAITING = 0;
        private static final int TAKEN = 1;
        private static final int RETIRED = 2;

        private final AtomicInteger state = new AtomicInteger(TAKEN);
        private volatile Thread thread;
        private volatile String name;
        private volatile Runnable body;

        /** Hands this idle worker a task; false if it retired meanwhile. */
        boolean offer(String taskName, Runnable taskBody) {
            if (!state.compareAndSet(WAITING, TAKEN)) {
                return false;
            }
            name = taskName;
            body = taskBody; // written last: the worker waits for it
            LockSupport.unpark(thread);
            return true;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            while (true) {
                Runnable r = body;
                body = null;
                Thread.currentThread().setName(name);
                Thread.interrupted(); // a wake-up meant for the previous task
                r.run(); // a task that throws ends its thread, as it did before threads were reused
                if (!awaitNext()) {
                    return;
                }
            }
        }

        /** Waits idle for a task; false when this thread should end instead. */
        private boolean awaitNext() {
            Thread.currentThread().setName(IDLE_NAME);
            if (IDLE_COUNT.incrementAndGet() > MAX_IDLE) {
                IDLE_COUNT.decrementAndGet();
                return false;
            }
            state.set(WAITING);
            IDLE.addFirst(this); // most recently used first: its stack and caches are warm
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
            while (body == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0 && state.compareAndSet(WAITING, RETIRED)) {
                    if (IDLE.remove(this)) {
                        IDLE_COUNT.decrementAndGet();
                    }
                    return false;
                }
                LockSupport.parkNanos(this, Math.max(left, 1_000_000));
            }
            return true;
        }
    }
}
