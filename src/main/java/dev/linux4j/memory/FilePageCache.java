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
 * this cache keeps; every later read fault of that page maps the same frame copy-on-write. So the
 * hundredth {@code busybox true} finds busybox's text already in memory, as it would on Linux.
 *
 * <p>Coherence: an entry holds the pages of one file as of one {@link MappedFile.Stamp} (size,
 * modification and change times, from the stat the fault makes anyway). A write to the file, by a
 * guest or by a host process, changes its change time (Linux's multigrain timestamps make every
 * change after a stat visible in the next one), so the next fault finds a new stamp and starts a
 * new entry; write(2) and truncate through linux4j also drop the file's entry at once
 * ({@link #forget}). A page already mapped keeps the contents it had, as a private page that was
 * read before the change keeps them here without the cache. Files that some MAP_SHARED mapping
 * holds are not cached: their pages may hold stores the file does not have yet.
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

    /** One file's pages as of one stamp. */
    private record Entry(MappedFile.Stamp stamp, Map<Long, Long> frames) {}

    // Guarded by the class lock; in access order, the least recently used first.
    private static final LinkedHashMap<Object, Entry> FILES = new LinkedHashMap<>(64, 0.75f, true);
    private static volatile int pages;

    private FilePageCache() {}

    /**
     * The frame of page {@code pageIndex} of {@code file} as {@code stamp} describes the file,
     * with one more owner (the caller's page-table entry, which must map it copy-on-write).
     */
    static long acquire(MappedFile file, MappedFile.Stamp stamp, long pageIndex, PagePool pool) {
        Object identity = file.identity();
        synchronized (FilePageCache.class) {
            Entry e = FILES.get(identity);
            if (e == null || !e.stamp().equals(stamp)) {
                if (e != null) {
                    drop(identity, pool);
                }
                e = new Entry(stamp, new HashMap<>());
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

    /** Drops the pages of the file {@code identity} names (it was written or truncated). */
    public static void forget(Object identity) {
        synchronized (FilePageCache.class) {
            if (!FILES.isEmpty()) {
                drop(identity, PagePool.shared());
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
