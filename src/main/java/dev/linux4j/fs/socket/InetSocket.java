package dev.linux4j.fs.socket;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;

/** AF_INET and AF_INET6 sockets: not yet. */
public final class InetSocket {
    private InetSocket() {}

    /** socket(2) for AF_INET or AF_INET6: EAFNOSUPPORT until the network is there. */
    public static Socket create(int family, int type, int protocol, int[] cred) {
        throw ErrnoException.of(Errno.EAFNOSUPPORT);
    }
}
