package dev.linux4j.host;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The host's terminal signals to the JVM, turned into Linux signal numbers for the guest: what
 * Ctrl-C (SIGINT), Ctrl-\ (SIGQUIT), a hang-up (SIGHUP) or {@code kill PID} (SIGTERM) would do to
 * a program run natively. Only the command line installs these; an embedder keeps the JVM's.
 *
 * <p>HotSpot reserves SIGQUIT for its thread dump and refuses any Java handler for it; on an
 * x86-64 Linux host a native handler of {@link SignalPipe} catches it instead (and the JVM's
 * thread dump and jcmd's attach are gone while it is installed). Elsewhere SIGQUIT keeps the
 * JVM's meaning.
 */
public final class HostSignals {
    private HostSignals() {}

    /**
     * Host signal name, the Linux x86-64 signal number it carries to the guest, and the host's
     * number for a native handler when the JVM refuses a Java one (0: none; the JVM also refuses
     * a signal the parent ignored, as nohup does with SIGHUP, and that must stay ignored).
     */
    private record Forwarded(String name, int linuxNumber, int nativeHostNumber) {}

    private static final List<Forwarded> FORWARDED = List.of(new Forwarded("INT", 2, 0), new Forwarded("TERM", 15, 0),
            new Forwarded("HUP", 1, 0), new Forwarded("QUIT", 3, 3));

    /**
     * The signals the JVM's parent left ignored, as a mask with bit n-1 for signal n (SigIgn of
     * /proc/self/status, proc(5)); 0 on a host without it. execve keeps a SIG_IGN disposition, so
     * a program started by nohup finds SIGHUP ignored, and one started as a background job of a
     * non-interactive shell SIGINT and SIGQUIT. HotSpot leaves SIGINT, SIGTERM and SIGHUP ignored
     * when they were; a signal it handles itself (SIGQUIT, SIGPIPE, SIGSEGV...) no longer shows
     * what its parent left. Call it before {@link #forward} installs any handler (the status is
     * read once, with the host ids the command line asks for first).
     */
    public static long ignoredByParent() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return 0; // signal numbers differ, and there is no /proc/self/status
        }
        return HostNative.ignoredSignals();
    }

    /**
     * Installs handlers that pass each forwarded signal's Linux number to {@code sink} (on the
     * JVM's signal-dispatch thread).
     *
     * @return restores the handlers that were there before
     */
    public static Runnable forward(IntConsumer sink) {
        List<Runnable> restore = new ArrayList<>();
        for (Forwarded f : FORWARDED) {
            Signal signal = new Signal(f.name());
            try {
                SignalHandler previous = Signal.handle(signal, s -> sink.accept(f.linuxNumber()));
                restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException e) {
                // reserved by the JVM (SIGQUIT on HotSpot) or ignored by the parent (nohup)
                if (f.nativeHostNumber() != 0 && "Linux".equals(System.getProperty("os.name"))) {
                    restore.add(installInBackground(f, sink));
                }
            }
        }
        return () -> restore.forEach(Runnable::run);
    }

    /** How long a program runs before the native SIGQUIT handler is installed. */
    private static final long NATIVE_DELAY_MILLIS = 150;

    /**
     * Installs the native handler of {@link SignalPipe} on a thread of its own, once the program
     * has run {@link #NATIVE_DELAY_MILLIS}: on the program's own thread its set-up took 9 ms of
     * start-up (busybox true: 141 -> 150 ms), and even beside it, competing for a 2-CPU host's
     * processors with HotSpot's compilers, about 6 ms. A program that ends sooner never pays for
     * it; a SIGQUIT that comes before it is in place keeps the JVM's meaning.
     *
     * @return cancels the installation, or waits for it and undoes it
     */
    private static Runnable installInBackground(Forwarded f, IntConsumer sink) {
        java.util.concurrent.atomic.AtomicReference<Runnable> undo = new java.util.concurrent.atomic.AtomicReference<>();
        Thread installer = Thread.ofPlatform().daemon().name("linux4j host signal " + f.linuxNumber() + " set-up")
                .start(() -> {
                    try {
                        Thread.sleep(NATIVE_DELAY_MILLIS);
                    } catch (InterruptedException e) {
                        return; // the program ended first
                    }
                    undo.set(SignalPipe.install(f.nativeHostNumber(), f.linuxNumber(), sink));
                });
        return () -> {
            installer.interrupt(); // still sleeping: it installs nothing; installing: it goes on
            try {
                installer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Runnable r = undo.get();
            if (r != null) {
                r.run();
            }
        };
    }
}
