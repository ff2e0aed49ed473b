package dev.linux4j.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * POSIX message queues: {@code include/uapi/linux/mqueue.h}, the limits of
 * {@code include/linux/ipc_namespace.h} and the {@code struct sigevent} fields mq_notify reads
 * ({@code include/uapi/asm-generic/siginfo.h}).
 */
public final class Mqueue {
    private Mqueue() {}

    /** MQ_PRIO_MAX: priorities are 0..32767. */
    public static final int MQ_PRIO_MAX = 32768;
    /** MQ_BYTES_MAX: RLIMIT_MSGQUEUE's default (819200 bytes). */
    public static final long MQ_BYTES_MAX = 819200;

    // include/linux/ipc_namespace.h: the sysctls' defaults and the hard ceilings
    /** DFLT_QUEUESMAX: /proc/sys/fs/mqueue/queues_max. */
    public static final int DFLT_QUEUESMAX = 256;
    /** DFLT_MSG: /proc/sys/fs/mqueue/msg_default. */
    public static final int DFLT_MSG = 10;
    /** DFLT_MSGMAX: /proc/sys/fs/mqueue/msg_max. */
    public static final int DFLT_MSGMAX = 10;
    /** HARD_MSGMAX: what CAP_SYS_RESOURCE may ask for. */
    public static final int HARD_MSGMAX = 65536;
    /** DFLT_MSGSIZE: /proc/sys/fs/mqueue/msgsize_default. */
    public static final int DFLT_MSGSIZE = 8192;
    /** DFLT_MSGSIZEMAX: /proc/sys/fs/mqueue/msgsize_max. */
    public static final int DFLT_MSGSIZEMAX = 8192;
    /** HARD_MSGSIZEMAX: what CAP_SYS_RESOURCE may ask for (16 MiB). */
    public static final int HARD_MSGSIZEMAX = 16 * 1024 * 1024;

    /** sizeof(struct msg_msg) and sizeof(struct posix_msg_tree_node) on x86-64, counted in RLIMIT_MSGQUEUE. */
    public static final int SIZEOF_MSG_MSG = 48;
    public static final int SIZEOF_POSIX_MSG_TREE_NODE = 48;

    /** NOTIFY_COOKIE_LEN: the SIGEV_THREAD cookie sent on the netlink socket. */
    public static final int NOTIFY_COOKIE_LEN = 32;
    /** FILENT_SIZE: an mqueue inode's i_size, and the buffer its status line is formatted in. */
    public static final int FILENT_SIZE = 80;

    // struct sigevent's sigev_notify
    public static final int SIGEV_SIGNAL = 0;
    public static final int SIGEV_NONE = 1;
    public static final int SIGEV_THREAD = 2;
    /** sizeof(struct sigevent): {@code sigval_t sigev_value; int sigev_signo; int sigev_notify; ...} padded to 64. */
    public static final int SIZEOF_SIGEVENT = 64;

    /** sizeof(struct mq_attr). */
    public static final int SIZEOF_MQ_ATTR = 64;

    /**
     * {@code struct mq_attr { long mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs; long __reserved[4]; }}.
     */
    public record MqAttr(long flags, long maxmsg, long msgsize, long curmsgs) {
        public static MqAttr decode(byte[] b) {
            ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            return new MqAttr(in.getLong(0), in.getLong(8), in.getLong(16), in.getLong(24));
        }

        /** The 64 bytes, __reserved zero. */
        public byte[] toBytes() {
            ByteBuffer out = ByteBuffer.allocate(SIZEOF_MQ_ATTR).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(0, flags).putLong(8, maxmsg).putLong(16, msgsize).putLong(24, curmsgs);
            return out.array();
        }
    }

    /** The struct sigevent fields mq_notify uses: sigev_value (a union of int and pointer), sigev_signo, sigev_notify. */
    public record Sigevent(long value, int signo, int sigevNotify) {
        public static Sigevent decode(byte[] b) {
            ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            return new Sigevent(in.getLong(0), in.getInt(8), in.getInt(12));
        }
    }
}
