package dev.linux4j.fs.anon;

import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;

/**
 * The files of fs/anon_inodes.c: eventfd, epoll and timerfd descriptors share one inode of the
 * anon_inodefs, mode 0600 without a file type, owned by root, and are named "anon_inode:NAME"
 * in /proc/PID/fd, NAME as each kind gives it ("[eventfd]", "inotify"). Every one of them can be polled, and lseek(2) on them
 * succeeds without moving anything (noop_llseek).
 */
public abstract class AnonInode implements FileOps {
    /** anon_inodefs's device and its one inode (numbers of our own; Linux's vary by boot). */
    private static final long ANON_INODE_DEV = 0x10;
    private static final long ANON_INODE_INO = 1;

    private final String name;

    protected AnonInode(String name) {
        this.name = name;
    }

    @Override
    public final String dname(FileDescription file) {
        return "anon_inode:" + name;
    }

    @Override
    public final StatBuf stat(FileDescription file) {
        return new StatBuf(ANON_INODE_DEV, ANON_INODE_INO, 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                false, 0);
    }

    @Override
    public final boolean noopLlseek() {
        return true;
    }

    @Override
    public final boolean pollable(FileDescription file) {
        return true;
    }

    /** Stores the 64-bit count a read of eventfd or timerfd returns, little-endian. */
    static void putCount(byte[] buf, int off, long value) {
        for (int i = 0; i < 8; i++) {
            buf[off + i] = (byte) (value >>> (8 * i));
        }
    }
}
