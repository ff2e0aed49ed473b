package dev.linux4j.fs.proc;

import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Resource;
import dev.linux4j.vfs.ProcessDirectory;
import dev.linux4j.vfs.JobControl;
import dev.linux4j.vfs.ProcessView;
import dev.linux4j.vfs.Vfs;
import java.util.List;

/**
 * The text of the per-process files, byte for byte as Linux 6.12 prints them:
 * {@code fs/proc/array.c} (status, stat, statm), {@code fs/proc/task_mmu.c} (maps, smaps,
 * smaps_rollup, the Vm* lines), {@code fs/proc/base.c} (limits) and {@code fs/proc/fd.c}
 * (fdinfo).
 */
final class PidFiles {
    private PidFiles() {}

    static final int PAGE_SHIFT = 12;
    static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** USER_HZ: clock ticks in /proc/PID/stat and /proc/stat. */
    static final long USER_HZ = 100;
    /** CAP_LAST_CAP in Linux 6.12 is 40 (CAP_CHECKPOINT_RESTORE): the full capability set. */
    static final long CAP_FULL = (1L << 41) - 1;

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int PROT_EXEC = 4;

    /** The mm counters task_mem and task_statm report, in pages. */
    record MemStats(long totalVm, long rssAnon, long rssFile, long dataVm, long stackVm, long execVm, long text,
            long lib, long ptes, long lockedVm) {
        long rss() {
            return rssAnon + rssFile;
        }

        static MemStats of(ProcessView view) {
            long total = 0;
            long anon = 0;
            long file = 0;
            long data = 0;
            long stack = 0;
            long exec = 0;
            long locked = 0;
            for (ProcessView.Mapping m : view.maps()) {
                long pages = m.length() >>> PAGE_SHIFT;
                total += pages;
                if (m.locked()) {
                    locked += pages; // mm->locked_vm
                }
                if (m.file()) {
                    file += m.residentPages();
                } else {
                    anon += m.residentPages();
                }
                // vm_stat_account: exec_vm, stack_vm, data_vm (mm/mmap.c).
                if ((m.prot() & (PROT_EXEC | PROT_WRITE)) == PROT_EXEC && !m.stack()) {
                    exec += pages;
                } else if (m.stack()) {
                    stack += pages;
                } else if ((m.prot() & PROT_WRITE) != 0 && !m.shared()) {
                    data += pages;
                }
            }
            ProcessView.Layout l = view.layout();
            long textBytes = pageAlign(l.endCode()) - (l.startCode() & ~(PAGE_SIZE - 1));
            long text = Math.max(0, Math.min(textBytes >>> PAGE_SHIFT, exec));
            // One 4 KiB page-table page per 2 MiB of address space, plus the upper levels.
            long ptes = total == 0 ? 0 : (total + 511) / 512 + 3;
            return new MemStats(total, anon, file, data, stack, exec, text, exec - text, ptes, locked);
        }
    }

    static long pageAlign(long v) {
        return (v + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    }

    /** Pages as seq_put_decimal_ull_width(m, label, pages << (PAGE_SHIFT - 10), 8) " kB". */
    private static void kb(StringBuilder b, String label, long pages) {
        b.append(label).append(String.format("%8d", pages << (PAGE_SHIFT - 10))).append(" kB\n");
    }

    // ---------------------------------------------------------------- status

    /** /proc/PID/status (proc_pid_status); {@code tid} selects the thread for Pid, State and SigBlk. */
    static String status(ProcessDirectory dir, ProcessView v, int tid) {
        StringBuilder b = new StringBuilder(1536);
        b.append("Name:\t").append(escapeName(v.comm())).append('\n');
        b.append("Umask:\t").append(String.format("%04o", v.umask())).append('\n');
        b.append("State:\t").append(stateName(v.state(tid))).append('\n');
        b.append("Tgid:\t").append(v.pid()).append('\n');
        b.append("Ngid:\t0\n");
        b.append("Pid:\t").append(tid).append('\n');
        b.append("PPid:\t").append(v.ppid()).append('\n');
        b.append("TracerPid:\t0\n");
        int[] u = v.uids();
        int[] g = v.gids();
        b.append("Uid:\t").append(u[0]).append('\t').append(u[1]).append('\t').append(u[2]).append('\t').append(u[3])
                .append('\n');
        b.append("Gid:\t").append(g[0]).append('\t').append(g[1]).append('\t').append(g[2]).append('\t').append(g[3])
                .append('\n');
        b.append("FDSize:\t").append(fdSize(v)).append('\n');
        b.append("Groups:\t");
        int[] groups = v.groups();
        for (int k = 0; k < groups.length; k++) {
            b.append(k == 0 ? "" : " ").append(groups[k]);
        }
        b.append(" \n");
        b.append("NStgid:\t").append(v.pid()).append('\n');
        b.append("NSpid:\t").append(tid).append('\n');
        b.append("NSpgid:\t").append(v.pgrp()).append('\n');
        b.append("NSsid:\t").append(v.session()).append('\n');
        b.append("Kthread:\t0\n");
        MemStats m = MemStats.of(v);
        kb(b, "VmPeak:\t", m.totalVm());
        kb(b, "VmSize:\t", m.totalVm());
        kb(b, "VmLck:\t", m.lockedVm());
        kb(b, "VmPin:\t", 0);
        kb(b, "VmHWM:\t", m.rss());
        kb(b, "VmRSS:\t", m.rss());
        kb(b, "RssAnon:\t", m.rssAnon());
        kb(b, "RssFile:\t", m.rssFile());
        kb(b, "RssShmem:\t", 0);
        kb(b, "VmData:\t", m.dataVm());
        kb(b, "VmStk:\t", m.stackVm());
        kb(b, "VmExe:\t", m.text());
        kb(b, "VmLib:\t", m.lib());
        kb(b, "VmPTE:\t", m.ptes());
        kb(b, "VmSwap:\t", 0);
        kb(b, "HugetlbPages:\t", 0);
        b.append("CoreDumping:\t0\n");
        b.append("THP_enabled:\t1\n");
        b.append("untag_mask:\t0xffffffffffffffff\n");
        b.append("Threads:\t").append(v.tids().length).append('\n');
        b.append("SigQ:\t0/").append(v.rlimit(Resource.RLIMIT_SIGPENDING)[0]).append('\n');
        b.append("SigPnd:\t").append(hex16(0)).append('\n');
        b.append("ShdPnd:\t").append(hex16(0)).append('\n');
        b.append("SigBlk:\t").append(hex16(v.blockedSignals(tid))).append('\n');
        b.append("SigIgn:\t").append(hex16(v.ignoredSignals())).append('\n');
        b.append("SigCgt:\t").append(hex16(v.caughtSignals())).append('\n');
        boolean root = u[1] == 0;
        b.append("CapInh:\t").append(hex16(0)).append('\n');
        b.append("CapPrm:\t").append(hex16(root ? CAP_FULL : 0)).append('\n');
        b.append("CapEff:\t").append(hex16(root ? CAP_FULL : 0)).append('\n');
        b.append("CapBnd:\t").append(hex16(CAP_FULL)).append('\n');
        b.append("CapAmb:\t").append(hex16(0)).append('\n');
        b.append("NoNewPrivs:\t0\n");
        b.append("Seccomp:\t0\n");
        b.append("Seccomp_filters:\t0\n");
        b.append("Speculation_Store_Bypass:\tnot vulnerable\n");
        b.append("SpeculationIndirectBranch:\tnot affected\n");
        int cpus = dir.cpuCount();
        b.append("Cpus_allowed:\t").append(cpuMask(cpus)).append('\n');
        b.append("Cpus_allowed_list:\t").append(cpus == 1 ? "0" : "0-" + (cpus - 1)).append('\n');
        b.append("Mems_allowed:\t");
        for (int k = 0; k < 31; k++) {
            b.append("00000000,");
        }
        b.append("00000001\n");
        b.append("Mems_allowed_list:\t0\n");
        b.append("voluntary_ctxt_switches:\t0\n");
        b.append("nonvoluntary_ctxt_switches:\t0\n");
        return b.toString();
    }

    /** task_name with escape: only '\n' and '\\' are escaped (seq_escape_str, "\n\\"). */
    static String escapeName(String comm) {
        return comm.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** task_state_array. */
    static String stateName(char state) {
        return switch (state) {
            case 'R' -> "R (running)";
            case 'S' -> "S (sleeping)";
            case 'D' -> "D (disk sleep)";
            case 'T' -> "T (stopped)";
            case 't' -> "t (tracing stop)";
            case 'X' -> "X (dead)";
            case 'Z' -> "Z (zombie)";
            case 'P' -> "P (parked)";
            default -> "I (idle)";
        };
    }

    /** fdt->max_fds: NR_OPEN_DEFAULT (64) until a descriptor beyond it, then expand_fdtable's sizes. */
    static int fdSize(ProcessView v) {
        List<ProcessView.OpenFile> files = v.files();
        int max = files.isEmpty() ? 0 : files.get(files.size() - 1).fd();
        if (max < 64) {
            return 64;
        }
        int nr = max / 128; // 1024 / sizeof(struct file *)
        return Integer.highestOneBit(nr + 1) == nr + 1 ? (nr + 1) * 128 : Integer.highestOneBit(nr + 1) * 2 * 128;
    }

    static String hex16(long v) {
        return String.format("%016x", v);
    }

    /** A CPU bitmap as %*pb prints it: 32-bit groups, most significant first, comma separated. */
    static String cpuMask(int cpus) {
        StringBuilder b = new StringBuilder();
        int groups = (cpus + 31) / 32;
        for (int gIdx = groups - 1; gIdx >= 0; gIdx--) {
            int bits = Math.min(32, cpus - gIdx * 32);
            long word = bits == 32 ? 0xffffffffL : (1L << bits) - 1;
            if (gIdx == groups - 1) {
                int digits = (Math.min(32, cpus - gIdx * 32) + 3) / 4;
                b.append(String.format("%0" + digits + "x", word));
            } else {
                b.append(',').append(String.format("%08x", word));
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- stat, statm

    /** /proc/PID/stat (do_task_stat); {@code whole} sums over the thread group as the tgid file does. */
    static String stat(ProcessDirectory dir, ProcessView v, int tid, boolean whole) {
        MemStats m = MemStats.of(v);
        ProcessView.Layout l = v.layout();
        long startTicks = v.startNanos() / (1_000_000_000L / USER_HZ);
        long rsslim = v.rlimit(Resource.RLIMIT_RSS)[0];
        StringBuilder b = new StringBuilder(400);
        b.append(tid).append(" (").append(v.comm()).append(") ").append(v.state(tid));
        b.append(' ').append(v.ppid()).append(' ').append(v.pgrp()).append(' ').append(v.session());
        JobControl.Terminal tty = v.terminal();
        if (tty == null) {
            b.append(" 0 -1"); // tty_nr, tpgid
        } else {
            b.append(' ').append((int) tty.device()).append(' ').append(tty.foregroundGroup()); // new_encode_dev(tty_devnum)
        }
        b.append(" 0"); // flags: no PF_RANDOMIZE, linux4j lays memory out without randomisation
        b.append(" 0 0 0 0"); // minflt cminflt majflt cmajflt
        for (long t : v.cpuTimes(whole ? 0 : tid)) {
            b.append(' ').append(t / (1_000_000_000L / USER_HZ)); // utime stime cutime cstime
        }
        int nice = v.nice(tid);
        int policy = v.schedPolicy(tid);
        int rtPriority = v.rtPriority(tid);
        boolean rt = policy == 1 || policy == 2; // SCHED_FIFO, SCHED_RR: prio is 99 - rt_priority
        b.append(' ').append(rt ? -1 - rtPriority : 20 + nice).append(' ').append(nice); // priority (prio - MAX_RT_PRIO), nice
        b.append(' ').append(v.tids().length).append(" 0"); // num_threads itrealvalue
        b.append(' ').append(startTicks);
        b.append(' ').append(m.totalVm() << PAGE_SHIFT).append(' ').append(m.rss());
        b.append(' ').append(Long.toUnsignedString(rsslim));
        b.append(' ').append(l.startCode()).append(' ').append(l.endCode()).append(' ').append(l.startStack());
        b.append(" 0 0"); // kstkesp kstkeip
        b.append(" 0"); // signal (pending; obsolete)
        b.append(' ').append(v.blockedSignals(tid) & 0xffffffffL);
        b.append(' ').append(v.ignoredSignals() & 0xffffffffL);
        b.append(' ').append(v.caughtSignals() & 0xffffffffL);
        b.append(" 0 0 0"); // wchan nswap cnswap
        b.append(" 17"); // exit_signal: SIGCHLD
        b.append(" 0 ").append(rtPriority).append(' ').append(policy); // processor rt_priority policy
        b.append(" 0 0 0"); // delayacct_blkio_ticks guest_time cguest_time
        b.append(' ').append(l.startData()).append(' ').append(l.endData()).append(' ').append(l.startBrk());
        b.append(' ').append(l.argStart()).append(' ').append(l.argEnd());
        b.append(' ').append(l.envStart()).append(' ').append(l.envEnd());
        b.append(" 0\n"); // exit_code
        return b.toString();
    }

    /** /proc/PID/statm (proc_pid_statm): size resident shared text lib data dt, in pages. */
    static String statm(ProcessView v) {
        MemStats m = MemStats.of(v);
        return m.totalVm() + " " + m.rss() + " " + m.rssFile() + " " + m.text() + " 0 "
                + (m.dataVm() + m.stackVm()) + " 0\n";
    }

    // ---------------------------------------------------------------- maps, smaps

    /** show_vma_header_prefix plus the name, padded to column 73 as seq_pad does. */
    static void mapLine(StringBuilder b, ProcessView.Mapping m, String root) {
        int lineStart = b.length();
        b.append(hexMin8(m.start())).append('-').append(hexMin8(m.end())).append(' ');
        b.append((m.prot() & PROT_READ) != 0 ? 'r' : '-');
        b.append((m.prot() & PROT_WRITE) != 0 ? 'w' : '-');
        b.append((m.prot() & PROT_EXEC) != 0 ? 'x' : '-');
        b.append(m.shared() ? 's' : 'p');
        b.append(' ').append(hexMin8(m.offset()));
        b.append(' ').append(String.format("%02x:%02x", major(m.dev()), minor(m.dev())));
        b.append(' ').append(m.ino()).append(' ');
        if (!m.name().isEmpty()) {
            // seq_setwidth(m, 25 + sizeof(void *) * 6 - 1) then seq_pad(m, ' ').
            int width = 25 + 8 * 6 - 1;
            while (b.length() - lineStart < width) {
                b.append(' ');
            }
            b.append(' ');
            b.append(m.file() ? escapePath(Vfs.pathFrom(root, m.name(), false)) : m.name());
        }
        b.append('\n');
    }

    /** seq_path escapes "\n" in mapped file names as octal, as show_map_vma's seq_file_path does. */
    static String escapePath(String path) {
        return path.replace("\n", "\\012");
    }

    static String hexMin8(long v) {
        String h = Long.toHexString(v);
        return h.length() >= 8 ? h : "00000000".substring(h.length()) + h;
    }

    static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfff));
    }

    static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xff));
    }

    /** /proc/PID/maps. */
    static String maps(ProcessView v, String root) {
        StringBuilder b = new StringBuilder();
        for (ProcessView.Mapping m : v.maps()) {
            mapLine(b, m, root);
        }
        return b.toString();
    }

    /** An smaps counter line: a 16-column label and an 8-wide value in kB. */
    private static void smapsKb(StringBuilder b, String label, long bytes) {
        b.append(label);
        for (int k = label.length(); k < 16; k++) {
            b.append(' ');
        }
        b.append(String.format("%8d", bytes >> 10)).append(" kB\n");
    }

    /**
     * __show_smap's counters; the rollup adds the Pss_Anon/File/Shmem split. Locked is the Pss
     * of locked mappings (smaps_account's pss_locked).
     */
    private static void smapCounters(StringBuilder b, long anonRss, long fileRss, long locked, boolean rollup) {
        long rss = anonRss + fileRss;
        smapsKb(b, "Rss:", rss);
        smapsKb(b, "Pss:", rss);
        smapsKb(b, "Pss_Dirty:", anonRss);
        if (rollup) {
            smapsKb(b, "Pss_Anon:", anonRss);
            smapsKb(b, "Pss_File:", fileRss);
            smapsKb(b, "Pss_Shmem:", 0);
        }
        smapsKb(b, "Shared_Clean:", 0);
        smapsKb(b, "Shared_Dirty:", 0);
        smapsKb(b, "Private_Clean:", fileRss);
        smapsKb(b, "Private_Dirty:", anonRss);
        smapsKb(b, "Referenced:", rss);
        smapsKb(b, "Anonymous:", anonRss);
        smapsKb(b, "KSM:", 0);
        smapsKb(b, "LazyFree:", 0);
        smapsKb(b, "AnonHugePages:", 0);
        smapsKb(b, "ShmemPmdMapped:", 0);
        smapsKb(b, "FilePmdMapped:", 0);
        smapsKb(b, "Shared_Hugetlb:", 0);
        smapsKb(b, "Private_Hugetlb:", 0);
        smapsKb(b, "Swap:", 0);
        smapsKb(b, "SwapPss:", 0);
        smapsKb(b, "Locked:", locked);
    }

    /** /proc/PID/smaps (show_smap). */
    static String smaps(ProcessView v, String root) {
        StringBuilder b = new StringBuilder();
        for (ProcessView.Mapping m : v.maps()) {
            mapLine(b, m, root);
            long rss = m.residentPages() << PAGE_SHIFT;
            smapsKb(b, "Size:", m.length());
            smapsKb(b, "KernelPageSize:", PAGE_SIZE);
            smapsKb(b, "MMUPageSize:", PAGE_SIZE);
            smapCounters(b, m.file() ? 0 : rss, m.file() ? rss : 0, m.locked() ? rss : 0, false);
            b.append("THPeligible:           0\n");
            b.append("VmFlags: ").append(vmFlags(m)).append('\n');
        }
        return b.toString();
    }

    /** show_smap_vma_flags' mnemonics for the flags linux4j's mappings have, in Linux's order. */
    static String vmFlags(ProcessView.Mapping m) {
        StringBuilder f = new StringBuilder();
        if ((m.prot() & PROT_READ) != 0) {
            f.append("rd ");
        }
        if ((m.prot() & PROT_WRITE) != 0) {
            f.append("wr ");
        }
        if ((m.prot() & PROT_EXEC) != 0) {
            f.append("ex ");
        }
        if (m.shared()) {
            f.append("sh ");
        }
        f.append("mr mw me ");
        if (m.shared()) {
            f.append("ms ");
        }
        if (m.stack()) {
            f.append("gd ");
        }
        if (m.locked()) {
            f.append("lo ");
        }
        if (!m.shared() && (m.prot() & PROT_WRITE) != 0) {
            f.append("ac ");
        }
        return f.toString();
    }

    /** /proc/PID/smaps_rollup (show_smaps_rollup). */
    static String smapsRollup(ProcessView v) {
        List<ProcessView.Mapping> maps = v.maps();
        StringBuilder b = new StringBuilder();
        long anon = 0;
        long file = 0;
        long locked = 0;
        for (ProcessView.Mapping m : maps) {
            if (m.file()) {
                file += m.residentPages() << PAGE_SHIFT;
            } else {
                anon += m.residentPages() << PAGE_SHIFT;
            }
            if (m.locked()) {
                locked += m.residentPages() << PAGE_SHIFT;
            }
        }
        long start = maps.isEmpty() ? 0 : maps.get(0).start();
        long end = maps.isEmpty() ? 0 : maps.get(maps.size() - 1).end();
        mapLine(b, new ProcessView.Mapping(start, end, 0, false, 0, 0, 0, "[rollup]", false, false, 0), "/");
        smapCounters(b, anon, file, locked, true);
        return b.toString();
    }

    // ---------------------------------------------------------------- limits, fdinfo

    /** lnames in fs/proc/base.c: the name and unit of each RLIMIT_*. */
    private static final String[][] LIMITS = {
        {"Max cpu time", "seconds"},
        {"Max file size", "bytes"},
        {"Max data size", "bytes"},
        {"Max stack size", "bytes"},
        {"Max core file size", "bytes"},
        {"Max resident set", "bytes"},
        {"Max processes", "processes"},
        {"Max open files", "files"},
        {"Max locked memory", "bytes"},
        {"Max address space", "bytes"},
        {"Max file locks", "locks"},
        {"Max pending signals", "signals"},
        {"Max msgqueue size", "bytes"},
        {"Max nice priority", null},
        {"Max realtime priority", null},
        {"Max realtime timeout", "us"},
    };

    /** /proc/PID/limits (proc_pid_limits). */
    static String limits(ProcessView v) {
        StringBuilder b = new StringBuilder(1400);
        b.append(String.format("%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units"));
        for (int r = 0; r < Resource.RLIM_NLIMITS; r++) {
            long[] lim = v.rlimit(r);
            b.append(String.format("%-25s %-20s ", LIMITS[r][0], limitValue(lim[0])));
            b.append(String.format("%-20s ", limitValue(lim[1])));
            if (LIMITS[r][1] != null) {
                b.append(String.format("%-10s\n", LIMITS[r][1]));
            } else {
                b.append('\n');
            }
        }
        return b.toString();
    }

    private static String limitValue(long v) {
        return v == Resource.RLIM_INFINITY ? "unlimited" : Long.toUnsignedString(v);
    }

    /** The mount id fdinfo shows for files on no guest mount (pipes, stdio): Linux's internal pipefs mount. */
    private static final long PIPEFS_MOUNT_ID = 15;

    /**
     * /proc/PID/fdinfo/N (seq_show): position, f_flags in octal with O_CLOEXEC from the
     * descriptor table (and O_LARGEFILE, which open(2) forces on 64-bit), mount id, inode.
     */
    static String fdinfo(ProcessView.OpenFile f) {
        int flags = f.flags();
        if (f.closeOnExec()) {
            flags |= Fcntl.O_CLOEXEC;
        }
        long mntId = PIPEFS_MOUNT_ID;
        long ino;
        if (f.location() != null) {
            flags |= Fcntl.O_LARGEFILE;
            mntId = f.location().mount().id();
        }
        try {
            ino = f.description().ops().stat(f.description()).ino();
        } catch (RuntimeException e) {
            ino = 0;
        }
        return "pos:\t" + f.position() + "\nflags:\t0" + Integer.toOctalString(flags) + "\nmnt_id:\t" + mntId
                + "\nino:\t" + ino + "\n";
    }
}
