package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.*;
import static dev.linux4j.abi.Ioctls.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Flock;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.fs.memfd.MemfdFile;
import dev.linux4j.fs.tty.PtyMaster;
import dev.linux4j.kernel.FdTable;
import dev.linux4j.kernel.Task;
import dev.linux4j.kernel.ThreadGroup;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.Vma;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileMapping;
import dev.linux4j.vfs.FileOps;

/**
 * Calls on a descriptor itself: dup, dup2, dup3 (fs/file.c), fcntl (fs/fcntl.c), ioctl
 * (fs/ioctl.c), fsync and fdatasync (fs/sync.c).
 */
final class FdSyscalls {
    private FdSyscalls() {}

    /**
     * fdget: the description behind {@code fd} for calls that need a real open file. EBADF for
     * a closed descriptor and for an O_PATH one (FMODE_PATH files are invisible to fdget).
     */
    static FileDescription fdget(Task task, int fd) {
        FileDescription file = task.files().get(fd);
        if (file.isPath()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        return file;
    }

    // ---------------------------------------------------------------- dup

    /** dup(2): {@code int dup(int oldfd)}. */
    static long dup(Task task, SyscallArgs args) {
        int oldfd = args.int32(0);
        FileDescription file = task.files().get(oldfd);
        return installCopy(task.files(), file, false, 0);
    }

    /** dup2(2): {@code int dup2(int oldfd, int newfd)}; onto itself it only checks that oldfd is open. */
    static long dup2(Task task, SyscallArgs args) {
        int oldfd = args.int32(0);
        int newfd = args.int32(1);
        if (oldfd == newfd) {
            task.files().get(oldfd);
            return newfd;
        }
        return dup3(task, oldfd, newfd, 0);
    }

    /** dup3(2): {@code int dup3(int oldfd, int newfd, int flags)}; EINVAL for the same fd or flags other than O_CLOEXEC. */
    static long dup3(Task task, SyscallArgs args) {
        int oldfd = args.int32(0);
        int newfd = args.int32(1);
        int flags = args.int32(2);
        if ((flags & ~O_CLOEXEC) != 0 || oldfd == newfd) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return dup3(task, oldfd, newfd, flags);
    }

    /** ksys_dup3: newfd is unsigned, so a negative one is past the limit (EBADF). */
    private static long dup3(Task task, int oldfd, int newfd, int flags) {
        FdTable files = task.files();
        if (newfd < 0 || newfd >= files.limit()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        FileDescription file = files.get(oldfd);
        file.retain();
        try {
            files.installAt(newfd, file, (flags & O_CLOEXEC) != 0);
        } catch (ErrnoException e) {
            file.release();
            throw e;
        }
        return newfd;
    }

    /** Installs a new open file at the lowest free descriptor; it is released when that fails (EMFILE). */
    static int install(Task task, FileDescription file, boolean cloexec) {
        try {
            return task.files().install(file, cloexec);
        } catch (ErrnoException e) {
            file.release();
            throw e;
        }
    }

    /**
     * Installs the two ends of a new pair (pipe2, socketpair) and stores their descriptors at
     * {@code fds} (two ints); when any step fails (EMFILE, EFAULT) neither stays open.
     */
    static void installPair(Task task, FileDescription[] ends, boolean cloexec, long fds) {
        FdTable files = task.files();
        int first;
        try {
            first = files.install(ends[0], cloexec);
        } catch (ErrnoException e) {
            ends[0].release();
            ends[1].release();
            throw e;
        }
        int second;
        try {
            second = files.install(ends[1], cloexec);
        } catch (ErrnoException e) {
            files.close(first);
            ends[1].release();
            throw e;
        }
        try {
            task.memory().write32(fds, first);
            task.memory().write32(fds + 4, second);
        } catch (RuntimeException e) {
            files.close(first);
            files.close(second);
            throw e;
        }
    }

    /** Installs another reference to {@code file} at the lowest free descriptor >= {@code min}. */
    private static int installCopy(FdTable files, FileDescription file, boolean cloexec, int min) {
        file.retain();
        try {
            return files.install(file, cloexec, min);
        } catch (ErrnoException e) {
            file.release();
            throw e;
        }
    }

    // ---------------------------------------------------------------- fcntl

    /**
     * fcntl(2): {@code int fcntl(int fd, int cmd, ... /* arg *&#47;)}. F_DUPFD, F_DUPFD_CLOEXEC,
     * F_GETFD, F_SETFD, F_GETFL, F_SETFL; record locks and OFD locks ({@link LockSyscalls});
     * F_GETOWN/F_GETSIG report 0 and F_SETOWN/F_SETSIG are accepted without effect; F_ADD_SEALS
     * and F_GET_SEALS on a memfd.
     */
    static long fcntl(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        int cmd = args.int32(1);
        long arg = args.raw(2);
        FileDescription file = task.files().get(fd);
        if (file.isPath() && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD && cmd != F_SETFD
                && cmd != F_GETFL) {
            throw ErrnoException.of(Errno.EBADF); // check_fcntl_cmd
        }
        return switch (cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                int from = (int) arg;
                if (from < 0 || from >= task.files().limit()) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                yield installCopy(task.files(), file, cmd == F_DUPFD_CLOEXEC, from);
            }
            case F_GETFD -> task.files().closeOnExec(fd) ? FD_CLOEXEC : 0;
            case F_SETFD -> {
                task.files().setCloseOnExec(fd, (arg & FD_CLOEXEC) != 0);
                yield 0;
            }
            case F_GETFL -> file.flags();
            case F_SETFL -> {
                file.setStatusFlags((int) arg);
                yield 0;
            }
            case F_GETLK, F_OFD_GETLK -> LockSyscalls.getlk(task, file, cmd, arg);
            case F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW -> LockSyscalls.setlk(task, fd, file, cmd, arg);
            case F_GETOWN, F_GETSIG -> 0;
            case F_SETOWN -> 0;
            case F_GETOWN_EX -> {
                task.memory().write(arg, new byte[8]); // {F_OWNER_TID, 0}: no owner
                yield 0;
            }
            case F_SETOWN_EX -> {
                int type = task.memory().read32(arg);
                if (type != F_OWNER_TID && type != F_OWNER_PID && type != F_OWNER_PGRP) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                yield 0;
            }
            case F_SETSIG -> {
                if (arg < 0 || arg > 64) {
                    throw ErrnoException.of(Errno.EINVAL); // beyond _NSIG
                }
                yield 0;
            }
            case F_GETLEASE -> Flock.F_UNLCK;
            case F_GETPIPE_SZ -> pipeEnd(file).pipeSize();
            case F_SETPIPE_SZ -> pipeEnd(file).setPipeSize(arg);
            case F_ADD_SEALS -> addSeals(task, file, (int) arg);
            case F_GET_SEALS -> memfd(file).seals();
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
    }

    // ---------------------------------------------------------------- ioctl

    /**
     * ioctl(2): {@code int ioctl(int fd, unsigned long request, ...)}. The generic requests of
     * do_vfs_ioctl (FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE, FIONREAD on a regular file)
     * are answered here; the rest go to the file (terminal requests on a host terminal), and
     * anything a file does not know is ENOTTY.
     */
    static long ioctl(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        int cmd = args.int32(1);
        long arg = args.raw(2);
        FileDescription file = fdget(task, fd);
        AddressSpace mem = task.memory();
        switch (cmd) {
            case FIOCLEX, FIONCLEX -> {
                task.files().setCloseOnExec(fd, cmd == FIOCLEX);
                return 0;
            }
            case FIONBIO -> {
                int on = mem.read32(arg);
                int flags = file.flags();
                file.setStatusFlags(on != 0 ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
                return 0;
            }
            case FIOASYNC -> {
                int on = mem.read32(arg);
                if ((on != 0) != ((file.flags() & FASYNC) != 0)) {
                    throw ErrnoException.of(Errno.ENOTTY); // no file here has ->fasync (SIGIO) yet
                }
                return 0;
            }
            case FIOQSIZE -> {
                StatBuf st = file.ops().stat(file);
                int type = st.mode() & Stat.S_IFMT;
                if (type != Stat.S_IFDIR && type != Stat.S_IFREG && type != Stat.S_IFLNK) {
                    break;
                }
                mem.write64(arg, st.blocks() * 512);
                return 0;
            }
            case FIONREAD -> {
                FileOps ops = file.ops();
                if (ops.seekable() && Stat.isReg(ops.stat(file).mode())) {
                    mem.write32(arg, (int) (ops.size(file) - file.position()));
                    return 0;
                }
            }
            case TIOCGPTPEER -> {
                if (file.ops() instanceof PtyMaster master) {
                    // ptm_open_peer: the slave opened with the flags in arg, on a new descriptor
                    int flags = (int) arg;
                    FileDescription peer = master.openPeer(flags);
                    return install(task, peer, (flags & O_CLOEXEC) != 0);
                }
            }
            default -> { }
        }
        return file.ops().ioctl(file, cmd, arg, new GuestMemory(mem));
    }

    /** Guest memory as an ioctl sees it (copy_from_user / copy_to_user). */
    private record GuestMemory(AddressSpace mem) implements FileOps.IoctlContext {
        @Override
        public byte[] read(long addr, int len) {
            return mem.read(addr, len);
        }

        @Override
        public void write(long addr, byte[] data) {
            mem.write(addr, data);
        }
    }

    // ---------------------------------------------------------------- fsync

    /** fsync(2): {@code int fsync(int fd)}; EINVAL for files that cannot be synced (pipes, terminals). */
    static long fsync(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        FileDescription file = fdget(task, fd);
        file.ops().fsync(file);
        return 0;
    }

    /** fdatasync(2): {@code int fdatasync(int fd)}; the same as fsync here. */
    static long fdatasync(Task task, SyscallArgs args) {
        return fsync(task, args);
    }

    /** F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC. */
    private static final int F_ALL_SEALS = 0x3f;

    /**
     * fcntl F_ADD_SEALS (memfd_add_seals): EPERM for a descriptor not open for writing, EINVAL
     * for unknown seals and for a file that is not a memfd, then the file's own checks: EPERM
     * once sealed with F_SEAL_SEAL, EBUSY for F_SEAL_WRITE while a shared mapping that may
     * write (VM_SHARED with VM_MAYWRITE) exists in any process.
     */
    private static long addSeals(Task task, FileDescription file, int seals) {
        if (!file.writable()) {
            throw ErrnoException.of(Errno.EPERM);
        }
        if ((seals & ~F_ALL_SEALS) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        MemfdFile memfd = memfd(file);
        FileMapping.Key key = FileMapping.keyOf(file);
        memfd.addSeals(seals, () -> writablyMapped(task, key));
        return 0;
    }

    /** mapping_writably_mapped: some process maps the file shared from a descriptor open for writing. */
    private static boolean writablyMapped(Task task, FileMapping.Key key) {
        for (ThreadGroup g : task.kernel().tree().all()) {
            AddressSpace space = g.space();
            if (space == null) {
                continue;
            }
            for (Vma v : space.vmas()) {
                if (v.sharedFile() && v.file().writable() && key.equals(v.file().identity())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The memfd behind a descriptor, for the sealing commands; EINVAL for any other file. */
    private static MemfdFile memfd(FileDescription file) {
        if (file.ops() instanceof MemfdFile memfd) {
            return memfd;
        }
        throw ErrnoException.of(Errno.EINVAL);
    }

    /** The pipe behind a descriptor, for F_GETPIPE_SZ/F_SETPIPE_SZ; EBADF-like EINVAL otherwise, as Linux. */
    private static dev.linux4j.fs.pipe.PipeEnd pipeEnd(FileDescription file) {
        if (file.ops() instanceof dev.linux4j.fs.pipe.PipeEnd end) {
            return end;
        }
        throw ErrnoException.of(Errno.EINVAL);
    }

    /**
     * close_range(2): {@code int close_range(unsigned int first, unsigned int last, unsigned int
     * flags)}. Linux's order (fs/file.c): EINVAL for flags other than CLOSE_RANGE_UNSHARE and
     * CLOSE_RANGE_CLOEXEC, then for first &gt; last; a range past the table (last up to ~0U) is
     * cut at its end. With CLOSE_RANGE_CLOEXEC the descriptors stay open, marked close-on-exec.
     * CLOSE_RANGE_UNSHARE first gives the caller a table of its own: here a table is only ever
     * shared by the threads of one process, and unsharing it between them is not modelled, so
     * the flag is accepted and the process's table used.
     */
    static long closeRange(Task task, SyscallArgs args) {
        long first = args.raw(0) & 0xffff_ffffL;
        long last = args.raw(1) & 0xffff_ffffL;
        int flags = args.int32(2);
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0 || first > last) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (first > Integer.MAX_VALUE) {
            return 0; // past any table
        }
        int from = (int) first;
        int to = (int) Math.min(last, Integer.MAX_VALUE);
        if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
            task.files().setCloseOnExecRange(from, to);
        } else {
            task.files().closeRange(from, to);
        }
        return 0;
    }
}
