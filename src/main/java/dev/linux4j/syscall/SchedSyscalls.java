package dev.linux4j.syscall;

import static dev.linux4j.kernel.Task.SCHED_BATCH;
import static dev.linux4j.kernel.Task.SCHED_DEADLINE;
import static dev.linux4j.kernel.Task.SCHED_FIFO;
import static dev.linux4j.kernel.Task.SCHED_IDLE;
import static dev.linux4j.kernel.Task.SCHED_OTHER;
import static dev.linux4j.kernel.Task.SCHED_RR;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Resource;
import dev.linux4j.kernel.Credentials;
import dev.linux4j.kernel.Task;
import dev.linux4j.kernel.Threads;
import dev.linux4j.memory.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The scheduling policy and priority calls (kernel/sched/syscalls.c) and the I/O priority calls
 * (block/ioprio.c). linux4j runs every guest thread on a JVM thread and schedules nothing
 * itself, so these keep each task's attributes as Linux does — policy, real-time priority, nice
 * value, custom slice, reset-on-fork flag, I/O priority — with Linux's checks and inheritance,
 * and report them back; they change nothing about how fast a thread runs. The real-time
 * policies and I/O class need CAP_SYS_NICE (root) as on Linux. SCHED_DEADLINE is refused with
 * EBUSY, what admission control answers when it cannot grant the bandwidth.
 *
 * <p>Pid 1, the virtual init, answers the queries as a SCHED_OTHER task at nice 0.
 */
final class SchedSyscalls {
    private SchedSyscalls() {}

    private static final int SCHED_RESET_ON_FORK = 0x40000000;
    private static final int MAX_RT_PRIO = 100;

    // struct sched_attr, include/uapi/linux/sched/types.h: u32 size, u32 sched_policy, u64
    // sched_flags, s32 sched_nice, u32 sched_priority, u64 sched_runtime, sched_deadline,
    // sched_period, u32 sched_util_min, sched_util_max.
    private static final int SCHED_ATTR_SIZE_VER0 = 48;
    private static final int SCHED_ATTR_SIZE_VER1 = 56;
    private static final int PAGE_SIZE = 4096;
    // sched_flags, include/uapi/linux/sched.h
    private static final long SCHED_FLAG_RESET_ON_FORK = 0x01;
    private static final long SCHED_FLAG_RECLAIM = 0x02;
    private static final long SCHED_FLAG_DL_OVERRUN = 0x04;
    private static final long SCHED_FLAG_KEEP_POLICY = 0x08;
    private static final long SCHED_FLAG_KEEP_PARAMS = 0x10;
    private static final long SCHED_FLAG_UTIL_CLAMP_MIN = 0x20;
    private static final long SCHED_FLAG_UTIL_CLAMP_MAX = 0x40;
    private static final long SCHED_FLAG_UTIL_CLAMP = SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX;
    private static final long SCHED_FLAG_ALL = 0x7f;
    /** kernel-internal, refused from user space */
    private static final long SCHED_FLAG_SUGOV = 0x10000000;
    /** __sched_setscheduler's "keep the policy" (SETPARAM_POLICY). */
    private static final int SETPARAM_POLICY = -1;

    /**
     * sysctl_sched_base_slice as Linux sets it on this machine's kernel: 0.7 ms scaled by 1 +
     * log2 of the CPUs (at most 8) under the default SCHED_TUNABLESCALING_LOG.
     */
    private static long baseSlice(Task task) {
        int cpus = Math.min(8, Math.max(1, Long.bitCount(Threads.onlineMask(task.kernel()))));
        return 700_000L * (1 + 31 - Integer.numberOfLeadingZeros(cpus));
    }

    /** The task a scheduler call names: 0 the caller, else a thread id; null for the virtual init; ESRCH, EINVAL if negative. */
    static Task target(Task task, int pid) {
        if (pid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (pid == 0) {
            return task;
        }
        Task t = Threads.findTask(task.kernel(), pid);
        if (t == null) {
            if (pid == 1) {
                return null; // the virtual init
            }
            throw ErrnoException.of(Errno.ESRCH);
        }
        return t;
    }

    private static boolean rtPolicy(int policy) {
        return policy == SCHED_FIFO || policy == SCHED_RR;
    }

    private static boolean fairPolicy(int policy) {
        return policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE;
    }

    private static boolean validPolicy(int policy) {
        return fairPolicy(policy) || rtPolicy(policy) || policy == SCHED_DEADLINE;
    }

    /** sched_getscheduler(2): the policy, with SCHED_RESET_ON_FORK when set. */
    static long schedGetscheduler(Task task, SyscallArgs args) {
        Task t = target(task, args.int32(0));
        if (t == null) {
            return SCHED_OTHER;
        }
        return t.schedPolicy() | (t.resetOnFork() ? SCHED_RESET_ON_FORK : 0);
    }

    /** sched_getparam(2): {@code int sched_getparam(pid_t pid, struct sched_param *param)} — the real-time priority. */
    static long schedGetparam(Task task, SyscallArgs args) {
        long param = args.pointer(1);
        if (param == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Task t = target(task, args.int32(0));
        task.memory().write32(param, t == null || !rtPolicy(t.schedPolicy()) ? 0 : t.rtPriority());
        return 0;
    }

    /**
     * sched_setscheduler(2): {@code int sched_setscheduler(pid_t pid, int policy, const struct
     * sched_param *param)} — the nice value stays; SCHED_RESET_ON_FORK may be or'ed into the policy.
     */
    static long schedSetscheduler(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        int policy = args.int32(1);
        long param = args.pointer(2);
        if (param == 0 || pid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int prio = task.memory().read32(param);
        Task t = target(task, pid);
        long flags = 0;
        if (policy >= 0 && (policy & SCHED_RESET_ON_FORK) != 0) {
            flags |= SCHED_FLAG_RESET_ON_FORK;
            policy &= ~SCHED_RESET_ON_FORK;
        }
        return setscheduler(task, t, policy, prio, nice(t), 0, flags, false, false);
    }

    /** sched_setparam(2): the policy stays, the priority changes. */
    static long schedSetparam(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        long param = args.pointer(1);
        if (param == 0 || pid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int prio = task.memory().read32(param);
        Task t = target(task, pid);
        return setscheduler(task, t, SETPARAM_POLICY, prio, nice(t), 0, 0, false, false);
    }

    private static int nice(Task t) {
        return t == null ? 0 : t.nice();
    }

    /**
     * sched_getattr(2): {@code int sched_getattr(pid_t pid, struct sched_attr *attr, unsigned int
     * size, unsigned int flags)} — {@code size} bytes written, zeros past the struct this kernel
     * knows, whose size goes in the size field. No utilisation clamping (CONFIG_UCLAMP_TASK): 0.
     */
    static long schedGetattr(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        long uattr = args.pointer(1);
        long usize = args.uint32(2);
        long flags = args.uint32(3);
        if (uattr == 0 || pid < 0 || usize > PAGE_SIZE || usize < SCHED_ATTR_SIZE_VER0 || flags != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Task t = target(task, pid);
        int policy = t == null ? SCHED_OTHER : t.schedPolicy();
        ByteBuffer b = ByteBuffer.allocate(SCHED_ATTR_SIZE_VER1).order(ByteOrder.LITTLE_ENDIAN);
        int size = (int) Math.min(usize, SCHED_ATTR_SIZE_VER1);
        b.putInt(0, size);
        b.putInt(4, policy);
        b.putLong(8, t != null && t.resetOnFork() ? SCHED_FLAG_RESET_ON_FORK : 0);
        if (rtPolicy(policy)) {
            b.putInt(20, t.rtPriority());
        } else {
            b.putInt(16, nice(t));
            b.putLong(24, t == null ? baseSlice(task) : t.slice(baseSlice(task)));
        }
        // copy_struct_to_user: a larger (newer) struct gets zeros past the fields we know
        task.memory().write(uattr, java.util.Arrays.copyOf(b.array(), (int) usize));
        return 0;
    }

    /**
     * sched_setattr(2): {@code int sched_setattr(pid_t pid, struct sched_attr *attr, unsigned int
     * flags)} — sched_copy_attr (size 0 means the first version; an unknown size is E2BIG with the
     * size we know written back), then __sched_setscheduler with the nice value and slice given.
     */
    static long schedSetattr(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        long uattr = args.pointer(1);
        long flags = args.uint32(2);
        if (uattr == 0 || pid < 0 || flags != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        AddressSpace m = task.memory();
        long size = m.read32(uattr) & 0xffffffffL;
        if (size == 0) {
            size = SCHED_ATTR_SIZE_VER0;
        }
        if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE) {
            m.write32(uattr, SCHED_ATTR_SIZE_VER1);
            throw ErrnoException.of(Errno.E2BIG);
        }
        byte[] raw = m.read(uattr, (int) size);
        for (int i = SCHED_ATTR_SIZE_VER1; i < size; i++) {
            if (raw[i] != 0) { // copy_struct_from_user: a newer struct with fields we do not know
                m.write32(uattr, SCHED_ATTR_SIZE_VER1);
                throw ErrnoException.of(Errno.E2BIG);
            }
        }
        ByteBuffer b = ByteBuffer.allocate(SCHED_ATTR_SIZE_VER1).order(ByteOrder.LITTLE_ENDIAN);
        b.put(raw, 0, (int) Math.min(size, SCHED_ATTR_SIZE_VER1));
        int policy = b.getInt(4);
        long schedFlags = b.getLong(8);
        int nice = Math.max(Resource.MIN_NICE, Math.min(Resource.MAX_NICE, b.getInt(16)));
        long prio = b.getInt(20) & 0xffffffffL;
        long runtime = b.getLong(24);
        if ((schedFlags & SCHED_FLAG_UTIL_CLAMP) != 0 && size < SCHED_ATTR_SIZE_VER1) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (policy < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if ((schedFlags & SCHED_FLAG_KEEP_POLICY) != 0) {
            policy = SETPARAM_POLICY;
        }
        Task t = target(task, pid);
        if ((schedFlags & SCHED_FLAG_KEEP_PARAMS) != 0 && t != null) { // get_params
            if (rtPolicy(t.schedPolicy())) {
                prio = t.rtPriority();
            } else {
                nice = t.nice();
                runtime = t.slice(0);
            }
        }
        if (prio > MAX_RT_PRIO - 1) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return setscheduler(task, t, policy, (int) prio, nice, runtime, schedFlags, true,
                checkparamDl(schedFlags, runtime, b.getLong(32), b.getLong(40)));
    }

    /** __checkparam_dl: runtime <= deadline <= period, within sched_dl_period_min/max (100 us .. 4.19 s). */
    private static boolean checkparamDl(long flags, long runtime, long deadline, long period) {
        if ((flags & SCHED_FLAG_SUGOV) != 0) {
            return true;
        }
        if (deadline == 0 || Long.compareUnsigned(runtime, 1L << 10) < 0 || deadline < 0 || period < 0) {
            return false;
        }
        long p = period == 0 ? deadline : period;
        if (p < deadline || Long.compareUnsigned(deadline, runtime) < 0) {
            return false;
        }
        return p >= 100_000L && p <= (1L << 22) * 1000L;
    }

    /**
     * __sched_setscheduler for a user-space caller: validation, the unprivileged caller's limits
     * (user_check_sched_setscheduler), then the new attributes. {@code attr}: sched_setattr,
     * whose nice value and slice apply; the older calls keep the task's.
     */
    private static long setscheduler(Task caller, Task t, int policy, int prio, int nice, long runtime, long flags,
            boolean attr, boolean dlParamsValid) {
        boolean resetOnFork;
        if (policy < 0) {
            resetOnFork = t != null && t.resetOnFork();
            policy = t == null ? SCHED_OTHER : t.schedPolicy();
        } else {
            resetOnFork = (flags & SCHED_FLAG_RESET_ON_FORK) != 0;
            if (!validPolicy(policy)) {
                throw ErrnoException.of(Errno.EINVAL);
            }
        }
        if ((flags & ~(SCHED_FLAG_ALL | SCHED_FLAG_SUGOV)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (prio < 0 || prio > MAX_RT_PRIO - 1) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (policy == SCHED_DEADLINE && !dlParamsValid || rtPolicy(policy) != (prio != 0)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Credentials cred = caller.group().credentials();
        boolean capable = cred.euid() == 0; // CAP_SYS_NICE
        if (!capable) {
            userCheck(caller, t, cred, policy, prio, nice, resetOnFork);
        }
        if ((flags & SCHED_FLAG_SUGOV) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if ((flags & SCHED_FLAG_UTIL_CLAMP) != 0) {
            throw ErrnoException.of(Errno.EOPNOTSUPP); // uclamp_validate without CONFIG_UCLAMP_TASK
        }
        if (policy == SCHED_DEADLINE) {
            // __checkparam_dl, then sched_dl_overflow: no bandwidth is ever granted here
            throw ErrnoException.of(Errno.EBUSY);
        }
        if (t == null) {
            return 0; // the virtual init keeps its defaults
        }
        if ((flags & SCHED_FLAG_KEEP_PARAMS) != 0) {
            t.setResetOnFork(resetOnFork); // the parameters, policy included, stay as they are
            return 0;
        }
        long slice = 0;
        if (attr && fairPolicy(policy) && runtime != 0) {
            slice = Math.max(100_000L, Math.min(100_000_000L, runtime)); // NSEC_PER_MSEC/10 .. *100
        }
        if (!attr) {
            slice = t.slice(0);
        }
        t.setScheduling(policy, rtPolicy(policy) ? prio : 0, attr ? nice : t.nice(), slice, resetOnFork);
        return 0;
    }

    /** user_check_sched_setscheduler: what a caller without CAP_SYS_NICE may change (EPERM otherwise). */
    private static void userCheck(Task caller, Task t, Credentials cred, int policy, int prio, int nice,
            boolean resetOnFork) {
        if (t == null) {
            throw ErrnoException.of(Errno.EPERM); // the virtual init is root's
        }
        long rlimNice = t.group().rlimit(Resource.RLIMIT_NICE)[0];
        if (fairPolicy(policy) && nice < t.nice() && Long.compareUnsigned(20 - nice, rlimNice) > 0) {
            throw ErrnoException.of(Errno.EPERM);
        }
        if (rtPolicy(policy)) {
            long rlimRtprio = t.group().rlimit(Resource.RLIMIT_RTPRIO)[0];
            if (policy != t.schedPolicy() && rlimRtprio == 0) {
                throw ErrnoException.of(Errno.EPERM);
            }
            if (prio > t.rtPriority() && Long.compareUnsigned(prio, rlimRtprio) > 0) {
                throw ErrnoException.of(Errno.EPERM);
            }
        }
        if (policy == SCHED_DEADLINE) {
            throw ErrnoException.of(Errno.EPERM);
        }
        if (t.schedPolicy() == SCHED_IDLE && policy != SCHED_IDLE
                && Long.compareUnsigned(20 - t.nice(), rlimNice) > 0) {
            throw ErrnoException.of(Errno.EPERM); // leaving SCHED_IDLE counts as a nice reduction
        }
        Credentials target = t.group().credentials();
        if (cred.euid() != target.euid() && cred.euid() != target.uid()) {
            throw ErrnoException.of(Errno.EPERM); // check_same_owner
        }
        if (t.resetOnFork() && !resetOnFork) {
            throw ErrnoException.of(Errno.EPERM);
        }
    }

    /** sched_get_priority_max(2). */
    static long schedGetPriorityMax(Task task, SyscallArgs args) {
        return switch (args.int32(0)) {
            case SCHED_FIFO, SCHED_RR -> MAX_RT_PRIO - 1;
            case SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE -> 0;
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
    }

    /** sched_get_priority_min(2). */
    static long schedGetPriorityMin(Task task, SyscallArgs args) {
        return switch (args.int32(0)) {
            case SCHED_FIFO, SCHED_RR -> 1;
            case SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE -> 0;
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
    }

    /** Jiffies of HZ=250, the tick sched_rr_get_interval counts in. */
    private static final long JIFFY_NS = 4_000_000L;
    /** sched_rr_timeslice: RR_TIMESLICE, 100 ms. */
    private static final long RR_TIMESLICE_NS = 100_000_000L;

    /**
     * sched_rr_get_interval(2): {@code int sched_rr_get_interval(pid_t pid, struct timespec *tp)}
     * — SCHED_RR's 100 ms time slice, 0 for SCHED_FIFO, and for a fair task its slice rounded
     * down to whole ticks (get_rr_interval_fair; 0 for the default slice, shorter than a tick).
     */
    static long schedRrGetInterval(Task task, SyscallArgs args) {
        long tp = args.pointer(1);
        Task t = target(task, args.int32(0));
        int policy = t == null ? SCHED_OTHER : t.schedPolicy();
        long ns = switch (policy) {
            case SCHED_RR -> RR_TIMESLICE_NS;
            case SCHED_FIFO -> 0;
            default -> (t == null ? baseSlice(task) : t.slice(baseSlice(task))) / JIFFY_NS * JIFFY_NS;
        };
        task.memory().write64(tp, ns / 1_000_000_000L);
        task.memory().write64(tp + 8, ns % 1_000_000_000L);
        return 0;
    }

    // ---------------------------------------------------------------- I/O priorities

    // include/uapi/linux/ioprio.h
    private static final int IOPRIO_CLASS_SHIFT = 13;
    private static final int IOPRIO_CLASS_NONE = 0;
    private static final int IOPRIO_CLASS_RT = 1;
    private static final int IOPRIO_CLASS_BE = 2;
    private static final int IOPRIO_CLASS_IDLE = 3;
    private static final int IOPRIO_LEVEL_MASK = 7;
    private static final int IOPRIO_WHO_PROCESS = 1;
    private static final int IOPRIO_WHO_PGRP = 2;
    private static final int IOPRIO_WHO_USER = 3;

    /** ioprio_check_cap. */
    private static void checkIoprio(Task task, int ioprio) {
        int cls = (ioprio >> IOPRIO_CLASS_SHIFT) & 7;
        int level = ioprio & IOPRIO_LEVEL_MASK;
        switch (cls) {
            case IOPRIO_CLASS_RT -> {
                if (task.group().credentials().euid() != 0) {
                    throw ErrnoException.of(Errno.EPERM); // CAP_SYS_ADMIN or CAP_SYS_NICE
                }
            }
            case IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE -> { }
            case IOPRIO_CLASS_NONE -> {
                if (level != 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /** The threads ioprio_get/ioprio_set name (as getpriority's PRIO_PROCESS, PGRP, USER); EINVAL for another {@code which}. */
    private static List<Task> ioprioTargets(Task task, int which, int who) {
        if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return ProcessSyscalls.priorityTargets(task, which - IOPRIO_WHO_PROCESS, who);
    }

    /**
     * ioprio_set(2): {@code int ioprio_set(int which, int who, int ioprio)} — on every thread
     * named; another user's need CAP_SYS_NICE (set_task_ioprio). ESRCH when none is found.
     */
    static long ioprioSet(Task task, SyscallArgs args) {
        int which = args.int32(0);
        int who = args.int32(1);
        int ioprio = args.int32(2);
        checkIoprio(task, ioprio);
        List<Task> targets = ioprioTargets(task, which, who);
        Credentials cred = task.group().credentials();
        if (targets.isEmpty() && which == IOPRIO_WHO_PROCESS && who == 1) {
            if (cred.euid() != 0) {
                throw ErrnoException.of(Errno.EPERM); // the virtual init is root's
            }
            return 0;
        }
        if (targets.isEmpty()) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        for (Task t : targets) {
            Credentials tc = t.group().credentials();
            if (tc.uid() != cred.euid() && tc.uid() != cred.uid() && cred.euid() != 0) {
                throw ErrnoException.of(Errno.EPERM);
            }
            t.setIoprio(ioprio);
        }
        return 0;
    }

    /**
     * ioprio_get(2): {@code int ioprio_get(int which, int who)} — for one thread the value
     * ioprio_set gave (IOPRIO_CLASS_NONE, 0 if none); for a process group or a user the highest
     * among their threads' effective priorities, where an unset one follows the nice value
     * (__get_task_ioprio).
     */
    static long ioprioGet(Task task, SyscallArgs args) {
        int which = args.int32(0);
        int who = args.int32(1);
        List<Task> targets = ioprioTargets(task, which, who);
        if (targets.isEmpty() && which == IOPRIO_WHO_PROCESS && who == 1) {
            return 0; // the virtual init
        }
        if (targets.isEmpty()) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        if (which == IOPRIO_WHO_PROCESS) {
            return Math.max(0, targets.get(0).ioprio());
        }
        int best = Integer.MAX_VALUE;
        for (Task t : targets) {
            best = Math.min(best, effectiveIoprio(t));
        }
        return best;
    }

    private static int effectiveIoprio(Task t) {
        int prio = t.ioprio();
        if (prio < 0) {
            return 0; // no io_context: IOPRIO_DEFAULT
        }
        if (((prio >> IOPRIO_CLASS_SHIFT) & 7) == IOPRIO_CLASS_NONE) {
            int policy = t.schedPolicy();
            int cls = policy == SCHED_IDLE ? IOPRIO_CLASS_IDLE : rtPolicy(policy) ? IOPRIO_CLASS_RT : IOPRIO_CLASS_BE;
            prio = (cls << IOPRIO_CLASS_SHIFT) | ((t.nice() + 20) / 5);
        }
        return prio;
    }
}
