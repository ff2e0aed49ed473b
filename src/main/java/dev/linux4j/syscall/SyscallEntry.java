package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;

/**
 * One row of the syscall table: number, name, argument kinds (for --strace and the
 * compatibility document), support level with a note, the handler, and for unimplemented
 * calls the errno they return.
 */
public record SyscallEntry(int number, String name, Support support, String note, Handler handler,
        Errno errno, ArgKind[] args, boolean returnsPointer) {}
