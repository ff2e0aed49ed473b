package dev.linux4j.fs.tty;

import static dev.linux4j.abi.Stat.S_IFCHR;
import static dev.linux4j.abi.Stat.S_IFDIR;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.Caller;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileOps;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The devpts instance behind /dev/pts (fs/devpts/inode.c), with the kernel's default mount
 * options as this machine has them (mode=600, ptmxmode=000, no gid=): the ptmx node (5,2),
 * and one node per live pty, N (136,N), owned by the fsuid and fsgid of the process that
 * opened the master. A pty takes the lowest free number (devpts_new_index) and its node goes
 * when the master is closed (devpts_pty_kill).
 *
 * <p>Locking: {@code this} guards {@link #ptys}.
 */
public final class DevPts {
    /** UNIX98_PTY_SLAVE_MAJOR and the ptmx device (TTYAUX_MAJOR 5, minor 2). */
    public static final int PTS_MAJOR = 136;
    public static final int TTYAUX_MAJOR = 5;
    /** devpts's defaults: DEVPTS_DEFAULT_MODE and DEVPTS_DEFAULT_PTMX_MODE. */
    static final int DEFAULT_MODE = 0600;
    static final int DEFAULT_PTMX_MODE = 0;

    private final long dev;
    private final long mounted = System.currentTimeMillis();
    private final TreeMap<Integer, Pty> ptys = new TreeMap<>();

    /** @param dev the st_dev its nodes report */
    public DevPts(long dev) {
        this.dev = dev;
    }

    /** ptmx_open: a new pty, its master open. */
    public FileOps openMaster(int flags, StatBuf ptmxStat) {
        int[] cred = Caller.ucred();
        int uid = cred == null ? 0 : cred[1];
        int gid = cred == null ? 0 : cred[2];
        Pty pty;
        synchronized (this) {
            int index = 0;
            while (ptys.containsKey(index)) {
                index++;
            }
            pty = new Pty(this, index, uid, gid);
            ptys.put(index, pty);
        }
        return new PtyMaster(pty, ptmxStat);
    }

    synchronized void remove(Pty pty) {
        ptys.remove(pty.index, pty);
    }

    private synchronized Pty find(String name) {
        try {
            if (name.isEmpty() || name.length() > 1 && name.charAt(0) == '0' || name.charAt(0) == '+') {
                return null;
            }
            return ptys.get(Integer.parseInt(name));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private StatBuf node(long ino, int mode, long rdev, int uid, int gid, long millis) {
        long sec = millis / 1000;
        int nsec = (int) (millis % 1000) * 1_000_000;
        return new StatBuf(dev, ino, mode, Stat.isDir(mode) ? 2 : 1, uid, gid, rdev, 0, 1024, 0, sec, nsec, sec, nsec,
                sec, nsec, 0, 0, false, 0);
    }

    StatBuf stat(Pty pty) {
        return node(pty.index + 3, S_IFCHR | DEFAULT_MODE, StatBuf.makedev(PTS_MAJOR, pty.index), pty.uid, pty.gid,
                pty.created);
    }

    /** stat of a path inside /dev/pts ("" for the directory). */
    public StatBuf stat(String path) {
        if (path.isEmpty()) {
            return node(1, S_IFDIR | 0755, 0, 0, 0, mounted);
        }
        if (path.equals("ptmx")) {
            return node(2, S_IFCHR | DEFAULT_PTMX_MODE, StatBuf.makedev(TTYAUX_MAJOR, 2), 0, 0, mounted);
        }
        int slash = path.indexOf('/');
        if (slash >= 0) {
            // a node is no directory: ENOTDIR below one that exists, ENOENT below one that does not
            String first = path.substring(0, slash);
            throw ErrnoException.of(first.equals("ptmx") || find(first) != null ? Errno.ENOTDIR : Errno.ENOENT);
        }
        Pty pty = find(path);
        if (pty == null) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        return stat(pty);
    }

    /**
     * open of a node: /dev/pts/ptmx is another ptmx, /dev/pts/N the slave of pty N; null for
     * the directory and O_PATH opens, which the caller opens as plain nodes.
     */
    public FileOps open(String path, int flags) {
        StatBuf st = stat(path);
        if (path.isEmpty() || (flags & Fcntl.O_PATH) != 0) {
            return null;
        }
        if (path.equals("ptmx")) {
            return openMaster(flags, st);
        }
        return PtySlave.open(find(path), flags, false);
    }

    /** readdir of /dev/pts. */
    public List<DirEntry> list() {
        List<DirEntry> out = new ArrayList<>();
        out.add(new DirEntry(1, Stat.DT_DIR, ".".getBytes(StandardCharsets.UTF_8)));
        out.add(new DirEntry(1, Stat.DT_DIR, "..".getBytes(StandardCharsets.UTF_8)));
        out.add(new DirEntry(2, Stat.DT_CHR, "ptmx".getBytes(StandardCharsets.UTF_8)));
        List<Pty> live;
        synchronized (this) {
            live = List.copyOf(ptys.values());
        }
        for (Pty p : live) {
            out.add(new DirEntry(p.index + 3, Stat.DT_CHR, Integer.toString(p.index).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
