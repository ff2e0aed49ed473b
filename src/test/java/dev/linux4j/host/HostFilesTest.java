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

            // a small transfer (through the scratch area rather than the large buffer)
            byte[] small = new byte[100];
            assertThat(HostFiles.pread(fd, small, 0, 100, 5000)).isEqualTo(100);
            assertThat(small).isEqualTo(Arrays.copyOfRange(expected, 5000, 5100));
            assertThat(HostFiles.pwrite(fd, data, 7, 10, 2)).isEqualTo(10);
            assertThat(HostFiles.pread(fd, small, 50, 12, 1)).isEqualTo(12);
            assertThat(Arrays.copyOfRange(small, 50, 62)).isEqualTo(new byte[] {0, data[7], data[8], data[9], data[10],
                    data[11], data[12], data[13], data[14], data[15], data[16], 0});
        } finally {
            HostFiles.close(fd);
        }
    }
}
