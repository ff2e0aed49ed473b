package dev.linux4j.fs.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * The one selector thread of all Internet sockets: the host side of Linux's socket wait queues.
 * Every channel stays non-blocking; a guest thread that must wait asks here to be told when its
 * channel is ready ({@link #watch}, one-shot: the interest is dropped once reported) and then
 * sleeps through {@link dev.linux4j.vfs.Sleep}, where a guest signal can reach it. No guest
 * thread ever blocks inside a channel call, where {@link Thread#interrupt} would close the
 * channel.
 *
 * <p>A channel that was ever registered here is closed by the selector ({@link #close}), which
 * releases its host socket before returning: a port bound again right after a close is free.
 */
final class InetSelector {
    private static final class Holder {
        static final InetSelector INSTANCE = new InetSelector();
    }

    private static final int ALL_OPS = SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT
            | SelectionKey.OP_ACCEPT;

    private final Selector selector;
    /** Work the selector thread runs between selections (closes of registered channels). */
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    private InetSelector() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(this::run, "linux4j-inet-selector");
        t.setDaemon(true);
        t.start();
    }

    static InetSelector get() {
        return Holder.INSTANCE;
    }

    /**
     * Tells {@code socket} ({@link InetSocket#selected}) once {@code channel} is ready for any
     * of {@code ops} (SelectionKey.OP_*), or at once when the channel is closed.
     */
    void watch(SelectableChannel channel, int ops, InetSocket socket) {
        SelectionKey key = channel.keyFor(selector);
        try {
            if (key == null) {
                channel.register(selector, ops, socket);
                selector.wakeup();
                return;
            }
            int old = key.interestOpsOr(ops);
            if ((old | ops) != old) {
                selector.wakeup();
            }
        } catch (ClosedChannelException | CancelledKeyException e) {
            socket.selected(ops);
        }
    }

    /** Closes a channel; one that was registered here is closed on the selector thread, and waited for. */
    void close(SelectableChannel channel) {
        if (channel.keyFor(selector) == null) {
            closeQuietly(channel);
            if (channel.keyFor(selector) == null) {
                return;
            }
        }
        CountDownLatch done = new CountDownLatch(1);
        tasks.add(() -> {
            closeQuietly(channel);
            try {
                selector.selectNow(this::ready); // flushes the cancelled key: the host socket is closed
            } catch (IOException ignored) {
                // the selector is gone: nothing more to release
            }
            done.countDown();
        });
        selector.wakeup();
        while (true) {
            try {
                done.await();
                return;
            } catch (InterruptedException e) {
                // A close is not interruptible (close(2) always closes). The interrupt is not
                // kept: it would close the next channel this thread touches.
            }
        }
    }

    private static void closeQuietly(SelectableChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // close(2) of a socket does not fail
        }
    }

    private void ready(SelectionKey key) {
        try {
            int ready = key.readyOps();
            key.interestOps(key.interestOps() & ~ready);
            ((InetSocket) key.attachment()).selected(ready);
        } catch (CancelledKeyException e) {
            ((InetSocket) key.attachment()).selected(ALL_OPS); // closed: every waiter looks again
        }
    }

    private void run() {
        while (true) {
            try {
                selector.select(this::ready);
                for (Runnable task; (task = tasks.poll()) != null;) {
                    task.run();
                }
            } catch (IOException | RuntimeException e) {
                // keep serving the other sockets
            }
        }
    }
}
