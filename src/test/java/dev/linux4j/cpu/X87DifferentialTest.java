package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs x87 snippets over vectors recorded on a real x86-64 CPU ({@code x87-vectors.txt},
 * produced by {@code x87-vectors-gen.c} in the same resource directory) and compares every
 * result bit: ST(0) and ST(1) after the instruction, FSW, EFLAGS (ZF PF CF OF SF AF) and the
 * memory written by stores.
 *
 * <p>Each vector is one record at DATA: FCW at +0, operand a at +16 (loaded into ST(0)),
 * operand b at +32 (ST(1), or the memory operand), ST(0) out at +48, ST(1) out at +64, FSW at
 * +80, stores at +96. Set {@code -Dx87.vectors=FILE} to run a larger recorded set.
 */
class X87DifferentialTest {
    static final String PRE = "fninit\n fldcw [rdi]\n fld tbyte ptr [rdi+32]\n fld tbyte ptr [rdi+16]\n";
    static final String POST = "\n fnstsw [rdi+80]\n fstp tbyte ptr [rdi+48]\n fstp tbyte ptr [rdi+64]\n fninit\n";

    record Vector(int op, int cw, byte[] a, byte[] b, String r0, String r1, int sw, int flags, String mem) {}

    @Test
    void matchesHostCpu() throws IOException {
        Map<Integer, String> ops = new LinkedHashMap<>();
        List<Vector> vectors = new ArrayList<>();
        String file = System.getProperty("x87.vectors");
        try (InputStream in = file != null ? Files.newInputStream(Path.of(file))
                : X87DifferentialTest.class.getResourceAsStream("x87-vectors.txt");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#op ")) {
                    String[] p = line.split(" ", 4);
                    ops.put(Integer.parseInt(p[1]), p[3].replace("\\n", "\n"));
                    continue;
                }
                String[] p = line.split(" ");
                vectors.add(new Vector(Integer.parseInt(p[0]), Integer.parseInt(p[1], 16), bytes(p[2]), bytes(p[3]),
                        p[4], p[5], Integer.parseInt(p[6], 16), Integer.parseInt(p[7], 16), p[8]));
            }
        }
        Map<Integer, CpuHarness> harnesses = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Vector v : vectors) {
            String text = ops.get(v.op);
            CpuHarness h = harnesses.computeIfAbsent(v.op, k -> CpuHarness.ofAsm(PRE + text + POST));
            byte[] rec = new byte[112];
            rec[0] = (byte) v.cw;
            rec[1] = (byte) (v.cw >> 8);
            System.arraycopy(v.a, 0, rec, 16, 10);
            System.arraycopy(v.b, 0, rec, 32, 10);
            h.space.poke(CpuHarness.DATA, rec, 0, rec.length);
            h.cpu.r[Cpu.RDI] = CpuHarness.DATA;
            h.cpu.rip = CpuHarness.CODE;
            h.cpu.setStatusFlags(0);
            h.runToEnd();
            String r0 = hex(h, 48);
            String r1 = hex(h, 64);
            int sw = h.cpu.mmu.read16(CpuHarness.DATA + 80);
            int flags = (int) (h.cpu.statusFlags() & 0x8d5);
            String mem = hex(h, 96);
            boolean usesFlags = text.contains("comi");
            if (!r0.equals(v.r0) || !r1.equals(v.r1) || sw != v.sw || (usesFlags && flags != v.flags) || !mem.equals(v.mem)) {
                failures.add(String.format("%s cw=%04x a=%s b=%s: got %s %s %04x %04x %s, host %s %s %04x %04x %s",
                        text.replace("\n", ";"), v.cw, hexOf(v.a), hexOf(v.b), r0, r1, sw, flags, mem, v.r0, v.r1, v.sw,
                        v.flags, v.mem));
            }
        }
        assertThat(failures.subList(0, Math.min(failures.size(), 60)))
                .as("%d of %d vectors differ", failures.size(), vectors.size()).isEmpty();
    }

    private static String hex(CpuHarness h, long off) {
        StringBuilder sb = new StringBuilder();
        for (int i = 9; i >= 0; i--) {
            sb.append(String.format("%02x", h.cpu.mmu.read8(CpuHarness.DATA + off + i)));
        }
        return sb.toString();
    }

    private static String hexOf(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 9; i >= 0; i--) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }

    /** Big-endian hex (as printed) to little-endian bytes. */
    private static byte[] bytes(String hex) {
        byte[] b = new byte[10];
        for (int i = 0; i < 10; i++) {
            b[9 - i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
