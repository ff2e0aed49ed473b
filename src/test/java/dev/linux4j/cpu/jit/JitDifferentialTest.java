package dev.linux4j.cpu.jit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.CpuExit;
import dev.linux4j.cpu.CpuHarness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's differential fuzz test: random straight-line and looping instruction sequences run
 * in the interpreter and compiled by the JIT must leave every register, the flags, RIP, the
 * exit and memory identical.
 */
class JitDifferentialTest {
    private static final String[] REGS = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11"};
    private static final String[] REGS32 = {"eax", "ebx", "ecx", "edx", "esi", "edi", "r8d", "r9d", "r10d", "r11d"};
    private static final String[] ALU = {"add", "sub", "and", "or", "xor", "adc", "sbb", "cmp", "test"};
    private static final String[] SHIFTS = {"shl", "shr", "sar", "rol", "ror"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge",
        "le", "g"};

    private static String reg(Random r) {
        return REGS[r.nextInt(REGS.length)];
    }

    private static String instruction(Random r) {
        int slot = 8 * r.nextInt(64);
        return switch (r.nextInt(16)) {
            case 0, 1 -> ALU[r.nextInt(ALU.length)] + " " + reg(r) + ", " + reg(r);
            case 2 -> ALU[r.nextInt(ALU.length)] + " " + reg(r) + ", " + (r.nextInt(2000) - 1000);
            case 3 -> ALU[r.nextInt(ALU.length)] + " " + REGS32[r.nextInt(REGS32.length)] + ", "
                    + REGS32[r.nextInt(REGS32.length)];
            case 4 -> SHIFTS[r.nextInt(SHIFTS.length)] + " " + reg(r) + ", " + r.nextInt(64);
            case 5 -> "imul " + reg(r) + ", " + reg(r);
            case 6 -> "lea " + reg(r) + ", [" + reg(r) + " + " + reg(r) + "*" + (1 << r.nextInt(4)) + " + "
                    + r.nextInt(100) + "]";
            case 7 -> "mov qword ptr [r15 + " + slot + "], " + reg(r);
            case 8 -> "mov " + reg(r) + ", qword ptr [r15 + " + slot + "]";
            case 9 -> ALU[r.nextInt(7)] + " qword ptr [r15 + " + slot + "], " + reg(r);
            case 10 -> "cmov" + CC[r.nextInt(CC.length)] + " " + reg(r) + ", " + reg(r);
            case 11 -> "set" + CC[r.nextInt(CC.length)] + " byte ptr [r15 + " + slot + "]";
            case 12 -> (r.nextBoolean() ? "inc " : "dec ") + reg(r);
            case 13 -> (r.nextBoolean() ? "neg " : "not ") + reg(r);
            case 14 -> "movabs " + reg(r) + ", " + r.nextLong();
            default -> "xchg " + reg(r) + ", " + reg(r);
        };
    }

    /** A program: setup, then either a straight line or a counted loop with a branch inside. */
    private static String program(Random r) {
        StringBuilder s = new StringBuilder("mov r15, 0x600000\n");
        for (String reg : REGS) {
            s.append("movabs ").append(reg).append(", ").append(r.nextLong()).append('\n');
        }
        boolean loop = r.nextBoolean();
        if (loop) {
            s.append("mov r12, ").append(5 + r.nextInt(60)).append("\n1:\n");
        }
        int n = 5 + r.nextInt(40);
        for (int k = 0; k < n; k++) {
            s.append(instruction(r)).append('\n');
            if (loop && k == n / 2) {
                s.append("j").append(CC[r.nextInt(CC.length)]).append(" 2f\n")
                        .append(instruction(r)).append("\n2:\n");
            }
        }
        if (loop) {
            s.append("dec r12\njnz 1b\n");
        }
        s.append("pushfq\npop r13\n");
        return s.toString();
    }

    private static long[] state(CpuHarness h, CpuExit exit) {
        Cpu c = h.cpu;
        long[] regs = Arrays.copyOf(c.r, 20);
        regs[16] = c.rip;
        regs[17] = c.rflags();
        regs[18] = exit instanceof CpuExit.Fault f ? f.kind().ordinal() : -1;
        byte[] mem = h.space.read(CpuHarness.DATA, 512);
        regs[19] = Arrays.hashCode(mem);
        return regs;
    }

    @Test
    void compiledCodeMatchesTheInterpreter() {
        Random seeds = new Random(20261122);
        List<String> mismatches = new ArrayList<>();
        for (int iteration = 0; iteration < 150; iteration++) {
            long seed = seeds.nextLong();
            String asm = program(new Random(seed));
            byte[] code = CpuHarness.assemble(asm);
            CpuHarness interpreted = new CpuHarness(code);
            long[] expected = state(interpreted, interpreted.run());
            CpuHarness compiled = new CpuHarness(code);
            ClassfileBlockCompiler jit = new ClassfileBlockCompiler();
            compiled.cpu.codeCache().setCompiler(jit, 1);
            long[] actual = state(compiled, compiled.run());
            assertThat(jit.compiledBlocks()).isPositive();
            if (!Arrays.equals(expected, actual)) {
                mismatches.add("seed " + seed + ":\n" + asm + "\nexpected " + Arrays.toString(expected)
                        + "\nactual   " + Arrays.toString(actual));
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
