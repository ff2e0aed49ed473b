package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.RawStrings;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Signal;
import dev.linux4j.kernel.Fork;
import dev.linux4j.kernel.ProcessTree;
import dev.linux4j.kernel.Task;
import dev.linux4j.kernel.ThreadGroup;
import dev.linux4j.loader.ExecException;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Vfs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Process creation, program execution, waiting, process groups and sessions, prctl:
 * kernel/fork.c, fs/exec.c, kernel/exit.c, kernel/sys.c.
 */
final class ProcessLifecycleSyscalls {
    private ProcessLifecycleSyscalls() {}

    /** MAX_ARG_STRLEN. */
    private static final int MAX_ARG_STRLEN = 32 * 4096;
    /** The total argv+envp size this kernel accepts (ARG_MAX for an 8 MiB stack). */
    private static final long ARG_MAX = 2L << 20;

    // ---------------------------------------------------------------- fork, vfork, clone

    /** fork(2): {@code pid_t fork(void)}. */
    static long fork(Task task, SyscallArgs args) {
        return Fork.clone(task, Signal.SIGCHLD, 0, 0, 0, 0);
    }

    /** vfork(2): the parent waits until the child execs or exits; here the child shares its memory. */
    static long vfork(Task task, SyscallArgs args) {
        return Fork.clone(task, Fork.CLONE_VM | Fork.CLONE_VFORK | Signal.SIGCHLD, 0, 0, 0, 0);
    }

    /**
     * clone(2), the x86-64 raw order: {@code long clone(unsigned long flags, void *stack, int
     * *parent_tid, int *child_tid, unsigned long tls)} — new processes only (no CLONE_THREAD).
     */
    static long clone(Task task, SyscallArgs args) {
        long flags = args.raw(0);
        long stack = args.pointer(1);
        long parentTid = args.pointer(2);
        long childTid = args.pointer(3);
        long tls = args.raw(4);
        return Fork.clone(task, flags, stack, parentTid, childTid, tls);
    }

    // ---------------------------------------------------------------- execve

    /** execve(2): {@code int execve(const char *pathname, char *const argv[], char *const envp[])}. */
    static long execve(Task task, SyscallArgs args) {
        long pathname = args.pointer(0);
        long argv = args.pointer(1);
        long envp = args.pointer(2);
        String path = new String(task.memory().readCString(pathname, 4095), StandardCharsets.UTF_8);
        return exec(task, path, argv, envp);
    }

    /**
     * execveat(2): {@code int execveat(int dirfd, const char *pathname, char *const argv[], char
     * *const envp[], int flags)} — AT_EMPTY_PATH runs the file open on dirfd.
     */
    static long execveat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        long pathname = args.pointer(1);
        long argv = args.pointer(2);
        long envp = args.pointer(3);
        int flags = args.int32(4);
        if ((flags & ~(Fcntl.AT_EMPTY_PATH | Fcntl.AT_SYMLINK_NOFOLLOW)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        String path = new String(task.memory().readCString(pathname, 4095), StandardCharsets.UTF_8);
        if (path.isEmpty()) {
            if ((flags & Fcntl.AT_EMPTY_PATH) == 0) {
                throw ErrnoException.of(Errno.ENOENT);
            }
            path = pathOf(task, task.files().get(dirfd));
        } else if (!path.startsWith("/") && dirfd != Fcntl.AT_FDCWD) {
            path = pathOf(task, task.files().get(dirfd)) + "/" + path;
        }
        return exec(task, path, argv, envp);
    }

    /** Where an open file is now, as the process (inside its chroot) names it. */
    private static String pathOf(Task task, FileDescription file) {
        Location where = Vfs.whereNow(file);
        return where == null ? file.path() : Vfs.pathFrom(task.group().fs().root(), where.guestPath(), false);
    }

    private static long exec(Task task, String path, long argvPtr, long envpPtr) {
        if (path.isEmpty()) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        long[] budget = {ARG_MAX};
        List<String> argv = strings(task.memory(), argvPtr, budget);
        List<String> envp = strings(task.memory(), envpPtr, budget);
        try {
            task.kernel().execve(task, path, argv, envp);
        } catch (ExecException e) {
            if (e.pastPointOfNoReturn()) {
                task.group().killBySignal(Signal.SIGSEGV);
                return 0;
            }
            throw ErrnoException.of(e.errno());
        }
        return 0;
    }

    /** A NULL-terminated array of C strings (a NULL array is empty); E2BIG past the budget. */
    private static List<String> strings(AddressSpace mem, long array, long[] budget) {
        List<String> out = new ArrayList<>();
        if (array == 0) {
            return out;
        }
        for (long p = array;; p += 8) {
            long s = mem.read64(p);
            if (s == 0) {
                return out;
            }
            byte[] b;
            try {
                b = mem.readCString(s, MAX_ARG_STRLEN);
            } catch (ErrnoException tooLong) {
                throw ErrnoException.of(Errno.E2BIG);
            }
            budget[0] -= b.length + 1 + 8;
            if (budget[0] < 0) {
                throw ErrnoException.of(Errno.E2BIG);
            }
            out.add(RawStrings.decode(b)); // the bytes as they are, valid UTF-8 or not
        }
    }

    // ---------------------------------------------------------------- wait

    /** wait4(2): {@code pid_t wait4(pid_t pid, int *wstatus, int options, struct rusage *rusage)}. */
    static long wait4(Task task, SyscallArgs args) {
        int pid = args.int32(0);
        long wstatus = args.pointer(1);
        int options = args.int32(2);
        long rusage = args.pointer(3);
        if ((options & ~(ProcessTree.WNOHANG | ProcessTree.WSTOPPED | ProcessTree.WCONTINUED | 0xe0000000)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (pid == Integer.MIN_VALUE) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        ThreadGroup self = task.group();
        int ownPgid = self.pgid();
        Predicate<ThreadGroup> select = pid > 0 ? c -> c.pid() == pid
                : pid == -1 ? c -> true
                : pid == 0 ? c -> c.pgid() == ownPgid
                : c -> c.pgid() == -pid;
        // a traced thread is chosen by its own id, or as its process would be
        Predicate<Task> selectTracee = pid > 0 ? t -> t.tid() == pid : t -> select.test(t.group());
        ProcessTree.Reaped r = task.kernel().tree().waitFor(self, select, selectTracee, options | ProcessTree.WEXITED);
        if (r == null) {
            return 0;
        }
        if (wstatus != 0) {
            task.memory().write32(wstatus, r.waitStatus());
        }
        if (rusage != 0) {
            RusageSyscalls.writeRusage(task, rusage, r.usage()); // getrusage(child, RUSAGE_BOTH)
        }
        return r.pid();
    }

    /** waitid(2): {@code int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options, struct rusage *ru)}. */
    static long waitid(Task task, SyscallArgs args) {
        int idtype = args.int32(0);
        int id = args.int32(1);
        long infop = args.pointer(2);
        int options = args.int32(3);
        long rusage = args.pointer(4);
        int known = ProcessTree.WNOHANG | ProcessTree.WSTOPPED | ProcessTree.WEXITED | ProcessTree.WCONTINUED
                | ProcessTree.WNOWAIT | 0xe0000000;
        if ((options & ~known) != 0
                || (options & (ProcessTree.WEXITED | ProcessTree.WSTOPPED | ProcessTree.WCONTINUED)) == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        ThreadGroup self = task.group();
        Predicate<ThreadGroup> select = switch (idtype) {
            case 0 -> c -> true; // P_ALL
            case 1 -> { // P_PID
                if (id <= 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                yield c -> c.pid() == id;
            }
            case 2 -> { // P_PGID
                if (id < 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                int pgid = id == 0 ? self.pgid() : id;
                yield c -> c.pgid() == pgid;
            }
            case 3 -> { // P_PIDFD: the process a pidfd refers to
                ThreadGroup target = PidFd.of(FdSyscalls.fdget(task, id));
                yield c -> c == target;
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
        // a traced thread is chosen by its own id, or as its process would be (not by pidfd)
        Predicate<Task> selectTracee = idtype == 1 ? t -> t.tid() == id
                : idtype == 3 ? t -> false
                : t -> select.test(t.group());
        ProcessTree.Reaped r = task.kernel().tree().waitFor(self, select, selectTracee, options);
        if (infop != 0) {
            ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
            if (r != null) {
                b.putInt(0, Signal.SIGCHLD);
                b.putInt(8, r.code());
                b.putInt(16, r.pid());
                b.putInt(20, r.uid());
                b.putInt(24, r.status());
            }
            task.memory().write(infop, b.array());
        }
        if (rusage != 0 && r != null) {
            RusageSyscalls.writeRusage(task, rusage, r.usage()); // untouched when nothing was reported
        }
        return 0;
    }

    // ---------------------------------------------------------------- process groups and sessions

    /** setpgid(2). */
    static long setpgid(Task task, SyscallArgs args) {
        task.kernel().tree().setpgid(task.group(), args.int32(0), args.int32(1));
        return 0;
    }

    /** getpgid(2). */
    static long getpgid(Task task, SyscallArgs args) {
        return lookup(task, args.int32(0)).pgid();
    }

    /** getpgrp(2). */
    static long getpgrp(Task task, SyscallArgs args) {
        return task.group().pgid();
    }

    /** setsid(2). */
    static long setsid(Task task, SyscallArgs args) {
        return task.kernel().tree().setsid(task.group());
    }

    /** getsid(2). */
    static long getsid(Task task, SyscallArgs args) {
        return lookup(task, args.int32(0)).sid();
    }

    private static ThreadGroup lookup(Task task, int pid) {
        if (pid == 0) {
            return task.group();
        }
        ThreadGroup g = pid < 0 ? null : task.kernel().tree().find(pid);
        if (g == null) {
            throw ErrnoException.of(Errno.ESRCH);
        }
        return g;
    }

    // ---------------------------------------------------------------- prctl

    private static final int PR_SET_PDEATHSIG = 1;
    private static final int PR_GET_PDEATHSIG = 2;
    private static final int PR_GET_DUMPABLE = 3;
    private static final int PR_SET_DUMPABLE = 4;
    private static final int PR_SET_NAME = 15;
    private static final int PR_GET_NAME = 16;
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int PR_GET_CHILD_SUBREAPER = 37;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_GET_NO_NEW_PRIVS = 39;

    /** prctl(2): {@code int prctl(int option, unsigned long arg2, arg3, arg4, arg5)}. */
    static long prctl(Task task, SyscallArgs args) {
        int option = args.int32(0);
        long arg2 = args.raw(1);
        ThreadGroup g = task.group();
        ProcessTree tree = task.kernel().tree();
        switch (option) {
            case PR_SET_PDEATHSIG -> {
                if (arg2 < 0 || arg2 > Signal.NSIG) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                tree.setParentDeathSignal(g, (int) arg2);
            }
            case PR_GET_PDEATHSIG -> task.memory().write32(arg2, tree.parentDeathSignal(g));
            case PR_GET_DUMPABLE -> {
                return 1;
            }
            case PR_SET_DUMPABLE -> {
                if (arg2 != 0 && arg2 != 1) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
            }
            case PR_SET_NAME -> {
                byte[] name = new byte[16];
                for (int i = 0; i < 15; i++) {
                    byte c = (byte) task.memory().read(arg2 + i, 1)[0];
                    if (c == 0) {
                        break;
                    }
                    name[i] = c;
                }
                int len = 0;
                while (len < 15 && name[len] != 0) {
                    len++;
                }
                g.setComm(new String(name, 0, len, StandardCharsets.UTF_8));
            }
            case PR_GET_NAME -> {
                byte[] name = new byte[16];
                byte[] comm = g.comm().getBytes(StandardCharsets.UTF_8);
                System.arraycopy(comm, 0, name, 0, Math.min(comm.length, 15));
                task.memory().write(arg2, name);
            }
            case PR_SET_CHILD_SUBREAPER -> tree.setChildSubreaper(g, arg2 != 0);
            case PR_GET_CHILD_SUBREAPER -> task.memory().write32(arg2, tree.childSubreaper(g) ? 1 : 0);
            case PR_SET_NO_NEW_PRIVS -> {
                if (arg2 != 1) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
            }
            case PR_GET_NO_NEW_PRIVS -> {
                return 0;
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
        return 0;
    }
}
