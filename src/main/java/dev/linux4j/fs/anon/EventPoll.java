package dev.linux4j.fs.anon;

import static dev.linux4j.abi.EventFds.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.vfs.FileDescription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (fs/eventpoll.c, epoll(7)): an interest list of (open file, descriptor)
 * pairs and a ready list.
 *
 * <p>Linux queues an item on the ready list from the file's wake-up callback. Files here wake
 * every poller at once ({@link dev.linux4j.vfs.Sleep#wakePollers}), so each wait first looks at
 * every item: a level-triggered item is queued while its file is ready; an edge-triggered one
 * when its file is ready and has sent a wake-up for the item's events since the last look
 * (pipes, eventfds and timerfds count them, {@link dev.linux4j.vfs.FileOps#pollWakeups}), or,
 * for a file that does not count them (the host's stdio, another epoll instance), when it is
 * ready with an event it did not have at the last look. An item added or modified while its
 * file is ready is queued either way. Items are delivered from the head of the ready list, and
 * a level-triggered item goes back to its tail, so waits with a small maxevents take turns as on
 * Linux. An item goes when its open file is released (its last descriptor closed), as Linux's
 * eventpoll_release does.
 *
 * <p>Locking: {@code this} guards the lists and every item.
 */
public final class EventPoll extends AnonInode {
    /** EP_MAX_NESTS: how deep epoll instances may watch each other. */
    private static final int EP_MAX_NESTS = 4;
    /** EP_PRIVATE_BITS: the flags of an item, which are not events. */
    private static final int EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
    /** EPOLLEXCLUSIVE_OK_BITS: what may come with EPOLLEXCLUSIVE. */
    private static final int EPOLLEXCLUSIVE_OK_BITS =
            EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;

    /** struct epitem: what is watched, for which events, and what the last look saw. */
    private static final class Item {
        final FileDescription file;
        final int fd;
        int events;
        long data;
        /** The ready events at the last look (edge-triggered items are queued on a new one). */
        int seen;
        /** The file's wake-ups for the item's events at the last look (-1: it does not count them). */
        long wakeups = -1;
        boolean queued;

        Item(FileDescription file, int fd) {
            this.file = file;
            this.fd = fd;
        }
    }

    private record Key(FileDescription file, int fd) {}

    private final Map<Key, Item> items = new LinkedHashMap<>();
    private final ArrayDeque<Item> ready = new ArrayDeque<>();

    private EventPoll() {
        super("[eventpoll]");
    }

    /** epoll_create1's file: O_RDWR. */
    public static FileDescription create() {
        return new FileDescription(new EventPoll(), Fcntl.O_RDWR, "anon_inode:[eventpoll]", null);
    }

    /** One event epoll_wait reports: {@code struct epoll_event}. */
    public record Event(int events, long data) {}

    /**
     * do_epoll_ctl from the point where both files are known to exist, {@code target} (what
     * descriptor {@code fd} refers to) can be polled and this is an epoll instance;
     * {@code events} and {@code data} are unused for DEL. EINVAL for this instance itself or a
     * bad EPOLLEXCLUSIVE, ELOOP for a cycle of instances or one nested too deep, EEXIST and
     * ENOENT as the interest list has the pair or not, EINVAL for an unknown op.
     */
    public void control(int op, int fd, FileDescription target, int events, long data) {
        if (target.ops() == this) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if ((events & EPOLLEXCLUSIVE) != 0) {
            if (op == EPOLL_CTL_MOD) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (op == EPOLL_CTL_ADD
                    && (target.ops() instanceof EventPoll || (events & ~EPOLLEXCLUSIVE_OK_BITS) != 0)) {
                throw ErrnoException.of(Errno.EINVAL);
            }
        }
        if (op == EPOLL_CTL_ADD && target.ops() instanceof EventPoll nested
                && (nested.reaches(this, 1) || nested.depth(1) > EP_MAX_NESTS - 1)) {
            throw ErrnoException.of(Errno.ELOOP);
        }
        synchronized (this) {
            Key key = new Key(target, fd);
            Item item = items.get(key);
            switch (op) {
                case EPOLL_CTL_ADD -> {
                    if (item != null) {
                        throw ErrnoException.of(Errno.EEXIST);
                    }
                    item = new Item(target, fd);
                    item.events = events | EPOLLERR | EPOLLHUP;
                    item.data = data;
                    items.put(key, item);
                    look(item, true);
                }
                case EPOLL_CTL_DEL -> {
                    if (item == null) {
                        throw ErrnoException.of(Errno.ENOENT);
                    }
                    items.remove(key);
                    ready.remove(item);
                }
                case EPOLL_CTL_MOD -> {
                    if (item == null) {
                        throw ErrnoException.of(Errno.ENOENT);
                    }
                    if ((item.events & EPOLLEXCLUSIVE) != 0) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    item.events = events | EPOLLERR | EPOLLHUP;
                    item.data = data;
                    look(item, true);
                }
                default -> throw ErrnoException.of(Errno.EINVAL);
            }
        }
    }

    /** Whether {@code target} is this instance or one it watches, at most EP_MAX_NESTS deep. */
    private boolean reaches(EventPoll target, int depth) {
        if (this == target) {
            return true;
        }
        if (depth > EP_MAX_NESTS) {
            return false;
        }
        for (EventPoll e : nested()) {
            if (e.reaches(target, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /** How many instances deep this one's chain of watched instances goes. */
    private int depth(int limit) {
        int deepest = 0;
        if (limit > EP_MAX_NESTS) {
            return deepest;
        }
        for (EventPoll e : nested()) {
            deepest = Math.max(deepest, 1 + e.depth(limit + 1));
        }
        return deepest;
    }

    private synchronized List<EventPoll> nested() {
        List<EventPoll> out = new ArrayList<>();
        for (Item item : items.values()) {
            if (item.file.ops() instanceof EventPoll e) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Polls an item and queues it as its triggering asks (the lock held): a level-triggered one
     * when ready, an edge-triggered one when ready after a wake-up for its events since the last
     * look (or, for a file that does not count wake-ups, ready with an event it did not have).
     * {@code fresh}: it was just added or modified, and is queued when ready (ep_insert,
     * ep_modify).
     */
    private void look(Item item, boolean fresh) {
        int now = item.file.ops().poll(item.file) & item.events & ~EP_PRIVATE_BITS;
        long wakeups = item.file.ops().pollWakeups(item.file, item.events & ~EP_PRIVATE_BITS);
        boolean queue;
        if ((item.events & EPOLLET) == 0 || fresh) {
            queue = now != 0;
        } else if (wakeups >= 0 && item.wakeups >= 0) {
            queue = now != 0 && wakeups != item.wakeups;
        } else {
            queue = (now & ~item.seen) != 0;
        }
        item.seen = now;
        item.wakeups = wakeups;
        if (queue && !item.queued) {
            item.queued = true;
            ready.addLast(item);
        }
    }

    /** Looks at every item, dropping those whose file has been released. */
    private void lookAll() {
        for (Iterator<Item> it = items.values().iterator(); it.hasNext();) {
            Item item = it.next();
            if (item.file.released()) {
                it.remove();
                if (item.queued) {
                    ready.remove(item);
                }
            } else {
                look(item, false);
            }
        }
    }

    /**
     * ep_send_events: takes at most {@code max} events from the head of the ready list, each
     * polled again (an item no longer ready is skipped); a one-shot item is disabled, a
     * level-triggered one goes back to the tail. Empty when nothing is ready.
     */
    public synchronized List<Event> collect(int max) {
        lookAll();
        List<Event> out = new ArrayList<>();
        List<Item> requeue = new ArrayList<>();
        while (out.size() < max && !ready.isEmpty()) {
            Item item = ready.pollFirst();
            item.queued = false;
            int revents = item.file.ops().poll(item.file) & item.events & ~EP_PRIVATE_BITS;
            if (revents == 0) {
                continue;
            }
            out.add(new Event(revents, item.data));
            if ((item.events & EPOLLONESHOT) != 0) {
                item.events &= EP_PRIVATE_BITS;
            } else if ((item.events & EPOLLET) == 0) {
                requeue.add(item);
            }
        }
        for (Item item : requeue) {
            item.queued = true;
            ready.addLast(item);
        }
        return out;
    }

    /** ep_eventpoll_poll: readable when some item is ready, without taking anything. */
    @Override
    public synchronized int poll(FileDescription file) {
        lookAll();
        for (Item item : ready) {
            if ((item.file.ops().poll(item.file) & item.events & ~EP_PRIVATE_BITS) != 0) {
                return EPOLLIN | EPOLLRDNORM;
            }
        }
        return 0;
    }

    @Override
    public boolean readReady(FileDescription file) {
        return poll(file) != 0;
    }
}
