package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The 0F AE group: FXSAVE/FXRSTOR (SDM Vol. 1, Table 10-2), LDMXCSR/STMXCSR, fences. */
class SseStateTest {
    static final long DATA = CpuHarness.DATA;

    @Test
    void ldmxcsrRejectsReservedBits() {
        CpuHarness h = CpuHarness.ofAsm("ldmxcsr [rax]\nstmxcsr [rax + 4]");
        h.space.write32(DATA, 0x9fc0);
        h.cpu.r[Cpu.RAX] = DATA;
        h.runToEnd();
        assertThat(h.cpu.mxcsr).isEqualTo(0x9fc0);
        assertThat(h.space.read32(DATA + 4)).isEqualTo(0x9fc0);
        h = CpuHarness.ofAsm("ldmxcsr [rax]");
        h.space.write32(DATA, 0x11f80);
        h.cpu.r[Cpu.RAX] = DATA;
        assertThat(((CpuExit.Fault) h.run()).kind()).isEqualTo(CpuExit.FaultKind.GENERAL_PROTECTION);
        assertThat(h.cpu.mxcsr).isEqualTo(0x1f80);
    }

    @Test
    void fxsaveLayoutAndRoundTrip() {
        CpuHarness h = CpuHarness.ofAsm("fxsave [rax]\nfxrstor64 [rax + 512]\nlfence\nmfence\nsfence\nclflush [rax]");
        X87 x = h.cpu.x87;
        x.top = 6;
        x.status = 0x0001;
        x.tag = 0x0fff & ~(3 << 12) | (1 << 14); // phys 6 valid, phys 7 zero, the rest empty
        x.mantissa[6] = 0x8000000000000000L;
        x.signExp[6] = 0x3fff;
        x.mantissa[7] = 0;
        x.signExp[7] = 0;
        h.cpu.xmm[30] = 0x1234;
        h.cpu.xmm[31] = 0x5678;
        h.cpu.mxcsr = 0x1fa0;
        h.cpu.r[Cpu.RAX] = DATA;
        // The image FXRSTOR loads: TOP 3, ST0 = 2.0, physical 3 non-empty.
        long img = DATA + 512;
        h.space.write32(img, 0x027f);
        h.space.write32(img + 2, 3 << 11);
        h.space.write32(img + 4, 1 << 3);
        h.space.write32(img + 24, 0x3f80);
        h.space.write64(img + 32, 0x8000000000000000L);
        h.space.write32(img + 40, 0x4000);
        h.space.write64(img + 160 + 16 * 5, 0x55L);
        h.runToEnd();
        assertThat(h.space.read32(DATA) & 0xffff).isEqualTo(0x037f);
        assertThat(h.space.read32(DATA + 2) & 0xffff).isEqualTo(0x3001);
        assertThat(h.space.read32(DATA + 4) & 0xff).isEqualTo(0xc0);
        assertThat(h.space.read32(DATA + 24)).isEqualTo(0x1fa0);
        assertThat(h.space.read32(DATA + 28)).isEqualTo(0xffff);
        assertThat(h.space.read64(DATA + 32)).isEqualTo(0x8000000000000000L); // ST0 = physical 6
        assertThat(h.space.read32(DATA + 40) & 0xffff).isEqualTo(0x3fff);
        assertThat(h.space.read64(DATA + 160 + 16 * 15)).isEqualTo(0x1234);
        assertThat(h.space.read64(DATA + 160 + 16 * 15 + 8)).isEqualTo(0x5678);

        assertThat(x.control).isEqualTo(0x027f);
        assertThat(x.top).isEqualTo(3);
        assertThat(x.mantissa[3]).isEqualTo(0x8000000000000000L);
        assertThat(x.signExp[3]).isEqualTo(0x4000);
        assertThat(x.tag).isEqualTo(0xffff & ~(3 << 6));
        assertThat(h.cpu.mxcsr).isEqualTo(0x3f80);
        assertThat(h.cpu.xmm[10]).isEqualTo(0x55L);
    }

    @Test
    void fxsaveMisalignedIsGeneralProtection() {
        CpuHarness h = CpuHarness.ofAsm("fxsave [rax]");
        h.cpu.r[Cpu.RAX] = DATA + 8;
        assertThat(((CpuExit.Fault) h.run()).kind()).isEqualTo(CpuExit.FaultKind.GENERAL_PROTECTION);
    }
}
