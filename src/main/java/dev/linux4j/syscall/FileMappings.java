package dev.linux4j.syscall;

import dev.linux4j.memory.FilePageCache;
import dev.linux4j.memory.MappedFile;
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
     * Before write(2) of a regular file: {@link #beforeAccess}, and the file's stamp when the
     * clean page cache holds pages of it (else null), for {@link #afterWrite}.
     */
    static MappedFile.Stamp beforeWrite(FileDescription file) {
        beforeAccess(file);
        if (FilePageCache.isEmpty() || !FilePageCache.holds(FileMapping.keyOf(file))) {
            return null;
        }
        return FileMapping.stampOf(file);
    }

    /**
     * After write(2) of {@code n} bytes at {@code pos}: shared mappings see the new contents, and
     * so do private mappings that only read the pages written (the clean page cache is updated
     * in place; {@code before} is what {@link #beforeWrite} returned).
     */
    static void afterWrite(FileDescription file, long pos, long n, MappedFile.Stamp before) {
        if (n > 0) {
            if (!SharedFilePages.isEmpty()) {
                SharedFilePages.refresh(FileMapping.keyOf(file), pos, n);
            }
            if (before != null) {
                FilePageCache.written(FileMapping.of(file), before, pos, n);
            } else if (!FilePageCache.isEmpty()) {
                FilePageCache.forget(FileMapping.keyOf(file)); // cached since beforeWrite looked
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
