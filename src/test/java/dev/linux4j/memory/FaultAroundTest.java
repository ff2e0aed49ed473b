package dev.linux4j.memory;

import static dev.linux4j.abi.Mman.MAP_FIXED;
import static dev.linux4j.abi.Mman.MAP_PRIVATE;
import static dev.linux4j.abi.Mman.MAP_SHARED;
import static dev.linux4j.abi.Mman.PAGE_SIZE;
import static dev.linux4j.abi.Mman.PROT_EXEC;
import static dev.linux4j.abi.Mman.PROT_NONE;
import static dev.linux4j.abi.Mman.PROT_READ;
import static dev.linux4j.abi.Mman.PROT_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault-around (do_fault_around, filemap_map_pages): a read fault of a private file page also
 * maps the pages of its aligned 64 KiB window that the file page cache already holds, within the
 * VMA and below EOF, copy-on-write and without reading the file; the others wait for their own
 * fault.
 */
class FaultAroundTest {
    /** A 64 KiB-aligned address: a fault-around window starts at every 16th page from here. */
    private static final long BASE = 0x20000000L;

    /** A file with a known stamp that counts its reads and its stats (one per fault). */
    static final class CountingFile extends FileMappingTest.MemFile {
        int stamps;
        int reads;

        CountingFile(int size) {
            super(size, false);
        }

        @Override
        public Stamp stamp() {
            stamps++;
            return new Stamp(size(), 1, 1);
        }

        @Override
        public int read(long offset, byte[] dst, int off, int len) {
            reads++;
            return super.read(offset, dst, off, len);
        }
    }

    private long framesBefore;

    @BeforeEach
    void emptyCache() {
        FilePageCache.clear(); // as FilePageCacheTest: other tests' pages would blur the frame count
        framesBefore = PagePool.shared().framesInUse();
    }

    private static long page(long base, int n) {
        return base + (long) n * PAGE_SIZE;
    }

    private static boolean present(AddressSpace space, long addr) {
        return space.residentPages(addr, addr + PAGE_SIZE) == 1;
    }

    /** Brings file pages {@code pages} of {@code f} into the cache through a throwaway address space. */
    private static void cache(CountingFile f, int... pages) {
        AddressSpace s = new AddressSpace();
        long at = s.map(0, f.size(), PROT_READ, MAP_PRIVATE, "/f", 0, f);
        Mmu mmu = new Mmu(s);
        for (int p : pages) {
            mmu.read8(page(at, p));
        }
        s.destroy();
    }

    private void assertFramesReturned(CountingFile f, AddressSpace... spaces) {
        for (AddressSpace s : spaces) {
            s.destroy();
        }
        FilePageCache.forget(f.identity());
        assertThat(PagePool.shared().framesInUse()).isEqualTo(framesBefore);
    }

    @Test
    void aReadFaultMapsTheCachedPagesOfItsWindowWithinTheVma() {
        CountingFile f = new CountingFile(40 * PAGE_SIZE);
        int[] all = new int[40];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        cache(f, java.util.stream.IntStream.of(all).filter(i -> i != 5 && i != 20).toArray());
        int reads = f.reads;

        // file pages 0..23 from 3 pages into a window, then pages 24..31 as a mapping of their own
        AddressSpace b = new AddressSpace();
        long vma = page(BASE, 3);
        b.map(vma, 24L * PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, "/f", 0, f);
        long next = page(vma, 24);
        b.map(next, 8L * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED, "/f", 24L * PAGE_SIZE, f);
        Mmu mmu = new Mmu(b);

        // page 2: the window starts at the VMA (do_fault_around clamps it) and spans 16 pages
        int stamps = f.stamps;
        assertThat(mmu.read8(page(vma, 2))).isEqualTo(f.data[2 * PAGE_SIZE] & 0xff);
        assertThat(f.stamps - stamps).as("one stat for the fault").isEqualTo(1);
        assertThat(f.reads).as("nothing read: all from the cache").isEqualTo(reads);
        for (int p = 0; p < 24; p++) {
            assertThat(present(b, page(vma, p))).as("file page %d", p).isEqualTo(p < 16 && p != 5);
        }
        assertThat(b.residentTotal()).isEqualTo(15);
        assertThat(b.residentPages(vma, page(vma, 24))).isEqualTo(15);

        // page 20 is read from the file; its window (file pages 13..23) stops at the VMA's end
        assertThat(mmu.read8(page(vma, 20))).isEqualTo(f.data[20 * PAGE_SIZE] & 0xff);
        assertThat(f.reads).isEqualTo(reads + 1);
        for (int p = 0; p < 24; p++) {
            assertThat(present(b, page(vma, p))).as("file page %d", p).isEqualTo(p != 5);
        }
        for (int p = 0; p < 8; p++) {
            assertThat(present(b, page(next, p))).as("the next mapping's page %d", p).isFalse();
        }
        assertThat(b.residentTotal()).isEqualTo(23);

        // every page mapped around reads as the file, without another fault
        stamps = f.stamps;
        for (int p = 0; p < 24; p++) {
            if (p != 5) {
                assertThat(mmu.read8(page(vma, p) + 17)).isEqualTo(f.data[p * PAGE_SIZE + 17] & 0xff);
            }
        }
        assertThat(f.stamps).isEqualTo(stamps);
        assertThat(new Mmu(b).read8(page(vma, 5))).isEqualTo(f.data[5 * PAGE_SIZE] & 0xff);
        assertThat(f.reads).as("page 5, not cached, read at its own fault").isEqualTo(reads + 2);

        assertFramesReturned(f, b);
    }

    @Test
    void aWriteToAPageMappedAroundCopiesIt() {
        CountingFile f = new CountingFile(16 * PAGE_SIZE);
        AddressSpace a = new AddressSpace();
        a.map(BASE, 16L * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED, "/f", 0, f);
        Mmu ma = new Mmu(a);
        for (int p = 0; p < 16; p++) {
            ma.read8(page(BASE, p));
        }
        int original = f.data[3 * PAGE_SIZE + 9] & 0xff;

        AddressSpace b = new AddressSpace();
        b.map(BASE, 16L * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, "/f", 0, f);
        Mmu mb = new Mmu(b);
        assertThat(mb.read8(page(BASE, 0))).isEqualTo(f.data[0] & 0xff);
        assertThat(present(b, page(BASE, 3))).isTrue();
        assertThat(b.residentTotal()).isEqualTo(16);

        mb.write8(page(BASE, 3) + 9, original ^ 0xff);
        assertThat(mb.read8(page(BASE, 3) + 9)).isEqualTo(original ^ 0xff);
        assertThat(ma.read8(page(BASE, 3) + 9)).as("the other space").isEqualTo(original);
        assertThat(f.data[3 * PAGE_SIZE + 9] & 0xff).as("the file").isEqualTo(original);
        AddressSpace c = new AddressSpace();
        c.map(BASE, 16L * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED, "/f", 0, f);
        assertThat(new Mmu(c).read8(page(BASE, 3) + 9)).as("the cached page").isEqualTo(original);

        // a fork shares the pages mapped around copy-on-write; each side's write copies its own
        AddressSpace child = b.fork(false);
        mb.revalidate();
        Mmu mc = new Mmu(child);
        mc.write8(page(BASE, 4), 0x5a);
        assertThat(mb.read8(page(BASE, 4))).isEqualTo(f.data[4 * PAGE_SIZE] & 0xff);
        assertThat(mc.read8(page(BASE, 3) + 9)).isEqualTo(original ^ 0xff);
        assertThat(ma.read8(page(BASE, 4))).isEqualTo(f.data[4 * PAGE_SIZE] & 0xff);

        // MADV_DONTNEED drops them; the next fault maps them around again, as the file has them
        b.discard(BASE, 16L * PAGE_SIZE);
        mb.revalidate();
        assertThat(b.residentTotal()).isZero();
        assertThat(mb.read8(page(BASE, 8))).isEqualTo(f.data[8 * PAGE_SIZE] & 0xff);
        assertThat(b.residentTotal()).isEqualTo(16);
        assertThat(mb.read8(page(BASE, 3) + 9)).isEqualTo(original);

        assertFramesReturned(f, a, b, c, child);
    }

    @Test
    void nothingPastEofOrInAnotherVmaOrAfterAWriteFaultOrInASharedMapping() {
        CountingFile f = new CountingFile(10 * PAGE_SIZE + 100);
        cache(f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

        // pages 11..15 are past EOF: not mapped, and no SIGBUS from fault-around
        AddressSpace b = new AddressSpace();
        b.map(BASE, 16L * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED, "/f", 0, f);
        Mmu mb = new Mmu(b);
        assertThat(mb.read8(page(BASE, 0))).isEqualTo(f.data[0] & 0xff);
        assertThat(b.residentTotal()).isEqualTo(11);
        assertThat(mb.read8(page(BASE, 10) + 99)).isEqualTo(f.data[10 * PAGE_SIZE + 99] & 0xff);
        assertThat(mb.read8(page(BASE, 10) + 100)).as("the tail past EOF").isZero();
        assertThat(present(b, page(BASE, 11))).isFalse();

        // mprotect splits the VMA: a fault in the readable half maps nothing of the PROT_NONE one
        AddressSpace c = new AddressSpace();
        c.map(BASE, 10L * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED, "/f", 0, f);
        c.protect(page(BASE, 6), 4L * PAGE_SIZE, PROT_NONE);
        assertThat(new Mmu(c).read8(page(BASE, 1))).isEqualTo(f.data[PAGE_SIZE] & 0xff);
        assertThat(c.residentTotal()).isEqualTo(6);
        assertThat(c.residentPages(page(BASE, 6), page(BASE, 10))).isZero();

        // a write fault maps only its own page (do_cow_fault), a shared mapping only the one touched
        AddressSpace d = new AddressSpace();
        d.map(BASE, 10L * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, "/f", 0, f);
        new Mmu(d).write8(page(BASE, 2), 1);
        assertThat(d.residentTotal()).isEqualTo(1);
        AddressSpace e = new AddressSpace();
        e.map(BASE, 10L * PAGE_SIZE, PROT_READ, MAP_SHARED | MAP_FIXED, "/f", 0, f);
        assertThat(new Mmu(e).read8(page(BASE, 2))).isEqualTo(f.data[2 * PAGE_SIZE] & 0xff);
        assertThat(e.residentTotal()).isEqualTo(1);

        assertFramesReturned(f, b, c, d, e);
    }

    @Test
    void theFirstRunFaultsPageByPage() {
        CountingFile f = new CountingFile(16 * PAGE_SIZE);
        AddressSpace a = new AddressSpace();
        a.map(BASE, 16L * PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, "/f", 0, f);
        Mmu ma = new Mmu(a);
        ma.read8(page(BASE, 7));
        assertThat(a.residentTotal()).as("nothing cached yet").isEqualTo(1);
        for (int p = 0; p < 16; p++) {
            ma.read8(page(BASE, p));
        }
        assertThat(f.stamps).isEqualTo(16);

        // the second run: one fault, one stat, for the 16 pages
        AddressSpace b = new AddressSpace();
        b.map(BASE, 16L * PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, "/f", 0, f);
        Mmu mb = new Mmu(b);
        for (int p = 0; p < 16; p++) {
            assertThat(mb.read8(page(BASE, p) + 1)).isEqualTo(f.data[p * PAGE_SIZE + 1] & 0xff);
        }
        assertThat(f.stamps).isEqualTo(17);
        assertThat(f.reads).isEqualTo(16);

        assertFramesReturned(f, a, b);
    }
}
