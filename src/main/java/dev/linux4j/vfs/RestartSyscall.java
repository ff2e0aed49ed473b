package dev.linux4j.vfs;

/**
 * A blocking system call was interrupted by a signal: Linux's kernel-internal restart codes
 * ({@code include/linux/errno.h}). The dispatcher returns {@code -code}; signal delivery then
 * turns it into EINTR or restarts the call, as {@code arch/x86/kernel/signal.c} does.
 * Preallocated and stackless.
 */
public final class RestartSyscall extends RuntimeException {
    /** Restart when the handler has SA_RESTART (or there is no handler), else EINTR. */
    public static final RestartSyscall ERESTARTSYS = new RestartSyscall(512);
    /** Always restart. */
    public static final RestartSyscall ERESTARTNOINTR = new RestartSyscall(513);
    /** Restart only if no handler runs (pause, sigsuspend, select). */
    public static final RestartSyscall ERESTARTNOHAND = new RestartSyscall(514);
    /** Restart through restart_syscall(2) if no handler runs (nanosleep, poll with a timeout). */
    public static final RestartSyscall ERESTART_RESTARTBLOCK = new RestartSyscall(516);

    private final int code;

    private RestartSyscall(int code) {
        super("ERESTART " + code, null, false, false);
        this.code = code;
    }

    /** The positive kernel-internal error number. */
    public int code() {
        return code;
    }
}
