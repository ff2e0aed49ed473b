package dev.linux4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reused task threads: named per task, no interrupt carried over, and gone when idle. */
class TaskThreadsTest {
    private record Seen(Thread thread, String name, boolean interrupted) {}

    private static Seen runOne(String name, boolean interruptSelf) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Seen[] seen = new Seen[1];
        TaskThreads.start(name, () -> {
            Thread t = Thread.currentThread();
            seen[0] = new Seen(t, t.getName(), t.isInterrupted());
            if (interruptSelf) {
                t.interrupt(); // a wake-up that arrives as the task ends
            }
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        return seen[0];
    }

    @Test
    void sequentialTasksShareAThreadWithTheirOwnNameAndNoStaleInterrupt() throws InterruptedException {
        List<Seen> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            seen.add(runOne("linux4j test task " + i, true));
            Thread.sleep(5); // let the thread go back to waiting
        }
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i).name()).isEqualTo("linux4j test task " + i);
            assertThat(seen.get(i).interrupted()).as("task %d starts uninterrupted", i).isFalse();
        }
        assertThat(seen.stream().map(Seen::thread).distinct().count())
                .as("threads used by 20 tasks run one after another").isLessThan(20);
    }

    @Test
    void idleThreadsEnd() throws InterruptedException {
        Thread t = runOne("linux4j test idle", false).thread();
        t.join(TaskThreads.IDLE_MILLIS * 10);
        assertThat(t.isAlive()).as("a thread idle for %d ms", TaskThreads.IDLE_MILLIS * 10).isFalse();
    }
}
