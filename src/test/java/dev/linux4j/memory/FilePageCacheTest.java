package dev.linux4j.memory;

import static dev.linux4j.abi.Mman.MAP_PRIVATE;
import static dev.linux4j.abi.Mman.PAGE_SIZE;
import static dev.linux4j.abi.Mman.PROT_EXEC;
import static dev.linux4j.abi.Mman.PROT_READ;
import static dev.linux4j.abi.Mman.PROT_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The clean pages of private file mappings: read once from the file for all address spaces,
 * copied at the first write, read again when the file's stamp changes or write(2) forgets them,
 * and every frame given back once no mapping and no cache entry holds it.
 */
class FilePageCacheTest {
    /** A file with a known stamp that counts its reads. */
    static final class StampedFile extends FileMappingTest.MemFile {
        long ctime = 1;
        int reads;

        StampedFile(int size) {
            super(size, false);
        }

        @Override
        public Stamp stamp() {
            return new Stamp(size(), ctime, ctime);
        }

        @Override
        public int read(long offset, byte[] dst, int off, int len) {
            reads++;
            return super.read(offset, dst, off, len);
        }
    }

    /** Frames in use before the test, with the cache emptied. */
    private long framesBefore;

    @BeforeEach
    void emptyCache() {
        // Other tests' programs filled the cache: a fault here could evict their pages, whose
        // frames would then leave the count.
        FilePageCache.clear();
        framesBefore = PagePool.shared().framesInUse();
    }

    /** Destroys {@code spaces}, drops {@code f}'s pages, and checks every frame came back. */
    private void assertFramesReturned(StampedFile f, AddressSpace... spaces) {
        for (AddressSpace s : spaces) {
            s.destroy();
        }
        FilePageCache.forget(f.identity());
        assertThat(PagePool.shared().framesInUse()).isEqualTo(framesBefore);
    }

    private static int readByte(AddressSpace space, long addr) {
        return new Mmu(space).read8(addr) & 0xff;
    }

    @Test
    void pagesAreReadOnceSharedUntilWrittenAndReadAgainWhenTheFileChanges() {
        StampedFile f = new StampedFile(2 * PAGE_SIZE);
        int first = f.data[5] & 0xff;

        AddressSpace a = new AddressSpace();
        long pa = a.map(0, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", 0, f);
        AddressSpace b = new AddressSpace();
        long pb = b.map(0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, "/f", 0, f);
        assertThat(readByte(a, pa + 5)).isEqualTo(first);
        assertThat(readByte(b, pb + 5)).isEqualTo(first);
        assertThat(readByte(b, pb + PAGE_SIZE)).isEqualTo(f.data[PAGE_SIZE] & 0xff);
        assertThat(f.reads).as("file reads for two pages in two address spaces").isEqualTo(2);

        // b's store copies the page: a and the file keep the old byte
        new Mmu(b).write8(pb + 5, first ^ 0xff);
        assertThat(readByte(b, pb + 5)).isEqualTo(first ^ 0xff);
        assertThat(readByte(a, pa + 5)).isEqualTo(first);
        assertThat(f.data[5] & 0xff).isEqualTo(first);

        // the file changes under a new stamp: a new mapping reads it again
        f.data[5] = (byte) (first + 1);
        f.ctime++;
        AddressSpace c = new AddressSpace();
        long pc = c.map(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", 0, f);
        assertThat(readByte(c, pc + 5)).isEqualTo((first + 1) & 0xff);
        assertThat(f.reads).isEqualTo(3);

        // same stamp, but write(2) forgot the pages: read again
        f.data[5] = (byte) (first + 2);
        FilePageCache.forget(f.identity());
        AddressSpace d = new AddressSpace();
        long pd = d.map(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", 0, f);
        assertThat(readByte(d, pd + 5)).isEqualTo((first + 2) & 0xff);
        assertThat(f.reads).isEqualTo(4);

        assertFramesReturned(f, a, b, c, d);
    }

    /**
     * write(2) through linux4j updates the cached pages it wrote in place: a mapping that only
     * read them sees the new bytes (as Linux's, which map the page cache's page), one that wrote
     * its copy does not; a file an executable mapping took pages from is dropped instead.
     */
    @Test
    void writeUpdatesCachedPagesInPlaceUnlessExecutableOrChangedOtherwise() {
        StampedFile f = new StampedFile(2 * PAGE_SIZE);
        int first = f.data[5] & 0xff;
        AddressSpace a = new AddressSpace();
        long pa = a.map(0, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", 0, f);
        AddressSpace b = new AddressSpace();
        long pb = b.map(0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, "/f", 0, f);
        assertThat(readByte(a, pa + 5)).isEqualTo(first);
        new Mmu(b).write8(pb + 6, 0); // b's own copy of page 0
        assertThat(readByte(a, pa + PAGE_SIZE)).isEqualTo(f.data[PAGE_SIZE] & 0xff);

        // write(2) of byte 5: stamp before, the file's bytes, a new stamp after
        MappedFile.Stamp stamp = f.stamp();
        f.data[5] = (byte) (first + 1);
        f.ctime++;
        FilePageCache.written(f, stamp, 5, 1);
        assertThat(readByte(a, pa + 5)).as("a page a only read").isEqualTo((first + 1) & 0xff);
        assertThat(readByte(b, pb + 5)).as("b's copy").isEqualTo(first);
        int reads = f.reads;
        AddressSpace c = new AddressSpace();
        long pc = c.map(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", 0, f);
        assertThat(readByte(c, pc + 5)).as("a new mapping").isEqualTo((first + 1) & 0xff);
        assertThat(f.reads).as("the entry kept, under the new stamp").isEqualTo(reads);

        // the file changed behind our back before this write: the entry is dropped, a keeps its page
        f.ctime++; // a host process's write
        MappedFile.Stamp beforeOurs = f.stamp();
        f.data[5] = (byte) (first + 2);
        f.ctime++;
        FilePageCache.written(f, beforeOurs, 5, 1);
        assertThat(readByte(a, pa + 5)).isEqualTo((first + 1) & 0xff);
        AddressSpace d = new AddressSpace();
        long pd = d.map(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", 0, f);
        assertThat(readByte(d, pd + 5)).isEqualTo((first + 2) & 0xff);
        assertThat(f.reads).isEqualTo(reads + 1);

        // an executable mapping's pages may be decoded code: dropped, not written in place
        AddressSpace x = new AddressSpace();
        long px = x.map(0, PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE, "/f", 0, f);
        assertThat(readByte(x, px + 5)).isEqualTo((first + 2) & 0xff);
        MappedFile.Stamp beforeX = f.stamp();
        f.data[5] = (byte) (first + 3);
        f.ctime++;
        FilePageCache.written(f, beforeX, 5, 1);
        assertThat(readByte(x, px + 5)).isEqualTo((first + 2) & 0xff);
        assertThat(FilePageCache.holds(f.identity())).isFalse();

        assertFramesReturned(f, a, b, c, d, x);
    }

    @Test
    void aFileWithoutKnownTimesIsNeverCached() {
        FileMappingTest.MemFile f = new FileMappingTest.MemFile(PAGE_SIZE, false);
        int cached = FilePageCache.pages();
        AddressSpace a = new AddressSpace();
        long pa = a.map(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", 0, f);
        assertThat(readByte(a, pa)).isEqualTo(f.data[0] & 0xff);
        assertThat(FilePageCache.pages()).isEqualTo(cached);
        a.destroy();
    }
}
