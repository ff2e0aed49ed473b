package dev.linux4j.syscall;

import static dev.linux4j.abi.Sockets.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.fs.socket.InetSocket;
import dev.linux4j.fs.socket.NetlinkSocket;
import dev.linux4j.fs.socket.Socket;
import dev.linux4j.fs.socket.SocketPaths;
import dev.linux4j.fs.socket.UnixSocket;
import dev.linux4j.kernel.Credentials;
import dev.linux4j.kernel.Task;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.RestartSyscall;
import dev.linux4j.vfs.Vfs;

/**
 * The socket system calls (net/socket.c): socket(2) and socketpair(2) make sockets of the
 * families linux4j has ({@link UnixSocket}, {@link InetSocket}); the rest move the guest's
 * arguments in and out and ask the socket. Every other descriptor is not a socket (ENOTSOCK
 * after the descriptor check, sockfd_lookup): bash asks getpeername(0) whether stdin is a network
 * connection, and ENOSYS would make it think so.
 */
final class SocketSyscalls {
    private SocketSyscalls() {}

    /** SOCK_MAX: types at or above it are EINVAL before any family is asked. */
    private static final int SOCK_MAX = 11;
    /** sizeof(struct sockaddr_storage): the longest address the calls copy in. */
    private static final int SOCKADDR_STORAGE = 128;
    /** net.core.somaxconn: listen(2)'s backlog is cut to it. */
    private static final int SOMAXCONN = 4096;

    /** sockfd_lookup: EBADF for no descriptor, ENOTSOCK for one that is not a socket. */
    private static Socket socket(Task task, int fd) {
        FileDescription file = FdSyscalls.fdget(task, fd);
        if (file.ops() instanceof Socket s) {
            return s;
        }
        throw ErrnoException.of(Errno.ENOTSOCK);
    }

    private static boolean nonblock(Task task, int fd, int flags) {
        return (flags & MSG_DONTWAIT) != 0 || (task.files().get(fd).flags() & Fcntl.O_NONBLOCK) != 0;
    }

    /** The caller's {pid, euid, egid}: what a socket it makes records as its creator. */
    private static int[] cred(Task task) {
        Credentials c = task.group().credentials();
        return new int[] {task.group().pid(), c.euid(), c.egid()};
    }

    /**
     * __sys_socket's checks before a family is asked: EINVAL for a flag but SOCK_NONBLOCK and
     * SOCK_CLOEXEC, EAFNOSUPPORT for a family out of range, EINVAL for a type at or past
     * SOCK_MAX. Returns the type without its flags.
     */
    private static int checkType(int domain, int type) {
        int flags = type & ~SOCK_TYPE_MASK;
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (domain < 0 || domain >= AF_MAX) {
            throw ErrnoException.of(Errno.EAFNOSUPPORT);
        }
        if ((type & SOCK_TYPE_MASK) >= SOCK_MAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return type & SOCK_TYPE_MASK;
    }

    /**
     * socket(2): {@code int socket(int domain, int type, int protocol)}: AF_UNIX, AF_INET,
     * AF_INET6 and AF_NETLINK (each family's create checks type and protocol); other families
     * EAFNOSUPPORT.
     */
    static long socket(Task task, SyscallArgs args) {
        int domain = args.int32(0);
        int type = args.int32(1);
        int protocol = args.int32(2);
        int kind = checkType(domain, type);
        Socket s = switch (domain) {
            case AF_UNIX -> UnixSocket.create(kind, protocol, cred(task));
            case AF_INET, AF_INET6 -> InetSocket.create(domain, kind, protocol, cred(task));
            case NetlinkSocket.AF_NETLINK -> NetlinkSocket.create(kind, protocol, cred(task));
            default -> throw ErrnoException.of(Errno.EAFNOSUPPORT);
        };
        return FdSyscalls.install(task, s.open(type), (type & SOCK_CLOEXEC) != 0);
    }

    /**
     * socketpair(2): {@code int socketpair(int domain, int type, int protocol, int sv[2])}, in
     * __sys_socketpair's order: socket(2)'s checks; AF_INET and AF_INET6 have no socketpair
     * (EOPNOTSUPP); unix_create's EPROTONOSUPPORT and ESOCKTNOSUPPORT; EFAULT for {@code sv},
     * with nothing left open. Other families: EAFNOSUPPORT.
     */
    static long socketpair(Task task, SyscallArgs args) {
        int domain = args.int32(0);
        int type = args.int32(1);
        int protocol = args.int32(2);
        long sv = args.pointer(3);
        int kind = checkType(domain, type);
        if (domain == AF_INET || domain == AF_INET6) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        if (domain != AF_UNIX) {
            throw ErrnoException.of(Errno.EAFNOSUPPORT);
        }
        UnixSocket[] pair = UnixSocket.pair(kind, protocol, cred(task));
        FdSyscalls.installPair(task, new FileDescription[] {pair[0].open(type), pair[1].open(type)},
                (type & SOCK_CLOEXEC) != 0, sv);
        return 0;
    }

    /** The calling task's file system, for AF_UNIX addresses that are paths. */
    private record TaskPaths(Task task) implements SocketPaths {
        @Override
        public Node create(String path) {
            return NameiSyscalls.mksock(task, path);
        }

        @Override
        public Node find(String path) {
            Vfs.Resolved r = PathArgs.resolve(task, Fcntl.AT_FDCWD, path, Vfs.FOLLOW, false);
            StatBuf st = r.stat();
            if (!r.location().fs().access(r.location().fsPath(), Fcntl.W_OK)) {
                throw ErrnoException.of(Errno.EACCES);
            }
            if ((st.mode() & Stat.S_IFMT) != Stat.S_IFSOCK) {
                throw ErrnoException.of(Errno.ECONNREFUSED);
            }
            return new Node(st.dev(), st.ino());
        }

        @Override
        public void remove(String path) {
            NameiSyscalls.unlinkAt(task, Fcntl.AT_FDCWD, path);
        }
    }

    /** move_addr_to_kernel: EINVAL for a length below 0 or above sockaddr_storage, EFAULT. */
    private static byte[] addressIn(Task task, long addr, int len) {
        if (len < 0 || len > SOCKADDR_STORAGE) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return task.memory().read(addr, len);
    }

    /**
     * move_addr_to_user: EINVAL for a negative {@code *ulen}; copies as much of {@code address}
     * as it has room for and stores the whole length at {@code ulen}.
     */
    private static void addressOut(Task task, byte[] address, long uaddr, long ulen) {
        int len = task.memory().read32(ulen);
        if (len < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int n = Math.min(len, address.length);
        if (n > 0) {
            task.memory().write(uaddr, address, 0, n);
        }
        task.memory().write32(ulen, address.length);
    }

    /** bind(2): {@code int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}. */
    static long bind(Task task, SyscallArgs args) {
        Socket s = socket(task, args.int32(0));
        byte[] address = addressIn(task, args.pointer(1), args.int32(2));
        s.bind(address, new TaskPaths(task));
        return 0;
    }

    /** listen(2): {@code int listen(int sockfd, int backlog)}; a backlog above somaxconn (or negative) is somaxconn. */
    static long listen(Task task, SyscallArgs args) {
        Socket s = socket(task, args.int32(0));
        int backlog = args.int32(1);
        s.listen(Integer.compareUnsigned(backlog, SOMAXCONN) > 0 ? SOMAXCONN : backlog);
        return 0;
    }

    /** accept(2): {@code int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen)}. */
    static long accept(Task task, SyscallArgs args) {
        return accept(task, args.int32(0), args.pointer(1), args.pointer(2), 0);
    }

    /** accept4(2): accept with SOCK_NONBLOCK and SOCK_CLOEXEC for the new socket (EINVAL for other flags). */
    static long accept4(Task task, SyscallArgs args) {
        return accept(task, args.int32(0), args.pointer(1), args.pointer(2), args.int32(3));
    }

    /**
     * __sys_accept4: the flags, the descriptor, then the wait for a connection; the new socket's
     * peer address goes to {@code addr} when it is given. A fault there loses the connection.
     */
    private static long accept(Task task, int fd, long addr, long addrlen, int flags) {
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Socket s = socket(task, fd);
        Socket accepted = s.accept((task.files().get(fd).flags() & Fcntl.O_NONBLOCK) != 0);
        FileDescription file = accepted.open(flags);
        if (addr != 0) {
            try {
                addressOut(task, accepted.peerName(), addr, addrlen);
            } catch (ErrnoException e) {
                file.release();
                throw e;
            }
        }
        return FdSyscalls.install(task, file, (flags & SOCK_CLOEXEC) != 0);
    }

    /** connect(2): {@code int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}. */
    static long connect(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        Socket s = socket(task, fd);
        byte[] address = addressIn(task, args.pointer(1), args.int32(2));
        s.connect(address, new TaskPaths(task), (task.files().get(fd).flags() & Fcntl.O_NONBLOCK) != 0);
        return 0;
    }

    /**
     * sendto(2): {@code ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const
     * struct sockaddr *dest_addr, socklen_t addrlen)}. MSG_DONTWAIT does not wait; EPIPE comes
     * with SIGPIPE unless MSG_NOSIGNAL.
     */
    static long sendto(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long buf = args.pointer(1);
        long len = args.sizeT(2, Integer.MAX_VALUE); // __sys_sendto: INT_MAX at most
        int flags = args.int32(3);
        long dest = args.pointer(4);
        int addrlen = args.int32(5);
        Socket s = socket(task, fd);
        if (!accessOk(buf, len) || len > (1 << 20) && !task.memory().isMapped(buf, len)) {
            throw ErrnoException.of(Errno.EFAULT); // before a buffer of that size is made
        }
        byte[] data = task.memory().read(buf, (int) len);
        byte[] to = dest == 0 ? null : addressIn(task, dest, addrlen);
        return send(task, s, data, flags, to, nonblock(task, fd, flags), NO_CONTROL);
    }

    /**
     * What sendmsg's control messages carry: SCM_RIGHTS descriptors (or null) and SCM_CREDENTIALS
     * {pid, uid, gid} (or null: the sender's own, scm_send's default).
     */
    private record Control(FileDescription[] files, int[] creds) {}

    private static final Control NO_CONTROL = new Control(null, null);

    private static long send(Task task, Socket s, byte[] data, int flags, byte[] to, boolean nonblock,
            Control control) {
        byte[] dest = to != null && to.length == 0 ? null : to;
        try {
            if (s instanceof UnixSocket u) {
                int[] creds = control.creds();
                if (creds == null) {
                    Credentials c = task.group().credentials();
                    creds = new int[] {task.group().pid(), c.uid(), c.gid()};
                }
                return u.send(data, 0, data.length, flags, nonblock, dest, new TaskPaths(task), control.files(), creds);
            }
            return s.send(data, 0, data.length, flags, nonblock, dest, new TaskPaths(task), control.files());
        } catch (ErrnoException e) {
            throw (flags & MSG_NOSIGNAL) == 0 && s.sigpipeOnEpipe() ? TransferSyscalls.sigpipe(task, e) : e;
        }
    }

    /**
     * The most one recvfrom takes: a buffer of the size asked for is made before the data
     * arrives, and a size of up to 2 GiB with a small buffer behind it is legal (only what
     * arrives is copied). A longer MSG_WAITALL receive returns this much.
     */
    private static final long RECV_MAX = 16 << 20;

    /** access_ok: [addr, addr + len) lies in user space (whether mapped is found when it is copied). */
    private static boolean accessOk(long addr, long len) {
        long end = addr + len;
        return Long.compareUnsigned(end, addr) >= 0 && Long.compareUnsigned(end, dev.linux4j.abi.Mman.TASK_SIZE) <= 0;
    }

    /**
     * recvfrom(2): {@code ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, struct
     * sockaddr *src_addr, socklen_t *addrlen)}. MSG_PEEK leaves the data, MSG_WAITALL waits for
     * all of a stream's {@code len}, MSG_TRUNC returns a message's whole length; the sender's
     * address goes to {@code src_addr} when it is given (length 0 for an unnamed sender).
     */
    static long recvfrom(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long buf = args.pointer(1);
        // __sys_recvfrom: INT_MAX at most; what one call takes is bounded here (RECV_MAX)
        long asked = args.sizeT(2, Integer.MAX_VALUE);
        long len = Math.min(asked, RECV_MAX);
        int flags = args.int32(3);
        long src = args.pointer(4);
        long addrlen = args.pointer(5);
        Socket s = socket(task, fd);
        if (!accessOk(buf, asked)) {
            throw ErrnoException.of(Errno.EFAULT); // import_ubuf: the whole range must be user space
        }
        byte[] data = new byte[(int) len];
        Socket.Received got = s.receive(data, 0, data.length, flags, nonblock(task, fd, flags));
        Socket.releaseFiles(got.files()); // recvfrom has nowhere to put descriptors
        task.memory().write(buf, data, 0, got.copied());
        if (src != 0) {
            addressOut(task, got.from() == null ? new byte[0] : got.from(), src, addrlen);
        }
        return (flags & MSG_TRUNC) != 0 ? got.length() : got.copied();
    }

    /**
     * sendmsg(2): {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)}: the
     * buffers' bytes go as one send (one message) to msg_name when it is given (EINVAL for a
     * negative msg_namelen, cut to sockaddr_storage's size), with the descriptors of an
     * SCM_RIGHTS control message (EBADF for one that is not open, EINVAL for a malformed control
     * message, more than SCM_MAX_FD descriptors, or a type but SCM_RIGHTS and SCM_CREDENTIALS;
     * SCM_CREDENTIALS, EPERM unless they are the caller's or the caller is root, go with the data
     * in place of the caller's own).
     */
    static long sendmsg(Task task, SyscallArgs args) {
        return sendmsg(task, args.int32(0), args.pointer(1), args.int32(2));
    }

    private static long sendmsg(Task task, int fd, long msg, int flags) {
        Socket s = socket(task, fd);
        AddressSpace mem = task.memory();
        long name = mem.read64(msg);
        int namelen = mem.read32(msg + 8);
        if (namelen < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        byte[] to = name == 0 ? null : mem.read(name, Math.min(namelen, SOCKADDR_STORAGE));
        long[][] iov = ReadWriteSyscalls.iovecs(task, mem.read64(msg + 16), mem.read64(msg + 24));
        byte[] data = ReadWriteSyscalls.gather(task, iov, ReadWriteSyscalls.total(iov));
        Control control = control(task, mem.read64(msg + 32), mem.read64(msg + 40));
        return send(task, s, data, flags, to, nonblock(task, fd, flags), control);
    }

    /** sizeof(struct cmsghdr): cmsg_len (size_t), cmsg_level, cmsg_type. */
    private static final int CMSG_HDR = 16;
    private static final int SCM_RIGHTS = 1;
    private static final int SCM_CREDENTIALS = 2;
    /** SCM_MAX_FD: descriptors one message may pass. */
    private static final int SCM_MAX_FD = 253;

    private static long cmsgAlign(long n) {
        return (n + 7) & ~7L;
    }

    /**
     * __scm_send: walks the control messages; returns the SCM_RIGHTS descriptors' open files,
     * each with a reference taken, and the SCM_CREDENTIALS given.
     */
    private static Control control(Task task, long control, long controllen) {
        AddressSpace mem = task.memory();
        java.util.List<FileDescription> files = new java.util.ArrayList<>();
        int[] creds = null;
        try {
            for (long p = control; controllen - (p - control) >= CMSG_HDR;) {
                long len = mem.read64(p);
                int level = mem.read32(p + 8);
                int type = mem.read32(p + 12);
                if (len < CMSG_HDR || len > controllen - (p - control)) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                if (level != SOL_SOCKET) {
                    p += cmsgAlign(len);
                    continue; // not for sockets of this family: ignored, as Linux does
                }
                if (type == SCM_RIGHTS) {
                    int n = (int) ((len - CMSG_HDR) / 4);
                    if (n <= 0 || files.size() + n > SCM_MAX_FD) {
                        throw ErrnoException.of(Errno.EINVAL);
                    }
                    for (int i = 0; i < n; i++) {
                        FileDescription f = FdSyscalls.fdget(task, mem.read32(p + CMSG_HDR + 4L * i));
                        f.retain();
                        files.add(f);
                    }
                } else if (type == SCM_CREDENTIALS) {
                    if (len != CMSG_HDR + 12) {
                        throw ErrnoException.of(Errno.EINVAL); // CMSG_LEN(sizeof(struct ucred)) exactly
                    }
                    Credentials c = task.group().credentials();
                    int pid = mem.read32(p + CMSG_HDR);
                    int uid = mem.read32(p + CMSG_HDR + 4);
                    int gid = mem.read32(p + CMSG_HDR + 8);
                    boolean root = c.euid() == 0; // CAP_SYS_ADMIN, CAP_SETUID and CAP_SETGID
                    if (!root && (pid != task.group().pid() || uid != c.uid() && uid != c.euid() && uid != c.suid()
                            || gid != c.gid() && gid != c.egid() && gid != c.sgid())) {
                        throw ErrnoException.of(Errno.EPERM); // scm_check_creds
                    }
                    if (pid != 1 && task.kernel().tree().find(pid) == null) { // pid 1: the virtual init
                        throw ErrnoException.of(Errno.ESRCH);
                    }
                    creds = new int[] {pid, uid, gid};
                } else {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                p += cmsgAlign(len);
            }
        } catch (RuntimeException e) {
            Socket.releaseFiles(files.toArray(new FileDescription[0]));
            throw e;
        }
        return new Control(files.isEmpty() ? null : files.toArray(new FileDescription[0]), creds);
    }

    /**
     * recvmsg(2): {@code ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)}: one receive
     * spread over the buffers; the sender's address goes to msg_name when it is given. Descriptors that came
     * with the data are installed (MSG_CMSG_CLOEXEC: close-on-exec) into an SCM_RIGHTS control
     * message as far as msg_controllen has room; the rest are closed and msg_flags gets
     * MSG_CTRUNC (scm_detach_fds). msg_flags gets MSG_TRUNC when a message was cut short, and
     * MSG_CMSG_CLOEXEC back when it was asked for, as ___sys_recvmsg leaves it.
     */
    static long recvmsg(Task task, SyscallArgs args) {
        return recvmsg(task, args.int32(0), args.pointer(1), args.int32(2));
    }

    private static long recvmsg(Task task, int fd, long msg, int flags) {
        Socket s = socket(task, fd);
        AddressSpace mem = task.memory();
        long[][] iov = ReadWriteSyscalls.iovecs(task, mem.read64(msg + 16), mem.read64(msg + 24));
        long control = mem.read64(msg + 32);
        long controllen = mem.read64(msg + 40);
        byte[] data = new byte[(int) ReadWriteSyscalls.total(iov)];
        Socket.Received got = s.receive(data, 0, data.length, flags, nonblock(task, fd, flags));
        ReadWriteSyscalls.scatter(task, iov, data, got.copied());
        boolean truncated = got.length() > got.copied() && s.type() != SOCK_STREAM; // a stream has no messages to cut
        int msgFlags = (truncated ? MSG_TRUNC : 0) | (flags & MSG_CMSG_CLOEXEC);
        long[] cursor = {control == 0 ? 0 : controllen, 0}; // {room left, bytes used}
        if (got.creds() != null) {
            byte[] ucred = new byte[12];
            for (int i = 0; i < 3; i++) {
                int v = got.creds()[i];
                for (int b = 0; b < 4; b++) {
                    ucred[4 * i + b] = (byte) (v >> 8 * b);
                }
            }
            msgFlags |= putCmsg(task, control, cursor, SCM_CREDENTIALS, ucred);
        }
        if (got.files() != null) {
            msgFlags |= detachFds(task, control, cursor, got.files(), (flags & MSG_CMSG_CLOEXEC) != 0);
        }
        long used = cursor[1];
        long name = mem.read64(msg);
        if (name != 0) {
            addressOut(task, got.from() == null ? new byte[0] : got.from(), name, msg + 8);
        }
        mem.write64(msg + 40, used);
        mem.write32(msg + 48, msgFlags);
        return (flags & MSG_TRUNC) != 0 ? got.length() : got.copied();
    }

    /**
     * put_cmsg: one control message of {@code data} at the cursor ({room left, bytes used}),
     * cut short (MSG_CTRUNC, returned) when there is not room for all of it.
     */
    private static int putCmsg(Task task, long control, long[] cursor, int type, byte[] data) {
        if (cursor[0] < CMSG_HDR) {
            return MSG_CTRUNC;
        }
        long cmlen = CMSG_HDR + data.length;
        int truncated = 0;
        if (cursor[0] < cmlen) {
            truncated = MSG_CTRUNC;
            cmlen = cursor[0];
        }
        long at = control + cursor[1];
        AddressSpace mem = task.memory();
        mem.write64(at, cmlen);
        mem.write32(at + 8, SOL_SOCKET);
        mem.write32(at + 12, type);
        mem.write(at + CMSG_HDR, data, 0, (int) (cmlen - CMSG_HDR));
        long space = Math.min(cmsgAlign(CMSG_HDR + data.length), cursor[0]);
        cursor[0] -= space;
        cursor[1] += space;
        return truncated;
    }

    /**
     * scm_detach_fds: installs as many of {@code files} as the control buffer has room for
     * (close-on-exec when asked) in an SCM_RIGHTS message at the cursor, and closes the rest
     * (MSG_CTRUNC, returned).
     */
    private static int detachFds(Task task, long control, long[] cursor, FileDescription[] files, boolean cloexec) {
        AddressSpace mem = task.memory();
        long at = control + cursor[1];
        int room = cursor[0] <= CMSG_HDR ? 0 : (int) Math.min(files.length, (cursor[0] - CMSG_HDR) / 4);
        int installed = 0;
        for (FileDescription f : files) {
            if (installed == room) {
                f.release();
                continue;
            }
            try {
                int newfd = FdSyscalls.install(task, f, cloexec);
                mem.write32(at + CMSG_HDR + 4L * installed++, newfd);
            } catch (ErrnoException e) {
                room = installed; // EMFILE: install released this one; the rest are closed
            }
        }
        if (installed > 0) {
            mem.write64(at, CMSG_HDR + 4L * installed);
            mem.write32(at + 8, SOL_SOCKET);
            mem.write32(at + 12, SCM_RIGHTS);
            long space = Math.min(cmsgAlign(CMSG_HDR + 4L * installed), cursor[0]);
            cursor[0] -= space;
            cursor[1] += space;
        }
        return installed < files.length ? MSG_CTRUNC : 0;
    }

    /** sizeof(struct mmsghdr): a msghdr, its msg_len and padding. */
    private static final int MMSGHDR = 64;
    /** UIO_MAXIOV: the most messages one sendmmsg or recvmmsg takes. */
    private static final int UIO_MAXIOV = 1024;
    private static final int MSG_WAITFORONE = 0x10000;

    /**
     * sendmmsg(2): {@code int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int
     * flags)}: sendmsg for each message in turn (at most UIO_MAXIOV), each one's count stored in
     * its msg_len; an error after the first message ends the batch and the count of those sent
     * is returned (__sys_sendmmsg).
     */
    static long sendmmsg(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long vec = args.pointer(1);
        int vlen = (int) Math.min(Integer.toUnsignedLong(args.int32(2)), UIO_MAXIOV);
        int flags = args.int32(3);
        socket(task, fd);
        int sent = 0;
        for (; sent < vlen; sent++) {
            long entry = vec + (long) MMSGHDR * sent;
            long n;
            try {
                n = sendmsg(task, fd, entry, flags);
            } catch (ErrnoException | RestartSyscall e) {
                if (sent == 0) {
                    throw e;
                }
                break;
            }
            task.memory().write32(entry + 56, (int) n);
        }
        return sent;
    }

    /**
     * recvmmsg(2): {@code int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int
     * flags, struct timespec *timeout)}: recvmsg for each message in turn, each one's count in
     * its msg_len; MSG_WAITFORONE waits for the first only; an error (EAGAIN included) after
     * the first ends the batch with the count so far. The timeout is looked at only after each
     * message, as Linux does (EINVAL for a malformed one).
     */
    static long recvmmsg(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long vec = args.pointer(1);
        int vlen = (int) Math.min(Integer.toUnsignedLong(args.int32(2)), UIO_MAXIOV);
        int flags = args.int32(3);
        long timeout = args.pointer(4);
        long deadline = Long.MAX_VALUE;
        if (timeout != 0) {
            long nanos = TimeSyscalls.readTimespec(task, timeout);
            deadline = System.nanoTime() + nanos;
        }
        socket(task, fd);
        int got = 0;
        for (; got < vlen; got++) {
            long entry = vec + (long) MMSGHDR * got;
            long n;
            try {
                n = recvmsg(task, fd, entry, got > 0 && (flags & MSG_WAITFORONE) != 0 ? flags | MSG_DONTWAIT : flags);
            } catch (ErrnoException | RestartSyscall e) {
                if (got == 0) {
                    throw e;
                }
                break;
            }
            task.memory().write32(entry + 56, (int) n);
            if (System.nanoTime() - deadline >= 0) {
                got++;
                break;
            }
        }
        return got;
    }

    /** shutdown(2): {@code int shutdown(int sockfd, int how)}; EINVAL for a {@code how} but SHUT_RD, SHUT_WR and SHUT_RDWR. */
    static long shutdown(Task task, SyscallArgs args) {
        socket(task, args.int32(0)).shutdown(args.int32(1));
        return 0;
    }

    /**
     * getsockopt(2): {@code int getsockopt(int sockfd, int level, int optname, void *optval,
     * socklen_t *optlen)}: EINVAL for a negative length; the socket's answer
     * ({@link Socket#option}) cut to the length given, which then says how much was written.
     */
    static long getsockopt(Task task, SyscallArgs args) {
        Socket s = socket(task, args.int32(0));
        int level = args.int32(1);
        int name = args.int32(2);
        long optval = args.pointer(3);
        long optlen = args.pointer(4);
        int len = task.memory().read32(optlen);
        if (len < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        byte[] value = s.option(level, name);
        int n = Math.min(len, value.length);
        task.memory().write(optval, value, 0, n);
        task.memory().write32(optlen, n);
        return 0;
    }

    /**
     * setsockopt(2): {@code int setsockopt(int sockfd, int level, int optname, const void
     * *optval, socklen_t optlen)}: EINVAL for a negative length; at most 16 bytes of the value
     * are read (the longest option linux4j has) and the socket checks the rest
     * ({@link Socket#setOption}).
     */
    static long setsockopt(Task task, SyscallArgs args) {
        Socket s = socket(task, args.int32(0));
        int level = args.int32(1);
        int name = args.int32(2);
        long optval = args.pointer(3);
        int optlen = args.int32(4);
        if (optlen < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        s.setOption(level, name, task.memory().read(optval, Math.min(optlen, 16)));
        return 0;
    }

    /** getsockname(2): {@code int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen)}. */
    static long getsockname(Task task, SyscallArgs args) {
        Socket s = socket(task, args.int32(0));
        addressOut(task, s.name(), args.pointer(1), args.pointer(2));
        return 0;
    }

    /** getpeername(2): ENOTCONN without a peer. */
    static long getpeername(Task task, SyscallArgs args) {
        Socket s = socket(task, args.int32(0));
        addressOut(task, s.peerName(), args.pointer(1), args.pointer(2));
        return 0;
    }
}
