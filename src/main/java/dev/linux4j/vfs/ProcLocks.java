package dev.linux4j.vfs;

import dev.linux4j.abi.Flock;
import dev.linux4j.abi.StatBuf;
import java.util.Comparator;
import java.util.List;

/**
 * The text of /proc/locks: every lock held in the lock space, newest first, one line each as
 * fs/locks.c lock_get_status prints it, e.g.
 * <pre>
 * 1: POSIX  ADVISORY  WRITE 1234 fe:00:2146357 5 14
 * 2: OFDLCK ADVISORY  READ -1 fe:00:2146357 50 EOF
 * 3: FLOCK  ADVISORY  READ 1234 fe:00:2146357 0 EOF
 * </pre>
 * (id, kind, "ADVISORY", type, pid — -1 for OFD locks —, major:minor:inode of the file's device
 * in hex, hex and decimal, then the first and last byte or EOF). Requests still waiting, which
 * Linux lists as " -&gt;" lines under the lock they wait for, are not shown.
 */
public final class ProcLocks {
    private ProcLocks() {}

    /** The contents of /proc/locks now. */
    public static String render() {
        return render(FileLocks.snapshot());
    }

    static String render(List<FileLocks.Held> held) {
        held.sort(Comparator.comparingLong((FileLocks.Held h) -> h.lock().serial()).reversed());
        StringBuilder out = new StringBuilder();
        int id = 1;
        for (FileLocks.Held h : held) {
            FileLock l = h.lock();
            out.append(id++).append(": ").append(switch (l.kind()) {
                case POSIX -> "POSIX  ADVISORY  ";
                case OFD -> "OFDLCK ADVISORY  ";
                case FLOCK -> "FLOCK  ADVISORY  ";
            });
            out.append(l.type() == Flock.F_WRLCK ? "WRITE" : "READ").append(' ');
            out.append(l.reportedPid()).append(' ');
            out.append(String.format("%02x:%02x:%s ", StatBuf.major(h.dev()), StatBuf.minor(h.dev()),
                    Long.toUnsignedString(h.ino())));
            if (l.kind() == FileLock.Kind.FLOCK) {
                out.append("0 EOF\n");
            } else if (l.end() == FileLocks.OFFSET_MAX) {
                out.append(l.start()).append(" EOF\n");
            } else {
                out.append(l.start()).append(' ').append(l.end()).append('\n');
            }
        }
        return out.toString();
    }
}
