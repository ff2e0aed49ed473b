package dev.linux4j.fs.proc;

import dev.linux4j.abi.Fcntl;
import dev.linux4j.vfs.MagicLink;
import dev.linux4j.vfs.ProcessView;
import dev.linux4j.vfs.Vfs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * /proc/PID and /proc/PID/task/TID: the entries of {@code tgid_base_stuff} and
 * {@code tid_base_stuff} (fs/proc/base.c) that linux4j provides, in Linux's order, with Linux's
 * modes. Owned by the process's effective uid and gid, as task_dump_owner gives them.
 */
final class PidEntries {
    /** Entry kinds. */
    private enum Kind { DIR, FILE, LINK }

    /** One row of the table: name, kind, permission bits, and whether a task directory has it too. */
    private record Entry(String name, Kind kind, int perm, boolean inTask) {}

    private static final List<Entry> ENTRIES = List.of(
            new Entry("task", Kind.DIR, 0555, false),
            new Entry("fd", Kind.DIR, 0500, true),
            new Entry("fdinfo", Kind.DIR, 0555, true),
            new Entry("net", Kind.DIR, 0555, true),
            new Entry("environ", Kind.FILE, 0400, true),
            new Entry("auxv", Kind.FILE, 0400, true),
            new Entry("status", Kind.FILE, 0444, true),
            new Entry("personality", Kind.FILE, 0400, true),
            new Entry("limits", Kind.FILE, 0444, true),
            new Entry("comm", Kind.FILE, 0644, true),
            new Entry("cmdline", Kind.FILE, 0444, true),
            new Entry("stat", Kind.FILE, 0444, true),
            new Entry("statm", Kind.FILE, 0444, true),
            new Entry("maps", Kind.FILE, 0444, true),
            new Entry("cwd", Kind.LINK, 0777, true),
            new Entry("root", Kind.LINK, 0777, true),
            new Entry("exe", Kind.LINK, 0777, true),
            new Entry("mounts", Kind.FILE, 0444, true),
            new Entry("mountinfo", Kind.FILE, 0444, true),
            new Entry("smaps", Kind.FILE, 0444, true),
            new Entry("smaps_rollup", Kind.FILE, 0444, false),
            new Entry("wchan", Kind.FILE, 0444, true),
            new Entry("cgroup", Kind.FILE, 0444, true),
            new Entry("oom_score", Kind.FILE, 0444, true),
            new Entry("oom_adj", Kind.FILE, 0644, true),
            new Entry("oom_score_adj", Kind.FILE, 0644, true),
            new Entry("loginuid", Kind.FILE, 0644, true),
            new Entry("sessionid", Kind.FILE, 0444, true),
            new Entry("io", Kind.FILE, 0400, true));

    private final ProcFileSystem fs;
    private final ProcessView view;
    /** 0 for /proc/PID, else the thread of /proc/PID/task/TID. */
    private final int tid;

    PidEntries(ProcFileSystem fs, ProcessView view, int tid) {
        this.fs = fs;
        this.view = view;
        this.tid = tid;
    }

    /** The thread the thread-specific files describe: the given one, or the group leader. */
    private int thread() {
        return tid != 0 ? tid : view.pid();
    }

    private ProcNode.Attr attr(int perm) {
        return new ProcNode.Attr(perm, view.uids()[1], view.gids()[1],
                fs.bootTime() + view.startNanos() / 1_000_000_000L, 0);
    }

    ProcNode dir() {
        return new ProcNode.Dir(attr(0555), this::names, this::child, () -> tid == 0 ? SUBDIRS : TASK_SUBDIRS);
    }

    private static final long SUBDIRS = ENTRIES.stream().filter(e -> e.kind() == Kind.DIR).count();
    private static final long TASK_SUBDIRS = ENTRIES.stream().filter(e -> e.kind() == Kind.DIR && e.inTask()).count();

    private List<String> names() {
        List<String> out = new ArrayList<>();
        for (Entry e : ENTRIES) {
            if (tid == 0 || e.inTask()) {
                out.add(e.name());
            }
        }
        return out;
    }

    private ProcNode child(String name) {
        for (Entry e : ENTRIES) {
            if (e.name().equals(name) && (tid == 0 || e.inTask())) {
                return make(e);
            }
        }
        return null;
    }

    private ProcNode make(Entry e) {
        ProcNode.Attr a = attr(e.perm());
        return switch (e.name()) {
            case "task" -> new ProcNode.Dir(a, this::taskNames, this::taskChild);
            case "fd" -> new ProcNode.Dir(a.withSize(view.files().size()), this::fdNames, this::fdChild);
            case "fdinfo" -> new ProcNode.Dir(a, this::fdNames, this::fdinfoChild);
            case "net" -> NetFiles.dir(fs, a);
            case "cwd" -> new ProcNode.Link(a, () -> FdLinks.directory(fs, view.cwd()),
                    () -> new MagicLink.ToPath(view.cwd()));
            case "root" -> new ProcNode.Link(a, () -> Vfs.pathFrom(fs.readerRoot(), view.root(), false),
                    () -> new MagicLink.ToPath(view.root()));
            case "exe" -> new ProcNode.Link(a,
                    () -> view.exe().isEmpty() ? null : Vfs.pathFrom(fs.readerRoot(), view.exe(), false),
                    () -> view.exe().isEmpty() ? null : new MagicLink.ToPath(view.exe()));
            default -> new ProcNode.File(a, content(e.name()));
        };
    }

    private Supplier<byte[]> content(String name) {
        return switch (name) {
            case "environ" -> view::environ;
            case "auxv" -> view::auxv;
            case "cmdline" -> view::cmdline;
            case "status" -> text(() -> PidFiles.status(fs.processes(), view, thread()));
            case "stat" -> text(() -> PidFiles.stat(fs.processes(), view, thread(), tid == 0));
            case "statm" -> text(() -> PidFiles.statm(view));
            case "maps" -> text(() -> PidFiles.maps(view, fs.readerRoot()));
            case "smaps" -> text(() -> PidFiles.smaps(view, fs.readerRoot()));
            case "smaps_rollup" -> text(() -> PidFiles.smapsRollup(view));
            case "limits" -> text(() -> PidFiles.limits(view));
            case "mounts" -> text(() -> Mounts.mounts(fs.vfs(), view.root()));
            case "mountinfo" -> text(() -> Mounts.mountinfo(fs.vfs(), view.root()));
            case "comm" -> text(() -> view.comm() + "\n");
            case "personality" -> text(() -> "00000000\n");
            case "wchan" -> text(() -> "0");
            case "cgroup" -> text(() -> "0::/\n");
            case "oom_score" -> text(() -> "0\n");
            case "oom_adj", "oom_score_adj" -> text(() -> "0\n");
            case "loginuid", "sessionid" -> text(() -> "4294967295");
            case "io" -> text(() -> "rchar: 0\nwchar: 0\nsyscr: 0\nsyscw: 0\nread_bytes: 0\nwrite_bytes: 0\n"
                    + "cancelled_write_bytes: 0\n");
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Supplier<byte[]> text(Supplier<String> s) {
        return () -> s.get().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- task/

    private List<String> taskNames() {
        List<String> out = new ArrayList<>();
        for (int t : view.tids()) {
            out.add(Integer.toString(t));
        }
        return out;
    }

    private ProcNode taskChild(String name) {
        int t = ProcFileSystem.parsePid(name);
        for (int x : view.tids()) {
            if (x == t) {
                return new PidEntries(fs, view, t).dir();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- fd/ and fdinfo/

    private List<String> fdNames() {
        List<String> out = new ArrayList<>();
        for (ProcessView.OpenFile f : view.files()) {
            out.add(Integer.toString(f.fd()));
        }
        return out;
    }

    private ProcessView.OpenFile open(String name) {
        int fd = name.equals("0") ? 0 : ProcFileSystem.parsePid(name);
        return fd < 0 ? null : view.file(fd);
    }

    /**
     * A descriptor's link: its mode tells the access mode (proc_fd_link: read gives r-x, write
     * gives -wx, for the owner), its size is 64 as Linux reports, its target the path.
     */
    private ProcNode fdChild(String name) {
        ProcessView.OpenFile f = open(name);
        if (f == null) {
            return null;
        }
        int perm = 0;
        if ((f.flags() & Fcntl.O_PATH) == 0) {
            int acc = f.flags() & Fcntl.O_ACCMODE;
            if (acc == Fcntl.O_RDONLY || acc == Fcntl.O_RDWR) {
                perm |= 0500;
            }
            if (acc == Fcntl.O_WRONLY || acc == Fcntl.O_RDWR) {
                perm |= 0300;
            }
        }
        int fd = f.fd();
        return new ProcNode.Link(attr(perm).withSize(64), () -> {
            ProcessView.OpenFile now = view.file(fd);
            return now == null ? null : FdLinks.text(fs, now);
        }, () -> {
            ProcessView.OpenFile now = view.file(fd);
            return now == null ? null : FdLinks.jump(now);
        });
    }

    private ProcNode fdinfoChild(String name) {
        ProcessView.OpenFile f = open(name);
        if (f == null) {
            return null;
        }
        int fd = f.fd();
        return new ProcNode.File(attr(0444), () -> {
            ProcessView.OpenFile now = view.file(fd);
            return (now == null ? "" : PidFiles.fdinfo(now)).getBytes(StandardCharsets.UTF_8);
        });
    }
}
