package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.ProcessCputime;
import dev.linux4j.kernel.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Resource usage: getrusage(2) and times(2) (kernel/sys.c). CPU times are the guest's own,
 * per task and per process ({@link ProcessCputime}); children's are those reaped with wait.
 * ru_maxrss is the peak resident set as linux4j samples it. Fault, swap, block I/O, IPC, signal
 * and context-switch counters are 0.
 */
final class RusageSyscalls {
    private RusageSyscalls() {}

    static final int RUSAGE_SELF = 0;
    static final int RUSAGE_CHILDREN = -1;
    static final int RUSAGE_THREAD = 1;
    /** sizeof(struct rusage) on x86-64: two timevals and fourteen longs. */
    static final int SIZEOF_RUSAGE = 144;
    /** USER_HZ: the unit of clock_t. */
    static final long USER_HZ = 100;
    private static final long NSEC_PER_SEC = 1_000_000_000L;
    /** INITIAL_JIFFIES (include/linux/jiffies.h): jiffies start 300 s before wrapping 32 bits. */
    private static final long INITIAL_JIFFIES = (-300 * ProcessCputime.HZ) & 0xffffffffL;

    /** getrusage(2): {@code int getrusage(int who, struct rusage *usage)}. */
    static long getrusage(Task task, SyscallArgs args) {
        int who = args.int32(0);
        long usage = args.pointer(1);
        ProcessCputime process = task.group().cputime();
        ProcessCputime.Usage u = switch (who) {
            case RUSAGE_SELF -> process.self();
            case RUSAGE_THREAD -> process.thread(task);
            case RUSAGE_CHILDREN -> process.reapedChildren();
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
        writeRusage(task, usage, u);
        return 0;
    }

    /**
     * Writes a struct rusage: ru_utime and ru_stime as ns_to_kernel_old_timeval gives them
     * (microseconds truncated), ru_maxrss in KiB, every other counter 0.
     */
    static void writeRusage(Task task, long addr, ProcessCputime.Usage u) {
        ByteBuffer b = ByteBuffer.allocate(SIZEOF_RUSAGE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, u.utime() / NSEC_PER_SEC);
        b.putLong(8, u.utime() % NSEC_PER_SEC / 1000);
        b.putLong(16, u.stime() / NSEC_PER_SEC);
        b.putLong(24, u.stime() % NSEC_PER_SEC / 1000);
        b.putLong(32, u.maxrssKb());
        task.memory().write(addr, b.array());
    }

    /**
     * times(2): {@code clock_t times(struct tms *buf)} — tms_utime, tms_stime, tms_cutime,
     * tms_cstime in clock ticks (do_sys_times); returns jiffies as clock ticks, which start
     * INITIAL_JIFFIES before boot as on Linux. buf may be NULL.
     */
    static long times(Task task, SyscallArgs args) {
        long buf = args.pointer(0);
        if (buf != 0) {
            ProcessCputime process = task.group().cputime();
            long[] self = process.adjusted();
            long[] children = process.children();
            ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, nsecToClockT(self[0]));
            b.putLong(8, nsecToClockT(self[1]));
            b.putLong(16, nsecToClockT(children[0]));
            b.putLong(24, nsecToClockT(children[1]));
            task.memory().write(buf, b.array());
        }
        long jiffies = INITIAL_JIFFIES + task.kernel().uptimeNanos() / ProcessCputime.TICK_NSEC;
        return jiffies * USER_HZ / ProcessCputime.HZ; // jiffies_64_to_clock_t
    }

    /** nsec_to_clock_t. */
    static long nsecToClockT(long nanos) {
        return nanos / (NSEC_PER_SEC / USER_HZ);
    }
}
