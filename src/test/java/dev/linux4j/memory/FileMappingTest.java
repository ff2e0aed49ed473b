package dev.linux4j.memory;

import static dev.linux4j.abi.Mman.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * File mappings as mm/filemap.c and mm/memory.c give them: MAP_PRIVATE pages copied from the file
 * at first touch, MAP_SHARED pages shared with the file and every other shared mapping of it,
 * the tail of the last page zero-filled, pages wholly beyond EOF raising SIGBUS.
 */
class FileMappingTest {
    /** An in-memory file standing in for an open file description. */
    static class MemFile implements MappedFile {
        final Object id = new Object();
        byte[] data;
        final boolean writable;
        int references = 1;

        MemFile(int size, boolean writable) {
            data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (i * 7 + 3);
            }
            this.writable = writable;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public int read(long offset, byte[] dst, int off, int len) {
            int n = (int) Math.max(0, Math.min(len, data.length - offset));
            System.arraycopy(data, (int) offset, dst, off, n);
            return n;
        }

        @Override
        public void write(long offset, byte[] src, int off, int len) {
            if (offset + len > data.length) {
                data = Arrays.copyOf(data, (int) offset + len);
            }
            System.arraycopy(src, off, data, (int) offset, len);
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public Object identity() {
            return id;
        }

        @Override
        public void retain() {
            references++;
        }

        @Override
        public void release() {
            references--;
        }
    }

    @Test
    void privateMappingReadsTheFileAtItsOffset() {
        MemFile f = new MemFile(3 * PAGE_SIZE, true);
        AddressSpace space = new AddressSpace();
        long a = space.map(0, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", PAGE_SIZE, f);
        Mmu mmu = new Mmu(space);
        assertThat((byte) mmu.read8(a)).isEqualTo(f.data[PAGE_SIZE]);
        assertThat((byte) mmu.read8(a + PAGE_SIZE + 5)).isEqualTo(f.data[2 * PAGE_SIZE + 5]);
        assertThat(space.vmas()).anySatisfy(v -> assertThat(v.name()).isEqualTo("/f"));
    }

    @Test
    void privateWritesAreCopyOnWriteAndNeverReachTheFile() {
        MemFile f = new MemFile(PAGE_SIZE, true);
        byte before = f.data[10];
        AddressSpace space = new AddressSpace();
        long a = space.map(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, "/f", 0, f);
        Mmu mmu = new Mmu(space);
        mmu.write8(a + 10, 0x55);
        assertThat(mmu.read8(a + 10)).isEqualTo(0x55);
        assertThat((byte) mmu.read8(a + 11)).isEqualTo(f.data[11]);
        space.sync(a, PAGE_SIZE);
        space.unmap(a, PAGE_SIZE);
        assertThat(f.data[10]).isEqualTo(before);
        assertThat(f.references).isEqualTo(0);
    }

    @Test
    void theLastPartialPageIsZeroFilledAndWholePagesBeyondEofAreSigbus() {
        MemFile f = new MemFile(PAGE_SIZE + 100, false);
        AddressSpace space = new AddressSpace();
        long a = space.map(0, 3 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", 0, f);
        Mmu mmu = new Mmu(space);
        assertThat((byte) mmu.read8(a + PAGE_SIZE + 99)).isEqualTo(f.data[PAGE_SIZE + 99]);
        for (int k = 100; k < PAGE_SIZE; k++) {
            assertThat(mmu.read8(a + PAGE_SIZE + k)).isZero();
        }
        assertThatThrownBy(() -> mmu.read8(a + 2 * PAGE_SIZE))
                .isInstanceOfSatisfying(GuestFault.class, g -> {
                    assertThat(g.kind()).isEqualTo(GuestFault.Kind.BEYOND_EOF);
                    assertThat(g.address()).isEqualTo(a + 2 * PAGE_SIZE);
                });
    }

    @Test
    void sharedStoresAreSeenByAnotherMappingAndWrittenBackByMsync() {
        MemFile f = new MemFile(2 * PAGE_SIZE, true);
        AddressSpace one = new AddressSpace();
        AddressSpace two = new AddressSpace();
        long a = one.map(0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, "/f", 0, f);
        f.retain();
        long b = two.map(0, PAGE_SIZE, PROT_READ, MAP_SHARED, "/f", PAGE_SIZE, f);
        Mmu m1 = new Mmu(one);
        Mmu m2 = new Mmu(two);
        assertThat((byte) m2.read8(b + 1)).isEqualTo(f.data[PAGE_SIZE + 1]);
        m1.write32(a + PAGE_SIZE, 0x11223344);
        assertThat(m2.read32(b)).isEqualTo(0x11223344);
        assertThat(f.data[PAGE_SIZE]).isNotEqualTo((byte) 0x44);
        one.sync(a, 2 * PAGE_SIZE);
        assertThat(f.data[PAGE_SIZE]).isEqualTo((byte) 0x44);
        assertThat(f.data[PAGE_SIZE + 3]).isEqualTo((byte) 0x11);
        m1.write8(a + 7, 0x99);
        one.unmap(a, 2 * PAGE_SIZE); // munmap writes back too
        assertThat(f.data[7]).isEqualTo((byte) 0x99);
        two.destroy();
        assertThat(SharedFilePages.isCached(f.id, 1)).isFalse();
        assertThat(f.references).isZero();
    }

    @Test
    void sharedWriteBackNeverExtendsTheFile() {
        MemFile f = new MemFile(100, true);
        AddressSpace space = new AddressSpace();
        long a = space.map(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, "/f", 0, f);
        Mmu mmu = new Mmu(space);
        mmu.write8(a + 200, 1);
        space.sync(a, PAGE_SIZE);
        assertThat(f.data).hasSize(100);
        space.destroy();
    }

    @Test
    void aPrivateMappingSeesStoresOfASharedOne() {
        MemFile f = new MemFile(PAGE_SIZE, true);
        AddressSpace space = new AddressSpace();
        long a = space.map(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, "/f", 0, f);
        f.retain();
        long b = space.map(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", 0, f);
        Mmu mmu = new Mmu(space);
        mmu.write8(a, 0x42);
        assertThat(mmu.read8(b)).isEqualTo(0x42);
        space.destroy();
    }

    @Test
    void mprotectToWriteASharedMappingOfAReadOnlyFileIsEacces() {
        MemFile f = new MemFile(PAGE_SIZE, false);
        AddressSpace space = new AddressSpace();
        long a = space.map(0, PAGE_SIZE, PROT_READ, MAP_SHARED, "/f", 0, f);
        assertThatThrownBy(() -> space.protect(a, PAGE_SIZE, PROT_READ | PROT_WRITE))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EACCES));
        space.protect(a, PAGE_SIZE, PROT_NONE);
        space.destroy();
    }

    @Test
    void splittingAndUnmappingKeepTheFileReferenceCount() {
        MemFile f = new MemFile(4 * PAGE_SIZE, false);
        AddressSpace space = new AddressSpace();
        long a = space.map(0, 4 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, "/f", 0, f);
        space.protect(a + PAGE_SIZE, PAGE_SIZE, PROT_NONE); // three VMAs
        assertThat(f.references).isEqualTo(3);
        assertThat(space.vmas()).extracting(Vma::offset).containsExactly(0L, (long) PAGE_SIZE, 2L * PAGE_SIZE);
        space.unmap(a, 2 * PAGE_SIZE);
        assertThat(f.references).isEqualTo(1);
        assertThat((byte) new Mmu(space).read8(a + 3 * PAGE_SIZE)).isEqualTo(f.data[3 * PAGE_SIZE]);
        space.destroy();
        assertThat(f.references).isZero();
    }

    @Test
    void madviseDontneedRereadsAPrivateFilePage() {
        MemFile f = new MemFile(PAGE_SIZE, false);
        AddressSpace space = new AddressSpace();
        long a = space.map(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, "/f", 0, f);
        Mmu mmu = new Mmu(space);
        mmu.write8(a, 0x77);
        space.discard(a, PAGE_SIZE);
        mmu.revalidate();
        assertThat((byte) mmu.read8(a)).isEqualTo(f.data[0]);
        space.destroy();
    }

    @Test
    void mincoreReportsTouchedPages() {
        AddressSpace space = new AddressSpace();
        long a = space.map(0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, "", 0);
        new Mmu(space).write8(a + PAGE_SIZE, 1);
        assertThat(space.residency(a, 2 * PAGE_SIZE)).containsExactly(0, 1);
        assertThatThrownBy(() -> space.residency(a, 3 * PAGE_SIZE)).isInstanceOf(ErrnoException.class);
        space.destroy();
    }
}
