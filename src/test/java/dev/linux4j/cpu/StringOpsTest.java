package dev.linux4j.cpu;

import static dev.linux4j.abi.Mman.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * String instructions with and without REP (SDM Vol. 2B, REP/REPE/REPNE). Expected memory comes
 * from a byte-level model of the SDM's element-by-element definition.
 */
class StringOpsTest {
    private static final long DATA = CpuHarness.DATA;
    /** First unmapped address after the harness's data pages. */
    private static final long DATA_END = DATA + 0x10000;

    private static long reg(CpuHarness h, int r) {
        return h.cpu.r[r];
    }

    /** A harness whose data pages hold bytes 0, 1, 2, ... (mod 251). */
    private static CpuHarness withPattern(String asm) {
        CpuHarness h = CpuHarness.ofAsm(asm);
        h.space.write(DATA, pattern(0x10000));
        return h;
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int k = 0; k < n; k++) {
            b[k] = (byte) (k % 251);
        }
        return b;
    }

    /** MOVS as the SDM defines it, one element at a time, over a copy of memory at DATA. */
    private static byte[] modelMovs(byte[] mem, long src, long dst, long count, int size, boolean down) {
        byte[] m = mem.clone();
        int s = (int) (src - DATA);
        int d = (int) (dst - DATA);
        for (long k = 0; k < count; k++) {
            byte[] e = java.util.Arrays.copyOfRange(m, s, s + size);
            System.arraycopy(e, 0, m, d, size);
            s += down ? -size : size;
            d += down ? -size : size;
        }
        return m;
    }

    private static void checkMovs(long src, long dst, long count, int size, boolean down) {
        String insn = switch (size) {
            case 1 -> "rep movsb";
            case 2 -> "rep movsw";
            case 4 -> "rep movsd";
            default -> "rep movsq";
        };
        CpuHarness h = withPattern((down ? "std\n" : "") + insn + "\ncld");
        h.cpu.r[Cpu.RSI] = src;
        h.cpu.r[Cpu.RDI] = dst;
        h.cpu.r[Cpu.RCX] = count;
        byte[] before = h.space.read(DATA, 0x10000);
        h.runToEnd();
        byte[] expected = modelMovs(before, src, dst, count, size, down);
        assertThat(h.space.read(DATA, 0x10000)).as("movs%d %x->%x n=%d down=%s", size, src, dst, count, down)
                .isEqualTo(expected);
        long moved = count * size;
        assertThat(reg(h, Cpu.RCX)).isZero();
        assertThat(reg(h, Cpu.RSI)).isEqualTo(down ? src - moved : src + moved);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(down ? dst - moved : dst + moved);
    }

    @Test
    void repMovsForwardAcrossPages() {
        checkMovs(DATA + 0x123, DATA + 0x8001, 10000, 1, false);
        checkMovs(DATA + 0x100, DATA + 0x8000, 3000, 8, false);
        checkMovs(DATA + 0x0ffd, DATA + 0x9ffe, 2500, 4, false);
        checkMovs(DATA + 0x0ff7, DATA + 0x9ff9, 1500, 8, false);
        checkMovs(DATA + 0x11, DATA + 0x5003, 777, 2, false);
    }

    @Test
    void repMovsBackwardAcrossPages() {
        checkMovs(DATA + 0x5123, DATA + 0xc001, 10000, 1, true);
        checkMovs(DATA + 0x7ff8, DATA + 0xeff0, 3000, 8, true);
        checkMovs(DATA + 0x6ffd, DATA + 0xdffe, 1000, 4, true);
    }

    @Test
    void repMovsOverlapsBehaveElementByElement() {
        // Forward with the destination just above the source replicates a pattern.
        checkMovs(DATA + 0x100, DATA + 0x101, 5000, 1, false);
        checkMovs(DATA + 0x100, DATA + 0x104, 2000, 8, false);
        checkMovs(DATA + 0x100, DATA + 0x200, 2000, 8, false);
        checkMovs(DATA + 0x100, DATA + 0x1003, 1000, 4, false);
        // Forward with the destination below the source is a plain memmove.
        checkMovs(DATA + 0x1000, DATA + 0x0ff0, 5000, 1, false);
        // Backward: musl's memmove (std; rep movsb) with the destination above the source.
        checkMovs(DATA + 0x3000, DATA + 0x3010, 8000, 1, true);
        // Backward with the destination just below the source replicates.
        checkMovs(DATA + 0x9000, DATA + 0x8fff, 5000, 1, true);
        checkMovs(DATA + 0x9000, DATA + 0x8ffc, 1000, 8, true);
    }

    @Test
    void repWithZeroCountDoesNothing() {
        CpuHarness h = withPattern("""
                mov rsi, 0x600000
                mov rdi, 0x600100
                xor ecx, ecx
                cmp ecx, 1
                rep movsb
                rep cmpsb
                setb al
                """);
        h.runToEnd();
        assertThat(reg(h, Cpu.RSI)).isEqualTo(0x600000);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(0x600100);
        assertThat(reg(h, Cpu.RAX) & 0xff).isEqualTo(1); // flags from CMP survive
    }

    @Test
    void movsWithoutRepMovesOneElement() {
        CpuHarness h = withPattern("""
                mov rsi, 0x600010
                mov rdi, 0x600100
                mov rcx, 55
                movsd
                std
                movsw
                cld
                """);
        h.runToEnd();
        assertThat(h.space.read(DATA + 0x100, 4)).containsExactly(16, 17, 18, 19);
        assertThat(h.space.read(DATA + 0x104, 2)).containsExactly(20, 21);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(0x600012);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(0x600102);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(55);
    }

    @Test
    void repStosForms() {
        CpuHarness h = withPattern("""
                mov rdi, 0x600ffd
                mov rcx, 5000
                mov eax, 0x1ab
                rep stosb
                mov r8, rdi
                mov rdi, 0x603ffc
                mov rcx, 1000
                mov rax, 0x1122334455667788
                rep stosq
                mov r9, rdi
                mov rdi, 0x609ffe
                mov rcx, 1000
                std
                rep stosd
                cld
                mov r10, rdi
                """);
        h.runToEnd();
        byte[] mem = h.space.read(DATA, 0x10000);
        byte[] expected = pattern(0x10000);
        java.util.Arrays.fill(expected, 0xffd, 0xffd + 5000, (byte) 0xab);
        for (int k = 0; k < 8000; k++) {
            expected[0x3ffc + k] = (byte) (0x1122334455667788L >>> (8 * (k & 7)));
        }
        for (int e = 0; e < 1000; e++) {
            int at = 0x9ffe - 4 * e;
            for (int b = 0; b < 4; b++) {
                expected[at + b] = (byte) (0x55667788 >>> (8 * b));
            }
        }
        assertThat(mem).isEqualTo(expected);
        assertThat(reg(h, Cpu.R8)).isEqualTo(0x600ffdL + 5000);
        assertThat(reg(h, Cpu.R9)).isEqualTo(0x603ffcL + 8000);
        assertThat(reg(h, Cpu.R10)).isEqualTo(0x609ffeL - 4000);
    }

    @Test
    void repStosFaultIsPrecise() {
        CpuHarness h = CpuHarness.ofAsm("""
                mov rdi, 0x60f000
                mov ecx, 0x2000
                mov al, 0x5a
                rep stosb
                """);
        CpuExit.Fault f = (CpuExit.Fault) h.run();
        assertThat(f.kind()).isEqualTo(CpuExit.FaultKind.PAGE_NOT_MAPPED);
        assertThat(f.address()).isEqualTo(DATA_END);
        assertThat(f.rip()).isEqualTo(CpuHarness.CODE + 7 + 5 + 2);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0x1000);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(DATA_END);
        assertThat(h.space.read(DATA_END - 1, 1)).containsExactly(0x5a);
    }

    @Test
    void repMovsFaultOnStraddlingElementIsPrecise() {
        CpuHarness h = CpuHarness.ofAsm("""
                mov rsi, 0x600000
                mov rdi, 0x60ffe0
                mov ecx, 10
                rep movsq
                """);
        CpuExit.Fault f = (CpuExit.Fault) h.run();
        assertThat(f.kind()).isEqualTo(CpuExit.FaultKind.PAGE_NOT_MAPPED);
        // Four quadwords fit; the fifth starts at 0x610000.
        assertThat(reg(h, Cpu.RCX)).isEqualTo(6);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(DATA_END);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(DATA + 32);

        CpuHarness g = CpuHarness.ofAsm("""
                mov rsi, 0x600000
                mov rdi, 0x60fffc
                mov ecx, 2
                rep movsq
                """);
        g.run();
        assertThat(reg(g, Cpu.RCX)).isEqualTo(2);
        assertThat(reg(g, Cpu.RDI)).isEqualTo(0x60fffcL);
        assertThat(g.space.read(0x60fffc, 4)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void repMovsSourceFaultBackward() {
        CpuHarness h = CpuHarness.ofAsm("""
                std
                mov rsi, 0x600010
                mov rdi, 0x608000
                mov ecx, 100
                rep movsb
                """);
        CpuExit.Fault f = (CpuExit.Fault) h.run();
        assertThat(f.kind()).isEqualTo(CpuExit.FaultKind.PAGE_NOT_MAPPED);
        assertThat(f.address()).isEqualTo(DATA - 1);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(100 - 17);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(DATA - 1);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(0x608000L - 17);
    }

    @Test
    void cmpsFindsFirstDifference() {
        CpuHarness h = withPattern("""
                mov rsi, 0x600000
                mov rdi, 0x601000
                mov rcx, 100
                repe cmpsb
                setb al
                setz bl
                """);
        h.space.write(DATA + 0x1000, pattern(100));
        h.space.write(DATA + 0x1000 + 40, new byte[] {(byte) 0x80});
        h.runToEnd();
        // Element 40 differs (40 - 0x80 borrows): 41 compared, 59 left.
        assertThat(reg(h, Cpu.RCX)).isEqualTo(59);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(DATA + 41);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(DATA + 0x1000 + 41);
        assertThat(reg(h, Cpu.RAX) & 0xff).isEqualTo(1);
        assertThat(reg(h, Cpu.RBX) & 0xff).isEqualTo(0);
    }

    @Test
    void repneCmpsAndEqualRuns() {
        CpuHarness h = withPattern("""
                mov rsi, 0x600000
                mov rdi, 0x601000
                mov rcx, 10
                repne cmpsw
                setz al
                mov rdx, rcx
                mov rsi, 0x600000
                mov rdi, 0x600000
                mov rcx, 10
                repe cmpsq
                setz bl
                """);
        h.space.write(DATA + 0x1006, new byte[] {6, 7});
        h.runToEnd();
        assertThat(reg(h, Cpu.RDX)).isEqualTo(6); // words 0-3 compared, the 4th matched
        assertThat(reg(h, Cpu.RAX) & 0xff).isEqualTo(1);
        assertThat(reg(h, Cpu.RCX)).isZero();
        assertThat(reg(h, Cpu.RBX) & 0xff).isEqualTo(1);
    }

    @Test
    void repneScasIsStrlen() {
        CpuHarness h = CpuHarness.ofAsm("""
                mov rdi, 0x600000
                mov rcx, -1
                xor eax, eax
                repne scasb
                not rcx
                dec rcx
                """);
        h.space.write(DATA, "hello, world\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        h.runToEnd();
        assertThat(reg(h, Cpu.RCX)).isEqualTo(12);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(DATA + 13);
    }

    @Test
    void scasFlagsAndBackward() {
        CpuHarness h = withPattern("""
                mov rdi, 0x600010
                mov eax, 0x0f0e
                std
                mov rcx, 10
                repe scasw
                cld
                setz bl
                """);
        // Words from 0x600010 down: 0x1110 (differs at once).
        h.runToEnd();
        assertThat(reg(h, Cpu.RCX)).isEqualTo(9);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(DATA + 0xe);
        assertThat(reg(h, Cpu.RBX) & 0xff).isEqualTo(0);
    }

    @Test
    void lods() {
        CpuHarness h = withPattern("""
                mov rsi, 0x600004
                mov rax, -1
                lodsb
                mov rbx, rax
                lodsd
                mov rcx, 3
                mov rdx, rcx
                rep lodsw
                """);
        h.runToEnd();
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0xffffffffffffff04L);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0x08070e0dL); // AX from the third word, EAX's top from LODSD
        assertThat(reg(h, Cpu.RSI)).isEqualTo(DATA + 4 + 1 + 4 + 6);
    }

    @Test
    void addressSizeOverrideUses32BitRegisters() {
        CpuHarness h = withPattern("""
                mov rdi, 0xffffffff00600100
                mov rcx, 0xffffffff00000004
                mov al, 0x77
                addr32 rep stosb
                """);
        h.runToEnd();
        assertThat(h.space.read(DATA + 0x100, 5)).containsExactly(0x77, 0x77, 0x77, 0x77, 0x104 % 251);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(DATA + 0x104);
        assertThat(reg(h, Cpu.RCX)).isZero();
    }

    @Test
    void segmentOverrideAppliesToTheSourceOnly() {
        CpuHarness h = withPattern("""
                mov rsi, 0x10
                mov rdi, 0x600200
                mov rcx, 4
                .byte 0x64, 0xf3, 0xa4 # rep movsb with an FS override
                """);
        h.cpu.fsBase = DATA;
        h.runToEnd();
        assertThat(h.space.read(DATA + 0x200, 4)).containsExactly(16, 17, 18, 19);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(0x14);
    }

    @Test
    void longRepResumesAcrossBudgetChunks() {
        long base = 0x10000000L;
        int len = (int) (StringOps.BUDGET * 2 + 12345);
        CpuHarness h = CpuHarness.ofAsm("""
                mov rdi, 0x10000000
                mov rcx, %d
                mov al, 0x3c
                rep stosb
                mov rsi, 0x10000000
                mov rdi, 0x10000000 + %d
                mov rcx, %d
                rep movsb
                """.formatted(len, len, len));
        h.space.map(base, 2L * len + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, "", 0);
        h.runToEnd();
        byte[] all = h.space.read(base, 2 * len + 1);
        for (int k = 0; k < 2 * len; k++) {
            if (all[k] != 0x3c) {
                throw new AssertionError("byte " + k);
            }
        }
        assertThat(all[2 * len]).isZero();
        assertThat(reg(h, Cpu.RCX)).isZero();
    }

    @Test
    void portIoIsGeneralProtection() {
        for (String insn : new String[] {"insb", "outsb", "in al, 0x80", "out dx, al"}) {
            CpuHarness h = CpuHarness.ofAsm(insn);
            CpuExit.Fault f = (CpuExit.Fault) h.run();
            assertThat(f.kind()).as(insn).isEqualTo(CpuExit.FaultKind.GENERAL_PROTECTION);
        }
    }
}
