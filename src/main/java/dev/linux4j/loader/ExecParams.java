package dev.linux4j.loader;

import java.util.List;

/**
 * What execve(2) passes to the image loader besides the file.
 *
 * @param argv argument strings, without their terminating NULs
 * @param envp environment strings, without their terminating NULs
 * @param execfn the pathname given to execve (AT_EXECFN points at its copy on the stack)
 * @param uid real user id (AT_UID)
 * @param euid effective user id (AT_EUID)
 * @param gid real group id (AT_GID)
 * @param egid effective group id (AT_EGID)
 * @param secure AT_SECURE: set-user-ID style execution, the dynamic linker's secure mode
 * @param random16 the 16 bytes AT_RANDOM points at
 * @param hwcap AT_HWCAP: CPUID.1:EDX as the guest CPU reports it
 * @param hwcap2 AT_HWCAP2: x86 HWCAP2_* bits (HWCAP2_FSGSBASE = 2)
 * @param platform AT_PLATFORM string, "x86_64"
 * @param minSigStkSz AT_MINSIGSTKSZ: the signal frame size for the guest's xsave layout
 */
public record ExecParams(
        List<byte[]> argv,
        List<byte[]> envp,
        byte[] execfn,
        int uid,
        int euid,
        int gid,
        int egid,
        boolean secure,
        byte[] random16,
        long hwcap,
        long hwcap2,
        String platform,
        long minSigStkSz) {}
