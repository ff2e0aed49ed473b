package dev.linux4j.memory;

/**
 * What mm/mlock.c reads from the calling task before it locks memory: can_do_mlock() (a
 * RLIMIT_MEMLOCK above 0, or CAP_IPC_LOCK) and the limit in pages that locked_vm may reach.
 *
 * @param mayLock can_do_mlock(): false makes mlock(2), mlockall(2) and MAP_LOCKED fail with EPERM
 * @param pages RLIMIT_MEMLOCK >> PAGE_SHIFT, compared unsigned; -1 (no limit) with CAP_IPC_LOCK
 */
public record MemlockLimit(boolean mayLock, long pages) {
    /** A caller with CAP_IPC_LOCK: nothing is refused. */
    public static final MemlockLimit UNLIMITED = new MemlockLimit(true, -1);

    /** The limit for RLIMIT_MEMLOCK {@code bytes} (RLIM_INFINITY is -1), or {@link #UNLIMITED} with CAP_IPC_LOCK. */
    public static MemlockLimit of(long bytes, boolean capIpcLock) {
        return capIpcLock ? UNLIMITED : new MemlockLimit(bytes != 0, bytes >>> dev.linux4j.abi.Mman.PAGE_SHIFT);
    }

    /** Whether locked_vm may grow to {@code lockedPages} (the checks of do_mlock and mlock_future_ok). */
    boolean allows(long lockedPages) {
        return Long.compareUnsigned(lockedPages, pages) <= 0;
    }
}
