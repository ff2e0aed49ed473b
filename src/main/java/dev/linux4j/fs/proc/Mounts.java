package dev.linux4j.fs.proc;

import dev.linux4j.abi.StatBuf;
import dev.linux4j.vfs.Mount;
import dev.linux4j.vfs.Vfs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * /proc/PID/mounts and /proc/PID/mountinfo (fs/proc_namespace.c: show_vfsmnt and
 * show_mountinfo) from the VFS mount table. A file system's type is named after its statfs
 * magic, as Linux's sb->s_type would be.
 */
final class Mounts {
    private Mounts() {}

    /** f_type → file system name (include/uapi/linux/magic.h). */
    private static final Map<Long, String> TYPES = Map.ofEntries(
            Map.entry(0xEF53L, "ext4"),
            Map.entry(0x01021994L, "tmpfs"),
            Map.entry(0x9fa0L, "proc"),
            Map.entry(0x62656572L, "sysfs"),
            Map.entry(0x58465342L, "xfs"),
            Map.entry(0x9123683EL, "btrfs"),
            Map.entry(0x794c7630L, "overlay"),
            Map.entry(0x6969L, "nfs"),
            Map.entry(0x65735546L, "fuse"),
            Map.entry(0x73717368L, "squashfs"),
            Map.entry(0xE0F5E1E2L, "erofs"),
            Map.entry(0x2fc12fc1L, "zfs"),
            Map.entry(0x858458f6L, "ramfs"),
            Map.entry(0x4d44L, "vfat"));

    /** One mount as the guest sees it. */
    record Entry(Mount mount, String type, String source, String options, String superOptions, long dev) {}

    static List<Entry> entries(Vfs vfs) {
        List<Mount> mounts = new ArrayList<>(vfs.mounts());
        mounts.sort(Comparator.comparingInt(Mount::id));
        List<Entry> out = new ArrayList<>();
        for (Mount m : mounts) {
            String type = typeOf(m);
            String rw = m.readOnly() ? "ro" : "rw";
            String source;
            String options;
            String superOptions = rw;
            switch (type) {
                case "proc" -> {
                    source = "proc";
                    options = rw + ",nosuid,nodev,noexec,relatime";
                }
                case "devtmpfs" -> {
                    source = "udev";
                    options = rw + ",nosuid,relatime";
                    superOptions = rw + ",mode=755";
                }
                case "tmpfs" -> {
                    source = "tmpfs";
                    options = rw + ",nosuid,nodev,relatime";
                }
                default -> {
                    source = m.mountPoint().equals("/") ? "/dev/root" : "none";
                    options = rw + ",relatime";
                }
            }
            long dev;
            try {
                dev = m.fs().stat("").dev();
            } catch (RuntimeException e) {
                dev = 0;
            }
            out.add(new Entry(m, type, source, options, superOptions, dev));
        }
        return out;
    }

    private static String typeOf(Mount m) {
        long magic;
        try {
            magic = m.fs().statfs("")[0];
        } catch (RuntimeException e) {
            return "none";
        }
        String type = TYPES.getOrDefault(magic, "none");
        // devtmpfs shares tmpfs's magic; /dev is where it is mounted.
        return type.equals("tmpfs") && m.mountPoint().equals("/dev") ? "devtmpfs" : type;
    }

    /** mangle(): space, tab, newline and backslash as octal escapes. */
    static String mangle(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case ' ' -> b.append("\\040");
                case '\t' -> b.append("\\011");
                case '\n' -> b.append("\\012");
                case '\\' -> b.append("\\134");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A mount point as the process whose root is {@code root} sees it (seq_path_root), or null
     * when it lies outside that root and the mount is not shown.
     */
    private static String mountPoint(Mount m, String root) {
        return Vfs.pathFrom(root, m.mountPoint(), true);
    }

    /** /proc/mounts: "source mountpoint type options 0 0", for a process whose root is {@code root}. */
    static String mounts(Vfs vfs, String root) {
        StringBuilder b = new StringBuilder();
        for (Entry e : entries(vfs)) {
            String mp = mountPoint(e.mount(), root);
            if (mp == null) {
                continue;
            }
            b.append(mangle(e.source())).append(' ').append(mangle(mp)).append(' ')
                    .append(e.type()).append(' ').append(e.options()).append(" 0 0\n");
        }
        return b.toString();
    }

    /** /proc/PID/mountinfo: "id parent major:minor root mountpoint options - type source superoptions". */
    static String mountinfo(Vfs vfs, String root) {
        List<Entry> entries = entries(vfs);
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            Mount m = e.mount();
            String mp = mountPoint(m, root);
            if (mp == null) {
                continue;
            }
            b.append(m.id()).append(' ').append(parentId(entries, m)).append(' ')
                    .append(StatBuf.major(e.dev())).append(':').append(StatBuf.minor(e.dev())).append(' ')
                    .append("/ ").append(mangle(mp)).append(' ').append(e.options())
                    .append(" - ").append(e.type()).append(' ').append(mangle(e.source())).append(' ')
                    .append(e.superOptions()).append('\n');
        }
        return b.toString();
    }

    /** The mount the mount point lies on; the root mount's parent is outside the namespace (1). */
    private static int parentId(List<Entry> entries, Mount m) {
        if (m.mountPoint().equals("/")) {
            return 1;
        }
        Mount best = null;
        for (Entry e : entries) {
            String mp = e.mount().mountPoint();
            boolean contains = mp.equals("/") || m.mountPoint().startsWith(mp + "/");
            if (e.mount() != m && contains && (best == null || mp.length() > best.mountPoint().length())) {
                best = e.mount();
            }
        }
        return best == null ? 1 : best.id();
    }
}
