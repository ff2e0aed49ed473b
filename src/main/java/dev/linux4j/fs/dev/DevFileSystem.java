package dev.linux4j.fs.dev;

import static dev.linux4j.abi.Stat.S_IFCHR;
import static dev.linux4j.abi.Stat.S_IFDIR;
import static dev.linux4j.abi.Stat.S_IFLNK;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.fs.tty.DevPts;
import dev.linux4j.vfs.Caller;
import dev.linux4j.vfs.JobControl;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.FileSystem;
import dev.linux4j.vfs.SimpleXattrs;
import dev.linux4j.vfs.Xattrs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The guest's /dev: the memory character devices of drivers/char/mem.c and random.c
 * (null, zero, full, random, urandom) with their Linux device numbers, the stdio links
 * Linux's udev creates (stdin, stdout, stderr, fd → /proc/self/fd), the terminal devices of
 * drivers/tty/tty_io.c (tty 5,0: the caller's controlling terminal; ptmx 5,2: a new pty) and
 * the devpts instance mounted on /dev/pts (see {@link DevPts}).
 */
public final class DevFileSystem implements FileSystem {
    private static final long DEV = StatBuf.makedev(0, 5);
    private static final long BOOT_SECONDS = System.currentTimeMillis() / 1000;

    /** A device node: its number and behaviour. */
    private record Node(long ino, int major, int minor, FileOps ops) {}

    private final Map<String, Node> devices = new LinkedHashMap<>();
    private final Map<String, String> links = new LinkedHashMap<>();
    /** /dev/pts; its nodes report the st_dev of an anonymous device of their own. */
    private final DevPts pts = new DevPts(StatBuf.makedev(0, 26));
    private static final String PTS = "pts";
    private static final long TTY_INO = 9;
    private static final long PTMX_INO = 10;

    /** @param random what /dev/random and /dev/urandom read (the kernel's random bytes) */
    public DevFileSystem(RandomGenerator random) {
        devices.put("null", new Node(4, 1, 3, new MemDevice(MemDevice.Kind.NULL)));
        devices.put("zero", new Node(5, 1, 5, new MemDevice(MemDevice.Kind.ZERO)));
        devices.put("full", new Node(6, 1, 7, new MemDevice(MemDevice.Kind.FULL)));
        devices.put("random", new Node(7, 1, 8, new MemDevice(MemDevice.Kind.RANDOM, random)));
        devices.put("urandom", new Node(8, 1, 9, new MemDevice(MemDevice.Kind.RANDOM, random)));
        devices.put("tty", new Node(TTY_INO, DevPts.TTYAUX_MAJOR, 0, null));
        devices.put("ptmx", new Node(PTMX_INO, DevPts.TTYAUX_MAJOR, 2, null));
        links.put("fd", "/proc/self/fd");
        links.put("stdin", "/proc/self/fd/0");
        links.put("stdout", "/proc/self/fd/1");
        links.put("stderr", "/proc/self/fd/2");
    }

    private StatBuf node(long ino, int mode, long rdev, long size) {
        return new StatBuf(DEV, ino, mode, 1, 0, 0, rdev, size, 4096, 0, BOOT_SECONDS, 0, BOOT_SECONDS, 0,
                BOOT_SECONDS, 0, 0, 0, false, 0);
    }

    @Override
    public StatBuf stat(String path) {
        if (path.isEmpty()) {
            return node(1, S_IFDIR | 0755, 0, 4096);
        }
        if (isPts(path)) {
            return pts.stat(ptsPath(path));
        }
        Node n = devices.get(path);
        if (n != null) {
            return node(n.ino(), S_IFCHR | 0666, StatBuf.makedev(n.major(), n.minor()), 0);
        }
        String target = links.get(path);
        if (target != null) {
            return node(100 + List.copyOf(links.keySet()).indexOf(path), S_IFLNK | 0777, 0, target.length());
        }
        throw ErrnoException.of(Errno.ENOENT);
    }

    @Override
    public String readlink(String path) {
        String target = links.get(path);
        if (target == null) {
            stat(path);
            throw ErrnoException.of(Errno.EINVAL);
        }
        return target;
    }

    @Override
    public FileOps open(String path, int flags, int mode) {
        if (path.isEmpty()) {
            return plainNode(stat(""), () -> list(""));
        }
        if (isPts(path)) {
            String inPts = ptsPath(path);
            FileOps ops = pts.open(inPts, flags);
            return ops != null ? ops : plainNode(pts.stat(inPts), inPts.isEmpty() ? pts::list : null);
        }
        Node n = devices.get(path);
        if (n == null) {
            stat(path);
            throw ErrnoException.of(Errno.EACCES); // cannot create files in /dev
        }
        StatBuf st = stat(path);
        if (n.ops() == null) {
            return (flags & Fcntl.O_PATH) != 0 ? plainNode(st, null) : openTerminal(path, flags, st);
        }
        return new DeviceFile(n.ops(), st);
    }

    private static boolean isPts(String path) {
        return path.equals(PTS) || path.startsWith(PTS + "/");
    }

    private static String ptsPath(String path) {
        return path.length() == PTS.length() ? "" : path.substring(PTS.length() + 1);
    }

    /**
     * /dev/ptmx opens a new pty's master (ptmx_open); /dev/tty the caller's controlling
     * terminal (tty_open_current_tty: ENXIO without one).
     */
    private FileOps openTerminal(String path, int flags, StatBuf st) {
        if (path.equals("ptmx")) {
            return pts.openMaster(flags, st);
        }
        JobControl jc = Caller.jobControl();
        JobControl.Terminal tty = jc == null ? null : jc.terminal();
        if (tty == null) {
            throw ErrnoException.of(Errno.ENXIO);
        }
        return tty.reopen(flags | Fcntl.O_NOCTTY);
    }

    /**
     * A node opened for its attributes only (O_PATH), or a directory (/dev, /dev/pts) whose
     * entries {@code listing} gives; null for a node that is not a directory.
     */
    private FileOps plainNode(StatBuf st, java.util.function.Supplier<List<DirEntry>> listing) {
        return new FileOps() {
            @Override
            public boolean seekable() {
                return listing != null;
            }

            @Override
            public StatBuf stat(FileDescription file) {
                return st;
            }

            @Override
            public List<DirEntry> readdir(FileDescription file) {
                if (listing == null) {
                    throw ErrnoException.of(Errno.ENOTDIR);
                }
                return listing.get();
            }
        };
    }

    /** Binds a device's behaviour to its attributes. */
    private record DeviceFile(FileOps behaviour, StatBuf st) implements FileOps {
        @Override
        public int read(FileDescription file, byte[] buf, int off, int len, long position) {
            return behaviour.read(file, buf, off, len, position);
        }

        @Override
        public int write(FileDescription file, byte[] buf, int off, int len, long position) {
            return behaviour.write(file, buf, off, len, position);
        }

        @Override
        public boolean seekable() {
            return true;
        }

        @Override
        public long size(FileDescription file) {
            return 0;
        }

        @Override
        public StatBuf stat(FileDescription file) {
            return st;
        }

        @Override
        public void fsync(FileDescription file) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /** The memory devices: reads and writes as drivers/char/mem.c implements them. */
    static final class MemDevice implements FileOps {
        enum Kind { NULL, ZERO, FULL, RANDOM }

        private final Kind kind;
        private final RandomGenerator random;

        MemDevice(Kind kind) {
            this(kind, null);
        }

        MemDevice(Kind kind, RandomGenerator random) {
            this.kind = kind;
            this.random = random;
        }

        @Override
        public int read(FileDescription file, byte[] buf, int off, int len, long position) {
            switch (kind) {
                case NULL -> {
                    return 0;
                }
                case ZERO, FULL -> {
                    java.util.Arrays.fill(buf, off, off + len, (byte) 0);
                    return len;
                }
                default -> {
                    byte[] r = new byte[len];
                    random.nextBytes(r);
                    System.arraycopy(r, 0, buf, off, len);
                    return len;
                }
            }
        }

        @Override
        public int write(FileDescription file, byte[] buf, int off, int len, long position) {
            if (kind == Kind.FULL) {
                throw ErrnoException.of(Errno.ENOSPC);
            }
            return len;
        }

        @Override
        public StatBuf stat(FileDescription file) {
            throw new UnsupportedOperationException("bound by DeviceFile");
        }
    }

    @Override
    public void mkdir(String path, int mode) {
        exists(path, Errno.EACCES);
    }

    @Override
    public void unlink(String path) {
        stat(path);
        throw ErrnoException.of(Errno.EACCES);
    }

    @Override
    public void rmdir(String path) {
        StatBuf st = stat(path);
        throw ErrnoException.of(Stat.isDir(st.mode()) ? Errno.EBUSY : Errno.ENOTDIR);
    }

    @Override
    public void rename(String from, String to, int flags) {
        stat(from);
        throw ErrnoException.of(Errno.EACCES);
    }

    @Override
    public void link(String existing, String newPath) {
        stat(existing);
        throw ErrnoException.of(Errno.EACCES);
    }

    @Override
    public void symlink(String target, String linkPath) {
        exists(linkPath, Errno.EACCES);
    }

    @Override
    public void chmod(String path, int mode) {
        stat(path);
        throw ErrnoException.of(Errno.EPERM);
    }

    @Override
    public void truncate(String path, long length) {
        stat(path);
        // truncate(2) of a character device succeeds and does nothing.
    }

    @Override
    public void setTimes(String path, Long atimeNanos, Long mtimeNanos) {
        stat(path);
        throw ErrnoException.of(Errno.EPERM);
    }

    private void exists(String path, Errno otherwise) {
        try {
            stat(path);
        } catch (ErrnoException e) {
            throw ErrnoException.of(otherwise);
        }
        throw ErrnoException.of(Errno.EEXIST);
    }

    private static final long SHM_INO = 2;
    private static final long PTS_INO = 3;

    @Override
    public List<DirEntry> list(String path) {
        if (path.equals(PTS)) {
            return pts.list();
        }
        if (!path.isEmpty()) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        List<DirEntry> out = new ArrayList<>();
        out.add(new DirEntry(1, Stat.DT_DIR, ".".getBytes(StandardCharsets.UTF_8)));
        out.add(new DirEntry(1, Stat.DT_DIR, "..".getBytes(StandardCharsets.UTF_8)));
        for (var e : devices.entrySet()) {
            out.add(new DirEntry(e.getValue().ino(), Stat.DT_CHR, e.getKey().getBytes(StandardCharsets.UTF_8)));
        }
        for (String name : links.keySet()) {
            out.add(new DirEntry(stat(name).ino(), Stat.DT_LNK, name.getBytes(StandardCharsets.UTF_8)));
        }
        // The mount point of the tmpfs on /dev/shm (the machine mounts it, as systemd does on
        // Linux); readdir names the directory underneath, as Linux does for a mount point.
        out.add(new DirEntry(SHM_INO, Stat.DT_DIR, "shm".getBytes(StandardCharsets.UTF_8)));
        out.add(new DirEntry(PTS_INO, Stat.DT_DIR, PTS.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    /** devtmpfs keeps extended attributes in memory (simple_xattrs), per node, for the life of the machine. */
    private final Map<String, SimpleXattrs> xattrs = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Xattrs xattrs(String path) {
        stat(path);
        return xattrs.computeIfAbsent(path, p -> new SimpleXattrs());
    }

    @Override
    public long[] statfs(String path) {
        return new long[] {0x01021994L, 4096, 0, 0, 0, 0, 0, 255, 4096}; // TMPFS_MAGIC, as devtmpfs reports
    }

    @Override
    public boolean access(String path, int mode) {
        StatBuf st = stat(path);
        return (mode & 1) == 0 || Stat.isDir(st.mode());
    }
}
