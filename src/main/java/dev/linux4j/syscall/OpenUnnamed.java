package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.fs.memfd.MemfdFile;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Vfs;

/**
 * open(2) of files that have no name: O_TMPFILE (fs/namei.c {@code do_tmpfile}), and opening a
 * /proc/PID/fd/N link that leads to an open file without a path — a pipe, stdio the JVM
 * inherited, an unlinked or O_TMPFILE file — which opens that same file again (do_open on the
 * inode the magic link jumped to).
 */
final class OpenUnnamed {
    private OpenUnnamed() {}

    /** O_TMPFILE_MASK in fs/open.c: O_TMPFILE must come with O_DIRECTORY and without O_CREAT. */
    private static final int O_TMPFILE_MASK = __O_TMPFILE | O_DIRECTORY | O_CREAT;

    /**
     * build_open_flags' checks for O_TMPFILE: EINVAL unless exactly O_TMPFILE's bits are given
     * and the file is opened for writing.
     */
    static void checkTmpfileFlags(int flags) {
        if ((flags & O_TMPFILE_MASK) != O_TMPFILE || (flags & O_ACCMODE) == O_RDONLY) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /**
     * do_tmpfile: the directory must exist (ENOENT, ENOTDIR), its mount be writable (EROFS), the
     * caller may write and search it (EACCES), and its file system make unnamed files
     * (EOPNOTSUPP). /proc/self/fd shows the file as "DIR/#INODE (deleted)", as Linux names it.
     */
    static long tmpfile(Task task, int dirfd, String path, int flags, int mode) {
        Vfs.Resolved dir = PathArgs.resolve(task, dirfd, path, Vfs.FOLLOW, false);
        if (!Stat.isDir(dir.stat().mode()) || dir.location() == null) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        Location loc = dir.location();
        if (loc.mount().readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        if (!loc.fs().access(loc.fsPath(), W_OK | X_OK)) {
            throw ErrnoException.of(Errno.EACCES);
        }
        int createMode = mode & ~task.group().umask() & 07777;
        FileOps ops = loc.fs().openTmpfile(loc.fsPath(), flags, createMode);
        FileDescription probe = new FileDescription(ops, flags, loc.guestPath(), loc);
        String name;
        try {
            name = "#" + ops.stat(probe).ino();
        } catch (ErrnoException e) {
            ops.release(probe);
            throw e;
        }
        String guestPath = loc.guestPath().equals("/") ? "/" + name : loc.guestPath() + "/" + name;
        Location where = task.kernel().vfs().locate(guestPath);
        FileDescription file = new FileDescription(ops, flags | O_LARGEFILE, guestPath, where);
        return install(task, file, flags);
    }

    /**
     * Opens the file a /proc/PID/fd/N link led to: EEXIST with O_CREAT|O_EXCL, ENOTDIR with
     * O_DIRECTORY, then the permission the mode bits give (the file may have no path to ask
     * about), then a new open file description of the same file — or of its path, for O_PATH.
     */
    static long reopen(Task task, FileDescription target, StatBuf st, int flags) {
        if ((flags & O_CREAT) != 0 && (flags & O_EXCL) != 0) {
            throw ErrnoException.of(Errno.EEXIST);
        }
        if ((flags & O_DIRECTORY) != 0 && !Stat.isDir(st.mode())) {
            throw ErrnoException.of(Errno.ENOTDIR);
        }
        FileOps ops;
        if ((flags & O_PATH) != 0) {
            ops = new PathOfOpenFile(target);
        } else {
            int acc = flags & O_ACCMODE;
            int want = acc == O_RDONLY ? R_OK : acc == O_WRONLY ? W_OK : R_OK | W_OK;
            if ((flags & O_TRUNC) != 0) {
                want |= W_OK;
            }
            if (!AttrSyscalls.permittedByMode(st, want, task.group().credentials())) {
                throw ErrnoException.of(Errno.EACCES);
            }
            ops = target.ops().reopen(target, flags);
        }
        int fileFlags = (flags & O_PATH) != 0 ? flags : flags | O_LARGEFILE;
        FileDescription file = new FileDescription(ops, fileFlags, target.path(), target.location());
        return install(task, file, flags);
    }

    private static long install(Task task, FileDescription file, int flags) {
        return FdSyscalls.install(task, file, (flags & O_CLOEXEC) != 0);
    }

    /** An O_PATH descriptor of an open file with no path: fstat and *at(AT_EMPTY_PATH) see that file. */
    private static final class PathOfOpenFile implements FileOps {
        private final FileDescription target;

        PathOfOpenFile(FileDescription target) {
            this.target = target;
            target.retain();
        }

        @Override
        public int read(FileDescription file, byte[] buf, int off, int len, long position) {
            throw ErrnoException.of(Errno.EBADF);
        }

        @Override
        public int write(FileDescription file, byte[] buf, int off, int len, long position) {
            throw ErrnoException.of(Errno.EBADF);
        }

        @Override
        public StatBuf stat(FileDescription file) {
            return target.ops().stat(target);
        }

        @Override
        public String pathNow(FileDescription file) {
            return target.ops().pathNow(target);
        }

        @Override
        public String dname(FileDescription file) {
            return target.ops().dname(target);
        }

        @Override
        public FileOps reopen(FileDescription file, int flags) {
            return target.ops().reopen(target, flags);
        }

        @Override
        public boolean linkInto(FileDescription file, String newPath) {
            return target.ops().linkInto(target, newPath);
        }

        @Override
        public void release(FileDescription file) {
            target.release();
        }
    }

    /** MFD_NAME_MAX_LEN: NAME_MAX less the "memfd:" prefix. */
    private static final int MFD_NAME_MAX_LEN = NAME_MAX - 6;
    /** MFD_HUGE_MASK &lt;&lt; MFD_HUGE_SHIFT: the huge page size MFD_HUGETLB may name. */
    private static final int MFD_HUGE_SIZE_BITS = 0x3f << 26;
    private static final int MFD_ALL_FLAGS = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC;

    /**
     * memfd_create(2): {@code int memfd_create(const char *name, unsigned int flags)}. Linux's
     * order (mm/memfd.c): EINVAL for unknown flags (a huge page size is allowed with
     * MFD_HUGETLB) and for MFD_EXEC with MFD_NOEXEC_SEAL, then EFAULT for a bad name and EINVAL
     * for one longer than 249 bytes. The file is a read-write regular file of mode 0777 (0666
     * and sealed F_SEAL_EXEC with MFD_NOEXEC_SEAL), sealed F_SEAL_SEAL unless MFD_ALLOW_SEALING
     * or MFD_NOEXEC_SEAL; vm.memfd_noexec is taken as 0, so neither flag means MFD_EXEC.
     * MFD_HUGETLB makes an ordinary memfd: its pages are not huge.
     */
    static long memfdCreate(Task task, SyscallArgs args) {
        long namePtr = args.pointer(0);
        int flags = args.int32(1);
        int allowed = (flags & MFD_HUGETLB) != 0 ? MFD_ALL_FLAGS | MFD_HUGE_SIZE_BITS : MFD_ALL_FLAGS;
        if ((flags & ~allowed) != 0 || (flags & (MFD_EXEC | MFD_NOEXEC_SEAL)) == (MFD_EXEC | MFD_NOEXEC_SEAL)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (namePtr == 0) {
            throw ErrnoException.of(Errno.EFAULT);
        }
        byte[] name;
        try {
            name = task.memory().readCString(namePtr, MFD_NAME_MAX_LEN);
        } catch (ErrnoException e) {
            throw e.errno() == Errno.ENAMETOOLONG ? ErrnoException.of(Errno.EINVAL) : e;
        }
        int mode = 0777;
        int seals = F_SEAL_SEAL;
        if ((flags & MFD_NOEXEC_SEAL) != 0) {
            mode &= ~0111;
            seals = F_SEAL_EXEC;
        } else if ((flags & MFD_ALLOW_SEALING) != 0) {
            seals = 0;
        }
        var cred = task.group().credentials();
        String text = new String(name, java.nio.charset.StandardCharsets.UTF_8);
        MemfdFile ops = MemfdFile.create(text, mode, cred.fsuid(), cred.fsgid(), seals);
        int fileFlags = O_RDWR | O_LARGEFILE;
        FileDescription file = new FileDescription(ops, fileFlags, "/memfd:" + text + " (deleted)", null);
        return install(task, file, (flags & MFD_CLOEXEC) != 0 ? O_CLOEXEC : 0);
    }
}
