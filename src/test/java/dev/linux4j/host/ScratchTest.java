package dev.linux4j.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void memoryIsZeroedAgainAfterItsScopeCloses() {
        long first;
        try (Scratch s = Scratch.open()) {
            MemorySegment m = s.allocate(64, 8);
            m.fill((byte) 0x5a);
            first = m.address();
        }
        try (Scratch s = Scratch.open()) {
            MemorySegment m = s.allocate(64, 8);
            assertThat(m.address()).isEqualTo(first); // the scope gave the memory back
            assertThat(m.toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0);
        }
    }

    @Test
    void nestedScopesDoNotOverlapAndAlignmentHolds() {
        try (Scratch outer = Scratch.open()) {
            MemorySegment a = outer.allocate(3, 1);
            MemorySegment c = outer.allocateFrom("path");
            try (Scratch inner = Scratch.open()) {
                MemorySegment b = inner.allocate(256, 8);
                assertThat(b.address() % 8).isZero();
                assertThat(b.address()).isGreaterThanOrEqualTo(c.address() + c.byteSize());
                b.fill((byte) 1);
            }
            assertThat(a.toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0);
            assertThat(c.getString(0)).isEqualTo("path");
        }
    }

    @Test
    void allocationsLargerThanTheAreaStillWork() {
        try (Scratch s = Scratch.open()) {
            MemorySegment small = s.allocate(16, 8);
            MemorySegment big = s.allocate(64 * 1024, 8);
            assertThat(big.byteSize()).isEqualTo(64 * 1024);
            big.set(ValueLayout.JAVA_LONG, 64 * 1024 - 8, -1L);
            assertThat(big.toArray(ValueLayout.JAVA_BYTE)[0]).isZero();
            assertThat(big.address() + big.byteSize() <= small.address()
                    || small.address() + small.byteSize() <= big.address()).isTrue();
        }
    }
}
