package dev.linux4j.loader;

/** Opens a PT_INTERP path in the guest root, as the kernel's {@code open_exec()}. */
@FunctionalInterface
public interface ImageOpener {
    /** @throws dev.linux4j.abi.ErrnoException ENOENT, EACCES, ... as open_exec() would fail */
    ImageFile open(String path);
}
