package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linux4j.cpu.jit.ClassfileBlockCompiler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Hot blocks are translated on the translator's thread while the guest thread interprets on. */
class TranslatorTest {
    /** Records which blocks were translated, and on which thread. */
    private static final class Recording implements BlockCompiler {
        final BlockCompiler real = new ClassfileBlockCompiler();
        final List<Long> starts = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public CompiledBlock compile(Block block) {
            return compile(block, null);
        }

        @Override
        public CompiledBlock compile(Block block, CodeCache cache) {
            starts.add(block.start());
            threads.add(Thread.currentThread().getName());
            return real.compile(block, cache);
        }
    }

    private static final String LOOP = """
            mov ecx, 300000
            xor eax, eax
            xor ebx, ebx
            top:
            add rax, rcx
            test ecx, 1
            jz even
            inc rbx
            even:
            dec ecx
            jnz top
            """;

    @Test
    void aHotLoopIsTranslatedInTheBackgroundAndItsOtherBlocksAreNotTranslatedAgain() throws Exception {
        // The translator is shared by the JVM: earlier tests' translations must not fill its
        // queue, or the loop's first block could be turned away while the others are taken.
        for (int i = 0; i < 1000 && Translator.queued() > 0; i++) {
            Thread.sleep(10);
        }
        CpuHarness h = CpuHarness.ofAsm(LOOP);
        Recording jit = new Recording();
        h.cpu.codeCache().setCompiler(jit, 1000);
        h.runToEnd();
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(300000L * 300001 / 2);
        assertThat(h.cpu.r[Cpu.RBX]).isEqualTo(150000L);

        long top = CpuHarness.CODE + CpuHarness.assemble("mov ecx, 300000\nxor eax, eax\nxor ebx, ebx").length;
        Block loop = h.cpu.codeCache().block(top);
        for (int i = 0; i < 1000 && loop.compiled == null; i++) {
            Thread.sleep(10);
        }
        assertThat(loop.compiled).as("the loop's region").isNotNull();
        assertThat(jit.threads).as("translating threads").containsOnly("linux4j-translator");
        // The loop's first block became hot first; its region took in the other two, which
        // became hot while it was being translated: they are not translated on their own.
        assertThat(jit.starts).as("translated blocks").containsExactly(top);
    }

    @Test
    void thresholdOneTranslatesInTheGuestThreadBeforeTheBlockFirstRuns() {
        CpuHarness h = CpuHarness.ofAsm(LOOP);
        Recording jit = new Recording();
        h.cpu.codeCache().setCompiler(jit, 1);
        h.runToEnd();
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(300000L * 300001 / 2);
        assertThat(jit.threads).isNotEmpty().containsOnly(Thread.currentThread().getName());
        assertThat(jit.starts.getFirst()).isEqualTo(CpuHarness.CODE);
    }
}
