package dev.linux4j.fs.tty;

import java.util.Arrays;

/** A growable FIFO of bytes (a tty flip buffer or the master's read queue); not thread-safe. */
final class ByteQueue {
    private byte[] data = new byte[256];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(int b) {
        if (size == data.length) {
            byte[] bigger = new byte[data.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = data[(head + i) % data.length];
            }
            data = bigger;
            head = 0;
        }
        data[(head + size++) % data.length] = (byte) b;
    }

    int take() {
        int b = data[head] & 0xff;
        head = (head + 1) % data.length;
        size--;
        return b;
    }

    /** Moves up to {@code len} bytes into {@code buf}; returns how many. */
    int take(byte[] buf, int off, int len) {
        int n = Math.min(len, size);
        for (int i = 0; i < n; i++) {
            buf[off + i] = (byte) take();
        }
        return n;
    }

    void clear() {
        head = 0;
        size = 0;
        Arrays.fill(data, (byte) 0);
    }
}
