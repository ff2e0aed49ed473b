package dev.linux4j.vfs;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;

/**
 * One file's extended attributes as its file system stores them (Linux's xattr handlers,
 * {@code struct xattr_handler}). Names arrive whole ("user.comment"); the VFS has checked the
 * namespace rules and the permission already (fs/xattr.c {@code xattr_permission}).
 */
public interface Xattrs {
    /** XATTR_CREATE: fail with EEXIST if the attribute exists. */
    int XATTR_CREATE = 1;
    /** XATTR_REPLACE: fail with ENODATA if it does not. */
    int XATTR_REPLACE = 2;

    /** The value; ENODATA when the file has no such attribute. */
    byte[] get(String name);

    /** Creates or replaces the value, as {@code flags} (XATTR_CREATE, XATTR_REPLACE) allow. */
    void set(String name, byte[] value, int flags);

    /** The names, each followed by a NUL (listxattr's format). */
    byte[] list();

    /** Removes the attribute; ENODATA when there is none. */
    void remove(String name);

    /** A file system without xattr handlers: EOPNOTSUPP, and nothing to list (no IOP_XATTR). */
    Xattrs NONE = new Xattrs() {
        @Override
        public byte[] get(String name) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }

        @Override
        public void set(String name, byte[] value, int flags) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }

        @Override
        public byte[] list() {
            return new byte[0];
        }

        @Override
        public void remove(String name) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
    };
}
