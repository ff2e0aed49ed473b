package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ADD ... CMP, TEST, INC, DEC, NEG, NOT, MUL, IMUL, DIV, IDIV. Expected values are worked out from
 * the SDM's definitions (Vol. 2) or were measured on an Intel host where the SDM leaves a flag
 * undefined. Registers are set from Java so each snippet holds only the instruction under test.
 */
class IntegerAluTest {
    static final long CF = Cpu.CF, PF = Cpu.PF, AF = Cpu.AF, ZF = Cpu.ZF, SF = Cpu.SF, OF = Cpu.OF;
    static final long ALL = Cpu.STATUS_FLAGS;

    /** Runs {@code asm} with RAX, RCX, RDX, RBX and the status flags preset. */
    static CpuHarness run(String asm, long rax, long rcx, long rdx, long rbx, long flags) {
        CpuHarness h = CpuHarness.ofAsm(asm);
        h.cpu.r[Cpu.RAX] = rax;
        h.cpu.r[Cpu.RCX] = rcx;
        h.cpu.r[Cpu.RDX] = rdx;
        h.cpu.r[Cpu.RBX] = rbx;
        h.cpu.setStatusFlags(flags);
        return h.runToEnd();
    }

    static CpuExit.FaultKind fault(String asm, long rax, long rcx, long rdx, long rbx) {
        CpuHarness h = CpuHarness.ofAsm(asm);
        h.cpu.r[Cpu.RAX] = rax;
        h.cpu.r[Cpu.RCX] = rcx;
        h.cpu.r[Cpu.RDX] = rdx;
        h.cpu.r[Cpu.RBX] = rbx;
        CpuExit exit = h.run();
        assertThat(exit).isInstanceOf(CpuExit.Fault.class);
        CpuExit.Fault f = (CpuExit.Fault) exit;
        assertThat(f.rip()).isEqualTo(CpuHarness.CODE);
        // precise: nothing changed
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(rax);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(rdx);
        return f.kind();
    }

    @Test
    void addSetsAllSixFlags() {
        CpuHarness h = run("add eax, edx", 0xffffffff_7fffffffL, 0, 1, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x80000000L); // 32-bit write zero-extends
        assertThat(h.cpu.statusFlags()).isEqualTo(OF | SF | AF | PF);
        h = run("add rax, rdx", -1L, 0, 1, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isZero();
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | ZF | AF | PF);
    }

    @Test
    void byteAndWordFormsMergeIntoTheRegister() {
        CpuHarness h = run("add ah, bh", 0x1111_2222_3344_80ffL, 0, 0, 0x8000, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x1111_2222_3344_00ffL);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | ZF | PF | OF);
        h = run("sub ax, 1", 0x1234_0000L, 0, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x1234_ffffL);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | SF | AF | PF);
    }

    @Test
    void adcAndSbbUseTheCarry() {
        CpuHarness h = run("adc rax, rdx", -1L, 0, 0, 0, CF);
        assertThat(h.cpu.r[Cpu.RAX]).isZero();
        assertThat(h.cpu.statusFlags() & (CF | ZF)).isEqualTo(CF | ZF);
        h = run("sbb eax, edx", 0, 0, 0, 0, CF);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0xffffffffL);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | SF | AF | PF);
        h = run("sbb eax, -1", 5, 0, 0, 0, CF); // 83 /3 ib: 5 - (-1) - 1 = 5, a borrow
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(5);
        assertThat(h.cpu.cf()).isTrue();
    }

    @Test
    void cmpAndTestWriteNothing() {
        CpuHarness h = run("cmp al, 1", 0, 0, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isZero();
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | SF | AF | PF);
        h = run("test rax, rdx", 0x8000_0000_0000_0000L, 0, -1L, 0, ALL);
        assertThat(h.cpu.statusFlags()).isEqualTo(SF | PF);
        // F7 /1 is an undocumented alias of TEST Ev,Iz
        h = run(".byte 0xf7, 0xc8, 0x00, 0x00, 0x00, 0x80", 0x8000_0000L, 0, 0, 0, 0);
        assertThat(h.cpu.statusFlags()).isEqualTo(SF | PF);
    }

    @Test
    void logicClearsCarryAndOverflow() {
        CpuHarness h = run("xor eax, eax", -1L, 0, 0, 0, ALL);
        assertThat(h.cpu.r[Cpu.RAX]).isZero();
        assertThat(h.cpu.statusFlags()).isEqualTo(ZF | PF);
        h = run("or rax, -16", 1, 0, 0, 0, CF | OF);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(-15L);
        assertThat(h.cpu.statusFlags()).isEqualTo(SF);
    }

    @Test
    void incAndDecKeepTheCarry() {
        CpuHarness h = run("inc eax", 0x7fffffff, 0, 0, 0, CF);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x80000000L);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | OF | SF | AF | PF);
        h = run("dec bl", 0, 0, 0, 0x80, 0);
        assertThat(h.cpu.r[Cpu.RBX]).isEqualTo(0x7f);
        assertThat(h.cpu.statusFlags()).isEqualTo(OF | AF);
        h = run("dec rax", 1, 0, 0, 0, CF);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | ZF | PF);
    }

    @Test
    void negAndNot() {
        CpuHarness h = run("neg rax", 0, 0, 0, 0, CF);
        assertThat(h.cpu.statusFlags()).isEqualTo(ZF | PF);
        h = run("neg al", 0x80, 0, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x80);
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | OF | SF);
        h = run("not dx", 0x1234_5678_0000_00ffL, 0, 0x1234_5678_0000_00ffL, 0, ALL);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(0x1234_5678_0000_ff00L);
        assertThat(h.cpu.statusFlags()).isEqualTo(ALL);
    }

    @Test
    void memoryDestinationsAndLock() {
        CpuHarness h = CpuHarness.ofAsm("""
                mov rsi, 0x600000
                add dword ptr [rsi], 1
                lock sub qword ptr [rsi+8], rdx
                lock inc byte ptr [rsi+16]
                lock neg word ptr [rsi+18]
                lock xor qword ptr [rsi+24], -1
                """);
        h.cpu.r[Cpu.RDX] = 5;
        h.cpu.mmu.write64(0x600000, 0xffffffffL);
        h.cpu.mmu.write64(0x600008, 3);
        h.cpu.mmu.write64(0x600010, 0x0001_00ffL);
        h.runToEnd();
        assertThat(h.cpu.mmu.read64(0x600000)).isZero();
        assertThat(h.cpu.mmu.read64(0x600008)).isEqualTo(-2L);
        assertThat(h.cpu.mmu.read64(0x600010)).isEqualTo(0xffff_0000L);
        assertThat(h.cpu.mmu.read64(0x600018)).isEqualTo(-1L);
        assertThat(h.cpu.statusFlags()).isEqualTo(SF | PF);
    }

    @Test
    void lockOnARegisterOrOnCmpIsInvalid() {
        assertThat(fault(".byte 0xf0, 0x01, 0xd0", 0, 0, 0, 0)).isEqualTo(CpuExit.FaultKind.INVALID_OPCODE);
        assertThat(fault(".byte 0xf0, 0x39, 0x06", 0, 0, 0, 0)).isEqualTo(CpuExit.FaultKind.INVALID_OPCODE);
    }

    @Test
    void lockedIncrementsFromTwoThreadsAreAtomic() throws Exception {
        int n = 20000;
        String asm = "lock inc qword ptr [0x600000]\nlock add dword ptr [0x600008], 2\n".repeat(n);
        CpuHarness h = CpuHarness.ofAsm(asm);
        Cpu other = new Cpu(new dev.linux4j.memory.Mmu(h.space), new CodeCache(h.space, Instructions.decoder()));
        other.rip = CpuHarness.CODE;
        Thread t = new Thread(other::run);
        t.start();
        h.runToEnd();
        t.join();
        assertThat(h.cpu.mmu.read64(0x600000)).isEqualTo(2L * n);
        assertThat(h.cpu.mmu.read32(0x600008)).isEqualTo(4 * n);
    }

    @Test
    void mulWritesTheDoubleWidthProduct() {
        CpuHarness h = run("mul rcx", 0x8000_0000_0000_0000L, 2, 7, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isZero();
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(1);
        assertThat(h.cpu.statusFlags() & (CF | OF)).isEqualTo(CF | OF);
        h = run("mul ecx", 0xffff_ffff_ffff_ffffL, 0xffff_ffffL, -1L, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(1);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(0xffff_fffeL);
        h = run("mul cl", 0x1234_0080, 3, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x1234_0180);
        // SF/PF from the low half and ZF/AF clear, as measured on the Intel host
        assertThat(h.cpu.statusFlags()).isEqualTo(CF | OF | SF);
        h = run("mul rcx", 0, 5, 9, 0, ALL);
        assertThat(h.cpu.statusFlags()).isEqualTo(PF);
    }

    @Test
    void imulForms() {
        CpuHarness h = run("imul rcx", -2L, 3, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(-6L);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(-1L);
        assertThat(h.cpu.statusFlags() & (CF | OF)).isZero();
        h = run("imul ax, bx", 0x4000, 0, 0, 2, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x8000);
        assertThat(h.cpu.statusFlags() & (CF | OF)).isEqualTo(CF | OF);
        h = run("imul rax, rbx, -3", 0, 0, 0, 0x6000_0000_0000_0000L, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x6000_0000_0000_0000L * -3);
        assertThat(h.cpu.statusFlags() & (CF | OF)).isEqualTo(CF | OF);
        h = run("imul edx, ebx, 100000", 0, 0, -1L, -7L, 0);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(-700000L & 0xffffffffL);
        assertThat(h.cpu.statusFlags() & (CF | OF)).isZero();
        h = run("imul byte ptr [rip]", 0x40, 0, 0, 0, 0); // [rip] is the UD2 byte 0x0f
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x3c0);
    }

    @Test
    void divAndIdiv() {
        CpuHarness h = run("div rbx", 2, 0, 1, 0xff05ea938db5c909L, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(1);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(0xfa156c724a36f9L);
        h = run("idiv rbx", 2, 0, 1, 0xff05ea938db5c909L, ALL);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0xfffffffffffffefaL);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(0xe1303080bbf38L);
        assertThat(h.cpu.statusFlags()).isEqualTo(ALL); // flags unchanged on the Intel host
        h = run("idiv cl", 0xff85, 0x20, 0, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0xe5fd); // -123 / 32 = -3 rem -27
        h = run("div cx", 0x1234, 0x20, 0x11, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(0x8891);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(0x14);
        h = run("idiv ecx", 0xffff_ffff_ffff_fff9L, -2L, -1L, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(3);
        assertThat(h.cpu.r[Cpu.RDX]).isEqualTo(0xffffffffL);
    }

    @Test
    void divideErrors() {
        CpuExit.FaultKind de = CpuExit.FaultKind.DIVIDE_ERROR;
        assertThat(fault("div rcx", 5, 0, 0, 0)).isEqualTo(de);
        assertThat(fault("idiv rcx", Long.MIN_VALUE, -1, -1, 0)).isEqualTo(de);
        assertThat(fault("div rcx", 0, 7, 7, 0)).isEqualTo(de);
        assertThat(fault("idiv rcx", 0, 2, 1, 0)).isEqualTo(de); // 2^64 / 2 = 2^63 does not fit
        assertThat(fault("idiv ecx", 0x8000_0000L, -1, -1, 0)).isEqualTo(de);
        assertThat(fault("div cl", 0x1000, 0x10, 0, 0)).isEqualTo(de);
        assertThat(fault("idiv cl", 0xff80, 0xff, 0, 0)).isEqualTo(de); // -128 / -1
        // -2^127 / -2^63 = 2^64
        assertThat(fault("idiv rcx", 0, Long.MIN_VALUE, Long.MIN_VALUE, 0)).isEqualTo(de);
    }

    @Test
    void idivAtTheEdgesOfTheRange() {
        // RDX:RAX = -2^64: divided by 2 the quotient -2^63 fits; divided by -2, 2^63 does not
        CpuHarness h = run("idiv rcx", 0, 2, -1L, 0, 0);
        assertThat(h.cpu.r[Cpu.RAX]).isEqualTo(Long.MIN_VALUE);
        assertThat(h.cpu.r[Cpu.RDX]).isZero();
        assertThat(fault("idiv rcx", 0, -2, -1L, 0)).isEqualTo(CpuExit.FaultKind.DIVIDE_ERROR);
    }

    @Test
    void divideUnsigned128MatchesBigInteger() {
        SplittableRandom random = new SplittableRandom(42);
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (int k = 0; k < 200_000; k++) {
            long d = random.nextLong() >>> random.nextInt(64);
            if (d == 0) {
                continue;
            }
            long hi = Long.remainderUnsigned(random.nextLong() >>> random.nextInt(64), d);
            long lo = random.nextLong();
            BigInteger n = new BigInteger(Long.toUnsignedString(hi)).multiply(two64)
                    .add(new BigInteger(Long.toUnsignedString(lo)));
            BigInteger q = n.divide(new BigInteger(Long.toUnsignedString(d)));
            assertThat(Long.toUnsignedString(IntegerAluMulDiv.divideUnsigned128(hi, lo, d)))
                    .as("%x:%x / %x", hi, lo, d).isEqualTo(q.toString());
        }
    }
}
