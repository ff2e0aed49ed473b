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
 * The differential fuzz test for the SSE forms the JIT compiles inline (moves, logic, unpacks,
 * scalar and packed double arithmetic, comparisons fused with branches, conversions): random
 * programs over NaNs (quiet, signalling, with payloads, negative), infinities, zeros of both
 * signs, denormals, values that overflow or underflow when multiplied and ordinary numbers,
 * under the default MXCSR and under other rounding modes, FTZ, DAZ and unmasked exceptions
 * (whose #XM must be as precise as the interpreter's), must leave every general and XMM
 * register, RFLAGS, MXCSR (the sticky exception flags included), memory and the exit identical
 * in the interpreter and compiled.
 */
class JitSseDifferentialTest {
    private static final String[] GPRS = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9"};
    private static final String[] GPRS32 = {"eax", "ebx", "ecx", "edx", "esi", "edi", "r8d", "r9d"};
    private static final String[] CC = {"a", "ae", "b", "be", "e", "ne", "p", "np", "o", "s", "g", "l"};
    /** Interesting binary64 values. */
    private static final long[] VALUES = {
        0x0000000000000000L, 0x8000000000000000L, // +0, -0
        0x3ff0000000000000L, 0xbff0000000000000L, // 1, -1
        0x7ff0000000000000L, 0xfff0000000000000L, // +inf, -inf
        0x7ff8000000000000L, 0xfff8000000000000L, // QNaN, the indefinite
        0x7ff8000000001234L, 0xfffc00000000beefL, // QNaNs with payloads
        0x7ff0000000000001L, 0xfff4000000005678L, // SNaNs
        0x0000000000000001L, 0x800fffffffffffffL, // denormals
        0x0010000000000000L, 0x8010000000000000L, // smallest normals
        0x7fefffffffffffffL, 0x1a56e1fc2f8f359L,  // largest, 1e-300
        0x7e37e43c8800759cL, 0x400921fb54442d18L, // 1e300, pi
        0x3fb999999999999aL, 0x4059000000000000L, // 0.1, 100
        0x43e0000000000000L, 0xc3e0000000000000L, // 2^63, -2^63
        0x41dfffffffc00000L, 0x4330000000000001L, // 2^31 - 1, 2^52 + 1
        0x3fe0000000000000L, 0xbfe8000000000000L, // 0.5, -0.75
    };
    private static final int[] MXCSRS = {
        0x1f80, 0x1fa0, 0x1f81, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0x9fc0, 0x0f80, 0x1f00, 0x1d80, 0x1e80,
        0x1b80, 0x1780, 0x0000,
    };

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    private static String x(Random r) {
        return "xmm" + r.nextInt(8);
    }

    private static String m64(Random r) {
        return "qword ptr [r15 + " + 8 * r.nextInt(32) + "]";
    }

    private static String m128(Random r, boolean aligned) {
        return "xmmword ptr [r15 + " + (aligned ? 16 * r.nextInt(16) : 8 * r.nextInt(31) + r.nextInt(2) * 3) + "]";
    }

    private static String xm64(Random r) {
        return r.nextInt(3) == 0 ? m64(r) : x(r);
    }

    private static String xm128(Random r) {
        return r.nextInt(3) == 0 ? m128(r, true) : x(r);
    }

    private static String instruction(Random r) {
        return switch (r.nextInt(36)) {
            case 0 -> "movsd " + x(r) + ", " + xm64(r);
            case 1 -> "movsd " + m64(r) + ", " + x(r);
            case 2 -> pick(r, new String[] {"movupd", "movups", "movdqu"}) + " " + x(r) + ", "
                    + (r.nextBoolean() ? x(r) : m128(r, false));
            case 3 -> pick(r, new String[] {"movapd", "movaps", "movdqa"}) + " " + x(r) + ", " + xm128(r);
            case 4 -> pick(r, new String[] {"movupd", "movups", "movdqu"}) + " " + m128(r, false) + ", " + x(r);
            case 5 -> pick(r, new String[] {"movapd", "movaps", "movdqa", "movntpd"}) + " " + m128(r, true) + ", "
                    + x(r);
            case 6 -> "movss " + x(r) + ", " + (r.nextBoolean() ? x(r) : "dword ptr [r15 + " + 4 * r.nextInt(64) + "]");
            case 7 -> "movss dword ptr [r15 + " + 4 * r.nextInt(64) + "], " + x(r);
            case 8 -> pick(r, new String[] {"movlpd", "movhpd", "movlps", "movhps"}) + " "
                    + (r.nextBoolean() ? x(r) + ", " + m64(r) : m64(r) + ", " + x(r));
            case 9 -> pick(r, new String[] {"movhlps", "movlhps"}) + " " + x(r) + ", " + x(r);
            case 10 -> "movq " + x(r) + ", " + pick(r, GPRS);
            case 11 -> "movq " + pick(r, GPRS) + ", " + x(r);
            case 12 -> "movd " + x(r) + ", " + pick(r, GPRS32);
            case 13 -> "movd " + pick(r, GPRS32) + ", " + x(r);
            case 14 -> "movq " + x(r) + ", " + xm64(r);
            case 15 -> "movq " + m64(r) + ", " + x(r);
            case 16, 17 -> pick(r, new String[] {"andpd", "andnpd", "orpd", "xorpd", "andps", "xorps", "pxor", "pand",
                "pandn", "por", "paddq", "psubq"}) + " " + x(r) + ", " + xm128(r);
            case 18 -> pick(r, new String[] {"unpcklpd", "unpckhpd", "punpcklqdq", "punpckhqdq"}) + " " + x(r) + ", "
                    + xm128(r);
            case 19 -> "shufpd " + x(r) + ", " + xm128(r) + ", " + r.nextInt(4);
            case 20, 21, 22, 23 -> pick(r, new String[] {"addsd", "subsd", "mulsd", "divsd", "sqrtsd"}) + " " + x(r)
                    + ", " + xm64(r);
            case 24, 25 -> pick(r, new String[] {"addpd", "subpd", "mulpd", "divpd", "sqrtpd"}) + " " + x(r) + ", "
                    + xm128(r);
            case 26, 27 -> pick(r, new String[] {"ucomisd", "comisd"}) + " " + x(r) + ", " + xm64(r) + "\n"
                    + switch (r.nextInt(3)) {
                        case 0 -> "set" + pick(r, CC) + " al";
                        case 1 -> "cmov" + pick(r, CC) + " rbx, rcx";
                        default -> "j" + pick(r, CC) + " 5f\ninc rdx\n5:";
                    };
            case 28 -> "cvtsi2sd " + x(r) + ", " + switch (r.nextInt(3)) {
                case 0 -> pick(r, GPRS);
                case 1 -> pick(r, GPRS32);
                default -> m64(r);
            };
            case 29 -> "cvttsd2si " + (r.nextBoolean() ? pick(r, GPRS) : pick(r, GPRS32)) + ", " + xm64(r);
            case 30 -> "ldmxcsr dword ptr [r15 + " + (1024 + 4 * r.nextInt(MXCSRS.length)) + "]";
            case 31 -> "stmxcsr dword ptr [r15 + " + (1200 + 4 * r.nextInt(4)) + "]";
            case 32 -> pick(r, new String[] {"minsd", "maxsd", "cvtsd2ss", "cvtss2sd"}) + " " + x(r) + ", " + x(r);
            case 33 -> r.nextInt(8) == 0 ? pick(r, new String[] {"movapd", "addpd", "xorpd", "unpckhpd", "pcmpeqb", "psubb"}) + " "
                    + x(r) + ", xmmword ptr [r15 + 8]" : "add rax, " + pick(r, GPRS) + "\nimul rbx, rcx";
            case 34 -> switch (r.nextInt(9)) {
                case 0 -> pick(r, new String[] {"pcmpeqb", "pminub", "psubb", "paddb", "punpcklbw", "pcmpgtd", "psrlq",
                    "paddd", "packsswb", "cmppd", "minpd"}).replace("cmppd", "cmplepd") + " " + x(r) + ", " + xm128(r);
                case 1 -> "pshufd " + x(r) + ", " + xm128(r) + ", " + r.nextInt(256);
                case 2 -> "pmovmskb " + pick(r, GPRS32) + ", " + x(r);
                case 3 -> "movmskpd " + pick(r, GPRS32) + ", " + x(r);
                case 4 -> pick(r, new String[] {"cvtsd2si ", "cvtss2si "}) + pick(r, GPRS) + ", " + x(r);
                case 5 -> pick(r, new String[] {"psllq ", "psrldq ", "psrad "}) + x(r) + ", " + r.nextInt(70);
                case 6 -> "cvtsi2ss " + x(r) + ", " + pick(r, GPRS32);
                case 7 -> "pextrw " + pick(r, GPRS32) + ", " + x(r) + ", " + r.nextInt(8);
                default -> "mov " + pick(r, GPRS) + ", " + m64(r);
            };
            default -> "mov " + m64(r) + ", " + pick(r, GPRS);
        };
    }

    /** Interesting values in memory and XMM0-7, an MXCSR, then straight-line or looping SSE code. */
    static String program(Random r) {
        StringBuilder s = new StringBuilder("mov r15, 0x600000\n");
        for (int k = 0; k < 32; k++) {
            long v = r.nextInt(4) == 0 ? Double.doubleToRawLongBits(r.nextGaussian() * 1000) : VALUES[r.nextInt(
                    VALUES.length)];
            s.append("movabs rax, ").append(v).append("\nmov qword ptr [r15 + ").append(8 * k).append("], rax\n");
        }
        for (int k = 0; k < MXCSRS.length; k++) {
            s.append("mov dword ptr [r15 + ").append(1024 + 4 * k).append("], ").append(MXCSRS[k]).append('\n');
        }
        for (int k = 0; k < 8; k++) {
            s.append("movupd xmm").append(k).append(", xmmword ptr [r15 + ").append(16 * r.nextInt(16)).append("]\n");
        }
        for (String g : GPRS) {
            s.append("movabs ").append(g).append(", ")
                    .append(r.nextBoolean() ? r.nextLong() : r.nextInt(2000) - 1000).append('\n');
        }
        if (r.nextInt(3) == 0) {
            s.append("ldmxcsr dword ptr [r15 + ").append(1024 + 4 * r.nextInt(MXCSRS.length)).append("]\n");
        }
        boolean loop = r.nextBoolean();
        if (loop) {
            s.append("mov r12, ").append(2 + r.nextInt(30)).append("\n1:\n");
        }
        int n = 5 + r.nextInt(40);
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
        long[] s = Arrays.copyOf(c.r, 16 + 32 + 8);
        System.arraycopy(c.xmm, 0, s, 16, 32);
        s[48] = c.rip;
        s[49] = c.rflags();
        s[50] = c.mxcsr;
        s[51] = exit instanceof CpuExit.Fault f ? f.kind().ordinal() : -1;
        s[52] = exit instanceof CpuExit.Fault f ? f.rip() : -1;
        s[53] = exit instanceof CpuExit.Fault f ? f.address() : -1;
        s[54] = Arrays.hashCode(h.space.read(CpuHarness.DATA, 2048));
        return s;
    }

    @Test
    void sseMatchesTheInterpreter() {
        Random seeds = new Random(20261201);
        List<String> mismatches = new ArrayList<>();
        int compiled = 0;
        for (int iteration = 0; iteration < 400; iteration++) {
            long seed = seeds.nextLong();
            String asm = program(new Random(seed));
            Differential.Outcome o = Differential.run(asm, new ClassfileBlockCompiler(), JitSseDifferentialTest::state);
            compiled += o.translated() ? 1 : 0;
            if (!o.same()) {
                mismatches.add(o.report(seed, asm));
            }
        }
        assertThat(compiled).isEqualTo(400);
        assertThat(mismatches).isEmpty();
    }
}
