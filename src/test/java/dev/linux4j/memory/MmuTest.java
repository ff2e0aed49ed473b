package dev.linux4j.memory;

import static dev.linux4j.abi.Mman.MAP_ANONYMOUS;
import static dev.linux4j.abi.Mman.MAP_FIXED;
import static dev.linux4j.abi.Mman.MAP_PRIVATE;
import static dev.linux4j.abi.Mman.PAGE_SIZE;
import static dev.linux4j.abi.Mman.PROT_READ;
import static dev.linux4j.abi.Mman.PROT_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MMU's TLB: each access gives what the page table holds, whatever the TLB held before (the
 * same entry shared by pages 512 apart, a copy-on-write page moved by a store, a protection
 * changed under it). Compiled regions inline its hit path on {@link Mmu#tlb()}.
 */
class MmuTest {
    private static final long BASE = 0x10_0000_0000L;
    /** Pages that share a TLB entry: 512 pages apart. */
    private static final long ALIAS = 512L * PAGE_SIZE;

    private final AddressSpace space = new AddressSpace();

    @AfterEach
    void destroy() {
        space.destroy();
    }

    private void map(long addr, long length) {
        space.map(addr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
    }

    @Test
    void pagesSharingAnEntryKeepTheirOwnContents() {
        map(BASE, 3 * ALIAS);
        Mmu mmu = new Mmu(space);
        for (int k = 0; k < 3; k++) {
            mmu.write64(BASE + k * ALIAS + 16, 100 + k);
        }
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < 3; k++) {
                assertThat(mmu.read64(BASE + k * ALIAS + 16)).isEqualTo(100 + k);
                assertThat(mmu.read32(BASE + k * ALIAS + 20)).isZero();
            }
        }
        // Reads filled the entries last: stores must still reach their own pages.
        mmu.write8(BASE + ALIAS + 16, 0x55);
        assertThat(space.read64(BASE + ALIAS + 16)).isEqualTo(0x55);
        assertThat(space.read64(BASE + 2 * ALIAS + 16)).isEqualTo(102);
    }

    @Test
    void anAccessAcrossTwoCachedPagesReachesBoth() {
        map(BASE, 2 * PAGE_SIZE);
        Mmu mmu = new Mmu(space);
        mmu.write64(BASE, 1); // both pages in the TLB, for reads and for writes
        mmu.write64(BASE + PAGE_SIZE, 2);
        assertThat(mmu.read64(BASE) + mmu.read64(BASE + PAGE_SIZE)).isEqualTo(3);
        mmu.write64(BASE + PAGE_SIZE - 3, 0x1122334455667788L);
        assertThat(space.read64(BASE + PAGE_SIZE)).isEqualTo(0x1122334455L);
        assertThat(mmu.read64(BASE + PAGE_SIZE - 3)).isEqualTo(0x1122334455667788L);
        assertThat(mmu.read32(BASE + PAGE_SIZE - 1)).isEqualTo(0x33445566);
        assertThat(mmu.read16(BASE + PAGE_SIZE - 1)).isEqualTo(0x5566);
        mmu.write16(BASE + PAGE_SIZE - 1, 0xaabb);
        mmu.write32(BASE + PAGE_SIZE - 2, 0xccddeeff);
        assertThat(space.read64(BASE + PAGE_SIZE)).isEqualTo(0x112233ccddL);
        assertThat(mmu.read64(BASE + PAGE_SIZE - 8) >>> 48).isEqualTo(0xeeffL);
    }

    @Test
    void anAccessAcrossIntoAnUnmappedPageFaults() {
        map(BASE, PAGE_SIZE);
        Mmu mmu = new Mmu(space);
        mmu.write64(BASE + PAGE_SIZE - 8, 5);
        assertThat(mmu.read64(BASE + PAGE_SIZE - 8)).isEqualTo(5);
        assertThatThrownBy(() -> mmu.read64(BASE + PAGE_SIZE - 4)).isInstanceOf(GuestFault.class);
        assertThatThrownBy(() -> mmu.write32(BASE + PAGE_SIZE - 2, 1)).isInstanceOf(GuestFault.class);
        assertThat(mmu.read64(BASE + PAGE_SIZE - 8)).isEqualTo(5); // nothing half-written
    }

    @Test
    void aStoreThatCopiesAPageIsSeenByLaterReadsOfTheSameMmu() {
        map(BASE, PAGE_SIZE);
        space.write64(BASE, 1);
        AddressSpace child = space.fork(false);
        try {
            Mmu mmu = new Mmu(child);
            assertThat(mmu.read64(BASE)).isEqualTo(1); // the read translation: the shared frame
            mmu.write64(BASE, 2); // copy-on-write: the page moves
            assertThat(mmu.read64(BASE)).isEqualTo(2);
            assertThat(space.read64(BASE)).isEqualTo(1);
        } finally {
            child.destroy();
        }
    }

    @Test
    void aProtectionChangeDropsTheTranslations() {
        map(BASE, PAGE_SIZE);
        Mmu mmu = new Mmu(space);
        mmu.write32(BASE, 7);
        space.protect(BASE, PAGE_SIZE, PROT_READ);
        mmu.revalidate();
        assertThat(mmu.read32(BASE)).isEqualTo(7);
        assertThatThrownBy(() -> mmu.write32(BASE, 8)).isInstanceOf(GuestFault.class);
        assertThat(mmu.read32(BASE)).isEqualTo(7);
    }
}
