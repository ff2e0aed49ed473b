package dev.linux4j.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * One task's CPU clock: Linux's {@code task->utime}, {@code task->stime},
 * {@code task->se.sum_exec_runtime} and {@code task->prev_cputime}, measured on the Java thread
 * that runs the task. The raw user time is the host's (getrusage(2) for the calling thread, else
 * the JVM's read of /proc/self/task/TID/stat in clock ticks); the runtime is
 * the thread's CPU clock in nanoseconds; system time is the difference, as for a Linux task whose
 * tick samples are scaled to its runtime. Interpreting guest code and running its syscalls are
 * both host user time; time blocked in host I/O is no CPU time at all.
 *
 * <p>The clock starts when the task starts running ({@link #start}, on its own thread: the
 * thread may have run other work before, the main thread JVM start-up) and freezes when it stops
 * ({@link #stop}), before the Java thread ends and its clock with it.
 *
 * <p>Locking: {@code this} guards the fields.
 */
public final class TaskCputime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The Java thread's id, -1 before {@link #start}. */
    private long threadId = -1;
    private long baseUser;
    private long baseRuntime;
    /** The last raw sample: samples never go back, and a stopped task keeps its last one. */
    private long user;
    private long runtime;
    private boolean running;
    /** task->prev_cputime: what cputime_adjust last reported. */
    private final PrevCputime prev = new PrevCputime();
    /** Whether the process's dead-task totals hold this task's time: guarded by the {@link ProcessCputime}. */
    boolean folded;

    /** The task's thread starts running guest code (called on that thread). */
    synchronized void start() {
        threadId = Thread.currentThread().threadId();
        baseUser = Math.max(0, currentThreadUserTime());
        baseRuntime = Math.max(0, THREADS.getCurrentThreadCpuTime());
        user = 0;
        runtime = 0;
        running = true;
    }

    /** The task stops for good (called on its thread): the clock keeps its final value. */
    synchronized void stop() {
        sampleLocked();
        running = false;
    }

    /** Adds {utime, runtime} of the raw clock (task_cputime) to {@code acc}. */
    synchronized void addRaw(long[] acc) {
        sampleLocked();
        acc[0] += user;
        acc[1] += runtime;
    }

    /** sum_exec_runtime: CLOCK_THREAD_CPUTIME_ID, in nanoseconds. */
    public synchronized long runtime() {
        sampleLocked(false);
        return runtime;
    }

    /** Adds the runtime alone to {@code acc[1]} (CLOCK_PROCESS_CPUTIME_ID). */
    synchronized void addRuntime(long[] acc) {
        sampleLocked(false);
        acc[1] += runtime;
    }

    /** {utime, stime} in nanoseconds as task_cputime_adjusted reports them (RUSAGE_THREAD, /proc/PID/task/TID/stat). */
    public synchronized long[] adjusted() {
        sampleLocked();
        return prev.adjust(user, runtime - user, runtime);
    }

    /**
     * {utime (VIRT), utime + stime (PROF), runtime (SCHED)} raw, as cpu_clock_sample reads a
     * per-thread CPU clock; {@code withUser} false leaves the VIRT sample as last read.
     */
    public synchronized long[] sample(boolean withUser) {
        sampleLocked(withUser);
        return new long[] {user, runtime, runtime};
    }

    private void sampleLocked() {
        sampleLocked(true);
    }

    /**
     * Reads the thread's clocks. The runtime alone is cheap (the thread's CPU clock); the user
     * time costs the JVM a read of /proc, so CLOCK_*_CPUTIME_ID skip it.
     */
    private void sampleLocked(boolean withUser) {
        if (!running) {
            return;
        }
        boolean self = Thread.currentThread().threadId() == threadId;
        long u = -1;
        if (withUser) {
            u = self ? currentThreadUserTime() : THREADS.getThreadUserTime(threadId);
        }
        long r = self ? THREADS.getCurrentThreadCpuTime() : THREADS.getThreadCpuTime(threadId);
        if (r < 0) {
            return; // the thread is gone (or the JVM cannot say): keep the last sample
        }
        runtime = Math.max(runtime, r - baseRuntime);
        if (u >= 0) {
            // The user time comes in host clock ticks, its base too: it may run up to a tick ahead
            // of the precise runtime, never let it pass it.
            user = Math.max(user, Math.min(u - baseUser, runtime));
        }
    }

    /**
     * The calling thread's user time: from getrusage(2) where the host has it, as the JVM's read
     * of /proc (two of them per process: at its start and its exit) was 1% of a spawn. Both are
     * the kernel's task_cputime_adjusted; /proc's comes in clock ticks, so a sample of another
     * thread may lag this one by up to a tick, which the clamping in sampleLocked absorbs.
     */
    private static long currentThreadUserTime() {
        long u = threadUserTime.getAsLong();
        return u >= 0 ? u : THREADS.getCurrentThreadUserTime();
    }

    private static volatile LongSupplier threadUserTime = () -> -1;

    /**
     * Installs the host's reading of the calling thread's user time in nanoseconds, -1 when
     * unknown (the machine wires getrusage in: this layer does not call the host).
     */
    public static void setThreadUserTime(LongSupplier source) {
        threadUserTime = source;
    }

    /**
     * struct prev_cputime and cputime_adjust (kernel/sched/cputime.c): splits the precise runtime
     * in the ratio of the sampled utime and stime, and never lets either go back.
     */
    static final class PrevCputime {
        private long utime;
        private long stime;

        /** {utime, stime}; the caller holds the owner's lock. */
        long[] adjust(long rawUtime, long rawStime, long rtime) {
            if (utime + stime < rtime) {
                long s;
                if (rawStime == 0) {
                    s = 0;
                } else if (rawUtime == 0) {
                    s = rtime;
                } else {
                    s = scale(rawStime, rtime, rawStime + rawUtime);
                }
                s = Math.max(s, stime);
                long u = rtime - s;
                if (u < utime) {
                    u = utime;
                    s = rtime - u;
                }
                stime = s;
                utime = u;
            }
            return new long[] {utime, stime};
        }

        /** mul_u64_u64_div_u64: a * b / c without overflow. */
        private static long scale(long a, long b, long c) {
            if (Math.multiplyHigh(a, b) == 0 && a * b >= 0) {
                return a * b / c;
            }
            return java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                    .divide(java.math.BigInteger.valueOf(c)).longValueExact();
        }
    }
}
