package dev.linux4j.syscall;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.kernel.SyscallGate;
import dev.linux4j.kernel.Task;
import dev.linux4j.memory.GuestFault;
import java.io.PrintStream;

/**
 * The system-call entry: looks the number up in the {@link SyscallTable}, decodes the
 * arguments, runs the handler and writes the result to RAX — the value, or {@code -errno}
 * from an {@link ErrnoException} (DESIGN.md decision 6). A guest pointer the handler could not
 * follow is EFAULT, as copy_from_user gives. Writes the --strace line.
 */
public final class Dispatcher implements SyscallGate {
    private final SyscallTable table;

    public Dispatcher(SyscallTable table) {
        this.table = table;
    }

    @Override
    public void syscall(Task task) {
        Cpu cpu = task.cpu();
        long nr = cpu.r[Cpu.RAX];
        SyscallArgs args = new SyscallArgs();
        args.load(cpu);
        SyscallEntry entry = table.get(nr);
        PrintStream strace = task.kernel().config().strace();
        if (strace != null && Strace.inUserModeOnLinux(nr, (int) args.raw(0))
                && "[vdso]".equals(task.memory().mappingNameAt(cpu.rip))) {
            strace = null;
        }
        String before = null;
        if (strace != null) {
            before = entry == null ? "syscall_0x" + Long.toHexString(nr) + "(" + Strace.rawArgs(args) + ")"
                    : Strace.beforeCall(task, entry, args);
        }
        long result;
        if (entry == null || entry.support() == Support.UNIMPLEMENTED) {
            Errno errno = entry == null ? Errno.ENOSYS : entry.errno();
            String name = entry == null ? "syscall " + nr : entry.name();
            boolean warn = task.kernel().config().warnUnimplemented();
            if (strace != null || warn) {
                // On stderr with --warn-unimplemented; otherwise in the strace log, wherever it goes.
                task.kernel().reportOnce("syscall:" + nr, "unimplemented syscall " + name + " (" + nr + ")"
                        + (entry != null && !entry.note().isEmpty() ? ": " + entry.note() : ""),
                        warn ? task.kernel().config().diagnostics() : strace);
            }
            result = errno.negated();
        } else {
            try {
                result = entry.handler().handle(task, args);
            } catch (ErrnoException e) {
                result = e.errno().negated();
            } catch (GuestFault f) {
                result = Errno.EFAULT.negated();
            } catch (dev.linux4j.vfs.RestartSyscall r) {
                result = -r.code();
            }
        }
        if (task.group().exiting() && entry != null
                && (entry.name().equals("exit_group") || entry.name().equals("exit"))) {
            if (strace != null) {
                Strace.exit(strace, before, task);
            }
            return;
        }
        cpu.r[Cpu.RAX] = result;
        if (strace != null) {
            Strace.afterCall(strace, task, entry, args, before, result);
        }
    }
}
