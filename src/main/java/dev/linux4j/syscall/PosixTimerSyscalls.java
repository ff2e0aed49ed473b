package dev.linux4j.syscall;

import static dev.linux4j.syscall.TimeSyscalls.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Signal;
import dev.linux4j.kernel.PosixTimers;
import dev.linux4j.kernel.Task;

/**
 * timer_create(2), timer_settime(2), timer_gettime(2), timer_getoverrun(2) and timer_delete(2)
 * (kernel/time/posix-timers.c), on the wall clocks; see {@link PosixTimers}.
 */
final class PosixTimerSyscalls {
    private PosixTimerSyscalls() {}

    /**
     * timer_create(2): {@code int timer_create(clockid_t clockid, struct sigevent *sevp,
     * timer_t *timerid)}. EINVAL for a clock that has no timers here (the CPU-time clocks
     * among them, which Linux has), EPERM for an _ALARM clock without CAP_WAKE_ALARM; the
     * sigevent is read (EFAULT) and checked as good_sigevent does: EINVAL for a notify but
     * SIGEV_SIGNAL, SIGEV_NONE and SIGEV_THREAD_ID, a signal outside 1..64, or a thread not in
     * the process. Without one: SIGALRM with the timer's id as its value.
     */
    static long timerCreate(Task task, SyscallArgs args) {
        int clock = args.int32(0);
        long sevp = args.pointer(1);
        long timerid = args.pointer(2);
        boolean alarm = clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM;
        if (!(alarm || clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME
                || clock == CLOCK_TAI)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (alarm && task.group().credentials().euid() != 0) {
            throw ErrnoException.of(Errno.EPERM);
        }
        int notify = PosixTimers.SIGEV_SIGNAL;
        int signo = Signal.SIGALRM;
        Long value = null;
        Task target = null;
        if (sevp != 0) {
            value = task.memory().read64(sevp);
            signo = task.memory().read32(sevp + 8);
            notify = task.memory().read32(sevp + 12);
            int tid = task.memory().read32(sevp + 16);
            if (notify == PosixTimers.SIGEV_THREAD_ID) {
                target = thread(task, tid);
                if (target == null) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
            } else if (notify != PosixTimers.SIGEV_SIGNAL && notify != PosixTimers.SIGEV_NONE) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (notify != PosixTimers.SIGEV_NONE && (signo < 1 || signo > Signal.NSIG)) {
                throw ErrnoException.of(Errno.EINVAL);
            }
        }
        PosixTimers timers = task.group().posixTimers();
        int id = timers.create(clock, notify, signo, value, target);
        try {
            task.memory().write32(timerid, id);
        } catch (RuntimeException e) {
            timers.delete(id);
            throw e;
        }
        return 0;
    }

    /** A thread of the caller's process by its tid, or null. */
    private static Task thread(Task task, int tid) {
        for (Task t : task.group().tasks()) {
            if (t.tid() == tid) {
                return t;
            }
        }
        return null;
    }

    /**
     * timer_settime(2): {@code int timer_settime(timer_t timerid, int flags, const struct
     * itimerspec *new_value, struct itimerspec *old_value)}: the new setting is read (EFAULT)
     * and checked (EINVAL), then the timer looked up (EINVAL); TIMER_ABSTIME takes it_value as
     * a time of the timer's clock. A zero it_value disarms.
     */
    static long timerSettime(Task task, SyscallArgs args) {
        int id = args.int32(0);
        int flags = args.int32(1);
        long newValue = args.pointer(2);
        long oldValue = args.pointer(3);
        long[] its = readItimerspec(task, newValue);
        long interval = its[0];
        long value = its[1];
        PosixTimers timers = task.group().posixTimers();
        long delay = value;
        if ((flags & TIMER_ABSTIME) != 0 && value != 0) {
            delay = value - now(task, timers.clock(id));
        }
        long[] old = timers.set(id, value == 0, delay, interval);
        if (oldValue != 0) {
            writeItimerspec(task, oldValue, old);
        }
        return 0;
    }

    /** timer_gettime(2): {@code int timer_gettime(timer_t timerid, struct itimerspec *curr_value)}. */
    static long timerGettime(Task task, SyscallArgs args) {
        writeItimerspec(task, args.pointer(1), task.group().posixTimers().get(args.int32(0)));
        return 0;
    }

    /** timer_getoverrun(2): {@code int timer_getoverrun(timer_t timerid)}. */
    static long timerGetoverrun(Task task, SyscallArgs args) {
        return task.group().posixTimers().overrun(args.int32(0));
    }

    /** timer_delete(2): {@code int timer_delete(timer_t timerid)}. */
    static long timerDelete(Task task, SyscallArgs args) {
        task.group().posixTimers().delete(args.int32(0));
        return 0;
    }
}
