package dev.linux4j.kernel;

import dev.linux4j.abi.Signal;
import dev.linux4j.abi.Siginfo;
import dev.linux4j.cpu.CpuExit;

/**
 * CPU exceptions as the signals Linux sends for them, with si_code, si_addr and the trap
 * number, error code and CR2 that sigcontext reports (arch/x86/kernel/traps.c, arch/x86/mm/fault.c).
 */
final class Traps {
    private Traps() {}

    // X86_TRAP_* (arch/x86/include/asm/trapnr.h)
    static final int TRAP_DE = 0;
    static final int TRAP_BP = 3;
    static final int TRAP_UD = 6;
    static final int TRAP_GP = 13;
    static final int TRAP_PF = 14;
    static final int TRAP_MF = 16;
    static final int TRAP_XF = 19;

    // Page-fault error code bits (X86_PF_*)
    private static final int PF_PROT = 1;
    private static final int PF_WRITE = 2;
    private static final int PF_USER = 4;
    private static final int PF_INSTR = 16;

    static Siginfo signalFor(Task t, CpuExit.Fault f) {
        long rip = f.rip();
        return switch (f.kind()) {
            case PAGE_NOT_MAPPED, PAGE_PROTECTION -> {
                boolean fetch = !f.write() && f.address() - rip >= 0 && f.address() - rip < 16 && f.bytes().length == 0
                        && f.address() == rip;
                // X86_PF_PROT means the page was present: a never-touched page has no frame yet.
                boolean present = f.kind() == CpuExit.FaultKind.PAGE_PROTECTION
                        && t.memory().residentPages(f.address(), f.address() + 1) != 0;
                int err = PF_USER | (present ? PF_PROT : 0)
                        | (f.write() ? PF_WRITE : 0) | (fetch ? PF_INSTR : 0);
                record(t, TRAP_PF, err, f.address());
                yield Siginfo.fault(Signal.SIGSEGV, f.kind() == CpuExit.FaultKind.PAGE_PROTECTION
                        ? Signal.SEGV_ACCERR : Signal.SEGV_MAPERR, f.address());
            }
            case PAGE_BEYOND_EOF -> {
                record(t, TRAP_PF, PF_USER | (f.write() ? PF_WRITE : 0), f.address());
                yield Siginfo.fault(Signal.SIGBUS, Signal.BUS_ADRERR, f.address());
            }
            case DIVIDE_ERROR -> {
                record(t, TRAP_DE, 0, t.trapAddress);
                yield Siginfo.fault(Signal.SIGFPE, Signal.FPE_INTDIV, rip);
            }
            case INVALID_OPCODE, UNIMPLEMENTED_OPCODE -> {
                record(t, TRAP_UD, 0, t.trapAddress);
                yield Siginfo.fault(Signal.SIGILL, Signal.ILL_ILLOPN, rip);
            }
            case BREAKPOINT -> {
                record(t, TRAP_BP, 0, t.trapAddress);
                yield Siginfo.kill(Signal.SIGTRAP, Siginfo.SI_KERNEL, 0, 0);
            }
            case GENERAL_PROTECTION -> generalProtection(t);
            case X87_FP_ERROR -> {
                record(t, TRAP_MF, 0, t.trapAddress);
                var x = t.cpu().x87;
                yield Siginfo.fault(Signal.SIGFPE, fpeCode(x.statusWord() & ~(x.control & 0x3f)), rip);
            }
            case SIMD_FP_ERROR -> {
                record(t, TRAP_XF, 0, t.trapAddress);
                int mxcsr = t.cpu().mxcsr;
                yield Siginfo.fault(Signal.SIGFPE, fpeCode(~(mxcsr >> 7) & mxcsr), rip);
            }
        };
    }

    /** HLT (privileged) and other #GP: SIGSEGV with SI_KERNEL and no address. */
    static Siginfo halt(Task t) {
        return generalProtection(t);
    }

    private static Siginfo generalProtection(Task t) {
        record(t, TRAP_GP, 0, t.trapAddress);
        return Siginfo.kill(Signal.SIGSEGV, Siginfo.SI_KERNEL, 0, 0);
    }

    /** fpu__exception_code. */
    private static int fpeCode(int err) {
        if ((err & 0x01) != 0) {
            return Siginfo.FPE_FLTINV;
        } else if ((err & 0x04) != 0) {
            return Siginfo.FPE_FLTDIV;
        } else if ((err & 0x08) != 0) {
            return Siginfo.FPE_FLTOVF;
        } else if ((err & 0x12) != 0) {
            return Siginfo.FPE_FLTUND;
        } else if ((err & 0x20) != 0) {
            return Siginfo.FPE_FLTRES;
        }
        return 0;
    }

    private static void record(Task t, int trapno, int err, long cr2) {
        t.trapNumber = trapno;
        t.trapError = err;
        t.trapAddress = cr2;
    }
}
