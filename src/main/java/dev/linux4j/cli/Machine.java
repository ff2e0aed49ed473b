package dev.linux4j.cli;

import dev.linux4j.abi.Errno;
import dev.linux4j.cpu.jit.ClassfileBlockCompiler;
import dev.linux4j.fs.dev.DevFileSystem;
import dev.linux4j.fs.host.FakeRootFileSystem;
import dev.linux4j.fs.host.FallbackFileSystem;
import dev.linux4j.fs.host.HostFileSystem;
import dev.linux4j.fs.proc.ProcFileSystem;
import dev.linux4j.fs.host.HostStreamFile;
import dev.linux4j.host.HostFiles;
import dev.linux4j.host.HostNative;
import dev.linux4j.host.HostRandom;
import dev.linux4j.host.HostSignals;
import dev.linux4j.kernel.Credentials;
import dev.linux4j.kernel.ExitStatus;
import dev.linux4j.kernel.Kernel;
import dev.linux4j.kernel.KernelConfig;
import dev.linux4j.kernel.TaskCputime;
import dev.linux4j.loader.ExecException;
import dev.linux4j.syscall.Dispatcher;
import dev.linux4j.syscall.SyscallTable;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.FileSystem;
import dev.linux4j.vfs.Vfs;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The embedding API: a Linux machine with its root file system and options, which runs guest
 * programs with the given arguments, environment and stdio and returns their exit status.
 *
 * <pre>{@code
 * Machine machine = Machine.builder().root(Path.of("/")).build();
 * int status = machine.run(List.of("/bin/busybox", "echo", "hello"), Map.of("PATH", "/bin"),
 *         System.in, System.out, System.err);
 * }</pre>
 */
public final class Machine {
    /** The default kernel release uname(2) reports. */
    public static final String DEFAULT_OSRELEASE = "6.12.0";
    /** The PATH used for a bare program name when the environment has none (as execvp's default). */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final SyscallTable TABLE = SyscallTable.linux();

    private final Path root;
    private final String osRelease;
    private final String hostname;
    private final PrintStream strace;
    private final boolean warnUnimplemented;
    private final String cwd;
    private final Jit jit;
    private final List<Bind> binds;
    private final boolean hostFallback;
    private final boolean fakeRoot;
    private final int cpus;
    private final boolean forwardHostSignals;

    /**
     * A host directory mounted into the guest tree ({@code --bind HOST:GUEST[:ro]}).
     *
     * @param host the host directory or file
     * @param guest the absolute guest path it appears at
     * @param readOnly writes fail with EROFS
     */
    public record Bind(Path host, String guest, boolean readOnly) {
        /** Parses {@code HOST:GUEST[:ro]} (GUEST defaults to HOST). */
        public static Bind parse(String spec) {
            String[] parts = spec.split(":", -1);
            boolean ro = parts.length == 3 && parts[2].equals("ro");
            if (parts.length > 3 || parts.length == 3 && !ro && !parts[2].equals("rw") || parts[0].isEmpty()) {
                throw new IllegalArgumentException("--bind takes HOST:GUEST[:ro], not " + spec);
            }
            String guest = parts.length >= 2 && !parts[1].isEmpty() ? parts[1] : parts[0];
            if (!guest.startsWith("/")) {
                throw new IllegalArgumentException("--bind: the guest path must be absolute: " + guest);
            }
            return new Bind(Path.of(parts[0]), Path.of(guest).normalize().toString(), ro);
        }
    }

    /** How guest code runs. */
    public enum Jit {
        /** Interpret every instruction. */
        OFF,
        /** Translate blocks to JVM bytecode once they are hot (the default). */
        ON,
        /** Translate every block before its first execution (for testing the JIT). */
        ALWAYS
    }

    /**
     * Interpretations of a block before the JIT translates it, a block of n instructions counting
     * 1 + n/8 each time (Block.weight). Translation costs about a millisecond per region, so
     * short-lived processes (a shell's children) must not pay it: measured here, 50 unweighted
     * gave 48 ms per fork+exec of `busybox true` and 314x native on a python3 loop; 5000 gave
     * 7.6 ms and 90x, with the CPU-bound benchmarks unchanged. 20,000 weighted against 5000
     * unweighted (interleaved runs): sha256sum of 64 MiB 2.63-2.65 -> 2.45-2.52 s, gcc -O2 of 500
     * lines 14.7-15.4 -> 13.9-14.0 s (2,000 lines unchanged), the other benchmarks unchanged.
     */
    static final int COMPILE_THRESHOLD = Integer.getInteger("linux4j.jit.threshold", 20_000);

    private Machine(Builder b) {
        this.root = b.root;
        this.osRelease = b.osRelease;
        this.hostname = b.hostname != null ? b.hostname : defaultHostname();
        this.strace = b.strace;
        this.warnUnimplemented = b.warnUnimplemented;
        this.forwardHostSignals = b.forwardHostSignals;
        this.cwd = b.cwd;
        this.jit = b.jit;
        this.binds = List.copyOf(b.binds);
        this.hostFallback = b.hostFallback;
        this.fakeRoot = b.fakeRoot;
        this.cpus = b.cpus > 0 ? b.cpus : Runtime.getRuntime().availableProcessors();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a daemon thread that links the host downcalls every run needs (statx, readlink,
     * open, pread, close), in the order the main thread will want them, while the main thread
     * builds the syscall table and the file systems. Linking happens on first use anyway; this
     * only moves it onto a second CPU when there is one.
     */
    public static void warmUpInBackground() {
        Thread.ofPlatform().daemon().name("linux4j-warm-up").start(() -> {
            HostNative.prelink();
            HostFiles.prelink();
        });
    }

    /** Options of a machine. */
    public static final class Builder {
        private Path root = Path.of("/");
        private String osRelease = DEFAULT_OSRELEASE;
        private String hostname;
        private PrintStream strace;
        private boolean warnUnimplemented;
        private boolean forwardHostSignals;
        private String cwd;
        private Jit jit = Jit.ON;
        private final List<Bind> binds = new ArrayList<>();
        private boolean hostFallback;
        private boolean fakeRoot;
        private int cpus;

        /** Mounts a host directory into the guest tree (--bind). */
        public Builder bind(Bind bind) {
            this.binds.add(bind);
            return this;
        }

        /**
         * The FreeBSD Linuxulator lookup (--host-fallback): a path missing in the guest root is
         * looked up in the host's root. Off by default: it makes the host visible to the guest.
         */
        public Builder hostFallback(boolean on) {
            this.hostFallback = on;
            return this;
        }

        /** The guest runs as uid/gid 0 with root's view of ownership; chown is recorded, not done (--fake-root). */
        public Builder fakeRoot(boolean on) {
            this.fakeRoot = on;
            return this;
        }

        /** CPUs the guest is told it has (sched_getaffinity, /proc/cpuinfo); default the JVM's available processors. */
        public Builder cpus(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("--cpus takes 1 to 64");
            }
            this.cpus = n;
            return this;
        }

        /** Whether and when guest code is translated to JVM bytecode (default {@link Jit#ON}). */
        public Builder jit(Jit mode) {
            this.jit = mode;
            return this;
        }

        /** The guest's working directory (default: the JVM's, if inside the root, else "/"). */
        public Builder cwd(String guestPath) {
            this.cwd = guestPath;
            return this;
        }

        /** The host directory that is the guest's "/" (default: the host's own root). */
        public Builder root(Path root) {
            this.root = root;
            return this;
        }

        /** The kernel release uname reports (default {@value #DEFAULT_OSRELEASE}). */
        public Builder osRelease(String release) {
            this.osRelease = release;
            return this;
        }

        public Builder hostname(String name) {
            this.hostname = name;
            return this;
        }

        /** Where to log every syscall in strace's format, or null. */
        public Builder strace(PrintStream out) {
            this.strace = out;
            return this;
        }

        /**
         * The JVM's SIGINT, SIGTERM and SIGHUP (and SIGQUIT where the JVM allows) go to the
         * guest's foreground process group while a program runs, as a terminal's would, and the
         * signals the JVM's parent left ignored start ignored in the guest, as a native program
         * would inherit them. For the command line; an embedder normally keeps the JVM's own
         * handling.
         */
        public Builder forwardHostSignals(boolean on) {
            this.forwardHostSignals = on;
            return this;
        }

        /** Report each unimplemented syscall once on stderr. */
        public Builder warnUnimplemented(boolean on) {
            this.warnUnimplemented = on;
            return this;
        }

        public Machine build() {
            return new Machine(this);
        }
    }

    /** A program that could not be started: the shell's 126 (cannot execute) or 127 (not found). */
    public static final class ExecFailure extends Exception {
        private final int status;

        ExecFailure(String message, int status) {
            super(message, null, false, false);
            this.status = status;
        }

        /** 126 or 127, as a shell reports it. */
        public int status() {
            return status;
        }
    }

    /**
     * Runs a program to completion. {@code argv.get(0)} is the program: a path in the guest root,
     * or a bare name searched in the environment's PATH.
     *
     * @return the exit status as a shell reports it (128 + N after death by signal N)
     * @throws ExecFailure if the program cannot be found or executed
     */
    public int run(List<String> argv, Map<String, String> env, InputStream stdin, OutputStream stdout,
            OutputStream stderr) throws ExecFailure {
        boolean jvmStdio = stdin == System.in && stdout == System.out && stderr == System.err;
        FileOps[] stdio = {
            new HostStreamFile(jvmStdio ? new java.io.FileInputStream(java.io.FileDescriptor.in) : stdin, null,
                    jvmStdio ? 0 : -1),
            new HostStreamFile(null, jvmStdio ? new java.io.FileOutputStream(java.io.FileDescriptor.out) : stdout,
                    jvmStdio ? 1 : -1),
            new HostStreamFile(null, jvmStdio ? new java.io.FileOutputStream(java.io.FileDescriptor.err) : stderr,
                    jvmStdio ? 2 : -1)};
        return run(argv, env, stdio, stderr instanceof PrintStream ps ? ps : new PrintStream(stderr, true));
    }

    private int run(List<String> argv, Map<String, String> env, FileOps[] stdio, PrintStream diagnostics)
            throws ExecFailure {
        if (argv.isEmpty()) {
            throw new ExecFailure("no program given", 127);
        }
        if (!Files.isDirectory(root)) {
            throw new ExecFailure(root + ": root is not a directory", 126);
        }
        Vfs vfs = buildVfs();
        vfs.mount("/dev", new DevFileSystem(HostRandom.get()), false);
        Path privateShm = privateShmDirectory();
        try {
            vfs.mount("/dev/shm", new HostFileSystem(privateShm != null ? privateShm : HOST_SHM, false), false);
            return runMounted(vfs, argv, env, stdio, diagnostics);
        } finally {
            if (privateShm != null) {
                deleteTree(privateShm); // every guest process has ended: nothing maps it any more
            }
        }
    }

    private int runMounted(Vfs vfs, List<String> argv, Map<String, String> env, FileOps[] stdio, PrintStream diagnostics)
            throws ExecFailure {
        ProcFileSystem proc = new ProcFileSystem(vfs);
        vfs.mount("/proc", proc, false);
        Credentials cred = fakeRoot ? Credentials.of(0, 0, new int[] {0})
                : Credentials.of(HostNative.getuid(), HostNative.getgid(), new int[] {HostNative.getgid()});
        long ignoredSignals = forwardHostSignals ? HostSignals.ignoredByParent() : 0;
        KernelConfig config = new KernelConfig(vfs, osRelease, hostname, cred, HostNative.umask(), ignoredSignals,
                HostRandom.get(), strace, warnUnimplemented, diagnostics, cpus,
                jit == Jit.OFF ? null : new ClassfileBlockCompiler(), jit == Jit.ALWAYS ? 1 : COMPILE_THRESHOLD);
        Kernel kernel = new Kernel(config, new Dispatcher(TABLE));
        TaskCputime.setThreadUserTime(HostNative::threadUserTime);
        proc.attach(kernel.processes());
        List<String> envp = new ArrayList<>();
        env.forEach((k, v) -> envp.add(k + "=" + v));
        String program = argv.get(0);
        String cwd = this.cwd != null ? this.cwd : guestCwd();
        String path = program.contains("/") ? program : searchPath(vfs, cwd, program, env.get("PATH"));
        Runnable restoreSignals = forwardHostSignals ? HostSignals.forward(kernel::signalForeground) : () -> {};
        try {
            ExitStatus status = kernel.run(path, argv, envp, stdio, cwd);
            return status.shellStatus();
        } catch (ExecException e) {
            boolean notFound = e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR;
            throw new ExecFailure(program + ": " + e.getMessage(), notFound ? 127 : 126);
        } finally {
            restoreSignals.run();
        }
    }

    private static final Path HOST_SHM = Path.of("/dev/shm");

    /**
     * /dev/shm, a tmpfs for shm_open(3) and POSIX semaphores: with the host's own root it is the
     * host's /dev/shm (one IPC namespace, as for any process on the host), and this returns null;
     * under {@code --root} it is a private directory — in the host's /dev/shm when there is one,
     * so it stays in memory — that {@link #run} removes when the guest is done.
     */
    private Path privateShmDirectory() throws ExecFailure {
        boolean hostHasShm = Files.isDirectory(HOST_SHM) && Files.isWritable(HOST_SHM);
        if (hostHasShm && root.toAbsolutePath().normalize().equals(Path.of("/"))) {
            return null;
        }
        try {
            Path dir = hostHasShm ? Files.createTempDirectory(HOST_SHM, "linux4j-shm.")
                    : Files.createTempDirectory("linux4j-shm.");
            if (HostNative.chmod(dir.toString(), 01777) != 0) { // tmpfs's mode: sticky, world-writable
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            return dir;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            throw new ExecFailure("cannot create a private /dev/shm: " + e.getMessage(), 126);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // Best effort at exit: a private /dev/shm left behind is only a temporary directory.
        }
    }

    /** The guest root (with the host fallback when asked) and the bind mounts, each under --fake-root's view. */
    private Vfs buildVfs() throws ExecFailure {
        FakeRootFileSystem.Ledger ledger = fakeRoot ? new FakeRootFileSystem.Ledger(HostNative.getuid(),
                HostNative.getgid()) : null;
        FileSystem rootFs = new HostFileSystem(root, false);
        if (hostFallback) {
            rootFs = new FallbackFileSystem(rootFs, new HostFileSystem(Path.of("/"), false));
        }
        Vfs vfs = new Vfs(ledger != null ? new FakeRootFileSystem(rootFs, ledger) : rootFs);
        for (Bind b : binds) {
            if (!Files.exists(b.host())) {
                throw new ExecFailure("--bind: " + b.host() + " does not exist", 126);
            }
            FileSystem fs = new HostFileSystem(b.host(), b.readOnly());
            vfs.mount(b.guest(), ledger != null ? new FakeRootFileSystem(fs, ledger) : fs, b.readOnly());
        }
        return vfs;
    }

    /** execvp(3)'s search: the first PATH entry holding an executable regular file. */
    private static String searchPath(Vfs vfs, String cwd, String name, String path) {
        for (String dir : (path == null ? DEFAULT_PATH : path).split(":", -1)) {
            String candidate = (dir.isEmpty() ? "." : dir) + "/" + name;
            try {
                Vfs.Resolved r = vfs.resolve(cwd, candidate, Vfs.FOLLOW);
                if (dev.linux4j.abi.Stat.isReg(r.stat().mode()) && (r.stat().mode() & 0111) != 0) {
                    return candidate;
                }
            } catch (RuntimeException e) {
                // not here: try the next entry
            }
        }
        return name; // fails as "No such file or directory"
    }

    /** The guest's starting directory: the JVM's working directory, when it lies inside the root. */
    private String guestCwd() {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path r = root.toAbsolutePath().normalize();
        if (cwd.startsWith(r)) {
            String rel = r.relativize(cwd).toString();
            return rel.isEmpty() ? "/" : "/" + rel;
        }
        return "/";
    }

    private static String defaultHostname() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (Exception e) {
            // not a Linux host
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
