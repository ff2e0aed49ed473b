package dev.linux4j.abi;

/**
 * The x86-64 signal frame, as arch/x86/include/asm/sigframe.h and uapi/asm/sigcontext.h lay it
 * out: {@code struct rt_sigframe { char *pretcode; struct ucontext uc; struct siginfo info; }},
 * {@code struct ucontext { unsigned long uc_flags; struct ucontext *uc_link; stack_t uc_stack;
 * struct sigcontext uc_mcontext; sigset_t uc_sigmask; }}, and {@code struct sigcontext_64}:
 * r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags, u16 cs, gs, fs, ss, err, trapno,
 * oldmask, cr2, fpstate pointer, reserved1[8]. Offsets are from the start of the rt_sigframe.
 */
public final class Sigcontext {
    private Sigcontext() {}

    public static final int PRETCODE = 0;
    public static final int UC = 8;
    public static final int UC_FLAGS = UC;
    public static final int UC_LINK = UC + 8;
    public static final int UC_STACK = UC + 16;
    /** struct sigcontext within the frame. */
    public static final int MCONTEXT = UC + 40;
    public static final int R8 = MCONTEXT;
    public static final int RDI = MCONTEXT + 64;
    public static final int RSI = MCONTEXT + 72;
    public static final int RBP = MCONTEXT + 80;
    public static final int RBX = MCONTEXT + 88;
    public static final int RDX = MCONTEXT + 96;
    public static final int RAX = MCONTEXT + 104;
    public static final int RCX = MCONTEXT + 112;
    public static final int RSP = MCONTEXT + 120;
    public static final int RIP = MCONTEXT + 128;
    public static final int EFLAGS = MCONTEXT + 136;
    public static final int CS = MCONTEXT + 144;
    public static final int GS = MCONTEXT + 146;
    public static final int FS = MCONTEXT + 148;
    public static final int SS = MCONTEXT + 150;
    public static final int ERR = MCONTEXT + 152;
    public static final int TRAPNO = MCONTEXT + 160;
    public static final int OLDMASK = MCONTEXT + 168;
    public static final int CR2 = MCONTEXT + 176;
    public static final int FPSTATE = MCONTEXT + 184;
    /** sizeof(struct sigcontext_64). */
    public static final int SIGCONTEXT_SIZE = 256;
    public static final int UC_SIGMASK = MCONTEXT + SIGCONTEXT_SIZE;
    public static final int INFO = UC_SIGMASK + 8;
    /** sizeof(struct rt_sigframe). */
    public static final int FRAME_SIZE = INFO + Siginfo.SIZE;

    /** uc_flags bits (arch/x86/include/uapi/asm/ucontext.h). */
    public static final long UC_FP_XSTATE = 0x1;
    public static final long UC_SIGCONTEXT_SS = 0x2;
    public static final long UC_STRICT_RESTORE_SS = 0x4;

    /** __USER_CS and __USER_DS on x86-64. */
    public static final int USER_CS = 0x33;
    public static final int USER_DS = 0x2b;

    /** sizeof(struct fxregs_state); the FXSR-only math frame, 64-byte aligned. */
    public static final int FXSAVE_SIZE = 512;
    /** struct _fpx_sw_bytes sits in the FXSAVE image's software-reserved bytes 464-511. */
    public static final int SW_RESERVED = 464;
    public static final int FP_XSTATE_MAGIC1 = 0x46505853;
    public static final int FP_XSTATE_MAGIC2 = 0x46505845;
    public static final int FP_XSTATE_MAGIC2_SIZE = 4;

    /** stack_t: {@code void *ss_sp; int ss_flags; size_t ss_size;}. */
    public static final int SS_ONSTACK = 1;
    public static final int SS_DISABLE = 2;
    public static final int SS_AUTODISARM = 1 << 31;
    public static final int MINSIGSTKSZ = 2048;
}
