package dev.linux4j.host;

import static dev.linux4j.host.Downcall.errno;
import static dev.linux4j.host.Downcall.errnoState;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Extended attributes of host files through the host's own calls (lgetxattr, lsetxattr,
 * llistxattr, lremovexattr on a path, never following a final symlink; the f-forms on a
 * descriptor), so XATTR_CREATE, XATTR_REPLACE, ENODATA, E2BIG and the file system's limits are
 * exactly the host kernel's. Failures are thrown as the host's errno; EOPNOTSUPP where the host
 * has no such calls.
 */
public final class HostXattrs {
    private HostXattrs() {}

    private static final int ERANGE = 34;
    /** XATTR_SIZE_MAX and XATTR_LIST_MAX (include/uapi/linux/limits.h). */
    private static final int MAX = 65536;

    private static final Downcall LGET = Downcall.findWords("lgetxattr");
    private static final Downcall FGET = Downcall.findWords("fgetxattr");
    private static final Downcall LSET = Downcall.findWords("lsetxattr");
    private static final Downcall FSET = Downcall.findWords("fsetxattr");
    private static final Downcall LLIST = Downcall.findWords("llistxattr");
    private static final Downcall FLIST = Downcall.findWords("flistxattr");
    private static final Downcall LREMOVE = Downcall.findWords("lremovexattr");
    private static final Downcall FREMOVE = Downcall.findWords("fremovexattr");

    /**
     * The file an attribute call acts on: a host path ({@code fd < 0}) or a host descriptor.
     *
     * @param path the host path, used when {@code fd} is negative
     * @param fd the host descriptor, or -1
     */
    public record Target(String path, int fd) {
        public static Target path(String path) {
            return new Target(path, -1);
        }

        public static Target fd(int fd) {
            return new Target(null, fd);
        }

        private boolean byFd() {
            return fd >= 0;
        }

        /** The first argument of the call: the descriptor, or the path as a C string in {@code arena}. */
        private long word(Scratch arena) {
            return byFd() ? fd : arena.allocateFrom(path).address();
        }
    }

    /** One host call's body, given the thread's scratch memory and the errno state in it. */
    private interface Call<T> {
        T run(Scratch arena, MemorySegment state) throws Throwable;
    }

    /**
     * Runs {@code body} for downcall {@code d}: EOPNOTSUPP where the host lacks it, the host's
     * errno as thrown by the body, EIO if the call itself failed.
     */
    private static <T> T call(Downcall d, Call<T> body) {
        if (!d.available()) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        try (Scratch arena = Scratch.open()) {
            return body.run(arena, errnoState(arena));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable e) {
            throw ErrnoException.of(Errno.EIO);
        }
    }

    private static ErrnoException failure(MemorySegment state) {
        return ErrnoException.ofNumber(errno(state));
    }

    /** getxattr: the whole value (asked for its size first, again if it grew meanwhile). */
    public static byte[] get(Target t, String name) {
        Downcall d = t.byFd() ? FGET : LGET;
        return call(d, (arena, state) -> {
            long target = t.word(arena);
            long cname = arena.allocateFrom(name).address();
            for (int attempt = 0; ; attempt++) {
                long size = d.callWords(state, target, cname, 0, 0, 0);
                if (size < 0) {
                    throw failure(state);
                }
                MemorySegment buf = arena.allocate(Math.max(1, size));
                long n = d.callWords(state, target, cname, buf.address(), size, 0);
                if (n >= 0) {
                    return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                }
                if (errno(state) != ERANGE || attempt > 8) {
                    throw failure(state);
                }
            }
        });
    }

    /** setxattr with XATTR_CREATE (1) or XATTR_REPLACE (2). */
    public static void set(Target t, String name, byte[] value, int flags) {
        Downcall d = t.byFd() ? FSET : LSET;
        call(d, (arena, state) -> {
            MemorySegment buf = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, buf, ValueLayout.JAVA_BYTE, 0, value.length);
            if (d.callStatus(state, t.word(arena), arena.allocateFrom(name).address(), buf.address(), value.length,
                    flags) != 0) {
                throw failure(state);
            }
            return null;
        });
    }

    /** listxattr: the names, each followed by a NUL, as the host lists them. */
    public static byte[] list(Target t) {
        Downcall d = t.byFd() ? FLIST : LLIST;
        return call(d, (arena, state) -> {
            MemorySegment buf = arena.allocate(MAX);
            long n = d.callWords(state, t.word(arena), buf.address(), MAX, 0, 0);
            if (n < 0) {
                throw failure(state);
            }
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        });
    }

    /** removexattr. */
    public static void remove(Target t, String name) {
        Downcall d = t.byFd() ? FREMOVE : LREMOVE;
        call(d, (arena, state) -> {
            if (d.callStatus(state, t.word(arena), arena.allocateFrom(name).address(), 0, 0, 0) != 0) {
                throw failure(state);
            }
            return null;
        });
    }
}
