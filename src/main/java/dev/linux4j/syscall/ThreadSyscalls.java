package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Signal;
import dev.linux4j.kernel.Fork;
import dev.linux4j.kernel.Task;
import dev.linux4j.kernel.Threads;
import dev.linux4j.memory.AddressSpace;

/**
 * clone3, the robust-list query, CPU affinity and getcpu (kernel/fork.c, kernel/futex/syscalls.c,
 * kernel/sched/syscalls.c): guest threads run on the CPUs {@code --cpus} gives the guest. The
 * scheduling policies are {@link SchedSyscalls}'.
 */
final class ThreadSyscalls {
    private ThreadSyscalls() {}

    /** sizeof(struct clone_args) for each version: up to tls, set_tid/set_tid_size, cgroup. */
    private static final int CLONE_ARGS_SIZE_VER0 = 64;
    private static final int CLONE_ARGS_SIZE_VER2 = 88;
    private static final int PAGE_SIZE = 4096;

    /** The flags clone(2) knows (CLONE_LEGACY_FLAGS, without CSIGNAL). */
    private static final long CLONE_LEGACY_FLAGS = 0xffffffffL & ~Fork.CSIGNAL;

    /**
     * clone3(2): {@code long clone3(struct clone_args *cl_args, size_t size)} — struct clone_args
     * { u64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
     * set_tid_size, cgroup; }.
     */
    static long clone3(Task task, SyscallArgs args) {
        long uargs = args.pointer(0);
        long size = args.sizeT(1);
        if (size > PAGE_SIZE) {
            throw ErrnoException.of(Errno.E2BIG);
        }
        if (size < CLONE_ARGS_SIZE_VER0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        AddressSpace m = task.memory();
        byte[] raw = m.read(uargs, (int) size);
        for (int i = CLONE_ARGS_SIZE_VER2; i < size; i++) {
            if (raw[i] != 0) {
                throw ErrnoException.of(Errno.E2BIG); // copy_struct_from_user: unknown non-zero tail
            }
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(CLONE_ARGS_SIZE_VER2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(raw, 0, (int) Math.min(size, CLONE_ARGS_SIZE_VER2));
        long flags = b.getLong(0);
        long childTid = b.getLong(16);
        long parentTid = b.getLong(24);
        long exitSignal = b.getLong(32);
        long stack = b.getLong(40);
        long stackSize = b.getLong(48);
        long tls = b.getLong(56);
        long setTidSize = b.getLong(72);
        // clone3_args_valid
        if ((flags & ~(CLONE_LEGACY_FLAGS | Threads.CLONE_CLEAR_SIGHAND | Threads.CLONE_INTO_CGROUP)) != 0
                || (flags & Fork.CSIGNAL) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if ((flags & (Fork.CLONE_THREAD | Fork.CLONE_PARENT)) != 0 && exitSignal != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if ((exitSignal & ~Fork.CSIGNAL) != 0 || exitSignal > Signal.NSIG) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (stack == 0 ? stackSize != 0 : stackSize == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (setTidSize != 0) {
            throw ErrnoException.of(Errno.EPERM); // choosing pids needs CAP_SYS_ADMIN in the pid namespace
        }
        if ((flags & (Threads.CLONE_INTO_CGROUP | Threads.CLONE_PIDFD)) != 0) {
            throw ErrnoException.of(Errno.EINVAL); // no cgroups, no pidfds here
        }
        long sp = stack == 0 ? 0 : stack + stackSize; // the stack grows down from its top
        return Fork.clone(task, flags | exitSignal, sp, parentTid, childTid, tls);
    }

    /**
     * get_robust_list(2): {@code long get_robust_list(int pid, struct robust_list_head **head_ptr,
     * size_t *len_ptr)}.
     */
    static long getRobustList(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        long headPtr = args.pointer(1);
        long lenPtr = args.pointer(2);
        Task t = target(task, pid);
        task.memory().write64(lenPtr, 24); // sizeof(struct robust_list_head)
        task.memory().write64(headPtr, t.robustListHead());
        return 0;
    }

    /**
     * The task a scheduler call names, as {@link SchedSyscalls#target}, but ESRCH for a negative
     * pid (sched_getaffinity, sched_setaffinity and get_robust_list look it up where
     * sched_setscheduler's family rejects it with EINVAL) and for the virtual init (pid 1), which
     * has no robust list or affinity to report.
     */
    private static Task target(Task task, int pid) {
        if (pid < 0) {
            throw ErrnoException.of(Errno.ESRCH); // find_task_by_vpid finds no negative pid
        }
        Task t = SchedSyscalls.target(task, pid);
        if (t == null) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        return t;
    }

    /**
     * sched_getaffinity(2): {@code int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t
     * *mask)} — returns the bytes written (the kernel's cpumask size: 8 for up to 64 CPUs).
     */
    static long schedGetaffinity(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        long size = args.sizeT(1);
        long mask = args.pointer(2);
        if (size * 8 < Long.SIZE - Long.numberOfLeadingZeros(Threads.onlineMask(task.kernel())) || (size & 7) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Task t = target(task, pid);
        task.memory().write64(mask, Threads.affinity(t));
        return 8;
    }

    /** sched_setaffinity(2): {@code int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask)}. */
    static long schedSetaffinity(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        long size = args.sizeT(1);
        long mask = args.pointer(2);
        long bits = 0;
        if (size >= 8) {
            bits = task.memory().read64(mask);
        } else if (size > 0) {
            byte[] b = task.memory().read(mask, (int) size);
            for (int i = 0; i < b.length; i++) {
                bits |= (b[i] & 0xffL) << (8 * i);
            }
        }
        Threads.setAffinity(target(task, pid), bits);
        return 0;
    }

    /** getcpu(2): {@code int getcpu(unsigned *cpu, unsigned *node, struct getcpu_cache *tcache)}. */
    static long getcpu(Task task, SyscallArgs args) {
        long cpu = args.pointer(0);
        long node = args.pointer(1);
        if (cpu != 0) {
            task.memory().write32(cpu, Threads.currentCpu(task));
        }
        if (node != 0) {
            task.memory().write32(node, 0);
        }
        return 0;
    }
}
