package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Branches, calls, system instructions and NOP forms (SDM Vol. 2). */
class ControlFlowTest {
    private static CpuHarness run(String asm) {
        return CpuHarness.ofAsm(asm).runToEnd();
    }

    private static long reg(CpuHarness h, int r) {
        return h.cpu.r[r];
    }

    @Test
    void callAndRet() {
        CpuHarness h = run("""
                mov r15, rsp
                call f
                mov rbx, 2
                jmp done
            f:
                mov rax, [rsp]
                mov rcx, rsp
                ret
            done:
                """);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(2);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(reg(h, Cpu.R15) - 8);
        assertThat(reg(h, Cpu.RSP)).isEqualTo(reg(h, Cpu.R15));
        // The return address is the instruction after the 5-byte CALL.
        assertThat(reg(h, Cpu.RAX)).isEqualTo(CpuHarness.CODE + 3 + 5);
    }

    @Test
    void retImmediateReleasesArguments() {
        CpuHarness h = run("""
                mov r15, rsp
                push 1
                push 2
                call f
                jmp done
            f:
                ret 16
            done:
                """);
        assertThat(reg(h, Cpu.RSP)).isEqualTo(reg(h, Cpu.R15));
    }

    @Test
    void indirectCallAndJump() {
        CpuHarness h = run("""
                lea rax, [rip + f]
                mov rdi, 0x600000
                mov [rdi], rax
                call qword ptr [rdi]
                lea rbx, [rip + done]
                jmp rbx
                mov rcx, 99
            f:
                add rdx, 1
                ret
            done:
                lea rax, [rip + g]
                call rax
                jmp qword ptr [rdi + 8]
            g:
                add rdx, 10
                lea rsi, [rip + end]
                mov [rdi + 8], rsi
                ret
            end:
                """);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(11);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0);
    }

    @Test
    void conditionalJumps() {
        // Each Jcc after CMP 1, 2 (below, less, not equal, sign, parity of 0xff even).
        CpuHarness h = run("""
                xor ebx, ebx
                mov eax, 1
                cmp eax, 2
                jb 1f
                or ebx, 1
            1:  jl 2f
                or ebx, 2
            2:  je 3f
                jmp 4f
            3:  or ebx, 4
            4:  jle 5f
                or ebx, 8
            5:  ja 6f
                jae 6f
                js 7f
            6:  or ebx, 16
            7:  cmp eax, 2
                jp 8f
                or ebx, 32
            8:  jo 9f
                jno 10f
            9:  or ebx, 64
            10:
                """);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0);
    }

    @Test
    void longConditionalJump() {
        CpuHarness h = run("""
                xor eax, eax
                test eax, eax
                jz distant
                mov ebx, 1
                .skip 300, 0x90
            distant:
                mov ecx, 2
                """);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(2);
    }

    @Test
    void aFaultPastANotTakenBranchIsPrecise() {
        // The interpreter runs the code a not-taken JNE falls through to in the same block: the
        // store that faults there reports its own RIP, with what came before it done and
        // nothing after it.
        String before = """
                mov eax, 1
                cmp eax, 1
                jne 1f
                mov ebx, 2
                """;
        CpuHarness h = CpuHarness.ofAsm(before + """
                mov dword ptr [8], ebx
                mov ecx, 3
            1:  mov edx, 4
                """);
        CpuExit exit = h.run();
        assertThat(exit).isInstanceOf(CpuExit.Fault.class);
        CpuExit.Fault f = (CpuExit.Fault) exit;
        assertThat(f.kind()).isEqualTo(CpuExit.FaultKind.PAGE_NOT_MAPPED);
        assertThat(f.rip()).isEqualTo(CpuHarness.CODE + CpuHarness.assemble(before + "1:").length);
        assertThat(h.cpu.rip).isEqualTo(f.rip());
        assertThat(reg(h, Cpu.RBX)).isEqualTo(2);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0);
    }

    @Test
    void aBranchTakenOutOfTheMiddleOfARunLeavesIt() {
        // Conditional branches in a row, the second taken: the instructions between it and its
        // target, decoded into the same block, must not run (LEA leaves the flags alone).
        CpuHarness h = run("""
                xor ebx, ebx
                mov eax, 5
                cmp eax, 5
                jne 1f
                lea ebx, [rbx + 1]
                je 2f
                lea ebx, [rbx + 2]
                jmp 3f
            1:  lea ebx, [rbx + 4]
            2:  lea ebx, [rbx + 8]
                jne 3f
                lea ebx, [rbx + 16]
            3:
                """);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(1 | 8 | 16);
    }

    @Test
    void loopForms() {
        CpuHarness h = run("""
                mov ecx, 5
                xor eax, eax
            1:  add eax, 1
                loop 1b
                mov rbx, rcx
                mov ecx, 10
                xor edx, edx
            2:  add edx, 1
                cmp edx, 3
                loopne 2b
                mov rsi, rcx
                mov ecx, 10
                xor edi, edi
            3:  add edi, 1
                cmp edi, edi
                loope 3b
                mov r8, rcx
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(5);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(3);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(7);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(10);
        assertThat(reg(h, Cpu.R8)).isEqualTo(0);
    }

    @Test
    void loopWithAddressSizeUsesEcx() {
        CpuHarness h = run("""
                mov rcx, 0x100000001
                xor eax, eax
            1:  add eax, 1
                addr32 loop 1b
                """);
        // ECX 1 -> 0 ends the loop at once; ECX's write zero-extends RCX.
        assertThat(reg(h, Cpu.RAX)).isEqualTo(1);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0);
    }

    @Test
    void jrcxzAndJecxz() {
        CpuHarness h = run("""
                xor ebx, ebx
                mov rcx, 0x100000000
                jrcxz 1f
                or ebx, 1
            1:  jecxz 2f
                or ebx, 2
            2:
                """);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(1);
    }

    @Test
    void syscallSetsRcxAndR11() {
        CpuHarness h = CpuHarness.ofAsm("""
                mov eax, 60
                stc
                syscall
                """);
        CpuExit exit = h.run();
        assertThat(exit).isEqualTo(CpuExit.SYSCALL);
        long next = CpuHarness.CODE + 5 + 1 + 2;
        assertThat(h.cpu.rip).isEqualTo(next);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(next);
        assertThat(reg(h, Cpu.R11) & (Cpu.CF | 0x202)).isEqualTo(Cpu.CF | 0x202);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(60);
    }

    @Test
    void int3TrapsAfterTheInstruction() {
        CpuHarness h = CpuHarness.ofAsm("nop\nint3\nnop");
        CpuExit.Fault f = (CpuExit.Fault) h.run();
        assertThat(f.kind()).isEqualTo(CpuExit.FaultKind.BREAKPOINT);
        assertThat(f.rip()).isEqualTo(CpuHarness.CODE + 2);
    }

    @Test
    void intNIsGeneralProtection() {
        CpuHarness h = CpuHarness.ofAsm("nop\nint 0x80");
        CpuExit.Fault f = (CpuExit.Fault) h.run();
        assertThat(f.kind()).isEqualTo(CpuExit.FaultKind.GENERAL_PROTECTION);
        assertThat(f.rip()).isEqualTo(CpuHarness.CODE + 1);
    }

    @Test
    void hltExitsWithHalt() {
        CpuHarness h = CpuHarness.ofAsm("nop\nhlt");
        assertThat(h.run()).isEqualTo(new CpuExit.Halt(CpuHarness.CODE + 1));
    }

    @Test
    void ud2IsInvalidOpcode() {
        CpuHarness h = CpuHarness.ofAsm("nop\nud2\nnop");
        CpuExit.Fault f = (CpuExit.Fault) h.run();
        assertThat(f.kind()).isEqualTo(CpuExit.FaultKind.INVALID_OPCODE);
        assertThat(f.rip()).isEqualTo(CpuHarness.CODE + 1);
    }

    @Test
    void xgetbvIsInvalidWithoutOsxsave() {
        CpuHarness h = CpuHarness.ofAsm("xor ecx, ecx\nxgetbv");
        CpuExit.Fault f = (CpuExit.Fault) h.run();
        assertThat(f.kind()).isEqualTo(CpuExit.FaultKind.INVALID_OPCODE);
        assertThat(f.rip()).isEqualTo(CpuHarness.CODE + 2);
    }

    @Test
    void nopForms() {
        // Every multi-byte NOP GNU as and gcc emit, ENDBR64/32, prefetches and hint NOPs; the
        // memory operands point nowhere and must not be accessed.
        CpuHarness h = run("""
                mov eax, 7
                endbr64
                endbr32
                .byte 0x0f, 0x1f, 0x00
                .byte 0x0f, 0x1f, 0x40, 0x00
                .byte 0x0f, 0x1f, 0x44, 0x00, 0x00
                .byte 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00
                .byte 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00
                .byte 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
                .byte 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
                .byte 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
                .byte 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
                .byte 0x0f, 0x1f, 0xc0
                .byte 0x66, 0x90
                xchg ax, ax
                mov rbx, 0x7000000000
                prefetcht0 [rbx]
                prefetcht1 [rbx]
                prefetcht2 [rbx]
                prefetchnta [rbx]
                prefetchw [rbx]
                .byte 0x0f, 0x0d, 0x03
                .byte 0x0f, 0x19, 0x03
                .byte 0xf3, 0x0f, 0x1e, 0xc8
                .byte 0x0f, 0x1e, 0x03
                .byte 0xf2, 0x0f, 0x1b, 0x03
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(7);
    }

    @Test
    void segmentPrefixesOnBranchesAreHints() {
        CpuHarness h = run("""
                xor eax, eax
                test eax, eax
                .byte 0x3e
                jz 1f
                mov ebx, 1
            1:
                """);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0);
    }

    @Test
    void rdtscIsMonotonicAndZeroExtends() {
        CpuHarness h = run("""
                mov rax, -1
                mov rdx, -1
                rdtsc
                mov r8, rax
                mov r9, rdx
                rdtsc
                """);
        assertThat(reg(h, Cpu.R8) >>> 32).isZero();
        assertThat(reg(h, Cpu.R9) >>> 32).isZero();
        long first = (reg(h, Cpu.R9) << 32) | reg(h, Cpu.R8);
        long second = (reg(h, Cpu.RDX) << 32) | reg(h, Cpu.RAX);
        assertThat(second).isGreaterThanOrEqualTo(first);
    }
}
