package dev.linux4j.fs.host;

import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.FileSystem;
import dev.linux4j.vfs.Xattrs;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Root's view of ownership over another file system, for {@code --fake-root} (proot -0,
 * fakeroot): files the host user owns appear owned by uid/gid 0, and chown(2) succeeds by
 * recording the new owner in memory (per inode, for the life of the machine) without touching
 * the host. Everything else is the wrapped file system's.
 */
public final class FakeRootFileSystem implements FileSystem {
    /** Ownership recorded by chown, per inode; shared by every mount of one machine. */
    public static final class Ledger {
        private final int hostUid;
        private final int hostGid;
        private final Map<List<Long>, int[]> owners = new ConcurrentHashMap<>();

        public Ledger(int hostUid, int hostGid) {
            this.hostUid = hostUid;
            this.hostGid = hostGid;
        }

        StatBuf view(StatBuf st) {
            int[] o = owners.get(List.of(st.dev(), st.ino()));
            if (o != null) {
                return st.withOwner(o[0], o[1]);
            }
            return st.withOwner(st.uid() == hostUid ? 0 : st.uid(), st.gid() == hostGid ? 0 : st.gid());
        }

        void record(StatBuf st, int uid, int gid) {
            StatBuf now = view(st);
            owners.put(List.of(st.dev(), st.ino()), new int[] {uid == -1 ? now.uid() : uid, gid == -1 ? now.gid() : gid});
        }
    }

    private final FileSystem fs;
    private final Ledger ledger;

    public FakeRootFileSystem(FileSystem fs, Ledger ledger) {
        this.fs = fs;
        this.ledger = ledger;
    }

    @Override
    public StatBuf stat(String path) {
        return ledger.view(fs.stat(path));
    }

    @Override
    public void chown(String path, int uid, int gid) {
        ledger.record(fs.stat(path), uid, gid);
    }

    @Override
    public FileOps open(String path, int flags, int mode) {
        return new FakeRootFile(fs.open(path, flags, mode), ledger);
    }

    @Override
    public FileOps openTmpfile(String dirPath, int flags, int mode) {
        return new FakeRootFile(fs.openTmpfile(dirPath, flags, mode), ledger);
    }

    @Override
    public Xattrs xattrs(String path) {
        return fs.xattrs(path);
    }

    /** An open file whose fstat shows the recorded ownership. */
    private record FakeRootFile(FileOps ops, Ledger ledger) implements FileOps {
        @Override
        public int read(FileDescription file, byte[] buf, int off, int len, long position) {
            return ops.read(file, buf, off, len, position);
        }

        @Override
        public int write(FileDescription file, byte[] buf, int off, int len, long position) {
            return ops.write(file, buf, off, len, position);
        }

        @Override
        public boolean seekable() {
            return ops.seekable();
        }

        @Override
        public long size(FileDescription file) {
            return ops.size(file);
        }

        @Override
        public StatBuf stat(FileDescription file) {
            return ledger.view(ops.stat(file));
        }

        @Override
        public List<DirEntry> readdir(FileDescription file) {
            return ops.readdir(file);
        }

        @Override
        public long ioctl(FileDescription file, int cmd, long arg, IoctlContext context) {
            return ops.ioctl(file, cmd, arg, context);
        }

        @Override
        public void fsync(FileDescription file) {
            ops.fsync(file);
        }

        @Override
        public void truncate(FileDescription file, long length) {
            ops.truncate(file, length);
        }

        @Override
        public boolean readReady(FileDescription file) {
            return ops.readReady(file);
        }

        @Override
        public int poll(FileDescription file) {
            return ops.poll(file);
        }

        @Override
        public long seekDataHole(FileDescription file, long offset, int whence) {
            return ops.seekDataHole(file, offset, whence);
        }

        @Override
        public void fallocate(FileDescription file, int mode, long offset, long len) {
            ops.fallocate(file, mode, offset, len);
        }

        @Override
        public String pathNow(FileDescription file) {
            return ops.pathNow(file);
        }

        @Override
        public String dname(FileDescription file) {
            return ops.dname(file);
        }

        @Override
        public FileOps reopen(FileDescription file, int flags) {
            return new FakeRootFile(ops.reopen(file, flags), ledger);
        }

        @Override
        public Xattrs xattrs(FileDescription file) {
            return ops.xattrs(file);
        }

        @Override
        public boolean linkInto(FileDescription file, String newPath) {
            return ops.linkInto(file, newPath);
        }

        @Override
        public void release(FileDescription file) {
            ops.release(file);
        }
    }

    @Override
    public String readlink(String path) {
        return fs.readlink(path);
    }

    @Override
    public void mkdir(String path, int mode) {
        fs.mkdir(path, mode);
    }

    @Override
    public void unlink(String path) {
        fs.unlink(path);
    }

    @Override
    public void rmdir(String path) {
        fs.rmdir(path);
    }

    @Override
    public void rename(String from, String to, int flags) {
        fs.rename(from, to, flags);
    }

    @Override
    public void link(String existing, String newPath) {
        fs.link(existing, newPath);
    }

    @Override
    public void symlink(String target, String linkPath) {
        fs.symlink(target, linkPath);
    }

    @Override
    public void mknod(String path, int mode, long dev) {
        fs.mknod(path, mode, dev);
    }

    @Override
    public void chmod(String path, int mode) {
        fs.chmod(path, mode);
    }

    @Override
    public void truncate(String path, long length) {
        fs.truncate(path, length);
    }

    @Override
    public void setTimes(String path, Long atimeNanos, Long mtimeNanos) {
        fs.setTimes(path, atimeNanos, mtimeNanos);
    }

    @Override
    public List<DirEntry> list(String path) {
        return fs.list(path);
    }

    @Override
    public long[] statfs(String path) {
        return fs.statfs(path);
    }

    @Override
    public boolean access(String path, int mode) {
        return fs.access(path, mode);
    }
}
