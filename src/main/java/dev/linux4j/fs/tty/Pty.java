package dev.linux4j.fs.tty;

import static dev.linux4j.abi.Termios.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.Caller;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.JobControl;
import dev.linux4j.vfs.Sleep;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Unix98 pseudo-terminal pair (drivers/tty/pty.c) with the slave's line discipline, n_tty
 * (drivers/tty/n_tty.c). Bytes written to the master go through a flip buffer (where they wait
 * while the read buffer is full) into input processing, canonical editing, echo and the signal characters
 * into the slave's read buffer; bytes written to the slave go through output processing into
 * the master's read queue. The termios, window size and job control state are the slave's:
 * Linux's tty_mode_ioctl redirects the master's requests there.
 *
 * <p>Locking: {@link #lock} guards every mutable field. Signals the line discipline raises are
 * sent after it is released.
 */
public final class Pty implements JobControl.Terminal {
    /** N_TTY_BUF_SIZE: the slave's read buffer. */
    static final int N_TTY_BUF_SIZE = 4096;
    /** tty_buffer's mem_limit: what the flip buffers hold before a writer waits. */
    static final int FLIP_LIMIT = 65536;
    /** __DISABLED_CHAR in the read buffer: a VEOF, which ends a line and is never read. */
    private static final int EOF_MARK = -1;

    final int index;
    final int uid;
    final int gid;
    final long created;
    private final DevPts devpts;

    final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** TTY_PTY_LOCK: the slave cannot be opened (EIO) until TIOCSPTLCK clears it. */
    boolean locked = true;
    private int masters;
    private int slaves;
    /** TTY_OTHER_CLOSED on the master: a slave was open and every one is closed. */
    private boolean slaveClosed;
    /** The master is gone: the slave is hung up (written under the lock). */
    volatile boolean hungUp;

    private byte[] termios = standard();
    private final byte[] winsize = new byte[8];

    /** Master writes not yet received by the line discipline (the slave's flip buffer). */
    private final ByteQueue flip = new ByteQueue();
    /** The read buffer (read_buf), EOF_MARK for a VEOF, with the line ends (read_flags). */
    private final int[] readBuf = new int[N_TTY_BUF_SIZE];
    private final boolean[] lineEnd = new boolean[N_TTY_BUF_SIZE];
    private int readCount;
    /** canon_head: the bytes of completed lines at the front of the read buffer. */
    private int canonCount;
    /** The literal-next state of VLNEXT. */
    private boolean lnext;
    /** The output column, for tabs and backspaces (ldata->column). */
    private int column;
    /**
     * The echo buffer: echoes wait here (a control character tagged with ECHO_TAG to be shown
     * as ^X) until the end of the input received with them, or ECHO_COMMIT_WATERMARK of them;
     * a signal character's flush discards what has not gone out (isig).
     */
    private int[] echoes = new int[64];
    private int echoCount;
    private static final int ECHO_TAG = 0x100;
    private static final int ECHO_COMMIT_WATERMARK = 256;
    /** What the slave wrote and echoed, for the master to read. */
    private final ByteQueue toMaster = new ByteQueue();

    /** The controlling session and foreground process group (tty->ctrl.session, .pgrp); 0 for none. */
    int session;
    int pgrp;

    /** Signals raised by the input just received, sent once the lock is released. */
    private final List<Integer> raised = new ArrayList<>();

    Pty(DevPts devpts, int index, int uid, int gid) {
        this.devpts = devpts;
        this.index = index;
        this.uid = uid;
        this.gid = gid;
        this.created = System.currentTimeMillis();
    }

    // ---------------------------------------------------------------- opens and closes

    void openMaster() {
        lock.lock();
        try {
            masters++;
        } finally {
            lock.unlock();
        }
    }

    /** pty_open of the slave: EIO while locked or once the master is gone. */
    void openSlave() {
        lock.lock();
        try {
            if (locked || hungUp) {
                throw ErrnoException.of(Errno.EIO);
            }
            slaves++;
            slaveClosed = false;
            receive();
        } finally {
            unlock();
        }
    }

    /** pty_close of the last master file: the slave hangs up, its node leaves /dev/pts. */
    void closeMaster() {
        int hupSession;
        lock.lock();
        try {
            if (--masters > 0) {
                return;
            }
            hungUp = true;
            hupSession = session;
            session = 0;
            pgrp = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        devpts.remove(this);
        JobControl jc = Caller.jobControl();
        if (hupSession != 0 && jc != null) {
            jc.release(this, hupSession, true);
        }
        Sleep.wakePollers();
    }

    void closeSlave() {
        lock.lock();
        try {
            if (--slaves == 0) {
                slaveClosed = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        Sleep.wakePollers();
    }

    /** Releases the lock, then sends what the line discipline raised and wakes pollers. */
    private void unlock() {
        List<Integer> signals = raised.isEmpty() ? List.of() : List.copyOf(raised);
        int group = pgrp;
        raised.clear();
        lock.unlock();
        if (!signals.isEmpty() && group != 0) {
            JobControl jc = Caller.jobControl();
            if (jc != null) {
                for (int sig : signals) {
                    jc.signalGroup(group, sig);
                }
            }
        }
        Sleep.wakePollers();
    }

    /** /dev/tty of a session whose controlling terminal this is. */
    @Override
    public FileOps reopen(int flags) {
        return PtySlave.open(this, flags, true);
    }

    @Override
    public long device() {
        return StatBuf.makedev(DevPts.PTS_MAJOR, index);
    }

    @Override
    public int foregroundGroup() {
        lock.lock();
        try {
            return pgrp;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void disassociate(JobControl caller, boolean onExit) {
        int group;
        lock.lock();
        try {
            group = pgrp;
            if (session == caller.sid()) {
                session = 0;
                pgrp = 0;
            }
        } finally {
            lock.unlock();
        }
        if (group != 0) {
            caller.signalGroup(group, Signal.SIGHUP);
            if (!onExit) {
                caller.signalGroup(group, Signal.SIGCONT);
            }
        }
        caller.release(this, caller.sid(), false); // session_clear_tty
    }

    // ---------------------------------------------------------------- termios and winsize

    /** L_TOSTOP: a background process writing the terminal gets SIGTTOU. */
    boolean tostop() {
        lock.lock();
        try {
            return (lflag(termios) & TOSTOP) != 0;
        } finally {
            lock.unlock();
        }
    }

    byte[] termios() {
        lock.lock();
        try {
            return termios.clone();
        } finally {
            lock.unlock();
        }
    }

    /**
     * n_tty_set_termios: switching ICANON off turns the lines into plain bytes (a VEOF becomes
     * NUL); switching it on makes what is buffered one line. TCSETSF ({@code flush}) flushes input.
     */
    void setTermios(byte[] t, boolean flush) {
        lock.lock();
        try {
            boolean wasCanon = (lflag(termios) & ICANON) != 0;
            termios = t.clone();
            if (flush) {
                flushInput();
            }
            boolean canon = (lflag(termios) & ICANON) != 0;
            if (wasCanon && !canon) {
                for (int i = 0; i < readCount; i++) {
                    readBuf[i] = readBuf[i] == EOF_MARK ? 0 : readBuf[i];
                    lineEnd[i] = false;
                }
                canonCount = 0;
            } else if (!wasCanon && canon && readCount > 0) {
                lineEnd[readCount - 1] = true;
                canonCount = readCount;
            }
            lnext = false;
            changed.signalAll();
            receive();
        } finally {
            unlock();
        }
    }

    byte[] winsize() {
        lock.lock();
        try {
            return winsize.clone();
        } finally {
            lock.unlock();
        }
    }

    /** tty_do_resize: SIGWINCH to the foreground group when the size changes. */
    void setWinsize(byte[] w) {
        lock.lock();
        try {
            if (!java.util.Arrays.equals(w, winsize)) {
                System.arraycopy(w, 0, winsize, 0, winsize.length);
                raised.add(Signal.SIGWINCH);
            }
        } finally {
            unlock();
        }
    }

    /** TCFLSH: TCIFLUSH drops the slave's input (and the master's unreceived writes), TCOFLUSH nothing here. */
    void flush(int queue) {
        lock.lock();
        try {
            if (queue == TCIFLUSH || queue == TCIOFLUSH) {
                flushInput();
                flip.clear();
                changed.signalAll();
            }
        } finally {
            unlock();
        }
    }

    /** TCFLSH on the master: its input is what the slave wrote and echoed. */
    void flushMaster(int queue) {
        lock.lock();
        try {
            if (queue == TCIFLUSH || queue == TCIOFLUSH) {
                toMaster.clear();
                changed.signalAll();
            }
        } finally {
            unlock();
        }
    }

    DevPts devpts() {
        return devpts;
    }

    private void flushInput() {
        readCount = 0;
        canonCount = 0;
        lnext = false;
    }

    /** FIONREAD on the slave: a canonical read buffer counts its complete lines, VEOFs left out. */
    int slaveAvailable() {
        lock.lock();
        try {
            if ((lflag(termios) & ICANON) == 0) {
                return readCount;
            }
            int n = 0;
            for (int i = 0; i < canonCount; i++) {
                n += readBuf[i] == EOF_MARK ? 0 : 1;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    int masterAvailable() {
        lock.lock();
        try {
            return toMaster.size();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- the master's side

    /** pty_write from the master: into the flip buffer, from which the line discipline takes what fits. */
    int masterWrite(byte[] buf, int off, int len, boolean nonblock) {
        lock.lock();
        try {
            int written = 0;
            while (written < len) {
                int room = FLIP_LIMIT - flip.size();
                if (room > 0) {
                    int n = Math.min(room, len - written);
                    for (int i = 0; i < n; i++) {
                        flip.add(buf[off + written + i]);
                    }
                    written += n;
                    receive();
                    continue;
                }
                if (written > 0 || nonblock) {
                    break;
                }
                Sleep.await(changed);
            }
            if (written == 0 && len > 0) {
                throw ErrnoException.of(Errno.EAGAIN);
            }
            return written;
        } finally {
            unlock();
        }
    }

    /** n_tty_read on the master: what the slave wrote and echoed; EIO once every slave is closed. */
    int masterRead(byte[] buf, int off, int len, boolean nonblock) {
        lock.lock();
        try {
            while (toMaster.isEmpty()) {
                if (slaveClosed) {
                    throw ErrnoException.of(Errno.EIO);
                }
                if (nonblock) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Sleep.await(changed);
            }
            int n = toMaster.take(buf, off, len);
            changed.signalAll();
            return n;
        } finally {
            unlock();
        }
    }

    /** n_tty_poll for the master. */
    boolean[] masterState() {
        lock.lock();
        try {
            return new boolean[] {!toMaster.isEmpty(), flip.size() < FLIP_LIMIT, slaveClosed};
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- the slave's side

    /** n_tty_write: output processing into the master's queue; EIO once hung up. */
    int slaveWrite(byte[] buf, int off, int len, boolean nonblock) {
        lock.lock();
        try {
            int written = 0;
            while (written < len) {
                if (hungUp) {
                    if (written > 0) {
                        break;
                    }
                    throw ErrnoException.of(Errno.EIO);
                }
                if (toMaster.size() < FLIP_LIMIT) {
                    while (written < len && toMaster.size() < FLIP_LIMIT) {
                        output(buf[off + written++] & 0xff);
                    }
                    changed.signalAll();
                    continue;
                }
                if (written > 0) {
                    break;
                }
                if (nonblock) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Sleep.await(changed);
            }
            return written;
        } finally {
            unlock();
        }
    }

    /**
     * n_tty_read: a canonical read returns at most one line (a VEOF alone reads as 0); a
     * non-canonical one follows VMIN and VTIME. 0 once hung up.
     */
    int slaveRead(byte[] buf, int off, int len, boolean nonblock) {
        lock.lock();
        try {
            if (len == 0 || hungUp) {
                return 0; // hung_up_tty_read
            }
            if ((lflag(termios) & ICANON) != 0) {
                while (canonCount == 0) {
                    if (hungUp) {
                        return 0;
                    }
                    if (nonblock) {
                        throw ErrnoException.of(Errno.EAGAIN);
                    }
                    Sleep.await(changed);
                }
                return readLine(buf, off, len);
            }
            int min = cc(termios, VMIN);
            long time = TimeUnit.MILLISECONDS.toNanos(100L * cc(termios, VTIME));
            int minimum = min == 0 ? 1 : Math.min(min, len);
            // VMIN 0: VTIME bounds the whole read; VMIN > 0: VTIME is an inter-byte timer once a byte came
            boolean timed = min == 0;
            long timeout = time;
            int copied = 0;
            while (true) {
                int got = take(buf, off + copied, len - copied);
                copied += got;
                if (copied >= minimum || copied == len || hungUp || min == 0 && time == 0) {
                    break;
                }
                if (nonblock) {
                    if (copied == 0) {
                        throw ErrnoException.of(Errno.EAGAIN);
                    }
                    break;
                }
                if (got > 0 && min > 0 && time > 0) {
                    timed = true;
                    timeout = time;
                }
                try {
                    if (!timed) {
                        Sleep.await(changed);
                    } else {
                        if (timeout <= 0) {
                            break;
                        }
                        timeout = Sleep.awaitNanos(changed, timeout);
                    }
                } catch (RuntimeException interrupted) {
                    if (copied > 0) {
                        break; // n_tty_read returns what it copied before the signal
                    }
                    throw interrupted;
                }
            }
            return copied;
        } finally {
            unlock();
        }
    }

    /** Takes non-canonical bytes; more input may then fit. */
    private int take(byte[] buf, int off, int len) {
        int n = Math.min(len, readCount);
        for (int i = 0; i < n; i++) {
            buf[off + i] = (byte) readBuf[i];
        }
        consume(n);
        return n;
    }

    /** canon_copy_from_read_buf: up to the first line end, which a VEOF marks without being read. */
    private int readLine(byte[] buf, int off, int len) {
        int end = 0;
        while (!lineEnd[end]) {
            end++;
        }
        boolean eof = readBuf[end] == EOF_MARK;
        int data = eof ? end : end + 1;
        int n = Math.min(len, data);
        for (int i = 0; i < n; i++) {
            buf[off + i] = (byte) readBuf[i];
        }
        consume(n == data ? end + 1 : n);
        return n;
    }

    private void consume(int n) {
        if (n == 0) {
            return;
        }
        System.arraycopy(readBuf, n, readBuf, 0, readCount - n);
        System.arraycopy(lineEnd, n, lineEnd, 0, readCount - n);
        readCount -= n;
        canonCount = Math.max(0, canonCount - n);
        receive();
        changed.signalAll();
    }

    /** n_tty_poll for the slave: {input available, room to write, hung up}. */
    boolean[] slaveState() {
        lock.lock();
        try {
            boolean input;
            if ((lflag(termios) & ICANON) != 0) {
                input = canonCount > 0;
            } else {
                int min = cc(termios, VMIN);
                input = readCount >= (cc(termios, VTIME) == 0 && min > 0 ? min : 1);
            }
            return new boolean[] {input, toMaster.size() < FLIP_LIMIT, hungUp};
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- n_tty's receive path

    /**
     * flush_to_ldisc: moves the flip buffer into the line discipline while there is room. The
     * slave's n_tty exists from ptmx_open on (pty_common_install), so input is received and
     * echoed whether or not the slave is open.
     */
    private void receive() {
        if (flip.isEmpty()) {
            return;
        }
        boolean any = false;
        while (!flip.isEmpty()) {
            boolean canon = (lflag(termios) & ICANON) != 0;
            if (readCount >= N_TTY_BUF_SIZE - 1) {
                if (!canon || canonCount > 0) {
                    break;
                }
                readCount--; // a canonical line that fills the buffer keeps taking its last byte
            }
            receiveChar(flip.take());
            any = true;
        }
        flushEchoes();
        if (any) {
            changed.signalAll();
        }
    }

    private boolean special(int c) {
        int iflag = iflag(termios);
        int lflag = lflag(termios);
        if (c == 0) {
            return false;
        }
        if (c == '\r' && (iflag & (IGNCR | ICRNL)) != 0 || c == '\n' && (iflag & INLCR) != 0) {
            return true;
        }
        if ((lflag & ICANON) != 0) {
            if (c == cc(termios, VERASE) || c == cc(termios, VKILL) || c == cc(termios, VEOF) || c == '\n'
                    || c == cc(termios, VEOL)) {
                return true;
            }
            if ((lflag & IEXTEN) != 0 && (c == cc(termios, VWERASE) || c == cc(termios, VLNEXT)
                    || c == cc(termios, VEOL2) || (lflag & ECHO) != 0 && c == cc(termios, VREPRINT))) {
                return true;
            }
        }
        if ((iflag & IXON) != 0 && (c == cc(termios, VSTART) || c == cc(termios, VSTOP))) {
            return true;
        }
        return (lflag & ISIG) != 0 && (c == cc(termios, VINTR) || c == cc(termios, VQUIT) || c == cc(termios, VSUSP));
    }

    /** n_tty_receive_buf_standard for one byte. */
    private void receiveChar(int c) {
        int iflag = iflag(termios);
        int lflag = lflag(termios);
        if ((iflag & ISTRIP) != 0) {
            c &= 0x7f;
        }
        if ((iflag & IUCLC) != 0 && (lflag & IEXTEN) != 0 && c >= 'A' && c <= 'Z') {
            c += 'a' - 'A';
        }
        if (lnext) {
            lnext = false;
            if ((lflag & ECHO) != 0) {
                echoChar(c);
            }
            put(c);
            return;
        }
        if (!special(c)) {
            if ((lflag & ECHO) != 0) {
                echoChar(c);
            }
            put(c);
            return;
        }
        receiveSpecial(c, iflag, lflag);
    }

    /** n_tty_receive_char_special. */
    private void receiveSpecial(int c, int iflag, int lflag) {
        if ((iflag & IXON) != 0 && (c == cc(termios, VSTART) || c == cc(termios, VSTOP))) {
            return; // flow control: output is never stopped here
        }
        if ((lflag & ISIG) != 0) {
            int sig = c == cc(termios, VINTR) ? Signal.SIGINT : c == cc(termios, VQUIT) ? Signal.SIGQUIT
                    : c == cc(termios, VSUSP) ? Signal.SIGTSTP : 0;
            if (sig != 0) {
                raised.add(sig);
                if ((lflag & NOFLSH) == 0) {
                    flushInput();
                    echoCount = 0;
                }
                if ((lflag & ECHO) != 0) {
                    echoChar(c);
                }
                return;
            }
        }
        if (c == '\r') {
            if ((iflag & IGNCR) != 0) {
                return;
            }
            if ((iflag & ICRNL) != 0) {
                c = '\n';
            }
        } else if (c == '\n' && (iflag & INLCR) != 0) {
            c = '\r';
        }
        boolean echo = (lflag & ECHO) != 0;
        if ((lflag & ICANON) != 0) {
            boolean iexten = (lflag & IEXTEN) != 0;
            if (c == cc(termios, VERASE) || c == cc(termios, VKILL) || iexten && c == cc(termios, VWERASE)) {
                erase(c);
                return;
            }
            if (iexten && c == cc(termios, VLNEXT)) {
                lnext = true;
                if (echo && (lflag & ECHOCTL) != 0) {
                    echoRaw('^');
                    echoRaw('\b');
                }
                return;
            }
            if (iexten && echo && c == cc(termios, VREPRINT)) {
                echoChar(c);
                echoRaw('\n');
                for (int i = canonCount; i < readCount; i++) {
                    echoChar(readBuf[i]);
                }
                return;
            }
            if (c == '\n') {
                if (echo || (lflag & ECHONL) != 0) {
                    echoRaw('\n');
                }
                newline(c);
                return;
            }
            if (c == cc(termios, VEOF)) {
                newline(EOF_MARK);
                return;
            }
            if (c == cc(termios, VEOL) || iexten && c == cc(termios, VEOL2)) {
                if (echo) {
                    echoChar(c);
                }
                newline(c);
                return;
            }
        }
        if (echo) {
            if (c == '\n') {
                echoRaw('\n');
            } else {
                echoChar(c);
            }
        }
        put(c);
    }

    private void put(int c) {
        if (readCount < N_TTY_BUF_SIZE) {
            readBuf[readCount] = c;
            lineEnd[readCount] = false;
            readCount++;
        }
    }

    /** n_tty_receive_handle_newline: the line is complete. */
    private void newline(int c) {
        put(c);
        lineEnd[readCount - 1] = true;
        canonCount = readCount;
    }

    /** eraser: VERASE takes one character back, VWERASE a word, VKILL the line. */
    private void erase(int c) {
        int lflag = lflag(termios);
        boolean echo = (lflag & ECHO) != 0;
        if (readCount == canonCount) {
            return;
        }
        boolean kill = c != cc(termios, VERASE) && c == cc(termios, VKILL);
        boolean werase = c != cc(termios, VERASE) && !kill;
        if (kill) {
            if (!echo) {
                readCount = canonCount;
                return;
            }
            if ((lflag & ECHOK) == 0 || (lflag & ECHOKE) == 0 || (lflag & ECHOE) == 0) {
                readCount = canonCount;
                echoChar(cc(termios, VKILL));
                if ((lflag & ECHOK) != 0) {
                    echoRaw('\n');
                }
                return;
            }
        }
        int seenAlnums = 0;
        while (readCount > canonCount) {
            int ch = readBuf[readCount - 1];
            if (werase) {
                if (Character.isLetterOrDigit(ch) && ch < 128 || ch == '_') {
                    seenAlnums++;
                } else if (seenAlnums > 0) {
                    break;
                }
            }
            readCount--;
            if (echo) {
                if (!kill && !werase && (lflag & ECHOE) == 0) {
                    echoChar(cc(termios, VERASE));
                } else {
                    boolean cntrl = ch < 32 || ch == 127;
                    if (cntrl && (lflag & ECHOCTL) != 0) {
                        echoErase();
                    }
                    if (!cntrl || (lflag & ECHOCTL) != 0) {
                        echoErase();
                    }
                }
            }
            if (!kill && !werase) {
                break;
            }
        }
    }

    private void echoErase() {
        echoRaw('\b');
        echoRaw(' ');
        echoRaw('\b');
    }

    /** echo_char: with ECHOCTL a control character other than TAB echoes as ^X. */
    private void echoChar(int c) {
        boolean tagged = (lflag(termios) & ECHOCTL) != 0 && (c < 32 || c == 127) && c != '\t';
        echoRaw(tagged ? c | ECHO_TAG : c);
    }

    /** echo_char_raw, and commit_echoes once enough are waiting. */
    private void echoRaw(int c) {
        if (echoCount == echoes.length) {
            echoes = java.util.Arrays.copyOf(echoes, echoCount * 2);
        }
        echoes[echoCount++] = c;
        if (echoCount >= ECHO_COMMIT_WATERMARK) {
            flushEchoes();
        }
    }

    /** __process_echoes: a tagged control character as ^X, the rest through output processing when OPOST. */
    private void flushEchoes() {
        boolean opost = (oflag(termios) & OPOST) != 0;
        for (int i = 0; i < echoCount; i++) {
            int c = echoes[i];
            if ((c & ECHO_TAG) != 0) {
                toMaster.add('^');
                toMaster.add((c & 0xff) ^ 0100);
                column += 2;
            } else if (opost) {
                outputChar(c);
            } else {
                toMaster.add(c);
            }
        }
        echoCount = 0;
    }

    // ---------------------------------------------------------------- output processing

    private void output(int c) {
        if ((oflag(termios) & OPOST) != 0) {
            outputChar(c);
        } else {
            toMaster.add(c);
        }
    }

    /** do_output_char: ONLCR, OCRNL, ONOCR, ONLRET, XTABS, OLCUC and the column they track. */
    private void outputChar(int c) {
        int oflag = oflag(termios);
        switch (c) {
            case '\n' -> {
                if ((oflag & ONLRET) != 0) {
                    column = 0;
                }
                if ((oflag & ONLCR) != 0) {
                    column = 0;
                    toMaster.add('\r');
                }
            }
            case '\r' -> {
                if ((oflag & ONOCR) != 0 && column == 0) {
                    return;
                }
                if ((oflag & OCRNL) != 0) {
                    c = '\n';
                    if ((oflag & ONLRET) != 0) {
                        column = 0;
                    }
                } else {
                    column = 0;
                }
            }
            case '\t' -> {
                int spaces = 8 - (column & 7);
                column += spaces;
                if ((oflag & TABDLY) == XTABS) {
                    for (int i = 0; i < spaces; i++) {
                        toMaster.add(' ');
                    }
                    return;
                }
            }
            case '\b' -> column = Math.max(0, column - 1);
            default -> {
                if (c >= 32 && c != 127) {
                    if ((oflag & OLCUC) != 0 && c >= 'a' && c <= 'z') {
                        c -= 'a' - 'A';
                    }
                    if ((iflag(termios) & IUTF8) == 0 || (c & 0xc0) != 0x80) {
                        column++;
                    }
                }
            }
        }
        toMaster.add(c);
    }
}
