package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.kernel.Ptrace;
import dev.linux4j.kernel.Task;
import dev.linux4j.kernel.Threads;
import dev.linux4j.memory.GuestFault;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ptrace(2), the requests of {@link Ptrace}: attach to a thread, wait for it to stop, read its
 * registers (PTRACE_GETREGS, PTRACE_GETFPREGS, PTRACE_GETREGSET's NT_PRSTATUS and NT_FPREGSET)
 * and memory (PTRACE_PEEKDATA,
 * PTRACE_POKEDATA), continue it, detach, kill. Every other request is EIO, as Linux answers a
 * request it does not know.
 */
final class PtraceSyscalls {
    private PtraceSyscalls() {}

    // <linux/ptrace.h>
    static final int PTRACE_PEEKTEXT = 1;
    static final int PTRACE_PEEKDATA = 2;
    static final int PTRACE_POKETEXT = 4;
    static final int PTRACE_POKEDATA = 5;
    static final int PTRACE_CONT = 7;
    static final int PTRACE_KILL = 8;
    static final int PTRACE_GETREGS = 12;
    static final int PTRACE_GETFPREGS = 14;
    static final int PTRACE_ATTACH = 16;
    static final int PTRACE_DETACH = 17;
    static final int PTRACE_GETREGSET = 0x4204;
    /** <elf.h>: the general registers' regset, struct user_regs_struct. */
    static final int NT_PRSTATUS = 1;
    /** <elf.h>: the x87 and SSE registers' regset, struct user_fpregs_struct (FXSAVE's image). */
    static final int NT_FPREGSET = 2;
    /** <elf.h>: the XSAVE area; linux4j's CPU has no XSAVE (CPUID), so there is none. */
    static final int NT_X86_XSTATE = 0x202;
    /** sizeof(struct user_regs_struct) on x86-64: 27 longs. */
    static final int USER_REGS_SIZE = 27 * 8;

    /** ptrace(2): {@code long ptrace(long request, pid_t pid, void *addr, void *data)}. */
    static long ptrace(Task task, SyscallArgs args) {
        long request = args.raw(0);
        int pid = args.int32(1);
        long addr = args.raw(2);
        long data = args.raw(3);
        if (request == PTRACE_ATTACH) {
            Task target = Threads.findTask(task.kernel(), pid);
            if (target == null || target.hasExited()) {
                throw ErrnoException.of(Errno.ESRCH);
            }
            Ptrace.attach(task, target);
            return 0;
        }
        if (request == PTRACE_KILL) {
            Task t = Threads.findTask(task.kernel(), pid);
            if (t == null) {
                throw ErrnoException.of(Errno.ESRCH);
            }
            Ptrace.kill(task, t);
            return 0;
        }
        Task t = Ptrace.stoppedTracee(task, pid);
        if (request != (int) request) {
            throw ErrnoException.of(Errno.EIO); // no request has bits above 31 (the switch below would drop them)
        }
        switch ((int) request) {
            case PTRACE_PEEKTEXT, PTRACE_PEEKDATA -> {
                long word;
                try {
                    word = t.memory().read64(addr);
                } catch (GuestFault f) {
                    throw ErrnoException.of(Errno.EIO); // ptrace_readdata: access_process_vm read nothing
                }
                task.memory().write64(data, word);
                return 0;
            }
            case PTRACE_POKETEXT, PTRACE_POKEDATA -> {
                try {
                    t.memory().write64(addr, data);
                } catch (GuestFault f) {
                    throw ErrnoException.of(Errno.EIO);
                }
                return 0;
            }
            case PTRACE_CONT -> {
                Ptrace.resume(t, (int) data, false);
                return 0;
            }
            case PTRACE_DETACH -> {
                Ptrace.resume(t, (int) data, true);
                return 0;
            }
            case PTRACE_GETREGS -> {
                task.memory().write(data, userRegs(t));
                return 0;
            }
            case PTRACE_GETFPREGS -> {
                task.memory().write(data, t.cpu().fxsaveImage());
                return 0;
            }
            case PTRACE_GETREGSET -> {
                if (addr != (int) addr) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                byte[] regs = switch ((int) addr) {
                    case NT_PRSTATUS -> userRegs(t);
                    case NT_FPREGSET -> t.cpu().fxsaveImage();
                    case NT_X86_XSTATE -> throw ErrnoException.of(Errno.ENODEV); // xstateregs_get without XSAVE
                    default -> throw ErrnoException.of(Errno.EINVAL); // no other regset here
                };
                long base = task.memory().read64(data);
                long len = task.memory().read64(data + 8);
                if (len % 8 != 0) {
                    throw ErrnoException.of(Errno.EINVAL); // ptrace_regset: whole 8-byte words only
                }
                int n = Long.compareUnsigned(len, regs.length) < 0 ? (int) len : regs.length;
                task.memory().write(base, regs, 0, n);
                task.memory().write64(data + 8, n); // ptrace_regset: iov_len becomes what was copied
                return 0;
            }
            default -> throw ErrnoException.of(Errno.EIO);
        }
    }

    /**
     * struct user_regs_struct (arch/x86/include/asm/user_64.h) of a stopped tracee: r15 ... rdi,
     * orig_rax, rip, cs, eflags, rsp, ss, fs_base, gs_base, ds, es, fs, gs.
     */
    static byte[] userRegs(Task t) {
        Cpu c = t.cpu();
        long[] r = c.r;
        ByteBuffer b = ByteBuffer.allocate(USER_REGS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int n : new int[] {Cpu.R15, Cpu.R14, Cpu.R13, Cpu.R12, Cpu.RBP, Cpu.RBX, Cpu.R11, Cpu.R10, Cpu.R9, Cpu.R8,
                Cpu.RAX, Cpu.RCX, Cpu.RDX, Cpu.RSI, Cpu.RDI}) {
            b.putLong(r[n]);
        }
        b.putLong(Ptrace.stoppedSyscall(t));
        b.putLong(c.rip);
        b.putLong(0x33); // __USER_CS
        b.putLong(c.rflags());
        b.putLong(r[Cpu.RSP]);
        b.putLong(0x2b); // __USER_DS
        b.putLong(c.fsBase);
        b.putLong(c.gsBase);
        return b.array(); // ds, es, fs, gs: 0
    }
}
