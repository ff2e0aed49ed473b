package dev.linux4j.syscall;

import dev.linux4j.memory.MappedFile;
import dev.linux4j.memory.SharedFilePages;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileMapping;

/**
 * Open files as the memory layer's {@link MappedFile}s, and the coherence between MAP_SHARED
 * mappings and read(2)/write(2) of the same file (Linux gets it from one page cache; here the
 * mapped pages are written back before a read and refreshed after a write).
 */
final class FileMappings {
    private FileMappings() {}

    static FileMapping.Key keyOf(FileDescription file) {
        return FileMapping.keyOf(file);
    }

    /** A mapping's view of an open file; each VMA naming it holds one reference to the file description. */
    static MappedFile of(FileDescription file) {
        return FileMapping.of(file);
    }

    /** Before read(2) or write(2) of a regular file: stores through shared mappings become file contents. */
    static void beforeAccess(FileDescription file) {
        if (SharedFilePages.anyWritable() && file.ops().seekable()) {
            SharedFilePages.writeBack(keyOf(file));
        }
    }

    /** After write(2) of {@code n} bytes at {@code pos}: shared mappings see the new contents. */
    static void afterWrite(FileDescription file, long pos, long n) {
        if (!SharedFilePages.isEmpty() && n > 0) {
            SharedFilePages.refresh(keyOf(file), pos, n);
        }
    }

    /** After truncate/ftruncate: cached pages past the new end read as zeros, as the file does. */
    static void afterTruncate(FileDescription file) {
        if (!SharedFilePages.isEmpty()) {
            SharedFilePages.refresh(keyOf(file), 0, Long.MAX_VALUE);
        }
    }
}
