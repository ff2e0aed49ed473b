package dev.linux4j.host;

import java.io.FileInputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The host kernel's random bytes, for what a Linux guest gets from its kernel's CSPRNG
 * (getrandom(2), AT_RANDOM, /dev/urandom, boot_id): read from the host's /dev/urandom, or from a
 * {@link SecureRandom} where there is none (Windows). Opening the device costs microseconds; the
 * first SecureRandom of a JVM sets up the security providers, about 10 ms that every run paid
 * before its program's first instruction (glibc asks getrandom for its malloc's secret).
 */
public final class HostRandom implements RandomGenerator {
    private static final HostRandom INSTANCE = new HostRandom();

    // Guarded by this.
    private boolean opened;
    private FileInputStream urandom;
    private SecureRandom fallback;

    private HostRandom() {}

    /** The one source (its device is opened on first use). */
    public static HostRandom get() {
        return INSTANCE;
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        if (!opened) {
            opened = true;
            try {
                urandom = new FileInputStream("/dev/urandom");
            } catch (IOException | SecurityException e) {
                urandom = null;
            }
        }
        if (urandom != null && readFully(bytes)) {
            return;
        }
        if (fallback == null) {
            fallback = new SecureRandom();
        }
        fallback.nextBytes(bytes);
    }

    private boolean readFully(byte[] bytes) {
        try {
            for (int done = 0; done < bytes.length; ) {
                int n = urandom.read(bytes, done, bytes.length - done);
                if (n <= 0) {
                    drop();
                    return false;
                }
                done += n;
            }
            return true;
        } catch (IOException e) {
            drop();
            return false;
        }
    }

    /** Gives up the device (closed) for the fallback, after a read that failed or hit its end. */
    private void drop() {
        try {
            urandom.close();
        } catch (IOException e) {
            // closing a device that already failed: nothing more to do
        }
        urandom = null;
    }

    @Override
    public long nextLong() {
        byte[] b = new byte[8];
        nextBytes(b);
        long v = 0;
        for (byte x : b) {
            v = v << 8 | (x & 0xff);
        }
        return v;
    }
}
