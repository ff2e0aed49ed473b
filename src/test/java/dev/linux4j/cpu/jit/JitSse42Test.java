package dev.linux4j.cpu.jit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.CpuExit;
import dev.linux4j.cpu.CpuHarness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SSE4.2 and POPCNT forms (PCMPxSTRx, CRC32, PCMPGTQ, POPCNT), which the JIT runs through
 * their Exec, in random loops among inline-compiled forms whose lazy flags they must read past
 * or replace (ALU ops before them; SETcc, CMOVcc, ADC and Jcc after them), and whose registers
 * (RCX, XMM0, the CRC and POPCNT destinations) inline code reads next: every register, the
 * flags, the XMM registers, memory and the exit must match the interpreter's.
 */
class JitSse42Test {
    private static final String[] REGS = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9"};
    private static final String[] REGS32 = {"eax", "ebx", "ecx", "edx", "esi", "edi", "r8d", "r9d"};
    private static final String[] REGS16 = {"ax", "bx", "cx", "dx", "si", "di", "r8w", "r9w"};
    /** Byte registers without REX (AH-DH included), and the destinations they can go with. */
    private static final String[] REGS8 = {"al", "bl", "cl", "dl", "ah", "bh", "ch", "dh"};
    private static final String[] LEGACY32 = {"eax", "ebx", "ecx", "edx", "esi", "edi"};
    /** Byte registers with REX. */
    private static final String[] REGS8R = {"al", "bl", "cl", "dl", "sil", "dil", "r8b", "r9b"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge",
        "le", "g"};
    private static final String[] ALU = {"add", "sub", "and", "or", "xor", "cmp", "test"};

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    private static String x(Random r) {
        return "xmm" + r.nextInt(4);
    }

    /** A string operand: a register, or unaligned memory inside the data area's first 256 bytes. */
    private static String xm(Random r) {
        return r.nextInt(3) == 0 ? "xmmword ptr [r15 + " + r.nextInt(240) + "]" : x(r);
    }

    private static String stringCompare(Random r) {
        String[] ops = {"pcmpistri", "pcmpistrm", "pcmpestri", "pcmpestrm", "pcmpestriq", "pcmpestrmq"};
        String op = pick(r, ops);
        String prefix = op.endsWith("q") ? "rex.W " : "";
        return prefix + op.replace("q", "") + " " + x(r) + ", " + xm(r) + ", " + r.nextInt(256);
    }

    private static String instruction(Random r) {
        int slot = 256 + 8 * r.nextInt(64);
        return switch (r.nextInt(16)) {
            case 0, 1, 2 -> stringCompare(r);
            case 3 -> switch (r.nextInt(4)) {
                case 0 -> r.nextBoolean() ? "crc32 " + pick(r, LEGACY32) + ", " + pick(r, REGS8)
                        : "crc32 " + pick(r, REGS) + ", " + pick(r, REGS8R);
                case 1 -> "crc32 " + pick(r, REGS32) + ", " + pick(r, REGS16);
                case 2 -> "crc32 " + pick(r, REGS32) + ", " + pick(r, REGS32);
                default -> "crc32 " + pick(r, REGS) + ", " + pick(r, REGS);
            };
            case 4 -> "crc32 " + pick(r, REGS) + ", " + pick(r, new String[] {"byte", "qword"}) + " ptr [r15 + "
                    + r.nextInt(248) + "]";
            case 5 -> switch (r.nextInt(3)) {
                case 0 -> "popcnt " + pick(r, REGS16) + ", " + pick(r, REGS16);
                case 1 -> "popcnt " + pick(r, REGS32) + ", dword ptr [r15 + " + r.nextInt(248) + "]";
                default -> "popcnt " + pick(r, REGS) + ", " + pick(r, REGS);
            };
            case 6 -> "pcmpgtq " + x(r) + ", "
                    + (r.nextBoolean() ? x(r) : "xmmword ptr [r15 + " + 16 * r.nextInt(15) + "]");
            case 7 -> "set" + pick(r, CC) + " byte ptr [r15 + " + slot + "]";
            case 8 -> "adc " + pick(r, REGS) + ", " + pick(r, REGS);
            case 9, 10 -> pick(r, ALU) + " " + pick(r, REGS) + ", " + pick(r, REGS);
            case 11 -> "mov qword ptr [r15 + " + slot + "], " + pick(r, REGS);
            case 12 -> "movq " + pick(r, REGS) + ", " + x(r);
            case 13 -> "cmov" + pick(r, CC) + " " + pick(r, REGS) + ", " + pick(r, REGS);
            case 14 -> "mov " + pick(r, new String[] {"rax", "rdx"}) + ", " + (r.nextInt(41) - 20);
            default -> "mov byte ptr [r15 + " + r.nextInt(256) + "], " + pick(r, REGS8R);
        };
    }

    private static String program(Random r) {
        StringBuilder s = new StringBuilder("mov r15, 0x600000\n");
        byte[] alphabet = {0, 'a', 'b', 'c', 'A', 'Z', (byte) 0x80, 0x7f, (byte) 0xff, 1, 'a', 'z'};
        for (int k = 0; k < 256; k += 8) {
            long q = 0;
            for (int b = 0; b < 8; b++) {
                q |= (alphabet[r.nextInt(alphabet.length)] & 0xffL) << (8 * b);
            }
            s.append("movabs rax, ").append(q).append("\nmov qword ptr [r15 + ").append(k).append("], rax\n");
        }
        for (int k = 0; k < 4; k++) {
            s.append("movdqu xmm").append(k).append(", xmmword ptr [r15 + ").append(r.nextInt(240)).append("]\n");
        }
        for (String reg : REGS) {
            s.append("movabs ").append(reg).append(", ").append(r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(40) - 20)
                    .append('\n');
        }
        s.append("mov r12, ").append(2 + r.nextInt(30)).append("\n1:\n");
        int n = 5 + r.nextInt(30);
        for (int k = 0; k < n; k++) {
            s.append(instruction(r)).append('\n');
            if (k == n / 2) {
                s.append("j").append(pick(r, CC)).append(" 2f\n").append(instruction(r)).append("\n2:\n");
            }
        }
        s.append("dec r12\njnz 1b\npushfq\npop r13\n");
        return s.toString();
    }

    private static long[] state(CpuHarness h, CpuExit exit) {
        Cpu c = h.cpu;
        long[] regs = Arrays.copyOf(c.r, 30);
        regs[16] = c.rip;
        regs[17] = c.rflags();
        regs[18] = exit instanceof CpuExit.Fault f ? f.kind().ordinal() : -1;
        regs[19] = Arrays.hashCode(h.space.read(CpuHarness.DATA, 1024));
        System.arraycopy(c.xmm, 0, regs, 20, 8);
        return regs;
    }

    @Test
    void sse42AndPopcntMatchTheInterpreter() {
        Random seeds = new Random(20260612);
        List<String> mismatches = new ArrayList<>();
        for (int iteration = 0; iteration < 120; iteration++) {
            long seed = seeds.nextLong();
            String asm = program(new Random(seed));
            Differential.Outcome o = Differential.run(asm, new ClassfileBlockCompiler(iteration % 2 == 0),
                    JitSse42Test::state);
            if (!o.same()) {
                mismatches.add(o.report(seed, asm));
            }
            // The program must run to its end (the UD2 after it), not stop at an unknown form.
            assertThat(o.ranToEnd()).as("seed %d ran to its end", seed).isTrue();
        }
        assertThat(mismatches).isEmpty();
    }
}
