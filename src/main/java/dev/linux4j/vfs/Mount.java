package dev.linux4j.vfs;

/** A file system mounted at a guest path; {@code readOnly} mounts refuse writes with EROFS. */
public record Mount(String mountPoint, FileSystem fs, boolean readOnly, int id) {}
