package dev.linux4j.kernel;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.cpu.CodeCache;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.Instructions;
import dev.linux4j.memory.AddressSpace;
import java.util.concurrent.CountDownLatch;

/**
 * fork(2), vfork(2) and clone(2) for new processes (kernel/fork.c {@code copy_process}): the
 * child gets a copy of the address space (or shares it with CLONE_VM, as vfork and
 * posix_spawn do), a copy of the descriptor table, the working directory, umask, dispositions,
 * mask and alternate stack, and runs on its own Java thread (DESIGN.md decision 5).
 */
public final class Fork {
    private Fork() {}

    // include/uapi/linux/sched.h
    public static final long CSIGNAL = 0xff;
    public static final long CLONE_VM = 0x100;
    public static final long CLONE_FS = 0x200;
    public static final long CLONE_FILES = 0x400;
    public static final long CLONE_SIGHAND = 0x800;
    public static final long CLONE_VFORK = 0x4000;
    public static final long CLONE_PARENT = 0x8000;
    public static final long CLONE_THREAD = 0x10000;
    public static final long CLONE_SETTLS = 0x80000;
    public static final long CLONE_PARENT_SETTID = 0x100000;
    public static final long CLONE_CHILD_CLEARTID = 0x200000;
    public static final long CLONE_CHILD_SETTID = 0x1000000;

    /** Flags this implementation accepts without CLONE_THREAD (the rest are namespaces and the like). */
    private static final long SUPPORTED = CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_VFORK | CLONE_PARENT
            | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | 0x400000 /* DETACHED */
            | 0x800000 /* UNTRACED */ | 0x2000 /* PTRACE */ | Threads.CLONE_SYSVSEM | Threads.CLONE_IO
            | Threads.CLONE_CLEAR_SIGHAND;

    /** Creates a child process; returns its pid (the child sees 0 in RAX). */
    public static int clone(Task parent, long flags, long newSp, long parentTid, long childTid, long tls) {
        Threads.checkFlags(flags);
        if ((flags & CLONE_THREAD) != 0) {
            return Threads.clone(parent, flags, newSp, parentTid, childTid, tls);
        }
        if ((flags & CLONE_SIGHAND) != 0) {
            throw ErrnoException.of(Errno.EINVAL); // a process sharing its parent's handlers: not supported
        }
        if ((flags & ~SUPPORTED) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Kernel kernel = parent.kernel();
        ThreadGroup pg = parent.group();
        boolean shareVm = (flags & CLONE_VM) != 0;
        // Copy-on-write unless other threads run in the parent's address space: they may hold
        // write translations that would let their stores reach the child's pages.
        AddressSpace space = shareVm ? pg.space() : pg.space().fork(pg.tasks().size() > 1);
        CodeCache cache = shareVm ? pg.codeCache() : newCodeCache(kernel, space);
        int pid = kernel.tree().allocatePid();
        ThreadGroup realParent = pg;
        if ((flags & CLONE_PARENT) != 0 && pg.parent != null) {
            realParent = pg.parent;
        }
        ThreadGroup child = new ThreadGroup(kernel, pid, realParent, pg.files().fork(), pg.cwd(), pg.umask(),
                pg.credentials());
        child.inheritFrom(pg, space, cache, !shareVm);
        child.shareFs((flags & CLONE_FS) != 0 ? pg.fs() : pg.fs().copy());
        child.exitSignal = (int) (flags & CSIGNAL);
        if ((flags & Threads.CLONE_CLEAR_SIGHAND) != 0) {
            child.signalActions().resetHandled();
        }
        Task task = new Task(kernel, child, pid);
        task.inheritScheduling(parent);
        task.newCpu();
        copyRegisters(parent.cpu(), task.cpu());
        Cpu c = task.cpu();
        c.r[Cpu.RAX] = 0;
        if (newSp != 0) {
            c.r[Cpu.RSP] = newSp;
        }
        if ((flags & CLONE_SETTLS) != 0) {
            c.fsBase = tls;
        }
        synchronized (pg.siglock) {
            task.mask = parent.mask;
            if (!shareVm || (flags & CLONE_VFORK) != 0) {
                task.altSp = parent.altSp;
                task.altSize = parent.altSize;
                task.altFlags = parent.altFlags;
            }
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            parent.memory().write32(parentTid, pid);
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            space.write32(childTid, pid);
        }
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            task.setClearChildTid(childTid);
        }
        CountDownLatch vfork = (flags & CLONE_VFORK) != 0 ? new CountDownLatch(1) : null;
        child.vforkDone = vfork;
        TaskThreads.start("linux4j pid " + pid, task::run);
        if (vfork != null) {
            awaitVfork(vfork);
        }
        return pid;
    }

    private static CodeCache newCodeCache(Kernel kernel, AddressSpace space) {
        CodeCache cache = new CodeCache(space, Instructions.decoder());
        cache.setCompiler(kernel.config().compiler(), kernel.config().compileThreshold());
        return cache;
    }

    /** wait_for_vfork_done: the parent sleeps until the child execs or exits. */
    private static void awaitVfork(CountDownLatch done) {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.interrupted();
        }
    }

    /** The child's CPU starts as a copy of the parent's at the instruction after the syscall. */
    static void copyRegisters(Cpu from, Cpu to) {
        System.arraycopy(from.r, 0, to.r, 0, from.r.length);
        to.rip = from.rip;
        to.fsBase = from.fsBase;
        to.gsBase = from.gsBase;
        to.setRflags(from.rflags());
        System.arraycopy(from.xmm, 0, to.xmm, 0, from.xmm.length);
        to.mxcsr = from.mxcsr;
        var a = from.x87;
        var b = to.x87;
        System.arraycopy(a.mantissa, 0, b.mantissa, 0, 8);
        System.arraycopy(a.signExp, 0, b.signExp, 0, 8);
        b.control = a.control;
        b.status = a.status;
        b.top = a.top;
        b.tag = a.tag;
        b.fip = a.fip;
        b.fdp = a.fdp;
        b.fop = a.fop;
    }
}
