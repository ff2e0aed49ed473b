package dev.linux4j.syscall;

import static dev.linux4j.abi.Poll.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Siginfo;
import dev.linux4j.abi.Signal;
import dev.linux4j.fs.anon.AnonInode;
import dev.linux4j.kernel.SignalCalls;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A signalfd (fs/signalfd.c, signalfd(2)): reading it takes the signals of its mask that are
 * pending for the reading thread (its own, then its process's), each as a 128-byte
 * {@code struct signalfd_siginfo}; it polls readable while one is pending. The signals are
 * usually blocked, so they wait for the read instead of being delivered.
 *
 * <p>Locking: {@code this} guards the mask.
 */
final class SignalFd extends AnonInode {
    /** sizeof(struct signalfd_siginfo). */
    public static final int SIGINFO_SIZE = 128;
    /** SIL_FAULT's signals (siginfo_layout). */
    private static final long FAULTS = bit(Signal.SIGSEGV) | bit(Signal.SIGBUS) | bit(Signal.SIGILL)
            | bit(Signal.SIGFPE) | bit(Signal.SIGTRAP);
    /** SIGKILL and SIGSTOP: never read from a signalfd. */
    private static final long UNBLOCKABLE = bit(Signal.SIGKILL) | bit(Signal.SIGSTOP);

    private long mask;

    private SignalFd(long mask) {
        super("[signalfd]");
        this.mask = mask;
    }

    private static long bit(int sig) {
        return 1L << (sig - 1);
    }

    /** signalfd4's file for {@code mask} (SIGKILL and SIGSTOP dropped): O_RDWR, O_NONBLOCK from {@code flags}. */
    static FileDescription create(long mask, int flags) {
        SignalCalls.wakePollersOnSignals();
        return new FileDescription(new SignalFd(mask & ~UNBLOCKABLE), Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK),
                "anon_inode:[signalfd]", null);
    }

    /** signalfd on an existing descriptor: its mask changes; EINVAL when it is not a signalfd. */
    static void update(FileDescription file, long mask) {
        if (!(file.ops() instanceof SignalFd s)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        synchronized (s) {
            s.mask = mask & ~UNBLOCKABLE;
        }
    }

    private synchronized long mask() {
        return mask;
    }

    /**
     * signalfd_read: EINVAL under 128 bytes; as many pending signals as fit, waiting for the
     * first (EAGAIN when non-blocking).
     */
    @Override
    public int read(FileDescription file, byte[] buf, int off, int len, long position) {
        if (len < SIGINFO_SIZE) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Task t = Task.current();
        boolean nonblock = (file.flags() & Fcntl.O_NONBLOCK) != 0;
        int n = 0;
        while (n + SIGINFO_SIZE <= len) {
            Siginfo info;
            try {
                info = SignalCalls.timedWait(t, mask(), n > 0 || nonblock ? 0 : -1);
            } catch (ErrnoException e) {
                if (n > 0 && e.errno() == Errno.EAGAIN) {
                    break;
                }
                throw e;
            }
            copy(info, buf, off + n);
            n += SIGINFO_SIZE;
        }
        return n;
    }

    /** signalfd_copyinfo: the fields siginfo_layout says the signal carries. */
    private static void copy(Siginfo info, byte[] buf, int at) {
        ByteBuffer in = ByteBuffer.wrap(info.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.wrap(buf, at, SIGINFO_SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < SIGINFO_SIZE; i++) {
            out.put(i, (byte) 0);
        }
        int signo = in.getInt(0);
        int code = in.getInt(8);
        out.putInt(0, signo);
        out.putInt(4, in.getInt(4));
        out.putInt(8, code);
        if (code == Siginfo.SI_TIMER) {
            out.putInt(24, in.getInt(16)); // ssi_tid: the timer's id
            out.putInt(32, in.getInt(20)); // ssi_overrun
            out.putLong(48, in.getLong(24)); // ssi_ptr
            out.putInt(44, in.getInt(24)); // ssi_int
        } else if (code < 0) { // SIL_RT: sigqueue, tkill
            out.putInt(12, in.getInt(16));
            out.putInt(16, in.getInt(20));
            out.putLong(48, in.getLong(24));
            out.putInt(44, in.getInt(24));
        } else if (code > 0 && code < Siginfo.SI_KERNEL && signo == Signal.SIGCHLD) {
            out.putInt(12, in.getInt(16));
            out.putInt(16, in.getInt(20));
            out.putInt(40, in.getInt(24)); // ssi_status
            out.putLong(56, in.getLong(32)); // ssi_utime
            out.putLong(64, in.getLong(40)); // ssi_stime
        } else if (code > 0 && code < Siginfo.SI_KERNEL && (FAULTS & bit(signo)) != 0) {
            out.putLong(72, in.getLong(16)); // ssi_addr
        } else { // SIL_KILL
            out.putInt(12, in.getInt(16));
            out.putInt(16, in.getInt(20));
        }
    }

    /** signalfd_poll: readable while a signal of the mask is pending for the polling thread. */
    @Override
    public int poll(FileDescription file) {
        Task t = Task.current();
        if (t == null) {
            return 0;
        }
        return SignalCalls.pendingOf(t, mask()) != 0 ? POLLIN | POLLRDNORM : 0;
    }

    @Override
    public boolean readReady(FileDescription file) {
        return poll(file) != 0;
    }
}
