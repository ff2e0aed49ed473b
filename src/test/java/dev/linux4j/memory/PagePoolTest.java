package dev.linux4j.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PagePoolTest {
    /** Enough frames to run through the growing chunks (64 KiB, 128 KiB, ...) into 2 MiB ones. */
    private static final int FRAMES = 2000;

    @Test
    void framesAcrossGrowingChunksAreDistinctAlignedZeroedAndDoNotOverlap() {
        PagePool pool = new PagePool();
        long[] frames = new long[FRAMES];
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < FRAMES; i++) {
            long f = pool.allocate();
            assertThat(f % 4096).isZero();
            assertThat(seen.add(f)).isTrue();
            assertThat(PagePool.RAW.get(ValueLayout.JAVA_LONG, f)).isZero();
            assertThat(PagePool.RAW.get(ValueLayout.JAVA_LONG, f + 4088)).isZero();
            // mark both ends: a frame that overlapped another would overwrite its marks
            PagePool.RAW.set(ValueLayout.JAVA_LONG, f, i);
            PagePool.RAW.set(ValueLayout.JAVA_LONG, f + 4088, ~i);
            frames[i] = f;
        }
        for (int i = 0; i < FRAMES; i++) {
            assertThat(PagePool.RAW.get(ValueLayout.JAVA_LONG, frames[i])).isEqualTo(i);
            assertThat(PagePool.RAW.get(ValueLayout.JAVA_LONG, frames[i] + 4088)).isEqualTo(~i);
        }
        assertThat(pool.framesInUse()).isEqualTo(FRAMES);
        pool.release(frames[7]);
        long again = pool.allocate();
        assertThat(again).isEqualTo(frames[7]);
        assertThat(PagePool.RAW.get(ValueLayout.JAVA_LONG, again)).isZero(); // recycled frames read as zeros too
    }
}
