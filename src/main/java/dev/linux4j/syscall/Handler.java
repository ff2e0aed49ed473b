package dev.linux4j.syscall;

import dev.linux4j.kernel.Task;

/** A syscall implementation: returns the value for RAX, or throws an ErrnoException. */
@FunctionalInterface
public interface Handler {
    long handle(Task task, SyscallArgs args);
}
