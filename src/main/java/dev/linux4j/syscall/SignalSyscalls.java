package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Signal;
import dev.linux4j.kernel.SignalActions;
import dev.linux4j.kernel.Task;

/**
 * Signal dispositions and masks: kernel/signal.c. Recorded and returned exactly as Linux does;
 * delivery comes with processes.
 */
final class SignalSyscalls {
    private SignalSyscalls() {}

    /** sizeof(sigset_t) in the kernel ABI: 64 signals. */
    private static final long SIGSET_SIZE = 8;

    /**
     * rt_sigaction(2): {@code int rt_sigaction(int sig, const struct sigaction *act, struct
     * sigaction *oact, size_t sigsetsize)}; the kernel struct is {handler, flags, restorer, mask}.
     */
    static long rtSigaction(Task task, SyscallArgs args) {
        int sig = args.int32(0);
        long act = args.pointer(1);
        long oact = args.pointer(2);
        long sigsetsize = args.sizeT(3);
        if (sigsetsize != SIGSET_SIZE) {
            throw ErrnoException.of(Errno.EINVAL);
        }
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
            long unblockable = (1L << (Signal.SIGKILL - 1)) | (1L << (Signal.SIGSTOP - 1));
            actions.set(sig, newAction[0], newAction[1], newAction[2], newAction[3] & ~unblockable);
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
        if (sigsetsize != SIGSET_SIZE) {
            throw ErrnoException.of(Errno.EINVAL);
        }
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
                case 0 -> task.setSignalMask(old | newSet); // SIG_BLOCK
                case 1 -> task.setSignalMask(old & ~newSet); // SIG_UNBLOCK
                default -> task.setSignalMask(newSet); // SIG_SETMASK
            }
        }
        return 0;
    }

    /** sigaltstack(2): records nothing yet but validates and reports "no alternate stack" (SS_DISABLE). */
    static long sigaltstack(Task task, SyscallArgs args) {
        long ss = args.pointer(0);
        long oldSs = args.pointer(1);
        if (oldSs != 0) {
            task.memory().write64(oldSs, 0);
            task.memory().write32(oldSs + 8, 2); // SS_DISABLE
            task.memory().write32(oldSs + 12, 0);
            task.memory().write64(oldSs + 16, 0);
        }
        if (ss != 0) {
            int flags = task.memory().read32(ss + 8);
            if ((flags & ~(2 | (1 << 31))) != 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
        }
        return 0;
    }
}
