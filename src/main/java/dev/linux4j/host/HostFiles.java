package dev.linux4j.host;

import static dev.linux4j.host.Downcall.errno;
import static dev.linux4j.host.Downcall.errnoState;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Host files held by their host descriptor, through the FFM API: open(2), pread/pwrite, fstat
 * (statx with AT_EMPTY_PATH), ftruncate, fsync, fallocate, lseek, close, and linkat(2). A file
 * held by descriptor stays reachable after it is unlinked or renamed, as an open file on Linux
 * does (fstat, reopening through /proc/self/fd, O_TMPFILE). Every call returns the result or
 * {@code -errno} as the raw syscall does; {@link #available()} is false on hosts without these
 * C functions, where callers use java.nio instead.
 */
public final class HostFiles {
    private HostFiles() {}

    /** AT_FDCWD. */
    public static final int AT_FDCWD = -100;
    /** AT_SYMLINK_FOLLOW for linkat. */
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int EINTR = 4;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout ADDR = ValueLayout.ADDRESS;

    private static final Downcall OPEN = Downcall.VARIADIC_AS_WORDS ? Downcall.findWords("open")
            : Downcall.find("open", FunctionDescriptor.of(INT, ADDR, INT, INT), Downcall.ERRNO, Linker.Option.firstVariadicArg(2));
    // pread and pwrite move data through the thread's scratch memory rather than passing the heap
    // array (Linker.Option.critical): a stub of their own cost every start-up ~10 ms of code
    // generation before the program's first read; the copy costs well under 1% of a 64 MiB read.
    private static final Downcall PREAD = Downcall.findWords("pread");
    private static final Downcall PWRITE = Downcall.findWords("pwrite");
    private static final Downcall READ = Downcall.findWords("read");
    private static final Downcall WRITE = Downcall.findWords("write");
    private static final Downcall CLOSE = Downcall.findWords("close");
    private static final Downcall STATX = Downcall.findWords("statx");
    private static final Downcall FTRUNCATE = Downcall.findWords("ftruncate");
    private static final Downcall FSYNC = Downcall.findWords("fsync");
    private static final Downcall FDATASYNC = Downcall.findWords("fdatasync");
    private static final Downcall FALLOCATE = Downcall.findWords("fallocate");
    private static final Downcall LSEEK = Downcall.findWords("lseek");
    private static final Downcall LINKAT = Downcall.findWords("linkat");



    /**
     * Links the downcalls every program run needs (open, pread, close) now rather than on first
     * use: each costs milliseconds of code generation, which a start-up thread can do while the
     * main thread is busy elsewhere.
     */
    public static void prelink() {
        Downcall.prelink(OPEN, PREAD, CLOSE);
    }

    /** Whether descriptor-held host files work here (a Linux host with the C library calls). */
    public static boolean available() {
        return OPEN.available() && PREAD.available() && PWRITE.available() && CLOSE.available()
                && STATX.available() && FTRUNCATE.available() && LINKAT.available();
    }

    /** open(2) of a host path: the descriptor or -errno. O_CLOEXEC is always added. */
    public static int open(String path, int flags, int mode) {
        try (Scratch arena = Scratch.open()) {
            MemorySegment state = errnoState(arena);
            MemorySegment cpath = arena.allocateFrom(path);
            while (true) {
                int fd = Downcall.VARIADIC_AS_WORDS
                        ? (int) OPEN.callWords(state, cpath.address(), flags | 02000000, mode, 0, 0)
                        : (int) OPEN.handle().invokeExact(state, cpath, flags | 02000000, mode);
                if (fd >= 0) {
                    return fd;
                }
                if (errno(state) != EINTR) {
                    return -errno(state);
                }
            }
        } catch (Throwable t) {
            return -5;
        }
    }

    /** pread(2) into {@code buf[off, off+len)}: bytes read (at most {@link Scratch#IO_SIZE}), or -errno. */
    public static long pread(int fd, byte[] buf, int off, int len, long position) {
        return readInto(PREAD, fd, buf, off, len, position);
    }

    /** pwrite(2) of {@code buf[off, off+len)}: bytes written (at most {@link Scratch#IO_SIZE}), or -errno. */
    public static long pwrite(int fd, byte[] buf, int off, int len, long position) {
        return writeFrom(PWRITE, fd, buf, off, len, position);
    }

    /** read(2) into {@code buf[off, off+len)} (a FIFO): bytes read (at most {@link Scratch#IO_SIZE}), or -errno. */
    public static long read(int fd, byte[] buf, int off, int len) {
        return readInto(READ, fd, buf, off, len, 0); // read(2) ignores the position word
    }

    /** write(2) of {@code buf[off, off+len)} (a FIFO): bytes written (at most {@link Scratch#IO_SIZE}), or -errno. */
    public static long write(int fd, byte[] buf, int off, int len) {
        return writeFrom(WRITE, fd, buf, off, len, 0); // write(2) ignores the position word
    }

    /** read or pread through the thread's scratch memory, restarted after EINTR. */
    private static long readInto(Downcall call, int fd, byte[] buf, int off, int len, long position) {
        try (Scratch arena = Scratch.open()) {
            MemorySegment state = errnoState(arena);
            MemorySegment io = arena.ioBuffer(len);
            int want = (int) io.byteSize();
            while (true) {
                long n = call.callWords(state, fd, io.address(), want, position, 0);
                if (n >= 0) {
                    MemorySegment.copy(io, ValueLayout.JAVA_BYTE, 0, buf, off, (int) n);
                    return n;
                }
                if (errno(state) != EINTR) {
                    return -errno(state);
                }
            }
        } catch (Throwable t) {
            return -5;
        }
    }

    /** write or pwrite through the thread's scratch memory, restarted after EINTR. */
    private static long writeFrom(Downcall call, int fd, byte[] buf, int off, int len, long position) {
        try (Scratch arena = Scratch.open()) {
            MemorySegment state = errnoState(arena);
            MemorySegment io = arena.ioBuffer(len);
            int want = (int) io.byteSize();
            MemorySegment.copy(buf, off, io, ValueLayout.JAVA_BYTE, 0, want);
            while (true) {
                long n = call.callWords(state, fd, io.address(), want, position, 0);
                if (n >= 0 || errno(state) != EINTR) {
                    return n >= 0 ? n : -errno(state);
                }
            }
        } catch (Throwable t) {
            return -5;
        }
    }

    /** close(2). */
    public static void close(int fd) {
        try (Scratch arena = Scratch.open()) {
            CLOSE.callWords(errnoState(arena), fd, 0, 0, 0, 0);
        } catch (Throwable t) {
            // nothing to report: the descriptor is gone either way
        }
    }

    /** fstat by descriptor into a 256-byte struct statx (statx with AT_EMPTY_PATH): 0 or -errno. */
    public static int fstatx(int fd, byte[] out) {
        try (Scratch arena = Scratch.open()) {
            MemorySegment state = errnoState(arena);
            MemorySegment buf = arena.allocate(256, 8);
            int rc = (int) STATX.callWords(state, fd, arena.allocateFrom("").address(), AT_EMPTY_PATH, 0x00000fff,
                    buf.address());
            if (rc != 0) {
                return -errno(state);
            }
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, out, 0, 256);
            return 0;
        } catch (Throwable t) {
            return -5;
        }
    }

    /** ftruncate(2): grows sparsely, as Linux does. 0 or -errno. */
    public static int ftruncate(int fd, long length) {
        return intCall(FTRUNCATE, fd, length);
    }

    /** fsync(2), or fdatasync(2) with {@code dataOnly}: 0 or -errno. */
    public static int fsync(int fd, boolean dataOnly) {
        Downcall d = dataOnly && FDATASYNC.available() ? FDATASYNC : FSYNC;
        if (!d.available()) {
            return 0;
        }
        try (Scratch arena = Scratch.open()) {
            return d.callStatus(errnoState(arena), fd, 0, 0, 0, 0);
        } catch (Throwable t) {
            return -5;
        }
    }

    /** fallocate(2): 0 or -errno; -38 when unavailable. */
    public static int fallocate(int fd, int mode, long offset, long len) {
        if (!FALLOCATE.available()) {
            return -38;
        }
        try (Scratch arena = Scratch.open()) {
            return FALLOCATE.callStatus(errnoState(arena), fd, mode, offset, len, 0);
        } catch (Throwable t) {
            return -5;
        }
    }

    /** lseek(2) (for SEEK_DATA and SEEK_HOLE): the offset or -errno; -38 when unavailable. */
    public static long lseek(int fd, long offset, int whence) {
        if (!LSEEK.available()) {
            return -38;
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment state = errnoState(arena);
            long r = LSEEK.callWords(state, fd, offset, whence, 0, 0);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            return -5;
        }
    }

    /**
     * Gives the open host file a new name: linkat(AT_FDCWD, "/proc/self/fd/FD", AT_FDCWD, newPath,
     * AT_SYMLINK_FOLLOW), the unprivileged way to link an O_TMPFILE file. The host refuses an
     * unlinked file that was not O_TMPFILE, or one opened with O_EXCL (ENOENT). 0 or -errno.
     */
    public static int linkDescriptor(int fd, String newPath) {
        try (Scratch arena = Scratch.open()) {
            return LINKAT.callStatus(errnoState(arena), AT_FDCWD, arena.allocateFrom("/proc/self/fd/" + fd).address(),
                    AT_FDCWD, arena.allocateFrom(newPath).address(), AT_SYMLINK_FOLLOW);
        } catch (Throwable t) {
            return -5;
        }
    }

    private static int intCall(Downcall d, int fd, long arg) {
        try (Scratch arena = Scratch.open()) {
            return d.callStatus(errnoState(arena), fd, arg, 0, 0, 0);
        } catch (Throwable t) {
            return -5;
        }
    }
}
