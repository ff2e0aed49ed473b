package dev.linux4j.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code siginfo_t} on x86-64 ({@code include/uapi/asm-generic/siginfo.h}): 128 bytes,
 * {@code int si_signo, si_errno, si_code}, 4 bytes of padding, then the union at offset 16:
 * kill/rt {@code si_pid, si_uid, si_value}; sigchld {@code si_pid, si_uid, si_status, si_utime,
 * si_stime}; sigfault {@code si_addr}; timer {@code si_tid, si_overrun, si_value}.
 */
public final class Siginfo {
    public static final int SIZE = 128;

    // si_code values, include/uapi/asm-generic/siginfo.h
    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;
    public static final int SI_QUEUE = -1;
    public static final int SI_TIMER = -2;
    /** A message arrived on an empty POSIX message queue (mq_notify). */
    public static final int SI_MESGQ = -3;
    public static final int SI_TKILL = -6;
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    public static final int CLD_TRAPPED = 4;
    public static final int CLD_STOPPED = 5;
    public static final int CLD_CONTINUED = 6;
    public static final int FPE_INTDIV = 1;
    public static final int FPE_FLTDIV = 3;
    public static final int FPE_FLTOVF = 4;
    public static final int FPE_FLTUND = 5;
    public static final int FPE_FLTRES = 6;
    public static final int FPE_FLTINV = 7;

    private final byte[] raw;

    private Siginfo(byte[] raw) {
        this.raw = raw;
    }

    private static ByteBuffer header(int signo, int code) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, signo);
        b.putInt(8, code);
        return b;
    }

    /** kill(2), tkill(2), or a kernel-sent signal: {@code si_pid, si_uid}. */
    public static Siginfo kill(int signo, int code, int pid, int uid) {
        ByteBuffer b = header(signo, code);
        b.putInt(16, pid);
        b.putInt(20, uid);
        return new Siginfo(b.array());
    }

    /** The _rt layout (sigqueue, SI_MESGQ): {@code si_pid, si_uid, si_value}. */
    public static Siginfo rt(int signo, int code, int pid, int uid, long value) {
        ByteBuffer b = header(signo, code);
        b.putInt(16, pid);
        b.putInt(20, uid);
        b.putLong(24, value);
        return new Siginfo(b.array());
    }

    /** A POSIX timer's expiry (SI_TIMER): {@code si_tid} (the timer id), {@code si_overrun}, {@code si_value}. */
    public static Siginfo timer(int signo, int timerId, int overrun, long value) {
        ByteBuffer b = header(signo, SI_TIMER);
        b.putInt(16, timerId);
        b.putInt(20, overrun);
        b.putLong(24, value);
        return new Siginfo(b.array());
    }

    /** A fault: {@code si_addr}. */
    public static Siginfo fault(int signo, int code, long addr) {
        ByteBuffer b = header(signo, code);
        b.putLong(16, addr);
        return new Siginfo(b.array());
    }

    /** SIGCHLD: {@code si_pid, si_uid, si_status, si_utime, si_stime} (clock ticks). */
    public static Siginfo child(int code, int pid, int uid, int status) {
        ByteBuffer b = header(Signal.SIGCHLD, code);
        b.putInt(16, pid);
        b.putInt(20, uid);
        b.putInt(24, status);
        return new Siginfo(b.array());
    }

    /** The 128 bytes a program passed to rt_sigqueueinfo, with its signal number. */
    public static Siginfo of(byte[] raw, int signo) {
        byte[] copy = new byte[SIZE];
        System.arraycopy(raw, 0, copy, 0, Math.min(raw.length, SIZE));
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(0, signo);
        return new Siginfo(copy);
    }

    /** The same information under another signal number (a child's chosen exit signal). */
    public Siginfo withSigno(int signo) {
        return of(raw, signo);
    }

    public int signo() {
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    }

    public int code() {
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
    }

    /** si_pid (kill, rt, sigchld), or the low half of si_addr. */
    public int pid() {
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
    }

    /** si_addr (faults). */
    public long addr() {
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong(16);
    }

    /** The guest bytes. */
    public byte[] bytes() {
        return raw.clone();
    }
}
