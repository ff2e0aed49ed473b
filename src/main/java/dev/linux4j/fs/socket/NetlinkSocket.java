package dev.linux4j.fs.socket;

import static dev.linux4j.abi.Sockets.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.Sleep;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An AF_NETLINK socket of the NETLINK_ROUTE protocol, answering the two dumps programs ask for
 * to learn the network interfaces: RTM_GETLINK (glibc's if_nameindex and getifaddrs, {@code ip
 * link}) and RTM_GETADDR (getifaddrs, getaddrinfo's AI_ADDRCONFIG, {@code ip addr}), from the
 * host's interfaces (/sys/class/net, /proc/net/if_inet6 and the JDK's NetworkInterface). Any
 * other request is answered with an NLMSG_ERROR of EOPNOTSUPP; no multicast group ever gets an
 * event. A link has no IFLA_QDISC (nothing on the host tells it without netlink), so {@code ip}
 * prints no "qdisc".
 */
public final class NetlinkSocket extends Socket {
    public static final int AF_NETLINK = 16;
    public static final int NETLINK_ROUTE = 0;

    private static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_MULTI = 0x2;
    private static final int NLM_F_ACK = 0x4;
    private static final int NLM_F_DUMP = 0x300;
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_GETLINK = 18;
    private static final int RTM_NEWADDR = 20;
    private static final int RTM_GETADDR = 22;
    private static final int IFLA_ADDRESS = 1;
    private static final int IFLA_BROADCAST = 2;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFLA_STATS = 7;
    private static final int IFLA_TXQLEN = 13;
    private static final int IFLA_OPERSTATE = 16;
    private static final int IFLA_GROUP = 27;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int IFA_LABEL = 3;
    private static final int IFA_BROADCAST = 4;
    private static final int IFA_CACHEINFO = 6;
    private static final int IFA_FLAGS = 8;
    private static final int IFA_F_PERMANENT = 0x80;
    private static final int RT_SCOPE_UNIVERSE = 0;
    private static final int RT_SCOPE_SITE = 200;
    private static final int RT_SCOPE_LINK = 253;
    private static final int RT_SCOPE_HOST = 254;
    private static final int IFF_RUNNING = 0x40;
    private static final int IFF_LOWER_UP = 0x10000;
    /** Port ids the kernel hands out when the process's own pid is taken (netlink_autobind). */
    private static final AtomicInteger ROVER = new AtomicInteger(-4096);
    private static final java.util.Set<Integer> PORTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int portId;
    private int groups;
    private boolean released;

    private NetlinkSocket(int type, int protocol, int[] cred) {
        super(AF_NETLINK, type, protocol, cred);
    }

    /**
     * netlink_create: SOCK_RAW or SOCK_DGRAM (ESOCKTNOSUPPORT), NETLINK_ROUTE alone of the
     * protocols (EPROTONOSUPPORT: no other is registered here).
     */
    public static NetlinkSocket create(int type, int protocol, int[] cred) {
        if (type != SOCK_RAW && type != SOCK_DGRAM) {
            throw ErrnoException.of(Errno.ESOCKTNOSUPPORT);
        }
        if (protocol != NETLINK_ROUTE) {
            throw ErrnoException.of(Errno.EPROTONOSUPPORT);
        }
        return new NetlinkSocket(type, protocol, cred);
    }

    /** A struct sockaddr_nl: family, pad, nl_pid, nl_groups. */
    private static byte[] address(int pid, int groups) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_NETLINK).putShort((short) 0)
                .putInt(pid).putInt(groups).array();
    }

    /** netlink_bind: EINVAL for a short address or another family; nl_pid 0 picks a port id. */
    @Override
    public synchronized void bind(byte[] address, SocketPaths paths) {
        ByteBuffer a = check(address);
        int pid = a.getInt(4);
        int wantGroups = a.getInt(8);
        if (portId != 0) {
            if (pid != 0 && pid != portId) {
                throw ErrnoException.of(Errno.EINVAL);
            }
        } else if (pid == 0) {
            autobind();
        } else if (PORTS.add(pid)) {
            portId = pid;
        } else {
            throw ErrnoException.of(Errno.EADDRINUSE);
        }
        groups = wantGroups;
    }

    private static ByteBuffer check(byte[] address) {
        if (address.length < 12) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        ByteBuffer a = ByteBuffer.wrap(address).order(ByteOrder.LITTLE_ENDIAN);
        if ((a.getShort(0) & 0xffff) != AF_NETLINK) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return a;
    }

    /** netlink_autobind: the process's pid first, then negative ids. */
    private void autobind() {
        int pid = cred()[0];
        if (PORTS.add(pid)) {
            portId = pid;
            return;
        }
        while (true) {
            int id = ROVER.getAndDecrement();
            if (PORTS.add(id)) {
                portId = id;
                return;
            }
        }
    }

    /** netlink_connect: the kernel (nl_pid 0) is the only peer here; AF_UNSPEC disconnects. */
    @Override
    public synchronized void connect(byte[] address, SocketPaths paths, boolean nonblock) {
        if (address.length >= 2 && (address[0] | address[1] << 8) == 0) {
            return;
        }
        ByteBuffer a = check(address);
        if (a.getInt(4) != 0) {
            throw ErrnoException.of(Errno.ECONNREFUSED);
        }
        if (portId == 0) {
            autobind();
        }
    }

    @Override
    public synchronized byte[] name() {
        return address(portId, groups);
    }

    @Override
    public byte[] peerName() {
        return address(0, 0);
    }

    /**
     * netlink_sendmsg to the kernel: each message of the buffer is a request, answered at once
     * into the receive queue.
     */
    @Override
    public int send(byte[] buf, int off, int len, int flags, boolean nonblock, byte[] to, SocketPaths paths,
            FileDescription[] files) {
        Socket.releaseFiles(files);
        if (to != null && to.length > 0) {
            ByteBuffer a = check(to);
            if (a.getInt(4) != 0) {
                throw ErrnoException.of(Errno.ECONNREFUSED); // no other netlink socket to send to
            }
        }
        synchronized (this) {
            if (portId == 0) {
                autobind();
            }
            ByteBuffer b = ByteBuffer.wrap(buf, off, len).slice().order(ByteOrder.LITTLE_ENDIAN);
            int at = 0;
            while (at + NLMSG_HDRLEN <= len) {
                int msgLen = b.getInt(at);
                if (msgLen < NLMSG_HDRLEN || msgLen > len - at) {
                    break;
                }
                int type = b.getShort(at + 4) & 0xffff;
                int msgFlags = b.getShort(at + 6) & 0xffff;
                int seq = b.getInt(at + 8);
                if ((msgFlags & NLM_F_REQUEST) != 0) {
                    answer(type, msgFlags, seq, buf, off + at, msgLen);
                }
                at += align(msgLen);
            }
            notifyAll();
        }
        Sleep.wakePollers();
        return len;
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    private void answer(int type, int flags, int seq, byte[] request, int at, int length) {
        boolean dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
        List<byte[]> messages;
        try {
            if (type == RTM_GETLINK && dump) {
                messages = links(seq);
            } else if (type == RTM_GETADDR && dump) {
                int family = length > NLMSG_HDRLEN ? request[at + NLMSG_HDRLEN] & 0xff : 0;
                messages = addresses(seq, family);
            } else {
                error(seq, -Errno.EOPNOTSUPP.number(), request, at);
                return;
            }
        } catch (IOException e) {
            error(seq, -Errno.EIO.number(), request, at);
            return;
        }
        // as a dump fills skbs of about a page: messages in datagrams of up to 8 KiB, then DONE
        ByteBuffer d = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] m : messages) {
            if (d.position() + m.length > d.capacity() && d.position() > 0) {
                queue.add(java.util.Arrays.copyOf(d.array(), d.position()));
                d.clear();
            }
            if (m.length > d.capacity()) {
                queue.add(m);
                continue;
            }
            d.put(m);
        }
        if (d.position() > 0) {
            queue.add(java.util.Arrays.copyOf(d.array(), d.position()));
        }
        ByteBuffer done = header(NLMSG_HDRLEN + 4, NLMSG_DONE, NLM_F_MULTI, seq);
        done.putInt(0);
        queue.add(done.array());
    }

    /** An NLMSG_ERROR answering the request at {@code at}: its error number and header. */
    private void error(int seq, int errno, byte[] request, int at) {
        ByteBuffer m = header(NLMSG_HDRLEN + 4 + NLMSG_HDRLEN, NLMSG_ERROR, 0, seq);
        m.putInt(errno);
        m.put(request, at, NLMSG_HDRLEN);
        queue.add(m.array());
    }

    private ByteBuffer header(int length, int type, int flags, int seq) {
        ByteBuffer b = ByteBuffer.allocate(align(length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(portId);
        return b;
    }

    /** One host interface as /sys/class/net shows it. */
    record Link(String name, int index, int type, int flags, int mtu, byte[] address, byte[] broadcast,
            int txqlen, int operstate, int group) {}

    /** The host interface {@code which} picks, or null (also when the interfaces cannot be read). */
    static Link hostLink(java.util.function.Predicate<Link> which) {
        try {
            for (Link l : hostLinks()) {
                if (which.test(l)) {
                    return l;
                }
            }
        } catch (IOException e) {
            // no /sys/class/net: no interface
        }
        return null;
    }

    private static List<Link> hostLinks() throws IOException {
        List<Link> out = new ArrayList<>();
        Path net = Path.of("/sys/class/net");
        List<Path> dirs;
        try (var s = Files.list(net)) {
            dirs = s.toList();
        }
        for (Path dir : dirs) {
            try {
                int flags = Integer.decode(read(dir, "flags"));
                String oper = read(dir, "operstate");
                boolean carrier = "1".equals(readOr(dir, "carrier", "0"));
                // dev_get_flags: IFF_RUNNING and IFF_LOWER_UP come from the carrier
                if ((flags & 1) != 0 && carrier) {
                    flags |= IFF_RUNNING | IFF_LOWER_UP;
                }
                out.add(new Link(dir.getFileName().toString(), Integer.parseInt(read(dir, "ifindex")),
                        Integer.parseInt(read(dir, "type")), flags, Integer.parseInt(read(dir, "mtu")),
                        mac(read(dir, "address")), mac(readOr(dir, "broadcast", "")),
                        Integer.parseInt(readOr(dir, "tx_queue_len", "0")), operstate(oper),
                        Integer.parseInt(readOr(dir, "netdev_group", "0"))));
            } catch (IOException | RuntimeException e) {
                // an interface that went away while it was read
            }
        }
        out.sort(Comparator.comparingInt(Link::index));
        return out;
    }

    private static String read(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name)).trim();
    }

    private static String readOr(Path dir, String name, String otherwise) {
        try {
            return read(dir, name);
        } catch (IOException e) {
            return otherwise; // reading carrier of an interface that is down is EINVAL
        }
    }

    private static byte[] mac(String s) {
        if (s.isEmpty()) {
            return new byte[0];
        }
        String[] parts = s.split(":");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }

    /** IF_OPER_* from /sys's operstate names. */
    private static int operstate(String s) {
        return switch (s) {
            case "notpresent" -> 1;
            case "down" -> 2;
            case "lowerlayerdown" -> 3;
            case "testing" -> 4;
            case "dormant" -> 5;
            case "up" -> 6;
            default -> 0;
        };
    }

    private List<byte[]> links(int seq) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (Link l : hostLinks()) {
            Attrs a = new Attrs();
            a.string(IFLA_IFNAME, l.name());
            a.u32(IFLA_TXQLEN, l.txqlen());
            a.u8(IFLA_OPERSTATE, l.operstate());
            a.u32(IFLA_MTU, l.mtu());
            if (l.address().length > 0) {
                a.bytes(IFLA_ADDRESS, l.address());
            }
            if (l.broadcast().length > 0) {
                a.bytes(IFLA_BROADCAST, l.broadcast());
            }
            a.bytes(IFLA_STATS, new byte[96]); // struct rtnl_link_stats: no counts kept
            a.u32(IFLA_GROUP, l.group());
            ByteBuffer body = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            body.put((byte) 0).put((byte) 0).putShort((short) l.type()).putInt(l.index()).putInt(l.flags()).putInt(0);
            out.add(message(RTM_NEWLINK, seq, body.array(), a.bytes()));
        }
        return out;
    }

    /**
     * RTM_NEWADDR for every address of {@code family} (AF_UNSPEC: IPv4 first, then IPv6, as the
     * inet then the inet6 dump), interface by interface: IPv4 from the JDK's NetworkInterface,
     * IPv6 from /proc/net/if_inet6 with the kernel's flags, scope and prefix.
     */
    private List<byte[]> addresses(int seq, int family) throws IOException {
        List<Link> links = hostLinks();
        List<byte[]> out = new ArrayList<>();
        if (family == 0 || family == AF_INET) {
            for (Link l : links) {
                for (InterfaceAddress ia : inet4(l)) {
                    byte[] raw = ia.getAddress().getAddress();
                    int scope = ia.getAddress().isLoopbackAddress() ? RT_SCOPE_HOST
                            : ia.getAddress().isLinkLocalAddress() ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
                    Attrs a = new Attrs();
                    a.bytes(IFA_ADDRESS, raw);
                    a.bytes(IFA_LOCAL, raw);
                    if (ia.getBroadcast() != null) {
                        a.bytes(IFA_BROADCAST, ia.getBroadcast().getAddress());
                    }
                    a.string(IFA_LABEL, l.name());
                    out.add(newAddr(seq, AF_INET, ia.getNetworkPrefixLength(), IFA_F_PERMANENT, scope, l.index(), a));
                }
            }
        }
        if (family == 0 || family == AF_INET6) {
            List<String[]> inet6 = inet6();
            for (Link l : links) {
                for (String[] f : inet6) {
                    if (Integer.parseInt(f[1], 16) != l.index()) {
                        continue;
                    }
                    byte[] raw = new byte[16];
                    for (int i = 0; i < 16; i++) {
                        raw[i] = (byte) Integer.parseInt(f[0].substring(2 * i, 2 * i + 2), 16);
                    }
                    int scope = switch (Integer.parseInt(f[3], 16) & 0xf0) {
                        case 0x10 -> RT_SCOPE_HOST;
                        case 0x20 -> RT_SCOPE_LINK;
                        case 0x40 -> RT_SCOPE_SITE;
                        default -> RT_SCOPE_UNIVERSE;
                    };
                    Attrs a = new Attrs();
                    a.bytes(IFA_ADDRESS, raw);
                    out.add(newAddr(seq, AF_INET6, Integer.parseInt(f[2], 16), Integer.parseInt(f[4], 16), scope,
                            l.index(), a));
                }
            }
        }
        return out;
    }

    /** The IPv4 addresses of a host interface, oldest first (the JDK lists them newest first). */
    private static List<InterfaceAddress> inet4(Link l) {
        NetworkInterface ni;
        try {
            ni = NetworkInterface.getByName(l.name());
        } catch (SocketException e) {
            return List.of();
        }
        List<InterfaceAddress> out = new ArrayList<>();
        if (ni != null) {
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                if (ia.getAddress() instanceof Inet4Address) {
                    out.add(0, ia);
                }
            }
        }
        return out;
    }

    /**
     * An RTM_NEWADDR: struct ifaddrmsg, the attributes {@code a} has, then the cache info of a
     * permanent address and IFA_FLAGS (all of {@code flags}; ifa_flags holds their low byte).
     */
    private byte[] newAddr(int seq, int family, int prefix, int flags, int scope, int index, Attrs a) {
        a.bytes(IFA_CACHEINFO, FOREVER);
        a.u32(IFA_FLAGS, flags);
        ByteBuffer body = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        body.put((byte) family).put((byte) prefix).put((byte) flags).put((byte) scope).putInt(index);
        return message(RTM_NEWADDR, seq, body.array(), a.bytes());
    }

    /** struct ifa_cacheinfo of a permanent address: preferred and valid forever, no time stamps. */
    private static final byte[] FOREVER = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(-1)
            .array();

    /**
     * The host's IPv6 addresses as /proc/net/if_inet6 lists them (address, ifindex, prefix
     * length, scope, flags, name, in hex); none when it cannot be read (a host without IPv6).
     */
    private static List<String[]> inet6() {
        try {
            List<String[]> out = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/net/if_inet6"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6 && f[0].length() == 32) {
                    out.add(f);
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private byte[] message(int type, int seq, byte[] body, byte[] attrs) {
        int length = NLMSG_HDRLEN + body.length + attrs.length;
        ByteBuffer m = header(length, type, NLM_F_MULTI, seq);
        m.put(body).put(attrs);
        return m.array();
    }

    /** Route attributes (struct rtattr: length, type, value, padded to 4 bytes). */
    private static final class Attrs {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void bytes(int type, byte[] value) {
            int len = 4 + value.length;
            out.write(len & 0xff);
            out.write(len >>> 8);
            out.write(type & 0xff);
            out.write(type >>> 8);
            out.writeBytes(value);
            for (int i = len; i < align(len); i++) {
                out.write(0);
            }
        }

        void string(int type, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            bytes(type, java.util.Arrays.copyOf(b, b.length + 1));
        }

        void u32(int type, int v) {
            bytes(type, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        void u8(int type, int v) {
            bytes(type, new byte[] {(byte) v});
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** netlink_recvmsg: one datagram; MSG_PEEK leaves it, MSG_TRUNC's length is the whole. */
    @Override
    public Received receive(byte[] buf, int off, int len, int flags, boolean nonblock) {
        if ((flags & MSG_OOB) != 0) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        synchronized (this) {
            while (queue.isEmpty()) {
                if (nonblock || released) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                Sleep.waitOn(this, 1000); // nothing else ever arrives; a signal ends the wait
            }
            byte[] d = (flags & MSG_PEEK) != 0 ? queue.peek() : queue.poll();
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return new Received(n, d.length, null, address(0, 0));
        }
    }

    @Override
    public void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    @Override
    public synchronized int queued() {
        return queue.isEmpty() ? 0 : queue.peek().length;
    }

    @Override
    protected boolean listening() {
        return false;
    }

    @Override
    public synchronized int poll(FileDescription file) {
        return dev.linux4j.abi.Poll.POLLOUT | dev.linux4j.abi.Poll.POLLWRNORM
                | (queue.isEmpty() ? 0 : dev.linux4j.abi.Poll.POLLIN | dev.linux4j.abi.Poll.POLLRDNORM);
    }

    @Override
    public synchronized boolean readReady(FileDescription file) {
        return !queue.isEmpty();
    }

    @Override
    public dev.linux4j.vfs.SocketTable.Row procRow() {
        return null; // /proc/net/netlink is not provided
    }

    @Override
    public void release(FileDescription file) {
        synchronized (this) {
            released = true;
            if (portId != 0) {
                PORTS.remove(portId);
            }
            queue.clear();
        }
        unlist();
    }
}
