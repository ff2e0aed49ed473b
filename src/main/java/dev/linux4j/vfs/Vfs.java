package dev.linux4j.vfs;

import static dev.linux4j.abi.Fcntl.NAME_MAX;
import static dev.linux4j.abi.Fcntl.PATH_MAX;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * The guest's file tree: the mount table and the one path resolver every path-taking syscall
 * uses (Linux's {@code fs/namei.c}). Resolution works on guest paths: ".." stops at the guest
 * root, absolute symlinks restart at the guest root, and no path leaves the mounts.
 */
public final class Vfs {
    /** Follow a symlink in the final component. */
    public static final int FOLLOW = 1;
    /** The final component may be missing (its parent must exist): O_CREAT, mkdir, symlink... */
    public static final int MAY_NOT_EXIST = 2;

    /** Linux's MAXSYMLINKS (include/linux/namei.h). */
    public static final int MAX_SYMLINKS = 40;

    /**
     * The result: where the path leads, and the file's attributes (null if it does not exist).
     * {@code file} is the open file a /proc magic link named when it has no path to reopen by (a
     * pipe, an unlinked or O_TMPFILE file): open(2) reopens that file; else null.
     */
    public record Resolved(Location location, StatBuf stat, FileDescription file) {
        public Resolved(Location location, StatBuf stat) {
            this(location, stat, null);
        }

        public boolean exists() {
            return stat != null;
        }

        public String guestPath() {
            return location.guestPath();
        }
    }

    // Guarded by this; replaced wholesale (copy on write) so readers need no lock.
    private volatile List<Mount> mounts = List.of();
    private int nextMountId = 20;

    public Vfs(FileSystem root) {
        mount("/", root, false);
    }

    /** Mounts a file system at a guest path (the path must be normalized and absolute). */
    public synchronized Mount mount(String mountPoint, FileSystem fs, boolean readOnly) {
        Mount m = new Mount(mountPoint, fs, readOnly, nextMountId++);
        List<Mount> next = new ArrayList<>(mounts);
        next.removeIf(old -> old.mountPoint().equals(mountPoint));
        next.add(m);
        next.sort(Comparator.comparingInt((Mount x) -> x.mountPoint().length()).reversed());
        mounts = List.copyOf(next);
        return m;
    }

    public List<Mount> mounts() {
        return mounts;
    }

    /** The mount holding an absolute, normalized guest path, and the path inside it. */
    public Location locate(String guestPath) {
        for (Mount m : mounts) {
            String mp = m.mountPoint();
            if (mp.equals("/")) {
                return new Location(m, guestPath.substring(1), guestPath);
            }
            if (guestPath.equals(mp)) {
                return new Location(m, "", guestPath);
            }
            if (guestPath.startsWith(mp) && guestPath.charAt(mp.length()) == '/') {
                return new Location(m, guestPath.substring(mp.length() + 1), guestPath);
            }
        }
        throw new IllegalStateException("no root mount");
    }

    private StatBuf lstatOrNull(String guestPath) {
        Location loc = locate(guestPath);
        try {
            return loc.fs().stat(loc.fsPath());
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Resolves {@code path} relative to the absolute guest directory {@code start}
     * (path_lookupat), for a process whose root is the guest root.
     */
    public Resolved resolve(String start, String path, int flags) {
        return resolve("/", start, path, flags);
    }

    /**
     * Resolves {@code path} relative to the absolute guest directory {@code start} for a process
     * whose root directory (chroot) is {@code root}: an absolute path or symlink starts there and
     * ".." does not climb above it (nor above the guest root, from a directory outside it).
     * Throws ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG as Linux does.
     */
    public Resolved resolve(String root, String start, String path, int flags) {
        if (path.isEmpty()) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        if (path.length() >= PATH_MAX) {
            throw ErrnoException.of(Errno.ENAMETOOLONG);
        }
        Deque<String> todo = new ArrayDeque<>();
        pushComponents(todo, path);
        boolean trailingSlash = path.endsWith("/");
        String cur = path.charAt(0) == '/' ? root : start;
        StatBuf curStat = null;
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.length() > NAME_MAX) {
                throw ErrnoException.of(Errno.ENAMETOOLONG);
            }
            if (curStat == null) {
                curStat = lstatOrNull(cur);
                if (curStat == null) {
                    if (c.equals("..")) {
                        // A removed directory (the cwd after rmdir) still has its parent, as
                        // its unlinked dentry does on Linux.
                        cur = cur.equals(root) ? cur : parentOf(cur);
                        continue;
                    }
                    throw ErrnoException.of(Errno.ENOENT);
                }
            }
            if (!Stat.isDir(curStat.mode())) {
                throw ErrnoException.of(Errno.ENOTDIR);
            }
            if ((curStat.mode() & 0111) == 0 && !c.isEmpty()) {
                // Search permission on a directory with no x bits at all: EACCES as for any user.
                Location here = locate(cur);
                if (!here.fs().access(here.fsPath(), 1)) {
                    throw ErrnoException.of(Errno.EACCES);
                }
            }
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                // follow_dotdot: the process's root is its own parent.
                String parent = cur.equals(root) ? cur : parentOf(cur);
                if (!parent.equals(cur)) {
                    cur = parent;
                    curStat = null;
                }
                continue;
            }
            String next = cur.equals("/") ? "/" + c : cur + "/" + c;
            boolean last = todo.isEmpty();
            StatBuf st = lstatOrNull(next);
            if (st == null) {
                if (last && (flags & MAY_NOT_EXIST) != 0) {
                    return new Resolved(locate(next), null);
                }
                throw ErrnoException.of(Errno.ENOENT);
            }
            if (Stat.isLink(st.mode()) && (!last || (flags & FOLLOW) != 0 || trailingSlash)) {
                if (++links > MAX_SYMLINKS) {
                    throw ErrnoException.of(Errno.ELOOP);
                }
                Location loc = locate(next);
                MagicLink magic = loc.fs().magicLink(loc.fsPath());
                if (magic != null) {
                    switch (magic) {
                        case MagicLink.ToPath(String target) -> {
                            cur = target; // nd_jump_link: no re-rooting, no text to parse
                            curStat = null;
                        }
                        case MagicLink.ToFile(FileDescription file) -> {
                            if (last) {
                                return jumpToFile(file, trailingSlash);
                            }
                            throw ErrnoException.of(Errno.ENOTDIR);
                        }
                    }
                    continue;
                }
                String target = loc.fs().readlink(loc.fsPath());
                if (target.isEmpty()) {
                    throw ErrnoException.of(Errno.ENOENT);
                }
                pushComponents(todo, target);
                if (target.charAt(0) == '/') {
                    cur = root;
                    curStat = null;
                }
                continue;
            }
            cur = next;
            curStat = st;
        }
        if (curStat == null) {
            curStat = lstatOrNull(cur);
            if (curStat == null) {
                throw ErrnoException.of(Errno.ENOENT);
            }
        }
        if (trailingSlash && !Stat.isDir(curStat.mode())) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        return new Resolved(locate(cur), curStat);
    }

    /** The end of a walk at a magic link to an open file that has no path of its own. */
    private static Resolved jumpToFile(FileDescription file, boolean trailingSlash) {
        StatBuf st = file.ops().stat(file);
        if (trailingSlash && !Stat.isDir(st.mode())) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        return new Resolved(file.location(), st, file);
    }

    /**
     * Where an open file is now: the location it was opened at, moved to where its file system
     * says it is after a rename (so fchdir, *at() calls and /proc/PID/fd follow a renamed
     * directory, as Linux's dentries do). Null for a file with no location (a pipe).
     */
    public static Location whereNow(FileDescription file) {
        Location loc = file.location();
        if (loc == null) {
            return null;
        }
        String fsPath = file.ops().pathNow(file);
        if (fsPath == null || fsPath.equals(loc.fsPath())) {
            return loc;
        }
        String mp = loc.mount().mountPoint();
        String guest = fsPath.isEmpty() ? mp : mp.equals("/") ? "/" + fsPath : mp + "/" + fsPath;
        return new Location(loc.mount(), fsPath, guest);
    }

    /** Splits a path and pushes its components in front of the queue, in order. */
    private static void pushComponents(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int k = parts.length - 1; k >= 0; k--) {
            if (!parts[k].isEmpty()) {
                todo.addFirst(parts[k]);
            }
        }
    }

    /** The parent of an absolute normalized guest path; "/" is its own parent. */
    public static String parentOf(String guestPath) {
        int slash = guestPath.lastIndexOf('/');
        return slash <= 0 ? "/" : guestPath.substring(0, slash);
    }

    /**
     * A guest path as a process whose root is {@code root} names it (d_path): relative to its
     * root, or the whole guest path when it lies outside (Linux prints the path from the
     * namespace root then; getcwd marks it "(unreachable)"). Null when outside and
     * {@code unreachableAsNull}.
     */
    public static String pathFrom(String root, String guestPath, boolean unreachableAsNull) {
        if (root.equals("/")) {
            return guestPath;
        }
        if (guestPath.equals(root)) {
            return "/";
        }
        if (guestPath.startsWith(root) && guestPath.charAt(root.length()) == '/') {
            return guestPath.substring(root.length());
        }
        return unreachableAsNull ? null : guestPath;
    }

    /** The last component of a normalized guest path. */
    public static String nameOf(String guestPath) {
        return guestPath.substring(guestPath.lastIndexOf('/') + 1);
    }
}
