package dev.linux4j.vfs;

/**
 * The guest task a file operation runs for (Linux's {@code current}), as far as files need to
 * know it: a socket written with write(2) sends its writer's credentials (SCM_CREDENTIALS), and
 * write(2) reaches the socket through {@link FileOps#write}, which has no task.
 */
public final class Caller {
    private Caller() {}

    /** What a file may ask of its caller. */
    public interface Identity {
        /** The caller's {tgid, real uid, real gid}: struct ucred as scm_send fills it. */
        int[] ucred();

        /** The process side of terminal job control, or null where the caller has none. */
        default JobControl jobControl() {
            return null;
        }
    }

    private static final ThreadLocal<Identity> CURRENT = new ThreadLocal<>();

    /** Binds the calling Java thread to a task (null to unbind). */
    public static void bind(Identity identity) {
        if (identity == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(identity);
        }
    }

    /** The calling task's {tgid, uid, gid}, or null on a thread that runs no task. */
    public static int[] ucred() {
        Identity i = CURRENT.get();
        return i == null ? null : i.ucred();
    }

    /** The calling task's job control (its controlling terminal, its process group), or null. */
    public static JobControl jobControl() {
        Identity i = CURRENT.get();
        return i == null ? null : i.jobControl();
    }
}
