package dev.linux4j.fs.host;

import dev.linux4j.host.HostXattrs;
import dev.linux4j.vfs.Xattrs;

/** A host file's extended attributes, stored by the host file system itself (by path or descriptor). */
record HostFileXattrs(HostFileSystem fs, HostXattrs.Target target) implements Xattrs {
    @Override
    public byte[] get(String name) {
        return HostXattrs.get(target, name);
    }

    @Override
    public void set(String name, byte[] value, int flags) {
        fs.checkWritable();
        HostXattrs.set(target, name, value, flags);
    }

    @Override
    public byte[] list() {
        return HostXattrs.list(target);
    }

    @Override
    public void remove(String name) {
        fs.checkWritable();
        HostXattrs.remove(target, name);
    }
}
