package dev.linux4j.cpu;

import static dev.linux4j.cpu.IntegerAluTest.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Shifts, rotates, SHLD/SHRD and the bit instructions. Expected values follow the SDM (Vol. 2B,
 * SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD, SHRD; Vol. 2A, BT, BTS, BTR, BTC, BSF, BSR); values
 * for flags and results the SDM leaves undefined were measured on an Intel host.
 */
class ShiftsTest {

    @Test
    void countZeroChangesNoFlagButClearsTheUpperHalf() {
        CpuHarness h = run("shl eax, cl", 0xffff_ffff_1234_5678L, 32, 0, 0, ALL); // 32 masks to 0
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x1234_5678L);
        assertThat(h.cpu.statusFlags()).isEqualTo(ALL);
        h = run("rcl ax, cl", 0x8181, 17, 0, 0, CF); // 17 mod 17 = 0
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x8181);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF);
    }

    @Test
    void countsAreMaskedToFiveOrSixBits() {
        CpuHarness h = run("shl eax, cl", 0x4000_0001L, 33, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x8000_0002L);
        assertThat(h.cpu.statusFlags()).isEqualTo(OF | SF);
        h = run("shr rax, cl", -1L, 64 + 63, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(1);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | OF);
    }

    @Test
    void shlShrSar() {
        CpuHarness h = run("shl rax, 1", 0x4000_0000_0000_0000L, 0, 0, 0, 0);
        assertThat(h.cpu.statusFlags()).isEqualTo(OF | SF | PF);
        h = run("shl al, 8", 0x81, 0, 0, 0, 0); // the last bit out is bit 0
        assertThat(h.cpu.r[Cpu.RAX]).isZero();
        assertThat(h.cpu.statusFlags() & (CF | ZF | PF | SF)).isEqualTo(CF | ZF | PF);
        h = run("shr eax, 1", 0x8000_0001L, 0, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x4000_0000L);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | OF | PF);
        h = run("sar al, 8", 0x81, 0, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0xff);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | SF | PF);
        h = run("sal dx, 4", 0, 0, 0xf00f, 0, 0); // gas encodes SAL as /4
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(0x00f0);
        h = run(".byte 0xd1, 0xf0", 0x4000_0000L, 0, 0, 0, 0); // D1 /6: SAL eax, 1
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x8000_0000L);
    }

    @Test
    void rotatesChangeOnlyCarryAndOverflow() {
        CpuHarness h = run("rol al, 8", 0x01, 0, 0, 0, ZF | SF | AF | PF | OF);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x01);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | ZF | SF | AF | PF | OF);
        h = run("ror ax, 1", 0x8181, 0, 0, 0, ZF);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0xc0c0);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | ZF);
        h = run("rol rax, cl", 0x8000_0000_0000_0001L, 4, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x18);
        assertThat(h.cpu.statusFlags()).isEqualTo(OF); // as the first 1-bit step: 1 XOR 0
    }

    @Test
    void rotatesThroughCarry() {
        CpuHarness h = run("rcr al, 1", 0x81, 0, 0, 0, CF);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0xc0);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF);
        h = run("rcl ax, cl", 0x8181, 18, 0, 0, CF); // 18 mod 17 = 1
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x0303);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | OF);
        h = run("rcl al, cl", 0x80, 9, 0, 0, 0); // 9 mod 9 = 0
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x80);
        h = run("rcl rax, 2", 0x4000_0000_0000_0000L, 0, 0, 0, CF);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(2);
        assertThat(h.cpu.cf()).isTrue();
        h = run("rcr rax, 2", 1, 0, 0, 0, CF);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0xc000_0000_0000_0000L);
        assertThat(h.cpu.cf()).isFalse();
        h = run("rcr eax, cl", 0xffff_ffff_0000_0001L, 33, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isZero();
        assertThat(h.cpu.statusFlags()).isEqualTo(CF);
    }

    @Test
    void shldAndShrd() {
        CpuHarness h = run("shld eax, edx, cl", 0x1234_5678, 33, 0x9abc_def0L, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x2468_acf1L);
        assertThat(h.cpu.statusFlags()).isZero();
        h = run("shrd rax, rdx, 4", 0x1234_5678_9abc_def0L, 0, 0xfL, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0xf123_4567_89ab_cdefL);
        // OF is undefined for count 4; Intel sets MSB(dest) XOR LSB(src), as for count 1
        assertThat(h.cpu.statusFlags()).isEqualTo(SF | OF);
        h = run("shld rax, rdx, 0", -1L, 0, 0, 0, ALL);
        assertThat(h.cpu.statusFlags()).isEqualTo(ALL);
    }

    @Test
    void sixteenBitShldShrdBeyondSixteenAsTheHardware() {
        // Undefined in the SDM: Intel shifts the 48-bit dest:src:dest.
        CpuHarness h = run("shld ax, dx, cl", 0x1234, 17, 0xabcd, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x579a);
        assertThat(h.cpu.cf()).isTrue();
        h = run("shrd ax, dx, cl", 0x1234, 20, 0xabcd, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x4abc);
        assertThat(h.cpu.cf()).isTrue();
    }

    @Test
    void shiftOfAMemoryOperand() {
        CpuHarness h = CpuHarness.ofAsm("sar dword ptr [0x600000], 4\nrol word ptr [0x600004], cl");
        h.cpu.mmu.write64(0x600000, 0x1234_8000_0000L);
        h.cpu.r[Cpu.RCX] = 8;
        h.runToEnd();
        assertThat(h.cpu.mmu.read64(0x600000)).isEqualTo(0x3412_f800_0000L);
    }

    @Test
    void btChangesOnlyTheCarry() {
        CpuHarness h = run("bt eax, ecx", 0xffff_ffff_1234_5678L, 33, 0, 0, ALL & ~CF);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0xffff_ffff_1234_5678L);
        assertThat(h.cpu.statusFlags()).isEqualTo(ALL & ~CF); // bit 1 of 0x...78 is 0
        h = run("bts eax, 0", 0xffff_ffff_1234_5678L, 0, 0, 0, ALL);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x1234_5679L);
        assertThat(h.cpu.statusFlags()).isEqualTo(ALL & ~CF);
        h = run("btc rax, 63", 0, 0, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(Long.MIN_VALUE);
        h = run("btr dx, 17", 0, 0, 0xffff, 0, 0); // 17 mod 16 = 1
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(0xfffd);
        assertThat(h.cpu.cf()).isTrue();
    }

    @Test
    void bitOffsetsReachOutsideAMemoryOperand() {
        CpuHarness h = CpuHarness.ofAsm("bt qword ptr [0x600100], rcx");
        h.cpu.r[Cpu.RCX] = -1;       // bit 63 of the qword at 0x6000f8
        h.cpu.mmu.write64(0x6000f8, 0x8000_0000_0000_0000L);
        h.runToEnd();
        assertThat(h.cpu.cf()).isTrue();
        h = CpuHarness.ofAsm("lock bts dword ptr [0x600100], edx\nbtr word ptr [0x600100], bx");
        h.cpu.r[Cpu.RDX] = 35;       // bit 3 of the dword at 0x600104
        h.cpu.r[Cpu.RBX] = 0xffff;   // -1: bit 15 of the word at 0x6000fe
        h.cpu.mmu.write64(0x6000f8, 0xffff_0000_0000_0000L);
        h.runToEnd();
        assertThat(h.cpu.mmu.read64(0x600100)).isEqualTo(8L << 32);
        assertThat(h.cpu.mmu.read64(0x6000f8)).isEqualTo(0x7fff_0000_0000_0000L);
        assertThat(h.cpu.cf()).isTrue();
    }

    @Test
    void bsfAndBsr() {
        CpuHarness h = run("bsf rax, rdx", -1L, 0, 0x8000_0000_0000_0000L, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(63);
        assertThat(h.cpu.statusFlags()).isEqualTo(PF);
        h = run("bsr eax, edx", -1L, 0, 0x100, 0, ALL);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(8);
        assertThat(h.cpu.statusFlags()).isZero();
        // zero source: destination untouched, upper half included
        h = run("bsf eax, edx", 0xffff_ffff_1234_5677L, 0, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0xffff_ffff_1234_5677L);
        assertThat(h.cpu.statusFlags()).isEqualTo(ZF | PF);
        h = run("bsr ax, word ptr [0x600000]", 7, 0, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(7);
        assertThat(h.cpu.zf()).isTrue();
    }

    @Test
    void tzcntAndLzcntEncodingsRunAsBsfAndBsr() {
        // CPUID does not advertise BMI1/ABM, so F3 0F BC/BD are BSF/BSR (with an ignored REP).
        CpuHarness h = run("tzcnt eax, edx", 0x77, 0, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x77);
        assertThat(h.cpu.zf()).isTrue();
        h = run("lzcnt rax, rdx", 0, 0, 1, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isZero(); // BSR: index 0, not LZCNT's 63
    }
}
