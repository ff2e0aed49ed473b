package dev.linux4j.fs.proc;

import dev.linux4j.vfs.ProcessDirectory;
import dev.linux4j.vfs.ProcessView;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The machine-wide files at the top of /proc, describing the guest machine: cpuinfo from the
 * CPUID the emulated CPU reports, meminfo from the memory the guest is given (the same numbers
 * sysinfo(2) reports), stat, uptime and loadavg from the guest's processes, version from the
 * release uname reports.
 */
final class SystemFiles {
    private SystemFiles() {}

    /** The files and links this class provides at the top of /proc. */
    static final List<String> NAMES = List.of("cpuinfo", "meminfo", "stat", "uptime", "loadavg", "version",
            "filesystems", "mounts", "swaps", "locks", "net", "vmstat", "diskstats", "partitions", "execdomains");

    static ProcNode node(ProcFileSystem fs, String name) {
        ProcessDirectory d = fs.processes();
        Supplier<String> text = switch (name) {
            case "cpuinfo" -> () -> cpuinfo(d);
            case "meminfo" -> SystemFiles::meminfo;
            case "stat" -> () -> stat(d);
            case "uptime" -> () -> uptime(d);
            case "loadavg" -> () -> loadavg(d);
            case "version" -> () -> "Linux version " + d.osRelease() + " (linux4j@linux4j) (linux4j) "
                    + d.osVersion() + "\n";
            case "filesystems" -> () -> filesystems(fs);
            case "locks" -> dev.linux4j.vfs.ProcLocks::render;
            case "swaps" -> () -> "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
            case "vmstat" -> SystemFiles::vmstat;
            case "diskstats" -> () -> ""; // the guest has no block devices
            case "partitions" -> () -> "major minor  #blocks  name\n\n";
            case "execdomains" -> () -> "0-0\tLinux           \t[kernel]\n"; // kernel/exec_domain.c
            default -> null;
        };
        if (name.equals("net")) {
            return new ProcNode.Link(fs.rootAttr(0777).withSize(8), () -> "self/net");
        }
        if (name.equals("mounts")) {
            return new ProcNode.Link(fs.rootAttr(0777).withSize(11), () -> "self/mounts");
        }
        return text == null ? null
                : new ProcNode.File(fs.rootAttr(0444), () -> text.get().getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- cpuinfo

    /** x86_cap_flags names for CPUID.1:EDX (word 0). */
    private static final String[] WORD0 = {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "",
        "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", "", "dts", "acpi", "mmx", "fxsr", "sse",
        "sse2", "ss", "ht", "tm", "ia64", "pbe"};
    /** CPUID.80000001H:EDX (word 1). */
    private static final String[] WORD1 = {"", "", "", "", "", "", "", "", "", "", "", "syscall", "", "", "", "", "",
        "", "", "mp", "nx", "", "mmxext", "", "", "fxsr_opt", "pdpe1gb", "rdtscp", "", "lm", "3dnowext", "3dnow"};
    /** CPUID.1:ECX (word 4); OSXSAVE (bit 27) has no name. */
    private static final String[] WORD4 = {"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
        "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", "", "pcid", "dca", "sse4_1", "sse4_2", "x2apic",
        "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", "", "avx", "f16c", "rdrand", "hypervisor"};
    /** CPUID.80000001H:ECX (word 6). */
    private static final String[] WORD6 = {"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a",
        "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", "", "lwp", "fma4", "tce", "",
        "nodeid_msr", "", "tbm", "topoext", "perfctr_core", "perfctr_nb", "", "bpext", "ptsc", "perfctr_llc", "mwaitx",
        "", ""};

    /** CPUID.(EAX=7,ECX=0):EBX (word 9): named here only the bit linux4j sets, ERMS (bit 9). */
    private static final String[] WORD9 = {"", "", "", "", "", "", "", "", "", "erms", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""};

    /** The "flags" line's names, in Linux's capability-word order. */
    static String cpuFlags(ProcessDirectory d) {
        int[] l1 = d.cpuid(1, 0);
        int[] e1 = d.cpuid(0x80000001, 0);
        int[] l7 = d.cpuid(7, 0);
        StringBuilder b = new StringBuilder();
        appendFlags(b, WORD0, l1[3]);
        appendFlags(b, WORD1, e1[3]);
        appendFlags(b, WORD4, l1[2]);
        appendFlags(b, WORD6, e1[2]);
        appendFlags(b, WORD9, l7[1]);
        return b.toString();
    }

    private static void appendFlags(StringBuilder b, String[] names, int bits) {
        for (int i = 0; i < 32; i++) {
            if ((bits & (1 << i)) != 0 && !names[i].isEmpty()) {
                b.append(' ').append(names[i]);
            }
        }
    }

    /** The brand string of leaves 0x80000002-4, without its NUL padding. */
    private static String brand(ProcessDirectory d) {
        StringBuilder b = new StringBuilder();
        for (int leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
            for (int r : d.cpuid(leaf, 0)) {
                for (int k = 0; k < 4; k++) {
                    char c = (char) ((r >>> (8 * k)) & 0xff);
                    if (c != 0) {
                        b.append(c);
                    }
                }
            }
        }
        String s = b.toString().strip();
        return s.isEmpty() ? "unknown" : s;
    }

    private static String vendor(ProcessDirectory d) {
        int[] l0 = d.cpuid(0, 0);
        StringBuilder b = new StringBuilder();
        for (int r : new int[] {l0[1], l0[3], l0[2]}) {
            for (int k = 0; k < 4; k++) {
                b.append((char) ((r >>> (8 * k)) & 0xff));
            }
        }
        return b.toString();
    }

    /** The last-level cache size in KB from leaf 4, as init_intel_cacheinfo reports it. */
    private static long cacheKb(ProcessDirectory d) {
        long size = 0;
        for (int sub = 0; sub < 16; sub++) {
            int[] c = d.cpuid(4, sub);
            if ((c[0] & 0x1f) == 0) {
                break;
            }
            long ways = ((c[1] >>> 22) & 0x3ff) + 1;
            long partitions = ((c[1] >>> 12) & 0x3ff) + 1;
            long line = (c[1] & 0xfff) + 1;
            long sets = (c[2] & 0xffffffffL) + 1;
            size = ways * partitions * line * sets;
        }
        return size / 1024;
    }

    /** /proc/cpuinfo (arch/x86/kernel/cpu/proc.c, show_cpuinfo), one block per guest CPU. */
    static String cpuinfo(ProcessDirectory d) {
        int sig = d.cpuid(1, 0)[0];
        int family = (sig >>> 8) & 0xf;
        int model = (sig >>> 4) & 0xf;
        if (family == 0xf) {
            family += (sig >>> 20) & 0xff;
        }
        if (family >= 6) {
            model += ((sig >>> 16) & 0xf) << 4;
        }
        int stepping = sig & 0xf;
        int clflush = ((d.cpuid(1, 0)[1] >>> 8) & 0xff) * 8;
        int[] sizes = d.cpuid(0x80000008, 0);
        String flags = cpuFlags(d);
        long cache = cacheKb(d);
        int cpus = d.cpuCount();
        StringBuilder b = new StringBuilder(1024 * cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            b.append("processor\t: ").append(cpu).append('\n');
            b.append("vendor_id\t: ").append(vendor(d)).append('\n');
            b.append("cpu family\t: ").append(family).append('\n');
            b.append("model\t\t: ").append(model).append('\n');
            b.append("model name\t: ").append(brand(d)).append('\n');
            b.append("stepping\t: ").append(stepping).append('\n');
            b.append("cpu MHz\t\t: 2500.000\n");
            if (cache > 0) {
                b.append("cache size\t: ").append(cache).append(" KB\n");
            }
            b.append("physical id\t: 0\n");
            b.append("siblings\t: ").append(cpus).append('\n');
            b.append("core id\t\t: ").append(cpu).append('\n');
            b.append("cpu cores\t: ").append(cpus).append('\n');
            b.append("apicid\t\t: ").append(cpu).append('\n');
            b.append("initial apicid\t: ").append(cpu).append('\n');
            b.append("fpu\t\t: yes\n");
            b.append("fpu_exception\t: yes\n");
            b.append("cpuid level\t: ").append(d.cpuid(0, 0)[0]).append('\n');
            b.append("wp\t\t: yes\n");
            b.append("flags\t\t:").append(flags).append('\n');
            b.append("bugs\t\t:\n");
            b.append("bogomips\t: 5000.00\n");
            b.append("clflush size\t: ").append(clflush).append('\n');
            b.append("cache_alignment\t: ").append(clflush).append('\n');
            b.append("address sizes\t: ").append(sizes[0] & 0xff).append(" bits physical, ")
                    .append((sizes[0] >>> 8) & 0xff).append(" bits virtual\n");
            b.append("power management:\n\n");
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- meminfo

    private static void kbLine(StringBuilder b, String label, long kb) {
        b.append(label).append(':');
        for (int k = label.length() + 1; k < 16; k++) {
            b.append(' ');
        }
        b.append(String.format("%8d", kb)).append(" kB\n");
    }

    /**
     * /proc/meminfo (fs/proc/meminfo.c), Linux 6.12's fields. The totals are the JVM's memory
     * limit and what is free of it, as sysinfo(2) reports them.
     */
    static String meminfo() {
        Runtime rt = Runtime.getRuntime();
        long total = rt.maxMemory() / 1024;
        long free = (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) / 1024;
        StringBuilder b = new StringBuilder(1500);
        kbLine(b, "MemTotal", total);
        kbLine(b, "MemFree", free);
        kbLine(b, "MemAvailable", free);
        for (String z : new String[] {"Buffers", "Cached", "SwapCached", "Active", "Inactive", "Active(anon)",
            "Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked", "SwapTotal", "SwapFree",
            "Zswap", "Zswapped", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable", "Slab",
            "SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "SecPageTables", "NFS_Unstable", "Bounce",
            "WritebackTmp"}) {
            kbLine(b, z, 0);
        }
        kbLine(b, "CommitLimit", total / 2);
        kbLine(b, "Committed_AS", total - free);
        kbLine(b, "VmallocTotal", 34359738367L);
        kbLine(b, "VmallocUsed", 0);
        kbLine(b, "VmallocChunk", 0);
        kbLine(b, "Percpu", 0);
        for (String z : new String[] {"AnonHugePages", "ShmemHugePages", "ShmemPmdMapped", "FileHugePages",
            "FilePmdMapped"}) {
            kbLine(b, z, 0);
        }
        b.append("HugePages_Total:       0\n");
        b.append("HugePages_Free:        0\n");
        b.append("HugePages_Rsvd:        0\n");
        b.append("HugePages_Surp:        0\n");
        kbLine(b, "Hugepagesize", 2048);
        kbLine(b, "Hugetlb", 0);
        kbLine(b, "DirectMap4k", total);
        kbLine(b, "DirectMap2M", 0);
        kbLine(b, "DirectMap1G", 0);
        return b.toString();
    }

    /**
     * /proc/vmstat (mm/vmstat.c vmstat_text), "name value" per line: the free pages from the JVM's
     * free memory as in meminfo; the reclaim, swap and paging counters of a kernel that never
     * reclaimed, swapped or paged are 0. The counters of NUMA, huge pages, compaction and the
     * like are left out.
     */
    static String vmstat() {
        Runtime rt = Runtime.getRuntime();
        long freePages = (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) / 4096;
        StringBuilder b = new StringBuilder(2048);
        b.append("nr_free_pages ").append(freePages).append('\n');
        for (String name : new String[] {"nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
            "nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock", "nr_zspages",
            "nr_free_cma", "nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
            "nr_unevictable", "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
            "nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback", "nr_shmem", "nr_kernel_stack",
            "nr_page_table_pages", "nr_swapcached", "pgpgin", "pgpgout", "pswpin", "pswpout", "pgalloc_dma",
            "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable", "pgfree", "pgactivate", "pgdeactivate",
            "pglazyfree", "pgfault", "pgmajfault", "pglazyfreed", "pgrefill", "pgreuse", "pgsteal_kswapd",
            "pgsteal_direct", "pgscan_kswapd", "pgscan_direct", "pgscan_direct_throttle", "pginodesteal",
            "slabs_scanned", "kswapd_inodesteal", "pageoutrun", "pgrotated", "drop_pagecache", "drop_slab", "oom_kill",
            "pgmigrate_success", "pgmigrate_fail", "unevictable_pgs_culled", "unevictable_pgs_scanned",
            "unevictable_pgs_rescued", "unevictable_pgs_mlocked", "unevictable_pgs_munlocked",
            "unevictable_pgs_cleared", "unevictable_pgs_stranded", "swap_ra", "swap_ra_hit", "nr_unstable"}) {
            b.append(name).append(" 0\n");
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- stat, uptime, loadavg

    /** Total guest threads. */
    private static int threads(ProcessDirectory d) {
        int n = 0;
        for (int pid : d.pids()) {
            ProcessView v = d.byPid(pid);
            if (v != null) {
                n += v.tids().length;
            }
        }
        return n;
    }

    /**
     * /proc/stat (fs/proc/stat.c). linux4j does not account CPU time per guest yet: each CPU
     * shows all of the uptime as idle.
     */
    static String stat(ProcessDirectory d) {
        long ticks = d.uptimeNanos() / (1_000_000_000L / PidFiles.USER_HZ);
        int cpus = d.cpuCount();
        StringBuilder b = new StringBuilder(256 + 64 * cpus);
        b.append("cpu  0 0 0 ").append(ticks * cpus).append(" 0 0 0 0 0 0\n");
        for (int cpu = 0; cpu < cpus; cpu++) {
            b.append("cpu").append(cpu).append(" 0 0 0 ").append(ticks).append(" 0 0 0 0 0 0\n");
        }
        b.append("intr 0\n");
        b.append("ctxt 0\n");
        b.append("btime ").append(d.bootTimeSeconds()).append('\n');
        b.append("processes ").append(Math.max(1, d.lastPid())).append('\n');
        b.append("procs_running 1\n");
        b.append("procs_blocked 0\n");
        b.append("softirq 0 0 0 0 0 0 0 0 0 0 0\n");
        return b.toString();
    }

    /** /proc/uptime: seconds since boot and idle seconds summed over CPUs, two decimals. */
    static String uptime(ProcessDirectory d) {
        long centis = d.uptimeNanos() / 10_000_000L;
        long idle = centis * d.cpuCount();
        return String.format("%d.%02d %d.%02d\n", centis / 100, centis % 100, idle / 100, idle % 100);
    }

    /** /proc/loadavg: load averages, running/total threads, the last pid handed out. */
    static String loadavg(ProcessDirectory d) {
        return "0.00 0.00 0.00 1/" + Math.max(1, threads(d)) + " " + d.lastPid() + "\n";
    }

    /** /proc/filesystems: the file system types linux4j provides ("nodev" for virtual ones). */
    static String filesystems(ProcFileSystem fs) {
        Set<String> lines = new LinkedHashSet<>(List.of("nodev\ttmpfs", "nodev\tproc", "nodev\tdevtmpfs",
                "nodev\tpipefs"));
        for (Mounts.Entry e : Mounts.entries(fs.vfs())) {
            String t = e.type();
            if (!t.equals("none") && !lines.contains("nodev\t" + t)) {
                lines.add("\t" + t);
            }
        }
        return String.join("\n", lines) + "\n";
    }
}
