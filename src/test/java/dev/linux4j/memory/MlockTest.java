package dev.linux4j.memory;

import static dev.linux4j.abi.Mman.MAP_ANONYMOUS;
import static dev.linux4j.abi.Mman.MAP_FIXED;
import static dev.linux4j.abi.Mman.MAP_LOCKED;
import static dev.linux4j.abi.Mman.MAP_PRIVATE;
import static dev.linux4j.abi.Mman.MREMAP_DONTUNMAP;
import static dev.linux4j.abi.Mman.MREMAP_MAYMOVE;
import static dev.linux4j.abi.Mman.PAGE_SIZE;
import static dev.linux4j.abi.Mman.PROT_NONE;
import static dev.linux4j.abi.Mman.PROT_READ;
import static dev.linux4j.abi.Mman.PROT_WRITE;
import static dev.linux4j.abi.Resource._STK_LIM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bookkeeping of mlock(2) in an address space: locked VMAs, their pages, splits and merges, limits. */
class MlockTest {
    private static final long BASE = 0x10000000L;
    private static final int RW = PROT_READ | PROT_WRITE;
    private static final int ANON_FIXED = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;

    private final AddressSpace space = new AddressSpace();

    @AfterEach
    void tearDown() {
        AddressSpace.setCallerLimits(CallerLimits.DEFAULT);
        space.destroy();
    }

    private static long page(int n) {
        return BASE + (long) n * PAGE_SIZE;
    }

    private static Errno errnoOf(Runnable r) {
        try {
            r.run();
        } catch (ErrnoException e) {
            return e.errno();
        }
        return null;
    }

    @Test
    void lockingTheMiddleSplitsAndUnlockingMergesBack() {
        space.map(BASE, 4L * PAGE_SIZE, RW, ANON_FIXED, "", 0);
        space.lock(page(1), 2L * PAGE_SIZE, Vma.Lock.LOCKED, MemlockLimit.UNLIMITED);
        assertThat(space.vmas()).extracting(Vma::lock)
                .containsExactly(Vma.Lock.NONE, Vma.Lock.LOCKED, Vma.Lock.NONE);
        assertThat(space.lockedPages()).isEqualTo(2);
        assertThat(space.residentPages(BASE, page(4))).isEqualTo(2); // the locked pages were faulted in
        space.lock(page(1), PAGE_SIZE, Vma.Lock.NONE, MemlockLimit.UNLIMITED);
        assertThat(space.vmas()).hasSize(3);
        space.lock(BASE, 4L * PAGE_SIZE, Vma.Lock.NONE, MemlockLimit.UNLIMITED);
        assertThat(space.vmas()).singleElement().satisfies(v -> {
            assertThat(v.start()).isEqualTo(BASE);
            assertThat(v.end()).isEqualTo(page(4));
            assertThat(v.offset()).isZero();
        });
        assertThat(space.lockedPages()).isZero();
    }

    @Test
    void separateMappingsAreNotMerged() {
        space.map(BASE, PAGE_SIZE, RW, ANON_FIXED, "", 0);
        space.map(page(1), PAGE_SIZE, RW, ANON_FIXED, "", 0);
        space.lockAll(Vma.Lock.LOCKED, true, false, MemlockLimit.UNLIMITED);
        space.lockAll(Vma.Lock.NONE, true, false, MemlockLimit.UNLIMITED);
        assertThat(space.vmas()).hasSize(2);
    }

    @Test
    void onFaultLocksWithoutFaultingIn() {
        space.map(BASE, 3L * PAGE_SIZE, RW, ANON_FIXED, "", 0);
        space.lock(BASE, 3L * PAGE_SIZE, Vma.Lock.ON_FAULT, MemlockLimit.UNLIMITED);
        assertThat(space.lockedPages()).isEqualTo(3);
        assertThat(space.residentPages(BASE, page(3))).isZero();
        space.lock(BASE, 3L * PAGE_SIZE, Vma.Lock.LOCKED, MemlockLimit.UNLIMITED);
        assertThat(space.residentPages(BASE, page(3))).isEqualTo(3);
    }

    @Test
    void aGapIsEnomemAfterLockingWhatCameBefore() {
        space.map(BASE, 2L * PAGE_SIZE, RW, ANON_FIXED, "", 0);
        space.map(page(3), PAGE_SIZE, RW, ANON_FIXED, "", 0);
        assertThat(errnoOf(() -> space.lock(BASE, 4L * PAGE_SIZE, Vma.Lock.LOCKED, MemlockLimit.UNLIMITED)))
                .isEqualTo(Errno.ENOMEM);
        assertThat(space.lockedPages()).isEqualTo(2);
        assertThat(errnoOf(() -> space.lock(page(2), PAGE_SIZE, Vma.Lock.LOCKED, MemlockLimit.UNLIMITED)))
                .isEqualTo(Errno.ENOMEM);
        assertThat(errnoOf(() -> space.lock(-PAGE_SIZE, PAGE_SIZE, Vma.Lock.LOCKED, MemlockLimit.UNLIMITED)))
                .isEqualTo(Errno.EINVAL);
    }

    @Test
    void aProtNoneMappingIsLockedButCannotBeFaultedIn() {
        space.map(BASE, 2L * PAGE_SIZE, PROT_NONE, ANON_FIXED, "", 0);
        assertThat(errnoOf(() -> space.lock(BASE, 2L * PAGE_SIZE, Vma.Lock.LOCKED, MemlockLimit.UNLIMITED)))
                .isEqualTo(Errno.ENOMEM);
        assertThat(space.lockedPages()).isEqualTo(2);
        space.protect(BASE, 2L * PAGE_SIZE, RW); // a locked private mapping becoming writable is faulted in
        assertThat(space.residentPages(BASE, page(2))).isEqualTo(2);
    }

    @Test
    void theLimitCountsLockedPagesOnce() {
        MemlockLimit fourPages = MemlockLimit.of(4L * PAGE_SIZE, false);
        space.map(BASE, 8L * PAGE_SIZE, RW, ANON_FIXED, "", 0);
        space.lock(BASE, 4L * PAGE_SIZE, Vma.Lock.LOCKED, fourPages);
        space.lock(page(1), 3L * PAGE_SIZE, Vma.Lock.LOCKED, fourPages);
        assertThat(errnoOf(() -> space.lock(page(1), 4L * PAGE_SIZE, Vma.Lock.LOCKED, fourPages)))
                .isEqualTo(Errno.ENOMEM);
        assertThat(errnoOf(() -> space.lockAll(Vma.Lock.LOCKED, true, true, fourPages))).isEqualTo(Errno.ENOMEM);
        assertThat(space.lockedPages()).isEqualTo(4);
        assertThat(MemlockLimit.of(100, false).mayLock()).isTrue();
        assertThat(MemlockLimit.of(0, false).mayLock()).isFalse();
        assertThat(MemlockLimit.of(0, true).mayLock()).isTrue();
    }

    @Test
    void futureMappingsAreLockedWithinTheLimit() {
        AddressSpace.setCallerLimits(CallerLimits.of(_STK_LIM, MemlockLimit.of(4L * PAGE_SIZE, false)));
        space.initBrk(page(100));
        space.lockAll(Vma.Lock.LOCKED, false, true, MemlockLimit.of(4L * PAGE_SIZE, false));
        long a = space.map(0, 3L * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, "", 0);
        assertThat(space.lockedPages()).isEqualTo(3);
        assertThat(space.residentPages(a, a + 3L * PAGE_SIZE)).isEqualTo(3);
        assertThat(errnoOf(() -> space.map(0, 2L * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, "", 0)))
                .isEqualTo(Errno.EAGAIN);
        assertThat(space.brk(page(102))).isEqualTo(page(100)); // refused
        assertThat(space.brk(page(101))).isEqualTo(page(101));
        assertThat(space.lockedPages()).isEqualTo(4);
        assertThat(errnoOf(() -> space.remap(a, 3L * PAGE_SIZE, 4L * PAGE_SIZE, MREMAP_MAYMOVE, 0)))
                .isEqualTo(Errno.EAGAIN);

        space.lockAll(Vma.Lock.NONE, true, false, MemlockLimit.UNLIMITED);
        AddressSpace.setCallerLimits(CallerLimits.of(_STK_LIM, MemlockLimit.of(0, false)));
        assertThat(errnoOf(() -> space.map(0, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, "", 0)))
                .isEqualTo(Errno.EPERM);
        space.map(0, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, "", 0);
        assertThat(space.lockedPages()).isZero();
    }

    @Test
    void aHeapGrownWhileLockedMergesBackAfterMunlockall() {
        space.initBrk(page(100));
        space.brk(page(101));
        space.lockAll(Vma.Lock.LOCKED, false, true, MemlockLimit.UNLIMITED);
        space.brk(page(103));
        assertThat(space.vmas()).extracting(Vma::lock).containsExactly(Vma.Lock.NONE, Vma.Lock.LOCKED);
        assertThat(space.lockedPages()).isEqualTo(2);
        space.lockAll(Vma.Lock.NONE, true, false, MemlockLimit.UNLIMITED);
        assertThat(space.vmas()).singleElement().satisfies(v -> {
            assertThat(v.start()).isEqualTo(page(100));
            assertThat(v.end()).isEqualTo(page(103));
        });
        space.brk(page(104));
        assertThat(space.vmas()).hasSize(1);
    }

    @Test
    void aForkChildHasNoLocks() {
        space.map(BASE, 2L * PAGE_SIZE, RW, ANON_FIXED, "", 0);
        space.lockAll(Vma.Lock.LOCKED, true, true, MemlockLimit.UNLIMITED);
        AddressSpace child = space.fork(false);
        try {
            assertThat(child.lockedPages()).isZero();
            child.map(0, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, "", 0);
            assertThat(child.lockedPages()).isZero();
            assertThat(space.lockedPages()).isEqualTo(2);
        } finally {
            child.destroy();
        }
    }

    @Test
    void remapKeepsTheLockAndDontUnmapLeavesTheOldRangeUnlocked() {
        space.map(BASE, 2L * PAGE_SIZE, RW, ANON_FIXED, "", 0);
        space.lock(BASE, 2L * PAGE_SIZE, Vma.Lock.LOCKED, MemlockLimit.UNLIMITED);
        long moved = space.remap(BASE, 2L * PAGE_SIZE, 2L * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
        assertThat(space.lockedPages()).isEqualTo(2);
        assertThat(space.vmas()).filteredOn(v -> v.lock().locked()).singleElement()
                .extracting(Vma::start).isEqualTo(moved);
        long grown = space.remap(moved, 2L * PAGE_SIZE, 5L * PAGE_SIZE, MREMAP_MAYMOVE, 0);
        assertThat(space.lockedPages()).isEqualTo(5);
        assertThat(space.residentPages(grown, grown + 5L * PAGE_SIZE)).isEqualTo(5);
        space.unmap(grown + PAGE_SIZE, 2L * PAGE_SIZE);
        assertThat(space.lockedPages()).isEqualTo(3);
        assertThatThrownBy(() -> space.lock(0, PAGE_SIZE, Vma.Lock.LOCKED, MemlockLimit.UNLIMITED))
                .isInstanceOf(ErrnoException.class);
    }
}
