package dev.linux4j.fs.proc;

import dev.linux4j.vfs.SocketTable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * /proc/PID/net (and /proc/net, a link to self/net): tcp, tcp6, udp, udp6 and unix, one line per
 * socket of the guest world, in the columns of tcp4_seq_show, tcp6_seq_show, udp4_seq_show,
 * udp6_seq_show and unix_seq_show. Kernel pointers print as %pK does for a reader without
 * kptr_restrict access (zeros); timers, retransmits and drops are 0.
 */
final class NetFiles {
    private NetFiles() {}

    /** proc_match's order of the entries linux4j has. */
    private static final List<String> NAMES = List.of("tcp", "udp", "tcp6", "udp6", "unix");

    /** %pK unprivileged. */
    private static final String PTR = "0000000000000000";

    static final String TCP_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode";
    static final String UDP_HEADER = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode ref pointer drops";
    static final String TCP6_HEADER = "  sl  local_address                         remote_address                      "
            + "  st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    static final String UDP6_HEADER = "  sl  local_address                         remote_address                      "
            + "  st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n";
    static final String UNIX_HEADER = "Num       RefCount Protocol Flags    Type St Inode Path\n";

    /** The directory, dr-xr-xr-x. */
    static ProcNode dir(ProcFileSystem fs, ProcNode.Attr attr) {
        return new ProcNode.Dir(attr, () -> NAMES, name -> file(fs, name), () -> 0);
    }

    private static ProcNode file(ProcFileSystem fs, String name) {
        if (!NAMES.contains(name)) {
            return null;
        }
        return new ProcNode.File(fs.rootAttr(0444),
                () -> render(name, SocketTable.snapshot()).getBytes(StandardCharsets.ISO_8859_1));
    }

    static String render(String name, List<SocketTable.Row> rows) {
        return switch (name) {
            case "tcp" -> inet4(rows, true);
            case "udp" -> inet4(rows, false);
            case "tcp6" -> inet6(rows, true);
            case "udp6" -> inet6(rows, false);
            case "unix" -> unix(rows);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** seq_pad: a line of the IPv4 files is padded with spaces to {@code width} (TMPSZ - 1, or 127). */
    private static void padded(StringBuilder b, String line, int width) {
        b.append(line);
        for (int i = line.length(); i < width; i++) {
            b.append(' ');
        }
        b.append('\n');
    }

    private static String inet4(List<SocketTable.Row> rows, boolean tcp) {
        int width = tcp ? 149 : 127;
        StringBuilder b = new StringBuilder();
        padded(b, tcp ? TCP_HEADER : UDP_HEADER, width);
        int sl = 0;
        for (SocketTable.Row r : rows) {
            if (!(r instanceof SocketTable.InetRow i) || i.tcp() != tcp || i.v6()) {
                continue;
            }
            String common = String.format("%s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5s %8d %d", addr(i.local()),
                    i.localPort(), addr(i.remote()), i.remotePort(), i.state(), i.txQueue(), i.rxQueue(), 0, 0, 0,
                    Integer.toUnsignedString(i.uid()), 0, i.inode());
            String line;
            if (tcp) {
                // refcount, sk, rto, ato, quick/pingpong, snd_cwnd, and fastopen max_qlen or ssthresh
                line = String.format("%4d: %s %d %s %s", sl, common, i.refcount(), PTR,
                        i.state() == 0x0A ? "100 0 0 10 0" : "20 0 0 10 -1");
            } else {
                line = String.format("%5d: %s %d %s %d", udpBucket(i.localPort()), common, i.refcount(), PTR, 0);
            }
            padded(b, line, width);
            sl++;
        }
        return b.toString();
    }

    private static String inet6(List<SocketTable.Row> rows, boolean tcp) {
        StringBuilder b = new StringBuilder(tcp ? TCP6_HEADER : UDP6_HEADER);
        int sl = 0;
        for (SocketTable.Row r : rows) {
            if (!(r instanceof SocketTable.InetRow i) || i.tcp() != tcp || !i.v6()) {
                continue;
            }
            String common = String.format("%s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5s %8d %d", addr(i.local()),
                    i.localPort(), addr(i.remote()), i.remotePort(), i.state(), i.txQueue(), i.rxQueue(), 0, 0, 0,
                    Integer.toUnsignedString(i.uid()), 0, i.inode());
            if (tcp) {
                b.append(String.format("%4d: %s %d %s %s\n", sl, common, i.refcount(), PTR,
                        i.state() == 0x0A ? "100 0 0 10 0" : "20 0 0 10 -1"));
            } else {
                b.append(String.format("%5d: %s %d %s %d\n", udpBucket(i.localPort()), common, i.refcount(), PTR, 0));
            }
            sl++;
        }
        return b.toString();
    }

    /** The UDP hash slot a port is in (udp_hashfn with a table of 128 slots, the smallest Linux makes). */
    private static int udpBucket(int port) {
        return port & 127;
    }

    /** Each 32-bit word of the network-order address as %08X prints it on a little-endian host. */
    private static String addr(byte[] a) {
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < a.length; w += 4) {
            int v = (a[w] & 0xff) | (a[w + 1] & 0xff) << 8 | (a[w + 2] & 0xff) << 16 | (a[w + 3] & 0xff) << 24;
            b.append(String.format("%08X", v));
        }
        return b.toString();
    }

    /** unix_seq_show: the name's bytes after the family, without a path's NUL; an abstract name's NULs as '@'. */
    private static String unix(List<SocketTable.Row> rows) {
        StringBuilder b = new StringBuilder(UNIX_HEADER);
        for (SocketTable.Row r : rows) {
            if (!(r instanceof SocketTable.UnixRow u)) {
                continue;
            }
            b.append(String.format("%s: %08X %08X %08X %04X %02X %5d", PTR, u.refcount(), 0,
                    u.listening() ? 0x10000 : 0, u.type(), u.connected() ? 3 : 1, u.inode()));
            byte[] a = u.address();
            if (a != null && a.length > 2) {
                b.append(' ');
                int i = 2;
                int end = a.length;
                if (a[2] != 0) {
                    for (end = 2; end < a.length && a[end] != 0; end++) {
                        // the path ends at its NUL
                    }
                } else {
                    b.append('@');
                    i++;
                }
                for (; i < end; i++) {
                    b.append(a[i] == 0 ? '@' : (char) (a[i] & 0xff));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }
}
