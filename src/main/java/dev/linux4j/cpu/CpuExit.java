package dev.linux4j.cpu;

/**
 * Why the CPU stopped running guest code and handed control back to the kernel. The CPU knows
 * nothing of Linux; the kernel turns each exit into a syscall, a signal or a stop.
 */
public sealed interface CpuExit {
    /** SYSCALL executed: RIP is after it, RAX holds the number. */
    record Syscall() implements CpuExit {}

    /**
     * An exception the instruction at {@code rip} raised (RIP still points at it, except for
     * {@link FaultKind#BREAKPOINT}, a trap, where it points after).
     *
     * @param address the faulting data address for page faults, else 0
     * @param bytes the instruction bytes for invalid and unimplemented opcodes, else empty
     */
    record Fault(FaultKind kind, long rip, long address, boolean write, byte[] bytes) implements CpuExit {}

    /** HLT: privileged in user mode (Linux sends SIGSEGV). */
    record Halt(long rip) implements CpuExit {}

    /** The kernel asked the CPU to stop between instructions (signal, exit of the thread group). */
    record Interrupt() implements CpuExit {}

    CpuExit SYSCALL = new Syscall();
    CpuExit INTERRUPT = new Interrupt();

    /** The x86 exceptions a user-mode program can raise. */
    enum FaultKind {
        /** #PF on a page with no mapping. */
        PAGE_NOT_MAPPED,
        /** #PF on a page whose protection forbids the access. */
        PAGE_PROTECTION,
        /** A file mapping read beyond its file's end. */
        PAGE_BEYOND_EOF,
        /** #DE: division by zero or quotient overflow. */
        DIVIDE_ERROR,
        /** #UD from an opcode x86-64 defines as invalid (UD2, bad encodings). */
        INVALID_OPCODE,
        /** #UD from an opcode the CPU does not implement (yet). */
        UNIMPLEMENTED_OPCODE,
        /** #BP: INT3. */
        BREAKPOINT,
        /** #GP: privileged instruction, misaligned SSE operand, non-canonical address. */
        GENERAL_PROTECTION,
        /** #MF: unmasked x87 floating-point exception. */
        X87_FP_ERROR,
        /** #XM: unmasked SIMD floating-point exception. */
        SIMD_FP_ERROR
    }
}
