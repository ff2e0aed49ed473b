package dev.linux4j.kernel;

import dev.linux4j.vfs.SysvIpcView;
import java.util.List;

/**
 * The System V IPC objects of one guest world (Linux's {@code struct ipc_namespace}): one per
 * {@link Kernel}, as every process of a linux4j guest is in the same namespace.
 */
public final class IpcNamespace implements SysvIpcView {
    private final SysvShm shm = new SysvShm();
    private final SysvSem sem = new SysvSem();
    private final SysvMsg msg = new SysvMsg();

    /** What a *_STAT or *_INFO command gives back: the call's result and the structure to copy out. */
    public record Status<D>(int result, D data) {}

    public SysvShm shm() {
        return shm;
    }

    public SysvSem sem() {
        return sem;
    }

    public SysvMsg msg() {
        return msg;
    }

    @Override
    public List<SysvIpcView.Shm> segments() {
        return shm.proc();
    }

    @Override
    public List<SysvIpcView.Sem> semaphoreSets() {
        return sem.proc();
    }

    @Override
    public List<SysvIpcView.Msg> messageQueues() {
        return msg.proc();
    }

    /**
     * A process's end, before its parent can see it (do_exit's exit_mm, exit_sem): its attaches
     * are detached with it as the last operator, and its semaphore adjustments applied.
     */
    void exit(ThreadGroup group, dev.linux4j.memory.AddressSpace ownSpace) {
        if (ownSpace != null) {
            shm.exit(group, ownSpace);
        }
        sem.exit(group);
    }
}
