package dev.linux4j.syscall;

import static dev.linux4j.abi.Mman.PAGE_SIZE;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Resource;
import dev.linux4j.kernel.Task;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.MemlockLimit;
import dev.linux4j.memory.Vma;

/**
 * Memory locking: mlock(2), munlock(2), mlock2(2), mlockall(2), munlockall(2) (mm/mlock.c).
 * The JVM cannot pin pages, so a lock is what a program can observe of one: the locked
 * mappings (VmLck in /proc/PID/status, "lo" in smaps), RLIMIT_MEMLOCK and CAP_IPC_LOCK
 * enforced against them, and locked pages faulted in at once (mincore). Locks belong to the
 * address space: a fork child starts with none, execve drops them ({@link AddressSpace#fork}).
 */
final class MlockSyscalls {
    private MlockSyscalls() {}

    // include/uapi/asm-generic/mman-common.h
    static final int MLOCK_ONFAULT = 0x01;
    // include/uapi/asm-generic/mman.h
    static final int MCL_CURRENT = 1;
    static final int MCL_FUTURE = 2;
    static final int MCL_ONFAULT = 4;

    /**
     * The caller's RLIMIT_MEMLOCK, or no limit with CAP_IPC_LOCK, which root has here as it
     * has every capability (capable(CAP_IPC_LOCK) in mm/mlock.c).
     */
    static MemlockLimit limit(Task task) {
        long bytes = task.group().rlimit(Resource.RLIMIT_MEMLOCK)[0];
        return MemlockLimit.of(bytes, task.group().credentials().euid() == 0);
    }

    /** mlock(2): {@code int mlock(const void *addr, size_t len)}. */
    static long mlock(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        long len = args.sizeT(1);
        return doMlock(task, addr, len, Vma.Lock.LOCKED);
    }

    /**
     * mlock2(2): {@code int mlock2(const void *addr, size_t len, unsigned int flags)}; MLOCK_ONFAULT
     * locks the pages as they are touched instead of faulting them all in. Other flags are EINVAL.
     */
    static long mlock2(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        long len = args.sizeT(1);
        int flags = args.int32(2);
        if ((flags & ~MLOCK_ONFAULT) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return doMlock(task, addr, len, (flags & MLOCK_ONFAULT) != 0 ? Vma.Lock.ON_FAULT : Vma.Lock.LOCKED);
    }

    /**
     * do_mlock: EPERM without RLIMIT_MEMLOCK or CAP_IPC_LOCK (can_do_mlock); the range rounded
     * out to pages, {@code len} wrapping as PAGE_ALIGN does (a length near 2^64 locks nothing).
     */
    private static long doMlock(Task task, long addr, long len, Vma.Lock lock) {
        MemlockLimit limit = limit(task);
        if (!limit.mayLock()) {
            throw ErrnoException.of(Errno.EPERM);
        }
        task.memory().lock(pageStart(addr), pageAlign(len, addr), lock, limit);
        return 0;
    }

    /** munlock(2): {@code int munlock(const void *addr, size_t len)}; no permission is needed. */
    static long munlock(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        long len = args.sizeT(1);
        task.memory().lock(pageStart(addr), pageAlign(len, addr), Vma.Lock.NONE, MemlockLimit.UNLIMITED);
        return 0;
    }

    /**
     * mlockall(2): {@code int mlockall(int flags)}. MCL_CURRENT locks every mapping now (ENOMEM
     * when more is mapped than RLIMIT_MEMLOCK), MCL_FUTURE every later one (until munlockall or
     * an mlockall without it), MCL_ONFAULT makes either lock on fault. EINVAL for no flags,
     * unknown ones, or MCL_ONFAULT alone; EPERM as for mlock.
     */
    static long mlockall(Task task, SyscallArgs args) {
        int flags = args.int32(0);
        if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) != 0 || flags == MCL_ONFAULT) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        MemlockLimit limit = limit(task);
        if (!limit.mayLock()) {
            throw ErrnoException.of(Errno.EPERM);
        }
        Vma.Lock lock = (flags & MCL_ONFAULT) != 0 ? Vma.Lock.ON_FAULT : Vma.Lock.LOCKED;
        task.memory().lockAll(lock, (flags & MCL_CURRENT) != 0, (flags & MCL_FUTURE) != 0, limit);
        return 0;
    }

    /** munlockall(2): {@code int munlockall(void)}; unlocks every mapping and cancels MCL_FUTURE. */
    static long munlockall(Task task, SyscallArgs args) {
        task.memory().lockAll(Vma.Lock.NONE, true, false, MemlockLimit.UNLIMITED);
        return 0;
    }

    private static long pageStart(long addr) {
        return addr & -PAGE_SIZE;
    }

    /** PAGE_ALIGN(len + offset_in_page(addr)), wrapping as the kernel's unsigned long does. */
    private static long pageAlign(long len, long addr) {
        return (len + (addr & (PAGE_SIZE - 1)) + PAGE_SIZE - 1) & -PAGE_SIZE;
    }
}
