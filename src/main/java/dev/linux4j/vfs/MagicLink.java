package dev.linux4j.vfs;

/**
 * Where a /proc "magic" symlink leads when followed (Linux's {@code proc_get_link} and
 * {@code nd_jump_link}): not to the text readlink shows, but straight to the object — a
 * directory or file by its guest path (cwd, root, exe, fd/N of a file that is still linked), or
 * an open file that has no path at all (fd/N of a pipe, an unlinked or O_TMPFILE file). The
 * jump ignores the follower's root, as on Linux; it still cannot leave the guest root, because
 * every target is a guest path or an open guest file.
 */
public sealed interface MagicLink {
    /** Jump to a guest path. */
    record ToPath(String guestPath) implements MagicLink {}

    /** End at an open file; opening the link reopens it. */
    record ToFile(FileDescription file) implements MagicLink {}
}
