package dev.linux4j.kernel;

import dev.linux4j.cpu.BlockCompiler;
import dev.linux4j.vfs.Vfs;
import java.io.PrintStream;
import java.util.random.RandomGenerator;

/**
 * What a kernel instance is built from (the CLI and the embedding API fill it in).
 *
 * @param vfs the guest file tree
 * @param osRelease what uname reports as the release (FreeBSD's compat.linux.osrelease)
 * @param hostname what uname reports as the node name
 * @param credentials the first process's identity
 * @param umask the first process's umask
 * @param ignoredSignals the signals the first process starts with ignored (bit n-1 for signal
 *     n), as execve keeps SIG_IGN dispositions from the process that started it
 * @param random the kernel's random bytes (getrandom, AT_RANDOM, boot_id)
 * @param strace where --strace writes, or null
 * @param warnUnimplemented report each unimplemented syscall once on {@code diagnostics}
 * @param diagnostics where linux4j's own one-line messages go (the JVM's stderr)
 * @param cpuCount CPUs the guest is told it has
 * @param compiler the JIT, or null to interpret only
 * @param compileThreshold interpretations of a block, longer blocks weighing more, before the JIT translates it
 */
public record KernelConfig(Vfs vfs, String osRelease, String hostname, Credentials credentials, int umask,
        long ignoredSignals, RandomGenerator random,
        PrintStream strace, boolean warnUnimplemented, PrintStream diagnostics, int cpuCount,
        BlockCompiler compiler, int compileThreshold) {}
