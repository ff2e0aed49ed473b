package dev.linux4j.fs.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.fs.dev.DevFileSystem;
import dev.linux4j.vfs.DirEntry;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileOps;
import dev.linux4j.vfs.ProcessView;
import dev.linux4j.vfs.Vfs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /proc's tree and formats, against a hand-made process. Expected text is what Linux prints for
 * the same state (lines taken from a Linux 6.x host's /proc).
 */
class ProcFileSystemTest {
    private FakeProcesses processes;
    private ProcFileSystem proc;
    private Vfs vfs;

    @BeforeEach
    void setUp() {
        vfs = new Vfs(new DevFileSystem(new java.security.SecureRandom()));
        proc = new ProcFileSystem(vfs);
        vfs.mount("/proc", proc, false);
        processes = new FakeProcesses();
        proc.attach(processes);
    }

    private byte[] readBytes(String path) {
        FileOps ops = proc.open(path, Fcntl.O_RDONLY, 0);
        FileDescription file = new FileDescription(ops, Fcntl.O_RDONLY, "/proc/" + path, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7]; // small reads: content must survive being read in pieces
        long pos = 0;
        int n;
        while ((n = ops.read(file, buf, 0, buf.length, pos)) > 0) {
            out.write(buf, 0, n);
            pos += n;
        }
        return out.toByteArray();
    }

    private String read(String path) {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }

    private List<String> names(String path) {
        return proc.list(path).stream().map(e -> new String(e.name(), StandardCharsets.UTF_8)).toList();
    }

    private static Errno errnoOf(Runnable r) {
        try {
            r.run();
        } catch (ErrnoException e) {
            return e.errno();
        }
        return null;
    }

    // ---------------------------------------------------------------- tree

    @Test
    void selfAndThreadSelfNameTheCaller() {
        assertThat(proc.readlink("self")).isEqualTo("100");
        assertThat(proc.readlink("thread-self")).isEqualTo("100/task/101");
        assertThat(Stat.isLink(proc.stat("self").mode())).isTrue();
        assertThat(proc.stat("self").mode() & 07777).isEqualTo(0777);
    }

    @Test
    void selfIsMissingOutsideAGuestThread() {
        processes.hasCurrent = false;
        assertThat(errnoOf(() -> proc.readlink("self"))).isEqualTo(Errno.ENOENT);
        assertThatThrownBy(() -> vfs.resolve("/", "/proc/self/status", Vfs.FOLLOW)).isInstanceOf(ErrnoException.class);
    }

    @Test
    void pathsResolveThroughSelf() {
        Vfs.Resolved r = vfs.resolve("/", "/proc/self/status", Vfs.FOLLOW);
        assertThat(r.guestPath()).isEqualTo("/proc/100/status");
        assertThat(vfs.resolve("/", "/proc/thread-self/comm", Vfs.FOLLOW).guestPath())
                .isEqualTo("/proc/100/task/101/comm");
    }

    @Test
    void rootListsEntriesSelfAndPids() {
        List<String> n = names("");
        assertThat(n).startsWith(".", "..");
        assertThat(n).contains("cpuinfo", "meminfo", "stat", "uptime", "loadavg", "version", "filesystems", "mounts",
                "sys", "self", "thread-self", "100");
        // proc_root_readdir: registered entries, then self and thread-self, then the pids.
        assertThat(n.subList(n.size() - 3, n.size())).containsExactly("self", "thread-self", "100");
        assertThat(proc.list("").get(n.indexOf("sys")).type()).isEqualTo(Stat.DT_DIR);
        assertThat(proc.list("").get(n.indexOf("self")).type()).isEqualTo(Stat.DT_LNK);
    }

    @Test
    void unknownPidsAndNamesAreMissing() {
        assertThat(errnoOf(() -> proc.stat("99"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> proc.stat("0100"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> proc.stat("100/nothing"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> proc.stat("100/task/102"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> proc.stat("cpuinfo/x"))).isEqualTo(Errno.ENOTDIR);
    }

    @Test
    void modesAreLinuxs() {
        assertThat(proc.stat("").mode()).isEqualTo(Stat.S_IFDIR | 0555);
        assertThat(proc.stat("100").mode()).isEqualTo(Stat.S_IFDIR | 0555);
        assertThat(proc.stat("100/status").mode()).isEqualTo(Stat.S_IFREG | 0444);
        assertThat(proc.stat("100/environ").mode()).isEqualTo(Stat.S_IFREG | 0400);
        assertThat(proc.stat("100/auxv").mode()).isEqualTo(Stat.S_IFREG | 0400);
        assertThat(proc.stat("100/comm").mode()).isEqualTo(Stat.S_IFREG | 0644);
        assertThat(proc.stat("100/exe").mode()).isEqualTo(Stat.S_IFLNK | 0777);
        assertThat(proc.stat("100/fd").mode()).isEqualTo(Stat.S_IFDIR | 0500);
        assertThat(proc.stat("100/fdinfo").mode()).isEqualTo(Stat.S_IFDIR | 0555);
        assertThat(proc.stat("cpuinfo").mode()).isEqualTo(Stat.S_IFREG | 0444);
        assertThat(proc.stat("cpuinfo").size()).isZero();
        assertThat(proc.stat("100/status").uid()).isEqualTo(1000);
        assertThat(proc.stat("cpuinfo").uid()).isZero();
        StatBuf st = proc.stat("100/status");
        assertThat(st.dev()).isEqualTo(StatBuf.makedev(0, 22));
        assertThat(proc.stat("100/status").ino()).isEqualTo(st.ino());
        assertThat(proc.stat("100/stat").ino()).isNotEqualTo(st.ino());
    }

    @Test
    void pidDirectoryLinks() {
        assertThat(proc.readlink("100/exe")).isEqualTo("/usr/bin/prog");
        // The fake process's cwd does not exist in this file tree: d_path marks it as a removed directory.
        assertThat(proc.readlink("100/cwd")).isEqualTo("/home/user (deleted)");
        assertThat(proc.readlink("100/root")).isEqualTo("/");
        assertThat(errnoOf(() -> proc.readlink("100/status"))).isEqualTo(Errno.EINVAL);
        processes.proc.exe = "";
        assertThat(errnoOf(() -> proc.readlink("100/exe"))).isEqualTo(Errno.ENOENT);
    }

    @Test
    void taskDirectoryHasEveryThread() {
        assertThat(names("100/task")).containsExactly(".", "..", "100", "101");
        assertThat(names("100/task/101")).doesNotContain("task").contains("status", "stat", "fd", "comm");
        assertThat(read("100/task/101/status")).contains("\nPid:\t101\n").contains("State:\tS (sleeping)\n")
                .contains("Tgid:\t100\n");
    }

    @Test
    void fdLinksShowAccessModeAndPath() {
        processes.proc.files.add(new ProcessView.OpenFile(0, "/dev/null", Fcntl.O_RDONLY, 0, false, null, null));
        processes.proc.files.add(new ProcessView.OpenFile(1, "pipe:[7]", Fcntl.O_WRONLY, 0, false, null, null));
        processes.proc.files.add(new ProcessView.OpenFile(5, "/etc/passwd", Fcntl.O_RDWR, 12, true, null, null));
        assertThat(names("100/fd")).containsExactly(".", "..", "0", "1", "5");
        assertThat(proc.stat("100/fd").size()).isEqualTo(3);
        assertThat(proc.stat("100/fd/0").mode()).isEqualTo(Stat.S_IFLNK | 0500);
        assertThat(proc.stat("100/fd/1").mode()).isEqualTo(Stat.S_IFLNK | 0300);
        assertThat(proc.stat("100/fd/5").mode()).isEqualTo(Stat.S_IFLNK | 0700);
        assertThat(proc.stat("100/fd/5").size()).isEqualTo(64);
        assertThat(proc.readlink("100/fd/1")).isEqualTo("pipe:[7]");
        assertThat(proc.readlink("100/fd/5")).isEqualTo("/etc/passwd");
        assertThat(errnoOf(() -> proc.stat("100/fd/3"))).isEqualTo(Errno.ENOENT);
        // No location: the file is on no guest mount, so fdinfo names the internal pipefs mount as Linux would.
        assertThat(read("100/fdinfo/5")).isEqualTo("pos:\t12\nflags:\t02000002\nmnt_id:\t15\nino:\t0\n");
    }

    @Test
    void cmdlineEnvironAndCommAreTheGuests() {
        assertThat(readBytes("100/cmdline")).isEqualTo("prog\0-x\0".getBytes(StandardCharsets.UTF_8));
        assertThat(readBytes("100/environ")).isEqualTo("A=1\0".getBytes(StandardCharsets.UTF_8));
        assertThat(read("100/comm")).isEqualTo("prog\n");
        assertThat(readBytes("100/auxv")).hasSize(16);
    }

    @Test
    void contentIsGeneratedAgainWhenReadFromTheStart() {
        FileOps ops = proc.open("100/comm", Fcntl.O_RDONLY, 0);
        FileDescription file = new FileDescription(ops, Fcntl.O_RDONLY, "/proc/100/comm", null);
        byte[] buf = new byte[64];
        assertThat(new String(buf, 0, ops.read(file, buf, 0, 64, 0), StandardCharsets.UTF_8)).isEqualTo("prog\n");
        processes.proc.comm = "renamed";
        assertThat(ops.read(file, buf, 0, 64, 5)).isZero();
        assertThat(new String(buf, 0, ops.read(file, buf, 0, 64, 0), StandardCharsets.UTF_8)).isEqualTo("renamed\n");
    }

    @Test
    void namespaceChangesAreRefused() {
        assertThat(errnoOf(() -> proc.unlink("100/status"))).isEqualTo(Errno.EACCES);
        assertThat(errnoOf(() -> proc.mkdir("100", 0755))).isEqualTo(Errno.EEXIST);
        assertThat(errnoOf(() -> proc.mkdir("new", 0755))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> proc.chmod("cpuinfo", 0777))).isEqualTo(Errno.EPERM);
    }

    @Test
    void accessFollowsModeAndOwner() {
        assertThat(proc.access("100/environ", 4)).isTrue();
        assertThat(proc.access("100/status", 2)).isFalse();
        assertThat(proc.access("cpuinfo", 4)).isTrue();
        assertThat(proc.access("100/comm", 2)).isTrue();
        processes.proc.uid = 0;
        assertThat(proc.access("100/environ", 4)).isTrue();
    }

    // ---------------------------------------------------------------- formats

    @Test
    void mapsLinesArePaddedToColumn73() {
        List<ProcessView.Mapping> maps = processes.proc.maps;
        maps.add(new ProcessView.Mapping(0x55eb72963000L, 0x55eb72965000L, 1, false, 0, StatBuf.makedev(254, 0),
                260131, "/usr/bin/cat", true, false, 2));
        maps.add(new ProcessView.Mapping(0x55eb72965000L, 0x55eb7296a000L, 5, false, 0x2000, StatBuf.makedev(254, 0),
                260131, "/usr/bin/cat", true, false, 0));
        maps.add(new ProcessView.Mapping(0x55eb937e3000L, 0x55eb93804000L, 3, false, 0, 0, 0, "[heap]", false, false,
                1));
        maps.add(new ProcessView.Mapping(0x7f87a7d42000L, 0x7f87a7d64000L, 3, false, 0, 0, 0, "", false, false, 0));
        maps.add(new ProcessView.Mapping(0x7f87a7faa000L, 0x7f87a7fb1000L, 1, true, 0, StatBuf.makedev(254, 0),
                338846, "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache", true, false, 0));
        maps.add(new ProcessView.Mapping(0x7fff098df000L, 0x7fff09900000L, 3, false, 0, 0, 0, "[stack]", false, true,
                3));
        maps.add(new ProcessView.Mapping(0x1000, 0x2000, 0, false, 0, 0, 0, "", false, false, 0));
        assertThat(read("100/maps")).isEqualTo(String.join("\n",
                "55eb72963000-55eb72965000 r--p 00000000 fe:00 260131                     /usr/bin/cat",
                "55eb72965000-55eb7296a000 r-xp 00002000 fe:00 260131                     /usr/bin/cat",
                "55eb937e3000-55eb93804000 rw-p 00000000 00:00 0                          [heap]",
                "7f87a7d42000-7f87a7d64000 rw-p 00000000 00:00 0 ",
                "7f87a7faa000-7f87a7fb1000 r--s 00000000 fe:00 338846                     "
                        + "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache",
                "7fff098df000-7fff09900000 rw-p 00000000 00:00 0                          [stack]",
                "00001000-00002000 ---p 00000000 00:00 0 ",
                ""));
        assertThat(read("100/smaps_rollup")).startsWith(
                "55eb72963000-00002000 ---p 00000000 00:00 0                              [rollup]\n"
                        + "Rss:                  24 kB\n"
                        + "Pss:                  24 kB\n"
                        + "Pss_Dirty:            16 kB\n"
                        + "Pss_Anon:             16 kB\n"
                        + "Pss_File:              8 kB\n");
        assertThat(read("100/smaps")).contains("7fff098df000-7fff09900000 rw-p 00000000 00:00 0"
                + "                          [stack]\nSize:                132 kB\nKernelPageSize:        4 kB\n"
                + "MMUPageSize:           4 kB\nRss:                  12 kB\n")
                .contains("THPeligible:           0\nVmFlags: rd wr mr mw me gd ac \n");
    }

    /** The status fields of Linux 6.x on x86-64, in order (as a host's /proc/self/status lists them). */
    static final List<String> STATUS_FIELDS = List.of("Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid",
            "TracerPid", "Uid", "Gid", "FDSize", "Groups", "NStgid", "NSpid", "NSpgid", "NSsid", "Kthread", "VmPeak",
            "VmSize", "VmLck", "VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmData", "VmStk",
            "VmExe", "VmLib", "VmPTE", "VmSwap", "HugetlbPages", "CoreDumping", "THP_enabled", "untag_mask",
            "Threads", "SigQ", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt", "CapInh", "CapPrm", "CapEff",
            "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Seccomp_filters", "Speculation_Store_Bypass",
            "SpeculationIndirectBranch", "Cpus_allowed", "Cpus_allowed_list", "Mems_allowed", "Mems_allowed_list",
            "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches");

    @Test
    void statusHasLinuxsFieldsInOrder() {
        String status = read("100/status");
        List<String> fields = Arrays.stream(status.split("\n")).map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertThat(fields).isEqualTo(STATUS_FIELDS);
        assertThat(status).startsWith("Name:\tprog\nUmask:\t0022\nState:\tR (running)\nTgid:\t100\nNgid:\t0\n"
                + "Pid:\t100\nPPid:\t1\nTracerPid:\t0\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n"
                + "FDSize:\t64\nGroups:\t1000 27 \n");
        assertThat(status).contains("\nThreads:\t2\n").contains("\nSigBlk:\t0000000000000200\n")
                .contains("\nSigIgn:\t0000000000001000\n").contains("\nSigCgt:\t0000000000000002\n")
                .contains("\nCapEff:\t0000000000000000\n").contains("\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n")
                .contains("\nVmLck:\t       0 kB\n");
    }

    @Test
    void statusEscapesNewlineAndBackslashInTheName() {
        processes.proc.comm = "a\nb\\c";
        assertThat(read("100/status")).startsWith("Name:\ta\\nb\\\\c\n");
    }

    @Test
    void cpuMaskGroupsOf32Bits() {
        assertThat(PidFiles.cpuMask(1)).isEqualTo("1");
        assertThat(PidFiles.cpuMask(2)).isEqualTo("3");
        assertThat(PidFiles.cpuMask(8)).isEqualTo("ff");
        assertThat(PidFiles.cpuMask(32)).isEqualTo("ffffffff");
        assertThat(PidFiles.cpuMask(40)).isEqualTo("ff,ffffffff");
    }

    @Test
    void statHas52FieldsInDoTaskStatOrder() {
        String stat = read("100/stat");
        assertThat(stat).startsWith("100 (prog) R 1 100 100 0 -1 0 0 0 0 0 0 0 0 0 20 0 2 0 250 ").endsWith(" 0\n");
        String afterComm = stat.substring(stat.indexOf(") ") + 2).trim();
        assertThat(afterComm.split(" ")).hasSize(50);
        String[] f = afterComm.split(" ");
        // Fields 3..52 (proc(5)) are at f[n - 3]: startcode 26, blocked 32, sigignore 33, sigcatch 34,
        // exit_signal 38.
        assertThat(f[26 - 3]).isEqualTo(Long.toString(0x400000));
        assertThat(f[32 - 3]).isEqualTo("512");
        assertThat(f[33 - 3]).isEqualTo("4096");
        assertThat(f[34 - 3]).isEqualTo("2");
        assertThat(f[38 - 3]).isEqualTo("17");
        assertThat(f[25 - 3]).isEqualTo("18446744073709551615");
        assertThat(read("100/task/101/stat")).startsWith("101 (prog) S ");
    }

    @Test
    void statmCountsPages() {
        processes.proc.maps.add(new ProcessView.Mapping(0x400000, 0x401000, 5, false, 0, 1, 2, "/p", true, false, 1));
        processes.proc.maps.add(new ProcessView.Mapping(0x402000, 0x404000, 3, false, 0, 0, 0, "", false, false, 1));
        processes.proc.maps.add(new ProcessView.Mapping(0x7ffffffdd000L, 0x7ffffffff000L, 3, false, 0, 0, 0,
                "[stack]", false, true, 2));
        assertThat(read("100/statm")).isEqualTo("37 4 1 1 0 36 0\n");
    }

    @Test
    void limitsUseProcPidLimitsColumns() {
        String limits = read("100/limits");
        assertThat(limits).startsWith("Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max cpu time              unlimited            unlimited            seconds   \n");
        assertThat(limits).contains("\nMax stack size            8388608              unlimited            bytes     \n")
                .contains("\nMax open files            1024                 1048576              files     \n")
                .contains("\nMax nice priority         unlimited            unlimited            \n")
                .endsWith("Max realtime timeout      unlimited            unlimited            us        \n");
    }

    @Test
    void cpuinfoDescribesTheEmulatedCpu() {
        String cpuinfo = read("cpuinfo");
        assertThat(cpuinfo).startsWith("processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 58\n"
                + "model name\t: linux4j virtual x86-64 CPU\nstepping\t: 9\n");
        assertThat(cpuinfo).contains(
                "\nflags\t\t: fpu tsc cx8 cmov clflush mmx fxsr sse sse2 syscall nx lm pni ssse3 cx16 sse4_1 sse4_2 movbe popcnt"
                + " lahf_lm erms\n");
        assertThat(cpuinfo).contains("\nprocessor\t: 1\n").doesNotContain("processor\t: 2");
        assertThat(cpuinfo).contains("\naddress sizes\t: 46 bits physical, 48 bits virtual\npower management:\n\n");
    }

    @Test
    void machineWideFiles() {
        assertThat(read("version")).isEqualTo(
                "Linux version 6.12.0 (linux4j@linux4j) (linux4j) #1 SMP PREEMPT_DYNAMIC linux4j\n");
        assertThat(read("uptime")).isEqualTo("12.34 24.68\n");
        assertThat(read("loadavg")).isEqualTo("0.00 0.00 0.00 1/2 101\n");
        assertThat(read("stat")).startsWith("cpu  0 0 0 2468 0 0 0 0 0 0\ncpu0 0 0 0 1234 0 0 0 0 0 0\n")
                .contains("\nbtime 1700000000\n");
        assertThat(read("meminfo")).startsWith("MemTotal:       ").contains("\nHugePages_Total:       0\n")
                .contains("\nHugepagesize:       2048 kB\n");
        assertThat(read("filesystems")).contains("nodev\tproc\n");
        assertThat(proc.readlink("mounts")).isEqualTo("self/mounts");
    }

    @Test
    void mountsComeFromTheMountTable() {
        String mounts = read("100/mounts");
        assertThat(mounts).contains("proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n");
        String info = read("100/mountinfo");
        assertThat(info).contains(" 0:22 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n");
        assertThat(Mounts.mangle("a b\tc\\")).isEqualTo("a\\040b\\011c\\134");
    }

    @Test
    void sysctls() {
        assertThat(read("sys/kernel/ostype")).isEqualTo("Linux\n");
        assertThat(read("sys/kernel/osrelease")).isEqualTo("6.12.0\n");
        assertThat(read("sys/kernel/hostname")).isEqualTo("guest\n");
        assertThat(read("sys/kernel/pid_max")).isEqualTo("4194304\n");
        assertThat(read("sys/kernel/random/boot_id")).isEqualTo("0b1d5c9e-2f55-4a35-9a3e-6f0e1b2c3d4e\n");
        assertThat(read("sys/kernel/random/uuid")).hasSize(37).isNotEqualTo(read("sys/kernel/random/uuid"));
        assertThat(read("sys/vm/overcommit_memory")).isEqualTo("0\n");
        assertThat(read("sys/fs/nr_open")).isEqualTo("1048576\n");
        assertThat(read("sys/fs/file-max")).isEqualTo("9223372036854775807\n");
        assertThat(names("sys")).containsExactly(".", "..", "kernel", "vm", "fs");
        assertThat(names("sys/kernel/random")).contains("boot_id", "uuid");
        assertThat(proc.stat("sys/kernel/random").mode()).isEqualTo(Stat.S_IFDIR | 0555);
        assertThat(proc.stat("sys/kernel/ostype").mode()).isEqualTo(Stat.S_IFREG | 0444);
    }

    @Test
    void directoryReaddirThroughAnOpenFile() {
        FileOps ops = proc.open("100", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY, 0);
        List<DirEntry> entries = ops.readdir(null);
        assertThat(entries.stream().map(e -> new String(e.name(), StandardCharsets.UTF_8)))
                .contains("status", "maps", "fd", "exe");
        assertThat(proc.stat("100").nlink()).isEqualTo(6); // . and .. plus task, fd, fdinfo, net
    }
}
