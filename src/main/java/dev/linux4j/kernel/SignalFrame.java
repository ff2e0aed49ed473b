package dev.linux4j.kernel;

import static dev.linux4j.abi.Sigcontext.*;

import dev.linux4j.abi.Siginfo;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.GuestFault;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds and unwinds the x86-64 rt_sigframe exactly as Linux does (arch/x86/kernel/signal.c
 * {@code get_sigframe}, signal_64.c {@code x64_setup_rt_frame} and {@code rt_sigreturn},
 * fpu/signal.c for an FXSR-only CPU): below the 128-byte red zone (or at the top of the
 * alternate stack), a 64-byte aligned 512-byte FXSAVE image, then the frame with the restorer as
 * its return address, aligned so the handler starts as if called (RSP = 16n + 8).
 */
final class SignalFrame {
    private SignalFrame() {}

    /** FIX_EFLAGS: the flags sigreturn may restore (AC OF DF TF SF ZF AF PF CF, NT, RF). */
    private static final long FIX_EFLAGS = Cpu.AC | Cpu.OF | Cpu.DF | Cpu.TF | Cpu.SF | Cpu.ZF | Cpu.AF | Cpu.PF
            | Cpu.CF | (1L << 14) | (1L << 16);

    /** __on_sig_stack. */
    static boolean onSigStack(Task t, long sp) {
        return Long.compareUnsigned(sp, t.altSp) > 0 && Long.compareUnsigned(sp - t.altSp, t.altSize) <= 0;
    }

    /** sas_ss_flags: SS_DISABLE without an alternate stack, SS_ONSTACK while running on it, else 0. */
    static int sasSsFlags(Task t, long sp) {
        if (t.altSize == 0) {
            return SS_DISABLE;
        }
        return (t.altFlags & SS_AUTODISARM) == 0 && onSigStack(t, sp) ? SS_ONSTACK : 0;
    }

    /** Sets up the frame and the registers for the handler; false if the frame cannot be written. */
    static boolean setup(Task t, int sig, Siginfo info, long[] act, long oldMask) {
        Cpu c = t.cpu();
        AddressSpace mem = t.memory();
        long flags = act[1];
        if ((flags & Signals.SA_RESTORER) == 0) {
            return false; // x86-64 has no vDSO restorer fallback: -EFAULT, force_sigsegv
        }
        long regsSp = c.r[Cpu.RSP];
        long sp = regsSp - 128;
        boolean nested = (t.altFlags & SS_AUTODISARM) == 0 && t.altSize != 0 && onSigStack(t, regsSp);
        boolean entering = false;
        long altSp;
        long altSize;
        int altFlags;
        synchronized (t.group().siglock) {
            altSp = t.altSp;
            altSize = t.altSize;
            altFlags = t.altFlags;
            if ((flags & Signals.SA_ONSTACK) != 0 && sasSsFlags(t, sp) == 0) {
                sp = t.altSp + t.altSize;
                entering = true;
            }
        }
        long fpstate = (sp - FXSAVE_SIZE) & ~63L;
        long frame = ((fpstate - FRAME_SIZE) & ~15L) - 8;
        if ((nested || entering) && !onSigStack(t, frame)) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(FRAME_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(PRETCODE, act[2]);
        b.putLong(UC_FLAGS, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
        b.putLong(UC_LINK, 0);
        b.putLong(UC_STACK, altSp);
        b.putInt(UC_STACK + 8, sasSsFlags(t, regsSp) | (altFlags & SS_AUTODISARM));
        b.putLong(UC_STACK + 16, altSize);
        for (int i = 0; i < 8; i++) {
            b.putLong(R8 + 8 * i, c.r[Cpu.R8 + i]);
        }
        b.putLong(RDI, c.r[Cpu.RDI]);
        b.putLong(RSI, c.r[Cpu.RSI]);
        b.putLong(RBP, c.r[Cpu.RBP]);
        b.putLong(RBX, c.r[Cpu.RBX]);
        b.putLong(RDX, c.r[Cpu.RDX]);
        b.putLong(RAX, c.r[Cpu.RAX]);
        b.putLong(RCX, c.r[Cpu.RCX]);
        b.putLong(RSP, regsSp);
        b.putLong(RIP, c.rip);
        b.putLong(EFLAGS, c.rflags());
        b.putShort(CS, (short) USER_CS);
        b.putShort(SS, (short) USER_DS);
        b.putLong(ERR, t.trapError);
        b.putLong(TRAPNO, t.trapNumber);
        b.putLong(OLDMASK, oldMask);
        b.putLong(CR2, t.trapAddress);
        b.putLong(FPSTATE, fpstate);
        b.putLong(UC_SIGMASK, oldMask);
        if ((flags & Signals.SA_SIGINFO) != 0) {
            b.put(INFO, info.bytes());
        }
        try {
            c.fxsaveTo(fpstate);
            ByteBuffer sw = ByteBuffer.allocate(FXSAVE_SIZE - 416).order(ByteOrder.LITTLE_ENDIAN);
            int swOff = SW_RESERVED - 416;
            sw.putInt(swOff, FP_XSTATE_MAGIC1);
            sw.putInt(swOff + 4, FXSAVE_SIZE + FP_XSTATE_MAGIC2_SIZE);
            sw.putLong(swOff + 8, 3); // XFEATURE_MASK_FPSSE
            sw.putInt(swOff + 16, FXSAVE_SIZE);
            mem.write(fpstate + 416, sw.array());
            if ((flags & Signals.SA_SIGINFO) != 0) {
                mem.write(frame, b.array());
            } else {
                mem.write(frame, b.array(), 0, INFO);
            }
        } catch (GuestFault f) {
            return false;
        }
        if (entering && (altFlags & SS_AUTODISARM) != 0) {
            synchronized (t.group().siglock) {
                t.altSp = 0;
                t.altSize = 0;
                t.altFlags = 0;
            }
        }
        c.r[Cpu.RDI] = sig;
        c.r[Cpu.RAX] = 0;
        c.r[Cpu.RSI] = frame + INFO;
        c.r[Cpu.RDX] = frame + UC;
        c.rip = act[0];
        c.r[Cpu.RSP] = frame;
        c.setRflags(c.rflags() & ~(Cpu.DF | Cpu.TF | (1L << 16)));
        // fpu__clear_user_states: the handler starts with the FPU in its initial state.
        c.x87.reset();
        java.util.Arrays.fill(c.x87.mantissa, 0);
        java.util.Arrays.fill(c.x87.signExp, 0);
        c.mxcsr = 0x1f80;
        java.util.Arrays.fill(c.xmm, 0);
        return true;
    }

    /**
     * rt_sigreturn: the frame sits at RSP - 8 (the handler's RET popped pretcode). Restores the
     * mask, the registers (RAX included), the FPU and the alternate stack; false on a bad frame.
     */
    static boolean restore(Task t) {
        Cpu c = t.cpu();
        AddressSpace mem = t.memory();
        long frame = c.r[Cpu.RSP] - 8;
        ByteBuffer b;
        try {
            b = ByteBuffer.wrap(mem.read(frame, INFO)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (GuestFault f) {
            return false;
        }
        long fpstate = b.getLong(FPSTATE);
        try {
            if (fpstate != 0) {
                int mxcsr = mem.read32(fpstate + 24);
                if ((mxcsr & ~0xffff) != 0) {
                    mem.write32(fpstate + 24, mxcsr & 0xffff); // mxcsr &= mxcsr_feature_mask
                }
                c.fxrstorFrom(fpstate);
            } else {
                c.x87.reset();
                c.mxcsr = 0x1f80;
                java.util.Arrays.fill(c.xmm, 0);
            }
        } catch (GuestFault f) {
            return false;
        }
        synchronized (t.group().siglock) {
            t.mask = b.getLong(UC_SIGMASK) & ~Signals.UNBLOCKABLE;
        }
        for (int i = 0; i < 8; i++) {
            c.r[Cpu.R8 + i] = b.getLong(R8 + 8 * i);
        }
        c.r[Cpu.RDI] = b.getLong(RDI);
        c.r[Cpu.RSI] = b.getLong(RSI);
        c.r[Cpu.RBP] = b.getLong(RBP);
        c.r[Cpu.RBX] = b.getLong(RBX);
        c.r[Cpu.RDX] = b.getLong(RDX);
        c.r[Cpu.RAX] = b.getLong(RAX);
        c.r[Cpu.RCX] = b.getLong(RCX);
        c.r[Cpu.RSP] = b.getLong(RSP);
        c.rip = b.getLong(RIP);
        c.setRflags((c.rflags() & ~FIX_EFLAGS) | (b.getLong(EFLAGS) & FIX_EFLAGS));
        // restore_altstack: do_sigaltstack(&uc_stack, NULL, sp), its errors ignored.
        setAltStack(t, b.getLong(UC_STACK), b.getInt(UC_STACK + 8), b.getLong(UC_STACK + 16), c.r[Cpu.RSP]);
        return true;
    }

    /**
     * do_sigaltstack's set half: EPERM while on the stack, EINVAL for bad flags, ENOMEM below
     * MINSIGSTKSZ; returns 0 or the positive errno.
     */
    static int setAltStack(Task t, long ssSp, int ssFlags, long ssSize, long sp) {
        synchronized (t.group().siglock) {
            if (t.altSize != 0 && (t.altFlags & SS_AUTODISARM) == 0 && onSigStack(t, sp)) {
                return 1; // EPERM
            }
            int mode = ssFlags & ~SS_AUTODISARM;
            if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0) {
                return 22; // EINVAL
            }
            if (mode == SS_DISABLE) {
                t.altSp = 0;
                t.altSize = 0;
                t.altFlags = 0;
            } else {
                if (ssSize < MINSIGSTKSZ) {
                    return 12; // ENOMEM
                }
                t.altSp = ssSp;
                t.altSize = ssSize;
                t.altFlags = ssFlags & SS_AUTODISARM;
            }
            return 0;
        }
    }
}
