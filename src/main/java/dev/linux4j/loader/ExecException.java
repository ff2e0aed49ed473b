package dev.linux4j.loader;

import dev.linux4j.abi.Errno;

/**
 * An image the loader refused, with the errno execve(2) would report and a short reason for
 * people ("not an ELF file", "ELF for another machine (AArch64)").
 *
 * <p>{@link #pastPointOfNoReturn()} tells whether Linux had already discarded the old image when
 * this error happened (after {@code begin_new_exec()}): execve(2) then never returns, and the
 * kernel kills the process with SIGSEGV ({@code bprm_execve()}'s {@code force_fatal_sig}). The
 * errno is then only what the kernel computed internally.
 */
public final class ExecException extends Exception {
    private final Errno errno;
    private final boolean pastPointOfNoReturn;

    public ExecException(Errno errno, String message) {
        this(errno, message, false);
    }

    public ExecException(Errno errno, String message, boolean pastPointOfNoReturn) {
        super(message, null, false, true);
        this.errno = errno;
        this.pastPointOfNoReturn = pastPointOfNoReturn;
    }

    public Errno errno() {
        return errno;
    }

    /** True when Linux would kill the process with SIGSEGV instead of returning the errno. */
    public boolean pastPointOfNoReturn() {
        return pastPointOfNoReturn;
    }

    @Override
    public String getMessage() {
        return super.getMessage();
    }

    @Override
    public String toString() {
        return "ExecException[" + errno + (pastPointOfNoReturn ? ", fatal" : "") + "]: " + getMessage();
    }
}
