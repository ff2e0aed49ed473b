package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** CPUID advertises exactly the implemented baseline (SDM Vol. 2A, CPUID). */
class CpuidTest {
    private static long[] cpuid(int leaf, int subleaf) {
        CpuHarness h = CpuHarness.ofAsm("mov rbx, -1\nmov rdx, -1\nmov eax, " + Integer.toUnsignedString(leaf)
                + "\nmov ecx, " + subleaf + "\ncpuid");
        h.runToEnd();
        return new long[] {h.cpu.r[Cpu.RAX], h.cpu.r[Cpu.RBX], h.cpu.r[Cpu.RCX], h.cpu.r[Cpu.RDX]};
    }

    private static String text(long... regs) {
        ByteBuffer b = ByteBuffer.allocate(regs.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long r : regs) {
            b.putInt((int) r);
        }
        return new String(b.array(), StandardCharsets.US_ASCII);
    }

    @Test
    void vendorAndMaximumLeaf() {
        long[] r = cpuid(0, 0);
        assertThat(r[0]).isEqualTo(0xd);
        assertThat(text(r[1], r[3], r[2])).isEqualTo("GenuineIntel");
    }

    @Test
    void leaf1AdvertisesX8664V2() {
        long[] r = cpuid(1, 0);
        assertThat(r[0]).isEqualTo(0x306a9); // family 6, model 0x3a
        assertThat((r[1] >> 8) & 0xff).isEqualTo(8); // CLFLUSH line 64 bytes
        assertThat((r[1] >> 16) & 0xff).isEqualTo(1);
        // ECX: SSE3 (0), SSSE3 (9), CX16 (13), SSE4.1 (19), SSE4.2 (20), MOVBE (22), POPCNT (23);
        // no PCLMULQDQ, XSAVE, OSXSAVE, AVX, hypervisor.
        assertThat(r[2]).isEqualTo(1L | (1L << 9) | (1L << 13) | (1L << 19) | (1L << 20) | (1L << 22) | (1L << 23));
        // EDX: FPU TSC CX8 CMOV CLFSH MMX FXSR SSE SSE2.
        assertThat(r[3]).isEqualTo(1L | (1L << 4) | (1L << 8) | (1L << 15) | (1L << 19) | (1L << 23) | (1L << 24)
                | (1L << 25) | (1L << 26));
        // Upper halves of the 64-bit registers are cleared.
        assertThat(r[1] >>> 32).isZero();
    }

    @Test
    void leaf4DescribesTheCaches() {
        long[][] expected = {
            // type, level, sets * ways * line
            {1, 1, 32 << 10}, {2, 1, 32 << 10}, {3, 2, 1 << 20}, {3, 3, 8 << 20},
        };
        for (int k = 0; k < expected.length; k++) {
            long[] r = cpuid(4, k);
            long ways = ((r[1] >> 22) & 0x3ff) + 1;
            long partitions = ((r[1] >> 12) & 0x3ff) + 1;
            long line = (r[1] & 0xfff) + 1;
            long sets = r[2] + 1;
            assertThat(r[0] & 0x1f).isEqualTo(expected[k][0]);
            assertThat((r[0] >> 5) & 7).isEqualTo(expected[k][1]);
            assertThat(ways * partitions * line * sets).isEqualTo(expected[k][2]);
            assertThat(line).isEqualTo(64);
        }
        assertThat(cpuid(4, 4)[0] & 0x1f).isZero();
    }

    @Test
    void leaf7HasOnlyErmsAndXsaveLeafIsEmpty() {
        assertThat(cpuid(7, 0)).containsExactly(0, 1 << 9, 0, 0); // EBX bit 9: enhanced REP MOVSB/STOSB
        assertThat(cpuid(7, 1)).containsExactly(0, 0, 0, 0);
        assertThat(cpuid(0xd, 0)).containsExactly(0, 0, 0, 0);
        assertThat(cpuid(0xd, 1)).containsExactly(0, 0, 0, 0);
        assertThat(cpuid(0x40000000, 0)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void extendedLeaves() {
        assertThat(cpuid(0x80000000, 0)[0]).isEqualTo(0x80000008L);
        long[] r = cpuid(0x80000001, 0);
        assertThat(r[2]).isEqualTo(1); // LAHF/SAHF
        assertThat(r[3]).isEqualTo((1L << 11) | (1L << 20) | (1L << 29)); // SYSCALL NX LM
        long[] a = cpuid(0x80000002, 0);
        long[] b = cpuid(0x80000003, 0);
        long[] c = cpuid(0x80000004, 0);
        String brand = text(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], c[0], c[1], c[2], c[3]);
        assertThat(brand).isEqualTo("linux4j virtual x86-64 CPU" + "\0".repeat(48 - 26));
        assertThat(cpuid(0x80000006, 0)[2] >>> 16).isEqualTo(1024);
        assertThat(cpuid(0x80000008, 0)[0]).isEqualTo(0x302e);
    }

    @Test
    void topologyLeaf() {
        long[] smt = cpuid(0xb, 0);
        assertThat((smt[2] >> 8) & 0xff).isEqualTo(1);
        assertThat(smt[1]).isEqualTo(1);
        long[] core = cpuid(0xb, 1);
        assertThat((core[2] >> 8) & 0xff).isEqualTo(2);
        assertThat((cpuid(0xb, 2)[2] >> 8) & 0xff).isZero();
    }
}
