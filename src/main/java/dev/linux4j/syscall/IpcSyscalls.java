package dev.linux4j.syscall;

import static dev.linux4j.abi.Ipc.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Ipc;
import dev.linux4j.kernel.IpcNamespace;
import dev.linux4j.kernel.SysvMsg;
import dev.linux4j.kernel.Task;
import dev.linux4j.memory.AddressSpace;

/**
 * System V IPC (ipc/shm.c, ipc/sem.c, ipc/msg.c; man 7 sysvipc): the argument checks and the
 * copies of x86-64's structures in and out, in the order Linux makes them. The objects live in
 * the kernel's {@link IpcNamespace}. x86-64 has the direct system calls only, which always use
 * the {@code *64_ds} layouts: a command with IPC_64 set is EINVAL there, as on Linux.
 */
final class IpcSyscalls {
    private IpcSyscalls() {}

    private static IpcNamespace ns(Task task) {
        return task.kernel().ipc();
    }

    private static Ipc.Perm readPerm(Task task, long buf, int size) {
        return Ipc.Perm.from(task.memory().read(buf, size));
    }

    // ---------------------------------------------------------------- shared memory

    /** shmget(2): {@code int shmget(key_t key, size_t size, int shmflg)}. */
    static long shmget(Task task, SyscallArgs args) {
        int key = args.int32(0);
        long size = args.sizeT(1);
        int flags = args.int32(2);
        return ns(task).shm().shmget(task, key, size, flags);
    }

    /** shmat(2): {@code void *shmat(int shmid, const void *shmaddr, int shmflg)}. */
    static long shmat(Task task, SyscallArgs args) {
        int shmid = args.int32(0);
        long addr = args.pointer(1);
        int flags = args.int32(2);
        return ns(task).shm().shmat(task, shmid, addr, flags);
    }

    /** shmdt(2): {@code int shmdt(const void *shmaddr)}. */
    static long shmdt(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        ns(task).shm().shmdt(task, addr);
        return 0;
    }

    /**
     * shmctl(2): {@code int shmctl(int shmid, int cmd, struct shmid_ds *buf)} (ksys_shmctl):
     * EINVAL for a negative id or command, or an unknown command.
     */
    static long shmctl(Task task, SyscallArgs args) {
        int shmid = args.int32(0);
        int cmd = args.int32(1);
        long buf = args.pointer(2);
        if (cmd < 0 || shmid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        var shm = ns(task).shm();
        switch (cmd) {
            case IPC_INFO -> {
                var info = shm.info();
                task.memory().write(buf, info.data().toBytes());
                return info.result();
            }
            case SHM_INFO -> {
                var info = shm.shmInfo();
                task.memory().write(buf, info.data().toBytes());
                return info.result();
            }
            case IPC_STAT, SHM_STAT, SHM_STAT_ANY -> {
                var st = shm.stat(task, shmid, cmd);
                task.memory().write(buf, st.data().toBytes());
                return st.result();
            }
            case IPC_SET -> {
                shm.control(task, shmid, cmd, readPerm(task, buf, SIZEOF_SHMID64_DS));
                return 0;
            }
            case IPC_RMID -> {
                shm.control(task, shmid, cmd, null);
                return 0;
            }
            case SHM_LOCK, SHM_UNLOCK -> {
                shm.lock(task, shmid, cmd == SHM_LOCK);
                return 0;
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
    }

    // ---------------------------------------------------------------- semaphores

    /** semget(2): {@code int semget(key_t key, int nsems, int semflg)}. */
    static long semget(Task task, SyscallArgs args) {
        int key = args.int32(0);
        int nsems = args.int32(1);
        int flags = args.int32(2);
        return ns(task).sem().semget(task, key, nsems, flags);
    }

    /** semop(2): {@code int semop(int semid, struct sembuf *sops, size_t nsops)}. */
    static long semop(Task task, SyscallArgs args) {
        return semtimedop(task, args.int32(0), args.pointer(1), args.uint32(2), 0);
    }

    /**
     * semtimedop(2): {@code int semtimedop(int semid, struct sembuf *sops, size_t nsops, const
     * struct timespec *timeout)}.
     */
    static long semtimedop(Task task, SyscallArgs args) {
        return semtimedop(task, args.int32(0), args.pointer(1), args.uint32(2), args.pointer(3));
    }

    /**
     * ksys_semtimedop's order: the timeout is copied (EFAULT), E2BIG past SEMOPM operations,
     * EINVAL for none, the operations copied (EFAULT), EINVAL for a negative id, then for an
     * invalid timeout.
     */
    private static long semtimedop(Task task, int semid, long sops, long nsops, long timeout) {
        AddressSpace mem = task.memory();
        long sec = 0;
        long nsec = 0;
        if (timeout != 0) {
            sec = mem.read64(timeout);
            nsec = mem.read64(timeout + 8);
        }
        if (nsops > SEMOPM) {
            throw ErrnoException.of(Errno.E2BIG);
        }
        if (nsops < 1) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Ipc.Sembuf[] ops = Ipc.Sembuf.decode(mem.read(sops, (int) nsops * SIZEOF_SEMBUF), (int) nsops);
        if (semid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long nanos = -1;
        if (timeout != 0) {
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
                throw ErrnoException.of(Errno.EINVAL); // timespec64_valid
            }
            nanos = sec > Long.MAX_VALUE / 1_000_000_000L - 1 ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + nsec;
        }
        ns(task).sem().semop(task, semid, ops, nanos);
        return 0;
    }

    /**
     * semctl(2): {@code int semctl(int semid, int semnum, int cmd, union semun arg)} (ksys_semctl).
     * The union comes by value in the fourth register: SETVAL's int in its low half, otherwise
     * a pointer.
     */
    static long semctl(Task task, SyscallArgs args) {
        int semid = args.int32(0);
        int semnum = args.int32(1);
        int cmd = args.int32(2);
        long arg = args.raw(3);
        if (semid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        var sem = ns(task).sem();
        AddressSpace mem = task.memory();
        switch (cmd) {
            case IPC_INFO, SEM_INFO -> {
                var info = sem.info(cmd);
                mem.write(arg, info.data().toBytes());
                return info.result();
            }
            case IPC_STAT, SEM_STAT, SEM_STAT_ANY -> {
                var st = sem.stat(task, semid, cmd);
                mem.write(arg, st.data().toBytes());
                return st.result();
            }
            case GETALL -> {
                int[] values = sem.getAll(task, semid);
                byte[] out = new byte[values.length * 2];
                for (int i = 0; i < values.length; i++) {
                    out[2 * i] = (byte) values[i];
                    out[2 * i + 1] = (byte) (values[i] >>> 8);
                }
                mem.write(arg, out);
                return 0;
            }
            case GETVAL, GETPID, GETNCNT, GETZCNT -> {
                return sem.get(task, semid, semnum, cmd);
            }
            case SETALL -> {
                sem.setAll(task, semid, n -> {
                    byte[] in = mem.read(arg, n * 2);
                    int[] values = new int[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = (in[2 * i] & 0xff) | (in[2 * i + 1] & 0xff) << 8;
                    }
                    return values;
                });
                return 0;
            }
            case SETVAL -> {
                sem.setVal(task, semid, semnum, (int) arg);
                return 0;
            }
            case IPC_SET -> {
                sem.control(task, semid, cmd, readPerm(task, arg, SIZEOF_SEMID64_DS));
                return 0;
            }
            case IPC_RMID -> {
                sem.control(task, semid, cmd, null);
                return 0;
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
    }

    // ---------------------------------------------------------------- message queues

    /** msgget(2): {@code int msgget(key_t key, int msgflg)}. */
    static long msgget(Task task, SyscallArgs args) {
        int key = args.int32(0);
        int flags = args.int32(1);
        return ns(task).msg().msgget(task, key, flags);
    }

    /**
     * msgsnd(2): {@code int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)}
     * (ksys_msgsnd, do_msgsnd): mtype is read first (EFAULT); EINVAL for a size past MSGMAX, a
     * negative id, or an mtype below 1; then the text is copied (EFAULT).
     */
    static long msgsnd(Task task, SyscallArgs args) {
        int msqid = args.int32(0);
        long msgp = args.pointer(1);
        long msgsz = args.sizeT(2);
        int flags = args.int32(3);
        AddressSpace mem = task.memory();
        long mtype = mem.read64(msgp);
        if (Long.compareUnsigned(msgsz, MSGMAX) > 0 || msqid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (mtype < 1) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        byte[] text = mem.read(msgp + 8, (int) msgsz);
        ns(task).msg().msgsnd(task, msqid, new SysvMsg.Message(mtype, text), flags);
        return 0;
    }

    /**
     * msgrcv(2): {@code ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int
     * msgflg)} (do_msgrcv, do_msg_fill): EINVAL for a negative id or size; MSG_COPY needs
     * IPC_NOWAIT and not MSG_EXCEPT (EINVAL) and reads its buffer first (prepare_copy). The
     * message is taken off the queue before it is copied out, so an EFAULT there loses it, as
     * on Linux.
     *
     * @return the bytes of text stored
     */
    static long msgrcv(Task task, SyscallArgs args) {
        int msqid = args.int32(0);
        long msgp = args.pointer(1);
        long msgsz = args.sizeT(2);
        long msgtyp = args.int64(3);
        int flags = args.int32(4);
        if (msqid < 0 || msgsz < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        AddressSpace mem = task.memory();
        long copyLimit = 0;
        if ((flags & MSG_COPY) != 0) {
            if ((flags & MSG_EXCEPT) != 0 || (flags & IPC_NOWAIT) == 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            copyLimit = Math.min(msgsz, MSGMAX);
            mem.read(msgp + 8, (int) copyLimit); // load_msg of the copy buffer
        }
        SysvMsg.Message m = ns(task).msg().msgrcv(task, msqid, msgsz, msgtyp, flags, copyLimit);
        mem.write64(msgp, m.type());
        int n = (int) Math.min(msgsz, m.text().length);
        mem.write(msgp + 8, m.text(), 0, n);
        return n;
    }

    /** msgctl(2): {@code int msgctl(int msqid, int cmd, struct msqid_ds *buf)} (ksys_msgctl). */
    static long msgctl(Task task, SyscallArgs args) {
        int msqid = args.int32(0);
        int cmd = args.int32(1);
        long buf = args.pointer(2);
        if (msqid < 0 || cmd < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        var msg = ns(task).msg();
        switch (cmd) {
            case IPC_INFO, MSG_INFO -> {
                var info = msg.info(cmd);
                task.memory().write(buf, info.data().toBytes());
                return info.result();
            }
            case IPC_STAT, MSG_STAT, MSG_STAT_ANY -> {
                var st = msg.stat(task, msqid, cmd);
                task.memory().write(buf, st.data().toBytes());
                return st.result();
            }
            case IPC_SET -> {
                byte[] raw = task.memory().read(buf, SIZEOF_MSQID64_DS);
                msg.control(task, msqid, cmd, Ipc.Perm.from(raw), Ipc.MsqidDs.qbytesOf(raw));
                return 0;
            }
            case IPC_RMID -> {
                msg.control(task, msqid, cmd, null, 0);
                return 0;
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
    }
}
