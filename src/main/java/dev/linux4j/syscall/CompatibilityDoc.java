package dev.linux4j.syscall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Generates docs/syscalls.md, the compatibility document, from the {@link SyscallTable}:
 * every x86-64 syscall with its support level and note. A test fails when the committed
 * document differs from what the table generates; regenerate with
 * {@code java -cp .build/linux4j.jar dev.linux4j.syscall.CompatibilityDoc docs/syscalls.md}.
 */
public final class CompatibilityDoc {
    private CompatibilityDoc() {}

    /** The document's full text. */
    public static String render(SyscallTable table) {
        var entries = table.entries();
        long supported = entries.stream().filter(e -> e.support() == Support.SUPPORTED).count();
        long partial = entries.stream().filter(e -> e.support() == Support.PARTIAL).count();
        long unimplemented = entries.stream().filter(e -> e.support() == Support.UNIMPLEMENTED).count();
        StringBuilder s = new StringBuilder();
        s.append("# linux4j system-call compatibility\n\n");
        s.append("Generated from `SyscallTable.java` by `CompatibilityDoc`; do not edit by hand.\n");
        s.append("The table follows the x86-64 `syscall_64.tbl` of Linux 6.12 (numbers 0-462).\n\n");
        s.append(String.format("%d syscalls: %d supported, %d partial, %d unimplemented.%n%n", entries.size(),
                supported, partial, unimplemented));
        s.append("An unimplemented call returns its errno; linux4j names it once in the `--strace` log, or on\n");
        s.append("stderr with `--warn-unimplemented`.\n\n");
        s.append("| nr | name | support | arguments | note |\n|---:|---|---|---|---|\n");
        for (SyscallEntry e : entries) {
            String args = Arrays.stream(e.args()).map(a -> a.name().toLowerCase()).collect(Collectors.joining(", "));
            String support = switch (e.support()) {
                case SUPPORTED -> "supported";
                case PARTIAL -> "partial";
                case UNIMPLEMENTED -> "unimplemented (" + e.errno().name() + ")";
            };
            s.append(String.format("| %d | %s | %s | %s | %s |%n", e.number(), e.name(), support, args,
                    e.note().replace("|", "\\|")));
        }
        return s.toString();
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/syscalls.md");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, render(SyscallTable.linux()));
    }
}
