package dev.linux4j.syscall;

import static dev.linux4j.abi.Poll.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.fs.anon.AnonInode;
import dev.linux4j.kernel.Kernel;
import dev.linux4j.kernel.ProcessTree;
import dev.linux4j.kernel.ThreadGroup;
import dev.linux4j.vfs.FileDescription;

/**
 * A pidfd (kernel/pid.c, pidfd_open(2)): a descriptor of one process that stays its own even
 * when the process ends and its pid is used again. It polls readable once every thread of the
 * process has ended, and hung up too once the process has been reaped (pidfd_poll).
 */
final class PidFd extends AnonInode {

    private final Kernel kernel;
    private final ThreadGroup group;

    private PidFd(Kernel kernel, ThreadGroup group) {
        super("[pidfd]");
        this.kernel = kernel;
        this.group = group;
    }

    /** pidfd_open's file: O_RDWR, O_NONBLOCK from {@code flags} (its descriptor is always close-on-exec). */
    static FileDescription create(Kernel kernel, ThreadGroup group, int flags) {
        ProcessTree.wakePollersOnExit();
        return new FileDescription(new PidFd(kernel, group), Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK),
                "anon_inode:[pidfd]", null);
    }

    /** The process a descriptor refers to: EBADF when it is not a pidfd (pidfd_get_pid). */
    static ThreadGroup of(FileDescription file) {
        if (file.ops() instanceof PidFd p) {
            return p.group;
        }
        throw ErrnoException.of(Errno.EBADF);
    }

    /** Whether the process has been reaped (its pid no longer names it). */
    static boolean reaped(Kernel kernel, ThreadGroup group) {
        return kernel.tree().find(group.pid()) != group;
    }

    @Override
    public int poll(FileDescription file) {
        if (reaped(kernel, group)) {
            return POLLIN | POLLRDNORM | POLLHUP;
        }
        return group.ended() ? POLLIN | POLLRDNORM : 0;
    }

    @Override
    public boolean readReady(FileDescription file) {
        return poll(file) != 0;
    }
}
