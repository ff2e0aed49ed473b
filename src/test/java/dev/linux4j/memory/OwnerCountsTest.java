package dev.linux4j.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** OwnerCounts against a HashMap, under random puts and removals of colliding frame addresses. */
class OwnerCountsTest {
    @Test
    void behavesAsAMap() {
        Random rnd = new Random(42);
        OwnerCounts counts = new OwnerCounts();
        Map<Long, Integer> model = new HashMap<>();
        // Frames from a few 2 MiB chunks, so that probe runs are long and deletions shift entries.
        long[] chunks = {0x7f00_0000_0000L, 0x7f00_0020_0000L, 0x5555_0000_0000L};
        for (int step = 0; step < 200_000; step++) {
            long frame = chunks[rnd.nextInt(chunks.length)] + (long) rnd.nextInt(1024) * 4096;
            int count = rnd.nextInt(4) == 0 ? 0 : 2 + rnd.nextInt(3);
            counts.put(frame, count);
            if (count == 0) {
                model.remove(frame);
            } else {
                model.put(frame, count);
            }
            if (step % 997 == 0) {
                for (long c : chunks) {
                    for (int k = 0; k < 1024; k++) {
                        long f = c + (long) k * 4096;
                        assertThat(counts.get(f)).as("frame %x at step %d", f, step).isEqualTo(model.getOrDefault(f, 0));
                    }
                }
                assertThat(counts.isEmpty()).isEqualTo(model.isEmpty());
            }
        }
        for (long f : model.keySet().toArray(new Long[0])) {
            counts.put(f, 0);
        }
        assertThat(counts.isEmpty()).isTrue();
    }
}
