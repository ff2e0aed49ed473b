package dev.linux4j.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A file's attributes in the kernel's terms ({@code struct kstat}), with encoders for the two
 * user-visible layouts: x86-64 {@code struct stat} (see {@link Stat}) and {@code struct statx}.
 * Device numbers use Linux's encoding: {@code makedev(major, minor)} as glibc packs them.
 */
public record StatBuf(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size,
        int blksize, long blocks, long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec, long ctimeSec,
        int ctimeNsec, long btimeSec, int btimeNsec, boolean hasBtime, long mountId) {

    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfff));
    }

    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xff));
    }

    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xff);
    }

    public StatBuf withMode(int newMode) {
        return new StatBuf(dev, ino, newMode, nlink, uid, gid, rdev, size, blksize, blocks, atimeSec, atimeNsec,
                mtimeSec, mtimeNsec, ctimeSec, ctimeNsec, btimeSec, btimeNsec, hasBtime, mountId);
    }

    public StatBuf withOwner(int newUid, int newGid) {
        return new StatBuf(dev, ino, mode, nlink, newUid, newGid, rdev, size, blksize, blocks, atimeSec, atimeNsec,
                mtimeSec, mtimeNsec, ctimeSec, ctimeNsec, btimeSec, btimeNsec, hasBtime, mountId);
    }

    /** The 144-byte x86-64 struct stat. */
    public byte[] toStat() {
        ByteBuffer b = ByteBuffer.allocate(Stat.SIZEOF_STAT).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, dev);
        b.putLong(8, ino);
        b.putLong(16, nlink);
        b.putInt(24, mode);
        b.putInt(28, uid);
        b.putInt(32, gid);
        b.putLong(40, rdev);
        b.putLong(48, size);
        b.putLong(56, blksize);
        b.putLong(64, blocks);
        b.putLong(72, atimeSec);
        b.putLong(80, atimeNsec);
        b.putLong(88, mtimeSec);
        b.putLong(96, mtimeNsec);
        b.putLong(104, ctimeSec);
        b.putLong(112, ctimeNsec);
        return b.array();
    }

    /**
     * The 256-byte struct statx ({@code include/uapi/linux/stat.h}): stx_mask at 0, stx_blksize 4,
     * stx_attributes 8, stx_nlink 16, stx_uid 20, stx_gid 24, stx_mode 28, stx_ino 32, stx_size 40,
     * stx_blocks 48, stx_attributes_mask 56, timestamps {tv_sec s64, tv_nsec u32, pad} at 64 (atime),
     * 80 (btime), 96 (ctime), 112 (mtime), stx_rdev_major 128, stx_rdev_minor 132, stx_dev_major 136,
     * stx_dev_minor 140, stx_mnt_id 144.
     */
    public byte[] toStatx(int requestedMask) {
        ByteBuffer b = ByteBuffer.allocate(Stat.SIZEOF_STATX).order(ByteOrder.LITTLE_ENDIAN);
        int mask = Stat.STATX_BASIC_STATS | Stat.STATX_MNT_ID | (hasBtime ? Stat.STATX_BTIME : 0);
        b.putInt(0, mask);
        b.putInt(4, blksize);
        b.putInt(16, (int) nlink);
        b.putInt(20, uid);
        b.putInt(24, gid);
        b.putShort(28, (short) mode);
        b.putLong(32, ino);
        b.putLong(40, size);
        b.putLong(48, blocks);
        b.putLong(64, atimeSec);
        b.putInt(72, atimeNsec);
        if (hasBtime) {
            b.putLong(80, btimeSec);
            b.putInt(88, btimeNsec);
        }
        b.putLong(96, ctimeSec);
        b.putInt(104, ctimeNsec);
        b.putLong(112, mtimeSec);
        b.putInt(120, mtimeNsec);
        b.putInt(128, major(rdev));
        b.putInt(132, minor(rdev));
        b.putInt(136, major(dev));
        b.putInt(140, minor(dev));
        b.putLong(144, mountId);
        return b.array();
    }
}
