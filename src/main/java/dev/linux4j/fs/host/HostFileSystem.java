package dev.linux4j.fs.host;

import static dev.linux4j.abi.Fcntl.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.host.HostErrors;
import dev.linux4j.host.HostFiles;
import dev.linux4j.host.HostNative;
import dev.linux4j.host.HostXattrs;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.FileSystem;
import dev.linux4j.vfs.Xattrs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A host directory tree as a guest file system, through java.nio (plus statx and chmod from
 * {@link HostNative} where the host has them). Paths given by the VFS are relative to
 * {@link #root} and already resolved, so nothing here follows a final symlink.
 */
public final class HostFileSystem implements FileSystem {
    private final Path root;
    private final boolean readOnly;

    public HostFileSystem(Path root, boolean readOnly) {
        this.root = root.toAbsolutePath().normalize();
        this.readOnly = readOnly;
    }

    public Path root() {
        return root;
    }

    Path host(String path) {
        return path.isEmpty() ? root : root.resolve(path);
    }

    /**
     * Where a host descriptor's file is now, as a path inside this file system (the host's
     * /proc/self/fd link, so renames are followed); null when it was unlinked, lies outside
     * this file system's root, or the host cannot say.
     */
    String pathOfDescriptor(int hostFd) {
        int[] errno = new int[1];
        byte[] target = HostNative.readlink("/proc/self/fd/" + hostFd, errno);
        if (target == null) {
            return null;
        }
        String hostPath = new String(target, StandardCharsets.UTF_8);
        if (hostPath.endsWith(" (deleted)") || !hostPath.startsWith("/")) {
            return null;
        }
        String top = root.toString();
        if (hostPath.equals(top)) {
            return "";
        }
        String prefix = top.endsWith("/") ? top : top + "/";
        return hostPath.startsWith(prefix) ? hostPath.substring(prefix.length()) : null;
    }

    void checkWritable() {
        if (readOnly) {
            throw ErrnoException.of(Errno.EROFS);
        }
    }

    // ---------------------------------------------------------------- attributes

    @Override
    public StatBuf stat(String path) {
        return statHost(host(path));
    }

    static StatBuf statHost(Path p) {
        return HostStat.of(p);
    }

    @Override
    public String readlink(String path) {
        Path p = host(path);
        int[] errno = new int[1];
        byte[] exact = HostNative.readlink(p.toString(), errno);
        if (exact != null) {
            return new String(exact, StandardCharsets.UTF_8);
        }
        if (errno[0] != 38) {
            throw ErrnoException.ofNumber(errno[0]);
        }
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (java.nio.file.NotLinkException e) {
            throw ErrnoException.of(Errno.EINVAL);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public boolean access(String path, int mode) {
        Path p = host(path);
        if ((mode & W_OK) != 0 && readOnly) {
            throw ErrnoException.of(Errno.EROFS);
        }
        boolean ok = true;
        if ((mode & R_OK) != 0) {
            ok &= Files.isReadable(p);
        }
        if ((mode & W_OK) != 0) {
            ok &= Files.isWritable(p);
        }
        if ((mode & X_OK) != 0) {
            ok &= Files.isExecutable(p);
        }
        return ok;
    }

    // ---------------------------------------------------------------- open

    @Override
    public FileOps open(String path, int flags, int mode) {
        Path p = host(path);
        if ((flags & O_PATH) != 0) {
            return new HostPathFile(this, p, HostFiles.available() ? openDescriptor(p, O_PATH | O_NOFOLLOW) : -1);
        }
        boolean exists;
        StatBuf st = null;
        try {
            st = statHost(p);
            exists = true;
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
            exists = false;
        }
        int acc = flags & O_ACCMODE;
        boolean wantWrite = acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC) != 0;
        if (exists && Stat.isDir(st.mode())) {
            if (acc != O_RDONLY || (flags & O_CREAT) != 0 && (flags & O_DIRECTORY) == 0) {
                throw ErrnoException.of(Errno.EISDIR);
            }
            return new HostDirectory(this, path,
                    HostFiles.available() ? openDescriptor(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW) : -1);
        }
        if ((flags & O_DIRECTORY) != 0) {
            throw ErrnoException.of(exists ? Errno.ENOTDIR : Errno.ENOENT);
        }
        if (!exists && (flags & O_CREAT) == 0) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        if (exists && (st.mode() & Stat.S_IFMT) == Stat.S_IFIFO && HostFiles.available()) {
            // A host FIFO: guest and host processes meet in the host's pipe. No EROFS and no
            // truncation for a FIFO (may_open).
            return HostFifoFile.open(p.toString(), flags, st.dev(), st.ino());
        }
        if (exists && !Stat.isReg(st.mode()) && !Stat.isLink(st.mode())) {
            // Devices and sockets of the host are not reachable as such.
            throw ErrnoException.of(Errno.ENXIO);
        }
        if (wantWrite || !exists) {
            checkWritable();
        }
        if (HostFiles.available()) {
            return openByDescriptor(p, flags, mode, exists);
        }
        Set<OpenOption> options = new HashSet<>();
        options.add(LinkOption.NOFOLLOW_LINKS);
        if (acc == O_RDONLY || acc == O_RDWR || acc == O_ACCMODE) {
            options.add(StandardOpenOption.READ);
        }
        if (acc == O_WRONLY || acc == O_RDWR) {
            options.add(StandardOpenOption.WRITE);
        }
        if ((flags & O_CREAT) != 0) {
            options.add((flags & O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
            options.add(StandardOpenOption.WRITE);
        }
        try {
            FileChannel ch = FileChannel.open(p, options);
            if (!exists) {
                applyMode(p, mode);
            }
            if ((flags & O_TRUNC) != 0 && exists) {
                FileChannel w = acc == O_RDONLY ? FileChannel.open(p, StandardOpenOption.WRITE) : ch;
                w.truncate(0);
                if (w != ch) {
                    w.close();
                }
            }
            return new HostRegularFile(p, ch);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    /** A host descriptor for {@code p}, or the host's errno. */
    private static int openDescriptor(Path p, int hostFlags) {
        int fd = HostFiles.open(p.toString(), hostFlags, 0);
        if (fd < 0) {
            throw ErrnoException.ofNumber(-fd);
        }
        return fd;
    }

    /** The open on a Linux host: the file is held by its host descriptor ({@link HostFdFile}). */
    private FileOps openByDescriptor(Path p, int flags, int mode, boolean exists) {
        return holdCreated(HostFiles.open(p.toString(), HostFdFile.hostFlags(flags), mode & 0777), mode, !exists);
    }

    /**
     * The file a host open just returned ({@code fd}, or -errno), held by its descriptor. If the
     * open created it, its mode is set to exactly {@code mode}, which the host's open narrowed
     * by the host's own umask.
     */
    private FileOps holdCreated(int fd, int mode, boolean created) {
        if (fd < 0) {
            throw ErrnoException.ofNumber(-fd);
        }
        if (created) {
            try {
                applyMode(Path.of("/proc/self/fd/" + fd), mode);
            } catch (ErrnoException e) {
                HostFiles.close(fd);
                throw e;
            }
        }
        return new HostFdFile(this, fd);
    }

    /**
     * O_TMPFILE: the host's own unnamed file in the host directory, so it never appears in a
     * listing, is freed by the host on the last close, and links by descriptor. Where the host
     * file system has no O_TMPFILE the host's EOPNOTSUPP is the guest's, as on Linux.
     */
    @Override
    public FileOps openTmpfile(String dirPath, int flags, int mode) {
        checkWritable();
        if (!HostFiles.available()) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        int hostFlags = (flags & (O_ACCMODE | O_EXCL)) | __O_TMPFILE | O_DIRECTORY;
        return holdCreated(HostFiles.open(host(dirPath).toString(), hostFlags, mode & 0777), mode, true);
    }

    @Override
    public Xattrs xattrs(String path) {
        return new HostFileXattrs(this, HostXattrs.Target.path(host(path).toString()));
    }

    private static void applyMode(Path p, int mode) {
        int rc = HostNative.chmod(p.toString(), mode);
        if (rc == -38) {
            try {
                Files.setPosixFilePermissions(p, permissions(mode));
            } catch (IOException | UnsupportedOperationException e) {
                throw HostErrors.toErrno(e);
            }
        } else if (rc < 0) {
            throw ErrnoException.ofNumber(-rc);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                s.add(order[bit]);
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- namespace changes

    /**
     * mknod of a FIFO, socket or regular file on the host. Device nodes are EPERM as for a user
     * without CAP_MKNOD: a guest never gets a host device node, whoever runs linux4j.
     */
    @Override
    public void mknod(String path, int mode, long dev) {
        checkWritable();
        int type = mode & Stat.S_IFMT;
        if (type == Stat.S_IFCHR || type == Stat.S_IFBLK) {
            throw ErrnoException.of(Errno.EPERM);
        }
        Path p = host(path);
        int rc = HostNative.mknod(p.toString(), type, 0);
        if (rc == -38 && type == Stat.S_IFREG) {
            try {
                Files.createFile(p);
                rc = 0;
            } catch (IOException e) {
                throw HostErrors.io(e);
            }
        }
        if (rc < 0) {
            throw ErrnoException.ofNumber(-rc);
        }
        applyMode(p, mode & 07777);
    }

    @Override
    public void mkdir(String path, int mode) {
        checkWritable();
        Path p = host(path);
        try {
            Files.createDirectory(p);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
        applyMode(p, mode);
    }

    @Override
    public void unlink(String path) {
        checkWritable();
        Path p = host(path);
        StatBuf st = statHost(p);
        if (Stat.isDir(st.mode())) {
            throw ErrnoException.of(Errno.EISDIR);
        }
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public void rmdir(String path) {
        checkWritable();
        Path p = host(path);
        StatBuf st = statHost(p);
        if (!Stat.isDir(st.mode())) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public void rename(String from, String to, int flags) {
        checkWritable();
        Path src = host(from);
        Path dst = host(to);
        StatBuf s = statHost(src);
        StatBuf d = null;
        try {
            d = statHost(dst);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
        if (d != null) {
            if ((flags & RENAME_NOREPLACE) != 0) {
                throw ErrnoException.of(Errno.EEXIST);
            }
            if (s.ino() == d.ino() && s.dev() == d.dev()) {
                return; // same file: rename(2) does nothing
            }
            if (Stat.isDir(s.mode()) && !Stat.isDir(d.mode())) {
                throw ErrnoException.of(Errno.ENOTDIR);
            }
            if (!Stat.isDir(s.mode()) && Stat.isDir(d.mode())) {
                throw ErrnoException.of(Errno.EISDIR);
            }
        }
        if ((from + "/").length() <= to.length() && to.startsWith(from + "/")) {
            throw ErrnoException.of(Errno.EINVAL); // a directory into itself
        }
        try {
            Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public void link(String existing, String newPath) {
        checkWritable();
        try {
            Files.createLink(host(newPath), host(existing));
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public void symlink(String target, String linkPath) {
        checkWritable();
        int rc = HostNative.symlink(target.getBytes(StandardCharsets.UTF_8), host(linkPath).toString());
        if (rc != -38) {
            if (rc < 0) {
                throw ErrnoException.ofNumber(-rc);
            }
            return;
        }
        try {
            Files.createSymbolicLink(host(linkPath), Path.of(target));
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    /** chown on the host: only what the host lets this user do (a group the user belongs to). */
    @Override
    public void chown(String path, int uid, int gid) {
        checkWritable();
        try {
            if (uid != -1) {
                Files.setAttribute(host(path), "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            }
            if (gid != -1) {
                Files.setAttribute(host(path), "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw HostErrors.toErrno(e);
        }
    }

    @Override
    public void chmod(String path, int mode) {
        checkWritable();
        applyMode(host(path), mode);
    }

    @Override
    public void truncate(String path, long length) {
        checkWritable();
        Path p = host(path);
        StatBuf st = statHost(p);
        if (Stat.isDir(st.mode())) {
            throw ErrnoException.of(Errno.EISDIR);
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            HostRegularFile.setLength(ch, p, length);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public void setTimes(String path, Long atimeNanos, Long mtimeNanos) {
        checkWritable();
        int rc = HostNative.utimensat(host(path).toString(), atimeNanos, mtimeNanos);
        if (rc != -38) {
            if (rc < 0) {
                throw ErrnoException.ofNumber(-rc);
            }
            return;
        }
        try {
            var view = Files.getFileAttributeView(host(path), java.nio.file.attribute.BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            view.setTimes(mtimeNanos == null ? null : FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS),
                    atimeNanos == null ? null : FileTime.from(atimeNanos, TimeUnit.NANOSECONDS), null);
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }

    @Override
    public List<DirEntry> list(String path) {
        return list(path, host(path));
    }

    /** The entries of the directory {@code path}, read through {@code dir} (its host path, or /proc/self/fd/N). */
    List<DirEntry> list(String path, Path dir) {
        int[] errno = new int[1];
        List<HostNative.HostDirent> exact = HostNative.readdir(dir.toString(), errno);
        if (exact != null) {
            return fromHostOrder(path, dir, exact);
        }
        if (errno[0] != 38) {
            throw ErrnoException.ofNumber(errno[0]);
        }
        List<DirEntry> out = new ArrayList<>();
        StatBuf self = statHost(dir);
        StatBuf parent = path.isEmpty() ? self : statHost(dir.getParent());
        out.add(new DirEntry(self.ino(), Stat.DT_DIR, new byte[] {'.'}));
        out.add(new DirEntry(parent.ino(), Stat.DT_DIR, new byte[] {'.', '.'}));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path child : ds) {
                StatBuf st;
                try {
                    st = statHost(child);
                } catch (ErrnoException e) {
                    continue; // vanished between readdir and stat
                }
                out.add(new DirEntry(st.ino(), Stat.dtype(st.mode()),
                        child.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
        return out;
    }

    /**
     * The host's entries in the host's readdir order, so a guest walking a directory sees what a
     * native program sees. ".." of this file system's root is the root itself (the guest cannot
     * look above it); an entry the host types DT_UNKNOWN is typed from its lstat.
     */
    private static List<DirEntry> fromHostOrder(String path, Path dir, List<HostNative.HostDirent> entries) {
        List<DirEntry> out = new ArrayList<>(entries.size());
        for (HostNative.HostDirent e : entries) {
            long ino = e.ino();
            int type = e.type();
            boolean dotdot = e.name().length == 2 && e.name()[0] == '.' && e.name()[1] == '.';
            if (dotdot && path.isEmpty()) {
                ino = statHost(dir).ino();
            } else if (type == Stat.DT_UNKNOWN) {
                try {
                    type = Stat.dtype(statHost(dir.resolve(new String(e.name(), StandardCharsets.UTF_8))).mode());
                } catch (ErrnoException gone) {
                    continue; // vanished between readdir and stat
                }
            }
            out.add(new DirEntry(ino, type, e.name()));
        }
        return out;
    }

    @Override
    public long[] statfs(String path) {
        byte[] raw = new byte[120];
        int rc = HostNative.statfs(host(path).toString(), raw);
        if (rc == 0) {
            // The host's own struct statfs (x86-64 layout, which every 64-bit Linux shares for these fields).
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            long flags = b.getLong(80) | (readOnly ? 1 : 0);
            return new long[] {b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32),
                b.getLong(40), b.getLong(48), b.getLong(64), b.getLong(72), b.getLong(56), flags};
        }
        if (rc != -38) {
            throw ErrnoException.ofNumber(-rc);
        }
        try {
            var store = Files.getFileStore(host(path));
            long bsize = 4096;
            long total = store.getTotalSpace() / bsize;
            long free = store.getUnallocatedSpace() / bsize;
            long avail = store.getUsableSpace() / bsize;
            // f_type: EXT4_SUPER_MAGIC for an ext4 host, else TMPFS_MAGIC-like generic value.
            long type = switch (store.type()) {
                case "ext4", "ext3", "ext2" -> 0xEF53L;
                case "tmpfs" -> 0x01021994L;
                case "xfs" -> 0x58465342L;
                case "btrfs" -> 0x9123683EL;
                case "overlay" -> 0x794c7630L;
                default -> 0xEF53L;
            };
            return new long[] {type, bsize, total, free, avail, 0, 0, NAME_MAX, bsize};
        } catch (IOException e) {
            throw HostErrors.io(e);
        }
    }
}
