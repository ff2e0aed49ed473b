package dev.linux4j.syscall;

import static dev.linux4j.abi.Fcntl.AT_EMPTY_PATH;
import static dev.linux4j.abi.Fcntl.AT_FDCWD;
import static dev.linux4j.abi.Fcntl.AT_SYMLINK_NOFOLLOW;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.kernel.Credentials;
import dev.linux4j.kernel.Task;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.Location;
import dev.linux4j.vfs.Vfs;

/**
 * File ownership: fs/open.c's chown family. Permission is Linux's {@code chown_ok()} and
 * {@code chgrp_ok()} without capabilities: the owner may change the group to one of its own
 * groups; changing the owner needs CAP_CHOWN (uid 0 here, as under {@code --fake-root}, where
 * the file system records the new ownership without touching the host's).
 */
final class OwnerSyscalls {
    private OwnerSyscalls() {}

    /** chown(2): {@code int chown(const char *pathname, uid_t owner, gid_t group)}. */
    static long chown(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        return chownAt(task, AT_FDCWD, path, args.int32(1), args.int32(2), 0);
    }

    /** lchown(2): {@code int lchown(const char *pathname, uid_t owner, gid_t group)}. */
    static long lchown(Task task, SyscallArgs args) {
        String path = PathArgs.read(task, args.pointer(0));
        return chownAt(task, AT_FDCWD, path, args.int32(1), args.int32(2), AT_SYMLINK_NOFOLLOW);
    }

    /** fchownat(2): {@code int fchownat(int dirfd, const char *pathname, uid_t owner, gid_t group, int flags)}. */
    static long fchownat(Task task, SyscallArgs args) {
        int dirfd = args.int32(0);
        long pathPtr = args.pointer(1);
        int owner = args.int32(2);
        int group = args.int32(3);
        int flags = args.int32(4);
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        return chownAt(task, dirfd, PathArgs.read(task, pathPtr), owner, group, flags);
    }

    /** fchown(2): {@code int fchown(int fd, uid_t owner, gid_t group)}. */
    static long fchown(Task task, SyscallArgs args) {
        int fd = args.int32(0);
        int owner = args.int32(1);
        int group = args.int32(2);
        FileDescription file = FdSyscalls.fdget(task, fd);
        if (file.isPath()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        StatBuf st = file.ops().stat(file);
        if (file.location() == null) {
            check(task, st, owner, group); // a pipe or stdio stream: nothing the guest may own changes
            return 0;
        }
        return chownCommon(task, file.location(), st, owner, group);
    }

    private static long chownAt(Task task, int dirfd, String path, int owner, int group, int flags) {
        int vfsFlags = (flags & AT_SYMLINK_NOFOLLOW) != 0 ? 0 : Vfs.FOLLOW;
        Vfs.Resolved r = PathArgs.resolve(task, dirfd, path, vfsFlags, (flags & AT_EMPTY_PATH) != 0);
        if (r.location() == null) {
            check(task, r.stat(), owner, group); // a pipe or stdio stream: nothing the guest may own changes
            return 0;
        }
        return chownCommon(task, r.location(), r.stat(), owner, group);
    }

    /** chown_common(): EROFS on a read-only mount, then the permission checks, then the change. */
    private static long chownCommon(Task task, Location loc, StatBuf st, int owner, int group) {
        if (loc.mount().readOnly()) {
            throw ErrnoException.of(Errno.EROFS);
        }
        check(task, st, owner, group);
        int newUid = owner == -1 ? st.uid() : owner;
        int newGid = group == -1 ? st.gid() : group;
        if (newUid != st.uid() || newGid != st.gid()) {
            loc.fs().chown(loc.fsPath(), owner, group);
        }
        return 0;
    }

    /** chown_ok() and chgrp_ok() (fs/attr.c) for a caller without CAP_CHOWN unless it is uid 0. */
    private static void check(Task task, StatBuf st, int owner, int group) {
        Credentials cred = task.group().credentials();
        if (cred.fsuid() == 0) {
            return;
        }
        if (owner != -1 && owner != st.uid()) {
            throw ErrnoException.of(Errno.EPERM);
        }
        if (group != -1 && !(cred.fsuid() == st.uid() && (group == st.gid() || inGroup(cred, group)))) {
            throw ErrnoException.of(Errno.EPERM);
        }
        if ((owner != -1 || group != -1) && cred.fsuid() != st.uid() && !(owner == -1 && group == -1)) {
            // Not the owner: even a no-op change is refused (setattr_prepare's inode_owner_or_capable).
            throw ErrnoException.of(Errno.EPERM);
        }
    }

    private static boolean inGroup(Credentials cred, int gid) {
        if (cred.fsgid() == gid) {
            return true;
        }
        for (int g : cred.groups()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }
}
