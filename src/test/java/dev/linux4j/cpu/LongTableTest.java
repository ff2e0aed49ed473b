package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LongTable against a HashMap, under random puts and removals of keys that collide. */
class LongTableTest {
    @Test
    void behavesAsAMap() {
        Random rnd = new Random(7);
        LongTable<String> table = new LongTable<>(4);
        Map<Long, String> model = new HashMap<>();
        // Block addresses of a few code pages and page numbers, 0 among them: long probe runs,
        // deletions that shift entries, and growth from a small table.
        long[] bases = {0, 0x401000, 0x7f12_3456_7000L, -4096};
        for (int step = 0; step < 200_000; step++) {
            long key = bases[rnd.nextInt(bases.length)] + rnd.nextInt(600);
            String value = "v" + rnd.nextInt(5);
            switch (rnd.nextInt(3)) {
                case 0, 1 -> {
                    table.put(key, value);
                    model.put(key, value);
                }
                default -> {
                    String current = model.get(key);
                    // remove(key, v) only removes the very object the key maps to
                    String asked = current != null && rnd.nextBoolean() ? current : new String("other");
                    table.remove(key, asked);
                    if (current != null && asked == current) {
                        model.remove(key);
                    }
                }
            }
            if (step % 4999 == 0) {
                assertThat(table.size()).isEqualTo(model.size());
                for (long base : bases) {
                    for (int k = 0; k < 600; k++) {
                        assertThat(table.get(base + k)).as("key %x", base + k).isSameAs(model.get(base + k));
                    }
                }
                Map<String, Integer> seen = new HashMap<>();
                table.forEachValue(v -> seen.merge(v, 1, Integer::sum));
                Map<String, Integer> expected = new HashMap<>();
                model.values().forEach(v -> expected.merge(v, 1, Integer::sum));
                assertThat(seen).isEqualTo(expected);
            }
        }
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.get(0x401000)).isNull();
    }
}
