package dev.linux4j.fs.proc;

import dev.linux4j.vfs.MagicLink;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One entry of the /proc tree, made on lookup (Linux's proc inodes are likewise instantiated
 * per lookup from tables such as {@code tgid_base_stuff}). Content and link targets are
 * computed when read, from the kernel's state at that moment.
 */
sealed interface ProcNode {
    Attr attr();

    /**
     * Inode attributes.
     *
     * @param perm permission bits
     * @param uid owner
     * @param gid group
     * @param timeSec atime, mtime and ctime
     * @param size st_size (0 for nearly everything in /proc)
     */
    record Attr(int perm, int uid, int gid, long timeSec, long size) {
        Attr withSize(long newSize) {
            return new Attr(perm, uid, gid, timeSec, newSize);
        }

        Attr withPerm(int newPerm) {
            return new Attr(newPerm, uid, gid, timeSec, size);
        }
    }

    /** A file whose bytes are generated at read time (a seq_file). */
    record File(Attr attr, Supplier<byte[]> content) implements ProcNode {}

    /**
     * A symlink; a null target reads as ENOENT (the process or descriptor went away). A magic
     * link (cwd, root, exe, fd/N) also says where following it jumps; {@code jump} is null for
     * an ordinary symlink such as "self".
     */
    record Link(Attr attr, Supplier<String> target, Supplier<MagicLink> jump) implements ProcNode {
        Link(Attr attr, Supplier<String> target) {
            this(attr, target, null);
        }
    }

    /**
     * A directory: its child names in readdir order, and lookup by name (null: no such entry).
     * {@code subdirs} counts its subdirectories for st_nlink without making every child (path
     * lookup stats each directory it passes); null means count them by lookup.
     */
    record Dir(Attr attr, Supplier<List<String>> names, Function<String, ProcNode> child, LongSupplier subdirs)
            implements ProcNode {
        Dir(Attr attr, Supplier<List<String>> names, Function<String, ProcNode> child) {
            this(attr, names, child, null);
        }
    }
}
