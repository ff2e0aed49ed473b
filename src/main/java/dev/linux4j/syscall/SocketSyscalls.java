package dev.linux4j.syscall;

import static dev.linux4j.abi.Sockets.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.fs.socket.UnixSocket;
import dev.linux4j.kernel.Credentials;
import dev.linux4j.kernel.Task;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.vfs.FileDescription;

/**
 * The socket calls linux4j has sockets for (net/socket.c): socketpair(2) of AF_UNIX sockets, and
 * send, receive, shutdown, options and names on them. Every other descriptor is not a socket
 * (ENOTSOCK after the descriptor check, sockfd_lookup): bash asks getpeername(0) whether stdin
 * is a network connection, and ENOSYS would make it think so.
 */
final class SocketSyscalls {
    private SocketSyscalls() {}

    /** SOCK_MAX: types at or above it are EINVAL before any family is asked. */
    private static final int SOCK_MAX = 11;
    /** sizeof(sa_family_t): the whole name of an unnamed AF_UNIX socket. */
    private static final int UNNAMED_LENGTH = 2;

    /** sockfd_lookup: EBADF for no descriptor, ENOTSOCK for one that is not a socket. */
    private static UnixSocket socket(Task task, int fd) {
        FileDescription file = FdSyscalls.fdget(task, fd);
        if (file.ops() instanceof UnixSocket s) {
            return s;
        }
        throw ErrnoException.of(Errno.ENOTSOCK);
    }

    private static boolean nonblock(Task task, int fd, int flags) {
        return (flags & MSG_DONTWAIT) != 0 || (task.files().get(fd).flags() & Fcntl.O_NONBLOCK) != 0;
    }

    /**
     * socketpair(2): {@code int socketpair(int domain, int type, int protocol, int sv[2])}, in
     * __sys_socketpair's order: EINVAL for a flag but SOCK_NONBLOCK and SOCK_CLOEXEC, then
     * __sock_create's EAFNOSUPPORT for a family out of range and EINVAL for a type at or past
     * SOCK_MAX; AF_INET and AF_INET6 have no socketpair (EOPNOTSUPP); unix_create's
     * EPROTONOSUPPORT for a protocol but 0 and PF_UNIX and ESOCKTNOSUPPORT for a type it has
     * not; EFAULT for {@code sv}, with nothing left open. Other families: EAFNOSUPPORT.
     */
    static long socketpair(Task task, SyscallArgs args) {
        int domain = args.int32(0);
        int type = args.int32(1);
        int protocol = args.int32(2);
        long sv = args.pointer(3);
        int flags = type & ~SOCK_TYPE_MASK;
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        type &= SOCK_TYPE_MASK;
        if (domain < 0 || domain >= AF_MAX) {
            throw ErrnoException.of(Errno.EAFNOSUPPORT);
        }
        if (type >= SOCK_MAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (domain == AF_INET || domain == AF_INET6) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        if (domain != AF_UNIX) {
            throw ErrnoException.of(Errno.EAFNOSUPPORT);
        }
        if (protocol != 0 && protocol != AF_UNIX) {
            throw ErrnoException.of(Errno.EPROTONOSUPPORT);
        }
        if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_RAW && type != SOCK_SEQPACKET) {
            throw ErrnoException.of(Errno.ESOCKTNOSUPPORT);
        }
        Credentials c = task.group().credentials();
        FileDescription[] ends = UnixSocket.pair(type, flags, new int[] {task.group().pid(), c.euid(), c.egid()});
        FdSyscalls.installPair(task, ends, (flags & SOCK_CLOEXEC) != 0, sv);
        return 0;
    }

    /**
     * sendto(2): {@code ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const
     * struct sockaddr *dest_addr, socklen_t addrlen)}. A connected pair takes no address
     * (EISCONN); MSG_OOB is EOPNOTSUPP; MSG_DONTWAIT does not wait; EPIPE comes with SIGPIPE
     * unless MSG_NOSIGNAL.
     */
    static long sendto(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long buf = args.pointer(1);
        long len = Math.min(args.sizeT(2), ReadWriteSyscalls.MAX_RW_COUNT);
        int flags = args.int32(3);
        long dest = args.pointer(4);
        int addrlen = args.int32(5);
        UnixSocket s = socket(task, fd);
        byte[] data = task.memory().read(buf, (int) len);
        return send(task, s, data, flags, dest != 0 && addrlen != 0, nonblock(task, fd, flags), null);
    }

    private static long send(Task task, UnixSocket s, byte[] data, int flags, boolean named, boolean nonblock,
            FileDescription[] files) {
        if ((flags & MSG_OOB) != 0 || named) {
            UnixSocket.release(files);
            throw ErrnoException.of((flags & MSG_OOB) != 0 ? Errno.EOPNOTSUPP : Errno.EISCONN);
        }
        try {
            return s.send(data, 0, data.length, nonblock, files);
        } catch (ErrnoException e) {
            throw (flags & MSG_NOSIGNAL) == 0 ? TransferSyscalls.sigpipe(task, e) : e;
        }
    }

    /**
     * recvfrom(2): {@code ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, struct
     * sockaddr *src_addr, socklen_t *addrlen)}. MSG_PEEK leaves the data, MSG_WAITALL waits for
     * all of a stream's {@code len}, MSG_TRUNC returns a message's whole length; the peer is
     * unnamed, so {@code *addrlen} becomes 0.
     */
    static long recvfrom(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long buf = args.pointer(1);
        long len = Math.min(args.sizeT(2), ReadWriteSyscalls.MAX_RW_COUNT);
        int flags = args.int32(3);
        long src = args.pointer(4);
        long addrlen = args.pointer(5);
        UnixSocket s = socket(task, fd);
        if ((flags & MSG_OOB) != 0) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        byte[] data = new byte[(int) len];
        UnixSocket.Received got = s.receive(data, 0, data.length, nonblock(task, fd, flags), (flags & MSG_PEEK) != 0,
                (flags & MSG_WAITALL) != 0);
        UnixSocket.release(got.files()); // recvfrom has nowhere to put descriptors
        task.memory().write(buf, data, 0, got.copied());
        if (src != 0 && addrlen != 0) {
            task.memory().write32(addrlen, 0);
        }
        return (flags & MSG_TRUNC) != 0 ? got.length() : got.copied();
    }

    /**
     * sendmsg(2): {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)}: the
     * buffers' bytes go as one send (one message), with the descriptors of an SCM_RIGHTS
     * control message (EBADF for one that is not open, EINVAL for a malformed control message,
     * more than SCM_MAX_FD descriptors, or a type but SCM_RIGHTS and SCM_CREDENTIALS; credentials
     * are checked, EPERM unless they are the caller's or the caller is root, and not delivered).
     */
    static long sendmsg(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long msg = args.pointer(1);
        int flags = args.int32(2);
        UnixSocket s = socket(task, fd);
        AddressSpace mem = task.memory();
        long name = mem.read64(msg);
        int namelen = mem.read32(msg + 8);
        long[][] iov = ReadWriteSyscalls.iovecs(task, mem.read64(msg + 16), mem.read64(msg + 24));
        byte[] data = ReadWriteSyscalls.gather(task, iov, ReadWriteSyscalls.total(iov));
        FileDescription[] files = controlRights(task, mem.read64(msg + 32), mem.read64(msg + 40));
        return send(task, s, data, flags, name != 0 && namelen != 0, nonblock(task, fd, flags), files);
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
     * each with a reference taken (null when there are none).
     */
    private static FileDescription[] controlRights(Task task, long control, long controllen) {
        AddressSpace mem = task.memory();
        java.util.List<FileDescription> files = new java.util.ArrayList<>();
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
                    if (len < CMSG_HDR + 12) {
                        throw ErrnoException.of(Errno.EINVAL);
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
                } else {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                p += cmsgAlign(len);
            }
        } catch (RuntimeException e) {
            UnixSocket.release(files.toArray(new FileDescription[0]));
            throw e;
        }
        return files.isEmpty() ? null : files.toArray(new FileDescription[0]);
    }

    /**
     * recvmsg(2): {@code ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)}: one receive
     * spread over the buffers; msg_namelen becomes 0 (an unnamed peer). Descriptors that came
     * with the data are installed (MSG_CMSG_CLOEXEC: close-on-exec) into an SCM_RIGHTS control
     * message as far as msg_controllen has room; the rest are closed and msg_flags gets
     * MSG_CTRUNC (scm_detach_fds). msg_flags gets MSG_TRUNC when a message was cut short, and
     * MSG_CMSG_CLOEXEC back when it was asked for, as ___sys_recvmsg leaves it.
     */
    static long recvmsg(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long msg = args.pointer(1);
        int flags = args.int32(2);
        UnixSocket s = socket(task, fd);
        if ((flags & MSG_OOB) != 0) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        AddressSpace mem = task.memory();
        long[][] iov = ReadWriteSyscalls.iovecs(task, mem.read64(msg + 16), mem.read64(msg + 24));
        long control = mem.read64(msg + 32);
        long controllen = mem.read64(msg + 40);
        byte[] data = new byte[(int) ReadWriteSyscalls.total(iov)];
        UnixSocket.Received got = s.receive(data, 0, data.length, nonblock(task, fd, flags), (flags & MSG_PEEK) != 0,
                (flags & MSG_WAITALL) != 0);
        ReadWriteSyscalls.scatter(task, iov, data, got.copied());
        int msgFlags = (got.length() > got.copied() ? MSG_TRUNC : 0) | (flags & MSG_CMSG_CLOEXEC);
        long used = 0;
        if (got.files() != null) {
            FileDescription[] files = got.files();
            int room = controllen < CMSG_HDR ? 0 : (int) Math.min(files.length, (controllen - CMSG_HDR) / 4);
            int installed = 0;
            for (FileDescription f : files) {
                if (installed == room) {
                    f.release();
                    continue;
                }
                try {
                    int newfd = FdSyscalls.install(task, f, (flags & MSG_CMSG_CLOEXEC) != 0);
                    mem.write32(control + CMSG_HDR + 4L * installed++, newfd);
                } catch (ErrnoException e) {
                    room = installed; // EMFILE: install released this one; the rest are closed
                }
            }
            if (installed < files.length) {
                msgFlags |= MSG_CTRUNC;
            }
            if (installed > 0) {
                mem.write64(control, CMSG_HDR + 4L * installed);
                mem.write32(control + 8, SOL_SOCKET);
                mem.write32(control + 12, SCM_RIGHTS);
                used = Math.min(controllen, cmsgAlign(CMSG_HDR + 4L * installed));
            }
        }
        mem.write32(msg + 8, 0);
        mem.write64(msg + 40, used);
        mem.write32(msg + 48, msgFlags);
        return (flags & MSG_TRUNC) != 0 ? got.length() : got.copied();
    }

    /** shutdown(2): {@code int shutdown(int sockfd, int how)}; EINVAL for a {@code how} but SHUT_RD, SHUT_WR and SHUT_RDWR. */
    static long shutdown(Task task, SyscallArgs args) {
        socket(task, args.int32(0)).shutdown(args.int32(1));
        return 0;
    }

    /**
     * getsockopt(2): {@code int getsockopt(int sockfd, int level, int optname, void *optval,
     * socklen_t *optlen)}: EINVAL for a negative length; SOL_SOCKET's options as
     * {@link UnixSocket#option}, cut to the length given, which then says how much was written;
     * other levels EOPNOTSUPP (AF_UNIX has no protocol options).
     */
    static long getsockopt(Task task, SyscallArgs args) {
        UnixSocket s = socket(task, args.int32(0));
        int level = args.int32(1);
        int name = args.int32(2);
        long optval = args.pointer(3);
        long optlen = args.pointer(4);
        if (level != SOL_SOCKET) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        int len = task.memory().read32(optlen);
        if (len < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        byte[] value = s.option(name);
        int n = Math.min(len, value.length);
        task.memory().write(optval, value, 0, n);
        task.memory().write32(optlen, n);
        return 0;
    }

    /**
     * setsockopt(2): {@code int setsockopt(int sockfd, int level, int optname, const void
     * *optval, socklen_t optlen)}: SOL_SOCKET's as {@link UnixSocket#setOption}; other levels
     * EOPNOTSUPP.
     */
    static long setsockopt(Task task, SyscallArgs args) {
        UnixSocket s = socket(task, args.int32(0));
        int level = args.int32(1);
        int name = args.int32(2);
        long optval = args.pointer(3);
        int optlen = args.int32(4);
        if (level != SOL_SOCKET) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        if (optlen < 4) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        s.setOption(name, task.memory().read(optval, Math.min(optlen, 16)));
        return 0;
    }

    /** getsockname(2): an unnamed AF_UNIX socket's name is its family alone. */
    static long getsockname(Task task, SyscallArgs args) {
        socket(task, args.int32(0));
        return unnamed(task, args.pointer(1), args.pointer(2));
    }

    /** getpeername(2): the peer of a pair is unnamed too. */
    static long getpeername(Task task, SyscallArgs args) {
        socket(task, args.int32(0));
        return unnamed(task, args.pointer(1), args.pointer(2));
    }

    /** move_addr_to_user of {sun_family = AF_UNIX}: EINVAL for a negative length. */
    private static long unnamed(Task task, long addr, long addrlen) {
        int len = task.memory().read32(addrlen);
        if (len < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        byte[] name = {AF_UNIX, 0};
        task.memory().write(addr, name, 0, Math.min(len, UNNAMED_LENGTH));
        task.memory().write32(addrlen, UNNAMED_LENGTH);
        return 0;
    }
}
