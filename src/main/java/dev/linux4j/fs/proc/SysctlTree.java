package dev.linux4j.fs.proc;

import dev.linux4j.abi.Ipc;
import dev.linux4j.abi.Mqueue;
import dev.linux4j.vfs.ProcessDirectory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * /proc/sys: the sysctls programs read, with the guest's values (kernel/sysctl.c and friends).
 * Read-only here: writing a sysctl is not supported yet.
 */
final class SysctlTree {
    /** A sysctl: permission bits and its value when read. */
    private record Sysctl(int perm, Supplier<String> value) {}

    private final ProcFileSystem fs;
    /** Path under sys/ → entry, in registration order; directories are implied by the paths. */
    private final Map<String, Sysctl> entries = new LinkedHashMap<>();

    SysctlTree(ProcFileSystem fs) {
        this.fs = fs;
        kernel();
        vm();
        fsTable();
    }

    private ProcessDirectory d() {
        return fs.processes();
    }

    private void add(String path, int perm, Supplier<String> value) {
        entries.put(path, new Sysctl(perm, value));
    }

    private void add(String path, String constant) {
        add(path, 0644, () -> constant);
    }

    private void kernel() {
        add("kernel/ostype", 0444, () -> "Linux");
        add("kernel/osrelease", 0444, () -> d().osRelease());
        add("kernel/version", 0444, () -> d().osVersion());
        add("kernel/hostname", 0644, () -> d().hostname());
        add("kernel/domainname", 0644, () -> d().domainname());
        add("kernel/pid_max", "4194304");
        add("kernel/threads-max", "192730");
        add("kernel/ngroups_max", 0444, () -> "65536");
        add("kernel/cap_last_cap", 0444, () -> "40");
        add("kernel/overflowuid", "65534");
        add("kernel/overflowgid", "65534");
        // linux4j lays out memory without randomisation, as randomize_va_space=0 does.
        add("kernel/randomize_va_space", "0");
        add("kernel/shmmax", "18446744073692774399");
        add("kernel/shmall", "18446744073692774399");
        add("kernel/shmmni", Integer.toString(Ipc.SHMMNI));
        add("kernel/msgmax", Integer.toString(Ipc.MSGMAX));
        add("kernel/msgmnb", Integer.toString(Ipc.MSGMNB));
        add("kernel/msgmni", Integer.toString(Ipc.MSGMNI));
        // SEMMSL, SEMMNS, SEMOPM, SEMMNI
        add("kernel/sem", Ipc.SEMMSL + "\t" + Ipc.SEMMNS + "\t" + Ipc.SEMOPM + "\t" + Ipc.SEMMNI);
        add("kernel/core_pattern", 0644, () -> d().corePattern());
        add("kernel/printk", "4\t4\t1\t7");
        add("kernel/random/boot_id", 0444, () -> d().bootId());
        add("kernel/random/uuid", 0444, () -> d().randomUuid());
        add("kernel/random/entropy_avail", 0444, () -> "256");
        add("kernel/random/poolsize", 0444, () -> "256");
    }

    private void vm() {
        add("vm/overcommit_memory", "0");
        add("vm/overcommit_ratio", "50");
        add("vm/max_map_count", "65530");
        add("vm/mmap_min_addr", "65536");
        add("vm/swappiness", "60");
    }

    private void fsTable() {
        add("fs/file-max", "9223372036854775807");
        add("fs/nr_open", "1048576");
        add("fs/pipe-max-size", "1048576");
        add("fs/file-nr", 0444, () -> "0\t0\t9223372036854775807");
        add("fs/inotify/max_user_watches", "65536");
        add("fs/inotify/max_user_instances", "128");
        add("fs/mqueue/msg_default", Integer.toString(Mqueue.DFLT_MSG));
        add("fs/mqueue/msg_max", Integer.toString(Mqueue.DFLT_MSGMAX));
        add("fs/mqueue/msgsize_default", Integer.toString(Mqueue.DFLT_MSGSIZE));
        add("fs/mqueue/msgsize_max", Integer.toString(Mqueue.DFLT_MSGSIZEMAX));
        add("fs/mqueue/queues_max", Integer.toString(Mqueue.DFLT_QUEUESMAX));
    }

    /** /proc/sys itself. */
    ProcNode root() {
        return dir("");
    }

    private ProcNode dir(String prefix) {
        return new ProcNode.Dir(fs.rootAttr(0555), () -> names(prefix), name -> child(prefix, name));
    }

    /** The names directly under {@code prefix} ("" or "kernel/"...), in registration order. */
    private List<String> names(String prefix) {
        List<String> out = new ArrayList<>();
        for (String path : entries.keySet()) {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                String name = slash < 0 ? rest : rest.substring(0, slash);
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private ProcNode child(String prefix, String name) {
        String path = prefix + name;
        Sysctl s = entries.get(path);
        if (s != null) {
            return new ProcNode.File(fs.rootAttr(s.perm()), () -> (s.value().get() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String dirPrefix = path + "/";
        for (String p : entries.keySet()) {
            if (p.startsWith(dirPrefix)) {
                return dir(dirPrefix);
            }
        }
        return null;
    }
}
