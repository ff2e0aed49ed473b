package dev.linux4j.fs.proc;

import static dev.linux4j.abi.Stat.S_IFDIR;
import static dev.linux4j.abi.Stat.S_IFLNK;
import static dev.linux4j.abi.Stat.S_IFREG;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.FileSystem;
import dev.linux4j.vfs.MagicLink;
import dev.linux4j.vfs.ProcessDirectory;
import dev.linux4j.vfs.ProcessView;
import dev.linux4j.vfs.Vfs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's /proc (Linux's {@code fs/proc}): the guest's processes, never the JVM or the host
 * process (DESIGN.md decision 8). Every entry is made on lookup from the kernel's state through
 * {@link ProcessDirectory}; files are generated when read, as seq_files are. Per-process entries
 * are in {@link PidEntries}, machine-wide ones in {@link SystemFiles} and {@link SysctlTree}.
 *
 * <p>The kernel is created after the VFS it mounts this in, so the process directory is
 * attached afterwards ({@link #attach}); until then /proc holds no processes.
 */
public final class ProcFileSystem implements FileSystem {
    /** PROC_SUPER_MAGIC. */
    static final long PROC_SUPER_MAGIC = 0x9fa0;
    /** The anonymous device procfs gets (0:22 is where Linux usually puts it). */
    static final long DEV = StatBuf.makedev(0, 22);
    /** A stand-in process directory before {@link #attach}: no processes, defaults for the rest. */
    private static final ProcessDirectory NONE = new EmptyDirectory();

    private final Vfs vfs;
    private volatile ProcessDirectory processes = NONE;
    private final SysctlTree sysctl;

    /** A /proc for the file tree {@code vfs} (its mount table is what /proc/PID/mounts shows). */
    public ProcFileSystem(Vfs vfs) {
        this.vfs = vfs;
        this.sysctl = new SysctlTree(this);
    }

    /** Connects the kernel's processes (the kernel is built after the VFS). */
    public void attach(ProcessDirectory directory) {
        this.processes = directory;
    }

    ProcessDirectory processes() {
        return processes;
    }

    Vfs vfs() {
        return vfs;
    }

    long bootTime() {
        return processes.bootTimeSeconds();
    }

    /** Attributes of a machine-wide entry: root-owned, boot time. */
    ProcNode.Attr rootAttr(int perm) {
        return new ProcNode.Attr(perm, 0, 0, bootTime(), 0);
    }

    // ---------------------------------------------------------------- the tree

    /** The root directory: machine-wide entries (in proc_match order), self, thread-self, pids. */
    private ProcNode root() {
        return new ProcNode.Dir(rootAttr(0555), this::rootNames, this::rootChild,
                () -> fixedRootSubdirectories() + processes.count());
    }

    /** Subdirectories of /proc other than the pids' (proc_root.nlink - 2): fixed, counted once. */
    private long fixedRootSubdirectories() {
        long n = fixedRootSubdirs;
        if (n < 0) {
            n = 0;
            for (String name : rootNames()) {
                if (parsePid(name) < 0 && rootChild(name) instanceof ProcNode.Dir) {
                    n++;
                }
            }
            fixedRootSubdirs = n;
        }
        return n;
    }

    private volatile long fixedRootSubdirs = -1;

    private List<String> rootNames() {
        List<String> names = new ArrayList<>(SystemFiles.NAMES);
        names.add("sys");
        names.add("sysvipc");
        names.sort(ProcFileSystem::procMatchOrder);
        names.add("self");
        names.add("thread-self");
        for (int pid : processes.pids()) {
            names.add(Integer.toString(pid));
        }
        return names;
    }

    /** proc_match's order for a directory's registered entries: shorter names first, then bytes. */
    static int procMatchOrder(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private ProcNode rootChild(String name) {
        switch (name) {
            case "self" -> {
                return new ProcNode.Link(rootAttr(0777), () -> {
                    ProcessView v = processes.current();
                    return v == null ? null : Integer.toString(v.pid());
                });
            }
            case "thread-self" -> {
                return new ProcNode.Link(rootAttr(0777), () -> {
                    ProcessView v = processes.current();
                    return v == null ? null : v.pid() + "/task/" + processes.currentTid();
                });
            }
            case "sys" -> {
                return sysctl.root();
            }
            case "sysvipc" -> {
                return SysvIpcFiles.dir(this);
            }
            default -> {
                int pid = parsePid(name);
                if (pid > 0) {
                    ProcessView v = processes.byPid(pid);
                    return v == null ? null : new PidEntries(this, v, 0).dir();
                }
                return SystemFiles.node(this, name);
            }
        }
    }

    /** A decimal pid without sign or leading zeros (as name_to_int accepts), else -1. */
    static int parsePid(String name) {
        if (name.isEmpty() || name.length() > 9 || name.charAt(0) == '0') {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The node at a path inside /proc (no symlinks are followed: the VFS does that). */
    private ProcNode lookup(String path) {
        ProcNode node = root();
        if (path.isEmpty()) {
            return node;
        }
        for (String c : path.split("/")) {
            if (c.isEmpty()) {
                continue;
            }
            if (!(node instanceof ProcNode.Dir dir)) {
                throw ErrnoException.of(Errno.ENOTDIR);
            }
            node = dir.child().apply(c);
            if (node == null) {
                throw ErrnoException.of(Errno.ENOENT);
            }
        }
        return node;
    }

    // ---------------------------------------------------------------- attributes

    private StatBuf statOf(String path, ProcNode node) {
        ProcNode.Attr a = node.attr();
        int type;
        long nlink = 1;
        long size = a.size();
        // instanceof, not pattern switches, in this class: each of those bootstraps a class at
        // its first use (SwitchBootstraps.typeSwitch), a cost the AOT cache does not remove
        if (node instanceof ProcNode.Dir d) {
            type = S_IFDIR;
            nlink = 2 + (d.subdirs() != null ? d.subdirs().getAsLong() : subdirectories(d));
        } else {
            type = node instanceof ProcNode.File ? S_IFREG : S_IFLNK;
        }
        long ino = path.isEmpty() ? 1 : inodeOf(path);
        return new StatBuf(DEV, ino, type | a.perm(), nlink, a.uid(), a.gid(), 0, size, 1024, 0, a.timeSec(), 0,
                a.timeSec(), 0, a.timeSec(), 0, 0, 0, false, 0);
    }

    private static long subdirectories(ProcNode.Dir d) {
        long n = 0;
        for (String name : d.names().get()) {
            if (d.child().apply(name) instanceof ProcNode.Dir) {
                n++;
            }
        }
        return n;
    }

    /** A stable inode number per path (Linux's are dynamic; stable ones keep find and du happy). */
    static long inodeOf(String path) {
        long h = 0xcbf29ce484222325L;
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        long ino = (h ^ (h >>> 32)) & 0xffffffffL;
        return ino < 2 ? ino + 2 : ino;
    }

    private static int dtype(ProcNode node) {
        return node instanceof ProcNode.Dir ? Stat.DT_DIR : node instanceof ProcNode.File ? Stat.DT_REG : Stat.DT_LNK;
    }

    // ---------------------------------------------------------------- FileSystem

    @Override
    public StatBuf stat(String path) {
        return statOf(path, lookup(path));
    }

    @Override
    public String readlink(String path) {
        if (!(lookup(path) instanceof ProcNode.Link link)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        String target = link.target().get();
        if (target == null) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        return target;
    }

    /** A magic link's jump (proc_get_link); ENOENT once its process or descriptor is gone. */
    @Override
    public MagicLink magicLink(String path) {
        if (!(lookup(path) instanceof ProcNode.Link link) || link.jump() == null) {
            return null;
        }
        MagicLink jump = link.jump().get();
        if (jump == null) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        return jump;
    }

    /** The root directory of the process reading /proc: paths in link targets are shown from it (d_path). */
    String readerRoot() {
        ProcessView v = processes.current();
        return v == null ? "/" : v.root();
    }

    @Override
    public FileOps open(String path, int flags, int mode) {
        ProcNode node = lookup(path);
        StatBuf st = statOf(path, node);
        if (node instanceof ProcNode.File f) {
            return new ProcFile(f.content(), st);
        }
        return new ProcDirectory(this, path, st); // a directory, or O_PATH of a link itself
    }

    @Override
    public List<DirEntry> list(String path) {
        if (!(lookup(path) instanceof ProcNode.Dir dir)) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        List<DirEntry> out = new ArrayList<>();
        long self = path.isEmpty() ? 1 : inodeOf(path);
        String parentPath = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
        out.add(new DirEntry(self, Stat.DT_DIR, bytes(".")));
        out.add(new DirEntry(parentPath.isEmpty() ? 1 : inodeOf(parentPath), Stat.DT_DIR, bytes("..")));
        for (String name : dir.names().get()) {
            ProcNode child = dir.child().apply(name);
            if (child != null) {
                String childPath = path.isEmpty() ? name : path + "/" + name;
                out.add(new DirEntry(inodeOf(childPath), dtype(child), bytes(name)));
            }
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public long[] statfs(String path) {
        lookup(path);
        return new long[] {PROC_SUPER_MAGIC, 4096, 0, 0, 0, 0, 0, 255, 4096};
    }

    /**
     * generic_permission with the caller's fs ids: owner, group or other bits; root may read and
     * write anything and execute what has an x bit.
     */
    @Override
    public boolean access(String path, int mode) {
        StatBuf st = stat(path);
        ProcessView caller = processes.current();
        if (caller == null) {
            return true;
        }
        int fsuid = caller.uids()[3];
        int fsgid = caller.gids()[3];
        int perm = st.mode() & 0777;
        if (fsuid == 0) {
            return (mode & 1) == 0 || (perm & 0111) != 0 || Stat.isDir(st.mode());
        }
        int bits;
        if (fsuid == st.uid()) {
            bits = perm >> 6;
        } else if (fsgid == st.gid() || contains(caller.groups(), st.gid())) {
            bits = perm >> 3;
        } else {
            bits = perm;
        }
        return (bits & 7 & mode) == (mode & 7);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    // /proc refuses changes to its namespace; Linux answers EACCES or EPERM as below, after ENOENT.

    @Override
    public void mkdir(String path, int mode) {
        existsOr(path, Errno.ENOENT);
    }

    @Override
    public void unlink(String path) {
        lookup(path);
        throw ErrnoException.of(Errno.EACCES);
    }

    @Override
    public void rmdir(String path) {
        lookup(path);
        throw ErrnoException.of(Errno.EACCES);
    }

    @Override
    public void rename(String from, String to, int flags) {
        lookup(from);
        throw ErrnoException.of(Errno.EACCES);
    }

    @Override
    public void link(String existing, String newPath) {
        lookup(existing);
        throw ErrnoException.of(Errno.EPERM);
    }

    @Override
    public void symlink(String target, String linkPath) {
        existsOr(linkPath, Errno.ENOENT);
    }

    @Override
    public void chmod(String path, int mode) {
        lookup(path);
        throw ErrnoException.of(Errno.EPERM);
    }

    @Override
    public void truncate(String path, long length) {
        lookup(path);
        throw ErrnoException.of(Errno.EACCES);
    }

    @Override
    public void setTimes(String path, Long atimeNanos, Long mtimeNanos) {
        lookup(path);
        throw ErrnoException.of(Errno.EPERM);
    }

    private void existsOr(String path, Errno otherwise) {
        try {
            lookup(path);
        } catch (ErrnoException e) {
            throw ErrnoException.of(otherwise);
        }
        throw ErrnoException.of(Errno.EEXIST);
    }

    /** An open /proc file: the content generated on the first read and again at each read from offset 0. */
    static final class ProcFile implements FileOps {
        private final java.util.function.Supplier<byte[]> content;
        private final StatBuf st;
        private byte[] data; // guarded by this

        ProcFile(java.util.function.Supplier<byte[]> content, StatBuf st) {
            this.content = content;
            this.st = st;
        }

        @Override
        public synchronized int read(FileDescription file, byte[] buf, int off, int len, long position) {
            if (data == null || position == 0) {
                data = content.get();
            }
            if (position >= data.length) {
                return 0;
            }
            int n = (int) Math.min(len, data.length - position);
            System.arraycopy(data, (int) position, buf, off, n);
            return n;
        }

        @Override
        public boolean seekable() {
            return true;
        }

        @Override
        public long size(FileDescription file) {
            return 0;
        }

        @Override
        public StatBuf stat(FileDescription file) {
            return st;
        }
    }

    /** An open /proc directory (or an O_PATH link): readdir lists it afresh. */
    record ProcDirectory(ProcFileSystem fs, String path, StatBuf st) implements FileOps {
        @Override
        public boolean seekable() {
            return true;
        }

        @Override
        public StatBuf stat(FileDescription file) {
            return st;
        }

        @Override
        public List<DirEntry> readdir(FileDescription file) {
            if (!Stat.isDir(st.mode())) {
                throw ErrnoException.of(Errno.ENOTDIR);
            }
            return fs.list(path);
        }

        /** /proc/PID itself (not a link, not a directory below it): its pid. */
        @Override
        public int procPid() {
            String p = path.startsWith("/") ? path.substring(1) : path;
            return Stat.isDir(st.mode()) ? Math.max(0, parsePid(p)) : 0;
        }
    }
}
