package dev.linux4j.kernel;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Ipc;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One kind of System V IPC object in a namespace (ipc/util.c's {@code struct ipc_ids}): the
 * index table (an idr), the key table, and the id arithmetic. An id is {@code seq * 32768 +
 * index}; indices are handed out cyclically below {@code max(in_use * 3 / 2, 64)} and the
 * sequence number grows each time the cycle comes round, so a removed id is not reused at once
 * (ipc_idr_alloc).
 *
 * <p>Locking: {@link #lock} guards this table and every field of the objects in it (Linux's
 * {@code ids->rwsem} and the per-object spinlocks in one). Tasks wait on conditions of it. It
 * may be taken while an {@link dev.linux4j.memory.AddressSpace} lock is held (a shared-memory
 * attach counted at fork, split or unmap), so nothing under it calls into an address space;
 * it is taken before a task's siglock (through {@link dev.linux4j.vfs.Sleep}).
 */
final class IpcIds<T extends IpcIds.Perm> {
    /** ipc_min_cycle: RADIX_TREE_MAP_SIZE. */
    private static final int MIN_CYCLE = 64;
    /** ipcid_seq_max(): INT_MAX >> IPCMNI_SHIFT. */
    private static final int SEQ_MAX = Integer.MAX_VALUE >> Ipc.IPCMNI_SHIFT;

    final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Integer, T> byIndex = new TreeMap<>();
    private final Map<Integer, T> byKey = new HashMap<>();
    private int seq;
    private int lastIdx = -1;
    /** The idr's idr_next: where the cyclic search for a free index starts. */
    private int nextIdx;

    /** struct kern_ipc_perm: what every IPC object has. Fields guarded by the table's lock. */
    abstract static class Perm {
        int id;
        int index;
        int key;
        int uid;
        int gid;
        int cuid;
        int cgid;
        int mode;
        int seq;
        /** Removed from its table (ipc_valid_object false): waiters see EIDRM. */
        boolean deleted;

        /** ipcperms(): the caller's credentials against the mode; root (CAP_IPC_OWNER) passes. */
        boolean permits(Credentials c, int flag) {
            int requested = ((flag >> 6) | (flag >> 3) | flag) & 07;
            int granted = mode;
            if (c.euid() == cuid || c.euid() == uid) {
                granted >>= 6;
            } else if (inGroup(c, cgid) || inGroup(c, gid)) {
                granted >>= 3;
            }
            return (requested & ~granted & 07) == 0 || c.euid() == 0;
        }

        /** ipcperms, EACCES when refused. */
        void check(Credentials c, int flag) {
            if (!permits(c, flag)) {
                throw ErrnoException.of(Errno.EACCES);
            }
        }

        /** in_group_p: the fs gid or a supplementary group. */
        private static boolean inGroup(Credentials c, int gid) {
            if (c.fsgid() == gid) {
                return true;
            }
            for (int g : c.groups()) {
                if (g == gid) {
                    return true;
                }
            }
            return false;
        }

        /**
         * ipcctl_obtain_check's owner test for IPC_SET and IPC_RMID: the creator, the owner or
         * CAP_SYS_ADMIN (EPERM).
         */
        void checkOwner(Credentials c) {
            if (c.euid() != cuid && c.euid() != uid && c.euid() != 0) {
                throw ErrnoException.of(Errno.EPERM);
            }
        }

        /** ipc_update_perm: IPC_SET's uid, gid and permission bits (EINVAL for an invalid id, -1). */
        void update(Ipc.Perm in) {
            if (in.uid() == -1 || in.gid() == -1) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            uid = in.uid();
            gid = in.gid();
            mode = (mode & ~0777) | (in.mode() & 0777);
        }

        /** kernel_to_ipc64_perm. */
        Ipc.Perm toAbi() {
            return new Ipc.Perm(key, uid, gid, cuid, cgid, mode, seq);
        }
    }

    /** Objects in use. */
    int inUse() {
        return byIndex.size();
    }

    /** ipc_findkey: the object with this key, or null. */
    T findKey(int key) {
        return byKey.get(key);
    }

    /**
     * ipc_addid: gives {@code obj} an index and id and enters it (ENOSPC at {@code limit}
     * objects); its key and owner are set by the caller before.
     */
    int add(T obj, int limit) {
        if (byIndex.size() >= limit) {
            throw ErrnoException.of(Errno.ENOSPC);
        }
        int max = Math.min(Math.max(byIndex.size() * 3 / 2, MIN_CYCLE), Ipc.IPCMNI);
        int idx = freeIndex(Math.max(nextIdx, 0), max);
        if (idx < 0) {
            idx = freeIndex(0, max);
        }
        if (idx < 0) {
            throw ErrnoException.of(Errno.ENOSPC);
        }
        nextIdx = idx + 1;
        if (idx <= lastIdx) {
            seq++;
            if (seq >= SEQ_MAX) {
                seq = 0;
            }
        }
        lastIdx = idx;
        obj.seq = seq;
        obj.index = idx;
        obj.id = (seq << Ipc.IPCMNI_SHIFT) + idx;
        byIndex.put(idx, obj);
        if (obj.key != Ipc.IPC_PRIVATE) {
            byKey.put(obj.key, obj);
        }
        return obj.id;
    }

    /** The first free index in [from, max), or -1 (idr_alloc_u32). */
    private int freeIndex(int from, int max) {
        for (int i = from; i < max; i++) {
            if (!byIndex.containsKey(i)) {
                return i;
            }
        }
        return -1;
    }

    /** ipc_rmid: the object leaves both tables; waiters will see it deleted. */
    void remove(T obj) {
        byIndex.remove(obj.index, obj);
        if (obj.key != Ipc.IPC_PRIVATE) {
            byKey.remove(obj.key, obj);
        }
        obj.deleted = true;
    }

    /** ipc_set_key_private: the object stays, but shmget no longer finds it by its key. */
    void setKeyPrivate(T obj) {
        if (obj.key != Ipc.IPC_PRIVATE) {
            byKey.remove(obj.key, obj);
        }
        obj.key = Ipc.IPC_PRIVATE;
    }

    /** ipc_obtain_object_check: the object of a full id; EINVAL when there is none or the sequence differs. */
    T obtain(int id) {
        if (id < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        T obj = byIndex.get(id & (Ipc.IPCMNI - 1));
        if (obj == null || obj.seq != id >>> Ipc.IPCMNI_SHIFT) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return obj;
    }

    /** ipc_obtain_object_idr: the object at an index (the *_STAT commands); EINVAL when empty. */
    T obtainByIndex(int index) {
        T obj = byIndex.get(index & (Ipc.IPCMNI - 1));
        if (obj == null) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return obj;
    }

    /** ipc_get_maxidx, as the *_INFO commands return it (0 when none are in use). */
    int maxIndex() {
        if (byIndex.isEmpty()) {
            return 0;
        }
        if (byIndex.size() == Ipc.IPCMNI) {
            return Ipc.IPCMNI - 1;
        }
        return byIndex.lastKey();
    }

    /** A snapshot of the objects, by index (for /proc/sysvipc). */
    java.util.List<T> all() {
        return java.util.List.copyOf(byIndex.values());
    }

    /**
     * Sets up a new object's kern_ipc_perm as newseg/newary/newque do: the key, the mode's
     * permission bits, owner and creator from the caller's effective ids.
     */
    static void init(Perm p, int key, int flags, Credentials c) {
        p.key = key;
        p.mode = flags & 0777;
        p.uid = p.cuid = c.euid();
        p.gid = p.cgid = c.egid();
    }

    /** ipcget: IPC_PRIVATE always creates; a key is looked up, created with IPC_CREAT, EEXIST with IPC_EXCL. */
    interface Ops<T> {
        /** newseg / newary / newque: creates and adds (the lock held), returning the id. */
        int create();

        /** shm_more_checks / sem_more_checks on an existing object (EINVAL). */
        default void moreChecks(T existing) {}
    }

    /** ipcget_public / ipcget_new, under the lock. */
    int get(int key, int flags, Credentials c, Ops<T> ops) {
        lock.lock();
        try {
            if (key == Ipc.IPC_PRIVATE) {
                return ops.create();
            }
            T existing = findKey(key);
            if (existing == null) {
                if ((flags & Ipc.IPC_CREAT) == 0) {
                    throw ErrnoException.of(Errno.ENOENT);
                }
                return ops.create();
            }
            if ((flags & Ipc.IPC_CREAT) != 0 && (flags & Ipc.IPC_EXCL) != 0) {
                throw ErrnoException.of(Errno.EEXIST);
            }
            ops.moreChecks(existing);
            existing.check(c, flags);
            return existing.id;
        } finally {
            lock.unlock();
        }
    }

    /** ktime_get_real_seconds(). */
    static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
