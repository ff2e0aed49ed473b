package dev.linux4j.abi;

/** Flags and structures of eventfd(2), epoll(7) and timerfd(2): uapi linux/eventpoll.h, sys/eventfd.h, sys/timerfd.h. */
public final class EventFds {
    private EventFds() {}

    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_CLOEXEC = Fcntl.O_CLOEXEC;
    public static final int EFD_NONBLOCK = Fcntl.O_NONBLOCK;

    public static final int EPOLL_CLOEXEC = Fcntl.O_CLOEXEC;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x1;
    public static final int EPOLLPRI = 0x2;
    public static final int EPOLLOUT = 0x4;
    public static final int EPOLLERR = 0x8;
    public static final int EPOLLHUP = 0x10;
    public static final int EPOLLRDNORM = 0x40;
    public static final int EPOLLRDBAND = 0x80;
    public static final int EPOLLWRNORM = 0x100;
    public static final int EPOLLWRBAND = 0x200;
    public static final int EPOLLMSG = 0x400;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLWAKEUP = 1 << 29;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;
    /** sizeof(struct epoll_event) on x86-64, where the structure is packed: __u32 events, __u64 data. */
    public static final int EPOLL_EVENT_SIZE = 12;

    public static final int TFD_TIMER_ABSTIME = 1;
    public static final int TFD_TIMER_CANCEL_ON_SET = 2;
    public static final int TFD_CLOEXEC = Fcntl.O_CLOEXEC;
    public static final int TFD_NONBLOCK = Fcntl.O_NONBLOCK;
}
