package dev.linux4j.fs.proc;

import dev.linux4j.vfs.ProcessDirectory;
import dev.linux4j.vfs.ProcessView;

/** The process directory of a /proc no kernel is attached to yet: no processes, one CPU. */
final class EmptyDirectory implements ProcessDirectory {
    private final long boot = System.currentTimeMillis() / 1000;
    private final long bootNanos = System.nanoTime();

    @Override
    public ProcessView current() {
        return null;
    }

    @Override
    public int currentTid() {
        return 0;
    }

    @Override
    public ProcessView byPid(int pid) {
        return null;
    }

    @Override
    public int[] pids() {
        return new int[0];
    }

    @Override
    public int lastPid() {
        return 0;
    }

    @Override
    public String osRelease() {
        return "6.12.0";
    }

    @Override
    public String osVersion() {
        return "#1 SMP PREEMPT_DYNAMIC linux4j";
    }

    @Override
    public String hostname() {
        return "localhost";
    }

    @Override
    public int cpuCount() {
        return 1;
    }

    @Override
    public long uptimeNanos() {
        return System.nanoTime() - bootNanos;
    }

    @Override
    public long bootTimeSeconds() {
        return boot;
    }

    @Override
    public int[] cpuid(int leaf, int subleaf) {
        return new int[4];
    }

    @Override
    public String bootId() {
        return "00000000-0000-0000-0000-000000000000";
    }
}
