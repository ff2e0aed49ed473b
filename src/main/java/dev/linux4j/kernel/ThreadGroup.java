package dev.linux4j.kernel;

import dev.linux4j.abi.Signal;
import dev.linux4j.cpu.CodeCache;
import dev.linux4j.cpu.Instructions;
import dev.linux4j.memory.AddressSpace;
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
    private final int ppid;
    private final FdTable files;
    private final SignalActions signalActions = new SignalActions();
    private final List<Task> tasks = new ArrayList<>();
    private AddressSpace space;
    private CodeCache codeCache;
    private String cwd;
    private int umask;
    private Credentials credentials;
    private String comm = "";
    private String exePath = "";
    private List<String> argv = List.of();
    private List<String> envp = List.of();
    private long auxvAddress;
    private int auxvLength;
    private volatile ExitStatus exitStatus;
    private final long[][] rlimits = Rlimits.defaults();

    ThreadGroup(Kernel kernel, int pid, int ppid, FdTable files, String cwd, int umask, Credentials credentials) {
        this.kernel = kernel;
        this.pid = pid;
        this.ppid = ppid;
        this.files = files;
        this.cwd = cwd;
        this.umask = umask;
        this.credentials = credentials;
        kernel.procs().register(this);
    }

    public Kernel kernel() {
        return kernel;
    }

    public int pid() {
        return pid;
    }

    public int ppid() {
        return ppid;
    }

    public FdTable files() {
        return files;
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

    /** Replaces the address space (execve). The old one's frames go back to the pool. */
    synchronized void replaceImage(AddressSpace newSpace) {
        AddressSpace old = space;
        space = newSpace;
        codeCache = new CodeCache(newSpace, Instructions.decoder());
        codeCache.setCompiler(kernel.config().compiler(), kernel.config().compileThreshold());
        if (old != null) {
            old.destroy();
        }
    }

    public synchronized String cwd() {
        return cwd;
    }

    public synchronized void setCwd(String cwd) {
        this.cwd = cwd;
    }

    public synchronized int umask() {
        return umask;
    }

    /** umask(2): sets the mask, returns the old one. */
    public synchronized int setUmask(int mask) {
        int old = umask;
        umask = mask & 0777;
        return old;
    }

    public synchronized Credentials credentials() {
        return credentials;
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

    public synchronized void setRlimit(int resource, long soft, long hard) {
        rlimits[resource] = new long[] {soft, hard};
        if (resource == Rlimits.RLIMIT_NOFILE) {
            files.setLimit((int) Math.min(soft, Integer.MAX_VALUE));
        }
    }

    synchronized void addTask(Task task) {
        tasks.add(task);
    }

    public synchronized List<Task> tasks() {
        return List.copyOf(tasks);
    }

    /** The status once the group has exited, else null. */
    public ExitStatus exitStatus() {
        return exitStatus;
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
        for (Task t : tasks()) {
            t.cpu().requestInterrupt();
        }
    }

    /** Kills the group with a signal's default "terminate" or "core" action. */
    public void killBySignal(int sig) {
        exit(ExitStatus.killed(sig, Rlimits.dumpsCore(sig)));
    }

    /** Signals this group ignores by default (SIGCHLD, SIGWINCH, SIGURG, SIGCONT). */
    static boolean ignoredByDefault(int sig) {
        return sig == Signal.SIGCHLD || sig == Signal.SIGWINCH || sig == Signal.SIGURG || sig == Signal.SIGCONT;
    }

    void releaseResources() {
        kernel.procs().unregister(this);
        files.closeAll();
        AddressSpace s;
        synchronized (this) {
            s = space;
            space = null;
        }
        if (s != null) {
            s.destroy();
        }
    }
}
