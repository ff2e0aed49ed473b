package dev.linux4j.vfs;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The open sockets of the guest world as /proc/net/unix, tcp, tcp6, udp and udp6 list them
 * (af_unix.c unix_seq_show, tcp_ipv4.c get_tcp4_sock, tcp_ipv6.c get_tcp6_sock, udp.c
 * udp4_format_sock, datagram.c __ip6_dgram_sock_seq_show). A socket registers itself when it gets
 * its open file and unregisters when that file is released; the table holds it weakly, so a
 * socket that is dropped without a release does not stay. procfs reads {@link #snapshot()}.
 *
 * <p>Like the unix socket names, the table is shared by every linux4j kernel in the JVM, as if
 * they shared one network namespace.
 */
public final class SocketTable {
    private SocketTable() {}

    /** What a socket shows in /proc/net. */
    public sealed interface Row permits UnixRow, InetRow {
        /** sock_i_ino: the socket's inode, as fstat and /proc/PID/fd show it. */
        long inode();
    }

    /**
     * A line of /proc/net/unix: {@code address} is the bound sockaddr_un as getsockname reports
     * it (family and path, a path with its NUL), or null when unbound; {@code connected} is
     * sk_state == TCP_ESTABLISHED.
     */
    public record UnixRow(long inode, int refcount, int type, boolean listening, boolean connected, byte[] address)
            implements Row {}

    /**
     * A line of /proc/net/tcp, tcp6, udp or udp6: addresses are 4 (IPv4) or 16 bytes in network
     * order, {@code state} the include/net/tcp_states.h code, the queues in bytes (for a TCP
     * listener, rx is the connections waiting and tx 0).
     */
    public record InetRow(long inode, boolean tcp, boolean v6, byte[] local, int localPort, byte[] remote,
            int remotePort, int state, int txQueue, int rxQueue, int uid, int refcount) implements Row {}

    /** A socket that can be listed. */
    public interface Source {
        /** Its line now, or null when Linux would not list it (a TCP or UDP socket not hashed yet). */
        Row procRow();
    }

    private static final Map<Long, WeakReference<Source>> SOCKETS = new ConcurrentSkipListMap<>();

    /** A socket got its open file. */
    public static void register(long inode, Source socket) {
        SOCKETS.put(inode, new WeakReference<>(socket));
    }

    /** The socket's open file was released. */
    public static void unregister(long inode) {
        SOCKETS.remove(inode);
    }

    /** The rows of the live sockets, oldest first. */
    public static List<Row> snapshot() {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Long, WeakReference<Source>> e : SOCKETS.entrySet()) {
            Source s = e.getValue().get();
            if (s == null) {
                SOCKETS.remove(e.getKey(), e.getValue());
                continue;
            }
            Row r = s.procRow();
            if (r != null) {
                rows.add(r);
            }
        }
        return rows;
    }
}
