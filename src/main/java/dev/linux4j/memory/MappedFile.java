package dev.linux4j.memory;

/**
 * The file behind a file mapping, as the memory layer sees it: Linux's {@code vma->vm_file}
 * reduced to what page faults and write-back need. The syscall layer adapts an open file to it.
 *
 * <p>References: a mapping holds one reference per VMA that names it ({@link #retain()} when a
 * VMA is split, {@link #release()} when one goes away), as Linux's {@code get_file()} and
 * {@code fput()} on {@code vm_file}; the file stays open while any mapping of it remains.
 */
public interface MappedFile {
    /** The file size now (i_size): pages wholly beyond it fault with SIGBUS. */
    long size();

    /**
     * The file's size and change times now, from one stat: what a page fault checks the file
     * against ({@link FilePageCache}). By default the times are unknown, and its pages never cached.
     */
    default Stamp stamp() {
        return new Stamp(size(), -1, -1);
    }

    /**
     * A file's state as a page fault sees it: the size, and st_mtime and st_ctime in nanoseconds
     * (-1 when unknown). Two equal stamps with known times name the same contents.
     */
    record Stamp(long size, long mtimeNanos, long ctimeNanos) {
        /** Whether the times are known, so that a change to the file changes the stamp. */
        public boolean known() {
            return ctimeNanos >= 0;
        }

        // Written out: a record's generated equals and hashCode bootstrap method handles at
        // first use, which cost a run of busybox true 8 ms of start-up.
        @Override
        public boolean equals(Object o) {
            return o instanceof Stamp s && s.size == size && s.mtimeNanos == mtimeNanos && s.ctimeNanos == ctimeNanos;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(size * 31 + mtimeNanos) * 31 + Long.hashCode(ctimeNanos);
        }
    }

    /**
     * Reads up to {@code len} bytes at {@code offset}.
     *
     * @return the bytes read; fewer only at end of file
     */
    int read(long offset, byte[] dst, int off, int len);

    /** Writes {@code len} bytes at {@code offset} (write-back of a MAP_SHARED page). */
    void write(long offset, byte[] src, int off, int len);

    /** Whether the file was opened for writing (VM_MAYWRITE for a MAP_SHARED mapping). */
    boolean writable();

    /**
     * What makes two opens of the same file the same file (the inode): MAP_SHARED mappings with
     * equal identities share their pages. Must implement equals and hashCode.
     */
    Object identity();

    /** Takes one more reference (a VMA was split in two). */
    default void retain() {}

    /** Drops one reference (a VMA naming the file was unmapped). */
    default void release() {}

    /**
     * The shared page cache ({@link SharedFilePages}) starts holding the file while it caches
     * pages of it. A reference like {@link #retain()} by default; a file that counts its
     * mappings (a System V shared memory segment's shm_nattch) tells the two apart.
     */
    default void pin() {
        retain();
    }

    /** The shared page cache lets go of the file ({@link #pin()}). */
    default void unpin() {
        release();
    }
}
