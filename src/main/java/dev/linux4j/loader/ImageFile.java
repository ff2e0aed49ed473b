package dev.linux4j.loader;

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
}
