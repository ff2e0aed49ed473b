package dev.linux4j.fs.proc;

import dev.linux4j.vfs.SysvIpcView;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * /proc/sysvipc (ipc/util.c's ipc_init_proc_interface): shm, sem and msg, one line per System V
 * IPC object in index order under a header, in the columns of sysvipc_shm_proc_show,
 * sysvipc_sem_proc_show and sysvipc_msg_proc_show for a 64-bit kernel. ipcs(1) reads them.
 */
final class SysvIpcFiles {
    private SysvIpcFiles() {}

    /** proc_match's order of the three entries. */
    private static final List<String> NAMES = List.of("msg", "sem", "shm");

    static final String SHM_HEADER = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid"
            + "  cuid  cgid      atime      dtime      ctime                   rss                  swap\n";
    static final String SEM_HEADER = "       key      semid perms      nsems   uid   gid  cuid  cgid      otime"
            + "      ctime\n";
    static final String MSG_HEADER = "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid"
            + "  cgid      stime      rtime      ctime\n";

    /** The directory, dr-xr-xr-x. */
    static ProcNode dir(ProcFileSystem fs) {
        return new ProcNode.Dir(fs.rootAttr(0555), () -> NAMES, name -> file(fs, name), () -> 0);
    }

    private static ProcNode file(ProcFileSystem fs, String name) {
        Supplier<String> text = switch (name) {
            case "shm" -> () -> shm(fs.processes().sysvipc());
            case "sem" -> () -> sem(fs.processes().sysvipc());
            case "msg" -> () -> msg(fs.processes().sysvipc());
            default -> null;
        };
        return text == null ? null
                : new ProcNode.File(fs.rootAttr(0444), () -> text.get().getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10llu %10llu %10llu %21lu %21lu\n"}. */
    static String shm(SysvIpcView ipc) {
        StringBuilder b = new StringBuilder(SHM_HEADER);
        for (SysvIpcView.Shm s : ipc.segments()) {
            b.append(String.format("%10d %10d  %4o %21s %5s %5s  %5s %5s %5s %5s %5s %10s %10s %10s %21s %21s\n",
                    s.key(), s.id(), s.mode(), ul(s.size()), u(s.cpid()), u(s.lpid()), ul(s.nattch()), u(s.uid()),
                    u(s.gid()), u(s.cuid()), u(s.cgid()), ul(s.atime()), ul(s.dtime()), ul(s.ctime()), ul(s.rss()),
                    ul(s.swap())));
        }
        return b.toString();
    }

    /** {@code "%10d %10d  %4o %10u %5u %5u %5u %5u %10llu %10llu\n"}. */
    static String sem(SysvIpcView ipc) {
        StringBuilder b = new StringBuilder(SEM_HEADER);
        for (SysvIpcView.Sem s : ipc.semaphoreSets()) {
            b.append(String.format("%10d %10d  %4o %10s %5s %5s %5s %5s %10s %10s\n", s.key(), s.id(), s.mode(),
                    u(s.nsems()), u(s.uid()), u(s.gid()), u(s.cuid()), u(s.cgid()), ul(s.otime()), ul(s.ctime())));
        }
        return b.toString();
    }

    /** {@code "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu\n"}. */
    static String msg(SysvIpcView ipc) {
        StringBuilder b = new StringBuilder(MSG_HEADER);
        for (SysvIpcView.Msg m : ipc.messageQueues()) {
            b.append(String.format("%10d %10d  %4o  %10s %10s %5s %5s %5s %5s %5s %5s %10s %10s %10s\n", m.key(), m.id(),
                    m.mode(), ul(m.cbytes()), ul(m.qnum()), u(m.lspid()), u(m.lrpid()), u(m.uid()), u(m.gid()),
                    u(m.cuid()), u(m.cgid()), ul(m.stime()), ul(m.rtime()), ul(m.ctime())));
        }
        return b.toString();
    }

    /** %u of an int. */
    private static String u(int v) {
        return Integer.toUnsignedString(v);
    }

    /** %lu of a long. */
    private static String ul(long v) {
        return Long.toUnsignedString(v);
    }
}
