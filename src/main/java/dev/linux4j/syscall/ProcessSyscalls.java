package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Personality;
import dev.linux4j.abi.RawStrings;
import dev.linux4j.abi.Resource;
import dev.linux4j.abi.Siginfo;
import dev.linux4j.kernel.Credentials;
import dev.linux4j.kernel.ExitStatus;
import dev.linux4j.kernel.Kernel;
import dev.linux4j.kernel.SignalCalls;
import dev.linux4j.kernel.Task;
import dev.linux4j.kernel.ThreadGroup;
import dev.linux4j.kernel.Threads;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.vfs.FileDescription;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Process identity, exit, limits and system information: kernel/exit.c, kernel/sys.c, arch_prctl. */
final class ProcessSyscalls {
    private ProcessSyscalls() {}

    /** exit_group(2): {@code void exit_group(int status)}. */
    static long exitGroup(Task task, SyscallArgs args) {
        int status = args.int32(0);
        task.group().exit(ExitStatus.exited(status));
        return 0;
    }

    /**
     * exit(2): {@code void _exit(int status)} ends the calling thread; the process ends when its
     * last thread has (reporting its leader's status).
     */
    static long exit(Task task, SyscallArgs args) {
        int status = args.int32(0);
        dev.linux4j.kernel.Threads.exitThread(task, status);
        return 0;
    }

    /** getpid(2). */
    static long getpid(Task task, SyscallArgs args) {
        return task.group().pid();
    }

    /** getppid(2). */
    static long getppid(Task task, SyscallArgs args) {
        return task.group().ppid();
    }

    /** gettid(2). */
    static long gettid(Task task, SyscallArgs args) {
        return task.tid();
    }

    static long getuid(Task task, SyscallArgs args) {
        return task.group().credentials().uid();
    }

    static long geteuid(Task task, SyscallArgs args) {
        return task.group().credentials().euid();
    }

    static long getgid(Task task, SyscallArgs args) {
        return task.group().credentials().gid();
    }

    static long getegid(Task task, SyscallArgs args) {
        return task.group().credentials().egid();
    }

    /** getgroups(2): {@code int getgroups(int size, gid_t list[])}. */
    static long getgroups(Task task, SyscallArgs args) {
        int size = args.int32(0);
        long list = args.pointer(1);
        int[] groups = task.group().credentials().groups();
        if (size == 0) {
            return groups.length;
        }
        if (size < 0 || size < groups.length) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        ByteBuffer b = ByteBuffer.allocate(groups.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int g : groups) {
            b.putInt(g);
        }
        task.memory().write(list, b.array());
        return groups.length;
    }

    /** getresuid(2) / getresgid(2): three ids written to three pointers. */
    static long getresuid(Task task, SyscallArgs args) {
        Credentials c = task.group().credentials();
        AddressSpace m = task.memory();
        m.write32(args.pointer(0), c.uid());
        m.write32(args.pointer(1), c.euid());
        m.write32(args.pointer(2), c.suid());
        return 0;
    }

    static long getresgid(Task task, SyscallArgs args) {
        Credentials c = task.group().credentials();
        AddressSpace m = task.memory();
        m.write32(args.pointer(0), c.gid());
        m.write32(args.pointer(1), c.egid());
        m.write32(args.pointer(2), c.sgid());
        return 0;
    }

    /** set_tid_address(2): {@code pid_t set_tid_address(int *tidptr)}. */
    static long setTidAddress(Task task, SyscallArgs args) {
        long tidptr = args.pointer(0);
        task.setClearChildTid(tidptr);
        return task.tid();
    }

    /** set_robust_list(2): {@code long set_robust_list(struct robust_list_head *head, size_t len)}. */
    static long setRobustList(Task task, SyscallArgs args) {
        long head = args.pointer(0);
        long len = args.sizeT(1);
        if (len != 24) { // sizeof(struct robust_list_head)
            throw ErrnoException.of(Errno.EINVAL);
        }
        task.setRobustList(head, len);
        return 0;
    }

    /** arch_prctl(2): {@code int arch_prctl(int code, unsigned long addr)} — FS/GS base. */
    static long archPrctl(Task task, SyscallArgs args) {
        int code = args.int32(0);
        long addr = args.pointer(1);
        var cpu = task.cpu();
        switch (code) {
            case 0x1002 -> { // ARCH_SET_FS
                checkCanonical(addr);
                cpu.fsBase = addr;
            }
            case 0x1001 -> { // ARCH_SET_GS
                checkCanonical(addr);
                cpu.gsBase = addr;
            }
            case 0x1003 -> task.memory().write64(addr, cpu.fsBase); // ARCH_GET_FS
            case 0x1004 -> task.memory().write64(addr, cpu.gsBase); // ARCH_GET_GS
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
        return 0;
    }

    private static void checkCanonical(long addr) {
        if (addr < 0 || addr >= dev.linux4j.abi.Mman.TASK_SIZE) {
            throw ErrnoException.of(Errno.EPERM);
        }
    }

    /** sethostname(2): {@code int sethostname(const char *name, size_t len)}. */
    static long sethostname(Task task, SyscallArgs args) {
        task.kernel().setNodename(utsName(task, args));
        return 0;
    }

    /** setdomainname(2): {@code int setdomainname(const char *name, size_t len)}. */
    static long setdomainname(Task task, SyscallArgs args) {
        task.kernel().setDomainname(utsName(task, args));
        return 0;
    }

    /**
     * The name sethostname and setdomainname set, in kernel/sys.c's order: EPERM without
     * CAP_SYS_ADMIN (root's, in linux4j's model), EINVAL for a length that is negative (an int)
     * or past __NEW_UTS_LEN (64), EFAULT. The field becomes those bytes, NUL-padded: uname shows
     * them up to the first NUL. They are this linux4j kernel's, not the host's.
     */
    private static String utsName(Task task, SyscallArgs args) {
        long name = args.pointer(0);
        int len = args.int32(1);
        if (task.group().credentials().euid() != 0) {
            throw ErrnoException.of(Errno.EPERM);
        }
        if (len < 0 || len > 64) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        byte[] b = task.memory().read(name, len);
        int n = 0;
        while (n < len && b[n] != 0) {
            n++;
        }
        return RawStrings.decode(java.util.Arrays.copyOf(b, n));
    }

    /**
     * uname(2): {@code int uname(struct utsname *buf)} — six 65-byte fields: sysname, nodename,
     * release, version, machine, domainname.
     */
    static long uname(Task task, SyscallArgs args) {
        long buf = args.pointer(0);
        var cfg = task.kernel().config();
        int persona = task.personality();
        String release = (persona & Personality.UNAME26) != 0 ? uname26(cfg.osRelease()) : cfg.osRelease();
        // override_architecture: a PER_LINUX32 process is told it runs on i686
        String machine = (persona & Personality.PER_MASK) == Personality.PER_LINUX32 ? "i686" : "x86_64";
        String[] fields = {"Linux", task.kernel().nodename(), release, Kernel.UTS_VERSION, machine,
            task.kernel().domainname()};
        byte[] out = new byte[65 * 6];
        for (int i = 0; i < fields.length; i++) {
            byte[] f = RawStrings.encode(fields[i]);
            System.arraycopy(f, 0, out, 65 * i, Math.min(f.length, 64));
        }
        task.memory().write(buf, out);
        return 0;
    }

    /**
     * override_release (kernel/sys.c) under the UNAME26 personality: "2.6." followed by 60 plus
     * the release's second number, then what follows its first three numeric components (for
     * 6.12.0-1-amd64: 2.6.72-1-amd64), so that programs that only know 2.6 kernels run.
     */
    static String uname26(String release) {
        int end = 0;
        int dots = 0;
        while (end < release.length()) {
            char ch = release.charAt(end);
            if (ch == '.' && ++dots >= 3) {
                break;
            }
            if (!Character.isDigit(ch) && ch != '.') {
                break;
            }
            end++;
        }
        String[] parts = release.split("[^0-9]", 3);
        long patchlevel = 0;
        if (parts.length > 1) {
            try {
                patchlevel = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                patchlevel = 0;
            }
        }
        return "2.6." + (patchlevel + 60) + release.substring(end);
    }

    /**
     * personality(2): {@code int personality(unsigned long persona)} — any value is taken as the
     * new personality (set_personality does not check it); 0xffffffff only asks. Returns the old
     * one. PER_LINUX32 changes what uname reports, UNAME26 the release; the address-space flags
     * (ADDR_NO_RANDOMIZE...) are kept and inherited, and change nothing, as linux4j lays memory
     * out without randomisation already.
     */
    static long personality(Task task, SyscallArgs args) {
        int old = task.personality();
        int persona = (int) args.raw(0);
        if (persona != Personality.QUERY) {
            task.setPersonality(persona);
        }
        return old;
    }

    // syslog(2) actions, include/linux/syslog.h
    private static final int SYSLOG_ACTION_CLOSE = 0;
    private static final int SYSLOG_ACTION_OPEN = 1;
    private static final int SYSLOG_ACTION_READ = 2;
    private static final int SYSLOG_ACTION_READ_ALL = 3;
    private static final int SYSLOG_ACTION_READ_CLEAR = 4;
    private static final int SYSLOG_ACTION_CLEAR = 5;
    private static final int SYSLOG_ACTION_CONSOLE_OFF = 6;
    private static final int SYSLOG_ACTION_CONSOLE_ON = 7;
    private static final int SYSLOG_ACTION_CONSOLE_LEVEL = 8;
    private static final int SYSLOG_ACTION_SIZE_UNREAD = 9;
    private static final int SYSLOG_ACTION_SIZE_BUFFER = 10;
    /** log_buf_len: 1 << CONFIG_LOG_BUF_SHIFT (17 in Debian's kernels). */
    private static final int LOG_BUF_LEN = 1 << 17;

    /**
     * syslog(2): {@code int syslog(int type, char *bufp, int len)} (do_syslog in
     * kernel/printk/printk.c), the kernel log of a kernel that logged nothing: reading it gives
     * no bytes (SYSLOG_ACTION_READ waits for a message that never comes, until a signal), its
     * size is Debian's 128 KiB. With kernel.dmesg_restrict set, as Debian sets it, every action
     * needs CAP_SYSLOG (root here): EPERM otherwise.
     */
    static long syslog(Task task, SyscallArgs args) {
        int type = args.int32(0);
        long buf = args.pointer(1);
        int len = args.int32(2);
        if (task.group().credentials().euid() != 0) {
            throw ErrnoException.of(Errno.EPERM); // syslog_action_restricted under dmesg_restrict
        }
        switch (type) {
            case SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_CLEAR, SYSLOG_ACTION_CONSOLE_OFF,
                    SYSLOG_ACTION_CONSOLE_ON, SYSLOG_ACTION_SIZE_UNREAD -> {
                return 0;
            }
            case SYSLOG_ACTION_READ -> {
                if (buf == 0 || len < 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                if (len == 0) {
                    return 0;
                }
                dev.linux4j.vfs.Sleep.sleep(-1, null); // syslog_print: until there is a message; a signal ends it
                return 0;
            }
            case SYSLOG_ACTION_READ_ALL, SYSLOG_ACTION_READ_CLEAR -> {
                if (buf == 0 || len < 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                return 0;
            }
            case SYSLOG_ACTION_CONSOLE_LEVEL -> {
                if (len < 1 || len > 8) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                return 0;
            }
            case SYSLOG_ACTION_SIZE_BUFFER -> {
                return LOG_BUF_LEN;
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /**
     * sysinfo(2): {@code struct sysinfo} — uptime, loads[3], totalram, freeram, sharedram,
     * bufferram, totalswap, freeswap, procs (u16), pad, totalhigh, freehigh, mem_unit (u32): 112 bytes.
     */
    static long sysinfo(Task task, SyscallArgs args) {
        long info = args.pointer(0);
        ByteBuffer b = ByteBuffer.allocate(112).order(ByteOrder.LITTLE_ENDIAN);
        Runtime rt = Runtime.getRuntime();
        b.putLong(0, task.kernel().uptimeNanos() / 1_000_000_000L);
        b.putLong(32, rt.maxMemory());
        b.putLong(40, rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()));
        b.putShort(80, (short) 1);
        b.putInt(104, 1);
        task.memory().write(info, b.array());
        return 0;
    }

    /**
     * prlimit64(2): {@code int prlimit(pid_t pid, int resource, const struct rlimit64 *new,
     * struct rlimit64 *old)} for the calling process (pid 0 or its own pid).
     */
    static long prlimit64(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        int resource = args.int32(1);
        long newLimit = args.pointer(2);
        long oldLimit = args.pointer(3);
        if (pid != 0 && pid != task.group().pid()) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        if (resource < 0 || resource >= Resource.RLIM_NLIMITS) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long[] current = task.group().rlimit(resource);
        long soft = 0;
        long hard = 0;
        if (newLimit != 0) {
            soft = task.memory().read64(newLimit);
            hard = task.memory().read64(newLimit + 8);
            if (Long.compareUnsigned(soft, hard) > 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (Long.compareUnsigned(hard, current[1]) > 0 && task.group().credentials().euid() != 0) {
                throw ErrnoException.of(Errno.EPERM);
            }
            if (resource == Resource.RLIMIT_NOFILE && Long.compareUnsigned(hard, 1L << 20) > 0) {
                throw ErrnoException.of(Errno.EPERM);
            }
        }
        if (oldLimit != 0) {
            task.memory().write64(oldLimit, current[0]);
            task.memory().write64(oldLimit + 8, current[1]);
        }
        if (newLimit != 0) {
            task.group().setRlimit(resource, soft, hard);
        }
        return 0;
    }

    /** getrlimit(2): {@code int getrlimit(int resource, struct rlimit *rlim)}. */
    static long getrlimit(Task task, SyscallArgs args) {
        int resource = args.int32(0);
        long rlim = args.pointer(1);
        if (resource < 0 || resource >= Resource.RLIM_NLIMITS) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long[] current = task.group().rlimit(resource);
        task.memory().write64(rlim, current[0]);
        task.memory().write64(rlim + 8, current[1]);
        return 0;
    }

    /** setrlimit(2). */
    static long setrlimit(Task task, SyscallArgs args) {
        int resource = args.int32(0);
        long rlim = args.pointer(1);
        if (resource < 0 || resource >= Resource.RLIM_NLIMITS) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long soft = task.memory().read64(rlim);
        long hard = task.memory().read64(rlim + 8);
        if (Long.compareUnsigned(soft, hard) > 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        task.group().setRlimit(resource, soft, hard);
        return 0;
    }

    /** getrandom(2): {@code ssize_t getrandom(void *buf, size_t buflen, unsigned int flags)}. */
    static long getrandom(Task task, SyscallArgs args) {
        long buf = args.pointer(0);
        long len = args.sizeT(1);
        long flags = args.uint32(2);
        if ((flags & ~0x7L) != 0) { // GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE
            throw ErrnoException.of(Errno.EINVAL);
        }
        if ((flags & 0x6) == 0x6) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int n = (int) Math.min(Math.max(len, 0), 33554431L); // Linux caps a call at MAX_RW_COUNT-ish
        n = Math.min(n, 1 << 20);
        byte[] bytes = new byte[n];
        task.kernel().config().random().nextBytes(bytes);
        task.memory().write(buf, bytes);
        return n;
    }

    /** umask(2). */
    static long umask(Task task, SyscallArgs args) {
        return task.group().setUmask(args.int32(0));
    }

    /** sched_yield(2). */
    static long schedYield(Task task, SyscallArgs args) {
        Thread.yield();
        return 0;
    }

    /**
     * getpriority(2): {@code int getpriority(int which, id_t who)}, the raw call's answer: 20 less
     * the lowest nice value among the threads named (1..40; the C library turns it back into a
     * nice value). PRIO_PROCESS names one thread by its id, PRIO_PGRP every thread of a process
     * group, PRIO_USER every thread whose real uid is {@code who}; 0 is the caller's own. EINVAL
     * for another {@code which}, ESRCH when nothing matches (kernel/sys.c).
     */
    static long getpriority(Task task, SyscallArgs args) {
        int which = args.int32(0);
        int who = args.int32(1);
        List<Task> targets = priorityTargets(task, which, who);
        int best = -1;
        for (Task t : targets) {
            best = Math.max(best, 20 - t.nice());
        }
        if (best < 0) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        return best;
    }

    /**
     * setpriority(2): {@code int setpriority(int which, id_t who, int prio)}, targets as for
     * getpriority; the value is clamped to -20..19 first. Each thread is checked on its own
     * (set_one_prio): EPERM unless the caller's effective uid is the thread's real or effective
     * uid or the caller is root (CAP_SYS_NICE), then EACCES for lowering the value below the
     * thread's current one unless root or the thread's RLIMIT_NICE allows it (20 - nice &lt;= the soft limit).
     * The last failure is the answer, else 0; EINVAL for another {@code which}, ESRCH when
     * nothing matches.
     */
    static long setpriority(Task task, SyscallArgs args) {
        int which = args.int32(0);
        int who = args.int32(1);
        int nice = Math.max(Resource.MIN_NICE, Math.min(Resource.MAX_NICE, args.int32(2)));
        List<Task> targets = priorityTargets(task, which, who);
        if (targets.isEmpty()) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        Credentials cred = task.group().credentials();
        boolean capable = cred.euid() == 0;
        Errno error = null;
        for (Task t : targets) {
            Credentials target = t.group().credentials();
            if (!capable && target.uid() != cred.euid() && target.euid() != cred.euid()) {
                error = Errno.EPERM;
                continue;
            }
            if (nice < t.nice() && !capable
                    && Long.compareUnsigned(20 - nice, t.group().rlimit(Resource.RLIMIT_NICE)[0]) > 0) {
                error = Errno.EACCES; // can_nice: the thread's RLIMIT_NICE
                continue;
            }
            t.setNice(nice);
        }
        if (error != null) {
            throw ErrnoException.of(error);
        }
        return 0;
    }

    /** The live threads getpriority/setpriority name; EINVAL for an unknown {@code which}. */
    static List<Task> priorityTargets(Task task, int which, int who) {
        Kernel kernel = task.kernel();
        List<Task> out = new ArrayList<>();
        switch (which) {
            case Resource.PRIO_PROCESS -> {
                Task t = who == 0 ? task : who < 0 ? null : Threads.findTask(kernel, who);
                if (t != null) {
                    out.add(t);
                }
            }
            case Resource.PRIO_PGRP -> {
                int pgid = who == 0 ? task.group().pgid() : who;
                if (pgid > 0) {
                    // Newest member first, as the pid's task list runs; setpriority's answer is the last failure.
                    for (ThreadGroup g : kernel.tree().inGroup(pgid).reversed()) {
                        addLive(out, g);
                    }
                }
            }
            case Resource.PRIO_USER -> {
                int uid = who == 0 ? task.group().credentials().uid() : who;
                for (ThreadGroup g : kernel.tree().all()) {
                    if (g.credentials().uid() == uid) {
                        addLive(out, g);
                    }
                }
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
        return out;
    }

    private static void addLive(List<Task> out, ThreadGroup g) {
        for (Task t : g.tasks()) {
            if (!t.hasExited()) {
                out.add(t);
            }
        }
    }

    // ---------------------------------------------------------------- pidfds (kernel/pid.c, kernel/signal.c)

    /**
     * pidfd_open(2): {@code int pidfd_open(pid_t pid, unsigned int flags)}: EINVAL for a flag but
     * PIDFD_NONBLOCK or for a pid not above 0, ESRCH when no process has it; the descriptor is
     * close-on-exec. Pidfds of single threads (PIDFD_THREAD) are not provided: EINVAL.
     */
    static long pidfdOpen(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        int flags = args.int32(1);
        if ((flags & ~Fcntl.O_NONBLOCK) != 0 || pid <= 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        ThreadGroup group = task.kernel().tree().find(pid);
        if (group == null) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        return FdSyscalls.install(task, PidFd.create(task.kernel(), group, flags), true);
    }

    /** PIDFD_SIGNAL_THREAD, PIDFD_SIGNAL_THREAD_GROUP, PIDFD_SIGNAL_PROCESS_GROUP (Linux 6.9). */
    private static final int PIDFD_SIGNAL_THREAD = 1;
    private static final int PIDFD_SIGNAL_THREAD_GROUP = 2;
    private static final int PIDFD_SIGNAL_PROCESS_GROUP = 4;

    /**
     * pidfd_send_signal(2): {@code int pidfd_send_signal(int pidfd, int sig, siginfo_t *info,
     * unsigned int flags)}: EINVAL for a flag but one of PIDFD_SIGNAL_THREAD, _THREAD_GROUP and
     * _PROCESS_GROUP, EBADF for a descriptor that is neither a pidfd nor an open /proc/PID
     * directory (tgid_pidfd_to_pid), ESRCH once the process has been
     * reaped; then as kill(2) (tgkill(2) to its leader for _THREAD, kill(-pgid) for
     * _PROCESS_GROUP) without {@code info}, or as rt_sigqueueinfo(2) with it.
     */
    static long pidfdSendSignal(Task task, SyscallArgs args) {
        int pidfd = args.int32(0);
        int sig = args.int32(1);
        long info = args.pointer(2);
        int flags = args.int32(3);
        if ((flags & ~(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP)) != 0
                || Integer.bitCount(flags) > 1) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        FileDescription file = FdSyscalls.fdget(task, pidfd);
        int procPid = file.ops().procPid();
        ThreadGroup group = procPid > 0 ? task.kernel().tree().find(procPid) : PidFd.of(file);
        if (group == null || PidFd.reaped(task.kernel(), group)) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        if (info != 0) {
            SignalCalls.queue(task, group.pid(), 0, sig, task.memory().read(info, Siginfo.SIZE));
        } else if (flags == PIDFD_SIGNAL_THREAD) {
            SignalCalls.tgkill(task, group.pid(), group.pid(), sig);
        } else if (flags == PIDFD_SIGNAL_PROCESS_GROUP) {
            SignalCalls.kill(task, -group.pgid(), sig);
        } else {
            SignalCalls.kill(task, group.pid(), sig);
        }
        return 0;
    }

    /**
     * pidfd_getfd(2): {@code int pidfd_getfd(int pidfd, int targetfd, unsigned int flags)}: a new
     * close-on-exec descriptor of the open file another process has at {@code targetfd}. EINVAL
     * for flags, EBADF for a descriptor that is not a pidfd or a target descriptor not open,
     * ESRCH once the process has ended, EPERM unless the caller is root or has the target's
     * uid (ptrace's PTRACE_MODE_ATTACH_REALCREDS, roughly).
     */
    static long pidfdGetfd(Task task, SyscallArgs args) {
        int pidfd = args.int32(0);
        int targetfd = args.int32(1);
        if (args.int32(2) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        ThreadGroup group = PidFd.of(FdSyscalls.fdget(task, pidfd));
        if (group.ended()) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        var me = task.group().credentials();
        var them = group.credentials();
        if (me.euid() != 0 && (me.uid() != them.uid() || me.uid() != them.euid() || me.uid() != them.suid())) {
            throw ErrnoException.of(Errno.EPERM);
        }
        FileDescription file = group.files().get(targetfd);
        file.retain();
        return FdSyscalls.install(task, file, true);
    }
}
