package dev.linux4j.kernel;

import static dev.linux4j.abi.Ipc.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Ipc;
import dev.linux4j.vfs.RestartSyscall;
import dev.linux4j.vfs.Sleep;
import dev.linux4j.vfs.SysvIpcView;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * System V message queues (ipc/msg.c). A sender finding a receiver asleep for a matching
 * message hands the message over directly (pipelined_send) instead of queueing it; a sender
 * waits while the message would take the queue past msg_qbytes bytes or messages. Sleeps end
 * with EIDRM when the queue is removed, and with ERESTARTNOHAND when a signal comes (EINTR once
 * a handler runs: msgsnd and msgrcv are never restarted after one).
 *
 * <p>Locking: the table's lock ({@link IpcIds}) guards everything here; sleepers wait on
 * conditions of it.
 */
public final class SysvMsg {
    private final IpcIds<MsgQueue> ids = new IpcIds<>();
    /** percpu_msg_hdrs and percpu_msg_bytes: messages and bytes queued in the namespace. */
    private long headers;
    private long bytes;

    /** A message as received: its type and text. */
    public record Message(long type, byte[] text) {}

    /** struct msg_queue. */
    static final class MsgQueue extends IpcIds.Perm {
        long stime;
        long rtime;
        long ctime;
        long cbytes;
        long qnum;
        long qbytes = MSGMNB;
        int lspid;
        int lrpid;
        final LinkedList<Message> messages = new LinkedList<>();
        final List<Receiver> receivers = new ArrayList<>();
        /** Senders waiting for room (q_senders). */
        Condition senders;
    }

    /** struct msg_receiver. */
    private static final class Receiver {
        final long type;
        final int mode;
        final long maxSize;
        final int tid;
        final Condition wake;
        /** What the sleeper gets: a Message, an Errno, {@link #RETRY}, or null while waiting. */
        Object result;

        Receiver(long type, int mode, long maxSize, int tid, Condition wake) {
            this.type = type;
            this.mode = mode;
            this.maxSize = maxSize;
            this.tid = tid;
            this.wake = wake;
        }
    }

    /** expunge_all(-EAGAIN): look again (the permissions may have changed). */
    private static final Object RETRY = new Object();

    // convert_mode's search modes
    private static final int SEARCH_ANY = 1;
    private static final int SEARCH_EQUAL = 2;
    private static final int SEARCH_NOTEQUAL = 3;
    private static final int SEARCH_LESSEQUAL = 4;
    private static final int SEARCH_NUMBER = 5;

    /** msgget(2) (ksys_msgget, newque). */
    public int msgget(Task task, int key, int flags) {
        Credentials cred = task.group().credentials();
        return ids.get(key, flags, cred, () -> {
            MsgQueue q = new MsgQueue();
            IpcIds.init(q, key, flags, cred);
            q.ctime = IpcIds.now();
            q.senders = ids.lock.newCondition();
            return ids.add(q, MSGMNI);
        });
    }

    /** msg_fits_inqueue: room for {@code size} more bytes and one more message (both under msg_qbytes). */
    private static boolean fits(MsgQueue q, long size) {
        return Long.compareUnsigned(size + q.cbytes, q.qbytes) <= 0 && Long.compareUnsigned(1 + q.qnum, q.qbytes) <= 0;
    }

    /**
     * do_msgsnd after the argument checks and the copy of the text: EINVAL for an unknown id,
     * then per try EACCES without write permission, EIDRM, EAGAIN with IPC_NOWAIT when full.
     */
    public void msgsnd(Task task, int msqid, Message msg, int flags) {
        ThreadGroup group = task.group();
        ids.lock.lock();
        try {
            MsgQueue q = ids.obtain(msqid);
            while (true) {
                q.check(group.credentials(), 0222);
                if (q.deleted) {
                    throw ErrnoException.of(Errno.EIDRM);
                }
                if (fits(q, msg.text().length)) {
                    break;
                }
                if ((flags & IPC_NOWAIT) != 0) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                try {
                    Sleep.await(q.senders);
                } catch (RestartSyscall interrupted) {
                    if (q.deleted) {
                        throw ErrnoException.of(Errno.EIDRM);
                    }
                    throw RestartSyscall.ERESTARTNOHAND;
                }
                if (q.deleted) {
                    throw ErrnoException.of(Errno.EIDRM);
                }
            }
            q.lspid = group.pid();
            q.stime = IpcIds.now();
            if (!pipelinedSend(q, msg)) {
                q.messages.add(msg);
                q.cbytes += msg.text().length;
                q.qnum++;
                headers++;
                bytes += msg.text().length;
            }
        } finally {
            ids.lock.unlock();
        }
    }

    /**
     * pipelined_send: the first sleeping receiver the message matches takes it; one whose
     * buffer is too small (without MSG_NOERROR) is woken with E2BIG and the search goes on.
     */
    private static boolean pipelinedSend(MsgQueue q, Message msg) {
        for (Iterator<Receiver> it = q.receivers.iterator(); it.hasNext(); ) {
            Receiver r = it.next();
            if (!matches(msg, r.type, r.mode)) {
                continue;
            }
            it.remove();
            if (r.maxSize < msg.text().length) {
                r.result = Errno.E2BIG;
                r.wake.signal();
                continue;
            }
            q.lrpid = r.tid;
            q.rtime = IpcIds.now();
            r.result = msg;
            r.wake.signal();
            return true;
        }
        return false;
    }

    /** testmsg. */
    private static boolean matches(Message msg, long type, int mode) {
        return switch (mode) {
            case SEARCH_ANY, SEARCH_NUMBER -> true;
            case SEARCH_LESSEQUAL -> msg.type() <= type;
            case SEARCH_EQUAL -> msg.type() == type;
            case SEARCH_NOTEQUAL -> msg.type() != type;
            default -> false;
        };
    }

    /**
     * do_msgrcv after its argument checks: the first message of the kind {@code msgtyp} and the
     * flags ask for (0: any; above 0: that type, or any other with MSG_EXCEPT; below 0: the
     * lowest type up to -msgtyp; with MSG_COPY: the msgtyp'th message, left queued). E2BIG when
     * it is longer than {@code bufsz} without MSG_NOERROR, ENOMSG with IPC_NOWAIT when there is
     * none, EIDRM when the queue is removed while waiting.
     *
     * @param copyLimit with MSG_COPY, the size of the copy buffer (a longer message is EINVAL)
     */
    public Message msgrcv(Task task, int msqid, long bufsz, long msgtyp, int flags, long copyLimit) {
        int mode;
        if ((flags & MSG_COPY) != 0) {
            mode = SEARCH_NUMBER;
        } else if (msgtyp == 0) {
            mode = SEARCH_ANY;
        } else if (msgtyp < 0) {
            msgtyp = msgtyp == Long.MIN_VALUE ? Long.MAX_VALUE : -msgtyp;
            mode = SEARCH_LESSEQUAL;
        } else {
            mode = (flags & MSG_EXCEPT) != 0 ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
        }
        ThreadGroup group = task.group();
        ids.lock.lock();
        try {
            MsgQueue q = ids.obtain(msqid);
            while (true) {
                q.check(group.credentials(), 0444);
                if (q.deleted) {
                    throw ErrnoException.of(Errno.EIDRM);
                }
                Message msg = find(q, msgtyp, mode);
                if (msg != null) {
                    if (bufsz < msg.text().length && (flags & MSG_NOERROR) == 0) {
                        throw ErrnoException.of(Errno.E2BIG);
                    }
                    if ((flags & MSG_COPY) != 0) {
                        if (msg.text().length > copyLimit) {
                            throw ErrnoException.of(Errno.EINVAL); // copy_msg
                        }
                        return msg;
                    }
                    q.messages.remove(msg);
                    q.qnum--;
                    q.rtime = IpcIds.now();
                    q.lrpid = group.pid();
                    q.cbytes -= msg.text().length;
                    headers--;
                    bytes -= msg.text().length;
                    q.senders.signalAll(); // ss_wakeup
                    return msg;
                }
                if ((flags & IPC_NOWAIT) != 0) {
                    throw ErrnoException.of(Errno.ENOMSG);
                }
                Receiver r = new Receiver(msgtyp, mode, (flags & MSG_NOERROR) != 0 ? Integer.MAX_VALUE : bufsz,
                        task.tid(), ids.lock.newCondition());
                q.receivers.add(r);
                try {
                    while (r.result == null) {
                        Sleep.await(r.wake);
                    }
                } catch (RestartSyscall interrupted) {
                    if (r.result == null || r.result == RETRY) {
                        q.receivers.remove(r);
                        throw RestartSyscall.ERESTARTNOHAND;
                    }
                }
                if (r.result instanceof Message m) {
                    return m;
                }
                if (r.result instanceof Errno e) {
                    throw ErrnoException.of(e);
                }
                q.receivers.remove(r); // RETRY: look again
            }
        } finally {
            ids.lock.unlock();
        }
    }

    /** find_msg. */
    private static Message find(MsgQueue q, long msgtyp, int mode) {
        Message found = null;
        long count = 0;
        for (Message m : q.messages) {
            if (matches(m, msgtyp, mode)) {
                if (mode == SEARCH_LESSEQUAL && m.type() != 1) {
                    msgtyp = m.type() - 1;
                    found = m;
                } else if (mode == SEARCH_NUMBER) {
                    if (msgtyp == count) {
                        return m;
                    }
                } else {
                    return m;
                }
                count++;
            }
        }
        return found;
    }

    /** /proc/sysvipc/msg (sysvipc_msg_proc_show). */
    List<SysvIpcView.Msg> proc() {
        ids.lock.lock();
        try {
            List<SysvIpcView.Msg> out = new ArrayList<>();
            for (MsgQueue q : ids.all()) {
                out.add(new SysvIpcView.Msg(q.key, q.id, q.mode, q.cbytes, q.qnum, q.lspid, q.lrpid, q.uid, q.gid, q.cuid,
                        q.cgid, q.stime, q.rtime, q.ctime));
            }
            return out;
        } finally {
            ids.lock.unlock();
        }
    }

    /** IPC_STAT, MSG_STAT, MSG_STAT_ANY (msgctl_stat). */
    public IpcNamespace.Status<Ipc.MsqidDs> stat(Task task, int msqid, int cmd) {
        ids.lock.lock();
        try {
            MsgQueue q = cmd == IPC_STAT ? ids.obtain(msqid) : ids.obtainByIndex(msqid);
            if (cmd != MSG_STAT_ANY) {
                q.check(task.group().credentials(), 0444);
            }
            Ipc.MsqidDs ds = new Ipc.MsqidDs(q.toAbi(), q.stime, q.rtime, q.ctime, q.cbytes, q.qnum, q.qbytes,
                    q.lspid, q.lrpid);
            return new IpcNamespace.Status<>(cmd == IPC_STAT ? 0 : q.id, ds);
        } finally {
            ids.lock.unlock();
        }
    }

    /** IPC_INFO and MSG_INFO (msgctl_info). */
    public IpcNamespace.Status<Ipc.Msginfo> info(int cmd) {
        ids.lock.lock();
        try {
            Ipc.Msginfo info = cmd == MSG_INFO
                    ? new Ipc.Msginfo(ids.inUse(), (int) Math.min(headers, Integer.MAX_VALUE), MSGMAX, MSGMNB, MSGMNI,
                            MSGSSZ, (int) Math.min(bytes, Integer.MAX_VALUE), MSGSEG)
                    : new Ipc.Msginfo(MSGPOOL, MSGMAP, MSGMAX, MSGMNB, MSGMNI, MSGSSZ, MSGTQL, MSGSEG);
            return new IpcNamespace.Status<>(ids.maxIndex(), info);
        } finally {
            ids.lock.unlock();
        }
    }

    /**
     * IPC_SET and IPC_RMID (msgctl_down): the creator, owner or root (EPERM); IPC_SET above
     * MSGMNB needs CAP_SYS_RESOURCE (EPERM), and sends sleepers to look again; IPC_RMID wakes
     * them with EIDRM.
     */
    public void control(Task task, int msqid, int cmd, Ipc.Perm perm, long qbytes) {
        ids.lock.lock();
        try {
            MsgQueue q = ids.obtain(msqid);
            Credentials c = task.group().credentials();
            q.checkOwner(c);
            if (cmd == IPC_SET) {
                if (Long.compareUnsigned(qbytes, MSGMNB) > 0 && c.euid() != 0) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                q.update(perm);
                q.qbytes = qbytes;
                q.ctime = IpcIds.now();
                expungeAll(q, RETRY);
                q.senders.signalAll();
                return;
            }
            expungeAll(q, Errno.EIDRM);
            ids.remove(q);
            q.senders.signalAll();
            headers -= q.qnum;
            bytes -= q.cbytes;
            q.messages.clear();
        } finally {
            ids.lock.unlock();
        }
    }

    /** expunge_all: every sleeping receiver wakes with {@code result}. */
    private static void expungeAll(MsgQueue q, Object result) {
        for (Receiver r : q.receivers) {
            r.result = result;
            r.wake.signal();
        }
        if (result != RETRY) {
            q.receivers.clear();
        }
    }
}
