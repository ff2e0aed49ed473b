package dev.linux4j.host;

import static dev.linux4j.host.Downcall.errno;
import static dev.linux4j.host.Downcall.errnoState;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntConsumer;

/**
 * A host signal that the JVM will not let Java code handle (SIGQUIT, which HotSpot keeps for its
 * thread dump: {@code sun.misc.Signal} refuses it), caught by a native handler of its own: the
 * self-pipe technique, with the handler a few bytes of machine code that write one byte to a pipe
 * with the raw write(2) system call (async-signal-safe, and it touches no errno), and a Java
 * thread that reads the pipe and hands the signal on. sigaction(2) replaces the JVM's handler, so
 * the JVM's own use of the signal (thread dumps, and the attach mechanism jcmd uses) is gone
 * until {@link #install}'s restore puts it back.
 *
 * <p>x86-64 Linux hosts only, the machine code being x86-64's; elsewhere {@link #install} does
 * nothing. The handler's page, a few bytes of code, stays allocated after restore (a signal
 * being delivered may still be running it).
 */
final class SignalPipe {
    private SignalPipe() {}

    private static final Downcall PIPE2 = Downcall.findWords("pipe2");
    private static final Downcall MPROTECT = Downcall.findWords("mprotect");
    private static final Downcall SIGACTION = Downcall.findWords("sigaction");
    private static final Downcall READ = Downcall.findWords("read");
    private static final Downcall CLOSE = Downcall.findWords("close");

    // The host's (x86-64 Linux) constants: mman-linux.h, fcntl-linux.h, asm/signal.h, errno.h.
    private static final int PROT_READ = 1;
    private static final int PROT_EXEC = 4;
    private static final int O_CLOEXEC = 0x80000;
    private static final long SA_RESTART = 0x10000000L;
    private static final int EINTR = 4;
    /** glibc's struct sigaction on x86-64: handler, a 128-byte sa_mask, int sa_flags, sa_restorer. */
    private static final int SIGACTION_SIZE = 152;
    private static final int SA_FLAGS_OFFSET = 136;
    private static final int PAGE = 4096;

    static boolean supported() {
        String arch = System.getProperty("os.arch");
        return ("amd64".equals(arch) || "x86_64".equals(arch)) && PIPE2.available()
                && MPROTECT.available() && SIGACTION.available() && READ.available() && CLOSE.available();
    }

    /**
     * Catches host signal {@code hostSignal}, calling {@code sink} with {@code linuxNumber} (on a
     * thread of its own) each time it arrives.
     *
     * @return restores the disposition there was before; null if the signal could not be caught
     */
    static Runnable install(int hostSignal, int linuxNumber, IntConsumer sink) {
        if (!supported()) {
            return null;
        }
        try {
            Arena arena = Arena.global(); // the old action and the thread's buffer outlive this call
            MemorySegment state = errnoState(arena);
            MemorySegment fds = arena.allocate(8, 4);
            if (PIPE2.callStatus(state, fds.address(), O_CLOEXEC, 0, 0, 0) != 0) {
                return null;
            }
            int readEnd = fds.get(ValueLayout.JAVA_INT, 0);
            int writeEnd = fds.get(ValueLayout.JAVA_INT, 4);
            // A page-aligned page of its own for the code: it is made executable and read-only,
            // and nothing else lives on it. (No mmap downcall: every call here shares the
            // word-sized stub, so the set-up links no new code; an mmap stub of its own cost
            // start-up about 19 ms of CPU contention on a 2-CPU host.)
            long page = arena.allocate(PAGE, PAGE).address();
            MemorySegment.ofAddress(page).reinterpret(PAGE).copyFrom(MemorySegment.ofArray(handler(writeEnd, linuxNumber)));
            MemorySegment action = arena.allocate(SIGACTION_SIZE, 8);
            action.set(ValueLayout.JAVA_LONG, 0, page);
            action.set(ValueLayout.JAVA_INT, SA_FLAGS_OFFSET, (int) SA_RESTART); // JVM threads' calls go on
            MemorySegment old = arena.allocate(SIGACTION_SIZE, 8);
            if (MPROTECT.callStatus(state, page, PAGE, PROT_READ | PROT_EXEC, 0, 0) != 0
                    || SIGACTION.callStatus(state, hostSignal, action.address(), old.address(), 0, 0) != 0) {
                closeBoth(state, readEnd, writeEnd);
                return null;
            }
            Thread reader = Thread.ofPlatform().daemon().name("linux4j host signal " + linuxNumber)
                    .start(() -> relay(readEnd, linuxNumber, sink));
            return () -> {
                try {
                    MemorySegment s = errnoState(Arena.ofAuto());
                    SIGACTION.callStatus(s, hostSignal, old.address(), 0, 0, 0);
                    CLOSE.callWords(s, writeEnd, 0, 0, 0, 0); // the reader sees end of file and ends
                } catch (Throwable t) {
                    // the JVM is shutting down or the descriptor is gone: nothing to restore into
                }
                reader.interrupt();
            };
        } catch (Throwable t) {
            return null;
        }
    }

    /** Reads the pipe until its write end is closed, one call of {@code sink} per byte. */
    private static void relay(int readEnd, int linuxNumber, IntConsumer sink) {
        MemorySegment buf = Arena.ofAuto().allocate(64);
        MemorySegment state = errnoState(Arena.ofAuto());
        try {
            while (true) {
                long n = READ.callWords(state, readEnd, buf.address(), buf.byteSize(), 0, 0);
                if (n < 0 && errno(state) == EINTR) {
                    continue;
                }
                if (n <= 0) {
                    break;
                }
                for (long k = 0; k < n; k++) {
                    sink.accept(linuxNumber);
                }
            }
            CLOSE.callWords(state, readEnd, 0, 0, 0, 0);
        } catch (Throwable t) {
            // a downcall cannot fail short of the JVM going away
        }
    }

    private static void closeBoth(MemorySegment state, int a, int b) throws Throwable {
        CLOSE.callWords(state, a, 0, 0, 0, 0);
        CLOSE.callWords(state, b, 0, 0, 0, 0);
    }

    /**
     * The handler, x86-64 (Intel SDM vol. 2 encodings): {@code write(fd, &byte, 1)} through the
     * syscall instruction, then return (into the restorer glibc's sigaction installed, which calls
     * rt_sigreturn and restores every register the handler used).
     *
     * <pre>
     *   bf fd32                 mov  edi, fd
     *   48 8d 35 0d 00 00 00    lea  rsi, [rip + 13]   ; the byte after ret
     *   ba 01 00 00 00          mov  edx, 1
     *   b8 01 00 00 00          mov  eax, 1            ; __NR_write
     *   0f 05                   syscall
     *   c3                      ret
     *   nn                      the byte written
     * </pre>
     */
    static byte[] handler(int fd, int value) {
        return new byte[] {
            (byte) 0xbf, (byte) fd, (byte) (fd >>> 8), (byte) (fd >>> 16), (byte) (fd >>> 24),
            0x48, (byte) 0x8d, 0x35, 0x0d, 0x00, 0x00, 0x00,
            (byte) 0xba, 0x01, 0x00, 0x00, 0x00,
            (byte) 0xb8, 0x01, 0x00, 0x00, 0x00,
            0x0f, 0x05,
            (byte) 0xc3,
            (byte) value,
        };
    }
}
