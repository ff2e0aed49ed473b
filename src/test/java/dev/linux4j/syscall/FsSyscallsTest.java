package dev.linux4j.syscall;

import static dev.linux4j.abi.Sysno.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.kernel.Credentials;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Table rows and struct layouts of the file-system syscalls (namei, attributes, descriptors,
 * directories). Their behaviour is checked against Linux by the programs in src/test/guest/syscall.
 */
class FsSyscallsTest {
    private static final int[] FS_CALLS = {NR_access, NR_faccessat, NR_faccessat2, NR_readlink, NR_readlinkat,
        NR_getcwd, NR_chdir, NR_fchdir, NR_mkdir, NR_mkdirat, NR_rmdir, NR_unlink, NR_unlinkat, NR_rename,
        NR_renameat, NR_renameat2, NR_link, NR_linkat, NR_symlink, NR_symlinkat, NR_chmod, NR_fchmod, NR_fchmodat,
        NR_fchmodat2, NR_truncate, NR_ftruncate, NR_fsync, NR_fdatasync, NR_fcntl, NR_dup, NR_dup2, NR_dup3,
        NR_ioctl, NR_getdents, NR_getdents64, NR_statfs, NR_fstatfs, NR_utimensat, NR_utimes, NR_utime,
        NR_getrusage, NR_times, NR_mknod, NR_mknodat, NR_fallocate, NR_fadvise64};

    @Test
    void everyFileSystemCallHasAHandler() {
        SyscallTable table = SyscallTable.linux();
        for (int nr : FS_CALLS) {
            SyscallEntry e = table.get(nr);
            assertThat(e.support()).as(e.name()).isNotEqualTo(Support.UNIMPLEMENTED);
            assertThat(e.handler()).as(e.name()).isNotNull();
            assertThat(e.args()).as(e.name()).isNotEmpty();
            if (e.support() == Support.PARTIAL) {
                assertThat(e.note()).as(e.name()).isNotEmpty();
            }
        }
    }

    /** struct statfs on x86-64: 120 bytes, f_fsid at 56, f_namelen 64, f_frsize 72, f_flags 80. */
    @Test
    void statfsLayout() {
        long[] f = {0xEF53, 4096, 3, 4, 5, 6, 7, 255, 4096, 0x1122334455667788L, 0x1020};
        ByteBuffer b = ByteBuffer.wrap(AttrSyscalls.encodeStatfs(f, true)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.capacity()).isEqualTo(120);
        assertThat(b.getLong(0)).isEqualTo(0xEF53);
        assertThat(b.getLong(8)).isEqualTo(4096);
        assertThat(b.getLong(16)).isEqualTo(3);
        assertThat(b.getLong(48)).isEqualTo(7);
        assertThat(b.getInt(56)).isEqualTo(0x55667788);
        assertThat(b.getInt(60)).isEqualTo(0x11223344);
        assertThat(b.getLong(64)).isEqualTo(255);
        assertThat(b.getLong(72)).isEqualTo(4096);
        assertThat(b.getLong(80)).isEqualTo(0x1021); // ST_RDONLY added for a read-only mount
        assertThat(b.getLong(88)).isZero();
    }

    /** A file system that reports only the nine classic fields still says ST_VALID. */
    @Test
    void statfsWithoutFlagsIsValid() {
        long[] f = {0x01021994, 4096, 0, 0, 0, 0, 0, 255, 4096};
        ByteBuffer b = ByteBuffer.wrap(AttrSyscalls.encodeStatfs(f, false)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getLong(80)).isEqualTo(0x20);
    }

    /** generic_permission for root: read and write always, execute only with some x bit (or a directory). */
    @Test
    void permissionFromModeBits() {
        Credentials root = Credentials.of(0, 0, new int[] {0});
        Credentials user = Credentials.of(1000, 1000, new int[] {1000});
        StatBuf pipe = stat(Stat.S_IFIFO | 0600, 1000, 1000);
        assertThat(AttrSyscalls.permittedByMode(pipe, 6, root)).isTrue();
        assertThat(AttrSyscalls.permittedByMode(pipe, 1, root)).isFalse();
        assertThat(AttrSyscalls.permittedByMode(stat(Stat.S_IFDIR | 0, 5, 5), 1, root)).isTrue();
        assertThat(AttrSyscalls.permittedByMode(pipe, 6, user)).isTrue();
        assertThat(AttrSyscalls.permittedByMode(stat(Stat.S_IFIFO | 0060, 2000, 1000), 4, user)).isTrue();
        assertThat(AttrSyscalls.permittedByMode(stat(Stat.S_IFIFO | 0604, 2000, 2000), 2, user)).isFalse();
    }

    private static StatBuf stat(int mode, int uid, int gid) {
        return new StatBuf(1, 2, mode, 1, uid, gid, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0);
    }
}
