package dev.linux4j.kernel;

import static dev.linux4j.abi.Fcntl.O_RDONLY;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.RawStrings;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Stat;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.CpuExit;
import dev.linux4j.cpu.Cpuid;
import dev.linux4j.loader.ElfLoader;
import dev.linux4j.loader.ExecException;
import dev.linux4j.loader.ExecParams;
import dev.linux4j.loader.ImageFile;
import dev.linux4j.loader.LoadedImage;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.MappedFile;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileMapping;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.Vfs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Linux kernel instance inside the JVM (DESIGN.md decision 5): the pid space, the VFS and
 * the processes running in it. {@link #run} starts the first process and waits for it.
 */
public final class Kernel {
    /** Guest pids start here; pid 1 is the (virtual) init every first process is a child of. */
    /** The version uname(2) and /proc/version report beside the release. */
    public static final String UTS_VERSION = "#1 SMP PREEMPT_DYNAMIC linux4j";

    static final int FIRST_PID = 100;

    /** CPUID.01H:EDX of the emulated CPU, which Linux reports as AT_HWCAP on x86-64. */
    private static final long HWCAP = Cpuid.LEAF1_EDX & 0xffffffffL;

    private final KernelConfig config;
    private final SyscallGate gate;
    private final ProcessTree tree = new ProcessTree(FIRST_PID);
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final long bootNanos = System.nanoTime();
    private final Procs procs = new Procs(this);
    private final IpcNamespace ipc = new IpcNamespace();

    public Kernel(KernelConfig config, SyscallGate gate) {
        this.config = config;
        this.gate = gate;
    }

    /**
     * The UTS names sethostname(2) and setdomainname(2) change: this kernel's own, as a UTS
     * namespace's, so the host's names stay as they are. Held as {@link
     * dev.linux4j.abi.RawStrings} (any bytes).
     */
    private volatile String nodename;
    private volatile String domainname = "(none)";

    /** uname's node name: --hostname's (or the host's) until sethostname(2). */
    public String nodename() {
        String n = nodename;
        return n != null ? n : config.hostname();
    }

    public void setNodename(String name) {
        nodename = name;
    }

    /** uname's domain name: "(none)" until setdomainname(2). */
    public String domainname() {
        return domainname;
    }

    public void setDomainname(String name) {
        domainname = name;
    }

    public KernelConfig config() {
        return config;
    }

    public Vfs vfs() {
        return config.vfs();
    }

    SyscallGate gate() {
        return gate;
    }

    /** The live processes as /proc sees them. */
    public dev.linux4j.vfs.ProcessDirectory processes() {
        return procs;
    }

    Procs procs() {
        return procs;
    }

    /** The System V IPC objects of this guest world. */
    public IpcNamespace ipc() {
        return ipc;
    }

    /** The pid space and process tree. */
    public ProcessTree tree() {
        return tree;
    }

    /**
     * A signal from the terminal linux4j was started from (the host's SIGINT, SIGTERM, SIGHUP or
     * SIGQUIT to the JVM): sent to the guest's foreground process group as the tty driver's
     * kill_pgrp sends it (si_code SI_KERNEL). The foreground group is the one the first process
     * started in (pgid 1, see {@link ProcessTree}); guests have no terminal of their own to move it.
     *
     * @return whether any process was there to receive it
     */
    public boolean signalForeground(int sig) {
        List<ThreadGroup> targets = tree.inGroup(1);
        dev.linux4j.abi.Siginfo info = dev.linux4j.abi.Siginfo.kill(sig, dev.linux4j.abi.Siginfo.SI_KERNEL, 0, 0);
        for (ThreadGroup g : targets) {
            Signals.sendToGroup(g, info);
        }
        return !targets.isEmpty();
    }

    /** Nanoseconds since this kernel booted (CLOCK_MONOTONIC's and /proc/uptime's origin). */
    public long uptimeNanos() {
        return System.nanoTime() - bootNanos;
    }

    /** Prints a {@code linux4j: } diagnostic once per key. */
    public void reportOnce(String key, String message) {
        reportOnce(key, message, config.diagnostics());
    }

    /** Prints a {@code linux4j: } diagnostic once per key on the given stream. */
    public void reportOnce(String key, String message, java.io.PrintStream out) {
        if (reported.add(key)) {
            synchronized (out) {
                out.println("linux4j: " + message);
                out.flush();
            }
        }
    }

    /**
     * Runs {@code program} as the first process with the given stdio and waits for it.
     *
     * @throws ExecException when the program cannot be executed; its errno tells not-found
     *     (ENOENT) from cannot-execute
     */
    public ExitStatus run(String program, List<String> argv, List<String> envp, FileOps[] stdio, String cwd)
            throws ExecException {
        FdTable files = new FdTable();
        for (int fd = 0; fd < stdio.length; fd++) {
            int mode = fd == 0 ? dev.linux4j.abi.Fcntl.O_RDONLY : dev.linux4j.abi.Fcntl.O_WRONLY;
            files.installAt(fd, new FileDescription(stdio[fd], mode, "pipe:[" + fd + "]", null), false);
        }
        int pid = tree.allocatePid();
        ThreadGroup group = new ThreadGroup(this, pid, null, files, cwd, config.umask(), config.credentials());
        group.hostParent = true;
        for (int sig = 1; sig <= Signal.NSIG; sig++) {
            if ((config.ignoredSignals() >>> (sig - 1) & 1) != 0 && sig != Signal.SIGKILL && sig != Signal.SIGSTOP) {
                group.signalActions().set(sig, SignalActions.SIG_IGN, 0, 0, 0);
            }
        }
        Task task = new Task(this, group, pid);
        try {
            try {
                execve(task, program, argv, envp);
            } catch (ExecException e) {
                if (!e.pastPointOfNoReturn()) {
                    group.exit(ExitStatus.exited(127));
                    group.taskExited(task);
                    throw e;
                }
                // After the point of no return execve cannot fail back to its caller: Linux
                // kills the process with SIGSEGV (fs/exec.c, force_fatal_sig).
                group.killBySignal(Signal.SIGSEGV);
                group.taskExited(task);
                return group.exitStatus();
            }
            task.run();
            // The first thread may leave before the others (pthread_exit in main): the process
            // is done only when its last thread is.
            for (int waited = 0; !group.awaitTasks(0, 200); waited++) {
                if (group.exiting()) {
                    for (Task t : group.tasks()) {
                        t.requestExit(0); // wake stragglers again
                    }
                    if (waited > 25) {
                        break; // a thread stuck in host I/O must not keep the exit status from the caller
                    }
                }
            }
        } finally {
            tree.killAll();
        }
        return group.exitStatus();
    }

    /**
     * execve(2): replaces the task's image with the program at {@code path} (already chosen:
     * no PATH search here), building the stack from argv and envp.
     */
    public void execve(Task task, String path, List<String> argv, List<String> envp) throws ExecException {
        execve(task, path, argv, envp, path, 0);
    }

    /** {@code filename} is what the caller asked for (AT_EXECFN, comm); {@code depth} counts #! levels. */
    private void execve(Task task, String path, List<String> argv, List<String> envp, String filename, int depth)
            throws ExecException {
        ThreadGroup group = task.group();
        Vfs.Resolved resolved;
        try {
            resolved = vfs().resolve(group.fs().root(), group.cwd(), path, Vfs.FOLLOW);
        } catch (ErrnoException e) {
            throw new ExecException(e.errno(), e.errno().message());
        }
        if (!Stat.isReg(resolved.stat().mode())) {
            throw new ExecException(Errno.EACCES, Stat.isDir(resolved.stat().mode()) ? "Is a directory"
                    : "Permission denied");
        }
        if ((resolved.stat().mode() & 0111) == 0
                || !resolved.location().fs().access(resolved.location().fsPath(), dev.linux4j.abi.Fcntl.X_OK)) {
            throw new ExecException(Errno.EACCES, "Permission denied");
        }
        ImageFile image;
        try {
            image = openImage(resolved); // resolved once: a second walk stats every component again
        } catch (ErrnoException e) {
            throw new ExecException(e.errno(), e.errno().message());
        }
        try {
            execImage(task, image, path, argv, envp, filename, depth);
        } finally {
            image.close();
        }
    }

    private void execImage(Task task, ImageFile image, String path, List<String> argv, List<String> envp,
            String filename, int depth) throws ExecException {
        ThreadGroup group = task.group();
        List<String> script = Scripts.interpreter(image);
        if (script != null) {
            if (depth >= Scripts.MAX_DEPTH) {
                throw new ExecException(Errno.ELOOP, Errno.ELOOP.message());
            }
            List<String> newArgv = new ArrayList<>(script);
            newArgv.add(path);
            newArgv.addAll(argv.subList(Math.min(1, argv.size()), argv.size()));
            execve(task, script.get(0), newArgv, envp, filename, depth + 1);
            return;
        }
        AddressSpace space = new AddressSpace();
        byte[] random16 = new byte[16];
        config.random().nextBytes(random16);
        Credentials cred = group.credentials();
        ExecParams params = new ExecParams(bytesOf(argv), bytesOf(envp), filename.getBytes(StandardCharsets.UTF_8),
                cred.uid(), cred.euid(), cred.gid(), cred.egid(), false, random16, HWCAP, 0, "x86_64", 2048);
        LoadedImage loaded;
        try {
            loaded = ElfLoader.load(space, image, p -> openImage(group.fs().root(), group.cwd(), p), params,
                    group.rlimit(dev.linux4j.abi.Resource.RLIMIT_STACK)[0]);
        } catch (ExecException e) {
            space.destroy();
            throw e;
        }
        // Past the point of no return (begin_new_exec): other threads die, close-on-exec,
        // handlers, the alternate stack.
        Threads.deThread(task);
        group.files().closeOnExec();
        group.signalActions().resetHandled();
        group.deletePosixTimers();
        SignalFrame.setAltStack(task, 0, dev.linux4j.abi.Sigcontext.SS_DISABLE, 0, 0);
        group.replaceImage(space);
        group.releaseVfork();
        group.setImage(image.path(), argv, envp, loaded.auxvAddress(), loaded.auxvLength());
        group.setComm(Vfs.nameOf(filename));
        // set_personality_64bit: a 64-bit image never runs with READ_IMPLIES_EXEC; the rest
        // (PER_LINUX32, ADDR_NO_RANDOMIZE, UNAME26...) is kept, which is how setarch works.
        task.setPersonality(task.personality() & ~dev.linux4j.abi.Personality.READ_IMPLIES_EXEC);
        procs.exec(group, loaded);
        task.newCpu();
        Cpu cpu = task.cpu();
        cpu.rip = loaded.entry();
        cpu.r[Cpu.RSP] = loaded.stackPointer();
        // SysV ABI at _start: RDX holds an atexit function or 0 — Linux leaves it 0.
        cpu.r[Cpu.RDX] = 0;
    }

    /** Opens an executable or ELF interpreter for reading, resolving {@code path} as the process (root, cwd) would. */
    private ImageFile openImage(String root, String cwd, String path) {
        return openImage(vfs().resolve(root, cwd, path, Vfs.FOLLOW));
    }

    private static ImageFile openImage(Vfs.Resolved r) {
        if (!Stat.isReg(r.stat().mode())) {
            throw ErrnoException.of(Stat.isDir(r.stat().mode()) ? Errno.EISDIR : Errno.EACCES);
        }
        FileOps ops = r.location().fs().open(r.location().fsPath(), O_RDONLY, 0);
        FileDescription file = new FileDescription(ops, O_RDONLY, r.guestPath(), r.location());
        long size = r.stat().size();
        String guestPath = r.guestPath();
        return new ImageFile() {
            @Override
            public String path() {
                return guestPath;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public int read(long offset, byte[] dst, int off, int len) {
                return ops.read(file, dst, off, len, offset);
            }

            @Override
            public MappedFile mappedFile() {
                file.retain();
                return FileMapping.of(file);
            }

            @Override
            public void close() {
                file.release();
            }
        };
    }

    private static List<byte[]> bytesOf(List<String> strings) {
        List<byte[]> out = new ArrayList<>(strings.size());
        for (String s : strings) {
            out.add(RawStrings.encode(s));
        }
        return out;
    }

    /** --strace line for a fatal signal, as strace prints "--- SIGSEGV {...} ---" and "+++ killed by ... +++". */
    void straceSignal(Task task, int sig, CpuExit.Fault fault) {
        var out = config.strace();
        if (out == null) {
            return;
        }
        synchronized (out) {
            out.printf("--- %s {si_signo=%s, si_addr=0x%x} ---%n", Signal.name(sig), Signal.name(sig),
                    fault.address() != 0 ? fault.address() : fault.rip());
            out.printf("+++ killed by %s%s +++%n", Signal.name(sig), task.group().dumpsCore(sig) ? " (core dumped)" : "");
            out.flush();
        }
    }
}
