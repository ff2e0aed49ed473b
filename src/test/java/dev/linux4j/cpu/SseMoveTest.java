package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SSE/SSE2 data movement and shuffles (SDM Vol. 2). */
class SseMoveTest {
    static final long DATA = CpuHarness.DATA;

    @Test
    void movdquLoadAndStoreUnaligned() {
        CpuHarness h = CpuHarness.ofAsm("movdqu xmm3, [rax]\nmovdqu [rax + 0x21], xmm3");
        h.space.write64(DATA + 1, 0x0807060504030201L);
        h.space.write64(DATA + 9, 0x100f0e0d0c0b0a09L);
        h.cpu.r[Cpu.RAX] = DATA + 1;
        h.runToEnd();
        assertThat(h.cpu.xmm[6]).isEqualTo(0x0807060504030201L);
        assertThat(h.cpu.xmm[7]).isEqualTo(0x100f0e0d0c0b0a09L);
        assertThat(h.space.read64(DATA + 0x22)).isEqualTo(0x0807060504030201L);
        assertThat(h.space.read64(DATA + 0x2a)).isEqualTo(0x100f0e0d0c0b0a09L);
    }

    @Test
    void movapsMisalignedIsGeneralProtection() {
        CpuHarness h = CpuHarness.ofAsm("movaps xmm0, [rax]");
        h.cpu.r[Cpu.RAX] = DATA + 4;
        assertThat(((CpuExit.Fault) h.run()).kind()).isEqualTo(CpuExit.FaultKind.GENERAL_PROTECTION);
    }

    @Test
    void movsdMergesFromRegisterAndZeroesFromMemory() {
        CpuHarness h = CpuHarness.ofAsm("movsd xmm0, xmm1\nmovsd xmm2, [rax]\nmovss xmm4, xmm1");
        h.cpu.xmm[0] = 1;
        h.cpu.xmm[1] = 2;
        h.cpu.xmm[2] = 0x1111222233334444L;
        h.cpu.xmm[4] = 5;
        h.cpu.xmm[5] = 6;
        h.cpu.xmm[8] = 0xaaaaaaaa_bbbbbbbbL;
        h.cpu.xmm[9] = 9;
        h.space.write64(DATA, 0x7777L);
        h.cpu.r[Cpu.RAX] = DATA;
        h.runToEnd();
        assertThat(h.cpu.xmm[0]).isEqualTo(0x1111222233334444L);
        assertThat(h.cpu.xmm[1]).isEqualTo(2);
        assertThat(h.cpu.xmm[4]).isEqualTo(0x7777L);
        assertThat(h.cpu.xmm[5]).isZero();
        assertThat(h.cpu.xmm[8]).isEqualTo(0xaaaaaaaa_33334444L);
        assertThat(h.cpu.xmm[9]).isEqualTo(9);
    }

    @Test
    void movdMovqWithGeneralRegisters() {
        CpuHarness h = CpuHarness.ofAsm("movd xmm0, eax\nmovq xmm1, rax\nmovd ecx, xmm1\nmovq rdx, xmm1");
        h.cpu.r[Cpu.RAX] = 0x8000000180000002L;
        h.cpu.xmm[1] = -1;
        h.runToEnd();
        assertThat(h.cpu.xmm[0]).isEqualTo(0x80000002L);
        assertThat(h.cpu.xmm[1]).isZero();
        assertThat(h.cpu.xmm[2]).isEqualTo(0x8000000180000002L);
        assertThat(h.cpu.r[Cpu.RCX]).isEqualTo(0x80000002L);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(0x8000000180000002L);
    }

    @Test
    void shuffles() {
        CpuHarness h = CpuHarness.ofAsm("pshufd xmm1, xmm0, 0x1b\nshufps xmm0, xmm0, 0x00\npunpcklbw xmm2, xmm2");
        h.cpu.xmm[0] = 0x11111111_00000000L;
        h.cpu.xmm[1] = 0x33333333_22222222L;
        h.cpu.xmm[4] = 0x0706050403020100L;
        h.runToEnd();
        assertThat(h.cpu.xmm[2]).isEqualTo(0x22222222_33333333L);
        assertThat(h.cpu.xmm[3]).isEqualTo(0x00000000_11111111L);
        assertThat(h.cpu.xmm[0]).isZero();
        assertThat(h.cpu.xmm[1]).isZero();
        assertThat(h.cpu.xmm[4]).isEqualTo(0x0303020201010000L);
        assertThat(h.cpu.xmm[5]).isEqualTo(0x0707060605050404L);
    }

    @Test
    void packsSaturate() {
        CpuHarness h = CpuHarness.ofAsm("packsswb xmm0, xmm1\npackuswb xmm2, xmm2");
        h.cpu.xmm[0] = 0x8000_7fff_ff80_0080L;
        h.cpu.xmm[2] = 0x0001_0002_0003_0004L;
        h.cpu.xmm[4] = 0x8000_7fff_00ff_0100L;
        h.runToEnd();
        assertThat(h.cpu.xmm[0]).isEqualTo(0x807f807fL);
        assertThat(h.cpu.xmm[1]).isEqualTo(0x01020304L);
        assertThat(h.cpu.xmm[4]).isEqualTo(0x00ffffffL);
        assertThat(h.cpu.xmm[5]).isEqualTo(0x00ffffffL);
    }

    @Test
    void maskmovdquStoresSelectedBytes() {
        CpuHarness h = CpuHarness.ofAsm("maskmovdqu xmm0, xmm1");
        h.cpu.r[Cpu.RDI] = DATA + 0x100;
        h.space.write64(DATA + 0x100, 0x1111111111111111L);
        h.space.write64(DATA + 0x108, 0x2222222222222222L);
        h.cpu.xmm[0] = 0xaabbccddeeff0011L;
        h.cpu.xmm[1] = 0x99L;
        h.cpu.xmm[2] = 0x80000000000000ffL;
        h.cpu.xmm[3] = 0x7f80L;
        h.runToEnd();
        assertThat(h.space.read64(DATA + 0x100)).isEqualTo(0xaa11111111111111L & 0xffffffffffffff00L | 0x11L);
        assertThat(h.space.read64(DATA + 0x108)).isEqualTo(0x2222222222222299L);
    }

    @Test
    void pextrwPinsrw() {
        CpuHarness h = CpuHarness.ofAsm("pinsrw xmm0, eax, 6\npextrw ecx, xmm0, 6\npextrw edx, xmm0, 1");
        h.cpu.r[Cpu.RAX] = 0x12345678;
        h.cpu.r[Cpu.RCX] = -1;
        h.cpu.xmm[0] = 0x0000_0000_abcd_0000L;
        h.runToEnd();
        assertThat(h.cpu.xmm[1]).isEqualTo(0x5678L << 32);
        assertThat(h.cpu.r[Cpu.RCX]).isEqualTo(0x5678);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(0xabcd);
    }
}
