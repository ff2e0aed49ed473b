package dev.linux4j.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFilesTest {
    private static final int O_RDWR = 02;
    private static final int O_CREAT = 0100;

    @TempDir
    Path dir;

    /**
     * pread and pwrite move at most a scratch buffer's worth per call (a short count, which
     * callers loop on): every byte of a transfer several times larger lands at its offset.
     */
    @Test
    void transfersLargerThanOneCallMoveEveryByteAtItsOffset() throws Exception {
        assertThat(HostFiles.available()).isTrue(); // the tests run on Linux
        byte[] data = new byte[3 * Scratch.IO_SIZE + 12_345];
        new Random(42).nextBytes(data);
        Path file = dir.resolve("f");
        int fd = HostFiles.open(file.toString(), O_RDWR | O_CREAT, 0600);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        try {
            long base = 1000;
            for (int done = 0; done < data.length; ) {
                long n = HostFiles.pwrite(fd, data, done, data.length - done, base + done);
                assertThat(n).isBetween(1L, (long) Scratch.IO_SIZE);
                done += (int) n;
            }
            byte[] expected = new byte[(int) base + data.length];
            System.arraycopy(data, 0, expected, (int) base, data.length);
            assertThat(Files.readAllBytes(file)).isEqualTo(expected);

            byte[] back = new byte[expected.length + 10];
            Arrays.fill(back, (byte) 0x77);
            int done = 0;
            while (true) {
                long n = HostFiles.pread(fd, back, done + 3, back.length - 3 - done, done);
                assertThat(n).isBetween(0L, (long) Scratch.IO_SIZE);
                if (n == 0) {
                    break;
                }
                done += (int) n;
            }
            assertThat(done).isEqualTo(expected.length);
            assertThat(Arrays.copyOfRange(back, 3, 3 + done)).isEqualTo(expected);
            assertThat(Arrays.copyOfRange(back, 0, 3)).containsOnly((byte) 0x77); // nothing before the offset
        } finally {
            HostFiles.close(fd);
        }
    }
}
