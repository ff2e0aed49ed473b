package dev.linux4j.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.Fcntl;
import dev.linux4j.abi.Flock;
import dev.linux4j.abi.StatBuf;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The lock space without processes: owners are plain objects, files are descriptions of fake
 * inodes. Expected values come from Linux (the guest programs in src/test/guest/locks check
 * the same behaviour differentially); the /proc/locks lines are what Linux 6.18 printed for the
 * same locks.
 */
class FileLocksTest {
    private static final AtomicLong INODES = new AtomicLong(7_000_000);
    private static final long DEV = StatBuf.makedev(0xfe, 0);

    private final long ino = INODES.incrementAndGet();

    private FileDescription open() {
        FileOps ops = file -> new StatBuf(DEV, ino, 0100600, 1, 0, 0, 0, 100, 4096, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0);
        return new FileDescription(ops, Fcntl.O_RDWR, "/tmp/x", null);
    }

    private static FileLock posix(Object owner, int type, long start, long end) {
        return FileLock.request(FileLock.Kind.POSIX, owner, 42, type, start, end);
    }

    private static Errno errno(Runnable r) {
        try {
            r.run();
            return null;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    @Test
    void splitAndMergeKeepLinuxOrder() {
        FileDescription f = open();
        Object a = new Object();
        Object b = new Object();
        FileLocks.set(f, posix(a, Flock.F_RDLCK, 0, 99), false);
        FileLocks.set(f, posix(a, Flock.F_WRLCK, 40, 49), false);
        FileLock hit = FileLocks.test(f, posix(b, Flock.F_RDLCK, 0, FileLocks.OFFSET_MAX));
        assertThat(hit.type()).isEqualTo(Flock.F_WRLCK);
        assertThat(hit.start()).isEqualTo(40);
        assertThat(hit.length()).isEqualTo(10);
        hit = FileLocks.test(f, posix(b, Flock.F_WRLCK, 60, 60));
        assertThat(hit.start()).isEqualTo(50);
        assertThat(hit.end()).isEqualTo(99);
        // Converting the middle back merges the three pieces into one read lock.
        FileLocks.set(f, posix(a, Flock.F_RDLCK, 40, 49), false);
        hit = FileLocks.test(f, posix(b, Flock.F_WRLCK, 0, FileLocks.OFFSET_MAX));
        assertThat(hit.start()).isEqualTo(0);
        assertThat(hit.end()).isEqualTo(99);
        assertThat(errno(() -> FileLocks.set(f, posix(b, Flock.F_WRLCK, 99, 99), false))).isEqualTo(Errno.EAGAIN);
        FileLocks.removePosix(f, a);
        assertThat(FileLocks.test(f, posix(b, Flock.F_WRLCK, 0, FileLocks.OFFSET_MAX))).isNull();
        FileLocks.removeFile(f);
    }

    @Test
    void ofdLocksConflictWithPosixAndGoWithTheDescription() {
        FileDescription f1 = open();
        FileDescription f2 = open();
        Object process = new Object();
        FileLocks.set(f1, FileLock.request(FileLock.Kind.OFD, f1, 42, Flock.F_WRLCK, 0, 9), false);
        FileLock hit = FileLocks.test(f2, posix(process, Flock.F_RDLCK, 5, 5));
        assertThat(hit.reportedPid()).isEqualTo(-1);
        assertThat(errno(() -> FileLocks.set(f2, posix(process, Flock.F_RDLCK, 5, 5), false)))
                .isEqualTo(Errno.EAGAIN);
        FileLocks.flush(f1, process); // a POSIX close rule does not touch OFD locks
        assertThat(FileLocks.test(f2, posix(process, Flock.F_RDLCK, 5, 5))).isNotNull();
        FileLocks.removeFile(f1);
        assertThat(FileLocks.test(f2, posix(process, Flock.F_RDLCK, 5, 5))).isNull();
        FileLocks.removeFile(f2);
    }

    @Test
    void flockConversionIsNotAtomic() {
        FileDescription a = open();
        FileDescription b = open();
        FileDescription c = open();
        FileLocks.flock(a, 1, Flock.F_RDLCK, false);
        FileLocks.flock(b, 2, Flock.F_RDLCK, false);
        assertThat(errno(() -> FileLocks.flock(a, 1, Flock.F_WRLCK, false))).isEqualTo(Errno.EWOULDBLOCK);
        FileLocks.flock(b, 2, Flock.F_UNLCK, false);
        // a lost its shared lock when the upgrade failed, so c may now lock exclusively.
        FileLocks.flock(c, 3, Flock.F_WRLCK, false);
        assertThatThrownBy(() -> FileLocks.flock(a, 1, Flock.F_RDLCK, false)).isInstanceOf(ErrnoException.class);
        // flock(2) locks are invisible to record locks.
        assertThat(FileLocks.test(a, posix(new Object(), Flock.F_WRLCK, 0, FileLocks.OFFSET_MAX))).isNull();
        for (FileDescription f : List.of(a, b, c)) {
            FileLocks.removeFile(f);
        }
    }

    @Test
    void procLocksLines() {
        FileDescription f = open();
        FileDescription g = open();
        FileDescription h = open();
        Object process = new Object();
        FileLocks.set(f, FileLock.request(FileLock.Kind.POSIX, process, 11247, Flock.F_WRLCK, 5, 14), false);
        FileLocks.set(f, FileLock.request(FileLock.Kind.POSIX, process, 11247, Flock.F_RDLCK, 100,
                FileLocks.OFFSET_MAX), false);
        FileLocks.set(g, FileLock.request(FileLock.Kind.OFD, g, 11247, Flock.F_RDLCK, 50, 52), false);
        FileLocks.flock(h, 11247, Flock.F_RDLCK, false);
        List<FileLocks.Held> mine = FileLocks.snapshot().stream().filter(x -> x.ino() == ino)
                .collect(java.util.stream.Collectors.toList());
        assertThat(ProcLocks.render(mine)).isEqualTo(String.format("""
                1: FLOCK  ADVISORY  READ 11247 fe:00:%1$d 0 EOF
                2: OFDLCK ADVISORY  READ -1 fe:00:%1$d 50 52
                3: POSIX  ADVISORY  READ 11247 fe:00:%1$d 100 EOF
                4: POSIX  ADVISORY  WRITE 11247 fe:00:%1$d 5 14
                """, ino));
        FileLocks.removePosix(f, process);
        for (FileDescription d : List.of(f, g, h)) {
            FileLocks.removeFile(d);
        }
    }
}
