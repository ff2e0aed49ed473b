package dev.linux4j.cpu.jit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linux4j.cpu.CpuExit;
import dev.linux4j.cpu.CpuHarness;
import java.util.Arrays;

/**
 * One program of a JIT differential test, run twice: in the interpreter, and with every block
 * translated at its first run. Each test says what it compares ({@link State}); this runs both
 * and words a mismatch.
 */
final class Differential {
    private Differential() {}

    /** What a test compares, read from a harness after its run ended with {@code exit}. */
    @FunctionalInterface
    interface State {
        long[] of(CpuHarness h, CpuExit exit);
    }

    /**
     * The two runs: the compared states, whether the interpreted run reached the program's end
     * (the UD2 after it) rather than a fault on the way, and whether the JIT translated anything.
     */
    record Outcome(long[] interpreted, long[] compiled, boolean ranToEnd, boolean translated) {
        boolean same() {
            return Arrays.equals(interpreted, compiled);
        }

        /** A mismatch's report: the seed, the program and both states. */
        String report(long seed, String asm) {
            return "seed " + seed + ":\n" + asm + "\nexpected " + Arrays.toString(interpreted) + "\nactual   "
                    + Arrays.toString(compiled);
        }
    }

    /** Runs {@code asm} interpreted, then compiled by {@code jit} from the first run of each block. */
    static Outcome run(String asm, ClassfileBlockCompiler jit, State state) {
        byte[] code = CpuHarness.assemble(asm);
        CpuHarness interpreted = new CpuHarness(code);
        CpuExit exit = interpreted.run();
        long[] expected = state.of(interpreted, exit);
        boolean ranToEnd = exit instanceof CpuExit.Fault f && f.rip() == interpreted.end;
        CpuHarness compiled = new CpuHarness(code);
        compiled.cpu.codeCache().setCompiler(jit, 1);
        long[] actual = state.of(compiled, compiled.run());
        // A region class HotSpot rejects would leave the code to tier 1 or the interpreter, and
        // the states would still agree: the fuzz must see every built region defined.
        assertThat(RegionCompiler.defineFailures()).as("region classes HotSpot rejected").isZero();
        return new Outcome(expected, actual, ranToEnd, jit.compiledBlocks() > 0);
    }
}
