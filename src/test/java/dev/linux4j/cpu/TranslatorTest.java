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

    /**
     * After an interpreted run, a region stops at a block that is already the entry of a compiled
     * region (it exits there and chains to it) instead of compiling that block's code again.
     */
    @Test
    void aRegionStopsAtTheEntryOfAnotherRegion() {
        String asm = """
                mov ecx, 10
            1:  add rax, rcx
                jmp 2f
            2:  add rbx, rax
                jmp 3f
            3:  dec ecx
                jnz 1b
            """;
        CpuHarness h = CpuHarness.ofAsm(asm);
        BlockCompiler jit = new ClassfileBlockCompiler();
        h.cpu.codeCache().setCompiler(jit, 1_000_000); // counts, never reached: nothing translated
        h.runToEnd();
        CodeCache cache = h.cpu.codeCache();
        Block first = cache.block(CpuHarness.CODE + CpuHarness.assemble("mov ecx, 10").length);
        Block second = cache.block(first.insn(first.size() - 1).imm);
        long secondEnd = second.insn(second.size() - 1).next;
        assertThat(first.compiled).isNull();
        assertThat(second.compiled).isNull();

        CompiledBlock whole = jit.compile(first, cache);
        assertThat(whole.executingAt(secondEnd)).as("the second block's jump, in the first region").isNotNull();

        second.compiled = jit.compile(second, cache);
        assertThat(second.compiled).isNotNull();
        CompiledBlock stopped = jit.compile(first, cache);
        assertThat(stopped.executingAt(first.insn(first.size() - 1).next)).isNotNull();
        assertThat(stopped.executingAt(secondEnd)).as("the second block's jump, now another region's").isNull();
    }
}
