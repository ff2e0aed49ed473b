package dev.linux4j.fs.proc;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.MagicLink;
import dev.linux4j.vfs.ProcessView;
import dev.linux4j.vfs.Vfs;

/**
 * The magic links of /proc/PID: fd/N, cwd, root and exe (fs/proc/base.c and fd.c). readlink
 * shows d_path's text — from the reader's root, with " (deleted)" for an unlinked file, or the
 * d_dname of a file without a path ("pipe:[INODE]"); following jumps to the object itself.
 */
final class FdLinks {
    private FdLinks() {}

    /** proc_fd_link's text for readlink. */
    static String text(ProcFileSystem fs, ProcessView.OpenFile f) {
        FileDescription d = f.description();
        if (d == null) {
            return f.path();
        }
        String dname = d.ops().dname(d);
        if (dname != null) {
            return dname;
        }
        Location loc = Vfs.whereNow(d);
        if (loc == null) {
            return f.path();
        }
        String shown = Vfs.pathFrom(fs.readerRoot(), loc.guestPath(), false);
        return unlinked(d, loc) ? shown + " (deleted)" : shown;
    }

    /**
     * Where following fd/N leads: the file's path while the path still names it, else the open
     * file itself (a pipe, stdio from the host, an unlinked or O_TMPFILE file).
     */
    static MagicLink jump(ProcessView.OpenFile f) {
        FileDescription d = f.description();
        if (d == null) {
            return f.location() == null ? null : new MagicLink.ToPath(f.location().guestPath());
        }
        Location loc = Vfs.whereNow(d);
        if (loc == null || d.ops().dname(d) != null || unlinked(d, loc)) {
            return new MagicLink.ToFile(d);
        }
        return new MagicLink.ToPath(loc.guestPath());
    }

    /**
     * d_unlinked: the open file no longer has its name — it was unlinked (st_nlink 0), or the
     * path it was opened by now names another file and its file system cannot say where it
     * went.
     */
    static boolean unlinked(FileDescription d, Location loc) {
        StatBuf open;
        try {
            open = d.ops().stat(d);
        } catch (ErrnoException e) {
            return e.errno() == Errno.ENOENT;
        }
        if (open.nlink() == 0) {
            return true;
        }
        StatBuf named = lstat(loc);
        return named == null || named.ino() != open.ino() || named.dev() != open.dev();
    }

    /** A directory path's text as d_path shows it, " (deleted)" once it is gone. */
    static String directory(ProcFileSystem fs, String guestPath) {
        String shown = Vfs.pathFrom(fs.readerRoot(), guestPath, false);
        return lstat(fs.vfs().locate(guestPath)) == null ? shown + " (deleted)" : shown;
    }

    private static StatBuf lstat(Location loc) {
        try {
            return loc.fs().stat(loc.fsPath());
        } catch (ErrnoException e) {
            return null;
        }
    }
}
