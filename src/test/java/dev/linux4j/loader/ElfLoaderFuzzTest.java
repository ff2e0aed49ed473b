package dev.linux4j.loader;

import static dev.linux4j.loader.LoaderTesting.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.memory.AddressSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of real static executables (header fields, program header fields, random
 * bytes, truncation): every load must end in a successful image or an {@link ExecException} —
 * never another exception, an OutOfMemoryError or a hang.
 */
class ElfLoaderFuzzTest {
    private static final long[] SEEDS = {1, 2, 3, 4};
    private static final int ITERATIONS_PER_SEED = 500;
    private static final long[] INTERESTING = {
        0, 1, 2, 7, 8, 55, 56, 57, 64, 0xfff, 0x1000, 0x1001, 0x400000, 0x10000000L, 1L << 31, 1L << 32, 1L << 34,
        1L << 40, 1L << 46, 0x7ffffffff000L, 0x7ffffffff000L - 0x1000, 0x800000000000L, 1L << 62, Long.MAX_VALUE,
        Long.MIN_VALUE, -1, -2, -0x1000, 0xffffffffL, 0x7fffffffL, 0x555555554000L
    };

    private static List<byte[]> baseImages() throws Exception {
        List<byte[]> images = new ArrayList<>();
        images.add(ElfBuilder.exit42().build());
        if (NativeOracle.available()) {
            if (Files.isExecutable(Path.of("/usr/bin/musl-gcc"))) {
                images.add(Files.readAllBytes(NativeOracle.compile("hello.c", "hello-musl", "musl-gcc", "-static", "-O2")));
            }
            images.add(Files.readAllBytes(NativeOracle.compile("hello.c", "hello-static-pie", "gcc", "-static-pie", "-O2")));
            images.add(Files.readAllBytes(NativeOracle.compile("hello.c", "hello-dynamic", "gcc", "-O2")));
        }
        return images;
    }

    /** Opens any PT_INTERP as the host's dynamic linker, when there is one. */
    private static ImageOpener opener() {
        Path ldso = Path.of("/lib64/ld-linux-x86-64.so.2");
        if (!Files.exists(ldso)) {
            return LoaderTesting.NO_FILES;
        }
        HostImageFile file = HostImageFile.open(ldso);
        return path -> {
            if (path.endsWith("missing")) {
                throw ErrnoException.of(Errno.ENOENT);
            }
            return file;
        };
    }

    @Test
    void mutatedImagesLoadOrFailCleanly() throws Exception {
        List<byte[]> bases = baseImages();
        ImageOpener opener = opener();
        int loaded = 0;
        int refused = 0;
        long started = System.nanoTime();
        for (long seed : SEEDS) {
            Random random = new Random(seed);
            for (int i = 0; i < ITERATIONS_PER_SEED; i++) {
                byte[] base = bases.get(random.nextInt(bases.size()));
                byte[] image = mutate(base, random);
                String where = "seed " + seed + " iteration " + i;
                boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> tryLoad(image, opener, where), where);
                if (ok) {
                    loaded++;
                } else {
                    refused++;
                }
            }
        }
        assertThat(loaded).as("some mutants still load").isPositive();
        assertThat(refused).as("some mutants are refused").isPositive();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    }

    private static boolean tryLoad(byte[] image, ImageOpener opener, String where) {
        AddressSpace space = new AddressSpace();
        try {
            ElfLoader.load(space, new MemoryImageFile("/fuzz/prog", image), opener, params());
            return true;
        } catch (ExecException e) {
            assertThat(e.errno()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return false;
        } catch (Throwable t) {
            fail(where + ": unexpected " + t, t);
            return false;
        } finally {
            space.destroy();
        }
    }

    static byte[] mutate(byte[] base, Random r) {
        byte[] b = base.clone();
        int n = 1 + r.nextInt(4);
        for (int m = 0; m < n; m++) {
            switch (r.nextInt(6)) {
                case 0 -> headerField(b, r);
                case 1, 2 -> programHeaderField(b, r);
                case 3 -> b[r.nextInt(Math.min(b.length, 4096))] ^= (byte) (1 << r.nextInt(8));
                case 4 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                default -> {
                    if (r.nextInt(4) == 0) {
                        b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                    }
                }
            }
        }
        return b;
    }

    private static long value(Random r, long old) {
        return switch (r.nextInt(4)) {
            case 0 -> INTERESTING[r.nextInt(INTERESTING.length)];
            case 1 -> old + r.nextInt(0x2001) - 0x1000;
            case 2 -> r.nextLong();
            default -> old ^ (1L << r.nextInt(64));
        };
    }

    private static void headerField(byte[] b, Random r) {
        // e_ident bytes 4..8, e_type, e_machine, e_entry, e_phoff, e_phentsize, e_phnum
        int[][] fields = {{4, 1}, {5, 1}, {7, 1}, {16, 2}, {18, 2}, {24, 8}, {32, 8}, {54, 2}, {56, 2}};
        int[] f = fields[r.nextInt(fields.length)];
        put(b, f[0], f[1], value(r, get(b, f[0], f[1])));
    }

    private static void programHeaderField(byte[] b, Random r) {
        if (b.length < 64) {
            return;
        }
        long phoff = get(b, 32, 8);
        int phnum = (int) get(b, 56, 2);
        if (phnum == 0 || phoff < 0 || phoff > b.length) {
            return;
        }
        int index = r.nextInt(phnum);
        int[][] fields = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {32, 8}, {40, 8}, {48, 8}};
        int[] f = fields[r.nextInt(fields.length)];
        long at = phoff + 56L * index + f[0];
        if (at + f[1] > b.length) {
            return;
        }
        long v = f[0] == 0 && r.nextBoolean() ? new int[] {1, 3, 4, 6, 7, 0x6474e551}[r.nextInt(6)] : value(r, get(b, (int) at, f[1]));
        put(b, (int) at, f[1], v);
    }

    private static long get(byte[] b, int off, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (off + i < b.length ? b[off + i] & 0xff : 0);
        }
        return v;
    }

    private static void put(byte[] b, int off, int size, long v) {
        for (int i = 0; i < size && off + i < b.length; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
