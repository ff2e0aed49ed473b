package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Siginfo;
import dev.linux4j.kernel.SignalActions;
import dev.linux4j.kernel.SignalCalls;
import dev.linux4j.kernel.Task;

/** Signal dispositions, masks, waits, sending, the alternate stack and timers: kernel/signal.c, itimer.c. */
final class SignalSyscalls {
    private SignalSyscalls() {}

    /** sizeof(sigset_t) in the kernel ABI: 64 signals. */
    private static final long SIGSET_SIZE = 8;
    private static final long NSEC_PER_USEC = 1000;
    private static final long NSEC_PER_SEC = 1_000_000_000L;

    private static void checkSigsetSize(long size) {
        if (size != SIGSET_SIZE) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /**
     * rt_sigaction(2): {@code int rt_sigaction(int sig, const struct sigaction *act, struct
     * sigaction *oact, size_t sigsetsize)}; the kernel struct is {handler, flags, restorer, mask}.
     */
    static long rtSigaction(Task task, SyscallArgs args) {
        int sig = args.int32(0);
        long act = args.pointer(1);
        long oact = args.pointer(2);
        long sigsetsize = args.sizeT(3);
        checkSigsetSize(sigsetsize);
        if (sig < 1 || sig > Signal.NSIG) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        SignalActions actions = task.group().signalActions();
        long[] newAction = null;
        if (act != 0) {
            if (sig == Signal.SIGKILL || sig == Signal.SIGSTOP) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            var mem = task.memory();
            newAction = new long[] {mem.read64(act), mem.read64(act + 8), mem.read64(act + 16), mem.read64(act + 24)};
        }
        long[] old = actions.get(sig);
        if (oact != 0) {
            var mem = task.memory();
            mem.write64(oact, old[0]);
            mem.write64(oact + 8, old[1]);
            mem.write64(oact + 16, old[2]);
            mem.write64(oact + 24, old[3]);
        }
        if (newAction != null) {
            SignalCalls.setAction(task, sig, newAction[0], newAction[1], newAction[2], newAction[3]);
        }
        return 0;
    }

    /**
     * rt_sigprocmask(2): {@code int rt_sigprocmask(int how, const sigset_t *set, sigset_t *oldset,
     * size_t sigsetsize)}.
     */
    static long rtSigprocmask(Task task, SyscallArgs args) {
        int how = args.int32(0);
        long set = args.pointer(1);
        long oldset = args.pointer(2);
        long sigsetsize = args.sizeT(3);
        checkSigsetSize(sigsetsize);
        long old = task.signalMask();
        long newSet = 0;
        if (set != 0) {
            newSet = task.memory().read64(set);
            if (how < 0 || how > 2) {
                throw ErrnoException.of(Errno.EINVAL);
            }
        }
        if (oldset != 0) {
            task.memory().write64(oldset, old);
        }
        if (set != 0) {
            switch (how) {
                case 0 -> SignalCalls.setMask(task, old | newSet); // SIG_BLOCK
                case 1 -> SignalCalls.setMask(task, old & ~newSet); // SIG_UNBLOCK
                default -> SignalCalls.setMask(task, newSet); // SIG_SETMASK
            }
        }
        return 0;
    }

    /** rt_sigpending(2): {@code int rt_sigpending(sigset_t *set, size_t sigsetsize)}. */
    static long rtSigpending(Task task, SyscallArgs args) {
        long set = args.pointer(0);
        long sigsetsize = args.sizeT(1);
        if (Long.compareUnsigned(sigsetsize, SIGSET_SIZE) > 0) {
            throw ErrnoException.of(Errno.EINVAL); // a size_t: -1 is more than a sigset_t
        }
        long pending = SignalCalls.pending(task);
        byte[] b = new byte[(int) sigsetsize];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (pending >>> (8 * i));
        }
        task.memory().write(set, b);
        return 0;
    }

    /** rt_sigsuspend(2): {@code int rt_sigsuspend(const sigset_t *mask, size_t sigsetsize)}. */
    static long rtSigsuspend(Task task, SyscallArgs args) {
        long mask = args.pointer(0);
        long sigsetsize = args.sizeT(1);
        checkSigsetSize(sigsetsize);
        return SignalCalls.suspend(task, task.memory().read64(mask));
    }

    /** pause(2). */
    static long pause(Task task, SyscallArgs args) {
        return SignalCalls.pause(task);
    }

    /**
     * rt_sigtimedwait(2): {@code int rt_sigtimedwait(const sigset_t *set, siginfo_t *info, const
     * struct timespec *timeout, size_t sigsetsize)} — returns the signal number.
     */
    static long rtSigtimedwait(Task task, SyscallArgs args) {
        long set = args.pointer(0);
        long info = args.pointer(1);
        long timeout = args.pointer(2);
        long sigsetsize = args.sizeT(3);
        checkSigsetSize(sigsetsize);
        long mask = task.memory().read64(set);
        long nanos = timeout == 0 ? -1 : TimeSyscalls.readTimespec(task, timeout);
        Siginfo got = SignalCalls.timedWait(task, mask, nanos);
        if (info != 0) {
            task.memory().write(info, got.bytes());
        }
        return got.signo();
    }

    /** rt_sigqueueinfo(2): {@code int rt_sigqueueinfo(pid_t tgid, int sig, siginfo_t *info)}. */
    static long rtSigqueueinfo(Task task, SyscallArgs args) {
        int tgid = args.int32(0);
        int sig = args.int32(1);
        long info = args.pointer(2);
        SignalCalls.queue(task, tgid, 0, sig, task.memory().read(info, Siginfo.SIZE));
        return 0;
    }

    /** rt_tgsigqueueinfo(2): {@code int rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, siginfo_t *info)}. */
    static long rtTgsigqueueinfo(Task task, SyscallArgs args) {
        int tgid = args.int32(0);
        int tid = args.int32(1);
        int sig = args.int32(2);
        long info = args.pointer(3);
        if (tgid <= 0 || tid <= 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        SignalCalls.queue(task, tgid, tid, sig, task.memory().read(info, Siginfo.SIZE));
        return 0;
    }

    /** kill(2): {@code int kill(pid_t pid, int sig)}. */
    static long kill(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        int sig = args.int32(1);
        if (pid == Integer.MIN_VALUE) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        SignalCalls.kill(task, pid, sig);
        return 0;
    }

    /** tkill(2): {@code int tkill(pid_t tid, int sig)}. */
    static long tkill(Task task, SyscallArgs args) {
        int tid = args.int32(0);
        int sig = args.int32(1);
        SignalCalls.tgkill(task, -1, tid, sig);
        return 0;
    }

    /** tgkill(2): {@code int tgkill(pid_t tgid, pid_t tid, int sig)}. */
    static long tgkill(Task task, SyscallArgs args) {
        int tgid = args.int32(0);
        int tid = args.int32(1);
        int sig = args.int32(2);
        if (tgid <= 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        SignalCalls.tgkill(task, tgid, tid, sig);
        return 0;
    }

    /** rt_sigreturn(2): unwinds the signal frame; returns the restored RAX. */
    static long rtSigreturn(Task task, SyscallArgs args) {
        return SignalCalls.sigreturn(task);
    }

    /** restart_syscall(2): resumes a call interrupted with ERESTART_RESTARTBLOCK; EINTR if none. */
    static long restartSyscall(Task task, SyscallArgs args) {
        var block = task.restartBlock();
        task.setRestartBlock(null);
        if (block == null) {
            throw ErrnoException.of(Errno.EINTR);
        }
        return block.applyAsLong(task);
    }

    /** sigaltstack(2): {@code int sigaltstack(const stack_t *ss, stack_t *old_ss)}. */
    static long sigaltstack(Task task, SyscallArgs args) {
        long ss = args.pointer(0);
        long oldSs = args.pointer(1);
        long sp = task.cpu().r[dev.linux4j.cpu.Cpu.RSP];
        long[] old = SignalCalls.altStack(task, sp);
        long newSp = 0;
        int newFlags = 0;
        long newSize = 0;
        if (ss != 0) {
            newSp = task.memory().read64(ss);
            newFlags = task.memory().read32(ss + 8);
            newSize = task.memory().read64(ss + 16);
        }
        if (ss != 0) {
            int err = SignalCalls.setAltStack(task, newSp, newFlags, newSize, sp);
            if (err != 0) {
                throw ErrnoException.of(Errno.of(err));
            }
        }
        if (oldSs != 0) {
            task.memory().write64(oldSs, old[0]);
            task.memory().write32(oldSs + 8, (int) old[1]);
            task.memory().write32(oldSs + 12, 0);
            task.memory().write64(oldSs + 16, old[2]);
        }
        return 0;
    }

    /** alarm(2): {@code unsigned int alarm(unsigned int seconds)} — the old timer, rounded as alarm_setitimer does. */
    static long alarm(Task task, SyscallArgs args) {
        long seconds = args.uint32(0);
        long[] old = SignalCalls.setRealTimer(task, seconds * NSEC_PER_SEC, 0);
        long sec = old[0] / NSEC_PER_SEC;
        long usec = (old[0] % NSEC_PER_SEC) / NSEC_PER_USEC;
        if (sec == 0 && usec != 0 || usec >= 500_000) {
            sec++;
        }
        return sec;
    }

    /** getitimer(2): {@code int getitimer(int which, struct itimerval *curr_value)}. */
    static long getitimer(Task task, SyscallArgs args) {
        int which = args.int32(0);
        long value = args.pointer(1);
        long[] cur = switch (which) {
            case 0 -> SignalCalls.realTimer(task);
            case 1, 2 -> task.group().cputime().getItimer(which); // ITIMER_VIRTUAL, ITIMER_PROF
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
        writeItimerval(task, value, cur);
        return 0;
    }

    /** setitimer(2): {@code int setitimer(int which, const struct itimerval *new, struct itimerval *old)}. */
    static long setitimer(Task task, SyscallArgs args) {
        int which = args.int32(0);
        long newValue = args.pointer(1);
        long oldValue = args.pointer(2);
        long interval = 0;
        long value = 0;
        if (newValue != 0) {
            interval = readTimeval(task, newValue);
            value = readTimeval(task, newValue + 16);
        }
        long[] old = switch (which) {
            case 0 -> SignalCalls.setRealTimer(task, value, interval);
            case 1, 2 -> task.group().cputime().setItimer(which, value, interval);
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
        if (oldValue != 0) {
            writeItimerval(task, oldValue, old);
        }
        return 0;
    }

    private static long readTimeval(Task task, long addr) {
        long sec = task.memory().read64(addr);
        long usec = task.memory().read64(addr + 8);
        if (sec < 0 || usec < 0 || usec >= 1_000_000) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return sec * NSEC_PER_SEC + usec * NSEC_PER_USEC;
    }

    /** struct itimerval { struct timeval it_interval, it_value; } from {value, interval} nanoseconds. */
    private static void writeItimerval(Task task, long addr, long[] valueInterval) {
        long interval = valueInterval[1];
        long value = valueInterval[0];
        if (value > 0 && value < NSEC_PER_USEC) {
            value = NSEC_PER_USEC;
        }
        task.memory().write64(addr, interval / NSEC_PER_SEC);
        task.memory().write64(addr + 8, (interval % NSEC_PER_SEC) / NSEC_PER_USEC);
        task.memory().write64(addr + 16, value / NSEC_PER_SEC);
        task.memory().write64(addr + 24, (value % NSEC_PER_SEC) / NSEC_PER_USEC);
    }
}
