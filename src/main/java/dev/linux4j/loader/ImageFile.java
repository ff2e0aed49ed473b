package dev.linux4j.loader;

import dev.linux4j.memory.MappedFile;

/**
 * The executable or interpreter being loaded, read by offset: what the kernel's
 * {@code kernel_read(bprm->file, ...)} reads from.
 */
public interface ImageFile {
    /** The path the file was opened by; names its mappings in /proc/self/maps. */
    String path();

    /** The file size in bytes. */
    long size();

    /**
     * Reads up to {@code len} bytes at {@code offset} into {@code dst[off..]}.
     *
     * @return the bytes read, fewer than {@code len} only at end of file
     * @throws dev.linux4j.abi.ErrnoException on an I/O error
     */
    int read(long offset, byte[] dst, int off, int len);

    /**
     * The file as a source of private file mappings (each call one new reference, handed to the
     * mapping), or null when it can only be read: its segments are then copied in.
     */
    default MappedFile mappedFile() {
        return null;
    }

    /** Lets go of the file once loading is over (the mappings keep their own references). */
    default void close() {}
}
