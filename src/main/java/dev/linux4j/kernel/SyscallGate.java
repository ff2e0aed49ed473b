package dev.linux4j.kernel;

/**
 * How a task enters the system-call layer. The kernel package cannot depend on the syscall
 * package (it sits above); the machine wires the dispatcher in through this interface.
 */
@FunctionalInterface
public interface SyscallGate {
    /** Handles the syscall whose number is in RAX; writes the result to RAX. */
    void syscall(Task task);
}
