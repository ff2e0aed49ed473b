package dev.linux4j.abi;

/** Flags of preadv2/pwritev2 (include/uapi/linux/fs.h) and of splice, tee and vmsplice (SPLICE_F_*). */
public final class ReadWrite {
    private ReadWrite() {}

    // preadv2(2)/pwritev2(2) flags
    public static final int RWF_HIPRI = 0x1;
    public static final int RWF_DSYNC = 0x2;
    public static final int RWF_SYNC = 0x4;
    public static final int RWF_NOWAIT = 0x8;
    public static final int RWF_APPEND = 0x10;
    public static final int RWF_NOAPPEND = 0x20;
    public static final int RWF_ATOMIC = 0x40;
    public static final int RWF_DONTCACHE = 0x80;
    public static final int RWF_NOSIGNAL = 0x100;
    /** RWF_SUPPORTED of Linux 6.18. */
    public static final int RWF_SUPPORTED = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND
            | RWF_NOAPPEND | RWF_ATOMIC | RWF_DONTCACHE | RWF_NOSIGNAL;

    // splice(2), tee(2), vmsplice(2) flags
    public static final int SPLICE_F_MOVE = 0x1;
    public static final int SPLICE_F_NONBLOCK = 0x2;
    public static final int SPLICE_F_MORE = 0x4;
    public static final int SPLICE_F_GIFT = 0x8;
    public static final int SPLICE_F_ALL = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT;
}
