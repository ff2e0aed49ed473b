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
 * <p>HotSpot reserves SIGQUIT for its thread dump and refuses any Java handler for it, so on a
 * JVM that does, SIGQUIT keeps the JVM's meaning and {@link #forward} skips it.
 */
public final class HostSignals {
    private HostSignals() {}

    /** Host signal name and the Linux x86-64 signal number it carries to the guest. */
    private record Forwarded(String name, int linuxNumber) {}

    private static final List<Forwarded> FORWARDED = List.of(new Forwarded("INT", 2), new Forwarded("TERM", 15),
            new Forwarded("HUP", 1), new Forwarded("QUIT", 3));

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
                // reserved by the JVM (SIGQUIT on HotSpot) or ignored by the parent (nohup): left alone
            }
        }
        return () -> restore.forEach(Runnable::run);
    }
}
