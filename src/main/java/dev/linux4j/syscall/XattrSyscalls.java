package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.AT_FDCWD;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.Vfs;

/**
 * Extended attributes (fs/xattr.c) on file systems that store none: the path or descriptor is
 * checked as Linux checks it, then the answer is a file system without xattr support's:
 * EOPNOTSUPP for get, set and remove, an empty list for list (what tmpfs without
 * CONFIG_TMPFS_XATTR gives). ls -l then shows no ACL or security-context marker.
 */
final class XattrSyscalls {
    private XattrSyscalls() {}

    /** getxattr(2), setxattr(2), removexattr(2) on a path (following symlinks unless the l-form). */
    static Handler pathForm(boolean follow, boolean list) {
        return (task, args) -> {
            String path = PathArgs.read(task, args.pointer(0));
            PathArgs.resolve(task, AT_FDCWD, path, follow ? Vfs.FOLLOW : 0, false);
            return answer(list);
        };
    }

    /** fgetxattr(2), fsetxattr(2), fremovexattr(2), flistxattr(2). */
    static Handler fdForm(boolean list) {
        return (task, args) -> {
            FdSyscalls.fdget(task, args.int32(0));
            return answer(list);
        };
    }

    private static long answer(boolean list) {
        if (list) {
            return 0;
        }
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }
}
