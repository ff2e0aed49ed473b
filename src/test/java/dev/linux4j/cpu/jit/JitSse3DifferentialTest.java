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
 * The differential fuzz test for SSE3 and SSSE3 (compiled through their own semantics): random
 * programs mixing them with SSE2 forms the JIT inlines (whose XMM halves live in JVM locals),
 * MMX forms (whose registers alias the x87 stack) and occasional misaligned m128 operands (#GP)
 * and unmasked exceptions (#XM) must leave every general, XMM and x87 register, RFLAGS, MXCSR,
 * memory and the exit identical in the interpreter and compiled.
 */
class JitSse3DifferentialTest {
    private static final String[] GPRS = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9"};
    private static final long[] VALUES = {
        0x0000000000000000L, 0x8000000000000000L, 0x3ff0000000000000L, 0xbff0000000000000L,
        0x7ff0000000000000L, 0xfff0000000000000L, 0x7ff8000000000000L, 0xfff4000000005678L,
        0x0000000000000001L, 0x800fffffffffffffL, 0x7fefffffffffffffL, 0x400921fb54442d18L,
        0x7f8000003f800000L, 0xff800000ffc00000L, 0x7fa0000100000001L, 0x3eaaaaab807fffffL,
        0x8080808080808080L, 0x7fff80007fff8000L, 0x0f0e0d0c0b0a0908L, 0x8f070e060d050c04L,
    };
    private static final int[] MXCSRS = {0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9fc0, 0x1f00, 0x1e80, 0x0f80};
    private static final String[] FLOAT = {"addsubpd", "addsubps", "haddpd", "haddps", "hsubpd", "hsubps"};
    private static final String[] SSSE3 = {"pshufb", "phaddw", "phaddd", "phaddsw", "phsubw", "phsubd", "phsubsw",
        "pmaddubsw", "pmulhrsw", "psignb", "psignw", "psignd", "pabsb", "pabsw", "pabsd"};

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    private static String x(Random r) {
        return "xmm" + (r.nextInt(4) == 0 ? 8 + r.nextInt(8) : r.nextInt(8));
    }

    private static String mm(Random r) {
        return "mm" + r.nextInt(8);
    }

    private static String m64(Random r) {
        return "qword ptr [r15 + " + (8 * r.nextInt(32) + (r.nextInt(4) == 0 ? 3 : 0)) + "]";
    }

    /** An m128 operand: aligned, except now and then (a #GP for the forms that require alignment). */
    private static String m128(Random r) {
        return "xmmword ptr [r15 + " + (r.nextInt(40) == 0 ? 8 * r.nextInt(30) + 4 : 16 * r.nextInt(15)) + "]";
    }

    private static String xm128(Random r) {
        return r.nextInt(3) == 0 ? m128(r) : x(r);
    }

    private static String instruction(Random r) {
        return switch (r.nextInt(16)) {
            case 0, 1, 2 -> pick(r, FLOAT) + " " + x(r) + ", " + xm128(r);
            case 3 -> "movddup " + x(r) + ", " + (r.nextBoolean() ? x(r) : m64(r));
            case 4 -> pick(r, new String[] {"movsldup", "movshdup"}) + " " + x(r) + ", " + xm128(r);
            case 5 -> "lddqu " + x(r) + ", xmmword ptr [r15 + " + r.nextInt(200) + "]";
            case 6, 7, 8 -> pick(r, SSSE3) + " " + x(r) + ", " + xm128(r);
            case 9 -> "palignr " + x(r) + ", " + xm128(r) + ", " + r.nextInt(256);
            case 10 -> pick(r, SSSE3) + " " + mm(r) + ", " + (r.nextBoolean() ? mm(r) : m64(r));
            case 11 -> "palignr " + mm(r) + ", " + (r.nextBoolean() ? mm(r) : m64(r)) + ", " + r.nextInt(256);
            case 12 -> pick(r, new String[] {"addpd", "xorpd", "unpckhpd", "movapd", "paddq"}) + " " + x(r) + ", " + x(r);
            case 13 -> pick(r, new String[] {"addsd", "mulsd", "movsd"}) + " " + x(r) + ", " + x(r);
            case 14 -> r.nextBoolean() ? "movq " + x(r) + ", " + pick(r, GPRS) : "movq " + pick(r, GPRS) + ", " + x(r);
            default -> r.nextInt(4) == 0 ? "ldmxcsr dword ptr [r15 + " + (1024 + 4 * r.nextInt(MXCSRS.length)) + "]"
                    : "movdqu xmmword ptr [r15 + " + 8 * r.nextInt(30) + "], " + x(r);
        };
    }

    static String program(Random r) {
        StringBuilder s = new StringBuilder("mov r15, 0x600000\n");
        for (int k = 0; k < 32; k++) {
            long v = r.nextInt(3) == 0 ? r.nextLong() : VALUES[r.nextInt(VALUES.length)];
            s.append("movabs rax, ").append(v).append("\nmov qword ptr [r15 + ").append(8 * k).append("], rax\n");
        }
        for (int k = 0; k < MXCSRS.length; k++) {
            s.append("mov dword ptr [r15 + ").append(1024 + 4 * k).append("], ").append(MXCSRS[k]).append('\n');
        }
        for (int k = 0; k < 16; k++) {
            s.append("movdqu xmm").append(k).append(", xmmword ptr [r15 + ").append(8 * r.nextInt(30)).append("]\n");
        }
        for (int k = 0; k < 8; k++) {
            s.append("movq mm").append(k).append(", qword ptr [r15 + ").append(8 * r.nextInt(32)).append("]\n");
        }
        for (String g : GPRS) {
            s.append("movabs ").append(g).append(", ").append(r.nextLong()).append('\n');
        }
        boolean loop = r.nextBoolean();
        if (loop) {
            s.append("mov r12, ").append(2 + r.nextInt(20)).append("\n1:\n");
        }
        int n = 5 + r.nextInt(30);
        for (int k = 0; k < n; k++) {
            s.append(instruction(r)).append('\n');
        }
        if (loop) {
            s.append("dec r12\njnz 1b\n");
        }
        s.append("stmxcsr dword ptr [r15 + 1300]\npushfq\npop r13\n");
        return s.toString();
    }

    static long[] state(CpuHarness h, CpuExit exit) {
        Cpu c = h.cpu;
        long[] s = JitSseDifferentialTest.state(h, exit);
        long[] x87 = new long[8 + 8 + 2];
        for (int p = 0; p < 8; p++) {
            x87[p] = c.x87.mantissa[p];
            x87[8 + p] = c.x87.signExp[p];
        }
        x87[16] = c.x87.tag;
        x87[17] = c.x87.top;
        long[] all = Arrays.copyOf(s, s.length + x87.length);
        System.arraycopy(x87, 0, all, s.length, x87.length);
        return all;
    }

    @Test
    void sse3AndSsse3MatchTheInterpreter() {
        Random seeds = new Random(20260315);
        List<String> mismatches = new ArrayList<>();
        int compiled = 0;
        int ranToEnd = 0;
        for (int iteration = 0; iteration < 300; iteration++) {
            long seed = seeds.nextLong();
            String asm = program(new Random(seed));
            Differential.Outcome o = Differential.run(asm, new ClassfileBlockCompiler(), JitSse3DifferentialTest::state);
            ranToEnd += o.ranToEnd() ? 1 : 0;
            compiled += o.translated() ? 1 : 0;
            if (!o.same()) {
                mismatches.add(o.report(seed, asm));
            }
        }
        assertThat(compiled).isEqualTo(300);
        assertThat(ranToEnd).as("programs not cut short by #GP or #XM").isGreaterThan(200);
        assertThat(mismatches).isEmpty();
    }
}
