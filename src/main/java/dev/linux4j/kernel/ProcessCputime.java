package dev.linux4j.kernel;

import dev.linux4j.abi.Signal;
import dev.linux4j.memory.AddressSpace;
import java.util.List;

/**
 * A process's CPU and memory accounting: the fields of Linux's {@code signal_struct} that
 * getrusage(2), times(2), wait4(2), /proc/PID/stat and the CPU interval timers read.
 *
 * <ul>
 *   <li>{@code utime, stime, sum_sched_runtime}: what exited tasks left behind (__exit_signal);
 *       the process's time is that plus the sum over its live tasks (thread_group_cputime).
 *   <li>{@code cutime, cstime, cmaxrss}: reaped children's (wait_task_zombie), their own
 *       reaped children's included. A child reaped automatically (SIGCHLD ignored, SA_NOCLDWAIT)
 *       adds nothing, as on Linux since 2.6.9.
 *   <li>{@code maxrss}: the peak resident set in pages. linux4j samples the resident pages when
 *       the image is replaced (execve, as exec_mmap does), when the last task exits (do_exit) and
 *       when getrusage asks; a peak that was unmapped again in between is not seen.
 *   <li>{@code it[CPUCLOCK_PROF], it[CPUCLOCK_VIRT]}: ITIMER_PROF and ITIMER_VIRTUAL.
 * </ul>
 *
 * <p>Locking: {@code this} guards the fields and the {@link TaskCputime#folded} flags of the
 * group's tasks. Lock order: the thread group's monitor, then this, then a {@link TaskCputime};
 * this is never held while taking the thread group's monitor (group.tasks(), group.space()).
 */
public final class ProcessCputime {
    /** HZ of the kernel linux4j presents (CONFIG_HZ=250, as Debian and Ubuntu build it). */
    public static final long HZ = 250;
    /** TICK_NSEC: one jiffy. */
    public static final long TICK_NSEC = (1_000_000_000L + HZ / 2) / HZ;
    public static final int ITIMER_VIRTUAL = 1;
    public static final int ITIMER_PROF = 2;
    private static final long PAGE_KB = 4;

    /**
     * What getrusage reports of CPU time and memory.
     *
     * @param utime user time in nanoseconds
     * @param stime system time in nanoseconds
     * @param maxrssKb ru_maxrss: the peak resident set in KiB
     */
    public record Usage(long utime, long stime, long maxrssKb) {}

    private final ThreadGroup group;
    private long deadUtime;
    private long deadRuntime;
    private long cutime;
    private long cstime;
    private long maxrss;
    private long cmaxrss;
    /** signal->prev_cputime: keeps the process's utime/stime split monotonic. */
    private final TaskCputime.PrevCputime prev = new TaskCputime.PrevCputime();
    private final CpuIntervalTimer virtualTimer;
    private final CpuIntervalTimer profTimer;

    private final CpuLimit cpuLimit = new CpuLimit(this);

    ProcessCputime(ThreadGroup group) {
        this.group = group;
        this.virtualTimer = new CpuIntervalTimer(this, 0, Signal.SIGVTALRM);
        this.profTimer = new CpuIntervalTimer(this, 1, Signal.SIGPROF);
    }

    ThreadGroup group() {
        return group;
    }

    /** RLIMIT_CPU was set or inherited: {@link CpuLimit} samples the clock while it is finite. */
    void cpuLimitChanged() {
        cpuLimit.limitChanged();
    }

    // ---------------------------------------------------------------- tasks and children

    /**
     * A task of this process stops running (on its own thread, before its Java thread ends):
     * its time moves to the process's dead-task totals, and the last one records the peak RSS.
     */
    void taskExit(Task task) {
        List<Task> tasks = group.tasks();
        if (tasks.stream().allMatch(t -> t == task || t.hasExited())) {
            noteRss(group.space());
        }
        synchronized (this) {
            TaskCputime c = task.cputime();
            c.stop();
            if (!c.folded) {
                long[] raw = new long[2];
                c.addRaw(raw);
                deadUtime += raw[0];
                deadRuntime += raw[1];
                c.folded = true;
            }
        }
    }

    /**
     * wait_task_zombie: the caller (this process) reaps {@code child}; its time and its
     * children's go to this process's cutime and cstime, its peak RSS to cmaxrss.
     */
    void reapChild(ProcessCputime child) {
        long[] t = child.adjusted();
        long childMaxrss;
        long childCutime;
        long childCstime;
        synchronized (child) {
            childMaxrss = Math.max(child.maxrss, child.cmaxrss);
            childCutime = child.cutime;
            childCstime = child.cstime;
        }
        synchronized (this) {
            cutime += t[0] + childCutime;
            cstime += t[1] + childCstime;
            cmaxrss = Math.max(cmaxrss, childMaxrss);
        }
    }

    /** setmax_mm_hiwater_rss: the resident pages of {@code space} now count toward the peak. */
    void noteRss(AddressSpace space) {
        long pages = rss(space);
        synchronized (this) {
            maxrss = Math.max(maxrss, pages);
        }
    }

    private static long rss(AddressSpace space) {
        return space == null ? 0 : space.residentTotal();
    }

    // ---------------------------------------------------------------- clocks

    /** {utime, sum_exec_runtime} raw, summed over the live tasks and what exited ones left. */
    private long[] raw() {
        return raw(true);
    }

    /** As {@link #raw()}; without {@code withUser} only the runtime is read (utime is then meaningless). */
    private long[] raw(boolean withUser) {
        List<Task> tasks = group.tasks();
        long[] acc = new long[2];
        synchronized (this) {
            acc[0] = deadUtime;
            acc[1] = deadRuntime;
            for (Task t : tasks) {
                TaskCputime c = t.cputime();
                if (!c.folded) {
                    if (withUser) {
                        c.addRaw(acc);
                    } else {
                        c.addRuntime(acc);
                    }
                }
            }
        }
        return acc;
    }

    /** CLOCK_PROCESS_CPUTIME_ID: the process's sum_exec_runtime in nanoseconds. */
    public long runtime() {
        return raw(false)[1];
    }

    /**
     * thread_group_sample_cputime / cpu_clock_sample_group: {VIRT (utime), PROF (utime +
     * stime), SCHED (runtime)} raw, in nanoseconds; {@code withUser} false reads only the
     * runtime (PROF and SCHED).
     */
    public long[] sample(boolean withUser) {
        long[] raw = raw(withUser);
        return new long[] {raw[0], raw[1], raw[1]};
    }

    /** thread_group_cputime_adjusted: {utime, stime} in nanoseconds. */
    public long[] adjusted() {
        long[] raw = raw();
        synchronized (this) {
            return prev.adjust(raw[0], raw[1] - raw[0], raw[1]);
        }
    }

    /** {cutime, cstime} in nanoseconds: the reaped children's. */
    public synchronized long[] children() {
        return new long[] {cutime, cstime};
    }

    // ---------------------------------------------------------------- getrusage

    /** getrusage(RUSAGE_SELF): the process's time; maxrss includes the current image's resident set. */
    public Usage self() {
        long[] t = adjusted();
        return new Usage(t[0], t[1], peakRssKb());
    }

    /** getrusage(RUSAGE_CHILDREN). */
    public synchronized Usage reapedChildren() {
        return new Usage(cutime, cstime, cmaxrss * PAGE_KB);
    }

    /** getrusage(RUSAGE_BOTH), what wait4 and waitid report of a child: its own time plus its children's. */
    public Usage both() {
        long[] t = adjusted();
        long rss = peakRssKb();
        synchronized (this) {
            return new Usage(t[0] + cutime, t[1] + cstime, Math.max(rss, cmaxrss * PAGE_KB));
        }
    }

    /** getrusage(RUSAGE_THREAD): the task's time, and the process's peak resident set. */
    public Usage thread(Task task) {
        long[] t = task.cputime().adjusted();
        return new Usage(t[0], t[1], peakRssKb());
    }

    /** sig->maxrss raised to the current image's resident set, in KiB. */
    private long peakRssKb() {
        AddressSpace space = group.space();
        if (space != null) {
            noteRss(space);
        }
        synchronized (this) {
            return maxrss * PAGE_KB;
        }
    }

    // ---------------------------------------------------------------- interval timers

    /** getitimer(ITIMER_VIRTUAL or ITIMER_PROF): {value, interval} in nanoseconds. */
    public long[] getItimer(int which) {
        return timer(which).get();
    }

    /** setitimer(ITIMER_VIRTUAL or ITIMER_PROF): returns the old {value, interval}. */
    public long[] setItimer(int which, long valueNanos, long intervalNanos) {
        return timer(which).set(valueNanos, intervalNanos);
    }

    private CpuIntervalTimer timer(int which) {
        return switch (which) {
            case ITIMER_VIRTUAL -> virtualTimer;
            case ITIMER_PROF -> profTimer;
            default -> throw new IllegalArgumentException("not a CPU itimer: " + which);
        };
    }
}
