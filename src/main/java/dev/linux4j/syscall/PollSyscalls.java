package dev.linux4j.syscall;

import static dev.linux4j.abi.Poll.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.SignalCalls;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.RestartSyscall;
import dev.linux4j.vfs.Sleep;

/**
 * poll(2), ppoll(2), select(2) and pselect6(2): fs/select.c. Readiness comes from each file's
 * {@code poll}; files that cannot notify (host streams) are re-checked every few milliseconds.
 */
final class PollSyscalls {
    private PollSyscalls() {}

    private static final int POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
    private static final int POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
    private static final int POLLEX_SET = POLLPRI;
    /** How often readiness of files that cannot wake pollers is re-checked. */
    private static final long RECHECK_MILLIS = 10;

    /** poll(2): {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}. */
    static long poll(Task task, SyscallArgs args) {
        long fds = args.pointer(0);
        long nfds = args.uint32(1);
        int timeout = args.int32(2);
        long nanos = timeout < 0 ? -1 : timeout * 1_000_000L;
        return pollRestartable(task, fds, nfds, nanos);
    }

    private static long pollRestartable(Task task, long fds, long nfds, long nanos) {
        long deadline = System.nanoTime() + nanos;
        try {
            return doPoll(task, fds, nfds, nanos);
        } catch (RestartSyscall interrupted) {
            long left = nanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
            task.setRestartBlock(t -> pollRestartable(t, fds, nfds, left));
            throw RestartSyscall.ERESTART_RESTARTBLOCK;
        }
    }

    /** ppoll(2): {@code int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo, const sigset_t *sigmask, size_t sigsetsize)}. */
    static long ppoll(Task task, SyscallArgs args) {
        long fds = args.pointer(0);
        long nfds = args.uint32(1);
        long tmo = args.pointer(2);
        long sigmask = args.pointer(3);
        long sigsetsize = args.sizeT(4);
        long nanos = tmo == 0 ? -1 : TimeSyscalls.readTimespec(task, tmo);
        long start = System.nanoTime();
        return withMask(task, sigmask, sigsetsize, () -> {
            long n = doPoll(task, fds, nfds, nanos);
            writeRemaining(task, tmo, nanos, start, false);
            return n;
        });
    }

    private static long doPoll(Task task, long fds, long nfds, long nanos) {
        if (nfds > task.files().limit()) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int n = (int) nfds;
        byte[] raw = task.memory().read(fds, n * 8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long deadline = System.nanoTime() + nanos;
        while (true) {
            long seen = Sleep.pollEvents();
            int ready = 0;
            for (int i = 0; i < n; i++) {
                int fd = b.getInt(8 * i);
                int events = b.getShort(8 * i + 4) & 0xffff;
                int revents = 0;
                if (fd >= 0) {
                    revents = task.files().isOpen(fd) ? mask(task.files().get(fd)) & (events | POLLERR | POLLHUP)
                            : POLLNVAL;
                }
                b.putShort(8 * i + 6, (short) revents);
                if (revents != 0) {
                    ready++;
                }
            }
            long left = nanos < 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (ready > 0 || left <= 0) {
                task.memory().write(fds, raw);
                return ready;
            }
            awaitChange(seen, left);
        }
    }

    /**
     * Waits until a file wakes pollers after {@code seen} ({@link Sleep#pollEvents}), at most
     * {@code leftNanos} and at most {@link #RECHECK_MILLIS} (files that cannot wake pollers are
     * looked at again then); ERESTARTSYS when a signal comes.
     */
    static void awaitChange(long seen, long leftNanos) {
        Sleep.awaitPoll(seen, Math.min(RECHECK_MILLIS, Math.max(1, leftNanos / 1_000_000)));
    }

    private static int mask(FileDescription file) {
        return file.ops().poll(file);
    }

    /** select(2): {@code int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout)}. */
    static long select(Task task, SyscallArgs args) {
        int nfds = args.int32(0);
        long in = args.pointer(1);
        long out = args.pointer(2);
        long ex = args.pointer(3);
        long tvp = args.pointer(4);
        long nanos = -1;
        if (tvp != 0) {
            long sec = task.memory().read64(tvp);
            long usec = task.memory().read64(tvp + 8);
            if (sec < 0 || usec < 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            nanos = sec * 1_000_000_000L + Math.min(usec, 999_999) * 1000;
        }
        long start = System.nanoTime();
        try {
            long n = doSelect(task, nfds, in, out, ex, nanos);
            writeRemaining(task, tvp, nanos, start, true);
            return n;
        } catch (RestartSyscall interrupted) {
            writeRemaining(task, tvp, nanos, start, true);
            throw RestartSyscall.ERESTARTNOHAND;
        }
    }

    /** pselect6(2): select with a timespec and {@code struct { const sigset_t *ss; size_t ss_len; }}. */
    static long pselect6(Task task, SyscallArgs args) {
        int nfds = args.int32(0);
        long in = args.pointer(1);
        long out = args.pointer(2);
        long ex = args.pointer(3);
        long tsp = args.pointer(4);
        long sig = args.pointer(5);
        long nanos = tsp == 0 ? -1 : TimeSyscalls.readTimespec(task, tsp);
        long sigmask = 0;
        long sigsetsize = 8;
        if (sig != 0) {
            sigmask = task.memory().read64(sig);
            sigsetsize = task.memory().read64(sig + 8);
        }
        long start = System.nanoTime();
        long mask = sigmask;
        long size = sigsetsize;
        return withMask(task, mask, size, () -> {
            long n = doSelect(task, nfds, in, out, ex, nanos);
            writeRemaining(task, tsp, nanos, start, false);
            return n;
        });
    }

    private static long doSelect(Task task, int nfds, long in, long out, long ex, long nanos) {
        if (nfds < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        nfds = Math.min(nfds, task.files().limit());
        int bytes = ((nfds + 63) / 64) * 8;
        long[] sets = new long[3];
        long[][] want = {read(task, in, bytes), read(task, out, bytes), read(task, ex, bytes)};
        for (int fd = 0; fd < nfds; fd++) {
            if (isSet(want[0], fd) || isSet(want[1], fd) || isSet(want[2], fd)) {
                task.files().get(fd); // EBADF
            }
        }
        long deadline = System.nanoTime() + nanos;
        while (true) {
            long seen = Sleep.pollEvents();
            int words = Math.max(1, bytes / 8);
            long[][] got = {new long[words], new long[words], new long[words]};
            int ready = 0;
            for (int fd = 0; fd < nfds; fd++) {
                if (!isSet(want[0], fd) && !isSet(want[1], fd) && !isSet(want[2], fd)) {
                    continue;
                }
                int m = mask(task.files().get(fd));
                int[] sel = {POLLIN_SET, POLLOUT_SET, POLLEX_SET};
                for (int k = 0; k < 3; k++) {
                    if (isSet(want[k], fd) && (m & sel[k]) != 0) {
                        got[k][fd / 64] |= 1L << (fd % 64);
                        ready++;
                    }
                }
            }
            long left = nanos < 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (ready > 0 || left <= 0) {
                write(task, in, got[0], bytes);
                write(task, out, got[1], bytes);
                write(task, ex, got[2], bytes);
                return ready;
            }
            awaitChange(seen, left);
        }
    }

    private static boolean isSet(long[] set, int fd) {
        return set != null && (set[fd / 64] & (1L << (fd % 64))) != 0;
    }

    private static long[] read(Task task, long addr, int bytes) {
        if (addr == 0) {
            return null;
        }
        long[] set = new long[Math.max(1, bytes / 8)];
        for (int i = 0; i < bytes / 8; i++) {
            set[i] = task.memory().read64(addr + 8L * i);
        }
        return set;
    }

    private static void write(Task task, long addr, long[] set, int bytes) {
        if (addr == 0) {
            return;
        }
        for (int i = 0; i < bytes / 8; i++) {
            task.memory().write64(addr + 8L * i, set[i]);
        }
    }

    /** poll_select_finish: the timeout is updated with the time left (timeval for select, timespec otherwise). */
    private static void writeRemaining(Task task, long addr, long nanos, long start, boolean timeval) {
        if (addr == 0 || nanos < 0) {
            return;
        }
        long left = Math.max(0, nanos - (System.nanoTime() - start));
        task.memory().write64(addr, left / 1_000_000_000L);
        task.memory().write64(addr + 8, timeval ? (left % 1_000_000_000L) / 1000 : left % 1_000_000_000L);
    }

    interface Call {
        long run();
    }

    /**
     * ppoll, pselect6 and epoll_pwait's sigmask for the call. Interrupted by a signal (a wait
     * ending with ERESTARTSYS, which becomes ERESTARTNOHAND, or a call failing with EINTR), the
     * temporary mask stays until the signal is delivered (restore_saved_sigmask_unless).
     */
    static long withMask(Task task, long sigmask, long sigsetsize, Call call) {
        if (sigmask != 0) {
            if (sigsetsize != 8) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            SignalCalls.beginTemporaryMask(task, task.memory().read64(sigmask));
        }
        boolean interrupted = false;
        try {
            return call.run();
        } catch (RestartSyscall r) {
            interrupted = true;
            throw RestartSyscall.ERESTARTNOHAND;
        } catch (ErrnoException e) {
            interrupted = e.errno() == Errno.EINTR;
            throw e;
        } finally {
            if (sigmask != 0) {
                SignalCalls.endTemporaryMask(task, interrupted);
            }
        }
    }
}
