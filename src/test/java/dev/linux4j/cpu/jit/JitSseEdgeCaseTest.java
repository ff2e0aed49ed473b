package dev.linux4j.cpu.jit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linux4j.cpu.CpuExit;
import dev.linux4j.cpu.CpuHarness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every inline-compiled SSE floating-point form over every pair of a table of edge values
 * (NaNs with payloads, infinities, zeros, denormals, the extremes, cancelling pairs, products
 * that overflow or underflow), under every MXCSR mode (each rounding mode, FTZ, DAZ, PE already
 * set, each exception unmasked): a guest loop records the result, MXCSR and RFLAGS of each pair,
 * and the compiled loop must record exactly what the interpreter does (up to the first #XM,
 * which must be reported identically).
 */
class JitSseEdgeCaseTest {
    private static final long[] VALUES = {
        0x0000000000000000L, 0x8000000000000000L, 0x3ff0000000000000L, 0xbff0000000000000L,
        0x7ff0000000000000L, 0xfff0000000000000L, 0x7ff8000000000000L, 0xfff8000000000000L,
        0x7ff800000000abcdL, 0x7ff0000000000001L, 0xfff4000000005678L, 0x0000000000000001L,
        0x800fffffffffffffL, 0x0010000000000000L, 0x8010000000000000L, 0x7fefffffffffffffL,
        0xffefffffffffffffL, 0x01a56e1fc2f8f359L, 0x7e37e43c8800759cL, 0x3ff8000000000000L,
        0xbff8000000000000L, 0x3fb999999999999aL, 0x400921fb54442d18L, 0x43e0000000000000L,
        0xc3e0000000000000L, 0x41dfffffffc00000L, 0xc1e0000000200000L, 0x4330000000000001L,
        0x2000000000000000L, 0x1ff0000000000000L, 0x5ff0000000000000L, 0x0020000000000001L,
        0x0000000000000005L, 0x8000000000000064L,
    };
    private static final int[] MODES = {
        0x1f80, 0x1fa0, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0x9fc0, 0x1fbf,
        0x0f80, 0x1f00, 0x1e80, 0x1d80, 0x1b80, 0x1780,
    };
    private static final String[] OPS = {
        "addsd xmm0, xmm1", "subsd xmm0, xmm1", "mulsd xmm0, xmm1", "divsd xmm0, xmm1", "sqrtsd xmm0, xmm1",
        "addpd xmm0, xmm1", "subpd xmm0, xmm1", "mulpd xmm0, xmm1", "divpd xmm0, xmm1", "sqrtpd xmm0, xmm1",
        "mulsd xmm0, qword ptr [r15 + rcx*8]", "addpd xmm0, xmmword ptr [r13]",
        "ucomisd xmm0, xmm1", "comisd xmm0, xmm1", "ucomisd xmm0, qword ptr [r15 + rcx*8]",
        "cvttsd2si rax, xmm0", "cvttsd2si eax, xmm1", "cvtsi2sd xmm0, qword ptr [r15 + rcx*8]",
        "cvtsi2sd xmm1, eax",
    };

    /** The loop over all pairs (i, j): a = VALUES[i], b = VALUES[j]; XMM0 = {a, b}, XMM1 = {b, a}. */
    private static String program(String op, int mode) {
        StringBuilder s = new StringBuilder("mov r15, 0x600000\n");
        for (int k = 0; k < VALUES.length; k++) {
            s.append("movabs rax, ").append(VALUES[k]).append("\nmov qword ptr [r15 + ").append(8 * k)
                    .append("], rax\n");
        }
        s.append("mov dword ptr [r15 + 0x800], ").append(mode).append('\n');
        s.append("""
                lea r14, [r15 + 0x1000]
                xor ebx, ebx
                1:
                xor ecx, ecx
                2:
                ldmxcsr dword ptr [r15 + 0x800]
                movsd xmm0, qword ptr [r15 + rbx*8]
                movhpd xmm0, qword ptr [r15 + rcx*8]
                movsd xmm1, qword ptr [r15 + rcx*8]
                movhpd xmm1, qword ptr [r15 + rbx*8]
                movupd xmmword ptr [r15 + 0x900], xmm1
                lea r13, [r15 + 0x900]
                mov rax, qword ptr [r15 + rcx*8]
                xor edx, edx
                cmp edx, 1
                """);
        s.append(op).append('\n');
        s.append("""
                pushfq
                pop rdx
                movupd xmmword ptr [r14], xmm0
                stmxcsr dword ptr [r14 + 16]
                mov dword ptr [r14 + 20], edx
                mov qword ptr [r14 + 24], rax
                movsd qword ptr [r14 + 32], xmm1
                add r14, 40
                inc ecx
                """);
        s.append("cmp ecx, ").append(VALUES.length).append("\njb 2b\ninc ebx\ncmp ebx, ").append(VALUES.length)
                .append("\njb 1b\n");
        return s.toString();
    }

    private static long[] state(CpuHarness h, CpuExit exit) {
        long[] s = Arrays.copyOf(h.cpu.r, 16 + 32 + 5);
        System.arraycopy(h.cpu.xmm, 0, s, 16, 32);
        s[48] = h.cpu.rip;
        s[49] = h.cpu.mxcsr;
        s[50] = h.cpu.rflags();
        s[51] = exit instanceof CpuExit.Fault f ? f.kind().ordinal() * 0x100000000L + f.rip() : -1;
        s[52] = Arrays.hashCode(h.space.read(CpuHarness.DATA + 0x1000, 40 * VALUES.length * VALUES.length));
        return s;
    }

    @Test
    void everyPairUnderEveryModeMatchesTheInterpreter() {
        List<String> mismatches = new ArrayList<>();
        for (String op : OPS) {
            for (int mode : MODES) {
                byte[] code = CpuHarness.assemble(program(op, mode));
                CpuHarness interpreted = new CpuHarness(code);
                long[] expected = state(interpreted, interpreted.run());
                CpuHarness compiled = new CpuHarness(code);
                compiled.cpu.codeCache().setCompiler(new ClassfileBlockCompiler(), 1);
                long[] actual = state(compiled, compiled.run());
                if (!Arrays.equals(expected, actual)) {
                    mismatches.add(op + " under MXCSR " + Integer.toHexString(mode) + ": pair at r14 "
                            + Long.toHexString(expected[14]) + " vs " + Long.toHexString(actual[14])
                            + firstDifference(interpreted, compiled) + "\nexpected " + Arrays.toString(expected)
                            + "\nactual   " + Arrays.toString(actual));
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static String firstDifference(CpuHarness a, CpuHarness b) {
        byte[] x = a.space.read(CpuHarness.DATA + 0x1000, 40 * VALUES.length * VALUES.length);
        byte[] y = b.space.read(CpuHarness.DATA + 0x1000, 40 * VALUES.length * VALUES.length);
        for (int k = 0; k < x.length; k++) {
            if (x[k] != y[k]) {
                int pair = k / 40;
                return ", first difference at pair (" + pair / VALUES.length + ", " + pair % VALUES.length
                        + ") byte " + k % 40;
            }
        }
        return "";
    }
}
