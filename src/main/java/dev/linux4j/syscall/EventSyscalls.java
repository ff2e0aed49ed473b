package dev.linux4j.syscall;

import static dev.linux4j.abi.EventFds.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Stat;
import dev.linux4j.fs.anon.EventFd;
import dev.linux4j.fs.anon.EventPoll;
import dev.linux4j.fs.anon.Inotify;
import dev.linux4j.fs.anon.TimerFd;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.RestartSyscall;
import dev.linux4j.vfs.Sleep;
import dev.linux4j.vfs.Vfs;
import java.util.List;

/** eventfd(2), epoll(7), timerfd(2) and inotify(7): fs/eventfd.c, fs/eventpoll.c, fs/timerfd.c and fs/notify/inotify. */
final class EventSyscalls {
    private EventSyscalls() {}

    /** EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
    private static final int EP_MAX_EVENTS = Integer.MAX_VALUE / EPOLL_EVENT_SIZE;

    /** eventfd(2): {@code int eventfd(unsigned int initval)}, without flags. */
    static long eventfd(Task task, SyscallArgs args) {
        return eventfd(task, args.uint32(0), 0);
    }

    /** eventfd2: {@code int eventfd2(unsigned int initval, int flags)}; EINVAL for a flag but EFD_SEMAPHORE, EFD_CLOEXEC and EFD_NONBLOCK. */
    static long eventfd2(Task task, SyscallArgs args) {
        return eventfd(task, args.uint32(0), args.int32(1));
    }

    private static long eventfd(Task task, long initval, int flags) {
        if ((flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return FdSyscalls.install(task, EventFd.create(initval, flags), (flags & EFD_CLOEXEC) != 0);
    }

    /** epoll_create(2): {@code int epoll_create(int size)}; the size only has to be positive. */
    static long epollCreate(Task task, SyscallArgs args) {
        if (args.int32(0) <= 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return FdSyscalls.install(task, EventPoll.create(), false);
    }

    /** epoll_create1(2): {@code int epoll_create1(int flags)}; EINVAL for a flag but EPOLL_CLOEXEC. */
    static long epollCreate1(Task task, SyscallArgs args) {
        int flags = args.int32(0);
        if ((flags & ~EPOLL_CLOEXEC) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return FdSyscalls.install(task, EventPoll.create(), flags != 0);
    }

    /**
     * epoll_ctl(2): {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)},
     * in do_epoll_ctl's order: the event is read (EFAULT) unless op is DEL, both descriptors
     * looked up (EBADF), EPERM for a file that cannot be polled, EINVAL when epfd is not an epoll
     * instance; then {@link EventPoll#control}.
     */
    static long epollCtl(Task task, SyscallArgs args) {
        int epfd = args.int32(0);
        int op = args.int32(1);
        int fd = args.int32(2);
        long event = args.pointer(3);
        int events = 0;
        long data = 0;
        if (op != EPOLL_CTL_DEL) {
            events = task.memory().read32(event);
            data = task.memory().read64(event + 4);
        }
        FileDescription ep = FdSyscalls.fdget(task, epfd);
        FileDescription target = FdSyscalls.fdget(task, fd);
        if (!target.ops().pollable(target)) {
            throw ErrnoException.of(Errno.EPERM);
        }
        if (!(ep.ops() instanceof EventPoll poll)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        poll.control(op, fd, target, events, data);
        return 0;
    }

    /** epoll_wait(2): {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)}. */
    static long epollWait(Task task, SyscallArgs args) {
        int timeout = args.int32(3);
        return epollWait(task, args.int32(0), args.pointer(1), args.int32(2), timeout < 0 ? -1 : timeout * 1_000_000L);
    }

    /** epoll_pwait(2): epoll_wait with {@code const sigset_t *sigmask, size_t sigsetsize} in force while it waits. */
    static long epollPwait(Task task, SyscallArgs args) {
        int timeout = args.int32(3);
        return PollSyscalls.withMask(task, args.pointer(4), args.sizeT(5), () -> epollWait(task, args.int32(0), args.pointer(1),
                args.int32(2), timeout < 0 ? -1 : timeout * 1_000_000L));
    }

    /** epoll_pwait2(2): epoll_pwait with a {@code struct timespec *} timeout (NULL: none). */
    static long epollPwait2(Task task, SyscallArgs args) {
        long tmo = args.pointer(3);
        long nanos = tmo == 0 ? -1 : TimeSyscalls.readTimespec(task, tmo);
        return PollSyscalls.withMask(task, args.pointer(4), args.sizeT(5),
                () -> epollWait(task, args.int32(0), args.pointer(1), args.int32(2), nanos));
    }

    /**
     * do_epoll_wait: EINVAL for maxevents outside 1..EP_MAX_EVENTS, EBADF, EINVAL when epfd is not
     * an epoll instance; then waits at most {@code nanos} (negative: without limit) for events.
     * A signal ends the wait with EINTR, whatever SA_RESTART says (signal(7)).
     */
    private static long epollWait(Task task, int epfd, long events, int maxevents, long nanos) {
        if (maxevents <= 0 || maxevents > EP_MAX_EVENTS) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        FileDescription file = FdSyscalls.fdget(task, epfd);
        if (!(file.ops() instanceof EventPoll ep)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long deadline = System.nanoTime() + nanos;
        while (true) {
            long seen = Sleep.pollEvents();
            List<EventPoll.Event> got = ep.collect(maxevents);
            long left = nanos < 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (!got.isEmpty() || left <= 0) {
                byte[] out = new byte[got.size() * EPOLL_EVENT_SIZE];
                for (int i = 0; i < got.size(); i++) {
                    putLe(out, i * EPOLL_EVENT_SIZE, got.get(i).events(), 4);
                    putLe(out, i * EPOLL_EVENT_SIZE + 4, got.get(i).data(), 8);
                }
                task.memory().write(events, out, 0, out.length);
                return got.size();
            }
            try {
                PollSyscalls.awaitChange(seen, left);
            } catch (RestartSyscall interrupted) {
                throw ErrnoException.of(Errno.EINTR);
            }
        }
    }

    private static void putLe(byte[] b, int at, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /**
     * timerfd_create(2): {@code int timerfd_create(int clockid, int flags)}: EINVAL for a flag but
     * TFD_CLOEXEC and TFD_NONBLOCK or a clock but CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME
     * and their _ALARM kinds; EPERM for an _ALARM clock without CAP_WAKE_ALARM.
     */
    static long timerfdCreate(Task task, SyscallArgs args) {
        int clock = args.int32(0);
        int flags = args.int32(1);
        boolean alarm = clock == TimeSyscalls.CLOCK_REALTIME_ALARM || clock == TimeSyscalls.CLOCK_BOOTTIME_ALARM;
        if ((flags & ~(TFD_CLOEXEC | TFD_NONBLOCK)) != 0 || !(alarm || clock == TimeSyscalls.CLOCK_REALTIME
                || clock == TimeSyscalls.CLOCK_MONOTONIC || clock == TimeSyscalls.CLOCK_BOOTTIME)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (alarm && task.group().credentials().euid() != 0) {
            throw ErrnoException.of(Errno.EPERM);
        }
        return FdSyscalls.install(task, TimerFd.create(clock, flags), (flags & TFD_CLOEXEC) != 0);
    }

    /**
     * timerfd_settime(2): {@code int timerfd_settime(int fd, int flags, const struct itimerspec
     * *new_value, struct itimerspec *old_value)}: the new setting is read (EFAULT), then EINVAL
     * for a flag but TFD_TIMER_ABSTIME and TFD_TIMER_CANCEL_ON_SET or a time out of range, then
     * the descriptor (EBADF; EINVAL when it is not a timerfd). A zero it_value disarms.
     */
    static long timerfdSettime(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        int flags = args.int32(1);
        long newValue = args.pointer(2);
        long oldValue = args.pointer(3);
        long[] its = TimeSyscalls.readItimerspec(task, newValue);
        if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        TimerFd timer = TimerFd.of(FdSyscalls.fdget(task, fd));
        long interval = its[0];
        long value = its[1];
        long delay = value;
        if ((flags & TFD_TIMER_ABSTIME) != 0 && value != 0) {
            delay = value - TimeSyscalls.now(task, timer.clock());
        }
        long[] old = timer.set(value == 0, delay, interval);
        if (oldValue != 0) {
            TimeSyscalls.writeItimerspec(task, oldValue, old);
        }
        return 0;
    }

    /** timerfd_gettime(2): {@code int timerfd_gettime(int fd, struct itimerspec *curr_value)}: the interval and the time left. */
    static long timerfdGettime(Task task, SyscallArgs args) {
        TimerFd timer = TimerFd.of(FdSyscalls.fdget(task, args.int32(0)));
        TimeSyscalls.writeItimerspec(task, args.pointer(1), timer.get());
        return 0;
    }

    /** inotify_init(2): {@code int inotify_init(void)}. */
    static long inotifyInit(Task task, SyscallArgs args) {
        return FdSyscalls.install(task, Inotify.create(0), false);
    }

    /** inotify_init1(2): {@code int inotify_init1(int flags)}; EINVAL for a flag but IN_CLOEXEC and IN_NONBLOCK. */
    static long inotifyInit1(Task task, SyscallArgs args) {
        int flags = args.int32(0);
        if ((flags & ~(Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return FdSyscalls.install(task, Inotify.create(flags), (flags & Fcntl.O_CLOEXEC) != 0);
    }

    /**
     * inotify_add_watch(2): {@code int inotify_add_watch(int fd, const char *pathname, uint32_t
     * mask)}, in Linux's order: EINVAL for IN_MASK_ADD with IN_MASK_CREATE or a mask with no
     * inotify bit, EBADF, EINVAL when fd is not an inotify instance, then the path (followed
     * unless IN_DONT_FOLLOW; ENOTDIR under IN_ONLYDIR), EACCES without read permission; then
     * {@link Inotify#addWatch}.
     */
    static long inotifyAddWatch(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long pathPtr = args.pointer(1);
        int mask = args.int32(2);
        if ((mask & Inotify.IN_MASK_ADD) != 0 && (mask & Inotify.IN_MASK_CREATE) != 0
                || (mask & (Inotify.IN_ALL_EVENTS | Inotify.IN_FLAGS)) == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Inotify inotify = Inotify.of(FdSyscalls.fdget(task, fd));
        String path = PathArgs.read(task, pathPtr);
        Vfs.Resolved r = PathArgs.resolve(task, Fcntl.AT_FDCWD, path,
                (mask & Inotify.IN_DONT_FOLLOW) != 0 ? 0 : Vfs.FOLLOW, false);
        if ((mask & Inotify.IN_ONLYDIR) != 0 && !Stat.isDir(r.stat().mode())) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        if (!r.location().fs().access(r.location().fsPath(), Fcntl.R_OK)) {
            throw ErrnoException.of(Errno.EACCES);
        }
        return inotify.addWatch(r.location(), r.stat(), mask);
    }

    /** inotify_rm_watch(2): {@code int inotify_rm_watch(int fd, int wd)}: EBADF, EINVAL for a file that is not an instance or no such watch. */
    static long inotifyRmWatch(Task task, SyscallArgs args) {
        Inotify.of(FdSyscalls.fdget(task, args.int32(0))).removeWatch(args.int32(1));
        return 0;
    }

    /** signalfd(2): {@code int signalfd(int fd, const sigset_t *mask, size_t sizemask)}, without flags. */
    static long signalfd(Task task, SyscallArgs args) {
        return signalfd(task, args.int32(0), args.pointer(1), args.sizeT(2), 0);
    }

    /** signalfd4: {@code int signalfd4(int fd, const sigset_t *mask, size_t sizemask, int flags)}. */
    static long signalfd4(Task task, SyscallArgs args) {
        return signalfd(task, args.int32(0), args.pointer(1), args.sizeT(2), args.int32(3));
    }

    /**
     * do_signalfd4: EINVAL for a flag but SFD_CLOEXEC and SFD_NONBLOCK or a sizemask but 8, the
     * mask read (EFAULT); fd -1 makes a new signalfd, another fd must be one (EBADF, EINVAL) and
     * takes the new mask.
     */
    private static long signalfd(Task task, int fd, long maskPtr, long sizemask, int flags) {
        if ((flags & ~(Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK)) != 0 || sizemask != 8) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long mask = task.memory().read64(maskPtr);
        if (fd == -1) {
            return FdSyscalls.install(task, SignalFd.create(mask, flags), (flags & Fcntl.O_CLOEXEC) != 0);
        }
        SignalFd.update(FdSyscalls.fdget(task, fd), mask);
        return fd;
    }
}
