package dev.linux4j.abi;

/**
 * File types and mode bits ({@code include/uapi/linux/stat.h}) and x86-64's
 * {@code struct stat} ({@code arch/x86/include/uapi/asm/stat.h}):
 * <pre>
 * struct stat {
 *     __kernel_ulong_t st_dev;      // 0
 *     __kernel_ulong_t st_ino;      // 8
 *     __kernel_ulong_t st_nlink;    // 16
 *     unsigned int     st_mode;     // 24
 *     unsigned int     st_uid;      // 28
 *     unsigned int     st_gid;      // 32
 *     unsigned int     __pad0;      // 36
 *     __kernel_ulong_t st_rdev;     // 40
 *     __kernel_long_t  st_size;     // 48
 *     __kernel_long_t  st_blksize;  // 56
 *     __kernel_long_t  st_blocks;   // 64
 *     __kernel_ulong_t st_atime, st_atime_nsec;  // 72, 80
 *     __kernel_ulong_t st_mtime, st_mtime_nsec;  // 88, 96
 *     __kernel_ulong_t st_ctime, st_ctime_nsec;  // 104, 112
 *     __kernel_long_t  __unused[3];
 * };                                 // 144 bytes
 * </pre>
 */
public final class Stat {
    private Stat() {}

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;

    // d_type values for getdents64, include/linux/fs_types.h
    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;

    public static final int SIZEOF_STAT = 144;

    /** d_type for a mode's file type. */
    public static int dtype(int mode) {
        return (mode & S_IFMT) >>> 12;
    }

    public static boolean isDir(int mode) {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public static boolean isLink(int mode) {
        return (mode & S_IFMT) == S_IFLNK;
    }

    public static boolean isReg(int mode) {
        return (mode & S_IFMT) == S_IFREG;
    }

    // statx(2) mask bits, include/uapi/linux/stat.h
    public static final int STATX_TYPE = 0x1;
    public static final int STATX_MODE = 0x2;
    public static final int STATX_NLINK = 0x4;
    public static final int STATX_UID = 0x8;
    public static final int STATX_GID = 0x10;
    public static final int STATX_ATIME = 0x20;
    public static final int STATX_MTIME = 0x40;
    public static final int STATX_CTIME = 0x80;
    public static final int STATX_INO = 0x100;
    public static final int STATX_SIZE = 0x200;
    public static final int STATX_BLOCKS = 0x400;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int STATX_BTIME = 0x800;
    public static final int STATX_MNT_ID = 0x1000;
    public static final int SIZEOF_STATX = 256;
}
