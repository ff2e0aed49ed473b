package dev.linux4j.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * System V IPC: constants from {@code include/uapi/linux/ipc.h}, {@code shm.h}, {@code sem.h},
 * {@code msg.h} and the kernel-internal {@code include/linux/shm.h}, and the x86-64 layouts of
 * the structures shmctl(2), semctl(2) and msgctl(2) pass (the {@code *64_ds} forms of
 * {@code asm/shmbuf.h}, {@code asm/sembuf.h}, {@code asm/msgbuf.h}, which x86-64 glibc and musl
 * use as their {@code shmid_ds}, {@code semid_ds} and {@code msqid_ds}).
 *
 * <pre>
 * struct ipc64_perm {                     // 48 bytes (asm-generic/ipcbuf.h)
 *     __kernel_key_t   key;               // 0
 *     __kernel_uid32_t uid, gid;          // 4, 8
 *     __kernel_uid32_t cuid, cgid;        // 12, 16
 *     __kernel_mode_t  mode;              // 20
 *     unsigned short   seq, __pad2;       // 24, 26
 *     __kernel_ulong_t __unused1, __unused2;
 * };
 * struct shmid64_ds {                     // 112 bytes
 *     struct ipc64_perm shm_perm;         // 0
 *     size_t shm_segsz;                   // 48
 *     long shm_atime, shm_dtime, shm_ctime; // 56, 64, 72
 *     pid_t shm_cpid, shm_lpid;           // 80, 84
 *     unsigned long shm_nattch;           // 88
 *     unsigned long __unused4, __unused5;
 * };
 * struct semid64_ds {                     // 104 bytes
 *     struct ipc64_perm sem_perm;         // 0
 *     long sem_otime; unsigned long __unused1;  // 48
 *     long sem_ctime; unsigned long __unused2;  // 64
 *     unsigned long sem_nsems;            // 80
 *     unsigned long __unused3, __unused4;
 * };
 * struct msqid64_ds {                     // 120 bytes
 *     struct ipc64_perm msg_perm;         // 0
 *     long msg_stime, msg_rtime, msg_ctime; // 48, 56, 64
 *     unsigned long msg_cbytes, msg_qnum, msg_qbytes; // 72, 80, 88
 *     pid_t msg_lspid, msg_lrpid;         // 96, 100
 *     unsigned long __unused4, __unused5;
 * };
 * struct sembuf { unsigned short sem_num; short sem_op; short sem_flg; };  // 6 bytes
 * </pre>
 */
public final class Ipc {
    private Ipc() {}

    // include/uapi/linux/ipc.h
    public static final int IPC_PRIVATE = 0;
    public static final int IPC_CREAT = 01000;
    public static final int IPC_EXCL = 02000;
    public static final int IPC_NOWAIT = 04000;
    public static final int IPC_RMID = 0;
    public static final int IPC_SET = 1;
    public static final int IPC_STAT = 2;
    public static final int IPC_INFO = 3;
    /** Set by libcs of architectures that parse the version; x86-64's syscalls refuse it (EINVAL). */
    public static final int IPC_64 = 0x100;

    /** IPCMNI_SHIFT: an id is the index plus the sequence number shifted by this. */
    public static final int IPCMNI_SHIFT = 15;
    public static final int IPCMNI = 1 << IPCMNI_SHIFT;

    // include/uapi/linux/shm.h
    public static final int SHM_RDONLY = 010000;
    public static final int SHM_RND = 020000;
    public static final int SHM_REMAP = 040000;
    public static final int SHM_EXEC = 0100000;
    public static final int SHM_HUGETLB = 04000;
    public static final int SHM_NORESERVE = 010000;
    public static final int SHM_LOCK = 11;
    public static final int SHM_UNLOCK = 12;
    public static final int SHM_STAT = 13;
    public static final int SHM_INFO = 14;
    public static final int SHM_STAT_ANY = 15;
    public static final long SHMMIN = 1;
    public static final int SHMMNI = 4096;
    /** ULONG_MAX - (1UL << 24), as an unsigned long. */
    public static final long SHMMAX = -1L - (1L << 24);
    public static final long SHMALL = -1L - (1L << 24);
    /** SHMLBA (asm-generic/shmparam.h): x86 attaches at page boundaries. */
    public static final long SHMLBA = 4096;
    // include/linux/shm.h (kernel-internal bits shown in shm_perm.mode)
    public static final int SHM_DEST = 01000;
    public static final int SHM_LOCKED = 02000;

    // include/uapi/linux/sem.h
    public static final int SEM_UNDO = 0x1000;
    public static final int GETPID = 11;
    public static final int GETVAL = 12;
    public static final int GETALL = 13;
    public static final int GETNCNT = 14;
    public static final int GETZCNT = 15;
    public static final int SETVAL = 16;
    public static final int SETALL = 17;
    public static final int SEM_STAT = 18;
    public static final int SEM_INFO = 19;
    public static final int SEM_STAT_ANY = 20;
    public static final int SEMMNI = 32000;
    public static final int SEMMSL = 32000;
    public static final int SEMMNS = SEMMNI * SEMMSL;
    public static final int SEMOPM = 500;
    public static final int SEMVMX = 32767;
    public static final int SEMAEM = SEMVMX;
    public static final int SEMUME = SEMOPM;
    public static final int SEMMNU = SEMMNS;
    public static final int SEMMAP = SEMMNS;
    public static final int SEMUSZ = 20;
    public static final int SIZEOF_SEMBUF = 6;

    // include/uapi/linux/msg.h
    public static final int MSG_STAT = 11;
    public static final int MSG_INFO = 12;
    public static final int MSG_STAT_ANY = 13;
    public static final int MSG_NOERROR = 010000;
    public static final int MSG_EXCEPT = 020000;
    public static final int MSG_COPY = 040000;
    public static final int MSGMNI = 32000;
    public static final int MSGMAX = 8192;
    public static final int MSGMNB = 16384;
    public static final int MSGPOOL = MSGMNI * MSGMNB / 1024;
    public static final int MSGTQL = MSGMNB;
    public static final int MSGMAP = MSGMNB;
    public static final int MSGSSZ = 16;
    public static final int MSGSEG = Math.min((MSGPOOL * 1024) / MSGSSZ, 0xffff);

    public static final int SIZEOF_IPC64_PERM = 48;
    public static final int SIZEOF_SHMID64_DS = 112;
    public static final int SIZEOF_SEMID64_DS = 104;
    public static final int SIZEOF_MSQID64_DS = 120;
    /** struct shminfo64: nine unsigned longs. */
    public static final int SIZEOF_SHMINFO64 = 72;
    /** struct shm_info: int used_ids, then five unsigned longs. */
    public static final int SIZEOF_SHM_INFO = 48;
    /** struct seminfo: ten ints. */
    public static final int SIZEOF_SEMINFO = 40;
    /** struct msginfo: seven ints and an unsigned short. */
    public static final int SIZEOF_MSGINFO = 32;

    /** struct ipc64_perm as the kernel fills it (kernel_to_ipc64_perm). */
    public record Perm(int key, int uid, int gid, int cuid, int cgid, int mode, int seq) {
        void put(ByteBuffer b) {
            b.putInt(0, key).putInt(4, uid).putInt(8, gid).putInt(12, cuid).putInt(16, cgid).putInt(20, mode)
                    .putShort(24, (short) seq);
        }

        /** The fields IPC_SET takes (uid, gid, mode) from a guest structure's first 48 bytes. */
        public static Perm from(byte[] raw) {
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            return new Perm(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20),
                    b.getShort(24) & 0xffff);
        }
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** struct sembuf: one semop(2) operation. */
    public record Sembuf(int num, int op, int flg) {
        /** {@code n} operations from their guest bytes (6 each). */
        public static Sembuf[] decode(byte[] raw, int n) {
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            Sembuf[] ops = new Sembuf[n];
            for (int i = 0; i < n; i++) {
                int at = i * SIZEOF_SEMBUF;
                ops[i] = new Sembuf(b.getShort(at) & 0xffff, b.getShort(at + 2), b.getShort(at + 4));
            }
            return ops;
        }
    }

    /** struct shmid64_ds. */
    public record ShmidDs(Perm perm, long segsz, long atime, long dtime, long ctime, int cpid, int lpid, long nattch) {
        public byte[] toBytes() {
            ByteBuffer b = buffer(SIZEOF_SHMID64_DS);
            perm.put(b);
            b.putLong(48, segsz).putLong(56, atime).putLong(64, dtime).putLong(72, ctime).putInt(80, cpid)
                    .putInt(84, lpid).putLong(88, nattch);
            return b.array();
        }
    }

    /** struct semid64_ds. */
    public record SemidDs(Perm perm, long otime, long ctime, long nsems) {
        public byte[] toBytes() {
            ByteBuffer b = buffer(SIZEOF_SEMID64_DS);
            perm.put(b);
            b.putLong(48, otime).putLong(64, ctime).putLong(80, nsems);
            return b.array();
        }
    }

    /** struct msqid64_ds. */
    public record MsqidDs(Perm perm, long stime, long rtime, long ctime, long cbytes, long qnum, long qbytes,
            int lspid, int lrpid) {
        public byte[] toBytes() {
            ByteBuffer b = buffer(SIZEOF_MSQID64_DS);
            perm.put(b);
            b.putLong(48, stime).putLong(56, rtime).putLong(64, ctime).putLong(72, cbytes).putLong(80, qnum)
                    .putLong(88, qbytes).putInt(96, lspid).putInt(100, lrpid);
            return b.array();
        }

        /** msg_qbytes of a guest structure (IPC_SET). */
        public static long qbytesOf(byte[] raw) {
            return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong(88);
        }
    }

    /** struct shminfo64 (IPC_INFO of shmctl). */
    public record Shminfo(long shmmax, long shmmin, long shmmni, long shmseg, long shmall) {
        public byte[] toBytes() {
            ByteBuffer b = buffer(SIZEOF_SHMINFO64);
            b.putLong(0, shmmax).putLong(8, shmmin).putLong(16, shmmni).putLong(24, shmseg).putLong(32, shmall);
            return b.array();
        }
    }

    /** struct shm_info (SHM_INFO). */
    public record ShmInfo(int usedIds, long shmTot, long shmRss, long shmSwp) {
        public byte[] toBytes() {
            ByteBuffer b = buffer(SIZEOF_SHM_INFO);
            b.putInt(0, usedIds).putLong(8, shmTot).putLong(16, shmRss).putLong(24, shmSwp);
            return b.array();
        }
    }

    /** struct seminfo (IPC_INFO and SEM_INFO of semctl), in declaration order. */
    public record Seminfo(int semmap, int semmni, int semmns, int semmnu, int semmsl, int semopm, int semume,
            int semusz, int semvmx, int semaem) {
        public byte[] toBytes() {
            ByteBuffer b = buffer(SIZEOF_SEMINFO);
            int[] v = {semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem};
            for (int i = 0; i < v.length; i++) {
                b.putInt(4 * i, v[i]);
            }
            return b.array();
        }
    }

    /** struct msginfo (IPC_INFO and MSG_INFO of msgctl), in declaration order. */
    public record Msginfo(int msgpool, int msgmap, int msgmax, int msgmnb, int msgmni, int msgssz, int msgtql,
            int msgseg) {
        public byte[] toBytes() {
            ByteBuffer b = buffer(SIZEOF_MSGINFO);
            b.putInt(0, msgpool).putInt(4, msgmap).putInt(8, msgmax).putInt(12, msgmnb).putInt(16, msgmni)
                    .putInt(20, msgssz).putInt(24, msgtql).putShort(28, (short) msgseg);
            return b.array();
        }
    }
}
