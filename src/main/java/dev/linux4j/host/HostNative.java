package dev.linux4j.host;

import static dev.linux4j.host.Downcall.errno;
import static dev.linux4j.host.Downcall.errnoState;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The few host C library calls java.nio cannot express, through the FFM API: isatty, statx
 * (st_blocks, st_blksize, exact times and device numbers), fchmodat (setuid/sticky bits), umask,
 * getuid/getgid. Every call has a java.nio fallback for hosts where the symbol is missing, and
 * returns errno as a negative value the way the raw syscall would.
 */
public final class HostNative {
    private HostNative() {}


    private static final Downcall ISATTY = Downcall.findWords("isatty");
    private static final Downcall STATX = Downcall.findWords("statx");
    private static final Downcall FCHMODAT = Downcall.findWords("fchmodat");
    private static final Downcall GETUID = Downcall.find("getuid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final Downcall GETGID = Downcall.find("getgid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final Downcall GETEUID = Downcall.find("geteuid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final Downcall GETEGID = Downcall.find("getegid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final Downcall UMASK = Downcall.find("umask", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final Downcall POLL = Downcall.findWords("poll");



    /** Links the downcalls path lookup needs (statx, readlink) ahead of use; see {@link HostFiles#prelink}. */
    public static void prelink() {
        Downcall.prelink(STATX, READLINK);
    }

    /**
     * poll(2) one host fd for input (POLLIN; POLLHUP and POLLERR count as ready, so EOF does):
     * 1 ready, 0 when {@code timeoutMillis} passed, -1 where poll is unavailable or failed.
     */
    public static int pollReadable(int fd, int timeoutMillis) {
        if (!POLL.available()) {
            return -1;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment pfd = arena.allocate(8, 4); // struct pollfd { int fd; short events, revents; }
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, (short) 1); // POLLIN
            int n = (int) POLL.callWords(errnoState(arena), pfd.address(), 1, timeoutMillis, 0, 0);
            return n < 0 ? (timeoutMillis == 0 ? -1 : 0) : n > 0 ? 1 : 0;
        } catch (Throwable t) {
            return -1;
        }
    }

    /**
     * poll(2) one host fd for {@code events}: its revents (0 when {@code timeoutMillis} passed),
     * or -1 where poll is unavailable or failed.
     */
    public static int poll(int fd, int events, int timeoutMillis) {
        if (!POLL.available()) {
            return -1;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment pfd = arena.allocate(8, 4); // struct pollfd { int fd; short events, revents; }
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, (short) events);
            int n = (int) POLL.callWords(errnoState(arena), pfd.address(), 1, timeoutMillis, 0, 0);
            return n < 0 ? (timeoutMillis == 0 ? -1 : 0) : n == 0 ? 0 : pfd.get(ValueLayout.JAVA_SHORT, 6) & 0xffff;
        } catch (Throwable t) {
            return -1;
        }
    }

    /** isatty(3) of a host fd; false where unknown. */
    public static boolean isatty(int fd) {
        if (!ISATTY.available()) {
            return fd < 3 && System.console() != null && System.console().isTerminal();
        }
        try (Scratch arena = Scratch.open()) {
            return (int) ISATTY.callWords(errnoState(arena), fd, 0, 0, 0, 0) == 1;
        } catch (Throwable t) {
            return false;
        }
    }

    public static boolean hasStatx() {
        return STATX.available();
    }

    /**
     * statx(2) of a host path into a 256-byte struct statx (the layout is the same on every
     * Linux architecture). Returns 0 or -errno; -38 (ENOSYS) when unavailable.
     */
    public static int statx(String path, boolean follow, byte[] out) {
        if (!STATX.available()) {
            return -38;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment buf = arena.allocate(256, 8);
            MemorySegment state = errnoState(arena);
            int AT_FDCWD = -100;
            int flags = follow ? 0 : 0x100;
            int rc = (int) STATX.callWords(state, AT_FDCWD, cpath.address(), flags, 0x00000fff, buf.address());
            if (rc != 0) {
                return -errno(state);
            }
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, out, 0, 256);
            return 0;
        } catch (Throwable t) {
            return -5;
        }
    }

    /** chmod with every mode bit (setuid, setgid, sticky), not following a final symlink if asked. */
    public static int chmod(String path, int mode) {
        if (!FCHMODAT.available()) {
            return -38;
        }
        try (Scratch arena = Scratch.open()) {
            return FCHMODAT.callStatus(errnoState(arena), -100, arena.allocateFrom(path).address(), mode & 07777, 0, 0);
        } catch (Throwable t) {
            return -5;
        }
    }

    private static final Downcall IOCTL = Downcall.VARIADIC_AS_WORDS ? Downcall.findWords("ioctl")
            : Downcall.find("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS), Downcall.ERRNO, Linker.Option.firstVariadicArg(2));
    private static final Downcall SYMLINK = Downcall.findWords("symlink");
    private static final Downcall READLINK = Downcall.findWords("readlink");

    /**
     * ioctl(2) on a host fd with a pointer argument: {@code buf} is copied in, and back out
     * afterwards (for terminal requests such as TCGETS and TIOCGWINSZ). Returns the result or
     * -errno; -38 (ENOSYS) when unavailable.
     */
    public static int ioctl(int fd, long request, byte[] buf) {
        if (!IOCTL.available()) {
            return -38;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment state = errnoState(arena);
            MemorySegment mem = arena.allocate(Math.max(buf.length, 1), 8);
            MemorySegment.copy(buf, 0, mem, ValueLayout.JAVA_BYTE, 0, buf.length);
            int rc = Downcall.VARIADIC_AS_WORDS ? (int) IOCTL.callWords(state, fd, request, mem.address(), 0, 0)
                    : (int) IOCTL.handle().invokeExact(state, fd, request, mem);
            if (rc < 0) {
                return -errno(state);
            }
            MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, 0, buf, 0, buf.length);
            return rc;
        } catch (Throwable t) {
            return -5;
        }
    }

    /** symlink(2) storing {@code target} byte for byte (java.nio would normalize its slashes). */
    public static int symlink(byte[] target, String linkPath) {
        if (!SYMLINK.available()) {
            return -38;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment t = arena.allocate(target.length + 1L);
            MemorySegment.copy(target, 0, t, ValueLayout.JAVA_BYTE, 0, target.length);
            return SYMLINK.callStatus(errnoState(arena), t.address(), arena.allocateFrom(linkPath).address(), 0, 0, 0);
        } catch (Throwable t) {
            return -5;
        }
    }

    /** readlink(2): the target's bytes exactly as stored, or null with {@code errno[0]} set; ENOSYS when unavailable. */
    public static byte[] readlink(String path, int[] errno) {
        if (!READLINK.available()) {
            errno[0] = 38;
            return null;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment state = errnoState(arena);
            MemorySegment buf = arena.allocate(4096);
            long n = READLINK.callWords(state, arena.allocateFrom(path).address(), buf.address(), 4096L, 0, 0);
            if (n < 0) {
                errno[0] = errno(state);
                return null;
            }
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            errno[0] = 5;
            return null;
        }
    }

    private static final Downcall OPENDIR = Downcall.findWords("opendir");
    private static final Downcall READDIR = Downcall.findWords("readdir");
    private static final Downcall CLOSEDIR = Downcall.findWords("closedir");

    /** One host directory entry: inode number, d_type and name bytes. */
    public record HostDirent(long ino, int type, byte[] name) {}

    /**
     * The entries of a host directory in the host's own readdir order, "." and ".." included
     * (java.nio drops them and so loses their place). Reads the libc {@code struct dirent} of a
     * 64-bit Linux host: d_ino at 0, d_type at 18, d_name at 19. Returns null with
     * {@code errno[0]} set when the directory cannot be opened; ENOSYS (38) when unavailable.
     */
    public static java.util.List<HostDirent> readdir(String path, int[] errno) {
        if (!OPENDIR.available() || !READDIR.available() || !CLOSEDIR.available()) {
            errno[0] = 38;
            return null;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment state = errnoState(arena);
            long dir = OPENDIR.callWords(state, arena.allocateFrom(path).address(), 0, 0, 0, 0);
            if (dir == 0) {
                errno[0] = errno(state);
                return null;
            }
            java.util.List<HostDirent> out = new java.util.ArrayList<>();
            try {
                while (true) {
                    // NULL is the end: readdir fails only for a bad DIR*, which cannot happen here.
                    long ent = READDIR.callWords(state, dir, 0, 0, 0, 0);
                    if (ent == 0) {
                        return out;
                    }
                    MemorySegment d = MemorySegment.ofAddress(ent).reinterpret(19 + 256);
                    long ino = d.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                    int type = d.get(ValueLayout.JAVA_BYTE, 18) & 0xff;
                    byte[] name = d.asSlice(19).getString(0, java.nio.charset.StandardCharsets.ISO_8859_1)
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    out.add(new HostDirent(ino, type, name));
                }
            } finally {
                CLOSEDIR.callWords(state, dir, 0, 0, 0, 0);
            }
        } catch (Throwable t) {
            errno[0] = 5;
            return null;
        }
    }

    private static final Downcall STATFS = Downcall.findWords("statfs");

    /** statfs(2) of a host path into the 120-byte x86-64 struct statfs. Returns 0 or -errno; -38 when unavailable. */
    public static int statfs(String path, byte[] out) {
        if (!STATFS.available() || out.length < 120) {
            return -38;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment state = errnoState(arena);
            MemorySegment buf = arena.allocate(120, 8);
            int rc = (int) STATFS.callWords(state, arena.allocateFrom(path).address(), buf.address(), 0, 0, 0);
            if (rc != 0) {
                return -errno(state);
            }
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, out, 0, 120);
            return 0;
        } catch (Throwable t) {
            return -5;
        }
    }

    private static int callInt(Downcall h, int fallback) {
        if (!h.available()) {
            return fallback;
        }
        try {
            return (int) h.handle().invokeExact();
        } catch (Throwable t) {
            return fallback;
        }
    }

    /**
     * The host process's ids, umask and ignored signals from /proc/self/status ("Uid:", "Gid:",
     * "Umask:", "SigIgn:"), read once: cheaper at start-up than linking five downcalls.
     */
    private static final class SelfStatus {
        /** Real and effective uid and gid, umask; null where there is no such file. */
        static final int[] VALUES;
        /** SigIgn: bit n-1 set when signal n is ignored; 0 where there is no such file. */
        static final long IGNORED;

        static {
            int[] v = {-1, -1, -1, -1, -1};
            long ignored = 0;
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                    String[] f = line.split("\\s+");
                    switch (f[0]) {
                        case "Uid:" -> {
                            v[0] = Integer.parseInt(f[1]);
                            v[1] = Integer.parseInt(f[2]);
                        }
                        case "Gid:" -> {
                            v[2] = Integer.parseInt(f[1]);
                            v[3] = Integer.parseInt(f[2]);
                        }
                        case "Umask:" -> v[4] = Integer.parseInt(f[1], 8);
                        case "SigIgn:" -> ignored = Long.parseUnsignedLong(f[1], 16);
                        default -> {
                        }
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                v[0] = -1;
                ignored = 0;
            }
            VALUES = v[0] >= 0 && v[2] >= 0 ? v : null;
            IGNORED = ignored;
        }
    }

    /**
     * The signals this process ignores (SIG_IGN), bit n-1 for signal n in the host's numbering,
     * as /proc/self/status said when the ids were first asked for; 0 where it is not there.
     */
    public static long ignoredSignals() {
        return SelfStatus.IGNORED;
    }

    private static int selfStatus(int index, Downcall fallback, int otherwise) {
        int[] v = SelfStatus.VALUES;
        return v != null && v[index] >= 0 ? v[index] : callInt(fallback, otherwise);
    }

    public static int getuid() {
        return selfStatus(0, GETUID, 1000);
    }

    public static int geteuid() {
        return selfStatus(1, GETEUID, getuid());
    }

    public static int getgid() {
        return selfStatus(2, GETGID, 1000);
    }

    public static int getegid() {
        return selfStatus(3, GETEGID, getgid());
    }

    /** The host process umask (read by setting and restoring it), or 022. */
    public static int umask() {
        int[] v = SelfStatus.VALUES;
        if (v != null && v[4] >= 0) {
            return v[4];
        }
        if (!UMASK.available()) {
            return 022;
        }
        try {
            int old = (int) UMASK.handle().invokeExact(022);
            int ignored = (int) UMASK.handle().invokeExact(old);
            return old;
        } catch (Throwable t) {
            return 022;
        }
    }

    private static final Downcall MKNODAT = Downcall.findWords("mknodat");
    private static final Downcall TRUNCATE = Downcall.findWords("truncate");

    /** mknod(2) of a host path (a FIFO, socket or regular file): 0 or -errno; -38 when unavailable. */
    public static int mknod(String path, int mode, long dev) {
        if (!MKNODAT.available()) {
            return -38;
        }
        try (Scratch arena = Scratch.open()) {
            return MKNODAT.callStatus(errnoState(arena), -100, arena.allocateFrom(path).address(), mode, dev, 0);
        } catch (Throwable t) {
            return -5;
        }
    }

    /** truncate(2) of a host path: grows a file sparsely, as ftruncate does. 0 or -errno; -38 when unavailable. */
    public static int truncate(String path, long length) {
        if (!TRUNCATE.available()) {
            return -38;
        }
        try (Scratch arena = Scratch.open()) {
            return TRUNCATE.callStatus(errnoState(arena), arena.allocateFrom(path).address(), length, 0, 0, 0);
        } catch (Throwable t) {
            return -5;
        }
    }

    /**
     * lseek(2) with SEEK_DATA (3) or SEEK_HOLE (4) on a host file opened read-only for the call:
     * the host file system's own extents. The offset or -errno; -38 when unavailable.
     */
    public static long seekDataHole(String path, long offset, int whence) {
        if (!HostFiles.available()) {
            return -38;
        }
        int fd = HostFiles.open(path, O_NOFOLLOW, 0);
        if (fd < 0) {
            return fd;
        }
        try {
            return HostFiles.lseek(fd, offset, whence);
        } finally {
            HostFiles.close(fd);
        }
    }

    /** fallocate(2) on a host file opened write-only for the call: 0 or -errno; -38 when unavailable. */
    public static int fallocate(String path, int mode, long offset, long len) {
        if (!HostFiles.available()) {
            return -38;
        }
        int fd = HostFiles.open(path, O_WRONLY | O_NOFOLLOW, 0);
        if (fd < 0) {
            return fd;
        }
        try {
            return HostFiles.fallocate(fd, mode, offset, len);
        } finally {
            HostFiles.close(fd);
        }
    }

    private static final int O_WRONLY = 1;
    private static final int O_NOFOLLOW = 0x20000;

    private static final Downcall UTIMENSAT = Downcall.findWords("utimensat");

    /**
     * utimensat(2) of a host path without following a final symlink and without opening the file
     * (java.nio opens it, which blocks on a FIFO). A null time is UTIME_OMIT. 0 or -errno; -38
     * when unavailable.
     */
    public static int utimensat(String path, Long atimeNanos, Long mtimeNanos) {
        if (!UTIMENSAT.available()) {
            return -38;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment times = arena.allocate(32, 8);
            long utimeOmit = (1L << 30) - 2;
            Long[] t = {atimeNanos, mtimeNanos};
            for (int i = 0; i < 2; i++) {
                times.set(ValueLayout.JAVA_LONG, i * 16L, t[i] == null ? 0 : Math.floorDiv(t[i], 1_000_000_000L));
                times.set(ValueLayout.JAVA_LONG, i * 16L + 8, t[i] == null ? utimeOmit : Math.floorMod(t[i], 1_000_000_000L));
            }
            return UTIMENSAT.callStatus(errnoState(arena), -100, arena.allocateFrom(path).address(), times.address(), 0x100, 0);
        } catch (Throwable t) {
            return -5;
        }
    }

    private static final Downcall GETRUSAGE = Downcall.findWords("getrusage");
    private static final int RUSAGE_THREAD = 1;

    /**
     * The calling thread's user time in nanoseconds (getrusage(2) RUSAGE_THREAD, microsecond
     * precision), or -1 where unavailable. One system call: the JVM's own per-thread user time
     * reads /proc/self/task/TID/stat, five system calls and 10 us.
     */
    public static long threadUserTime() {
        if (!GETRUSAGE.available()) {
            return -1;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment ru = arena.allocate(144, 8); // struct rusage; ru_utime is its first timeval
            if ((int) GETRUSAGE.callWords(errnoState(arena), RUSAGE_THREAD, ru.address(), 0, 0, 0) != 0) {
                return -1;
            }
            return ru.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ru.get(ValueLayout.JAVA_LONG, 8) * 1000L;
        } catch (Throwable t) {
            return -1;
        }
    }
}
