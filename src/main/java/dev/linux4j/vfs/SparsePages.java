package dev.linux4j.vfs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The pages of a file that lives in memory only (mm/shmem.c's page cache): 4 KiB pages made at
 * their first write, holes reading as zeros. memfd files and System V shared memory segments
 * keep their contents here.
 *
 * <p>Not thread-safe: the owner locks around every call.
 */
public final class SparsePages {
    public static final int PAGE = 4096;

    private final Map<Long, byte[]> pages = new HashMap<>();

    /** Copies {@code len} bytes at {@code position} into {@code dst}, zeros where no page is. */
    public void read(long position, byte[] dst, int off, int len) {
        for (int done = 0; done < len;) {
            long pos = position + done;
            int inPage = (int) (pos % PAGE);
            int chunk = Math.min(len - done, PAGE - inPage);
            byte[] page = pages.get(pos / PAGE);
            if (page == null) {
                Arrays.fill(dst, off + done, off + done + chunk, (byte) 0);
            } else {
                System.arraycopy(page, inPage, dst, off + done, chunk);
            }
            done += chunk;
        }
    }

    /** Stores {@code len} bytes of {@code src} at {@code position}, making the pages they need. */
    public void write(long position, byte[] src, int off, int len) {
        for (int done = 0; done < len;) {
            long pos = position + done;
            int inPage = (int) (pos % PAGE);
            int chunk = Math.min(len - done, PAGE - inPage);
            byte[] page = pages.computeIfAbsent(pos / PAGE, i -> new byte[PAGE]);
            System.arraycopy(src, off + done, page, inPage, chunk);
            done += chunk;
        }
    }

    /** Zeroes [from, to): whole pages go, partial ones are cleared. */
    public void discard(long from, long to) {
        if (to <= from) {
            return;
        }
        pages.entrySet().removeIf(e -> {
            long start = e.getKey() * PAGE;
            long end = start + PAGE;
            if (end <= from || start >= to) {
                return false;
            }
            if (start >= from && end <= to) {
                return true;
            }
            int a = (int) (Math.max(from, start) - start);
            int b = (int) (Math.min(to, end) - start);
            Arrays.fill(e.getValue(), a, b, (byte) 0);
            return false;
        });
    }

    /** The pages that hold data (st_blocks, shm_rss). */
    public int count() {
        return pages.size();
    }

    public void clear() {
        pages.clear();
    }
}
