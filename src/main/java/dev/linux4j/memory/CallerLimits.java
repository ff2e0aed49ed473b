package dev.linux4j.memory;

import static dev.linux4j.abi.Resource._STK_LIM;

/**
 * The limits of the calling task that mm/ reads from current: RLIMIT_STACK, which a growing
 * stack checks (acct_stack_growth), and RLIMIT_MEMLOCK with CAP_IPC_LOCK, which mlock(2),
 * mlockall(MCL_FUTURE) mappings, MAP_LOCKED and a locked stack's growth check (mm/mlock.c). The
 * kernel installs the one that asks its current task ({@link AddressSpace#setCallerLimits}).
 */
public interface CallerLimits {
    /** RLIMIT_STACK's soft limit in bytes, compared unsigned (RLIM_INFINITY is -1). */
    long stack();

    /** RLIMIT_MEMLOCK and CAP_IPC_LOCK. */
    MemlockLimit memlock();

    /** Until the kernel installs its own: the default stack limit, and no memory lock refused. */
    CallerLimits DEFAULT = of(_STK_LIM, MemlockLimit.UNLIMITED);

    /** Fixed limits, whoever calls. */
    static CallerLimits of(long stack, MemlockLimit memlock) {
        return new CallerLimits() {
            @Override
            public long stack() {
                return stack;
            }

            @Override
            public MemlockLimit memlock() {
                return memlock;
            }
        };
    }
}
