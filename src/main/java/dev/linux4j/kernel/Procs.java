package dev.linux4j.kernel;

import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Mman;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.cpu.Cpuid;
import dev.linux4j.loader.LoadedImage;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.GuestFault;
import dev.linux4j.memory.Vma;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.ProcessDirectory;
import dev.linux4j.vfs.ProcessView;
import dev.linux4j.vfs.SysvIpcView;
import dev.linux4j.vfs.Vfs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The kernel's process table as procfs reads it: the live thread groups by pid, each with the
 * {@code mm_struct} facts execve recorded (argument and environment areas, the saved auxiliary
 * vector, code and data bounds), and which task the calling Java thread is running.
 *
 * <p>Locking: the registry is a concurrent map; a {@link Record}'s fields are guarded by the
 * record. Views read the kernel objects through their own locks and never hold two at once.
 */
final class Procs implements ProcessDirectory {
    /** The guest task each Java thread is running (set by {@link Task#run}), for /proc/self. */
    private static final ThreadLocal<Task> CURRENT = new ThreadLocal<>();

    /** uname's version field, as ProcessSyscalls.uname reports it. */

    /** PAGE_SIZE: get_mm_proctitle reads at most one page. */
    private static final int PAGE_SIZE = 4096;

    private final Kernel kernel;
    private final Map<Integer, Record> groups = new ConcurrentSkipListMap<>();
    private final long bootSeconds = System.currentTimeMillis() / 1000;
    private volatile String bootId; // made on first read: a random UUID, as Linux makes one at boot
    private volatile int lastPid;

    /** What procfs needs that the thread group does not keep: its start and its exec layout. */
    private static final class Record {
        final ThreadGroup group;
        final long startNanos;
        ProcessView.Layout layout = ProcessView.Layout.EMPTY;
        byte[] savedAuxv = new byte[0];

        Record(ThreadGroup group, long startNanos) {
            this.group = group;
            this.startNanos = startNanos;
        }
    }

    Procs(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The task the calling Java thread runs, or null. */
    static Task currentTask() {
        return CURRENT.get();
    }

    /** Marks the calling Java thread as running {@code task} (null when it stops). */
    static void enter(Task task) {
        if (task == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(task);
        }
    }

    /** A new thread group: visible in /proc from now on; a child inherits its parent's layout (fork). */
    void register(ThreadGroup group) {
        Record r = new Record(group, kernel.uptimeNanos());
        Record parent = groups.get(group.ppid());
        if (parent != null) {
            synchronized (parent) {
                r.layout = parent.layout;
                r.savedAuxv = parent.savedAuxv;
            }
        }
        groups.put(group.pid(), r);
        lastPid = Math.max(lastPid, group.pid());
    }

    /** The thread group is gone (reaped): its /proc/PID disappears. */
    void unregister(ThreadGroup group) {
        groups.remove(group.pid(), groups.get(group.pid()) instanceof Record r && r.group == group ? r : null);
    }

    /** execve finished building the new image: record mm's layout and saved_auxv as Linux does. */
    void exec(ThreadGroup group, LoadedImage image) {
        Record r = groups.get(group.pid());
        if (r == null || r.group != group) {
            return;
        }
        byte[] auxv = new byte[image.auxvLength()];
        try {
            group.space().read(image.auxvAddress(), auxv, 0, auxv.length);
        } catch (GuestFault e) {
            auxv = new byte[0];
        }
        ProcessView.Layout layout = new ProcessView.Layout(image.startCode(), image.endCode(), image.startData(),
                image.endData(), image.brkStart(), image.brkStart(), image.stackPointer(), image.argStart(),
                image.argEnd(), image.envStart(), image.envEnd());
        synchronized (r) {
            r.layout = layout;
            r.savedAuxv = auxv;
        }
    }

    @Override
    public ProcessView current() {
        Task t = CURRENT.get();
        if (t == null || t.kernel() != kernel) {
            return null;
        }
        return byPid(t.group().pid());
    }

    @Override
    public int currentTid() {
        Task t = CURRENT.get();
        return t == null || t.kernel() != kernel ? 0 : t.tid();
    }

    @Override
    public ProcessView byPid(int pid) {
        Record r = groups.get(pid);
        return r == null ? null : new View(r);
    }

    @Override
    public int[] pids() {
        return groups.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int count() {
        return groups.size();
    }

    @Override
    public int lastPid() {
        return lastPid;
    }

    @Override
    public String osRelease() {
        return kernel.config().osRelease();
    }

    @Override
    public String osVersion() {
        return Kernel.UTS_VERSION;
    }

    @Override
    public String hostname() {
        return kernel.nodename();
    }

    @Override
    public String domainname() {
        return kernel.domainname();
    }

    @Override
    public int cpuCount() {
        return kernel.config().cpuCount();
    }

    @Override
    public long uptimeNanos() {
        return kernel.uptimeNanos();
    }

    @Override
    public long bootTimeSeconds() {
        return bootSeconds;
    }

    @Override
    public int[] cpuid(int leaf, int subleaf) {
        return Cpuid.query(leaf, subleaf);
    }

    @Override
    public String corePattern() {
        return Rlimits.CorePattern.VALUE; // the host's, as the core-dump status follows it
    }

    @Override
    public String bootId() {
        String id = bootId;
        if (id == null) {
            synchronized (this) {
                if (bootId == null) {
                    bootId = randomUuid();
                }
                id = bootId;
            }
        }
        return id;
    }

    /** From the kernel's random source, as Linux's generate_random_uuid: version 4, RFC 4122 variant. */
    @Override
    public String randomUuid() {
        byte[] b = new byte[16];
        kernel.config().random().nextBytes(b);
        b[6] = (byte) (b[6] & 0x0f | 0x40);
        b[8] = (byte) (b[8] & 0x3f | 0x80);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b);
        return new UUID(bb.getLong(), bb.getLong()).toString();
    }

    @Override
    public SysvIpcView sysvipc() {
        return kernel.ipc();
    }

    /** One thread group seen through procfs. */
    private final class View implements ProcessView {
        private final Record record;
        private final ThreadGroup group;

        View(Record record) {
            this.record = record;
            this.group = record.group;
        }

        @Override
        public int pid() {
            return group.pid();
        }

        @Override
        public int ppid() {
            return group.ppid();
        }

        @Override
        public int pgrp() {
            return group.pgid();
        }

        @Override
        public int session() {
            return group.sid();
        }

        @Override
        public dev.linux4j.vfs.JobControl.Terminal terminal() {
            return group.kernel().tree().tty(group);
        }

        @Override
        public int[] tids() {
            int[] live = group.tasks().stream().filter(t -> !t.hasExited()).mapToInt(Task::tid).sorted().toArray();
            return live.length > 0 ? live : new int[] {group.pid()}; // a zombie still shows its leader
        }

        @Override
        public String comm() {
            return group.comm();
        }

        @Override
        public String exe() {
            return group.exePath();
        }

        @Override
        public String cwd() {
            return group.cwd();
        }

        @Override
        public String root() {
            return group.fs().root();
        }

        private Layout layoutNow() {
            synchronized (record) {
                return record.layout;
            }
        }

        /** get_mm_cmdline (fs/proc/base.c), including the setproctitle rule. */
        @Override
        public byte[] cmdline() {
            Layout l = layoutNow();
            long argStart = l.argStart();
            long argEnd = l.argEnd();
            long envEnd = l.envStart() != argEnd || l.envEnd() < l.envStart() ? argEnd : l.envEnd();
            if (argStart >= argEnd) {
                return new byte[0];
            }
            byte[] last = read(argEnd - 1, 1);
            if (last.length == 1 && last[0] != 0) {
                // The NUL ending the arguments was overwritten: setproctitle(3). Show up to the
                // first NUL within one page, NUL included.
                byte[] page = read(argStart, (int) Math.min(PAGE_SIZE, envEnd - argStart));
                int n = 0;
                while (n < page.length && page[n] != 0) {
                    n++;
                }
                return Arrays.copyOf(page, n < page.length ? n + 1 : n);
            }
            return read(argStart, (int) Math.min(argEnd - argStart, 1 << 20));
        }

        @Override
        public byte[] environ() {
            Layout l = layoutNow();
            if (l.envStart() >= l.envEnd()) {
                return new byte[0];
            }
            return read(l.envStart(), (int) Math.min(l.envEnd() - l.envStart(), 1 << 20));
        }

        /** Reads guest memory as access_remote_vm does: the readable prefix. */
        private byte[] read(long addr, int len) {
            AddressSpace space = group.space();
            if (space == null || len <= 0) {
                return new byte[0];
            }
            byte[] out = new byte[len];
            try {
                space.read(addr, out, 0, len);
                return out;
            } catch (GuestFault e) {
                // Fall back to page by page, stopping at the first unreadable page.
                int done = 0;
                while (done < len) {
                    int chunk = (int) Math.min(len - done, PAGE_SIZE - ((addr + done) & (PAGE_SIZE - 1)));
                    try {
                        space.read(addr + done, out, done, chunk);
                    } catch (GuestFault f) {
                        break;
                    }
                    done += chunk;
                }
                return Arrays.copyOf(out, done);
            }
        }

        @Override
        public byte[] auxv() {
            synchronized (record) {
                return record.savedAuxv.clone();
            }
        }

        @Override
        public char state(int tid) {
            if (group.exiting()) {
                return 'Z';
            }
            synchronized (group.siglock) {
                if (group.stopped) {
                    return 'T'; // TASK_STOPPED: a group stop (SIGSTOP, SIGTSTP...) until SIGCONT
                }
            }
            Task t = CURRENT.get();
            return t != null && t.group() == group && t.tid() == tid ? 'R' : 'S';
        }

        @Override
        public int[] uids() {
            Credentials c = group.credentials();
            return new int[] {c.uid(), c.euid(), c.suid(), c.fsuid()};
        }

        @Override
        public int[] gids() {
            Credentials c = group.credentials();
            return new int[] {c.gid(), c.egid(), c.sgid(), c.fsgid()};
        }

        @Override
        public int[] groups() {
            return group.credentials().groups();
        }

        @Override
        public int umask() {
            return group.umask();
        }

        @Override
        public List<OpenFile> files() {
            List<OpenFile> out = new ArrayList<>();
            for (int fd : group.files().openFds()) {
                OpenFile f = file(fd);
                if (f != null) {
                    out.add(f);
                }
            }
            return out;
        }

        @Override
        public OpenFile file(int fd) {
            FdTable table = group.files();
            try {
                FileDescription d = table.get(fd);
                boolean cloexec = table.closeOnExec(fd);
                return new OpenFile(fd, d.path(), d.flags(), d.position(), cloexec, d.location(), d);
            } catch (ErrnoException e) {
                return null;
            }
        }

        @Override
        public List<Mapping> maps() {
            AddressSpace space = group.space();
            if (space == null) {
                return List.of();
            }
            Vfs vfs = kernel.vfs();
            Map<String, StatBuf> files = new HashMap<>();
            List<Mapping> out = new ArrayList<>();
            for (Vma v : space.vmas()) {
                String name = v.name() == null ? "" : v.name();
                boolean file = !name.isEmpty() && name.charAt(0) == '/';
                long dev = 0;
                long ino = 0;
                if (file) {
                    StatBuf st = files.computeIfAbsent(name, n -> statOrNull(vfs, n));
                    if (st != null) {
                        dev = st.dev();
                        ino = st.ino();
                    }
                }
                out.add(new Mapping(v.start(), v.end(), v.prot(), (v.flags() & Mman.MAP_SHARED) != 0,
                        file ? v.offset() : 0, dev, ino, name, file, (v.flags() & Mman.MAP_GROWSDOWN) != 0,
                        space.residentPages(v.start(), v.end()), v.lock().locked()));
            }
            return out;
        }

        @Override
        public Layout layout() {
            Layout l = layoutNow();
            AddressSpace space = group.space();
            if (space == null) {
                return l;
            }
            // A request below the start of the heap changes nothing and returns the current break.
            long brk = space.brk(Long.MIN_VALUE);
            return new Layout(l.startCode(), l.endCode(), l.startData(), l.endData(), space.brkStart(), brk,
                    l.startStack(), l.argStart(), l.argEnd(), l.envStart(), l.envEnd());
        }

        @Override
        public long[] rlimit(int resource) {
            return group.rlimit(resource);
        }

        @Override
        public long startNanos() {
            return record.startNanos;
        }

        @Override
        public long blockedSignals(int tid) {
            Task t = taskOf(tid);
            return t == null ? 0 : t.signalMask();
        }

        @Override
        public int schedPolicy(int tid) {
            Task t = taskOf(tid);
            return t == null ? 0 : t.schedPolicy();
        }

        @Override
        public int rtPriority(int tid) {
            Task t = taskOf(tid);
            return t == null ? 0 : t.rtPriority();
        }

        /** Thread {@code tid} of the process, or null. */
        private Task taskOf(int tid) {
            for (Task t : group.tasks()) {
                if (t.tid() == tid) {
                    return t;
                }
            }
            return null;
        }

        @Override
        public int nice(int tid) {
            Task t = taskOf(tid);
            return t == null ? 0 : t.nice();
        }

        @Override
        public long[] cpuTimes(int tid) {
            long[] children = group.cputime().children();
            Task t = tid == 0 ? null : taskOf(tid);
            // tid 0 or a thread gone: the tgid's file (do_task_stat with whole)
            long[] self = t != null ? t.cputime().adjusted() : group.cputime().adjusted();
            return new long[] {self[0], self[1], children[0], children[1]};
        }

        @Override
        public long ignoredSignals() {
            return dispositions(true);
        }

        @Override
        public long caughtSignals() {
            return dispositions(false);
        }

        private long dispositions(boolean ignored) {
            long mask = 0;
            for (int sig = 1; sig <= 64; sig++) {
                long handler;
                try {
                    handler = group.signalActions().handler(sig);
                } catch (RuntimeException e) {
                    continue;
                }
                boolean match = ignored ? handler == SignalActions.SIG_IGN
                        : handler != SignalActions.SIG_DFL && handler != SignalActions.SIG_IGN;
                if (match) {
                    mask |= 1L << (sig - 1);
                }
            }
            return mask;
        }
    }

    private static StatBuf statOrNull(Vfs vfs, String guestPath) {
        try {
            return vfs.resolve("/", guestPath, Vfs.FOLLOW).stat();
        } catch (ErrnoException e) {
            return null;
        }
    }
}
