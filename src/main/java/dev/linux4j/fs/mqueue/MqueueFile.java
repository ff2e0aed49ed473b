package dev.linux4j.fs.mqueue;

import dev.linux4j.abi.Poll;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.Caller;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;

/**
 * An open message queue descriptor: Linux's {@code mqueue_file_operations}. read(2) gives the
 * queue's status line at the file position (simple_read_from_buffer, default_llseek); there is
 * no write (EINVAL); poll reports a message to receive and room to send; closing any
 * descriptor in the process that registered for notification ends the registration (flush).
 * /proc/PID/fd shows the queue's name under the mqueue root, " (deleted)" once unlinked.
 */
public final class MqueueFile implements FileOps {
    private final MessageQueue queue;

    /** One more open of {@code queue}; its file system counted it. */
    MqueueFile(MessageQueue queue) {
        this.queue = queue;
    }

    /** The queue behind the descriptor (the syscalls' f_op == &mqueue_file_operations test). */
    public MessageQueue queue() {
        return queue;
    }

    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        byte[] line = queue.status();
        if (position >= line.length || len == 0) {
            return 0;
        }
        int n = (int) Math.min(len, line.length - position);
        System.arraycopy(line, (int) position, buf, off, n);
        queue.statusRead();
        return n;
    }

    @Override
    public boolean seekable() {
        return true;
    }

    @Override
    public StatBuf stat(FileDescription file) {
        return queue.stat(queue.fs.links(queue));
    }

    @Override
    public boolean readReady(FileDescription file) {
        return (queue.poll() & Poll.POLLIN) != 0;
    }

    @Override
    public int poll(FileDescription file) {
        return queue.poll();
    }

    /** Every wake-up of the queue's wait_q (__do_notify and pipelined_receive) is for any event. */
    @Override
    public long pollWakeups(FileDescription file, int events) {
        return queue.wakeups();
    }

    @Override
    public boolean pollable(FileDescription file) {
        return true;
    }

    /** d_path of the queue's dentry in the internal mqueue mount. */
    @Override
    public String dname(FileDescription file) {
        String shown = "/" + MqueueFs.display(queue);
        return queue.fs.links(queue) == 0 ? shown + " (deleted)" : shown;
    }

    /** Opening /proc/PID/fd/N: another open of the same queue. */
    @Override
    public FileOps reopen(FileDescription file, int flags) {
        return queue.fs.reopen(queue);
    }

    /** mqueue_flush_file. */
    @Override
    public void flush(FileDescription file) {
        int[] caller = Caller.ucred();
        if (caller != null) {
            queue.flush(caller[0]);
        }
    }

    @Override
    public void release(FileDescription file) {
        queue.fs.closed(queue);
    }
}
