package dev.linux4j.vfs;

/**
 * The kernel as procfs sees it: which guest process is asking, every live process by pid, and
 * the machine-wide facts /proc reports (kernel release, CPU identification, uptime). The kernel
 * implements it; procfs sits below the kernel and reaches it only through this interface.
 */
public interface ProcessDirectory {
    /** The process of the guest thread making the current call, or null outside a guest thread. */
    ProcessView current();

    /** The thread id of the guest thread making the current call, or 0 outside one. */
    int currentTid();

    /** A live process by pid, or null. */
    ProcessView byPid(int pid);

    /** Pids of the live processes, ascending. */
    int[] pids();

    /** How many processes are live (/proc's link count, at every path walk through it). */
    default int count() {
        return pids().length;
    }

    /** The pid given to the most recently created process or thread (loadavg's last field). */
    int lastPid();

    /** The release uname reports ("6.12.0"). */
    String osRelease();

    /** uname's version field ("#1 SMP ..."). */
    String osVersion();

    /** uname's node name. */
    String hostname();

    /** uname's domain name: "(none)" until setdomainname(2). */
    default String domainname() {
        return "(none)";
    }

    /** CPUs the guest is told it has. */
    int cpuCount();

    /** Nanoseconds since this kernel booted. */
    long uptimeNanos();

    /** The wall-clock time of the boot, in seconds since the epoch (btime). */
    long bootTimeSeconds();

    /** The registers CPUID returns for a leaf and subleaf, as {EAX, EBX, ECX, EDX}. */
    int[] cpuid(int leaf, int subleaf);

    /** The kernel's random boot id (/proc/sys/kernel/random/boot_id), fixed for its lifetime. */
    String bootId();

    /** kernel.core_pattern (/proc/sys/kernel/core_pattern), which decides the core-dump status. */
    default String corePattern() {
        return "core";
    }

    /** A new random version 4 UUID on every call (/proc/sys/kernel/random/uuid). */
    default String randomUuid() {
        return java.util.UUID.randomUUID().toString();
    }

    /** The System V IPC objects (/proc/sysvipc). */
    default SysvIpcView sysvipc() {
        return SysvIpcView.NONE;
    }
}
