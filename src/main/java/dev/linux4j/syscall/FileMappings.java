package dev.linux4j.syscall;

import dev.linux4j.memory.FilePageCache;
import dev.linux4j.memory.SharedFilePages;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileMapping;

/**
 * The coherence between MAP_SHARED mappings and read(2)/write(2) of the same file (Linux gets
 * it from one page cache; here the mapped pages are written back before a read and refreshed
 * after a write). The mappings themselves come from {@link FileMapping}.
 */
final class FileMappings {
    private FileMappings() {}

    /** Before read(2) or write(2) of a regular file: stores through shared mappings become file contents. */
    static void beforeAccess(FileDescription file) {
        if (SharedFilePages.anyWritable() && file.ops().seekable()) {
            SharedFilePages.writeBack(FileMapping.keyOf(file));
        }
    }

    /**
     * After write(2) of {@code n} bytes at {@code pos}: shared mappings see the new contents, and
     * later private mappings do not get the old clean pages.
     */
    static void afterWrite(FileDescription file, long pos, long n) {
        if (n > 0) {
            if (!SharedFilePages.isEmpty()) {
                SharedFilePages.refresh(FileMapping.keyOf(file), pos, n);
            }
            if (!FilePageCache.isEmpty()) {
                FilePageCache.forget(FileMapping.keyOf(file));
            }
        }
    }

    /** After truncate/ftruncate: cached pages past the new end read as zeros, as the file does. */
    static void afterTruncate(FileDescription file) {
        if (!SharedFilePages.isEmpty()) {
            SharedFilePages.refresh(FileMapping.keyOf(file), 0, Long.MAX_VALUE);
        }
        if (!FilePageCache.isEmpty()) {
            FilePageCache.forget(FileMapping.keyOf(file));
        }
    }
}
