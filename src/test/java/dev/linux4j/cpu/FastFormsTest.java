package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linux4j.memory.GuestFault;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each of the interpreter's specialised instruction forms ({@link FastForms}) against its
 * opcode's general semantics: the same instruction decoded both ways runs from the same random
 * state (registers, status flags, the data page), with its base register pointing into the data
 * page or, one time in eight, at an unmapped page; registers, RFLAGS, memory and the fault (its
 * address and direction) must come out the same.
 */
class FastFormsTest {
    static final String[] FORMS = {
        "mov rax, [rbx+8]", "mov r9, [r12+rcx*4-16]", "mov rcx, qword ptr [0x600010]", "mov rdx, [rip+0x200010]",
        "mov eax, [rbx+8]", "mov r10d, [r13+r14*8+0x20]", "mov esi, dword ptr [0x600020]", "mov r8d, [rip+0x200020]",
        "mov [rbx+8], rax", "mov [rsp+16], r11", "mov [rdi+rsi*2+4], ecx", "mov dword ptr [0x600030], edx",
        "mov qword ptr [0x600038], r8", "mov [rbp-8], r15", "mov [r13+rax*1], r13",
        "lea rax, [rbx+rcx*8+12]", "lea r8d, [rdi+5]", "lea rax, [rip+0x100]", "lea eax, [rbx+rcx*2-7]",
        "lea rsp, [rsp+8]", "lea ecx, [0x7fffffff]", "lea rdx, [rdx+rdx*4]",
        "push rbx", "push r12", "push rsp", "pop rbx", "pop r15", "pop rsp",
        "mov rax, rbx", "{load} mov rax, rbx", "mov r8, r9", "{load} mov r14, rsp", "mov eax, ebx",
        "mov r10d, r11d", "{load} mov ecx, edx", "mov eax, eax",
        "test rax, rbx", "test ecx, edx", "test r8, r8", "test esp, esp",
        "cmp rax, rbx", "cmp ecx, edx", "cmp r9d, r10d", "cmp rsp, rbp",
        "xor eax, eax", "xor rbx, rcx", "xor r8d, r9d", "add rax, rbx", "add ecx, edx", "add r15, r15",
        "sub rax, rbx", "sub esi, edi", "sub r11d, r11d",
        "add rax, 8", "add ecx, -3", "or rax, 1", "or edx, 0x40", "and rax, -16", "and ecx, 7", "sub rsp, 8",
        "sub edx, 1", "cmp rax, 5", "cmp ecx, -1", "cmp r12d, 100", "add r9d, 0x7f", "and esi, -128",
        "movzx eax, byte ptr [rbx+3]", "movzx rcx, byte ptr [rdi+1]", "movzx edx, word ptr [rsi+6]",
        "movzx r11, word ptr [r12-2]", "movsxd rax, dword ptr [rbx+4]", "movsxd rcx, edx", "movsxd r9, r10d",
        "mov eax, 0x12345678", "mov rcx, 0x123456789abcdef0", "mov r9d, 0xfffffff0", "mov rax, -1", "mov r12d, 7",
        "mov qword ptr [rbx+8], -5", "mov dword ptr [rbx+12], 0x80000000", "mov qword ptr [rsp+8], 0x7fffffff",
        "cmp [rbx+8], rax", "cmp [rbx+12], ecx", "cmp rax, [rbx+8]", "cmp ecx, [rbx+4]",
        "cmp qword ptr [rbx+16], 3", "cmp dword ptr [rbx+20], -2", "cmp r8, [r9-8]",
    };
    /** Encodings that must keep the general semantics (they do not fit a specialised form). */
    static final String[] GENERAL = {
        "mov ax, [rbx+8]", "mov al, [rbx+8]", "mov rax, fs:[rbx+8]", "mov eax, [ebx+8]", "lock add [rbx], eax",
        "mov rax, [rcx*8+0x600000]", "add ax, 3", "push ax", "movsxd eax, ebx", "cmp [rbx+rcx*2], eax",
    };
    static final long UNMAPPED = 0x10000;

    @Test
    void specialisedFormsComputeWhatTheGeneralOnesDo() {
        Decoder fast = new Decoder(Instructions.table(), true);
        Decoder general = new Decoder(Instructions.table(), false);
        Random random = new Random(20261125);
        List<String> failures = new ArrayList<>();
        for (String text : FORMS) {
            byte[] code = CpuHarness.assemble(text);
            CpuHarness a = new CpuHarness(code);
            CpuHarness b = new CpuHarness(code);
            Insn fi = fast.decode(at -> a.space.read(at, 1)[0] & 0xff, CpuHarness.CODE);
            Insn gi = general.decode(at -> b.space.read(at, 1)[0] & 0xff, CpuHarness.CODE);
            assertThat(fi.exec.getClass().getName()).as(text).startsWith(FastForms.class.getName() + "$");
            assertThat(gi.exec.getClass().getName()).as(text).doesNotStartWith(FastForms.class.getName());
            int failed = failures.size();
            for (int trial = 0; trial < 300 && failures.size() < failed + 2; trial++) {
                long[] regs = new long[16];
                for (int n = 0; n < 16; n++) {
                    regs[n] = switch (random.nextInt(4)) {
                        case 0 -> random.nextLong();
                        case 1 -> random.nextInt();
                        case 2 -> random.nextInt(256) - 128;
                        default -> random.nextLong() & 0xffffffffL;
                    };
                }
                regs[Cpu.RSP] = CpuHarness.STACK_TOP - 256 - 8 * random.nextInt(16);
                boolean addressOnly = text.startsWith("lea"); // any register values will do
                if (fi.index >= 0 && !addressOnly) {
                    regs[fi.index] = random.nextInt(64);
                }
                if (fi.base >= 0 && !addressOnly) {
                    regs[fi.base] = random.nextInt(8) == 0 ? UNMAPPED : CpuHarness.DATA + 0x100 + random.nextInt(0xe00);
                }
                long flags = random.nextLong() & (Cpu.CF | Cpu.PF | Cpu.AF | Cpu.ZF | Cpu.SF | Cpu.OF);
                byte[] data = new byte[0x1000];
                random.nextBytes(data);
                String fa = run(a, fi, regs, flags, data);
                String fb = run(b, gi, regs, flags, data);
                String sa = state(a, fa);
                String sb = state(b, fb);
                if (!sa.equals(sb)) {
                    failures.add(text + " from " + Arrays.toString(regs) + " flags " + Long.toHexString(flags)
                            + "\n  specialised " + sa + "\n  general     " + sb);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void otherEncodingsKeepTheGeneralSemantics() {
        Decoder fast = new Decoder(Instructions.table(), true);
        for (String text : GENERAL) {
            CpuHarness h = new CpuHarness(CpuHarness.assemble(text));
            Insn i = fast.decode(at -> h.space.read(at, 1)[0] & 0xff, CpuHarness.CODE);
            assertThat(i.exec.getClass().getName()).as(text).doesNotStartWith(FastForms.class.getName());
        }
    }

    private static String run(CpuHarness h, Insn insn, long[] regs, long flags, byte[] data) {
        System.arraycopy(regs, 0, h.cpu.r, 0, 16);
        h.cpu.setStatusFlags(flags);
        h.space.poke(CpuHarness.DATA, data, 0, data.length);
        h.space.poke(CpuHarness.STACK_TOP - 0x1000, data, 0, data.length);
        h.cpu.rip = insn.next;
        try {
            insn.exec.exec(h.cpu, insn);
            return "";
        } catch (GuestFault f) {
            return " fault at " + Long.toHexString(f.address()) + (f.write() ? " writing" : " reading");
        }
    }

    private static String state(CpuHarness h, String fault) {
        return Arrays.toString(h.cpu.r) + " rflags " + Long.toHexString(h.cpu.rflags()) + " rip "
                + Long.toHexString(h.cpu.rip) + fault + " data " + Arrays.hashCode(h.space.read(CpuHarness.DATA, 0x1000))
                + " stack " + Arrays.hashCode(h.space.read(CpuHarness.STACK_TOP - 0x1000, 0x1000));
    }
}
