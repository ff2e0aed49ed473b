package dev.linux4j.vfs;

/**
 * fsnotify's open and close hooks (fsnotify_open, fsnotify_close): a file system watcher
 * (inotify) registers a listener, and the VFS tells it of every open(2) of a file in the tree and
 * of the last close of its open file. Nothing is called while no listener is registered.
 */
public final class FileEvents {
    private FileEvents() {}

    /** What a watcher hears. */
    public interface Listener {
        void opened(FileDescription file);

        void closed(FileDescription file);
    }

    private static volatile Listener listener;

    /** Registers the one listener (inotify's), once. */
    public static void listen(Listener l) {
        listener = l;
    }

    /** open(2) made {@code file} (a file in the tree: it has a location). */
    public static void opened(FileDescription file) {
        Listener l = listener;
        if (l != null && file.location() != null) {
            l.opened(file);
        }
    }

    /** The last descriptor of {@code file} was closed. */
    static void closed(FileDescription file) {
        Listener l = listener;
        if (l != null && file.location() != null) {
            l.closed(file);
        }
    }
}
