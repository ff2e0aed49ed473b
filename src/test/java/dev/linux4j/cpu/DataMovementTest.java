package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Data movement instructions; expected values from the SDM (and the host CPU where undefined). */
class DataMovementTest {
    private static CpuHarness run(String asm) {
        return CpuHarness.ofAsm(asm).runToEnd();
    }

    private static long reg(CpuHarness h, int r) {
        return h.cpu.r[r];
    }

    @Test
    void movForms() {
        CpuHarness h = run("""
                mov rax, 0x1122334455667788
                mov ebx, 0xffffffff
                mov rcx, -1
                mov cl, 0x12
                mov ch, 0x34
                mov rdx, -1
                mov dx, 0x5678
                mov rsi, -1
                mov esi, 7
                mov rdi, 0x600000
                mov qword ptr [rdi], -2
                mov dword ptr [rdi + 8], -3
                mov r8, [rdi]
                mov r9d, [rdi + 8]
                mov byte ptr [rdi + 16], 0x80
                mov r10, -1
                mov r10b, [rdi + 16]
                mov r11, 0x7fffffff80000000
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0x1122334455667788L);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0xffffffffL);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0xffffffffffff3412L);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0xffffffffffff5678L);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(7);
        assertThat(reg(h, Cpu.R8)).isEqualTo(-2);
        assertThat(reg(h, Cpu.R9)).isEqualTo(0xfffffffdL);
        assertThat(reg(h, Cpu.R10)).isEqualTo(0xffffffffffffff80L);
        assertThat(reg(h, Cpu.R11)).isEqualTo(0x7fffffff80000000L);
    }

    @Test
    void movImmediateToMemorySignExtends() {
        CpuHarness h = run("""
                mov rdi, 0x600000
                mov qword ptr [rdi], -5
                mov word ptr [rdi + 8], 0x8001
                mov rax, [rdi]
                movzx ebx, word ptr [rdi + 8]
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(-5);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0x8001);
    }

    @Test
    void moffsForms() {
        CpuHarness h = run("""
                mov rax, 0xdeadbeefcafebabe
                movabs [0x600100], rax
                mov rax, 0
                movabs al, [0x600101]
                mov rbx, rax
                movabs eax, [0x600100]
                """);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0xba);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0xcafebabeL);
    }

    @Test
    void movzxMovsxMovsxd() {
        CpuHarness h = run("""
                mov rax, -1
                mov ebx, 0x80
                movsx rcx, bl
                movzx rdx, bl
                mov ebx, 0x8000
                movsx esi, bx
                movsx di, bl
                mov r8d, 0x80000000
                movsxd r9, r8d
                mov r10, -1
                .byte 0x45, 0x63, 0xd0
                """); // movsxd r10d, r8d (no REX.W): a plain 32-bit move
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0xffffffffffffff80L);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0x80);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(0xffff8000L);
        assertThat(reg(h, Cpu.R9)).isEqualTo(0xffffffff80000000L);
        assertThat(reg(h, Cpu.R10)).isEqualTo(0x80000000L);
    }

    @Test
    void leaIgnoresSegmentBaseAndTruncates() {
        CpuHarness h = CpuHarness.ofAsm("""
                mov rbx, 0x100
                mov rcx, 3
                lea rax, fs:[rbx + rcx*8 + 0x10]
                lea edx, [rbx - 0x200]
                lea si, [rbx + 0xffff]
                lea rdi, [eax + 0xffffffff]
                """);
        h.cpu.fsBase = 0x7000000;
        h.runToEnd();
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0x128);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0xffffff00L);
        assertThat(reg(h, Cpu.RSI) & 0xffff).isEqualTo(0xff);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(0x127);
    }

    @Test
    void segmentSelectors() {
        CpuHarness h = run("""
                mov rax, -1
                mov ax, cs
                mov rbx, -1
                mov ebx, ss
                mov ecx, ds
                mov edx, fs
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0xffffffffffff0033L);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0x2b);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0);
    }

    @Test
    void movToCsIsInvalid() {
        CpuHarness h = CpuHarness.ofAsm(".byte 0x8e, 0xc8"); // mov cs, eax
        CpuExit.Fault fault = (CpuExit.Fault) h.run();
        assertThat(fault.kind()).isEqualTo(CpuExit.FaultKind.INVALID_OPCODE);
        assertThat(fault.rip()).isEqualTo(CpuHarness.CODE);
    }

    @Test
    void xchgForms() {
        CpuHarness h = run("""
                mov rax, 0xffffffff00000001
                mov rbx, 0xffffffff00000002
                xchg eax, ebx
                mov rcx, 0x1111
                mov rdx, 0x2222
                xchg rcx, rdx
                mov rdi, 0x600000
                mov qword ptr [rdi], 0x55
                mov rsi, 0x66
                lock xchg [rdi], rsi
                mov r8, [rdi]
                mov r9, -1
                .byte 0x45, 0x87, 0xc9
                mov r10, 0xffffffff12345678
                .byte 0x90
                """); // xchg r9d, r9d zero-extends; 90 (nop) leaves RAX's upper half
        assertThat(reg(h, Cpu.RAX)).isEqualTo(2);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(1);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0x2222);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0x1111);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(0x55);
        assertThat(reg(h, Cpu.R8)).isEqualTo(0x66);
        assertThat(reg(h, Cpu.R9)).isEqualTo(0xffffffffL);
    }

    @Test
    void nopDoesNotZeroExtendButXchgR8Does() {
        CpuHarness h = run("""
                mov rax, 0xffffffff12345678
                nop
                pause
                mov r8, 0xaaaaaaaabbbbbbbb
                xchg eax, r8d
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0xbbbbbbbbL);
        assertThat(reg(h, Cpu.R8)).isEqualTo(0x12345678L);
    }

    @Test
    void cmovZeroExtendsEvenWhenFalse() {
        CpuHarness h = run("""
                mov rax, -1
                mov rbx, 5
                xor ecx, ecx
                cmovnz eax, ebx
                mov rdx, -1
                cmovz rdx, rbx
                mov rsi, -1
                cmovz si, bx
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0xffffffffL);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(5);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(0xffffffffffff0005L);
    }

    @Test
    void setcc() {
        CpuHarness h = run("""
                mov rax, -1
                mov rbx, -1
                mov ecx, 1
                cmp ecx, 2
                setb al
                setg bl
                setl bh
                mov rdi, 0x600000
                setne byte ptr [rdi]
                movzx edx, byte ptr [rdi]
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0xffffffffffffff01L);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0xffffffffffff0100L);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(1);
    }

    @Test
    void bswap() {
        CpuHarness h = run("""
                mov rax, 0x1122334455667788
                bswap rax
                mov rbx, 0xffffffff11223344
                bswap ebx
                mov rcx, 0x1122334455667788
                .byte 0x66, 0x0f, 0xc9
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0x8877665544332211L);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0x44332211L);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0x1122334455660000L);
    }

    @Test
    void movbe() {
        CpuHarness h = run("""
                mov rdi, 0x600000
                mov rax, 0x1122334455667788
                movbe [rdi], rax
                mov rbx, [rdi]
                movbe ecx, [rdi]
                mov rdx, -1
                movbe dx, [rdi]
                """);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0x8877665544332211L);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0x11223344L);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0xffffffffffff1122L);
    }

    @Test
    void cbwFamily() {
        CpuHarness h = run("""
                mov rax, 0x12345680
                cbw
                mov rbx, rax
                mov rax, 0xffff8000
                cwde
                mov rcx, rax
                mov rax, 0x80000000
                cdqe
                mov rsi, rax
                mov rax, 0x8000
                mov rdx, 0x1234
                cwd
                mov rdi, rdx
                mov rax, -7
                cqo
                mov r8, rdx
                mov rax, 0x7fffffff
                mov rdx, -1
                cdq
                """);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0x1234ff80L);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0xffff8000L);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(0xffffffff80000000L);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(0xffff);
        assertThat(reg(h, Cpu.R8)).isEqualTo(-1);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0);
    }

    @Test
    void cmpxchgSuccessAndFailure() {
        CpuHarness h = run("""
                mov rdi, 0x600000
                mov qword ptr [rdi], 10
                mov rax, 10
                mov rbx, 20
                lock cmpxchg [rdi], rbx
                setz cl
                mov rsi, [rdi]
                mov rax, 11
                cmpxchg [rdi], rbx
                setz ch
                mov r8, rax
                """);
        assertThat(reg(h, Cpu.RCX) & 0xffff).isEqualTo(0x0001);
        assertThat(reg(h, Cpu.RSI)).isEqualTo(20);
        assertThat(reg(h, Cpu.R8)).isEqualTo(20);
    }

    @Test
    void cmpxchgRegister32AsTheHostCpu() {
        // Oracle (host Intel CPU): failure writes only EAX (zero-extending RAX), success only
        // the destination (zero-extended).
        CpuHarness h = run("""
                mov rax, 0xffffffff00000001
                mov rbx, 0xaaaaaaaa00000002
                mov rcx, 0xbbbbbbbb00000003
                cmpxchg ebx, ecx
                mov r8, rax
                mov r9, rbx
                mov rax, 0xffffffff00000002
                cmpxchg ebx, ecx
                """);
        assertThat(reg(h, Cpu.R8)).isEqualTo(2);
        assertThat(reg(h, Cpu.R9)).isEqualTo(0xaaaaaaaa00000002L);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0xffffffff00000002L);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(3);
    }

    @Test
    void cmpxchgFlagsAreCmp() {
        CpuHarness h = run("""
                mov al, 1
                mov bl, 0x80
                mov rdi, 0x600000
                mov byte ptr [rdi], 2
                cmpxchg [rdi], bl
                pushfq
                pop rdx
                """);
        // 1 - 2: CF, SF, AF, PF set (0xff has even parity), ZF and OF clear.
        assertThat(reg(h, Cpu.RDX) & Cpu.STATUS_FLAGS).isEqualTo(Cpu.CF | Cpu.SF | Cpu.AF | Cpu.PF);
        assertThat(reg(h, Cpu.RAX) & 0xff).isEqualTo(2);
    }

    @Test
    void xadd() {
        CpuHarness h = run("""
                mov rdi, 0x600000
                mov qword ptr [rdi], 5
                mov rax, 7
                lock xadd [rdi], rax
                mov rbx, [rdi]
                mov ecx, 0xffffffff
                mov edx, 1
                xadd ecx, edx
                setc sil
                mov r8d, 3
                xadd r8d, r8d
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(5);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(12);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0xffffffffL);
        assertThat(reg(h, Cpu.RSI) & 0xff).isEqualTo(1);
        assertThat(reg(h, Cpu.R8)).isEqualTo(6);
    }

    @Test
    void cmpxchg8b() {
        CpuHarness h = run("""
                mov rdi, 0x600000
                mov qword ptr [rdi], 5
                mov rax, 0xffffffff00000005
                mov rdx, 0xffffffff00000000
                mov rbx, 0x1111111111111111
                mov rcx, 0x2222222222222222
                lock cmpxchg8b [rdi]
                setz sil
                mov r8, [rdi]
                mov r9, rax
                mov rax, 6
                cmpxchg8b [rdi]
                setz r10b
                """);
        assertThat(reg(h, Cpu.RSI) & 0xff).isEqualTo(1);
        assertThat(reg(h, Cpu.R8)).isEqualTo(0x2222222211111111L);
        assertThat(reg(h, Cpu.R9)).isEqualTo(0xffffffff00000005L);
        assertThat(reg(h, Cpu.R10) & 0xff).isEqualTo(0);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0x11111111L);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0x22222222L);
    }

    @Test
    void cmpxchg16b() {
        CpuHarness h = run("""
                mov rdi, 0x600010
                mov qword ptr [rdi], 1
                mov qword ptr [rdi + 8], 2
                mov rax, 1
                mov rdx, 2
                mov rbx, 3
                mov rcx, 4
                lock cmpxchg16b [rdi]
                setz sil
                mov r8, [rdi]
                mov r9, [rdi + 8]
                cmpxchg16b [rdi]
                setz r10b
                """);
        assertThat(reg(h, Cpu.RSI) & 0xff).isEqualTo(1);
        assertThat(reg(h, Cpu.R8)).isEqualTo(3);
        assertThat(reg(h, Cpu.R9)).isEqualTo(4);
        assertThat(reg(h, Cpu.R10) & 0xff).isEqualTo(0);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(3);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(4);
    }

    @Test
    void cmpxchg16bMisalignedIsGp() {
        CpuHarness h = CpuHarness.ofAsm("""
                mov rdi, 0x600008
                cmpxchg16b [rdi]
                """);
        CpuExit exit = h.run();
        assertThat(exit).isInstanceOf(CpuExit.Fault.class);
        assertThat(((CpuExit.Fault) exit).kind()).isEqualTo(CpuExit.FaultKind.GENERAL_PROTECTION);
        assertThat(((CpuExit.Fault) exit).rip()).isEqualTo(CpuHarness.CODE + 7);
    }

    @Test
    void lockOnRegisterDestinationIsInvalid() {
        CpuHarness h = CpuHarness.ofAsm(".byte 0xf0, 0x48, 0x87, 0xc3"); // lock xchg rbx, rax
        CpuExit exit = h.run();
        assertThat(((CpuExit.Fault) exit).kind()).isEqualTo(CpuExit.FaultKind.INVALID_OPCODE);
        assertThat(((CpuExit.Fault) exit).rip()).isEqualTo(CpuHarness.CODE);
    }

    @Test
    void pushPop() {
        CpuHarness h = run("""
                mov rbx, rsp
                push 0x7fffffff
                push -1
                pop rax
                pop rcx
                mov rdx, 0x1234
                push dx
                pop si
                push rsp
                pop rdi
                mov r8, 0x600000
                mov qword ptr [r8], 0x99
                push qword ptr [r8]
                pop qword ptr [r8 + 8]
                mov r9, [r8 + 8]
                push 7
                pop qword ptr [rsp]
                mov r10, [rsp]
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(-1);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0x7fffffff);
        assertThat(reg(h, Cpu.RSI) & 0xffff).isEqualTo(0x1234);
        assertThat(reg(h, Cpu.RDI)).isEqualTo(reg(h, Cpu.RBX));
        assertThat(reg(h, Cpu.R9)).isEqualTo(0x99);
        assertThat(reg(h, Cpu.RSP)).isEqualTo(reg(h, Cpu.RBX));
        // POP [RSP] computes the address after RSP is incremented (SDM Vol. 2B, POP).
        assertThat(reg(h, Cpu.R10)).isEqualTo(7);
    }

    @Test
    void popRsp() {
        CpuHarness h = run("""
                mov rax, 0x600100
                push rax
                pop rsp
                """);
        assertThat(reg(h, Cpu.RSP)).isEqualTo(0x600100);
    }

    @Test
    void popToUnwritableMemoryIsPrecise() {
        CpuHarness h = CpuHarness.ofAsm("""
                push 5
                mov rax, 0x400000
                pop qword ptr [rax]
                """);
        long sp0 = h.cpu.r[Cpu.RSP];
        CpuExit exit = h.run();
        assertThat(((CpuExit.Fault) exit).kind()).isEqualTo(CpuExit.FaultKind.PAGE_PROTECTION);
        assertThat(h.cpu.r[Cpu.RSP]).isEqualTo(sp0 - 8);
    }

    @Test
    void pushfPopfRoundTrip() {
        CpuHarness h = run("""
                mov eax, 0x8d5
                or eax, 0x400
                push rax
                popfq
                pushfq
                pop rbx
                push 0
                popfq
                pushfq
                pop rcx
                pushf
                pop dx
                """);
        // IF (0x200) and reserved bit 1 always read as set; CF PF AF ZF SF OF DF round-trip.
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0xcd5 | 0x202);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0x202);
        assertThat(reg(h, Cpu.RDX) & 0xffff).isEqualTo(0x202);
    }

    @Test
    void popfUserModeCannotChangeIfOrIopl() {
        CpuHarness h = run("""
                push 0x3000
                popfq
                pushfq
                pop rax
                push 0x244000
                popfq
                pushfq
                pop rbx
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0x202);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0x244202); // NT, AC and ID are writable
    }

    @Test
    void lahfSahf() {
        CpuHarness h = run("""
                mov eax, 0xff00
                sahf
                pushfq
                pop rbx
                mov eax, 0
                lahf
                mov esi, eax
                mov ecx, 0x7fffffff
                add ecx, 1
                mov eax, 0x0000
                sahf
                seto dl
                """);
        assertThat(reg(h, Cpu.RBX) & Cpu.STATUS_FLAGS).isEqualTo(Cpu.SF | Cpu.ZF | Cpu.AF | Cpu.PF | Cpu.CF);
        assertThat((reg(h, Cpu.RSI) >> 8) & 0xff).isEqualTo(0xd7);
        // SAHF leaves OF alone.
        assertThat(reg(h, Cpu.RDX) & 0xff).isEqualTo(1);
    }

    @Test
    void lahfReadsFlags() {
        CpuHarness h = run("""
                mov eax, 0
                mov ecx, 0
                sub ecx, 1
                lahf
                """);
        // 0 - 1: SF, AF, PF, CF set; ZF clear; bit 1 always 1.
        assertThat((reg(h, Cpu.RAX) >> 8) & 0xff).isEqualTo(0x80 | 0x10 | 0x04 | 0x02 | 0x01);
    }

    @Test
    void flagInstructions() {
        CpuHarness h = run("""
                stc
                setc al
                cmc
                setc bl
                stc
                clc
                setc cl
                std
                pushfq
                pop rdx
                cld
                pushfq
                pop rsi
                """);
        assertThat(reg(h, Cpu.RAX) & 0xff).isEqualTo(1);
        assertThat(reg(h, Cpu.RBX) & 0xff).isEqualTo(0);
        assertThat(reg(h, Cpu.RCX) & 0xff).isEqualTo(0);
        assertThat(reg(h, Cpu.RDX) & Cpu.DF).isEqualTo(Cpu.DF);
        assertThat(reg(h, Cpu.RSI) & Cpu.DF).isEqualTo(0);
    }

    @Test
    void enterLeave() {
        CpuHarness h = run("""
                mov rbp, 0x1111
                mov r15, rsp
                enter 0x20, 0
                mov rax, rbp
                mov rbx, rsp
                leave
                mov rcx, rbp
                mov rdx, rsp
                """);
        long sp = reg(h, Cpu.R15);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(sp - 8);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(sp - 8 - 0x20);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0x1111);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(sp);
    }

    @Test
    void enterWithNestingLevel() {
        // SDM Vol. 2A, ENTER: level 3 copies two frame pointers from [rbp-8], [rbp-16] and then
        // pushes the new frame pointer.
        CpuHarness h = run("""
                mov r15, rsp
                mov rbp, 0x600100
                mov qword ptr [rbp - 8], 0xaaaa
                mov qword ptr [rbp - 16], 0xbbbb
                enter 0x10, 3
                mov rax, [rsp + 0x10]
                mov rbx, [rsp + 0x18]
                mov rcx, [rsp + 0x20]
                mov rdx, [rsp + 0x28]
                mov rsi, rbp
                """);
        long sp = reg(h, Cpu.R15);
        long frame = sp - 8;
        assertThat(reg(h, Cpu.RSI)).isEqualTo(frame);
        assertThat(reg(h, Cpu.RSP)).isEqualTo(frame - 24 - 0x10);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(frame);
        assertThat(reg(h, Cpu.RBX)).isEqualTo(0xbbbb);
        assertThat(reg(h, Cpu.RCX)).isEqualTo(0xaaaa);
        assertThat(reg(h, Cpu.RDX)).isEqualTo(0x600100);
    }

    @Test
    void enterLevelOnePushesFramePointer() {
        CpuHarness h = run("""
                mov r15, rsp
                mov rbp, 0x600100
                enter 0, 1
                mov rax, [rsp]
                """);
        long frame = reg(h, Cpu.R15) - 8;
        assertThat(reg(h, Cpu.RBP)).isEqualTo(frame);
        assertThat(reg(h, Cpu.RSP)).isEqualTo(frame - 8);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(frame);
    }

    @Test
    void xlat() {
        CpuHarness h = run("""
                mov rdi, 0x600000
                mov byte ptr [rdi + 0xfe], 0x42
                mov rbx, rdi
                mov rax, -2
                xlatb
                """);
        assertThat(reg(h, Cpu.RAX)).isEqualTo(0xffffffffffffff42L);
    }
}
