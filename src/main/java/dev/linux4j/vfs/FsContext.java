package dev.linux4j.vfs;

/**
 * A process's file-system context: Linux's {@code struct fs_struct} (include/linux/fs_struct.h)
 * — its root directory (chroot(2)), working directory and umask. fork(2) gives the child a copy;
 * clone(2) with CLONE_FS shares one object, so chdir, chroot and umask in either process are seen
 * by both. Both directories are absolute guest paths (inside the guest root given by --root).
 *
 * <p>Locking: {@code this} guards every field.
 */
public final class FsContext {
    private String root;
    private String cwd;
    private int umask;

    public FsContext(String root, String cwd, int umask) {
        this.root = root;
        this.cwd = cwd;
        this.umask = umask & 0777;
    }

    /** copy_fs_struct: what fork(2) without CLONE_FS gives the child. */
    public synchronized FsContext copy() {
        return new FsContext(root, cwd, umask);
    }

    /** The root directory (fs->root) as a guest path; "/" unless the process called chroot(2). */
    public synchronized String root() {
        return root;
    }

    /** set_fs_root: chroot(2). The working directory stays where it is, as on Linux. */
    public synchronized void setRoot(String root) {
        this.root = root;
    }

    /** The working directory (fs->pwd) as a guest path. */
    public synchronized String cwd() {
        return cwd;
    }

    /** set_fs_pwd: chdir(2), fchdir(2). */
    public synchronized void setCwd(String cwd) {
        this.cwd = cwd;
    }

    public synchronized int umask() {
        return umask;
    }

    /** umask(2): sets the mask, returns the old one. */
    public synchronized int setUmask(int mask) {
        int old = umask;
        umask = mask & 0777;
        return old;
    }
}
