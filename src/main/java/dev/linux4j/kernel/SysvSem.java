package dev.linux4j.kernel;

import static dev.linux4j.abi.Ipc.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Ipc;
import dev.linux4j.vfs.RestartSyscall;
import dev.linux4j.vfs.Sleep;
import dev.linux4j.vfs.SysvIpcView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.function.IntFunction;

/**
 * System V semaphores (ipc/sem.c). A semop(2) applies all its operations or none: they are
 * tried in order and rolled back at the first that would block or overflow
 * (perform_atomic_semop_slow). A caller that must wait is queued on the array; every change
 * retries the queue in order, and an operation that now goes through is done by the task that
 * made the change, on the sleeper's behalf, before it is woken (update_queue). SEM_UNDO
 * adjustments are kept per process (its sysvsem undo list: a fork child starts without one,
 * execve keeps it) and applied when the process exits (exit_sem).
 *
 * <p>Locking: the table's lock ({@link IpcIds}) guards everything here; sleepers wait on
 * conditions of it.
 */
public final class SysvSem {
    private final IpcIds<SemArray> ids = new IpcIds<>();
    /** ns->used_sems. */
    private int usedSems;
    /** Each process's undo list, made at its first SEM_UNDO operation. */
    private final Map<ThreadGroup, UndoList> undoLists = new HashMap<>();

    /** perform_atomic_semop's "must sleep" result. */
    private static final int BLOCK = 1;

    /** struct sem_array. */
    static final class SemArray extends IpcIds.Perm {
        final int[] semval;
        final int[] sempid;
        long otime;
        long ctime;
        /** Sleeping operations in arrival order (pending_alter and pending_const). */
        final List<Queue> pending = new ArrayList<>();
        /** The undo entries of processes for this array (list_id). */
        final Map<UndoList, int[]> undos = new LinkedHashMap<>();

        SemArray(int nsems) {
            semval = new int[nsems];
            sempid = new int[nsems];
        }
    }

    /** struct sem_undo_list: one process's adjustments, per array. */
    private static final class UndoList {
        final Map<SemArray, int[]> adjustments = new LinkedHashMap<>();
    }

    /** struct sem_queue: one sleeping semop. */
    private static final class Queue {
        final Ipc.Sembuf[] sops;
        final int[] undo;
        final int pid;
        final boolean alter;
        final Condition wake;
        /** The operation it waits on (q->blocking), for GETNCNT and GETZCNT. */
        int blocking;
        boolean done;
        /** The result once done: null for success. */
        Errno error;

        Queue(Ipc.Sembuf[] sops, int[] undo, int pid, boolean alter, Condition wake) {
            this.sops = sops;
            this.undo = undo;
            this.pid = pid;
            this.alter = alter;
            this.wake = wake;
        }
    }

    /** semget(2) (ksys_semget, newary): EINVAL for nsems outside 0..SEMMSL, 0 to create, or above an existing array's. */
    public int semget(Task task, int key, int nsems, int flags) {
        if (nsems < 0 || nsems > SEMMSL) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Credentials cred = task.group().credentials();
        return ids.get(key, flags, cred, new IpcIds.Ops<>() {
            @Override
            public int create() {
                if (nsems == 0) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                if ((long) usedSems + nsems > SEMMNS) {
                    throw ErrnoException.of(Errno.ENOSPC);
                }
                SemArray a = new SemArray(nsems);
                IpcIds.init(a, key, flags, cred);
                a.ctime = IpcIds.now();
                int id = ids.add(a, SEMMNI);
                usedSems += nsems;
                return id;
            }

            @Override
            public void moreChecks(SemArray existing) {
                if (nsems > existing.semval.length) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
            }
        });
    }

    /**
     * semop(2) and semtimedop(2) after their arguments are copied (__do_semtimedop): EINVAL for
     * a negative id or an unknown one, EFBIG for a semaphore number past the array, EACCES;
     * then ERANGE past SEMVMX or the adjustment range, EAGAIN for IPC_NOWAIT or when the
     * timeout passes, EIDRM when the array is removed while waiting, EINTR when a signal comes
     * (semop is never restarted).
     *
     * @param timeoutNanos the relative timeout, or -1 for none
     */
    public void semop(Task task, int semid, Ipc.Sembuf[] sops, long timeoutNanos) {
        if (semid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        if (timeoutNanos >= 0 && deadline < 0) {
            deadline = Long.MAX_VALUE - 1;
        }
        int max = 0;
        boolean undos = false;
        boolean alter = false;
        for (Ipc.Sembuf op : sops) {
            max = Math.max(max, op.num());
            undos |= (op.flg() & SEM_UNDO) != 0;
            alter |= op.op() != 0;
        }
        ThreadGroup group = task.group();
        ids.lock.lock();
        try {
            int[] undo = undos ? undoFor(group, ids.obtain(semid)) : null;
            SemArray a = ids.obtain(semid);
            if (max >= a.semval.length) {
                throw ErrnoException.of(Errno.EFBIG);
            }
            a.check(group.credentials(), alter ? 0222 : 0444);
            Queue q = new Queue(sops, undo, group.pid(), alter, ids.lock.newCondition());
            int r = perform(a, q);
            if (r == 0) {
                a.otime = IpcIds.now();
                if (alter) {
                    updateQueue(a);
                }
                return;
            }
            if (r < 0) {
                throw ErrnoException.of(Errno.of(-r));
            }
            a.pending.add(q);
            sleep(a, q, deadline);
        } finally {
            ids.lock.unlock();
        }
    }

    /** Sleeps until the queued operation is done, the deadline passes (EAGAIN) or a signal comes (EINTR). */
    private static void sleep(SemArray a, Queue q, long deadline) {
        try {
            while (!q.done) {
                if (deadline == Long.MAX_VALUE) {
                    Sleep.await(q.wake);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        a.pending.remove(q);
                        throw ErrnoException.of(Errno.EAGAIN);
                    }
                    Sleep.awaitNanos(q.wake, left);
                }
            }
        } catch (RestartSyscall interrupted) {
            if (!q.done) {
                a.pending.remove(q);
                throw ErrnoException.of(Errno.EINTR);
            }
        }
        if (q.error != null) {
            throw ErrnoException.of(q.error);
        }
    }

    /** find_alloc_undo: the calling process's adjustments for the array, made on first use. */
    private int[] undoFor(ThreadGroup group, SemArray a) {
        UndoList list = undoLists.computeIfAbsent(group, g -> new UndoList());
        int[] adj = list.adjustments.get(a);
        if (adj == null) {
            adj = new int[a.semval.length];
            list.adjustments.put(a, adj);
            a.undos.put(list, adj);
        }
        return adj;
    }

    /**
     * perform_atomic_semop_slow: applies the operations in order; at the first that would block
     * (BLOCK, or -EAGAIN with IPC_NOWAIT) or is out of range (-ERANGE) undoes the ones before.
     */
    private static int perform(SemArray a, Queue q) {
        Ipc.Sembuf[] sops = q.sops;
        int i = 0;
        int result;
        for (; i < sops.length; i++) {
            Ipc.Sembuf sop = sops[i];
            int value = a.semval[sop.num()];
            if (sop.op() == 0 && value != 0) {
                result = wouldBlock(q, i);
                return undo(a, q, i, result);
            }
            value += sop.op();
            if (value < 0) {
                result = wouldBlock(q, i);
                return undo(a, q, i, result);
            }
            if (value > SEMVMX) {
                return undo(a, q, i, -Errno.ERANGE.number());
            }
            if ((sop.flg() & SEM_UNDO) != 0) {
                int adj = q.undo[sop.num()] - sop.op();
                if (adj < -SEMAEM - 1 || adj > SEMAEM) {
                    return undo(a, q, i, -Errno.ERANGE.number());
                }
                q.undo[sop.num()] = adj;
            }
            a.semval[sop.num()] = value;
        }
        for (Ipc.Sembuf sop : sops) {
            a.sempid[sop.num()] = q.pid;
        }
        return 0;
    }

    private static int wouldBlock(Queue q, int i) {
        q.blocking = i;
        return (q.sops[i].flg() & IPC_NOWAIT) != 0 ? -Errno.EAGAIN.number() : BLOCK;
    }

    /** Rolls back operations {@code 0..done-1} and returns {@code result}. */
    private static int undo(SemArray a, Queue q, int done, int result) {
        for (int j = done - 1; j >= 0; j--) {
            Ipc.Sembuf sop = q.sops[j];
            a.semval[sop.num()] -= sop.op();
            if ((sop.flg() & SEM_UNDO) != 0) {
                q.undo[sop.num()] += sop.op();
            }
        }
        return result;
    }

    /**
     * update_queue: retries the sleeping operations in order after a change; one that goes
     * through (or now fails) is taken off and its task woken, and after a success the scan
     * starts again, as values have changed.
     */
    private static void updateQueue(SemArray a) {
        boolean again = true;
        while (again) {
            again = false;
            for (Iterator<Queue> it = a.pending.iterator(); it.hasNext(); ) {
                Queue q = it.next();
                int r = perform(a, q);
                if (r == BLOCK) {
                    continue;
                }
                it.remove();
                q.done = true;
                q.error = r == 0 ? null : Errno.of(-r);
                q.wake.signal();
                if (r == 0) {
                    a.otime = IpcIds.now();
                    if (q.alter) {
                        again = true;
                        break;
                    }
                }
            }
        }
    }

    /** exit_sem: the process's adjustments are added to the semaphores (clamped to 0..SEMVMX), sleepers retried. */
    void exit(ThreadGroup group) {
        ids.lock.lock();
        try {
            UndoList list = undoLists.remove(group);
            if (list == null) {
                return;
            }
            for (Map.Entry<SemArray, int[]> e : list.adjustments.entrySet()) {
                SemArray a = e.getKey();
                if (a.deleted) {
                    continue;
                }
                a.undos.remove(list);
                int[] adj = e.getValue();
                for (int i = 0; i < adj.length; i++) {
                    if (adj[i] != 0) {
                        a.semval[i] = Math.max(0, Math.min(SEMVMX, a.semval[i] + adj[i]));
                        a.sempid[i] = group.pid();
                    }
                }
                a.otime = IpcIds.now();
                updateQueue(a);
            }
        } finally {
            ids.lock.unlock();
        }
    }

    /** /proc/sysvipc/sem (sysvipc_sem_proc_show). */
    List<SysvIpcView.Sem> proc() {
        ids.lock.lock();
        try {
            List<SysvIpcView.Sem> out = new ArrayList<>();
            for (SemArray a : ids.all()) {
                out.add(new SysvIpcView.Sem(a.key, a.id, a.mode, a.semval.length, a.uid, a.gid, a.cuid, a.cgid, a.otime,
                        a.ctime));
            }
            return out;
        } finally {
            ids.lock.unlock();
        }
    }

    /** IPC_STAT, SEM_STAT, SEM_STAT_ANY (semctl_stat). */
    public IpcNamespace.Status<Ipc.SemidDs> stat(Task task, int semid, int cmd) {
        ids.lock.lock();
        try {
            SemArray a = cmd == IPC_STAT ? ids.obtain(semid) : ids.obtainByIndex(semid);
            if (cmd != SEM_STAT_ANY) {
                a.check(task.group().credentials(), 0444);
            }
            Ipc.SemidDs ds = new Ipc.SemidDs(a.toAbi(), a.otime, a.ctime, a.semval.length);
            return new IpcNamespace.Status<>(cmd == IPC_STAT ? 0 : a.id, ds);
        } finally {
            ids.lock.unlock();
        }
    }

    /** IPC_INFO and SEM_INFO (semctl_info): the limits; SEM_INFO counts arrays and semaphores in use. */
    public IpcNamespace.Status<Ipc.Seminfo> info(int cmd) {
        ids.lock.lock();
        try {
            boolean usage = cmd == SEM_INFO;
            Ipc.Seminfo info = new Ipc.Seminfo(SEMMAP, SEMMNI, SEMMNS, SEMMNU, SEMMSL, SEMOPM, SEMUME,
                    usage ? ids.inUse() : SEMUSZ, SEMVMX, usage ? usedSems : SEMAEM);
            return new IpcNamespace.Status<>(ids.maxIndex(), info);
        } finally {
            ids.lock.unlock();
        }
    }

    /** IPC_SET and IPC_RMID (semctl_down); IPC_RMID wakes every sleeper with EIDRM and drops the adjustments. */
    public void control(Task task, int semid, int cmd, Ipc.Perm perm) {
        ids.lock.lock();
        try {
            SemArray a = ids.obtain(semid);
            a.checkOwner(task.group().credentials());
            if (cmd == IPC_SET) {
                a.update(perm);
                a.ctime = IpcIds.now();
                return;
            }
            // freeary
            for (UndoList list : a.undos.keySet()) {
                list.adjustments.remove(a);
            }
            a.undos.clear();
            for (Queue q : a.pending) {
                q.done = true;
                q.error = Errno.EIDRM;
                q.wake.signal();
            }
            a.pending.clear();
            ids.remove(a);
            usedSems -= a.semval.length;
        } finally {
            ids.lock.unlock();
        }
    }

    /**
     * GETVAL, GETPID, GETNCNT, GETZCNT (semctl_main): EACCES without read permission, EINVAL
     * for a semaphore number outside the array. GETNCNT and GETZCNT count the sleepers whose
     * blocking operation decrements, or waits for zero on, that semaphore (check_qop).
     */
    public int get(Task task, int semid, int semnum, int cmd) {
        ids.lock.lock();
        try {
            SemArray a = ids.obtain(semid);
            a.check(task.group().credentials(), 0444);
            if (semnum < 0 || semnum >= a.semval.length) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            return switch (cmd) {
                case GETVAL -> a.semval[semnum];
                case GETPID -> a.sempid[semnum];
                default -> {
                    int count = 0;
                    for (Queue q : a.pending) {
                        Ipc.Sembuf sop = q.sops[q.blocking];
                        if (sop.num() == semnum && (cmd == GETZCNT ? sop.op() == 0 : sop.op() < 0)) {
                            count++;
                        }
                    }
                    yield count;
                }
            };
        } finally {
            ids.lock.unlock();
        }
    }

    /** GETALL: every value (EACCES without read permission). */
    public int[] getAll(Task task, int semid) {
        ids.lock.lock();
        try {
            SemArray a = ids.obtain(semid);
            a.check(task.group().credentials(), 0444);
            return a.semval.clone();
        } finally {
            ids.lock.unlock();
        }
    }

    /**
     * SETVAL (semctl_setval): ERANGE outside 0..SEMVMX before anything else, EINVAL for the
     * number, EACCES without write permission; the semaphore's adjustments in every undo list
     * are cleared and sleepers retried.
     */
    public void setVal(Task task, int semid, int semnum, int value) {
        if (value < 0 || value > SEMVMX) {
            throw ErrnoException.of(Errno.ERANGE);
        }
        ids.lock.lock();
        try {
            SemArray a = ids.obtain(semid);
            if (semnum < 0 || semnum >= a.semval.length) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            a.check(task.group().credentials(), 0222);
            for (int[] adj : a.undos.values()) {
                adj[semnum] = 0;
            }
            a.semval[semnum] = value;
            a.sempid[semnum] = task.group().pid();
            a.ctime = IpcIds.now();
            updateQueue(a);
        } finally {
            ids.lock.unlock();
        }
    }

    /**
     * SETALL (semctl_main): EACCES without write permission; {@code values} reads the array's
     * nsems values from the caller (EFAULT) with the lock dropped, as copy_from_user is; ERANGE
     * for one past SEMVMX; EIDRM if the array went meanwhile.
     */
    public void setAll(Task task, int semid, IntFunction<int[]> values) {
        SemArray a;
        ids.lock.lock();
        try {
            a = ids.obtain(semid);
            a.check(task.group().credentials(), 0222);
        } finally {
            ids.lock.unlock();
        }
        int[] v = values.apply(a.semval.length);
        for (int x : v) {
            if (x > SEMVMX) {
                throw ErrnoException.of(Errno.ERANGE);
            }
        }
        ids.lock.lock();
        try {
            if (a.deleted) {
                throw ErrnoException.of(Errno.EIDRM);
            }
            for (int i = 0; i < v.length; i++) {
                a.semval[i] = v[i];
                a.sempid[i] = task.group().pid();
            }
            for (int[] adj : a.undos.values()) {
                java.util.Arrays.fill(adj, 0);
            }
            a.ctime = IpcIds.now();
            updateQueue(a);
        } finally {
            ids.lock.unlock();
        }
    }
}
