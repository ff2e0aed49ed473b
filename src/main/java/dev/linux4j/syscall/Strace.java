package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.*;
import static dev.linux4j.abi.Mman.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Sysno;
import dev.linux4j.kernel.Task;
import dev.linux4j.memory.AddressSpace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * --strace output in strace's own format: {@code name(args) = result}, the result column at 40,
 * errors as {@code = -1 ENOENT (No such file or directory)}, strings quoted and cut at 32 bytes.
 * Argument formats come from the table's {@link ArgKind}s.
 */
final class Strace {
    private Strace() {}

    /**
     * Whether Linux's vDSO answers this call of linux4j's vDSO (which always makes the system
     * call) in user mode, so that strace shows no system call: gettimeofday, time and getcpu, and
     * clock_gettime and clock_getres of the clocks the vDSO reads (vdso_clockid_valid and the
     * coarse ones); any other clock falls back to the system call there too.
     */
    static boolean inUserModeOnLinux(long nr, int clock) {
        return switch ((int) nr) {
            case Sysno.NR_gettimeofday, Sysno.NR_time, Sysno.NR_getcpu -> true;
            case Sysno.NR_clock_gettime, Sysno.NR_clock_getres -> switch (clock) {
                case TimeSyscalls.CLOCK_REALTIME, TimeSyscalls.CLOCK_MONOTONIC, TimeSyscalls.CLOCK_MONOTONIC_RAW,
                        TimeSyscalls.CLOCK_REALTIME_COARSE, TimeSyscalls.CLOCK_MONOTONIC_COARSE,
                        TimeSyscalls.CLOCK_BOOTTIME, TimeSyscalls.CLOCK_TAI -> true;
                default -> false;
            };
            default -> false;
        };
    }

    private static final int STRING_LIMIT = 32;
    private static final int RESULT_COLUMN = 40;

    static String rawArgs(SyscallArgs args) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            parts.add("0x" + Long.toHexString(args.raw(i)));
        }
        return String.join(", ", parts);
    }

    /** Formats what is known before the call; BUF_OUT arguments are filled in after it. */
    static String beforeCall(Task task, SyscallEntry e, SyscallArgs args) {
        return e.name();
    }

    static void afterCall(PrintStream out, Task task, SyscallEntry e, SyscallArgs args, String before, long result) {
        StringBuilder line = new StringBuilder();
        line.append(e == null ? before : e.name()).append('(');
        if (e != null) {
            ArgKind[] kinds = e.args();
            for (int i = 0; i < kinds.length; i++) {
                if (kinds[i] == ArgKind.MODE && i > 0 && kinds[i - 1] == ArgKind.OPEN_FLAGS
                        && (args.int32(i - 1) & (O_CREAT | __O_TMPFILE)) == 0) {
                    continue; // strace shows open's mode only when the call can create a file
                }
                if (i > 0) {
                    line.append(", ");
                }
                line.append(format(task, kinds, i, args, result));
            }
        }
        line.append(") ");
        while (line.length() < RESULT_COLUMN) {
            line.append(' ');
        }
        line.append("= ");
        if (result < 0 && result >= -4095) {
            Errno errno = Errno.of((int) -result);
            line.append("-1 ").append(errno == null ? Long.toString(-result) : errno.name() + " (" + errno.message() + ")");
        } else if (e != null && e.returnsPointer()) {
            line.append("0x").append(Long.toHexString(result));
        } else {
            line.append(result);
        }
        print(out, task, line.toString());
    }

    static void exit(PrintStream out, String before, Task task) {
        var status = task.group().exitStatus();
        StringBuilder line = new StringBuilder(before).append('(').append(status.code()).append(") ");
        while (line.length() < RESULT_COLUMN) {
            line.append(' ');
        }
        line.append("= ?");
        print(out, task, line.toString());
        print(out, task, "+++ exited with " + status.code() + " +++");
    }

    private static void print(PrintStream out, Task task, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static String format(Task task, ArgKind[] kinds, int i, SyscallArgs args, long result) {
        long v = args.raw(i);
        AddressSpace mem = task.memory();
        return switch (kinds[i]) {
            case INT, FD -> Integer.toString((int) v);
            case UINT -> Long.toString(v & 0xffffffffL);
            case LONG -> Long.toString(v);
            case ULONG -> Long.toUnsignedString(v);
            case HEX -> "0x" + Long.toHexString(v);
            case PTR -> v == 0 ? "NULL" : "0x" + Long.toHexString(v);
            case DIRFD -> (int) v == AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) v);
            case PATH, STRING -> v == 0 ? "NULL" : quotedCString(mem, v);
            case BUF_IN -> quotedBuffer(mem, v, args.raw(i + 1));
            case BUF_OUT -> result < 0 ? "0x" + Long.toHexString(v) : quotedBuffer(mem, v, result);
            case OPEN_FLAGS -> openFlags((int) v);
            case MODE -> String.format("%#03o", v & 07777);
            case STAT_OUT -> result < 0 ? "0x" + Long.toHexString(v) : statStruct(mem, v);
            case TIMESPEC_OUT -> v == 0 ? "NULL" : result < 0 ? "0x" + Long.toHexString(v) : timespecStruct(mem, v);
            case RLIMIT -> rlimitName((int) v);
            case RLIM_OUT -> v == 0 ? "NULL" : result < 0 ? "0x" + Long.toHexString(v) : rlimitStruct(mem, v);
            case PROT -> protFlags((int) v);
            case MMAP_FLAGS -> mmapFlags((int) v);
            case AT_FLAGS -> atFlags((int) v);
            case ACCESS_MODE -> accessMode((int) v);
            case WHENCE -> switch ((int) v) {
                case SEEK_SET -> "SEEK_SET";
                case SEEK_CUR -> "SEEK_CUR";
                case SEEK_END -> "SEEK_END";
                case SEEK_DATA -> "SEEK_DATA";
                case SEEK_HOLE -> "SEEK_HOLE";
                default -> Long.toString(v);
            };
            case SIGNAL -> Signal.name((int) v);
            case CLOCK -> clockName((int) v);
            case ARCH_PRCTL -> switch ((int) v) {
                case 0x1001 -> "ARCH_SET_GS";
                case 0x1002 -> "ARCH_SET_FS";
                case 0x1003 -> "ARCH_GET_FS";
                case 0x1004 -> "ARCH_GET_GS";
                case 0x3001 -> "ARCH_CET_STATUS";
                default -> "0x" + Long.toHexString(v);
            };
            case SIGHOW -> switch ((int) v) {
                case 0 -> "SIG_BLOCK";
                case 1 -> "SIG_UNBLOCK";
                case 2 -> "SIG_SETMASK";
                default -> Long.toString(v);
            };
            default -> "0x" + Long.toHexString(v);
        };
    }

    private static final String[] RLIMIT_NAMES = {"RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
        "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME"};

    private static String rlimitName(int r) {
        return r >= 0 && r < RLIMIT_NAMES.length ? RLIMIT_NAMES[r] : Integer.toString(r);
    }

    /** strace prints limits divisible by 1024 as N*1024 and all-ones as RLIM64_INFINITY. */
    private static String rlimitValue(long v) {
        if (v == -1L) {
            return "RLIM64_INFINITY";
        }
        if (v != 0 && v % 1024 == 0) {
            return Long.toUnsignedString(v / 1024) + "*1024";
        }
        return Long.toUnsignedString(v);
    }

    private static String rlimitStruct(AddressSpace mem, long addr) {
        try {
            return "{rlim_cur=" + rlimitValue(mem.read64(addr)) + ", rlim_max=" + rlimitValue(mem.read64(addr + 8)) + "}";
        } catch (RuntimeException e) {
            return "0x" + Long.toHexString(addr);
        }
    }

    private static final String[] FILE_TYPES = {"0", "S_IFIFO", "S_IFCHR", "3", "S_IFDIR", "5", "S_IFBLK", "7",
        "S_IFREG", "9", "S_IFLNK", "11", "S_IFSOCK", "13", "14", "15"};

    /** strace's abbreviated struct stat: {st_mode=S_IFREG|0644, st_size=N, ...}. */
    private static String statStruct(AddressSpace mem, long addr) {
        try {
            int mode = mem.read32(addr + 24);
            long size = mem.read64(addr + 48);
            String type = FILE_TYPES[(mode >>> 12) & 15];
            String m = String.format("%s|%#04o", type, mode & 07777);
            int major = (int) ((mem.read64(addr + 40) >>> 8) & 0xfff);
            int minor = (int) (mem.read64(addr + 40) & 0xff);
            boolean device = (mode & 0170000) == 0020000 || (mode & 0170000) == 0060000;
            return "{st_mode=" + m + ", " + (device ? "st_rdev=makedev(0x" + Integer.toHexString(major) + ", 0x"
                    + Integer.toHexString(minor) + ")" : "st_size=" + size) + ", ...}";
        } catch (RuntimeException e) {
            return "0x" + Long.toHexString(addr);
        }
    }

    private static String timespecStruct(AddressSpace mem, long addr) {
        try {
            return "{tv_sec=" + mem.read64(addr) + ", tv_nsec=" + mem.read64(addr + 8) + "}";
        } catch (RuntimeException e) {
            return "0x" + Long.toHexString(addr);
        }
    }

    private static String clockName(int c) {
        String[] names = {"CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
            "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME",
            "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", "CLOCK_SGI_CYCLE", "CLOCK_TAI"};
        if (c >= 0 && c < names.length) {
            return names[c];
        }
        return c >= 0 ? "0x" + Integer.toHexString(c) + " /* CLOCK_??? */" : Integer.toString(c);
    }

    static String quotedCString(AddressSpace mem, long addr) {
        try {
            byte[] s = mem.readCString(addr, 4096);
            return quote(s, s.length, true);
        } catch (RuntimeException e) {
            return "0x" + Long.toHexString(addr);
        }
    }

    static String quotedBuffer(AddressSpace mem, long addr, long len) {
        int n = (int) Math.max(0, Math.min(len, STRING_LIMIT));
        try {
            byte[] b = mem.read(addr, n);
            return quote(b, len, false);
        } catch (RuntimeException e) {
            return "0x" + Long.toHexString(addr);
        }
    }

    /** strace's quoting: C escapes, octal for other non-printables, cut at 32 bytes with "...". */
    static String quote(byte[] b, long fullLength, boolean cString) {
        StringBuilder s = new StringBuilder("\"");
        int n = (int) Math.min(b.length, STRING_LIMIT);
        for (int k = 0; k < n; k++) {
            int c = b[k] & 0xff;
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case '\r' -> s.append("\\r");
                case '\f' -> s.append("\\f");
                case 0x0b -> s.append("\\v");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        s.append((char) c);
                    } else {
                        boolean nextIsDigit = k + 1 < n && b[k + 1] >= '0' && b[k + 1] <= '7';
                        s.append('\\').append(nextIsDigit ? String.format("%03o", c) : Integer.toOctalString(c));
                    }
                }
            }
        }
        s.append('"');
        if (fullLength > STRING_LIMIT) {
            s.append("...");
        }
        return s.toString();
    }

    static String openFlags(int f) {
        List<String> parts = new ArrayList<>();
        parts.add(switch (f & O_ACCMODE) {
            case O_RDONLY -> "O_RDONLY";
            case O_WRONLY -> "O_WRONLY";
            case O_RDWR -> "O_RDWR";
            default -> "O_ACCMODE";
        });
        int rest = f & ~O_ACCMODE;
        // strace's own order (xlat/open_mode_flags): O_DIRECTORY after O_CLOEXEC.
        Object[][] bits = {{O_CREAT, "O_CREAT"}, {O_EXCL, "O_EXCL"}, {O_NOCTTY, "O_NOCTTY"}, {O_TRUNC, "O_TRUNC"},
            {O_APPEND, "O_APPEND"}, {O_NONBLOCK, "O_NONBLOCK"}, {O_SYNC, "O_SYNC"}, {O_DSYNC, "O_DSYNC"},
            {FASYNC, "O_ASYNC"}, {O_DIRECT, "O_DIRECT"}, {O_LARGEFILE, "O_LARGEFILE"}, {O_NOFOLLOW, "O_NOFOLLOW"},
            {O_NOATIME, "O_NOATIME"}, {O_CLOEXEC, "O_CLOEXEC"}, {O_PATH, "O_PATH"}, {O_TMPFILE, "O_TMPFILE"},
            {O_DIRECTORY, "O_DIRECTORY"}};
        for (Object[] bit : bits) {
            int m = (Integer) bit[0];
            if ((rest & m) == m) {
                parts.add((String) bit[1]);
                rest &= ~m;
            }
        }
        if (rest != 0) {
            parts.add("0x" + Integer.toHexString(rest));
        }
        return String.join("|", parts);
    }

    static String protFlags(int p) {
        if (p == 0) {
            return "PROT_NONE";
        }
        return bitNames(p, new Object[][] {{PROT_READ, "PROT_READ"}, {PROT_WRITE, "PROT_WRITE"},
            {PROT_EXEC, "PROT_EXEC"}, {PROT_GROWSDOWN, "PROT_GROWSDOWN"}, {PROT_GROWSUP, "PROT_GROWSUP"}});
    }

    static String mmapFlags(int f) {
        String type = switch (f & MAP_TYPE) {
            case MAP_SHARED -> "MAP_SHARED";
            case MAP_PRIVATE -> "MAP_PRIVATE";
            case MAP_SHARED_VALIDATE -> "MAP_SHARED_VALIDATE";
            default -> "0x" + Integer.toHexString(f & MAP_TYPE);
        };
        int rest = f & ~MAP_TYPE;
        if (rest == 0) {
            return type;
        }
        return type + "|" + bitNames(rest, new Object[][] {{MAP_FIXED, "MAP_FIXED"}, {MAP_ANONYMOUS, "MAP_ANONYMOUS"},
            {MAP_32BIT, "MAP_32BIT"}, {MAP_GROWSDOWN, "MAP_GROWSDOWN"}, {MAP_DENYWRITE, "MAP_DENYWRITE"},
            {MAP_EXECUTABLE, "MAP_EXECUTABLE"}, {MAP_LOCKED, "MAP_LOCKED"}, {MAP_NORESERVE, "MAP_NORESERVE"},
            {MAP_POPULATE, "MAP_POPULATE"}, {MAP_NONBLOCK, "MAP_NONBLOCK"}, {MAP_STACK, "MAP_STACK"},
            {MAP_HUGETLB, "MAP_HUGETLB"}, {MAP_SYNC, "MAP_SYNC"}, {MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"}});
    }

    static String atFlags(int f) {
        if (f == 0) {
            return "0";
        }
        return bitNames(f, new Object[][] {{AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"}, {AT_EACCESS, "AT_EACCESS"},
            {AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW"}, {AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT"},
            {AT_EMPTY_PATH, "AT_EMPTY_PATH"}, {AT_RECURSIVE, "AT_RECURSIVE"}});
    }

    static String accessMode(int m) {
        if (m == F_OK) {
            return "F_OK";
        }
        return bitNames(m, new Object[][] {{R_OK, "R_OK"}, {W_OK, "W_OK"}, {X_OK, "X_OK"}});
    }

    private static String bitNames(int v, Object[][] bits) {
        List<String> parts = new ArrayList<>();
        int rest = v;
        for (Object[] bit : bits) {
            int m = (Integer) bit[0];
            if ((rest & m) == m && m != 0) {
                parts.add((String) bit[1]);
                rest &= ~m;
            }
        }
        if (rest != 0) {
            parts.add("0x" + Integer.toHexString(rest));
        }
        return String.join("|", parts);
    }
}
