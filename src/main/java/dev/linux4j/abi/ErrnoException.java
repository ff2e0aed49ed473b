package dev.linux4j.abi;

/**
 * A Linux error travelling from a handler to the syscall dispatcher, which alone turns it into
 * {@code -errno} (DESIGN.md decision 6). One preallocated, stackless instance per errno: throwing
 * it costs no allocation.
 */
public final class ErrnoException extends RuntimeException {
    private static final ErrnoException[] CACHE = new ErrnoException[Errno.values().length];

    static {
        for (Errno e : Errno.values()) {
            CACHE[e.ordinal()] = new ErrnoException(e);
        }
    }

    private final Errno errno;

    private ErrnoException(Errno errno) {
        super(errno.name(), null, false, false);
        this.errno = errno;
    }

    /** The shared instance for an errno. */
    public static ErrnoException of(Errno errno) {
        return CACHE[errno.ordinal()];
    }

    /** The exception for a host call's positive error number; EIO for a number Linux does not have. */
    public static ErrnoException ofNumber(long number) {
        Errno e = number > 0 && number <= Integer.MAX_VALUE ? Errno.of((int) number) : null;
        return of(e == null ? Errno.EIO : e);
    }

    public Errno errno() {
        return errno;
    }
}
