package dev.linux4j.memory;

import static dev.linux4j.abi.Mman.PAGE_SHIFT;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The clean pages of files mapped MAP_PRIVATE: Linux maps a private mapping's page-cache page
 * read-only until the first write copies it (do_read_fault, then do_wp_page). Here the first
 * read or execute fault of a file page, in any address space, reads it from the file into a frame
 * this cache keeps; every later read fault of that page maps the same frame copy-on-write, and
 * with it the pages of its 64 KiB window this cache holds ({@link #cached}: Linux's fault-around).
 * So the hundredth {@code busybox true} finds busybox's text already in memory, as it would on Linux.
 *
 * <p>Coherence: an entry holds the pages of one file as of one {@link MappedFile.Stamp} (size,
 * modification and change times, from the stat the fault makes anyway). A write to the file, by a
 * guest or by a host process, changes its change time (Linux's multigrain timestamps make every
 * change after a stat visible in the next one), so the next fault finds a new stamp and starts a
 * new entry. write(2) through linux4j updates the cached pages it wrote in place
 * ({@link #written}), so private mappings that only read them see the new bytes, as on Linux
 * (where they map the page-cache page itself until they write); a file some executable mapping
 * took pages from is dropped instead (its pages may be decoded code, which in-place bytes would
 * not reach). Truncation through linux4j drops the file's entry ({@link #forget}); a change by
 * a host process reaches the next fault only, a page already mapped keeping the contents it
 * had. Files that some MAP_SHARED mapping holds are not cached: their pages may hold stores the
 * file does not have yet.
 *
 * <p>The cache owns one reference to each frame it holds ({@link PagePool#share}); at most
 * {@link #MAX_PAGES} pages are kept, the least recently faulted file's entry going first.
 *
 * <p>Locking: an {@link AddressSpace} lock may be held when this cache's lock is taken, never the
 * other way round.
 */
public final class FilePageCache {
    /** 64 MiB of file pages. */
    static final int MAX_PAGES = 16384;

    /**
     * One file's pages as of one stamp; {@code executable} once an executable mapping took one.
     * (A record's accessors only: its equals and hashCode are never used.)
     */
    private record Entry(MappedFile.Stamp stamp, Map<Long, Long> frames, boolean executable) {}

    // Guarded by the class lock; in access order, the least recently used first.
    private static final LinkedHashMap<Object, Entry> FILES = new LinkedHashMap<>(64, 0.75f, true);
    private static volatile int pages;

    private FilePageCache() {}

    /**
     * The frame of page {@code pageIndex} of {@code file} as {@code stamp} describes the file,
     * with one more owner (the caller's page-table entry, which must map it copy-on-write).
     */
    static long acquire(MappedFile file, MappedFile.Stamp stamp, long pageIndex, boolean executable, PagePool pool) {
        Object identity = file.identity();
        synchronized (FilePageCache.class) {
            Entry e = FILES.get(identity);
            if (e == null || !e.stamp().equals(stamp)) {
                if (e != null) {
                    drop(identity, pool);
                }
                e = new Entry(stamp, new HashMap<>(), executable);
                FILES.put(identity, e);
            } else if (executable && !e.executable()) {
                e = new Entry(stamp, e.frames(), true);
                FILES.put(identity, e);
            }
            Long cached = e.frames().get(pageIndex);
            long frame;
            if (cached != null) {
                frame = cached;
            } else {
                frame = pool.allocate();
                SharedFilePages.fill(file, frame, pageIndex << PAGE_SHIFT, stamp.size());
                e.frames().put(pageIndex, frame);
                pages++;
                evict(identity, pool);
            }
            pool.share(frame);
            return frame;
        }
    }

    /**
     * The frame of page {@code pageIndex} of {@code file} with one more owner, as {@link #acquire}
     * gives it, when this cache already holds that page as of {@code stamp}; else 0, reading
     * nothing (fault-around maps only pages the page cache has: filemap_map_pages).
     */
    static long cached(MappedFile file, MappedFile.Stamp stamp, long pageIndex, boolean executable, PagePool pool) {
        Object identity = file.identity();
        synchronized (FilePageCache.class) {
            Entry e = FILES.get(identity);
            if (e == null || !e.stamp().equals(stamp)) {
                return 0;
            }
            Long cached = e.frames().get(pageIndex);
            if (cached == null) {
                return 0;
            }
            if (executable && !e.executable()) {
                FILES.put(identity, new Entry(stamp, e.frames(), true));
            }
            pool.share(cached);
            return cached;
        }
    }

    /** Drops the pages of the file {@code identity} names (it was truncated, or changed otherwise). */
    public static void forget(Object identity) {
        synchronized (FilePageCache.class) {
            if (!FILES.isEmpty()) {
                drop(identity, PagePool.shared());
            }
        }
    }

    /** Whether pages of the file {@code identity} names are cached. */
    public static boolean holds(Object identity) {
        synchronized (FilePageCache.class) {
            return FILES.containsKey(identity);
        }
    }

    /**
     * After write(2) of {@code n} bytes at {@code pos} through linux4j, to a file whose stamp was
     * {@code before} just before the write: the cached pages the write touched are read again
     * from the file, in place, and the entry takes the file's stamp now. The entry is dropped
     * instead when it was not as of {@code before} (the file changed otherwise too) or when an
     * executable mapping took pages from it.
     */
    public static void written(MappedFile file, MappedFile.Stamp before, long pos, long n) {
        Object identity = file.identity();
        synchronized (FilePageCache.class) {
            Entry e = FILES.get(identity);
            if (e == null) {
                return;
            }
            MappedFile.Stamp after = file.stamp();
            if (e.executable() || !e.stamp().equals(before) || !after.known()) {
                drop(identity, PagePool.shared());
                return;
            }
            for (long p = pos >>> PAGE_SHIFT; p <= (pos + n - 1) >>> PAGE_SHIFT; p++) {
                Long frame = e.frames().get(p);
                if (frame != null) {
                    SharedFilePages.fill(file, frame, p << PAGE_SHIFT, after.size());
                }
            }
            FILES.put(identity, new Entry(after, e.frames(), false));
        }
    }

    /** Drops every file's pages (for tests: nothing of other files is evicted meanwhile). */
    static void clear() {
        synchronized (FilePageCache.class) {
            while (!FILES.isEmpty()) {
                drop(FILES.keySet().iterator().next(), PagePool.shared());
            }
        }
    }

    /** Whether no page is cached: write(2) has nothing to drop. */
    public static boolean isEmpty() {
        return pages == 0; // racy read: a write racing the first fault of its file may go either way
    }

    /** Pages held now. */
    static synchronized int pages() {
        return pages;
    }

    private static void drop(Object identity, PagePool pool) {
        Entry e = FILES.remove(identity);
        if (e != null) {
            release(e, pool);
        }
    }

    /** Gives up the cache's share of an entry's frames (the entry is out of the map). */
    private static void release(Entry e, PagePool pool) {
        for (long frame : e.frames().values()) {
            pool.release(frame);
        }
        pages -= e.frames().size();
    }

    /** Drops the least recently used files' pages while over the bound, never {@code keep}'s. */
    private static void evict(Object keep, PagePool pool) {
        Iterator<Map.Entry<Object, Entry>> it = FILES.entrySet().iterator();
        while (pages > MAX_PAGES && it.hasNext()) {
            Map.Entry<Object, Entry> old = it.next();
            if (old.getKey().equals(keep)) {
                continue;
            }
            it.remove();
            release(old.getValue(), pool);
        }
    }
}
