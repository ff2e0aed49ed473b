package dev.linux4j.fs.socket;

/**
 * The calling task's view of the file system, for AF_UNIX addresses that are paths: unix_bind
 * makes a socket node at its path (unix_bind_bsd) and connect(2) and sendto(2) find the node
 * (unix_find_bsd), both resolved relative to the caller's root and working directory.
 */
public interface SocketPaths {
    /** A socket node's identity: its st_dev and st_ino. */
    record Node(long dev, long ino) {}

    /**
     * unix_bind_bsd: creates an S_IFSOCK node at {@code path} with mode {@code 0777 & ~umask},
     * as mknod(2) would (EADDRINUSE when the name exists, and mknod's errors otherwise).
     */
    Node create(String path);

    /**
     * unix_find_bsd: the node at {@code path}, symlinks followed: lookup's errors, EACCES without
     * write permission, ECONNREFUSED when it is not a socket.
     */
    Node find(String path);

    /** Unlinks the node {@link #create} made at {@code path}, for a bind that failed after it (unix_bind_bsd). */
    void remove(String path);
}
