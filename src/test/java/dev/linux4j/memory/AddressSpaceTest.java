package dev.linux4j.memory;

import static dev.linux4j.abi.Mman.MAP_ANONYMOUS;
import static dev.linux4j.abi.Mman.MAP_FIXED;
import static dev.linux4j.abi.Mman.MAP_PRIVATE;
import static dev.linux4j.abi.Mman.PAGE_SIZE;
import static dev.linux4j.abi.Mman.PROT_READ;
import static dev.linux4j.abi.Mman.PROT_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The page table: pages on both sides of every level's table boundary. */
class AddressSpaceTest {
    /** A 512 GiB boundary (a top-level entry's span); the mapping is the GiB on each side. */
    private static final long BOUNDARY = 512L << 30;
    private static final long START = BOUNDARY - (1L << 30);
    private static final long LENGTH = 2L << 30;
    /** First and last pages, and pages on both sides of a 2 MiB and of the 512 GiB boundary. */
    private static final long[] TOUCHED = {
        START, START + (2L << 20) - PAGE_SIZE, START + (2L << 20), BOUNDARY - PAGE_SIZE, BOUNDARY,
        START + LENGTH - PAGE_SIZE,
    };

    @Test
    void sparsePagesAcrossTableBoundariesAreCountedCopiedAndReleased() {
        long framesBefore = PagePool.shared().framesInUse();
        AddressSpace space = new AddressSpace();
        space.map(START, LENGTH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
        for (int k = 0; k < TOUCHED.length; k++) {
            space.write64(TOUCHED[k] + 8, 1000 + k);
        }
        assertThat(space.residentTotal()).isEqualTo(TOUCHED.length);
        assertThat(space.residentPages(START, START + LENGTH)).isEqualTo(TOUCHED.length);
        assertThat(space.residentPages(START + (2L << 20), BOUNDARY)).isEqualTo(2);
        // A small mapping 6 MiB past the end: the tables before it have no leaves, which counting skips.
        long small = START + LENGTH + (6L << 20);
        space.map(small, 4L << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
        space.write64(small + PAGE_SIZE, 99);
        assertThat(space.residentPages(START + LENGTH, small + (4L << 20))).isEqualTo(1);
        assertThat(space.residentPages(0, small + (4L << 20))).isEqualTo(TOUCHED.length + 1);
        space.unmap(small, 4L << 20);

        AddressSpace child = space.fork(false);
        for (int k = 0; k < TOUCHED.length; k++) {
            assertThat(child.read64(TOUCHED[k] + 8)).as("page %x in the child", TOUCHED[k]).isEqualTo(1000 + k);
        }
        child.write64(TOUCHED[4] + 8, 7); // copy-on-write: the parent keeps its value
        assertThat(space.read64(TOUCHED[4] + 8)).isEqualTo(1004);

        // Unmapping the 512 MiB above the boundary leaves the pages around it.
        space.unmap(BOUNDARY, 1L << 29);
        assertThat(space.residentTotal()).isEqualTo(TOUCHED.length - 1);
        assertThat(space.read64(TOUCHED[3] + 8)).isEqualTo(1003);
        assertThat(space.read64(TOUCHED[5] + 8)).isEqualTo(1005);

        space.destroy();
        child.destroy();
        assertThat(space.residentTotal()).isZero();
        assertThat(child.residentTotal()).isZero();
        assertThat(PagePool.shared().framesInUse()).isEqualTo(framesBefore);
    }
}
