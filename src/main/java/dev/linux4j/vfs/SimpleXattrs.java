package dev.linux4j.vfs;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Attributes kept in memory, as Linux's {@code simple_xattrs} (fs/xattr.c) keep them for tmpfs
 * and devtmpfs: the user., trusted. and security. namespaces; anything else is EOPNOTSUPP
 * (no handler for the prefix). Listed in the order they were first set.
 *
 * <p>Locking: {@code this} guards the map.
 */
public final class SimpleXattrs implements Xattrs {
    private final Map<String, byte[]> values = new LinkedHashMap<>();

    private static void checkHandler(String name) {
        if (!name.startsWith("user.") && !name.startsWith("trusted.") && !name.startsWith("security.")) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
    }

    @Override
    public synchronized byte[] get(String name) {
        checkHandler(name);
        byte[] v = values.get(name);
        if (v == null) {
            throw ErrnoException.of(Errno.ENODATA);
        }
        return v.clone();
    }

    @Override
    public synchronized void set(String name, byte[] value, int flags) {
        checkHandler(name);
        boolean exists = values.containsKey(name);
        if (exists && (flags & XATTR_CREATE) != 0) {
            throw ErrnoException.of(Errno.EEXIST);
        }
        if (!exists && (flags & XATTR_REPLACE) != 0) {
            throw ErrnoException.of(Errno.ENODATA);
        }
        values.put(name, value.clone());
    }

    @Override
    public synchronized byte[] list() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : values.keySet()) {
            out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    @Override
    public synchronized void remove(String name) {
        checkHandler(name);
        if (values.remove(name) == null) {
            throw ErrnoException.of(Errno.ENODATA);
        }
    }
}
