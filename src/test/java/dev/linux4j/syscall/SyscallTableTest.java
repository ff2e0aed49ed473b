package dev.linux4j.syscall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linux4j.abi.Sysno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyscallTableTest {
    private final SyscallTable table = SyscallTable.linux();

    @Test
    void everySyscallNumberOfTheHostHeadersHasARow() throws IOException {
        Path header = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(header), "no Linux headers on this host");
        Matcher m = Pattern.compile("#define __NR_(\\w+) (\\d+)").matcher(Files.readString(header));
        int count = 0;
        while (m.find()) {
            SyscallEntry e = table.get(Integer.parseInt(m.group(2)));
            assertThat(e).as("row for %s", m.group(1)).isNotNull();
            assertThat(e.name()).isEqualTo(m.group(1));
            count++;
        }
        assertThat(count).isGreaterThan(300);
    }

    @Test
    void everyNumberedSyscallHasExactlyOneRowWithAHandlerOrAnErrno() {
        for (int nr = 0; nr < Sysno.NR_syscalls; nr++) {
            String name = Sysno.name(nr);
            SyscallEntry e = table.get(nr);
            if (name == null) {
                assertThat(e).isNull();
                continue;
            }
            assertThat(e).as("row for %s", name).isNotNull();
            if (e.support() == Support.UNIMPLEMENTED) {
                assertThat(e.errno()).as(name).isNotNull();
                assertThat(e.note()).as(name).isNotBlank();
            } else {
                assertThat(e.handler()).as(name).isNotNull();
            }
            if (e.support() == Support.PARTIAL) {
                assertThat(e.note()).as("partial %s says what is missing", name).isNotBlank();
            }
        }
    }

    @Test
    void theCompatibilityDocumentIsGeneratedFromTheTable() throws IOException {
        String committed = Files.readString(Path.of("docs/syscalls.md"));
        assertThat(committed).as("docs/syscalls.md is stale: regenerate it with CompatibilityDoc")
                .isEqualTo(CompatibilityDoc.render(table));
    }
}
