package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.fs.pipe.PipeEnd;
import dev.linux4j.kernel.Task;

/** pipe(2) and pipe2(2): fs/pipe.c. */
final class PipeSyscalls {
    private PipeSyscalls() {}

    /** pipe(2): {@code int pipe(int pipefd[2])}. */
    static long pipe(Task task, SyscallArgs args) {
        return create(task, args.pointer(0), 0);
    }

    /** pipe2(2): {@code int pipe2(int pipefd[2], int flags)} — O_CLOEXEC, O_NONBLOCK, O_DIRECT. */
    static long pipe2(Task task, SyscallArgs args) {
        long pipefd = args.pointer(0);
        int flags = args.int32(1);
        if ((flags & ~(Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK | Fcntl.O_DIRECT)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return create(task, pipefd, flags);
    }

    private static long create(Task task, long pipefd, int flags) {
        var cred = task.group().credentials();
        FdSyscalls.installPair(task, PipeEnd.create(flags, cred.euid(), cred.egid()), (flags & Fcntl.O_CLOEXEC) != 0,
                pipefd);
        return 0;
    }
}
