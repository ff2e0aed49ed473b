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
}
