package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.AT_FDCWD;
import static dev.linux4j.abi.Fcntl.X_OK;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.kernel.Task;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FsContext;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Vfs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Directories: getdents and getdents64 (fs/readdir.c), getcwd (fs/d_path.c), chdir and fchdir
 * (fs/open.c).
 *
 * <p>A directory's position is the index of the next entry in the list its {@link
 * dev.linux4j.vfs.FileOps#readdir} gives (a snapshot taken when reading starts at position 0),
 * so d_off values are stable while a program walks the directory, even if entries are removed
 * meanwhile, and lseek to a d_off — or to 0 — resumes or rewinds.
 */
final class DirSyscalls {
    private DirSyscalls() {}

    /** offsetof(struct linux_dirent64, d_name): d_ino 0, d_off 8, d_reclen 16, d_type 18. */
    private static final int DIRENT64_NAME = 19;
    /** offsetof(struct linux_dirent, d_name): d_ino 0, d_off 8, d_reclen 16; d_type is the record's last byte. */
    private static final int DIRENT_NAME = 18;

    // ---------------------------------------------------------------- getdents

    /**
     * getdents64(2): {@code ssize_t getdents64(int fd, void *dirp, size_t count)} filling
     * {@code struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }},
     * each record 8-byte aligned.
     */
    static long getdents64(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long dirp = args.pointer(1);
        long count = args.uint32(2);
        return iterate(task, fd, dirp, count, true);
    }

    /**
     * getdents(2): {@code long getdents(unsigned int fd, struct linux_dirent *dirp, unsigned int count)}
     * filling {@code struct linux_dirent { unsigned long d_ino; unsigned long d_off; unsigned short d_reclen;
     * char d_name[]; }} with d_type in the record's last byte.
     */
    static long getdents(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long dirp = args.pointer(1);
        long count = args.uint32(2);
        return iterate(task, fd, dirp, count, false);
    }

    /**
     * iterate_dir with filldir/filldir64: as many whole records as fit; EINVAL when not even the
     * first one does. Only the record fields and the NUL-terminated name are written, as Linux
     * writes them; padding bytes are left as they were.
     */
    private static long iterate(Task task, int fd, long dirp, long count, boolean is64) {
        FileDescription file = FdSyscalls.fdget(task, fd);
        AddressSpace mem = task.memory();
        synchronized (file) {
            List<DirEntry> entries = file.readdir();
            long pos = file.position();
            long used = 0;
            while (pos >= 0 && pos < entries.size()) {
                DirEntry e = entries.get((int) pos);
                byte[] name = e.name();
                int header = is64 ? DIRENT64_NAME : DIRENT_NAME;
                int reclen = align8(header + name.length + (is64 ? 1 : 2));
                if (used + reclen > count) {
                    if (used == 0) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    break;
                }
                ByteBuffer b = ByteBuffer.allocate(header + name.length + 1).order(ByteOrder.LITTLE_ENDIAN);
                b.putLong(0, e.ino());
                b.putLong(8, pos + 1);
                b.putShort(16, (short) reclen);
                if (is64) {
                    b.put(18, (byte) e.type());
                }
                b.put(header, name);
                mem.write(dirp + used, b.array());
                if (!is64) {
                    mem.write(dirp + used + reclen - 1, new byte[] {(byte) e.type()});
                }
                used += reclen;
                pos++;
            }
            file.setPosition(pos);
            return used;
        }
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    // ---------------------------------------------------------------- cwd

    /**
     * getcwd(2): {@code long getcwd(char *buf, unsigned long size)}; returns the length including
     * the NUL, ERANGE if it does not fit, ENOENT once the directory has been removed.
     */
    static long getcwd(Task task, SyscallArgs args) {
        long buf = args.pointer(0);
        long size = args.sizeT(1);
        FsContext fs = task.group().fs();
        String cwd = fs.cwd();
        Location loc = task.kernel().vfs().locate(cwd);
        StatBuf st = ParentPath.lstatOrNull(loc);
        if (st == null || !Stat.isDir(st.mode())) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        String shown = Vfs.pathFrom(fs.root(), cwd, true);
        if (shown == null) {
            shown = "(unreachable)" + cwd; // a cwd outside the process's root, after chroot(2)
        }
        byte[] path = shown.getBytes(StandardCharsets.UTF_8);
        long len = path.length + 1L;
        if (Long.compareUnsigned(len, size) > 0) {
            throw ErrnoException.of(Errno.ERANGE);
        }
        byte[] out = new byte[path.length + 1];
        System.arraycopy(path, 0, out, 0, path.length);
        task.memory().write(buf, out);
        return len;
    }

    /** chdir(2): {@code int chdir(const char *path)}. */
    static long chdir(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        Vfs.Resolved r = PathArgs.resolve(task, AT_FDCWD, path, Vfs.FOLLOW, false);
        if (!Stat.isDir(r.stat().mode())) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        checkSearch(r.location());
        task.group().setCwd(r.guestPath());
        return 0;
    }

    /**
     * fchdir(2): {@code int fchdir(int fd)}; O_PATH descriptors are accepted, non-directories
     * ENOTDIR. The directory is where it is now, after any rename; a removed one becomes a cwd
     * that getcwd reports as ENOENT and ".." still leaves.
     */
    static long fchdir(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        FileDescription file = task.files().get(fd);
        Location loc = Vfs.whereNow(file);
        StatBuf st = file.ops().stat(file);
        if (loc == null || !Stat.isDir(st.mode())) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        if (ParentPath.lstatOrNull(loc) != null) {
            checkSearch(loc);
        } else if (!AttrSyscalls.permittedByMode(st, X_OK, task.group().credentials())) {
            throw ErrnoException.of(Errno.EACCES); // a removed directory: only its mode is left to ask
        }
        task.group().setCwd(loc.guestPath());
        return 0;
    }

    /**
     * chroot(2): {@code int chroot(const char *path)}. The lookup (ENOENT, ENOTDIR...), search
     * permission (EACCES), then CAP_SYS_CHROOT — an effective uid of 0 here (EPERM). Only the
     * root changes: the working directory stays where it is, even outside the new root, as on
     * Linux. The root is shared by CLONE_FS, inherited by fork and kept across execve.
     */
    static long chroot(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        Vfs.Resolved r = PathArgs.resolve(task, AT_FDCWD, path, Vfs.FOLLOW, false);
        if (!Stat.isDir(r.stat().mode()) || r.location() == null) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        checkSearch(r.location());
        if (task.group().credentials().euid() != 0) {
            throw ErrnoException.of(Errno.EPERM);
        }
        task.group().fs().setRoot(r.guestPath());
        return 0;
    }

    /** MAY_EXEC | MAY_CHDIR on the new working directory. */
    private static void checkSearch(Location loc) {
        if (!loc.fs().access(loc.fsPath(), X_OK)) {
            throw ErrnoException.of(Errno.EACCES);
        }
    }
}
