package dev.linux4j.fs.anon;

import static dev.linux4j.abi.Poll.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Ioctls;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileEvents;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Sleep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An inotify instance (fs/notify/inotify, inotify(7)). Linux hears of every change from the
 * file systems themselves; the host's file system here tells nothing, so the watched files and
 * directories are looked at every {@link #SCAN_MILLIS} ms (and at each read and poll), and the
 * differences become events: for a file IN_MODIFY (size or modification time changed),
 * IN_ATTRIB (change time alone), IN_MOVE_SELF (renamed within its directory: the watch follows
 * it), IN_ATTRIB, IN_DELETE_SELF and IN_IGNORED (gone, or another file in its place, or moved to
 * another directory, which a look at names cannot tell from a deletion); for a directory
 * IN_CREATE, IN_DELETE, IN_MOVED_FROM and IN_MOVED_TO with a cookie (an inode seen under a new
 * name), and IN_MODIFY and IN_ATTRIB of its entries, IN_ISDIR for directories. Changes
 * between two looks come as one event, and a change undone before a look is not seen. IN_OPEN, IN_CLOSE_WRITE and IN_CLOSE_NOWRITE come from the guest's own opens
 * and last closes ({@link FileEvents}), at once; opens and closes by host processes, and
 * IN_ACCESS, are never reported. An event equal to the last one queued and unread merges into
 * it, as Linux merges them.
 *
 * <p>Locking: {@link #lock} guards the watches and the queue.
 */
public final class Inotify extends AnonInode {
    public static final int IN_ACCESS = 0x1;
    public static final int IN_MODIFY = 0x2;
    public static final int IN_ATTRIB = 0x4;
    public static final int IN_CLOSE_WRITE = 0x8;
    public static final int IN_CLOSE_NOWRITE = 0x10;
    public static final int IN_OPEN = 0x20;
    public static final int IN_MOVED_FROM = 0x40;
    public static final int IN_MOVED_TO = 0x80;
    public static final int IN_CREATE = 0x100;
    public static final int IN_DELETE = 0x200;
    public static final int IN_DELETE_SELF = 0x400;
    public static final int IN_MOVE_SELF = 0x800;
    public static final int IN_Q_OVERFLOW = 0x4000;
    public static final int IN_IGNORED = 0x8000;
    public static final int IN_ONLYDIR = 0x1000000;
    public static final int IN_DONT_FOLLOW = 0x2000000;
    public static final int IN_EXCL_UNLINK = 0x4000000;
    public static final int IN_MASK_CREATE = 0x10000000;
    public static final int IN_MASK_ADD = 0x20000000;
    public static final int IN_ISDIR = 0x40000000;
    public static final int IN_ONESHOT = 0x80000000;
    public static final int IN_ALL_EVENTS = 0xfff;
    /** The flags inotify_add_watch takes besides events. */
    public static final int IN_FLAGS = IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD
            | IN_ONESHOT;
    /** /proc/sys/fs/inotify/max_queued_events. */
    private static final int MAX_QUEUED = 16384;
    private static final int EVENT_SIZE = 16;
    /** d_type of a directory in getdents64. */
    private static final int DT_DIR = 4;
    static final long SCAN_MILLIS = 50;

    private static final ScheduledExecutorService SCANNER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "linux4j inotify");
        t.setDaemon(true);
        return t;
    });

    /** What a look at a file keeps to compare with the next one. */
    private record Seen(long dev, long ino, long size, long mtime, long ctime, boolean dir) {
        static Seen of(StatBuf st) {
            return new Seen(st.dev(), st.ino(), st.size(), st.mtimeSec() * 1_000_000_000L + st.mtimeNsec(),
                    st.ctimeSec() * 1_000_000_000L + st.ctimeNsec(), Stat.isDir(st.mode()));
        }

        boolean sameFile(Seen o) {
            return o != null && dev == o.dev && ino == o.ino;
        }
    }

    private static final class Watch {
        final int wd;
        /** Where the watched file is: moved along when it is renamed within its directory. */
        Location location;
        int mask;
        Seen self;
        Map<String, Seen> entries;

        Watch(int wd, Location location) {
            this.wd = wd;
            this.location = location;
        }
    }

    private record Event(int wd, int mask, int cookie, String name) {}

    /** The instances that have watches: the VFS's open and close hooks reach them. */
    private static final java.util.concurrent.CopyOnWriteArrayList<Inotify> WATCHING =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        FileEvents.listen(new FileEvents.Listener() {
            @Override
            public void opened(FileDescription file) {
                for (Inotify i : WATCHING) {
                    i.fileEvent(file, IN_OPEN);
                }
            }

            @Override
            public void closed(FileDescription file) {
                for (Inotify i : WATCHING) {
                    i.fileEvent(file, file.writable() ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
                }
            }
        });
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final Map<Integer, Watch> watches = new LinkedHashMap<>();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private int nextWd = 1;
    private int nextCookie = 1;
    private long queuedBytes;
    private ScheduledFuture<?> scanning;

    private Inotify() {
        super("inotify");
    }

    /** inotify_init1's file: O_RDONLY, with O_NONBLOCK from {@code flags}. */
    public static FileDescription create(int flags) {
        return new FileDescription(new Inotify(), Fcntl.O_RDONLY | (flags & Fcntl.O_NONBLOCK), "anon_inode:inotify",
                null);
    }

    /** The instance behind an open file, or EINVAL when it is not one. */
    public static Inotify of(FileDescription file) {
        if (file.ops() instanceof Inotify i) {
            return i;
        }
        throw ErrnoException.of(Errno.EINVAL);
    }

    /**
     * inotify_add_watch for the file at {@code location} ({@code st} its attributes): the same
     * file's watch gets the new mask (IN_MASK_ADD: added to the old one; IN_MASK_CREATE: EEXIST)
     * and keeps its descriptor; otherwise a new watch, descriptors counting up from 1.
     */
    public int addWatch(Location location, StatBuf st, int mask) {
        lock.lock();
        try {
            Seen seen = Seen.of(st);
            for (Watch w : watches.values()) {
                if (seen.sameFile(w.self)) {
                    if ((mask & IN_MASK_CREATE) != 0) {
                        throw ErrnoException.of(Errno.EEXIST);
                    }
                    w.mask = (mask & IN_MASK_ADD) != 0 ? w.mask | mask : mask;
                    if (w.entries != null) {
                        w.entries = list(w); // stat'ed or not, as the new mask asks
                    }
                    return w.wd;
                }
            }
            Watch w = new Watch(nextWd++, location);
            w.mask = mask;
            w.self = seen;
            if (seen.dir()) {
                w.entries = list(w);
            }
            watches.put(w.wd, w);
            WATCHING.addIfAbsent(this);
            if (scanning == null) {
                scanning = SCANNER.scheduleWithFixedDelay(this::scanAndWake, SCAN_MILLIS, SCAN_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
            return w.wd;
        } finally {
            lock.unlock();
        }
    }

    /** inotify_rm_watch: EINVAL for no such watch; queues IN_IGNORED for it. */
    public void removeWatch(int wd) {
        lock.lock();
        try {
            if (watches.remove(wd) == null) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            queue(new Event(wd, IN_IGNORED, 0, null));
            stopScanningIfIdle();
        } finally {
            lock.unlock();
        }
        Sleep.wakePollers();
    }

    private void stopScanningIfIdle() {
        if (watches.isEmpty()) {
            WATCHING.remove(this);
            if (scanning != null) {
                scanning.cancel(false);
                scanning = null;
            }
        }
    }

    /**
     * An open or a last close of {@code file} by a guest (fsnotify_open, fsnotify_close): the
     * event goes to a watch on the file itself, and with the file's name to a watch on its
     * directory. Changes found since the last look are queued first, so a write's IN_MODIFY
     * comes before the close that follows it.
     */
    private void fileEvent(FileDescription file, int mask) {
        Location loc = file.location();
        StatBuf st;
        try {
            st = file.ops().stat(file);
        } catch (RuntimeException e) {
            return;
        }
        int dirBit = Stat.isDir(st.mode()) ? IN_ISDIR : 0;
        String path = loc.fsPath();
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        boolean queuedAny;
        lock.lock();
        try {
            if (watches.values().stream().noneMatch(w -> hears(w, st, loc, parent))) {
                return; // no watch is about this file: no look at the others either
            }
            int before = events.size();
            scan();
            for (Watch w : watches.values()) {
                if (hears(w, st, loc, parent)) {
                    emit(w, mask | dirBit, 0, w.entries != null && !sameFile(w, st) ? name : null);
                }
            }
            queuedAny = events.size() > before;
            if (queuedAny) {
                queued.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (queuedAny) {
            Sleep.wakePollers();
        }
    }

    private static boolean sameFile(Watch w, StatBuf st) {
        return w.self.dev() == st.dev() && w.self.ino() == st.ino();
    }

    /**
     * Whether watch {@code w} hears of an open or close of the file {@code st} describes, found
     * at {@code loc} (its directory's path {@code parent}): a watch on the file itself, or on
     * its directory.
     */
    private static boolean hears(Watch w, StatBuf st, Location loc, String parent) {
        return sameFile(w, st) || w.entries != null && !loc.fsPath().isEmpty() && w.location.fs() == loc.fs()
                && w.location.fsPath().equals(parent);
    }

    private void scanAndWake() {
        boolean any;
        lock.lock();
        try {
            any = scan();
        } finally {
            lock.unlock();
        }
        if (any) {
            Sleep.wakePollers();
        }
    }

    /** Looks at every watch and queues the differences (the lock held); true when something was queued. */
    private boolean scan() {
        int before = events.size();
        for (Iterator<Watch> it = watches.values().iterator(); it.hasNext();) {
            Watch w = it.next();
            int queuedBefore = events.size();
            Seen now = stat(w.location, w.location.fsPath());
            boolean renamed = false;
            if (!w.self.sameFile(now)) {
                Location moved = renamedWithinParent(w);
                if (moved == null) {
                    // fsnotify_link_count's IN_ATTRIB, then fsnotify_inoderemove's IN_DELETE_SELF
                    emit(w, IN_ATTRIB, 0, null);
                    emit(w, IN_DELETE_SELF, 0, null);
                    queue(new Event(w.wd, IN_IGNORED, 0, null));
                    it.remove();
                    continue;
                }
                emit(w, IN_MOVE_SELF, 0, null); // the watch stays on the inode, under its new name
                w.location = moved;
                renamed = true;
                now = stat(moved, moved.fsPath());
                if (!w.self.sameFile(now)) {
                    continue; // changed again since: the next look decides
                }
            }
            if (now.dir()) {
                scanEntries(w);
            } else if (now.size() != w.self.size() || now.mtime() != w.self.mtime()) {
                emit(w, IN_MODIFY, 0, null);
            } else if (now.ctime() != w.self.ctime() && !renamed) { // rename's own ctime is no IN_ATTRIB
                emit(w, IN_ATTRIB, 0, null);
            }
            w.self = now;
            if ((w.mask & IN_ONESHOT) != 0 && events.size() > queuedBefore) {
                queue(new Event(w.wd, IN_IGNORED, 0, null));
                it.remove();
            }
        }
        stopScanningIfIdle();
        if (events.size() > before) {
            queued.signalAll();
            return true;
        }
        return false;
    }

    private void scanEntries(Watch w) {
        Map<String, Seen> now = list(w);
        Map<String, Seen> gone = new LinkedHashMap<>();
        for (Map.Entry<String, Seen> e : w.entries.entrySet()) {
            Seen cur = now.get(e.getKey());
            if (!e.getValue().sameFile(cur)) {
                gone.put(e.getKey(), e.getValue());
            }
        }
        Map<Long, String> goneByInode = new HashMap<>();
        gone.forEach((name, seen) -> goneByInode.put(seen.ino(), name));
        // Renames first (a file gone from one name and present under another): `mv f g; touch
        // f` is IN_MOVED_FROM f, IN_MOVED_TO g, then IN_CREATE f, as Linux reports them.
        java.util.Set<String> movedTo = new java.util.HashSet<>();
        java.util.Set<String> movedFrom = new java.util.HashSet<>();
        for (Map.Entry<String, Seen> e : now.entrySet()) {
            String name = e.getKey();
            Seen cur = e.getValue();
            if (cur.sameFile(w.entries.get(name))) {
                continue;
            }
            String from = goneByInode.get(cur.ino());
            if (from != null && !from.equals(name) && gone.get(from).dev() == cur.dev()) {
                goneByInode.remove(cur.ino());
                int cookie = nextCookie++;
                int dirBit = cur.dir() ? IN_ISDIR : 0;
                emit(w, IN_MOVED_FROM | dirBit, cookie, from);
                emit(w, IN_MOVED_TO | dirBit, cookie, name);
                movedFrom.add(from);
                movedTo.add(name);
            }
        }
        for (Map.Entry<String, Seen> e : now.entrySet()) {
            String name = e.getKey();
            Seen cur = e.getValue();
            Seen old = w.entries.get(name);
            if (cur.sameFile(old)) {
                if (!cur.dir() && (cur.size() != old.size() || cur.mtime() != old.mtime())) {
                    emit(w, IN_MODIFY, 0, name);
                } else if (cur.ctime() != old.ctime() && !cur.dir()) {
                    emit(w, IN_ATTRIB, 0, name);
                }
                continue;
            }
            if (movedTo.contains(name)) {
                continue;
            }
            if (old != null && !movedFrom.contains(name)) {
                emit(w, IN_DELETE | (old.dir() ? IN_ISDIR : 0), 0, name);
            }
            emit(w, IN_CREATE | (cur.dir() ? IN_ISDIR : 0), 0, name);
        }
        for (Map.Entry<String, Seen> e : gone.entrySet()) {
            if (!now.containsKey(e.getKey()) && !movedFrom.contains(e.getKey())) {
                emit(w, IN_DELETE | (e.getValue().dir() ? IN_ISDIR : 0), 0, e.getKey());
            }
        }
        w.entries = now;
    }

    /**
     * The watched file's new place when it was renamed within its directory (what the
     * directory lists under another name is the same inode), or null: deleted, or moved to
     * another directory, which a look at the names cannot tell from a deletion.
     */
    private static Location renamedWithinParent(Watch w) {
        String path = w.location.fsPath();
        String guest = w.location.guestPath();
        if (path.isEmpty()) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash);
        String guestDir = guest.substring(0, Math.max(guest.lastIndexOf('/'), 0));
        try {
            for (DirEntry d : w.location.fs().list(dir)) {
                String name = new String(d.name(), StandardCharsets.UTF_8);
                if (d.ino() != w.self.ino() || name.equals(".") || name.equals("..")) {
                    continue;
                }
                Location there = new Location(w.location.mount(), dir.isEmpty() ? name : dir + "/" + name,
                        guestDir + "/" + name);
                if (w.self.sameFile(stat(there, there.fsPath()))) {
                    return there;
                }
            }
        } catch (ErrnoException e) {
            // the directory went too
        }
        return null;
    }

    private static Seen stat(Location location, String fsPath) {
        try {
            return Seen.of(location.fs().stat(fsPath));
        } catch (ErrnoException e) {
            return null;
        }
    }

    /**
     * A directory's entries by name. Each is stat'ed only when the watch asks for IN_MODIFY or
     * IN_ATTRIB of them; otherwise the directory entry's inode and type are enough.
     */
    private static Map<String, Seen> list(Watch w) {
        Map<String, Seen> out = new LinkedHashMap<>();
        String dir = w.location.fsPath();
        boolean stat = (w.mask & (IN_MODIFY | IN_ATTRIB)) != 0;
        try {
            for (DirEntry d : w.location.fs().list(dir)) {
                String name = new String(d.name(), StandardCharsets.UTF_8);
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                Seen s = stat ? stat(w.location, dir.isEmpty() ? name : dir + "/" + name)
                        : new Seen(w.self.dev(), d.ino(), 0, 0, 0, d.type() == DT_DIR);
                if (s != null) {
                    out.put(name, s);
                }
            }
        } catch (ErrnoException e) {
            // the directory went: the next look reports IN_DELETE_SELF
        }
        return out;
    }

    /** Queues an event the watch asked for (IN_ISDIR passes along with its event). */
    private void emit(Watch w, int mask, int cookie, String name) {
        if ((mask & w.mask & IN_ALL_EVENTS) != 0) {
            queue(new Event(w.wd, mask, cookie, name));
        }
    }

    /** inotify_merge: an event equal to the last queued one is dropped; past the limit, IN_Q_OVERFLOW. */
    private void queue(Event e) {
        if (e.equals(events.peekLast())) {
            return;
        }
        if (events.size() >= MAX_QUEUED) {
            Event overflow = new Event(-1, IN_Q_OVERFLOW, 0, null);
            if (!overflow.equals(events.peekLast())) {
                events.addLast(overflow);
                queuedBytes += EVENT_SIZE;
            }
            return;
        }
        events.addLast(e);
        queuedBytes += size(e);
    }

    /** struct inotify_event with its name NUL-padded to a multiple of 16 bytes. */
    private static int size(Event e) {
        if (e.name() == null) {
            return EVENT_SIZE;
        }
        int n = e.name().getBytes(StandardCharsets.UTF_8).length + 1;
        return EVENT_SIZE + (n + EVENT_SIZE - 1) / EVENT_SIZE * EVENT_SIZE;
    }

    /**
     * inotify_read: whole events, as many as fit; EINVAL when the first does not fit; waits (or
     * EAGAIN) while none is queued.
     */
    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        lock.lock();
        try {
            scan();
            while (events.isEmpty()) {
                if ((file.flags() & Fcntl.O_NONBLOCK) != 0) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Sleep.await(queued);
            }
            int n = 0;
            while (!events.isEmpty()) {
                Event e = events.peekFirst();
                int size = size(e);
                if (n + size > len) {
                    if (n == 0) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    break;
                }
                put(buf, off + n, e.wd());
                put(buf, off + n + 4, e.mask());
                put(buf, off + n + 8, e.cookie());
                put(buf, off + n + 12, size - EVENT_SIZE);
                java.util.Arrays.fill(buf, off + n + EVENT_SIZE, off + n + size, (byte) 0);
                if (e.name() != null) {
                    byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(name, 0, buf, off + n + EVENT_SIZE, name.length);
                }
                n += size;
                events.pollFirst();
                queuedBytes -= size;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    private static void put(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = (byte) (v >> 24);
    }

    @Override
    public int poll(FileDescription file) {
        lock.lock();
        try {
            scan();
            return events.isEmpty() ? 0 : POLLIN | POLLRDNORM;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean readReady(FileDescription file) {
        return poll(file) != 0;
    }

    /** FIONREAD: the bytes of the queued events. */
    @Override
    public long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
        if (cmd == Ioctls.FIONREAD) {
            int n;
            lock.lock();
            try {
                scan();
                n = (int) queuedBytes;
            } finally {
                lock.unlock();
            }
            context.writeInt(arg, n);
            return 0;
        }
        throw ErrnoException.of(Errno.ENOTTY);
    }

    @Override
    public void release(FileDescription file) {
        lock.lock();
        try {
            watches.clear();
            stopScanningIfIdle();
        } finally {
            lock.unlock();
        }
    }
}
