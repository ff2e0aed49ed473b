package dev.linux4j.kernel;

/**
 * How a process ended, encoded as wait(2) reports it (exit code in bits 8-15; or the signal in
 * bits 0-6 with 0x80 for a core dump), and as a shell reports it (128 + signal).
 */
public record ExitStatus(int code, int signal, boolean coreDumped) {
    public static ExitStatus exited(int code) {
        return new ExitStatus(code & 0xff, 0, false);
    }

    public static ExitStatus killed(int signal, boolean core) {
        return new ExitStatus(0, signal, core);
    }

    /** The wait(2) status word. */
    public int waitStatus() {
        return signal != 0 ? signal | (coreDumped ? 0x80 : 0) : code << 8;
    }

    /** The status a shell would report: the exit code, or 128 + signal. */
    public int shellStatus() {
        return signal != 0 ? 128 + signal : code;
    }
}
