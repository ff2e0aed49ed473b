package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.Credentials;
import dev.linux4j.kernel.Task;
import dev.linux4j.kernel.Threads;
import java.util.Arrays;

/**
 * Identity changes: setuid, setgid, setreuid, setregid, setresuid, setresgid, setfsuid,
 * setfsgid and setgroups, as kernel/sys.c and kernel/groups.c define them. linux4j models
 * capabilities as Linux gives them to root: CAP_SETUID and CAP_SETGID are held exactly when the
 * effective uid is 0. The ids are the guest's own; the host identity never changes.
 */
final class IdentitySyscalls {
    private IdentitySyscalls() {}

    /** (uid_t) -1: "leave this id unchanged". */
    private static final int KEEP = -1;
    /** NGROUPS_MAX in include/uapi/linux/limits.h. */
    private static final int NGROUPS_MAX = 65536;

    private static boolean capable(Credentials c) {
        return c.euid() == 0;
    }

    private static boolean oneOf(int id, int a, int b, int c) {
        return id == a || id == b || id == c;
    }

    /** setuid(2): {@code int setuid(uid_t uid)} (__sys_setuid). */
    static long setuid(Task task, SyscallArgs args) {
        int uid = args.int32(0);
        if (uid == KEEP) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        synchronized (task.group()) {
            Credentials o = task.group().credentials();
            Credentials n;
            if (capable(o)) {
                n = withUids(o, uid, uid, uid);
            } else if (uid == o.uid() || uid == o.suid()) {
                n = withUids(o, o.uid(), uid, o.suid());
            } else {
                throw ErrnoException.of(Errno.EPERM);
            }
            task.group().setCredentials(n);
        }
        return 0;
    }

    /** setgid(2): {@code int setgid(gid_t gid)} (__sys_setgid). */
    static long setgid(Task task, SyscallArgs args) {
        int gid = args.int32(0);
        if (gid == KEEP) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        synchronized (task.group()) {
            Credentials o = task.group().credentials();
            Credentials n;
            if (capable(o)) {
                n = withGids(o, gid, gid, gid);
            } else if (gid == o.gid() || gid == o.sgid()) {
                n = withGids(o, o.gid(), gid, o.sgid());
            } else {
                throw ErrnoException.of(Errno.EPERM);
            }
            task.group().setCredentials(n);
        }
        return 0;
    }

    /** setreuid(2): {@code int setreuid(uid_t ruid, uid_t euid)} (__sys_setreuid). */
    static long setreuid(Task task, SyscallArgs args) {
        int ruid = args.int32(0);
        int euid = args.int32(1);
        synchronized (task.group()) {
            Credentials o = task.group().credentials();
            boolean cap = capable(o);
            int nr = o.uid();
            int ne = o.euid();
            int ns = o.suid();
            if (ruid != KEEP) {
                if (!cap && ruid != o.uid() && ruid != o.euid()) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                nr = ruid;
            }
            if (euid != KEEP) {
                if (!cap && !oneOf(euid, o.uid(), o.euid(), o.suid())) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                ne = euid;
            }
            if (ruid != KEEP || (euid != KEEP && euid != o.uid())) {
                ns = ne;
            }
            task.group().setCredentials(withUids(o, nr, ne, ns));
        }
        return 0;
    }

    /** setregid(2): {@code int setregid(gid_t rgid, gid_t egid)} (__sys_setregid). */
    static long setregid(Task task, SyscallArgs args) {
        int rgid = args.int32(0);
        int egid = args.int32(1);
        synchronized (task.group()) {
            Credentials o = task.group().credentials();
            boolean cap = capable(o);
            int nr = o.gid();
            int ne = o.egid();
            int ns = o.sgid();
            if (rgid != KEEP) {
                if (!cap && rgid != o.gid() && rgid != o.egid()) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                nr = rgid;
            }
            if (egid != KEEP) {
                if (!cap && !oneOf(egid, o.gid(), o.egid(), o.sgid())) {
                    throw ErrnoException.of(Errno.EPERM);
                }
                ne = egid;
            }
            if (rgid != KEEP || (egid != KEEP && egid != o.gid())) {
                ns = ne;
            }
            task.group().setCredentials(withGids(o, nr, ne, ns));
        }
        return 0;
    }

    /** setresuid(2): {@code int setresuid(uid_t ruid, uid_t euid, uid_t suid)} (__sys_setresuid). */
    static long setresuid(Task task, SyscallArgs args) {
        int ruid = args.int32(0);
        int euid = args.int32(1);
        int suid = args.int32(2);
        synchronized (task.group()) {
            Credentials o = task.group().credentials();
            if (!capable(o)) {
                for (int id : new int[] {ruid, euid, suid}) {
                    if (id != KEEP && !oneOf(id, o.uid(), o.euid(), o.suid())) {
                        throw ErrnoException.of(Errno.EPERM);
                    }
                }
            }
            task.group().setCredentials(withUids(o, ruid == KEEP ? o.uid() : ruid, euid == KEEP ? o.euid() : euid,
                    suid == KEEP ? o.suid() : suid));
        }
        return 0;
    }

    /** setresgid(2): {@code int setresgid(gid_t rgid, gid_t egid, gid_t sgid)} (__sys_setresgid). */
    static long setresgid(Task task, SyscallArgs args) {
        int rgid = args.int32(0);
        int egid = args.int32(1);
        int sgid = args.int32(2);
        synchronized (task.group()) {
            Credentials o = task.group().credentials();
            if (!capable(o)) {
                for (int id : new int[] {rgid, egid, sgid}) {
                    if (id != KEEP && !oneOf(id, o.gid(), o.egid(), o.sgid())) {
                        throw ErrnoException.of(Errno.EPERM);
                    }
                }
            }
            task.group().setCredentials(withGids(o, rgid == KEEP ? o.gid() : rgid, egid == KEEP ? o.egid() : egid,
                    sgid == KEEP ? o.sgid() : sgid));
        }
        return 0;
    }

    /** setfsuid(2): {@code int setfsuid(uid_t fsuid)} returns the previous fsuid, success or not. */
    static long setfsuid(Task task, SyscallArgs args) {
        int uid = args.int32(0);
        synchronized (task.group()) {
            Credentials o = task.group().credentials();
            if (uid != KEEP && (oneOf(uid, o.uid(), o.euid(), o.suid()) || uid == o.fsuid() || capable(o))) {
                task.group().setCredentials(new Credentials(o.uid(), o.euid(), o.suid(), uid, o.gid(), o.egid(),
                        o.sgid(), o.fsgid(), o.groups()));
            }
            return o.fsuid() & 0xffffffffL;
        }
    }

    /** setfsgid(2): {@code int setfsgid(gid_t fsgid)} returns the previous fsgid, success or not. */
    static long setfsgid(Task task, SyscallArgs args) {
        int gid = args.int32(0);
        synchronized (task.group()) {
            Credentials o = task.group().credentials();
            if (gid != KEEP && (oneOf(gid, o.gid(), o.egid(), o.sgid()) || gid == o.fsgid() || o.euid() == 0)) {
                task.group().setCredentials(new Credentials(o.uid(), o.euid(), o.suid(), o.fsuid(), o.gid(), o.egid(),
                        o.sgid(), gid, o.groups()));
            }
            return o.fsgid() & 0xffffffffL;
        }
    }

    /** setgroups(2): {@code int setgroups(size_t size, const gid_t *list)}; Linux keeps them sorted. */
    static long setgroups(Task task, SyscallArgs args) {
        int size = args.int32(0);
        long list = args.pointer(1);
        if (size < 0 || size > NGROUPS_MAX) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int[] groups = new int[size];
        for (int i = 0; i < size; i++) {
            groups[i] = task.memory().read32(list + 4L * i);
        }
        synchronized (task.group()) {
            Credentials o = task.group().credentials();
            if (!capable(o)) {
                throw ErrnoException.of(Errno.EPERM);
            }
            // groups_sort: ascending as unsigned gid_t
            int[] sorted = Arrays.stream(groups).mapToLong(g -> g & 0xffffffffL).sorted().mapToInt(g -> (int) g)
                    .toArray();
            task.group().setCredentials(new Credentials(o.uid(), o.euid(), o.suid(), o.fsuid(), o.gid(), o.egid(),
                    o.sgid(), o.fsgid(), sorted));
        }
        return 0;
    }

    /** The fsuid follows the euid on every uid change (commit_creds after __sys_set*uid). */
    private static Credentials withUids(Credentials o, int uid, int euid, int suid) {
        return new Credentials(uid, euid, suid, euid, o.gid(), o.egid(), o.sgid(), o.fsgid(), o.groups());
    }

    private static Credentials withGids(Credentials o, int gid, int egid, int sgid) {
        return new Credentials(o.uid(), o.euid(), o.suid(), o.fsuid(), gid, egid, sgid, egid, o.groups());
    }

    // ---------------------------------------------------------------- capabilities (kernel/capability.c)

    /** The header versions of capget(2): one 32-bit word per set, then two. */
    private static final int _LINUX_CAPABILITY_VERSION_1 = 0x19980330;
    private static final int _LINUX_CAPABILITY_VERSION_2 = 0x20071026;
    private static final int _LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    /** CAP_LAST_CAP is 40 (CAP_CHECKPOINT_RESTORE) in Linux 6.12: the full capability set. */
    private static final long CAP_FULL = (1L << 41) - 1;

    /**
     * capget(2): {@code int capget(cap_user_header_t hdrp, cap_user_data_t datap)}. An unknown
     * version is answered with _LINUX_CAPABILITY_VERSION_3 in the header and EINVAL (0 when
     * datap is NULL, the probe libcap makes); a negative pid is EINVAL, one that does not exist
     * ESRCH. The sets follow the model above: root's effective and permitted sets are full, and
     * every other uid's are empty; the inheritable set is empty.
     */
    static long capget(Task task, SyscallArgs args) {
        long hdrp = args.pointer(0);
        long datap = args.pointer(1);
        int version = task.memory().read32(hdrp);
        int words = switch (version) {
            case _LINUX_CAPABILITY_VERSION_1 -> 1;
            case _LINUX_CAPABILITY_VERSION_2, _LINUX_CAPABILITY_VERSION_3 -> 2;
            default -> 0;
        };
        if (words == 0) {
            task.memory().write32(hdrp, _LINUX_CAPABILITY_VERSION_3);
            if (datap == 0) {
                return 0;
            }
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (datap == 0) {
            return 0;
        }
        int pid = task.memory().read32(hdrp + 4);
        if (pid < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Credentials c = task.group().credentials();
        if (pid != 0 && pid != task.tid()) {
            Task target = Threads.findTask(task.kernel(), pid);
            if (target == null) {
                throw ErrnoException.of(Errno.ESRCH);
            }
            c = target.group().credentials();
        }
        long caps = c.euid() == 0 ? CAP_FULL : 0;
        for (int i = 0; i < words; i++) {
            long at = datap + 12L * i;
            int word = (int) (caps >>> (32 * i));
            task.memory().write32(at, word); // effective
            task.memory().write32(at + 4, word); // permitted
            task.memory().write32(at + 8, 0); // inheritable
        }
        return 0;
    }
}
