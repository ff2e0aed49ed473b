package dev.linux4j.abi;

/**
 * Record locks for fcntl(2): {@code include/uapi/asm-generic/fcntl.h}. x86-64's
 * {@code struct flock} is 32 bytes:
 * <pre>
 * struct flock {
 *     short l_type;    // 0
 *     short l_whence;  // 2
 *     off_t l_start;   // 8
 *     off_t l_len;     // 16
 *     pid_t l_pid;     // 24
 * };
 * </pre>
 */
public final class Flock {
    private Flock() {}

    public static final int F_RDLCK = 0;
    public static final int F_WRLCK = 1;
    public static final int F_UNLCK = 2;

    public static final int L_TYPE = 0;
    public static final int L_WHENCE = 2;
    public static final int L_START = 8;
    public static final int L_LEN = 16;
    public static final int L_PID = 24;
    public static final int SIZEOF_FLOCK = 32;

    /** flock(2) operations (include/uapi/asm-generic/fcntl.h). */
    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;
    /** The removed System V mandatory-lock bit: flock(2) ignores any request carrying it. */
    public static final int LOCK_MAND = 32;
}
