package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** x87 state instructions on the interpreter; expected values observed on the host CPU. */
class X87OpsTest {
    @Test
    void fldcwKeepsReservedBit6Set() {
        CpuHarness g = CpuHarness.ofAsm("fldcw [rdi]\n fnstcw [rdi+2]\n fldcw [rdi+4]\n fnstcw [rdi+6]");
        g.space.poke(CpuHarness.DATA, new byte[] {0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0}, 0, 8);
        g.cpu.r[Cpu.RDI] = CpuHarness.DATA;
        g.runToEnd();
        assertThat(g.cpu.mmu.read16(CpuHarness.DATA + 2)).isEqualTo(0x0040);
        assertThat(g.cpu.mmu.read16(CpuHarness.DATA + 6)).isEqualTo(0x1f7f);
    }

    @Test
    void fnstenvLayoutMatchesHardware() {
        // host: 7f03ffff 0038ffff ff3fffff <fip> 00000000 00000000 0000ffff after FNINIT; FLD1
        CpuHarness h = CpuHarness.ofAsm("fninit\n fld1\n fnstenv [rdi]");
        h.cpu.r[Cpu.RDI] = CpuHarness.DATA;
        h.runToEnd();
        assertThat(h.cpu.mmu.read32(CpuHarness.DATA)).isEqualTo(0xffff037f);
        assertThat(h.cpu.mmu.read32(CpuHarness.DATA + 4)).isEqualTo(0xffff3800);
        assertThat(h.cpu.mmu.read32(CpuHarness.DATA + 8)).isEqualTo(0xffff3fff);
        assertThat(h.cpu.mmu.read32(CpuHarness.DATA + 16)).isZero();
        assertThat(h.cpu.mmu.read32(CpuHarness.DATA + 24)).isEqualTo(0xffff0000);
        assertThat(h.cpu.x87.control).isEqualTo(0x037f); // all exceptions were already masked
    }

    @Test
    void unmaskedExceptionRaisesOnTheNextWaitingInstruction() {
        // unmask ZE, divide by zero: ES set, result not stored; FWAIT then raises #MF
        CpuHarness h = CpuHarness.ofAsm("fninit\n fldcw [rdi]\n fldz\n fld1\n fdiv st, st(1)\n fnstsw [rdi+2]\n fwait");
        h.space.poke(CpuHarness.DATA, new byte[] {0x7b, 0x03}, 0, 2);
        h.cpu.r[Cpu.RDI] = CpuHarness.DATA;
        CpuExit exit = h.run();
        assertThat(exit).isInstanceOf(CpuExit.Fault.class);
        assertThat(((CpuExit.Fault) exit).kind()).isEqualTo(CpuExit.FaultKind.X87_FP_ERROR);
        assertThat(h.cpu.mmu.read16(CpuHarness.DATA + 2) & 0x80ff).isEqualTo(0x8084);
        assertThat(h.cpu.x87.se(0)).isEqualTo(0x3fff); // ST(0) still 1.0
    }

    @Test
    void fsinReducesWithIntelsPi() {
        // host: fsin(0x4000 C90FDAA22168C235) = -2^-64 (pi rounded to 66 bits)
        CpuHarness h = CpuHarness.ofAsm("fninit\n fldpi\n fsin\n fstp tbyte ptr [rdi]");
        h.cpu.r[Cpu.RDI] = CpuHarness.DATA;
        h.runToEnd();
        assertThat(h.cpu.mmu.read64(CpuHarness.DATA)).isEqualTo(Long.MIN_VALUE);
        assertThat(h.cpu.mmu.read16(CpuHarness.DATA + 8)).isEqualTo(0xbfbf);
    }
    /**
     * FYL2X operands (x, y, host result) recorded on an Intel Xeon with inline asm, RC nearest,
     * chosen where the correctly rounded y * log2(x) differs from the hardware; the first is
     * logl(42) (y = ln2). The model (log2 truncated to 67 bits, times y, rounded once) matches.
     */
    @Test
    void fyl2xMatchesHostWhereNotCorrectlyRounded() {
        String[][] vectors = {
            {"4004a800000000000000", "3ffeb17217f7d1cf79ac", "4000ef35faa171e9661a"},
            {"4034ec716e1e6ced8137", "3ff5c72b4c36d0db7fed", "3ffba7b1315b770c03d5"},
            {"3fdcd5cb59e89b5779ee", "3fefe8dfe63578c47fa8", "bff4f9521f953cb6d1d8"},
            {"3ff2f7b9bb632073447b", "bff698fd760add37274c", "3ff9e66440e9475fb76d"},
            {"4012a85d676d738709c0", "c00fbeef68cb1cc5727c", "c013e77460161b48d9a1"},
            {"16cf9ffcaab00de2fbb3", "3fecb8c6fbae04f4cb60", "bff9edd2413ba366e6b1"},
            {"3c4df4827d0343e964c5", "3ffd9b376669576888b6", "c0078f407265e07d4a63"},
            {"2d92e8cc97f0aab24c2d", "3ff59adaa35dbc26a2e1", "c001b24c8f2d775e1494"},
            {"0243b66d70cc9c2a734c", "3feee23d98b80afe70f2", "bffcda397be6e4131103"},
        };
        for (String[] v : vectors) {
            Float80 f = new Float80();
            f.begin(0x37f);
            X87Transcendental.yl2x(f, Integer.parseInt(v[0].substring(0, 4), 16), Long.parseUnsignedLong(v[0].substring(4), 16),
                    Integer.parseInt(v[1].substring(0, 4), 16), Long.parseUnsignedLong(v[1].substring(4), 16), false);
            assertThat(String.format("%04x%016x", f.se, f.m)).as("fyl2x x=%s y=%s", v[0], v[1]).isEqualTo(v[2]);
            assertThat(f.flags & Float80.PE).isNotZero();
        }
    }
}
