package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.Task;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Resource usage: getrusage(2) and times(2) (kernel/sys.c). CPU times are the JVM's: the guest
 * thread's own for RUSAGE_THREAD, the whole JVM's for RUSAGE_SELF (one guest process per JVM
 * for now); children have none yet. Memory and I/O counters are 0.
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

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** getrusage(2): {@code int getrusage(int who, struct rusage *usage)}. */
    static long getrusage(Task task, SyscallArgs args) {
        int who = args.int32(0);
        long usage = args.pointer(1);
        long[] cpu = switch (who) {
            case RUSAGE_SELF -> processTimes();
            case RUSAGE_THREAD -> threadTimes();
            case RUSAGE_CHILDREN -> new long[2];
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
        ByteBuffer b = ByteBuffer.allocate(SIZEOF_RUSAGE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, cpu[0] / 1_000_000_000L);
        b.putLong(8, cpu[0] % 1_000_000_000L / 1000);
        b.putLong(16, cpu[1] / 1_000_000_000L);
        b.putLong(24, cpu[1] % 1_000_000_000L / 1000);
        task.memory().write(usage, b.array());
        return 0;
    }

    /**
     * times(2): {@code clock_t times(struct tms *buf)} — tms_utime, tms_stime, tms_cutime,
     * tms_cstime in clock ticks; returns the ticks elapsed since boot. buf may be NULL.
     */
    static long times(Task task, SyscallArgs args) {
        long buf = args.pointer(0);
        if (buf != 0) {
            long[] cpu = processTimes();
            ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, cpu[0] / (1_000_000_000L / USER_HZ));
            b.putLong(8, cpu[1] / (1_000_000_000L / USER_HZ));
            task.memory().write(buf, b.array());
        }
        return task.kernel().uptimeNanos() / (1_000_000_000L / USER_HZ);
    }

    /** {user, system} nanoseconds of the calling thread. */
    private static long[] threadTimes() {
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            return new long[2];
        }
        long total = Math.max(0, THREADS.getCurrentThreadCpuTime());
        long user = Math.max(0, THREADS.getCurrentThreadUserTime());
        return new long[] {user, Math.max(0, total - user)};
    }

    /** {user, system} nanoseconds of the whole JVM, or of this thread where the JVM cannot say. */
    private static long[] processTimes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long total = os.getProcessCpuTime();
            if (total >= 0) {
                long[] thread = threadTimes();
                // The JVM reports only a total; split it in the calling thread's user:system ratio.
                long threadTotal = thread[0] + thread[1];
                long user = threadTotal == 0 ? total : (long) (total * ((double) thread[0] / threadTotal));
                return new long[] {user, total - user};
            }
        }
        return threadTimes();
    }
}
