package dev.linux4j.memory;

import static dev.linux4j.abi.Resource._STK_LIM;

/**
 * The limits of the calling task that mm/ reads from current: RLIMIT_STACK, which a growing
 * stack checks (acct_stack_growth), RLIMIT_MEMLOCK with CAP_IPC_LOCK, which mlock(2),
 * mlockall(MCL_FUTURE) mappings, MAP_LOCKED and a locked stack's growth check (mm/mlock.c), and
 * RLIMIT_AS and RLIMIT_DATA, which every mapping that grows checks (may_expand_vm). The
 * kernel installs the one that asks its current task ({@link AddressSpace#setCallerLimits}).
 */
public interface CallerLimits {
    /** RLIMIT_STACK's soft limit in bytes, compared unsigned (RLIM_INFINITY is -1). */
    long stack();

    /** RLIMIT_MEMLOCK and CAP_IPC_LOCK. */
    MemlockLimit memlock();

    /** RLIMIT_AS's soft limit in bytes, compared unsigned (RLIM_INFINITY is -1): may_expand_vm. */
    default long addressSpace() {
        return -1;
    }

    /** RLIMIT_DATA's {soft, hard} limits in bytes, compared unsigned: may_expand_vm for data mappings. */
    default long[] data() {
        return new long[] {-1, -1};
    }

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
