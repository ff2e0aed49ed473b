package dev.linux4j.cpu.jit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linux4j.cpu.Block;
import dev.linux4j.cpu.Cpu;
import dev.linux4j.cpu.CpuExit;
import dev.linux4j.cpu.CpuHarness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's differential fuzz test: random straight-line and looping instruction sequences run
 * in the interpreter and compiled by the JIT must leave every register, the flags, RIP, the
 * exit and memory identical.
 */
class JitDifferentialTest {
    private static final String[] REGS = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11"};
    private static final String[] REGS32 = {"eax", "ebx", "ecx", "edx", "esi", "edi", "r8d", "r9d", "r10d", "r11d"};
    private static final String[] ALU = {"add", "sub", "and", "or", "xor", "adc", "sbb", "cmp", "test"};
    private static final String[] SHIFTS = {"shl", "shr", "sar", "rol", "ror"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge",
        "le", "g"};

    private static String reg(Random r) {
        return REGS[r.nextInt(REGS.length)];
    }

    private static String instruction(Random r) {
        int slot = 8 * r.nextInt(64);
        return switch (r.nextInt(16)) {
            case 0, 1 -> ALU[r.nextInt(ALU.length)] + " " + reg(r) + ", " + reg(r);
            case 2 -> ALU[r.nextInt(ALU.length)] + " " + reg(r) + ", " + (r.nextInt(2000) - 1000);
            case 3 -> ALU[r.nextInt(ALU.length)] + " " + REGS32[r.nextInt(REGS32.length)] + ", "
                    + REGS32[r.nextInt(REGS32.length)];
            case 4 -> SHIFTS[r.nextInt(SHIFTS.length)] + " " + reg(r) + ", " + r.nextInt(64);
            case 5 -> "imul " + reg(r) + ", " + reg(r);
            case 6 -> "lea " + reg(r) + ", [" + reg(r) + " + " + reg(r) + "*" + (1 << r.nextInt(4)) + " + "
                    + r.nextInt(100) + "]";
            case 7 -> "mov qword ptr [r15 + " + slot + "], " + reg(r);
            case 8 -> "mov " + reg(r) + ", qword ptr [r15 + " + slot + "]";
            case 9 -> ALU[r.nextInt(7)] + " qword ptr [r15 + " + slot + "], " + reg(r);
            case 10 -> "cmov" + CC[r.nextInt(CC.length)] + " " + reg(r) + ", " + reg(r);
            case 11 -> "set" + CC[r.nextInt(CC.length)] + " byte ptr [r15 + " + slot + "]";
            case 12 -> (r.nextBoolean() ? "inc " : "dec ") + reg(r);
            case 13 -> (r.nextBoolean() ? "neg " : "not ") + reg(r);
            case 14 -> "movabs " + reg(r) + ", " + r.nextLong();
            default -> "xchg " + reg(r) + ", " + reg(r);
        };
    }

    /** A program: setup, then either a straight line or a counted loop with a branch inside. */
    private static String program(Random r) {
        StringBuilder s = new StringBuilder("mov r15, 0x600000\n");
        for (String reg : REGS) {
            s.append("movabs ").append(reg).append(", ").append(r.nextLong()).append('\n');
        }
        boolean loop = r.nextBoolean();
        if (loop) {
            s.append("mov r12, ").append(5 + r.nextInt(60)).append("\n1:\n");
        }
        int n = 5 + r.nextInt(40);
        for (int k = 0; k < n; k++) {
            s.append(instruction(r)).append('\n');
            if (loop && k == n / 2) {
                s.append("j").append(CC[r.nextInt(CC.length)]).append(" 2f\n")
                        .append(instruction(r)).append("\n2:\n");
            }
        }
        if (loop) {
            s.append("dec r12\njnz 1b\n");
        }
        s.append("pushfq\npop r13\n");
        return s.toString();
    }

    private static long[] state(CpuHarness h, CpuExit exit) {
        Cpu c = h.cpu;
        long[] regs = Arrays.copyOf(c.r, 30);
        regs[16] = c.rip;
        regs[17] = c.rflags();
        regs[18] = exit instanceof CpuExit.Fault f ? f.kind().ordinal() : -1;
        byte[] mem = h.space.read(CpuHarness.DATA, 1024);
        regs[19] = Arrays.hashCode(mem);
        regs[20] = exit instanceof CpuExit.Fault f ? f.rip() : -1;
        regs[21] = exit instanceof CpuExit.Fault f ? f.address() : -1;
        System.arraycopy(c.xmm, 0, regs, 22, 8);
        return regs;
    }

    // ---------------------------------------------------------------- memory, stack, calls, SSE, faults

    private static final String[] REGS8 = {"al", "bl", "cl", "dl", "ah", "bh", "ch", "dh"};
    private static final String[] REGS8M = {"al", "bl", "cl", "dl", "sil", "dil", "r8b", "r9b"};
    private static final String[] REGS16 = {"ax", "bx", "cx", "dx", "si", "di", "r8w", "r9w"};
    private static final String[] SIZES = {"byte", "word", "dword", "qword"};

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    private static String sized(Random r, int size) {
        return switch (size) {
            case 0 -> pick(r, REGS8M);
            case 1 -> pick(r, REGS16);
            case 2 -> pick(r, REGS32);
            default -> reg(r);
        };
    }

    private static String richInstruction(Random r) {
        String mem = "[r15 + " + r.nextInt(120) * (r.nextBoolean() ? 8 : 1) + "]";
        int size = r.nextInt(4);
        String m = SIZES[size] + " ptr " + mem;
        return switch (r.nextInt(34)) {
            case 0 -> "mov " + m + ", " + sized(r, size);
            case 1 -> "mov " + sized(r, size) + ", " + m;
            case 2 -> ALU[r.nextInt(ALU.length)] + " " + m + ", " + sized(r, size);
            case 3 -> ALU[r.nextInt(ALU.length)] + " " + sized(r, size) + ", " + m;
            case 4 -> ALU[r.nextInt(7)] + " " + m + ", " + (r.nextInt(200) - 100);
            case 5 -> pick(r, new String[] {"inc", "dec", "neg", "not"}) + " " + m;
            case 6 -> (r.nextBoolean() ? "movzx " : "movsx ") + reg(r) + ", " + SIZES[r.nextInt(2)] + " ptr " + mem;
            case 7 -> "movsxd " + reg(r) + ", dword ptr " + mem;
            case 8 -> ALU[r.nextInt(ALU.length)] + " " + pick(r, REGS8) + ", " + pick(r, REGS8);
            case 9 -> ALU[r.nextInt(ALU.length)] + " " + pick(r, REGS16) + ", " + pick(r, REGS16);
            case 10 -> "push " + reg(r) + "\npop " + reg(r);
            case 11 -> "push " + (r.nextInt(2000) - 1000) + "\npush qword ptr " + mem + "\npop " + reg(r)
                    + "\npop qword ptr " + mem;
            case 12 -> "call 9b";
            case 13 -> "cld\nlea rsi, [r15 + " + r.nextInt(64) + "]\nlea rdi, [r15 + " + (256 + r.nextInt(64))
                    + "]\nmov ecx, " + r.nextInt(40) + "\nrep movsb";
            case 14 -> "cld\nlea rdi, [r15 + " + (512 + r.nextInt(64)) + "]\nmov ecx, " + r.nextInt(20)
                    + "\nrep stosq";
            case 15 -> "movsd xmm" + r.nextInt(4) + ", qword ptr " + mem;
            case 16 -> "movsd qword ptr " + mem + ", xmm" + r.nextInt(4);
            case 17 -> pick(r, new String[] {"addsd", "mulsd", "subsd", "minsd"}) + " xmm" + r.nextInt(4) + ", xmm"
                    + r.nextInt(4);
            case 18 -> "cvtsi2sd xmm" + r.nextInt(4) + ", " + reg(r);
            case 19 -> "ucomisd xmm" + r.nextInt(4) + ", xmm" + r.nextInt(4);
            case 20 -> SHIFTS[r.nextInt(SHIFTS.length)] + " " + sized(r, size) + ", " + pick(r,
                    new String[] {"0", "1", "cl", String.valueOf(r.nextInt(70))});
            case 21 -> "imul " + reg(r) + ", " + reg(r) + ", " + (r.nextInt(2000) - 1000);
            case 22 -> "imul " + pick(r, REGS32) + ", " + pick(r, REGS32);
            case 23 -> "set" + pick(r, CC) + " " + pick(r, REGS8);
            case 24 -> "cmov" + pick(r, CC) + " " + pick(r, REGS32) + ", dword ptr " + mem;
            case 25 -> "test " + m + ", " + sized(r, size);
            case 26 -> "sar " + sized(r, size) + ", " + r.nextInt(40);
            case 27 -> "lea " + pick(r, REGS32) + ", [" + reg(r) + " + " + reg(r) + "*2 - 7]";
            case 28 -> "mov " + sized(r, size) + ", " + (r.nextInt(200) - 100);
            case 29 -> pick(r, new String[] {"cbw", "cwde", "cdqe", "cwd", "cdq", "cqo"});
            case 30 -> "bswap " + (r.nextBoolean() ? reg(r) : pick(r, REGS32));
            case 31 -> {
                // BSF/BSR; the data area's bytes are often zero, the source case that keeps the destination
                int s = 1 + r.nextInt(3);
                yield pick(r, new String[] {"bsf ", "bsr "}) + sized(r, s) + ", "
                        + (r.nextBoolean() ? sized(r, s) : SIZES[s] + " ptr " + mem);
            }
            case 32 -> switch (r.nextInt(3)) {
                // DIV: RDX zero, RDX below the divisor (a 128-bit dividend) or not (#DE), from memory
                case 0 -> "xor edx, edx\nor " + reg(r) + ", 1\ndiv " + reg(r);
                case 1 -> "mov edx, " + r.nextInt(8) + "\ndiv " + (r.nextBoolean() ? reg(r) : pick(r, REGS32));
                default -> "xor edx, edx\ndiv " + SIZES[2 + r.nextInt(2)] + " ptr " + mem;
            };
            default -> instruction(r);
        };
    }

    /** A fault in the middle of straight-line code: the state before it must be exact. */
    private static String fault(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "mov rax, qword ptr [r14 + 8]";
            case 1 -> "add qword ptr [r14], rbx";
            case 2 -> "movsd xmm1, qword ptr [r14]";
            case 3 -> "xor edx, edx\nmov r13d, 0\ndiv r13";
            default -> "mov byte ptr [r14], 1";
        };
    }

    private static String richProgram(Random r) {
        StringBuilder s = new StringBuilder("jmp 8f\n9:\nlea rax, [rax + rbx*2 + 3]\nadd rcx, 1\nret\n8:\n");
        s.append("mov r15, 0x600000\nmov r14, 0x500000\n");
        for (String reg : REGS) {
            s.append("movabs ").append(reg).append(", ").append(r.nextLong()).append('\n');
        }
        s.append("mov ecx, ").append(r.nextInt(64)).append('\n');
        for (int k = 0; k < 4; k++) {
            s.append("movq xmm").append(k).append(", ").append(reg(r)).append('\n');
        }
        boolean loop = r.nextInt(3) > 0;
        if (loop) {
            s.append("mov r12, ").append(3 + r.nextInt(40)).append("\n1:\n");
        }
        int n = 5 + r.nextInt(40);
        boolean faults = r.nextInt(4) == 0;
        for (int k = 0; k < n; k++) {
            s.append(richInstruction(r)).append('\n');
            if (k == n / 3) {
                s.append("j").append(pick(r, CC)).append(" 2f\n").append(richInstruction(r)).append("\n2:\n");
            }
            if (faults && k == 2 * n / 3) {
                s.append(loop ? "cmp r12, 2\njne 3f\n" + fault(r) + "\n3:\n" : fault(r) + "\n");
            }
        }
        if (loop) {
            s.append("dec r12\njnz 1b\n");
        }
        s.append("pushfq\npop r13\n");
        return s.toString();
    }

    /**
     * ROL/ROR by an immediate (compiled inline) over every operand size and the counts around
     * the size's edges, after each kind of lazy flags (an add, a logic op, a shift, a compare
     * leaving explicit flags, a generic op): CF, OF and the kept flags must match.
     */
    @Test
    void rotatesMatchTheInterpreter() {
        String[] before = {"add rax, rbx", "xor rax, rbx", "shl rax, 3", "ucomisd xmm0, xmm1", "adc rax, rbx",
            "cmp eax, ebx"};
        String[][] regs = {{"al", "ah"}, {"ax", "bx"}, {"eax", "ebx"}, {"rax", "rbx"}};
        int[] counts = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63};
        StringBuilder asm = new StringBuilder("mov r15, 0x600000\nmov r12, 3\n1:\n");
        int slot = 0;
        for (String op : new String[] {"rol", "ror"}) {
            for (String[] r : regs) {
                for (int count : counts) {
                    for (String b : before) {
                        asm.append("movabs rax, 0x8123456789abcdef\nmovabs rbx, 0x7fffffff80000001\nmovq xmm0, rax\n")
                                .append("movq xmm1, rbx\n").append(b).append('\n').append(op).append(' ')
                                .append(r[count % 2]).append(", ").append(count).append('\n')
                                .append("pushfq\npop rcx\nmov qword ptr [r15 + ").append(slot).append("], rcx\n")
                                .append("mov qword ptr [r15 + ").append(slot + 8).append("], rax\n");
                        slot = (slot + 16) % 16384;
                    }
                }
            }
        }
        asm.append("dec r12\njnz 1b\n");
        assertCompiledMatchesInterpreted(asm.toString());
    }

    /**
     * Forms compiled inline only where no later instruction reads their flags (SHL, SHR, SAR by
     * CL), and edge cases random programs seldom reach (BSWAP of a 16-bit register, BSF and BSR
     * of zero, the sign extensions of rAX into rAX and rDX), each followed once by an instruction
     * that sets every flag (their flags dead) and once by PUSHFQ (their flags live), over every
     * operand size: registers, flags and memory must match.
     */
    @Test
    void shiftsByClBitScansAndSignExtensionsMatchTheInterpreter() {
        List<String> forms = new ArrayList<>();
        String[][] regs = {{"al", "ah"}, {"ax", "bx"}, {"eax", "ebx"}, {"rax", "rbx"}};
        for (String op : new String[] {"shl", "shr", "sar", "sal"}) {
            for (String[] r : regs) {
                for (int count : new int[] {0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65}) {
                    forms.add("mov ecx, " + count + "\n" + op + " " + r[count % 2] + ", cl");
                }
            }
        }
        for (String op : new String[] {"bsf", "bsr"}) {
            for (String[] r : new String[][] {{"ax", "dx"}, {"eax", "edx"}, {"rax", "rdx"}}) {
                forms.add("xor edx, edx\n" + op + " " + r[0] + ", " + r[1]);
                forms.add("movabs rdx, 0x0010000080000100\n" + op + " " + r[0] + ", " + r[1]);
                forms.add("mov qword ptr [r15 + 16376], rdx\n" + op + " " + r[0] + ", " + sizeOf(r[0])
                        + " ptr [r15 + 16376]");
            }
        }
        forms.addAll(List.of(".byte 0x66, 0x0f, 0xc8", "bswap eax", "bswap rax", "cbw", "cwde", "cdqe", "cwd", "cdq",
                "cqo"));
        StringBuilder asm = new StringBuilder("mov r15, 0x600000\nmov r12, 3\n1:\n");
        int slot = 0;
        for (String form : forms) {
            for (String after : new String[] {"add rsi, rbx", "nop"}) {
                asm.append("movabs rax, 0x8123456789abcdef\nmovabs rbx, 0x7fffffff80008001\ncmp rax, rbx\n")
                        .append(form).append('\n').append(after).append("\npushfq\npop rsi\n");
                for (String r : new String[] {"rsi", "rax", "rbx", "rdx"}) {
                    asm.append("mov qword ptr [r15 + ").append(slot).append("], ").append(r).append('\n');
                    slot = (slot + 8) % 16368;
                }
            }
        }
        asm.append("dec r12\njnz 1b\n");
        assertCompiledMatchesInterpreted(asm.toString());
    }

    /**
     * A region whose method would be too large is built again from the first half of its blocks,
     * halving until it fits (RegionCompiler.translate). With a method limit far below the JVM's,
     * a loop of twelve conditional read-modify-write steps becomes a smaller region than with
     * the JVM's limit, though still more than its entry block, and runs as the interpreter does.
     */
    @Test
    void anOversizedRegionIsHalvedAndStillRunsAsInterpreted() {
        StringBuilder asm = new StringBuilder("mov rdi, " + CpuHarness.DATA + "\nmov ecx, 300\nloop_top:\n");
        for (int k = 0; k < 12; k++) {
            asm.append("mov rax, [rdi]\nadd rax, rcx\ntest ecx, ").append(1 << (k % 6)).append("\njz step").append(k)
                    .append("\nadd [rdi + ").append(8 + 8 * k).append("], rax\nxor [rdi], rax\nstep").append(k)
                    .append(":\n");
        }
        asm.append("dec ecx\njnz loop_top\n");
        CpuHarness h = CpuHarness.ofAsm(asm.toString());
        Block entry = h.cpu.codeCache().block(CpuHarness.CODE);
        CompiledRegion whole = (CompiledRegion) new RegionCompiler(false).compile(entry, h.cpu.codeCache());
        CompiledRegion halved = (CompiledRegion) new RegionCompiler(false, HALVING_LIMIT).compile(entry, h.cpu.codeCache());
        assertThat(whole).isNotNull();
        assertThat(halved).as("a region within %d bytes", HALVING_LIMIT).isNotNull();
        assertThat(halved.instructionCount()).isLessThan(whole.instructionCount()).isGreaterThan(entry.size());
        assertCompiledMatchesInterpreted(asm.toString(), new ClassfileBlockCompiler(false, HALVING_LIMIT));
    }

    private static final int HALVING_LIMIT = 1500;

    /**
     * A region made after the interpreter ran its blocks leaves out the branch that never ran (it
     * becomes an exit), so that the budget goes to the paths that did: here its eleven
     * instructions, which a region made without counts (--jit=always) takes in.
     */
    @Test
    void aRegionLeavesOutABranchThatNeverRan() {
        String asm = """
                mov ecx, 100
            1:  add rax, rcx
                cmp rcx, 1000
                ja 3f
            2:  dec ecx
                jnz 1b
                jmp 4f
            3:
            """ + "add rbx, 1\n".repeat(10) + "jmp 2b\n4: nop\n";
        long loop = CpuHarness.CODE + 5;
        CpuHarness counted = CpuHarness.ofAsm(asm).runToEnd();
        counted.cpu.codeCache().setCompiler(new ClassfileBlockCompiler(), 1000);
        CompiledRegion profiled = (CompiledRegion) new RegionCompiler(false)
                .compile(counted.cpu.codeCache().block(loop), counted.cpu.codeCache());
        CpuHarness fresh = CpuHarness.ofAsm(asm);
        fresh.cpu.codeCache().setCompiler(new ClassfileBlockCompiler(), 1);
        CompiledRegion unprofiled = (CompiledRegion) new RegionCompiler(false)
                .compile(fresh.cpu.codeCache().block(loop), fresh.cpu.codeCache());
        assertThat(unprofiled.instructionCount() - profiled.instructionCount()).isEqualTo(11);
    }

    /**
     * Runs {@code asm} interpreted, then with every block translated before it first runs: the
     * registers, flags and the first 16 KiB of the data area must match.
     */
    private static void assertCompiledMatchesInterpreted(String asm) {
        assertCompiledMatchesInterpreted(asm, new ClassfileBlockCompiler());
    }

    private static void assertCompiledMatchesInterpreted(String asm, ClassfileBlockCompiler jit) {
        byte[] code = CpuHarness.assemble(asm);
        CpuHarness interpreted = new CpuHarness(code);
        long[] expected = state(interpreted, interpreted.run());
        byte[] expectedMem = interpreted.space.read(CpuHarness.DATA, 16384);
        CpuHarness compiled = new CpuHarness(code);
        compiled.cpu.codeCache().setCompiler(jit, 1);
        long[] actual = state(compiled, compiled.run());
        assertThat(compiled.space.read(CpuHarness.DATA, 16384)).containsExactly(expectedMem);
        assertThat(actual).containsExactly(expected);
    }

    private static String sizeOf(String reg) {
        return reg.startsWith("r") ? "qword" : reg.startsWith("e") ? "dword" : "word";
    }

    /**
     * Straight-line code longer than a block: 200 register instructions, cut into blocks of 64
     * only by their length. A block cut so takes in its continuation up to twice the usual
     * budget, so the first region runs three blocks and the last one is a region of its own: two
     * translations, where the usual budget made three (one block, one block, two blocks).
     */
    @Test
    void straightLineCodeRunsInLargerRegions() {
        String[] forms = {"add rax, rbx", "xor rcx, rax", "rol rdx, 7", "lea rsi, [rsi + rdx * 2 + 3]",
            "imul rbx, rcx, 5", "sub rdi, rsi", "shr r8, 3", "or r8, rdi"};
        StringBuilder asm = new StringBuilder("mov rax, 1\nmov rbx, 2\nmov rdx, 3\n");
        for (int k = 0; k < 197; k++) {
            asm.append(forms[k % forms.length]).append('\n');
        }
        ClassfileBlockCompiler jit = new ClassfileBlockCompiler();
        Differential.Outcome o = Differential.run(asm.toString(), jit, JitDifferentialTest::state);
        assertThat(o.ranToEnd()).isTrue();
        assertThat(o.compiled()).containsExactly(o.interpreted());
        assertThat(jit.compiledBlocks()).isEqualTo(2);
    }

    /**
     * Loads and stores of every size at sites whose address walks across a page boundary, so
     * one site sees accesses within a page, across it, and (last) across into an unmapped page:
     * a compiled region's inline TLB test must send the crossing ones to the split access and
     * the last one to a precise fault.
     */
    @Test
    void accessesAcrossAPageMatchTheInterpreter() {
        String walk = String.join("\n",
                "mov r12, 20", "mov rax, 0x1122334455667788", "mov rbx, 0x0102030405060708", "xor ecx, ecx",
                "1:",
                "mov qword ptr [r15 + r12 + 0xff0], rax", "add rcx, qword ptr [r15 + r12 + 0xff3]",
                "mov dword ptr [r15 + r12 + 0x1ff0], ebx", "xor ecx, dword ptr [r15 + r12 + 0x1ff1]",
                "mov word ptr [r15 + r12 + 0x2fee], cx", "movzx edx, word ptr [r15 + r12 + 0x2fef]",
                "add rbx, rdx", "add qword ptr [r15 + r12 + 0x3ff4], rbx", "rol rax, 5",
                "dec r12", "jnz 1b");
        assertCompiledMatchesInterpreted("mov r15, 0x600000\n" + walk);
        // The same walk up to the end of the data mapping: the first access into the unmapped
        // page faults, with the registers of that iteration.
        assertCompiledMatchesInterpreted("mov r15, 0x60c000\n" + walk);
    }

    /** Code that patches itself (its own block, and a callee) inside hot loops. */
    @Test
    void selfModifyingCodeMatchesTheInterpreter() {
        byte[] rwx = CpuHarness.assemble(String.join("\n",
                "mov r12, 60", "xor ebx, ebx", "xor ecx, ecx",
                "patch: mov eax, 0", "add rbx, rax", "inc ecx", "mov dword ptr [rip + patch + 1], ecx",
                "dec r12", "jnz patch",
                "lea r13, [rip + callee]", "mov byte ptr [r13], 0xb8", "mov dword ptr [r13 + 1], 1",
                "mov byte ptr [r13 + 5], 0xc3", "mov r12, 40",
                "2: call r13", "add rbx, rax", "imul rbx, rbx, 3", "mov dword ptr [r13 + 1], r12d",
                "dec r12", "jnz 2b", "ret", "callee: ret", ".skip 16"));
        long[] state = interpretedAndCompiledAlike(
                CpuHarness.assemble("mov r15, 0x700000\ncall r15\npushfq\npop r14\n"), rwx);
        assertThat(state[Cpu.RCX]).isEqualTo(60);
        // Every patch takes effect at once: the first loop adds 0..59.
        assertThat(state[Cpu.RBX]).isEqualTo(calleePatchedFrom40(59 * 60 / 2));
    }

    /**
     * RBX after the loop both self-modifying tests run, from {@code rbx}: 40 times, call a
     * callee that returns 1 at first, add its EAX, multiply by 3, patch it to return the count.
     */
    private static long calleePatchedFrom40(long rbx) {
        long eax = 1;
        for (long r12 = 40; r12 >= 1; r12--) {
            rbx = (rbx + eax) * 3;
            eax = r12;
        }
        return rbx;
    }

    /**
     * Runs {@code code} on the harness with {@code rwx} at 0x700000 (readable, writable and
     * executable), interpreted and then compiled from the first execution on; asserts both end
     * in the same state and returns it.
     */
    private static long[] interpretedAndCompiledAlike(byte[] code, byte[] rwx) {
        long[][] results = new long[2][];
        for (int k = 0; k < 2; k++) {
            CpuHarness h = new CpuHarness(code);
            h.space.map(0x700000, 0x1000, 7, 0x12, "", 0);
            h.space.poke(0x700000, rwx, 0, rwx.length);
            if (k == 1) {
                h.cpu.codeCache().setCompiler(new ClassfileBlockCompiler(true), 1);
            }
            results[k] = state(h, h.run());
        }
        assertThat(results[1]).containsExactly(results[0]);
        return results[0];
    }

    @Test
    void aCalleeRewrittenFromAnotherPageMatchesTheInterpreter() {
        // The call site and the code that rewrites the callee are on the harness's page, the
        // callee on a page of its own: only the callee's block dies at each rewrite, and the
        // call site, reached again, must not run it (the dispatcher remembers the call site's
        // successor).
        byte[] code = CpuHarness.assemble("""
                mov r13, 0x700000
                mov r12, 40
                xor ebx, ebx
            1:  call r13
                add rbx, rax
                imul rbx, rbx, 3
                mov dword ptr [r13 + 1], r12d
                dec r12
                jnz 1b
                """);
        long[] state = interpretedAndCompiledAlike(code, CpuHarness.assemble("mov eax, 1\nret\n"));
        assertThat(state[Cpu.RBX]).isEqualTo(calleePatchedFrom40(0));
    }

    @Test
    void aChainedCalleeRewrittenFromAnotherPageMatchesTheInterpreter() {
        // The same call site runs three times between rewrites: by the second, the callee is
        // compiled and the site chains to its region directly; a rewrite must end that.
        byte[] code = CpuHarness.assemble("""
                mov r13, 0x700000
                mov r12, 40
                xor ebx, ebx
            1:  mov ecx, 3
            2:  call r13
                add rbx, rax
                imul rbx, rbx, 3
                dec ecx
                jnz 2b
                mov dword ptr [r13 + 1], r12d
                dec r12
                jnz 1b
                """);
        long[] state = interpretedAndCompiledAlike(code, CpuHarness.assemble("mov eax, 1\nret\n"));
        long rbx = 0;
        long eax = 1;
        for (long r12 = 40; r12 >= 1; r12--) {
            for (int k = 0; k < 3; k++) {
                rbx = (rbx + eax) * 3;
            }
            eax = r12;
        }
        assertThat(state[Cpu.RBX]).isEqualTo(rbx);
    }

    @Test
    void memoryStackCallsStringsSseAndFaultsMatchTheInterpreter() {
        Random seeds = new Random(20261123);
        List<String> mismatches = new ArrayList<>();
        for (int iteration = 0; iteration < 300; iteration++) {
            long seed = seeds.nextLong();
            String asm = richProgram(new Random(seed));
            Differential.Outcome o = Differential.run(asm, new ClassfileBlockCompiler(iteration % 2 == 0),
                    JitDifferentialTest::state);
            if (!o.same()) {
                mismatches.add(o.report(seed, asm));
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void compiledCodeMatchesTheInterpreter() {
        Random seeds = new Random(20261122);
        List<String> mismatches = new ArrayList<>();
        for (int iteration = 0; iteration < 150; iteration++) {
            long seed = seeds.nextLong();
            String asm = program(new Random(seed));
            Differential.Outcome o = Differential.run(asm, new ClassfileBlockCompiler(), JitDifferentialTest::state);
            assertThat(o.translated()).isTrue();
            if (!o.same()) {
                mismatches.add(o.report(seed, asm));
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
