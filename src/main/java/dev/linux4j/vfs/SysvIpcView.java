package dev.linux4j.vfs;

import java.util.List;

/**
 * The System V IPC objects of the guest world as /proc/sysvipc lists them (ipc/shm.c, sem.c
 * and msg.c's sysvipc_*_proc_show): one snapshot per object, in index order. The kernel
 * implements it over its IPC namespace; procfs reaches it through {@link ProcessDirectory}.
 * Pids are the guest's, times seconds since the epoch.
 */
public interface SysvIpcView {
    /** A shared memory segment: struct shmid_kernel's fields; rss and swap in bytes. */
    record Shm(int key, int id, int mode, long size, int cpid, int lpid, long nattch, int uid, int gid, int cuid,
            int cgid, long atime, long dtime, long ctime, long rss, long swap) {}

    /** A semaphore set: struct sem_array's fields; otime the latest of its semaphores'. */
    record Sem(int key, int id, int mode, int nsems, int uid, int gid, int cuid, int cgid, long otime, long ctime) {}

    /** A message queue: struct msg_queue's fields. */
    record Msg(int key, int id, int mode, long cbytes, long qnum, int lspid, int lrpid, int uid, int gid, int cuid,
            int cgid, long stime, long rtime, long ctime) {}

    /** /proc/sysvipc/shm's lines. */
    List<Shm> segments();

    /** /proc/sysvipc/sem's lines. */
    List<Sem> semaphoreSets();

    /** /proc/sysvipc/msg's lines. */
    List<Msg> messageQueues();

    /** No objects (before the kernel is attached). */
    SysvIpcView NONE = new SysvIpcView() {
        @Override
        public List<Shm> segments() {
            return List.of();
        }

        @Override
        public List<Sem> semaphoreSets() {
            return List.of();
        }

        @Override
        public List<Msg> messageQueues() {
            return List.of();
        }
    };
}
