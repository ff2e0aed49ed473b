package dev.linux4j.syscall;

import static dev.linux4j.abi.Mqueue.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Resource;
import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Siginfo;
import dev.linux4j.abi.Stat;
import dev.linux4j.fs.mqueue.MessageQueue;
import dev.linux4j.fs.mqueue.MqueueFile;
import dev.linux4j.fs.mqueue.MqueueFs;
import dev.linux4j.kernel.Credentials;
import dev.linux4j.kernel.Kernel;
import dev.linux4j.kernel.Signals;
import dev.linux4j.kernel.Task;
import dev.linux4j.kernel.ThreadGroup;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.vfs.FileDescription;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * POSIX message queues (ipc/mqueue.c; man 7 mq_overview): the argument checks and copies in
 * the order Linux makes them. The queues live in the mqueue file system of each kernel
 * ({@link MqueueFs}); a descriptor is an open file of it ({@link MqueueFile}), always
 * close-on-exec as do_mq_open makes it. The C library passes names without their leading
 * slash (glibc refuses a name without one, musl passes such a name on unchanged).
 *
 * <p>SIGEV_THREAD needs a NETLINK socket for the kernel to write the cookie to, and linux4j has
 * no AF_NETLINK: a socket of another family is EINVAL as netlink_getsockbyfile says, so
 * glibc's mq_notify, failing to make its netlink socket, returns ENOSYS, and musl's returns
 * socket(2)'s error.
 */
final class MqueueSyscalls {
    private MqueueSyscalls() {}

    /**
     * The mqueue file system of each kernel (ns->mq_mnt). The kernel package cannot name a file
     * system (DESIGN.md's layers), so the kernel does not hold it; it goes with the kernel.
     */
    private static final Map<Kernel, MqueueFs> NAMESPACES = Collections.synchronizedMap(new WeakHashMap<>());

    private static MqueueFs fs(Task task) {
        return NAMESPACES.computeIfAbsent(task.kernel(), k -> new MqueueFs());
    }

    /** The caller's credentials, umask and RLIMIT_MSGQUEUE for the file system's checks. */
    private static MqueueFs.Creds creds(Task task) {
        ThreadGroup g = task.group();
        Credentials c = g.credentials();
        return new MqueueFs.Creds(c.uid(), c.fsuid(), c.fsgid(), c.groups(), c.euid() == 0, g.umask(),
                g.rlimit(Resource.RLIMIT_MSGQUEUE)[0]);
    }

    /** getname: the name's bytes; EFAULT, ENAMETOOLONG at PATH_MAX, ENOENT for an empty one. */
    private static byte[] getname(Task task, long ptr) {
        if (ptr == 0) {
            throw ErrnoException.of(Errno.EFAULT);
        }
        byte[] name = task.memory().readCString(ptr, 4095);
        if (name.length == 0) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        return name;
    }

    /** fdget plus the f_op test of every mq_* call but mq_open: EBADF for anything but a queue. */
    private static FileDescription queueFile(Task task, int fd) {
        FileDescription file = task.files().get(fd);
        if (!(file.ops() instanceof MqueueFile)) {
            throw ErrnoException.of(Errno.EBADF);
        }
        return file;
    }

    private static MessageQueue queue(FileDescription file) {
        return ((MqueueFile) file.ops()).queue();
    }

    /**
     * prepare_timeout: the absolute CLOCK_REALTIME timeout read (EFAULT) and checked (EINVAL)
     * before anything else, whether or not the call will sleep; as a {@link System#nanoTime}
     * deadline, {@link Long#MAX_VALUE} for none.
     */
    private static long deadline(Task task, long timeout) {
        if (timeout == 0) {
            return Long.MAX_VALUE;
        }
        long abs = TimeSyscalls.readTimespec(task, timeout);
        long now = System.nanoTime();
        long left = abs - TimeSyscalls.now(task, TimeSyscalls.CLOCK_REALTIME);
        if (left <= 0) {
            return now;
        }
        return left >= Long.MAX_VALUE - 1 - now ? Long.MAX_VALUE - 1 : now + left;
    }

    /**
     * mq_open(2): {@code mqd_t mq_open(const char *name, int oflag, mode_t mode, struct mq_attr
     * *attr)}. The attributes are copied first when given (EFAULT), then the name (getname);
     * the file system does the lookup and prepare_open's checks.
     */
    static long mqOpen(Task task, SyscallArgs args) {
        long namePtr = args.pointer(0);
        int oflag = args.int32(1);
        int mode = (int) (args.raw(2) & 0xffff); // umode_t
        long attrPtr = args.pointer(3);
        long[] attr = null;
        if (attrPtr != 0) {
            MqAttr a = MqAttr.decode(task.memory().read(attrPtr, SIZEOF_MQ_ATTR));
            attr = new long[] {a.maxmsg(), a.msgsize()};
        }
        byte[] name = getname(task, namePtr);
        FileDescription file = fs(task).open(name, oflag, mode, attr, creds(task));
        return FdSyscalls.install(task, file, true); // get_unused_fd_flags(O_CLOEXEC)
    }

    /**
     * mq_unlink(2): {@code int mq_unlink(const char *name)}. EPERM for another user's queue (the
     * root's sticky bit), which the C libraries report as EACCES.
     */
    static long mqUnlink(Task task, SyscallArgs args) {
        byte[] name = getname(task, args.pointer(0));
        fs(task).unlink(name, creds(task));
        return 0;
    }

    /**
     * mq_timedsend(2): {@code int mq_timedsend(mqd_t mqdes, const char *msg_ptr, size_t msg_len,
     * unsigned int msg_prio, const struct timespec *abs_timeout)}. In do_mq_timedsend's order:
     * the timeout, EINVAL for a priority from MQ_PRIO_MAX, EBADF for a descriptor that is not a
     * queue open for writing, EMSGSIZE above mq_msgsize, the text copied (EFAULT); then EAGAIN
     * or a sleep while the queue is full. A message that makes the queue non-empty with no
     * receiver asleep fires the notification registered for it.
     */
    static long mqTimedsend(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long msgPtr = args.pointer(1);
        long len = args.sizeT(2);
        long prio = args.uint32(3);
        long deadline = deadline(task, args.pointer(4));
        if (prio >= MQ_PRIO_MAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        FileDescription file = queueFile(task, fd);
        if (!file.writable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        MessageQueue q = queue(file);
        if (Long.compareUnsigned(len, q.msgsize()) > 0) {
            throw ErrnoException.of(Errno.EMSGSIZE);
        }
        byte[] text = task.memory().read(msgPtr, (int) len);
        boolean nonblock = (file.flags() & Fcntl.O_NONBLOCK) != 0;
        MessageQueue.Notification owed = q.send(new MessageQueue.Message(text, (int) prio), nonblock, deadline);
        if (owed != null) {
            notify(task, owed);
        }
        return 0;
    }

    /**
     * __do_notify's SIGEV_SIGNAL: a queued signal with si_code SI_MESGQ, the sender's pid and
     * real uid and the registered value, to the registered process unless it has exec'd since
     * (self_exec_id); no permission check, as the kernel sends it.
     */
    private static void notify(Task sender, MessageQueue.Notification n) {
        ThreadGroup target = sender.kernel().tree().find(n.pid());
        if (target == null || target.space() != n.execToken()) {
            return;
        }
        ThreadGroup from = sender.group();
        Signals.sendToGroup(target, Siginfo.rt(n.signo(), Siginfo.SI_MESGQ, from.pid(), from.credentials().uid(),
                n.value()));
    }

    /**
     * mq_timedreceive(2): {@code ssize_t mq_timedreceive(mqd_t mqdes, char *msg_ptr, size_t
     * msg_len, unsigned int *msg_prio, const struct timespec *abs_timeout)}. The timeout, EBADF
     * for a descriptor that is not a queue open for reading, EMSGSIZE for a buffer smaller than
     * mq_msgsize; then EAGAIN or a sleep while the queue is empty. The message is taken before
     * the priority and text are copied out (EFAULT loses it, as on Linux).
     */
    static long mqTimedreceive(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long msgPtr = args.pointer(1);
        long len = args.sizeT(2);
        long prioPtr = args.pointer(3);
        long deadline = deadline(task, args.pointer(4));
        FileDescription file = queueFile(task, fd);
        if (!file.readable()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        MessageQueue q = queue(file);
        if (Long.compareUnsigned(len, q.msgsize()) < 0) {
            throw ErrnoException.of(Errno.EMSGSIZE);
        }
        boolean nonblock = (file.flags() & Fcntl.O_NONBLOCK) != 0;
        MessageQueue.Message msg = q.receive(nonblock, deadline);
        AddressSpace mem = task.memory();
        if (prioPtr != 0) {
            mem.write32(prioPtr, msg.priority());
        }
        mem.write(msgPtr, msg.text());
        return msg.text().length;
    }

    /**
     * mq_notify(2): {@code int mq_notify(mqd_t mqdes, const struct sigevent *sevp)}. The
     * sigevent is copied (EFAULT) and checked (EINVAL for another sigev_notify, or SIGEV_SIGNAL
     * with a signal above 64; signal 0 registers without a signal); SIGEV_THREAD's cookie is
     * copied and its sigev_signo must be a netlink socket (EBADF, ENOTSOCK, EINVAL). Then the
     * queue: NULL removes the caller's registration, another is EBUSY while one stands.
     */
    static long mqNotify(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long sevp = args.pointer(1);
        AddressSpace mem = task.memory();
        Sigevent ev = null;
        if (sevp != 0) {
            ev = Sigevent.decode(mem.read(sevp, SIZEOF_SIGEVENT));
            int how = ev.sigevNotify();
            if (how != SIGEV_NONE && how != SIGEV_SIGNAL && how != SIGEV_THREAD) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (how == SIGEV_SIGNAL && Integer.compareUnsigned(ev.signo(), Signal.NSIG) > 0) {
                throw ErrnoException.of(Errno.EINVAL); // valid_signal
            }
            if (how == SIGEV_THREAD) {
                mem.read(ev.value(), NOTIFY_COOKIE_LEN);
                FileDescription sock = task.files().get(ev.signo());
                if ((sock.ops().stat(sock).mode() & Stat.S_IFMT) != Stat.S_IFSOCK) {
                    throw ErrnoException.of(Errno.ENOTSOCK);
                }
                throw ErrnoException.of(Errno.EINVAL); // not AF_NETLINK: linux4j has none
            }
        }
        MessageQueue q = queue(queueFile(task, fd));
        ThreadGroup g = task.group();
        q.register(ev == null ? null : new MessageQueue.Registration(ev.sigevNotify(), ev.signo(), ev.value(), g.pid(),
                g.space()), g.pid());
        return 0;
    }

    /**
     * mq_getsetattr(2): {@code int mq_getsetattr(mqd_t mqdes, const struct mq_attr *newattr,
     * struct mq_attr *oldattr)}. EINVAL for a new mq_flags with anything but O_NONBLOCK, before
     * EBADF; the old attributes are taken before O_NONBLOCK changes, and copied out last.
     */
    static long mqGetsetattr(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        long newPtr = args.pointer(1);
        long oldPtr = args.pointer(2);
        AddressSpace mem = task.memory();
        MqAttr in = newPtr == 0 ? null : MqAttr.decode(mem.read(newPtr, SIZEOF_MQ_ATTR));
        if (in != null && (in.flags() & ~(long) Fcntl.O_NONBLOCK) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        FileDescription file = queueFile(task, fd);
        MessageQueue q = queue(file);
        MqAttr out = new MqAttr(file.flags() & Fcntl.O_NONBLOCK, q.maxmsg(), q.msgsize(), q.curmsgs());
        if (in != null) {
            file.setStatusFlags((file.flags() & ~Fcntl.O_NONBLOCK) | ((int) in.flags() & Fcntl.O_NONBLOCK));
            q.attrSet();
        }
        if (oldPtr != 0) {
            mem.write(oldPtr, out.toBytes());
        }
        return 0;
    }
}
