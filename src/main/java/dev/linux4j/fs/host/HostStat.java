package dev.linux4j.fs.host;

import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.host.HostErrors;
import dev.linux4j.host.HostFiles;
import dev.linux4j.host.HostNative;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Host file attributes as a {@link StatBuf}: by path (statx, or java.nio's unix view) or by host descriptor. */
final class HostStat {
    private HostStat() {}

    /** lstat of a host path: statx where the host has it (exact times, st_blocks, devices), else java.nio. */
    static StatBuf of(Path p) {
        if (HostNative.hasStatx()) {
            byte[] buf = new byte[256];
            int rc = HostNative.statx(p.toString(), false, buf);
            if (rc < 0) {
                throw ErrnoException.ofNumber(-rc);
            }
            return fromStatx(buf);
        }
        return statNio(p);
    }

    /** A 256-byte struct statx (the layout every Linux architecture shares) as a StatBuf. */
    static StatBuf fromStatx(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int mask = b.getInt(0);
        long rdev = StatBuf.makedev(b.getInt(128) & 0xffffffffL, b.getInt(132) & 0xffffffffL);
        long dev = StatBuf.makedev(b.getInt(136) & 0xffffffffL, b.getInt(140) & 0xffffffffL);
        return new StatBuf(dev, b.getLong(32), b.getShort(28) & 0xffff, b.getInt(16) & 0xffffffffL, b.getInt(20),
                b.getInt(24), rdev, b.getLong(40), b.getInt(4), b.getLong(48), b.getLong(64), b.getInt(72),
                b.getLong(112), b.getInt(120), b.getLong(96), b.getInt(104), b.getLong(80), b.getInt(88),
                (mask & Stat.STATX_BTIME) != 0, b.getLong(144));
    }

    private static StatBuf statNio(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            long size = (Long) a.get("size");
            FileTime at = (FileTime) a.get("lastAccessTime");
            FileTime mt = (FileTime) a.get("lastModifiedTime");
            FileTime ct = (FileTime) a.get("ctime");
            return new StatBuf((Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("mode"),
                    ((Integer) a.get("nlink")).longValue(), (Integer) a.get("uid"), (Integer) a.get("gid"),
                    (Long) a.get("rdev"), size, 4096, (size + 511) / 512, seconds(at), nanos(at), seconds(mt),
                    nanos(mt), seconds(ct), nanos(ct), 0, 0, false, 0);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw HostErrors.toErrno(e);
        }
    }

    private static long seconds(FileTime t) {
        return Math.floorDiv(t.to(TimeUnit.NANOSECONDS), 1_000_000_000L);
    }

    private static int nanos(FileTime t) {
        return (int) Math.floorMod(t.to(TimeUnit.NANOSECONDS), 1_000_000_000L);
    }

    /** fstat of a host descriptor (statx with AT_EMPTY_PATH): works after the file is renamed or unlinked. */
    static StatBuf of(int hostFd) {
        byte[] raw = new byte[256];
        int rc = HostFiles.fstatx(hostFd, raw);
        if (rc < 0) {
            throw ErrnoException.ofNumber(-rc);
        }
        return fromStatx(raw);
    }
}
