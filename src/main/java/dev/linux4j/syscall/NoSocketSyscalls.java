package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;

/**
 * Socket calls on descriptors while linux4j has no sockets: every open descriptor is not a
 * socket, so the answer after the descriptor check is ENOTSOCK (net/socket.c's
 * sockfd_lookup()). bash asks getpeername(0) to decide whether stdin is a network connection;
 * ENOSYS would make it think so and read ~/.bashrc.
 */
final class NoSocketSyscalls {
    private NoSocketSyscalls() {}

    /** getsockname(2), getpeername(2), getsockopt(2) and the like on a descriptor: EBADF or ENOTSOCK. */
    static long notSocket(dev.linux4j.kernel.Task task, SyscallArgs args) {
        FdSyscalls.fdget(task, args.int32(0));
        throw ErrnoException.of(Errno.ENOTSOCK);
    }
}
