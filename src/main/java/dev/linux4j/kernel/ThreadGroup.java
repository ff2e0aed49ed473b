package dev.linux4j.kernel;

import dev.linux4j.abi.Signal;
import dev.linux4j.cpu.CodeCache;
import dev.linux4j.cpu.Instructions;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.vfs.FsContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A process: Linux's thread group. Owns the address space, file descriptors, working
 * directory, umask, signal dispositions and limits its tasks share.
 *
 * <p>Locking: {@code this} guards the mutable fields below unless a field says otherwise.
 */
public final class ThreadGroup {
    private final Kernel kernel;
    private final int pid;
    private final FdTable files;
    private final SignalActions signalActions = new SignalActions();
    private final List<Task> tasks = new ArrayList<>();
    private AddressSpace space;
    private CodeCache codeCache;
    /** Root, working directory and umask: shared with CLONE_FS relatives (see {@link #shareFs}). */
    private FsContext fs;
    private Credentials credentials;
    private String comm = "";
    private String exePath = "";
    private List<String> argv = List.of();
    private List<String> envp = List.of();
    private long auxvAddress;
    private int auxvLength;
    private volatile ExitStatus exitStatus;
    private final long[][] rlimits = Rlimits.initial();

    // Signal state (see Signals): guarded by siglock.
    final Object siglock = new Object();
    final SigPending shared = new SigPending();
    boolean stopped;
    int stopSignal;
    final IntervalTimer realTimer = new IntervalTimer(this);
    /** timer_create's timers, made on first use. Guarded by {@code this}. */
    private PosixTimers posixTimers;
    /** CPU time, children's time, peak RSS and the CPU interval timers (signal_struct's share). */
    private final ProcessCputime cputime = new ProcessCputime(this);

    public ProcessCputime cputime() {
        return cputime;
    }

    // Process tree state (see ProcessTree): guarded by kernel.tree().
    ThreadGroup parent;
    final List<ThreadGroup> children = new ArrayList<>();
    /** Threads of other processes that this one's threads trace ({@link Ptrace}); under the tree's monitor. */
    final List<Task> tracees = new ArrayList<>();
    int pgid;
    int sid;
    /** The controlling terminal (signal->tty): inherited by fork, dropped by setsid. */
    dev.linux4j.vfs.JobControl.Terminal tty;
    volatile boolean zombie;
    /**
     * The process linux4j started: its parent is the host's process that started linux4j, which
     * is in the session the guest starts in but in none of the guest's process groups.
     */
    boolean hostParent;
    int stopReport;
    boolean continuedReport;
    int exitSignal = Signal.SIGCHLD;
    int pdeathSignal;
    boolean childSubreaper;
    /** False for a CLONE_VM child: the address space belongs to its parent (vfork). */
    volatile boolean ownsSpace = true;
    /** Counted down when a vfork child execs or exits: its parent resumes. */
    volatile java.util.concurrent.CountDownLatch vforkDone;

    ThreadGroup(Kernel kernel, int pid, ThreadGroup parent, FdTable files, String cwd, int umask,
            Credentials credentials) {
        this.kernel = kernel;
        this.pid = pid;
        this.parent = parent;
        this.files = files;
        this.fs = new FsContext("/", cwd, umask);
        this.credentials = credentials;
        kernel.procs().register(this);
        kernel.tree().add(this, parent);
        cputime.cpuLimitChanged(); // the host's RLIMIT_CPU, for the first process
    }

    public Kernel kernel() {
        return kernel;
    }

    public int pid() {
        return pid;
    }

    public int ppid() {
        return kernel.tree().ppid(this);
    }

    /** The process group id. */
    public int pgid() {
        return kernel.tree().pgid(this);
    }

    /** The session id. */
    public int sid() {
        return kernel.tree().sid(this);
    }

    public FdTable files() {
        return files;
    }

    /** The process's POSIX timers (made at the first timer_create). */
    public synchronized PosixTimers posixTimers() {
        if (posixTimers == null) {
            posixTimers = new PosixTimers(this);
        }
        return posixTimers;
    }

    /** exit_itimers: the POSIX timers end (execve, exit). */
    void deletePosixTimers() {
        PosixTimers timers;
        synchronized (this) {
            timers = posixTimers;
        }
        if (timers != null) {
            timers.deleteAll();
        }
    }

    public SignalActions signalActions() {
        return signalActions;
    }

    public synchronized AddressSpace space() {
        return space;
    }

    public synchronized CodeCache codeCache() {
        return codeCache;
    }

    /**
     * fork: takes the parent's image facts, limits, dispositions and identity; the address
     * space (a copy, or the parent's own for CLONE_VM) and its code cache are given.
     */
    void inheritFrom(ThreadGroup p, AddressSpace newSpace, CodeCache cache, boolean owns) {
        synchronized (p) {
            synchronized (this) {
                space = newSpace;
                codeCache = cache;
                ownsSpace = owns;
                comm = p.comm;
                exePath = p.exePath;
                argv = p.argv;
                envp = p.envp;
                auxvAddress = p.auxvAddress;
                auxvLength = p.auxvLength;
                for (int i = 0; i < rlimits.length; i++) {
                    rlimits[i] = p.rlimits[i].clone();
                }
            }
        }
        signalActions.copyFrom(p.signalActions);
        cputime.cpuLimitChanged(); // RLIMIT_CPU is inherited
    }

    /** Replaces the address space (execve). The old one's frames go back to the pool. */
    synchronized void replaceImage(AddressSpace newSpace) {
        cputime.noteRss(space); // exec_mmap: the old image's peak stays in signal->maxrss
        AddressSpace old = ownsSpace ? space : null;
        ownsSpace = true;
        space = newSpace;
        codeCache = new CodeCache(newSpace, Instructions.decoder());
        codeCache.setCompiler(kernel.config().compiler(), kernel.config().compileThreshold());
        if (old != null) {
            old.destroy();
        }
    }

    /** The file-system context (fs_struct): root, working directory, umask. */
    public synchronized FsContext fs() {
        return fs;
    }

    /** fork: the child's fs_struct is the parent's own with CLONE_FS, else a copy of it. */
    synchronized void shareFs(FsContext context) {
        this.fs = context;
    }

    public String cwd() {
        return fs().cwd();
    }

    public void setCwd(String cwd) {
        fs().setCwd(cwd);
    }

    public int umask() {
        return fs().umask();
    }

    /** umask(2): sets the mask, returns the old one. */
    public int setUmask(int mask) {
        return fs().setUmask(mask);
    }

    public synchronized Credentials credentials() {
        return credentials;
    }

    /** Replaces the identity (setuid(2) and friends; commit_creds in Linux). */
    public synchronized void setCredentials(Credentials credentials) {
        this.credentials = credentials;
    }

    public synchronized String comm() {
        return comm;
    }

    public synchronized void setComm(String comm) {
        byte[] b = comm.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.comm = b.length <= 15 ? comm : new String(b, 0, 15, java.nio.charset.StandardCharsets.UTF_8);
    }

    public synchronized String exePath() {
        return exePath;
    }

    synchronized void setImage(String exePath, List<String> argv, List<String> envp, long auxvAddress, int auxvLength) {
        this.exePath = exePath;
        this.argv = List.copyOf(argv);
        this.envp = List.copyOf(envp);
        this.auxvAddress = auxvAddress;
        this.auxvLength = auxvLength;
    }

    public synchronized List<String> argv() {
        return argv;
    }

    public synchronized List<String> envp() {
        return envp;
    }

    public synchronized long auxvAddress() {
        return auxvAddress;
    }

    public synchronized int auxvLength() {
        return auxvLength;
    }

    /** {soft, hard} for a resource (RLIMIT_*). */
    public synchronized long[] rlimit(int resource) {
        return rlimits[resource].clone();
    }

    /** The soft limit of a resource (RLIMIT_*), RLIM_INFINITY (-1) for none: rlimit(2)'s current value. */
    public synchronized long softLimit(int resource) {
        return rlimits[resource][0];
    }

    /** The soft limit alone, as the kernel moves RLIMIT_CPU's on after each SIGXCPU ({@link CpuLimit}). */
    synchronized void setSoftLimitQuietly(int resource, long soft) {
        rlimits[resource] = new long[] {soft, rlimits[resource][1]};
    }

    public synchronized void setRlimit(int resource, long soft, long hard) {
        rlimits[resource] = new long[] {soft, hard};
        if (resource == dev.linux4j.abi.Resource.RLIMIT_CPU) {
            cputime.cpuLimitChanged();
        }
        if (resource == Rlimits.RLIMIT_NOFILE) {
            files.setLimit((int) Math.min(soft, Integer.MAX_VALUE));
        }
    }

    synchronized void addTask(Task task) {
        tasks.add(task);
    }

    /** A task stopped running; the last one releases the process (it becomes a zombie). */
    void taskExited(Task task) {
        boolean last;
        synchronized (this) {
            last = tasks.remove(task) && tasks.isEmpty();
            notifyAll(); // de_thread and the first process's runner wait for tasks to go
        }
        if (last) {
            if (exitStatus == null) {
                // Every thread called exit(2): the process reports its leader's code (wait_task_zombie).
                exit(ExitStatus.exited(task.tid() == pid ? task.exitCode : leaderExitCode));
            }
            releaseResources();
        }
    }

    /** The exit(2) code of a leader that ended before its other threads. */
    volatile int leaderExitCode;

    /** Waits until at most {@code max} tasks remain, or {@code millis} pass; true if they did. */
    synchronized boolean awaitTasks(int max, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (tasks.size() > max) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    public synchronized List<Task> tasks() {
        return List.copyOf(tasks);
    }

    /** The status once the group has exited, else null. */
    public ExitStatus exitStatus() {
        return exitStatus;
    }

    /**
     * Whether the process has ended: every thread gone, a zombie or already reaped (what a pidfd
     * polls for).
     */
    public boolean ended() {
        return zombie;
    }

    public boolean exiting() {
        return exitStatus != null;
    }

    /** exit_group(2), or death by signal: records the status (first one wins) and stops every task. */
    public void exit(ExitStatus status) {
        synchronized (this) {
            if (exitStatus != null) {
                return;
            }
            exitStatus = status;
        }
        synchronized (siglock) {
            stopped = false;
            siglock.notifyAll();
            for (Task t : tasks()) {
                t.signalWake();
            }
        }
        realTimer.set(0, 0);
        deletePosixTimers();
    }

    /** Kills the group with a signal's default "terminate" or "core" action. */
    public void killBySignal(int sig) {
        exit(ExitStatus.killed(sig, dumpsCore(sig)));
    }

    /**
     * Whether death by {@code sig} reports a core dump (WCOREDUMP, CLD_DUMPED, a shell's "(core
     * dumped)") as the host's kernel would, given this process's RLIMIT_CORE and the host's
     * core_pattern ({@link Rlimits#dumpsCore(int, long)}). linux4j writes no core file itself.
     */
    public boolean dumpsCore(int sig) {
        return Rlimits.dumpsCore(sig, softLimit(dev.linux4j.abi.Resource.RLIMIT_CORE));
    }

    /** Signals this group ignores by default (SIGCHLD, SIGWINCH, SIGURG, SIGCONT). */
    static boolean ignoredByDefault(int sig) {
        return sig == Signal.SIGCHLD || sig == Signal.SIGWINCH || sig == Signal.SIGURG || sig == Signal.SIGCONT;
    }

    /** The process's last task has stopped: files and memory go, and the tree hears of it. */
    void releaseResources() {
        kernel.ipc().exit(this, ownsSpace ? space() : null); // shm attaches and SEM_UNDO (exit_mm, exit_sem)
        files.closeAll();
        dev.linux4j.vfs.JobControl.Terminal terminal;
        synchronized (kernel.tree()) {
            terminal = sid == pid ? tty : null;
        }
        if (terminal != null) {
            terminal.disassociate(new TaskCaller(this), true); // do_exit's disassociate_ctty(1)
        }
        AddressSpace s;
        synchronized (this) {
            s = space;
            space = null;
        }
        if (s != null && ownsSpace) {
            s.destroy();
        }
        releaseVfork();
        kernel.tree().exited(this);
    }

    /** A vfork child exec'd or exited: the parent may run again. */
    void releaseVfork() {
        java.util.concurrent.CountDownLatch l = vforkDone;
        if (l != null) {
            vforkDone = null;
            l.countDown();
        }
    }
}
