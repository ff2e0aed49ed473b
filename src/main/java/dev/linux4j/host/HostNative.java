package dev.linux4j.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The few host C library calls java.nio cannot express, through the FFM API: isatty, statx
 * (st_blocks, st_blksize, exact times and device numbers), fchmodat (setuid/sticky bits), umask,
 * getuid/getgid. Every call has a java.nio fallback for hosts where the symbol is missing, and
 * returns errno as a negative value the way the raw syscall would.
 */
public final class HostNative {
    private HostNative() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout()
            .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle ISATTY = find("isatty", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle STATX = find("statx", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
            CAPTURE_ERRNO);
    private static final MethodHandle FCHMODAT = find("fchmodat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle GETUID = find("getuid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle GETGID = find("getgid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle GETEUID = find("geteuid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle GETEGID = find("getegid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle UMASK = find("umask", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private static MethodHandle find(String name, FunctionDescriptor fd, Linker.Option... options) {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return null;
        }
        Optional<MemorySegment> sym = LIBC.find(name);
        return sym.map(s -> LINKER.downcallHandle(s, fd, options)).orElse(null);
    }

    /** isatty(3) of a host fd; false where unknown. */
    public static boolean isatty(int fd) {
        if (ISATTY == null) {
            return fd < 3 && System.console() != null && System.console().isTerminal();
        }
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            return false;
        }
    }

    public static boolean hasStatx() {
        return STATX != null;
    }

    /**
     * statx(2) of a host path into a 256-byte struct statx (the layout is the same on every
     * Linux architecture). Returns 0 or -errno; -38 (ENOSYS) when unavailable.
     */
    public static int statx(String path, boolean follow, byte[] out) {
        if (STATX == null) {
            return -38;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment buf = arena.allocate(256, 8);
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int AT_FDCWD = -100;
            int flags = follow ? 0 : 0x100;
            int rc = (int) STATX.invokeExact(state, AT_FDCWD, cpath, flags, 0x00000fff, buf);
            if (rc != 0) {
                return -state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
            }
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, out, 0, 256);
            return 0;
        } catch (Throwable t) {
            return -5;
        }
    }

    /** chmod with every mode bit (setuid, setgid, sticky), not following a final symlink if asked. */
    public static int chmod(String path, int mode) {
        if (FCHMODAT == null) {
            return -38;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int rc = (int) FCHMODAT.invokeExact(state, -100, arena.allocateFrom(path), mode & 07777, 0);
            return rc == 0 ? 0 : -state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
        } catch (Throwable t) {
            return -5;
        }
    }

    private static int callInt(MethodHandle h, int fallback) {
        if (h == null) {
            return fallback;
        }
        try {
            return (int) h.invokeExact();
        } catch (Throwable t) {
            return fallback;
        }
    }

    public static int getuid() {
        return callInt(GETUID, 1000);
    }

    public static int geteuid() {
        return callInt(GETEUID, getuid());
    }

    public static int getgid() {
        return callInt(GETGID, 1000);
    }

    public static int getegid() {
        return callInt(GETEGID, getgid());
    }

    /** The host process umask (read by setting and restoring it), or 022. */
    public static int umask() {
        if (UMASK == null) {
            return 022;
        }
        try {
            int old = (int) UMASK.invokeExact(022);
            int ignored = (int) UMASK.invokeExact(old);
            return old;
        } catch (Throwable t) {
            return 022;
        }
    }
}
