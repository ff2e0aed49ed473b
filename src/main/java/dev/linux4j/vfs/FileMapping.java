package dev.linux4j.vfs;

import dev.linux4j.abi.StatBuf;
import dev.linux4j.memory.MappedFile;

/**
 * An open file as the memory layer's {@link MappedFile}: what mmap(2) of a regular file and
 * execve(2)'s mapping of an ELF image hand to the address space ({@code vma->vm_file}).
 */
public final class FileMapping {
    private FileMapping() {}

    /** A file's identity: the inode, as (st_dev, st_ino). */
    public record Key(long dev, long ino) {
        // Written out, as MappedFile.Stamp's are: every page fault of a file mapping looks one up.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.dev == dev && k.ino == ino;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(dev * 31 + ino);
        }
    }

    /** The file's size and change times now, from one stat (see {@link MappedFile#stamp()}). */
    public static MappedFile.Stamp stampOf(FileDescription file) {
        StatBuf st = file.ops().stat(file);
        return new MappedFile.Stamp(st.size(), st.mtimeSec() * 1_000_000_000L + st.mtimeNsec(),
                st.ctimeSec() * 1_000_000_000L + st.ctimeNsec());
    }

    public static Key keyOf(FileDescription file) {
        Key key = file.key();
        if (key == null) {
            StatBuf st = file.ops().stat(file);
            key = new Key(st.dev(), st.ino());
            file.setKey(key);
        }
        return key;
    }

    /**
     * A mapping's view of {@code file}. It takes over one reference to the description, and each
     * VMA naming it later holds one ({@link MappedFile#retain()}, {@link MappedFile#release()}).
     * A view that only reads for a while (write(2) updating cached pages) takes none and never
     * calls {@code release}.
     */
    public static MappedFile of(FileDescription file) {
        Key key = keyOf(file);
        return new MappedFile() {
            @Override
            public long size() {
                return file.ops().size(file);
            }

            @Override
            public Stamp stamp() {
                return stampOf(file);
            }

            @Override
            public int read(long offset, byte[] dst, int off, int len) {
                return file.ops().read(file, dst, off, len, offset);
            }

            @Override
            public void write(long offset, byte[] src, int off, int len) {
                FileOps ops = file.ops();
                int done = 0;
                while (done < len) {
                    int n = ops.writeBack(file, src, off + done, len - done, offset + done);
                    if (n <= 0) {
                        break;
                    }
                    done += n;
                }
            }

            @Override
            public boolean writable() {
                return file.writable();
            }

            @Override
            public Object identity() {
                return key;
            }

            @Override
            public void retain() {
                file.retain();
            }

            @Override
            public void release() {
                file.release();
            }
        };
    }
}
