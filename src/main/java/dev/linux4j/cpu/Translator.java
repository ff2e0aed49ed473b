package dev.linux4j.cpu;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The JIT's translations, made on one background thread for every process (DESIGN.md decision
 * 4): the guest thread that found a block hot goes on interpreting it, and the translation is
 * installed in the block when it is done. Translating a region (building its class file and
 * defining the hidden class) takes milliseconds, tens of them while the translator itself is
 * still interpreted by HotSpot; made in the guest thread, every one was a stall of the program
 * (python3's loop: 85 translations, 0.43 s of a 3 s run).
 *
 * <p>The queue is bounded: a block that finds it full is counted again from zero and offered
 * later. One thread keeps translations in the order blocks became hot, and the translator's
 * own state needs no locking. A translation of a process that has exited meanwhile is made and
 * dropped with the process's blocks.
 */
final class Translator {
    private static final int QUEUE = 256;
    private static final BlockingQueue<Runnable> QUEUED = new ArrayBlockingQueue<>(QUEUE);

    static {
        Thread.ofPlatform().daemon().name("linux4j-translator").start(Translator::work);
    }

    private Translator() {}

    /** Queues a translation; false if the queue is full. */
    static boolean submit(Runnable translation) {
        return QUEUED.offer(translation);
    }

    /** Translations queued and not yet started (for tests). */
    static int queued() {
        return QUEUED.size();
    }

    private static void work() {
        while (true) {
            Runnable next;
            try {
                next = QUEUED.take();
            } catch (InterruptedException e) {
                return;
            }
            next.run();
        }
    }
}
