package dev.linux4j.cpu;

/**
 * Thrown by an instruction's semantics to raise an x86 exception at that instruction; the
 * interpreter turns it into a {@link CpuExit.Fault}. Preallocated and stackless.
 */
public final class CpuTrap extends RuntimeException {
    public static final CpuTrap DIVIDE_ERROR = new CpuTrap(CpuExit.FaultKind.DIVIDE_ERROR);
    public static final CpuTrap INVALID_OPCODE = new CpuTrap(CpuExit.FaultKind.INVALID_OPCODE);
    public static final CpuTrap UNIMPLEMENTED = new CpuTrap(CpuExit.FaultKind.UNIMPLEMENTED_OPCODE);
    public static final CpuTrap GENERAL_PROTECTION = new CpuTrap(CpuExit.FaultKind.GENERAL_PROTECTION);
    public static final CpuTrap BREAKPOINT = new CpuTrap(CpuExit.FaultKind.BREAKPOINT);
    public static final CpuTrap X87_FP_ERROR = new CpuTrap(CpuExit.FaultKind.X87_FP_ERROR);
    public static final CpuTrap SIMD_FP_ERROR = new CpuTrap(CpuExit.FaultKind.SIMD_FP_ERROR);

    private final CpuExit.FaultKind kind;

    private CpuTrap(CpuExit.FaultKind kind) {
        super(kind.name(), null, false, false);
        this.kind = kind;
    }

    public CpuExit.FaultKind kind() {
        return kind;
    }
}
