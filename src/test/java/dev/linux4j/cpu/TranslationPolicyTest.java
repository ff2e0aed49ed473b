package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a block that reached the JIT's threshold is translated (Cpu.mayTranslate), with made-up clocks. */
class TranslationPolicyTest {
    private static final int THRESHOLD = 5000;
    private static final long MS = 1_000_000L;

    private static Block block() {
        Block b = new Block(0x401000, nops(1));
        b.executions = THRESHOLD;
        return b;
    }

    @Test
    void aBusyThreadTranslatesAtTheThreshold() {
        Block b = block();
        assertThat(Cpu.mayTranslate(b, THRESHOLD, 5_000 * MS, 1_000 * MS, 600 * MS)).isTrue();
        assertThat(b.slowRounds).isZero();
    }

    @Test
    void aWaitingThreadTranslatesOnlyWhatCountsQuickly() {
        Block b = block();
        long now = 5_000 * MS;
        // mostly waiting: the first time starts the window and counts again from half the threshold
        assertThat(Cpu.mayTranslate(b, THRESHOLD, now, 1_000 * MS, 100 * MS)).isFalse();
        assertThat(b.executions).isEqualTo(THRESHOLD / 2);
        assertThat(b.countedSince).isEqualTo(now);
        // back at the threshold a second later: too slow, the window starts over
        b.executions = THRESHOLD;
        assertThat(Cpu.mayTranslate(b, THRESHOLD, now + 1_000 * MS, 2_000 * MS, 200 * MS)).isFalse();
        assertThat(b.countedSince).isEqualTo(now + 1_000 * MS);
        // back within a tenth of a second: dense enough
        b.executions = THRESHOLD;
        assertThat(Cpu.mayTranslate(b, THRESHOLD, now + 1_100 * MS, 2_100 * MS, 210 * MS)).isTrue();
    }

    @Test
    void longBlocksCountFasterAndQueuedOnesNotAtAll() {
        assertThat(interpretationsToReach(20_000, 4)).isEqualTo(20_000);
        assertThat(interpretationsToReach(20_000, 8)).isEqualTo(10_000);
        assertThat(interpretationsToReach(20_000, 64)).isEqualTo(2_223);
        Block queued = new Block(0x401000, nops(64));
        queued.executions = -1; // queued, or its translation failed: counting on would reach 8
        assertThat(queued.counted(1)).isFalse();
        assertThat(queued.executions).isEqualTo(-1);
    }

    @Test
    void onlyTheBlockProperCounts() {
        // A JNE, then 63 instructions the interpreter runs when it falls through: the JIT
        // translates the block proper (the JNE), and its one instruction weighs as one.
        Insn jne = new Decoder(Instructions.table()).decode(addr -> addr == 0x401000 ? 0x75 : 0, 0x401000);
        Insn[] run = nops(64);
        run[0] = jne;
        Block b = new Block(0x401000, run);
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.insns()).containsExactly(jne);
        assertThat(interpretationsToReach(20_000, b)).isEqualTo(20_000);
    }

    /** {@code n} NOPs (one decoded instruction, repeated). */
    private static Insn[] nops(int n) {
        Insn nop = new Decoder(Instructions.table()).decode(addr -> 0x90, 0x401000);
        Insn[] insns = new Insn[n];
        java.util.Arrays.fill(insns, nop);
        return insns;
    }

    private static int interpretationsToReach(int threshold, int length) {
        return interpretationsToReach(threshold, new Block(0x401000, nops(length)));
    }

    private static int interpretationsToReach(int threshold, Block b) {
        int runs = 1;
        while (!b.counted(threshold)) {
            runs++;
        }
        return runs;
    }

    @Test
    void aSlowBlockIsTranslatedInTheEnd() {
        Block b = block();
        long now = 5_000 * MS;
        int refused = 0;
        while (!Cpu.mayTranslate(b, THRESHOLD, now, 10_000 * MS, 100 * MS)) {
            refused++;
            now += 10_000 * MS; // never within the window
        }
        assertThat(refused).isEqualTo(Cpu.MAX_SLOW_ROUNDS);
    }
}
