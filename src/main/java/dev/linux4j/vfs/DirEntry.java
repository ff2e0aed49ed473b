package dev.linux4j.vfs;

/** One directory entry as getdents64 reports it: inode number, d_type and name. */
public record DirEntry(long ino, int type, byte[] name) {}
