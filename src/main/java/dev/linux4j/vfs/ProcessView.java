package dev.linux4j.vfs;

import java.util.List;

/**
 * One guest process as procfs sees it: what {@code fs/proc/base.c} and {@code fs/proc/array.c}
 * read from a {@code task_struct}, its {@code mm_struct}, {@code files_struct} and
 * {@code cred}. The kernel implements it over its thread groups; every method returns a
 * snapshot, so a file generated from it is consistent within itself. A process that has gone
 * away answers with empty values rather than failing.
 */
public interface ProcessView {
    /** The thread group id (the process id). */
    int pid();

    int ppid();

    /** Process group and session ids. */
    int pgrp();

    int session();

    /** The controlling terminal (signal->tty), or null. */
    default JobControl.Terminal terminal() {
        return null;
    }

    /** Thread ids, ascending; the first is the thread-group leader. */
    int[] tids();

    /** The command name (at most 15 bytes, as TASK_COMM_LEN - 1). */
    String comm();

    /** The executable's guest path, or "" for none. */
    String exe();

    /** The working directory's guest path. */
    String cwd();

    /** The root directory's guest path ("/" unless the process called chroot(2)). */
    String root();

    /** Bytes of mm->arg_start..arg_end as get_mm_cmdline reads them (NUL-separated argv). */
    byte[] cmdline();

    /** Bytes of mm->env_start..env_end. */
    byte[] environ();

    /** The auxiliary vector (mm->saved_auxv), ending with the AT_NULL pair. */
    byte[] auxv();

    /** 'R' running, 'S' sleeping, 'Z' zombie... for the given thread. */
    char state(int tid);

    /** Real, effective, saved and file-system uid. */
    int[] uids();

    /** Real, effective, saved and file-system gid. */
    int[] gids();

    /** Supplementary groups. */
    int[] groups();

    int umask();

    /** Open descriptors, ascending. */
    List<OpenFile> files();

    /** One descriptor, or null if it is not open. */
    OpenFile file(int fd);

    /** The memory map in address order, as /proc/PID/maps lists it. */
    List<Mapping> maps();

    /** The mm_struct's layout fields. */
    Layout layout();

    /** {soft, hard} for an RLIMIT_* resource (RLIM_INFINITY is -1). */
    long[] rlimit(int resource);

    /** When the process started, in nanoseconds since the kernel booted. */
    long startNanos();

    /** Blocked signals of a thread (bit n-1 for signal n). */
    long blockedSignals(int tid);

    /** Signals whose disposition is SIG_IGN. */
    long ignoredSignals();

    /** Signals with a handler. */
    long caughtSignals();

    /**
     * {utime, stime, cutime, cstime} in nanoseconds, as do_task_stat reads them: the thread's own
     * utime and stime, or the whole process's for tid 0; cutime and cstime are the process's
     * reaped children's either way.
     */
    default long[] cpuTimes(int tid) {
        return new long[4];
    }

    /** The nice value of thread {@code tid} (task_nice), -20..19. */
    default int nice(int tid) {
        return 0;
    }

    /** The scheduling policy of thread {@code tid} (p->policy: SCHED_OTHER 0, SCHED_FIFO 1...). */
    default int schedPolicy(int tid) {
        return 0;
    }

    /** The real-time priority of thread {@code tid} (p->rt_priority), 0 under a fair policy. */
    default int rtPriority(int tid) {
        return 0;
    }

    /**
     * An open descriptor.
     *
     * @param fd the descriptor number
     * @param path the guest path it was opened by, or a pseudo name such as "pipe:[N]"
     * @param flags the file status flags and access mode (f_flags)
     * @param position the file offset
     * @param closeOnExec whether FD_CLOEXEC is set
     * @param location where it lives in the VFS, or null for anonymous files
     * @param description the open file description itself
     */
    record OpenFile(int fd, String path, int flags, long position, boolean closeOnExec, Location location,
            FileDescription description) {}

    /**
     * One mapping as show_map_vma prints it.
     *
     * @param start first byte
     * @param end one past the last byte
     * @param prot PROT_READ | PROT_WRITE | PROT_EXEC
     * @param shared MAP_SHARED (VM_MAYSHARE): 's' instead of 'p'
     * @param offset the file offset of {@code start} (0 for anonymous memory)
     * @param dev the mapped file's device (makedev encoding), 0 for anonymous memory
     * @param ino the mapped file's inode, 0 for anonymous memory
     * @param name a file path, "[heap]", "[stack]", or "" for anonymous memory
     * @param file whether it maps a file (the name is then a path)
     * @param stack a stack that grows down (VM_GROWSDOWN: counted as VmStk)
     * @param residentPages pages of it backed by memory (touched at least once)
     * @param locked locked by mlock(2) or mlockall(2) (VM_LOCKED: counted as VmLck)
     */
    record Mapping(long start, long end, int prot, boolean shared, long offset, long dev, long ino, String name,
            boolean file, boolean stack, long residentPages, boolean locked) {
        /** A mapping that is not locked. */
        public Mapping(long start, long end, int prot, boolean shared, long offset, long dev, long ino, String name,
                boolean file, boolean stack, long residentPages) {
            this(start, end, prot, shared, offset, dev, ino, name, file, stack, residentPages, false);
        }

        public long length() {
            return end - start;
        }
    }

    /**
     * The mm_struct fields /proc/PID/stat and statm show.
     *
     * @param startCode mm->start_code
     * @param endCode mm->end_code
     * @param startData mm->start_data
     * @param endData mm->end_data
     * @param startBrk mm->start_brk
     * @param brk mm->brk
     * @param startStack mm->start_stack
     * @param argStart mm->arg_start
     * @param argEnd mm->arg_end
     * @param envStart mm->env_start
     * @param envEnd mm->env_end
     */
    record Layout(long startCode, long endCode, long startData, long endData, long startBrk, long brk,
            long startStack, long argStart, long argEnd, long envStart, long envEnd) {
        public static final Layout EMPTY = new Layout(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
