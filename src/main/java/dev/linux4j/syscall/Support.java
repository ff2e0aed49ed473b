package dev.linux4j.syscall;

/** How much of a syscall linux4j implements. */
public enum Support {
    /** Linux's semantics for every argument linux4j accepts. */
    SUPPORTED,
    /** Implemented for the common cases; the note says what is missing. */
    PARTIAL,
    /** Returns its errno (usually ENOSYS) and, with --strace or --warn-unimplemented, says so once. */
    UNIMPLEMENTED
}
