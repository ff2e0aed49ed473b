package dev.linux4j.vfs;

/**
 * A resolved place in the guest's file tree: the mount it is on, the path inside that mount's
 * file system, and the absolute guest path. The final component may not exist yet.
 */
public record Location(Mount mount, String fsPath, String guestPath) {
    public FileSystem fs() {
        return mount.fs();
    }
}
