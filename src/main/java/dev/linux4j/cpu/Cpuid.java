package dev.linux4j.cpu;

import java.nio.charset.StandardCharsets;

/**
 * CPUID and RDTSC (Intel SDM Vol. 2A, CPUID; Vol. 2B, RDTSC). CPUID advertises exactly what
 * linux4j implements (DESIGN.md decision 9): x86-64-v2 (FPU, TSC, CX8, CMOV, CLFSH, MMX, FXSR,
 * SSE, SSE2, SYSCALL, NX, LM, LAHF/SAHF, CMPXCHG16B, SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT) plus
 * MOVBE. Nothing that needs XSAVE state, no AVX, no BMI, no hypervisor bit.
 *
 * <p>Leaf 7 reports ERMS (enhanced REP MOVSB/STOSB), a statement about speed rather than an
 * instruction: REP MOVSB and REP STOSB move whole pages at a time here (StringOps), far faster
 * than the vector loops glibc's memcpy and memset run otherwise, and glibc uses them for sizes
 * from 2 KiB only when ERMS is set (the sieve benchmark's 10 MB memsets: 1.68 -> 1.52 s).
 *
 * <p>The processor is a "GenuineIntel" family 6 model 0x3A (Ivy Bridge signature) which glibc's
 * {@code init_cpu_features} has no model-specific quirks for, and which without AVX selects
 * its SSE2 and SSE4 string functions. Caches (leaf 4): L1d and L1i 32 KiB 8-way, L2 1 MiB 16-way,
 * L3 8 MiB 16-way, 64-byte lines, one thread and one core.
 *
 * <p>Leaves beyond the maximum (and unlisted ones) return zeros. Real Intel CPUs return the data
 * of the highest basic leaf for an out-of-range basic leaf; nothing depends on that.
 */
public final class Cpuid {
    private Cpuid() {}

    /** Highest basic leaf. */
    public static final int MAX_BASIC_LEAF = 0xd;
    /** Highest extended leaf. */
    public static final int MAX_EXTENDED_LEAF = 0x80000008;

    /** Family 6, model 0x3A, stepping 9: EAX of leaf 1. */
    public static final int SIGNATURE = 0x000306a9;

    // Leaf 1 EDX (SDM Vol. 2A, Table 3-11).
    public static final int EDX_FPU = 1 << 0;
    public static final int EDX_TSC = 1 << 4;
    public static final int EDX_CX8 = 1 << 8;
    public static final int EDX_CMOV = 1 << 15;
    public static final int EDX_CLFSH = 1 << 19;
    public static final int EDX_MMX = 1 << 23;
    public static final int EDX_FXSR = 1 << 24;
    public static final int EDX_SSE = 1 << 25;
    public static final int EDX_SSE2 = 1 << 26;
    // Leaf 1 ECX (SDM Vol. 2A, Table 3-10).
    public static final int ECX_SSE3 = 1 << 0;
    public static final int ECX_SSSE3 = 1 << 9;
    public static final int ECX_CX16 = 1 << 13;
    public static final int ECX_SSE4_1 = 1 << 19;
    public static final int ECX_SSE4_2 = 1 << 20;
    public static final int ECX_MOVBE = 1 << 22;
    public static final int ECX_POPCNT = 1 << 23;
    // Leaf 7 subleaf 0 EBX (SDM Vol. 2A, Table 3-8, structured extended feature flags).
    public static final int LEAF7_EBX_ERMS = 1 << 9;
    // Leaf 0x80000001.
    public static final int EXT_ECX_LAHF_LM = 1 << 0;
    public static final int EXT_EDX_SYSCALL = 1 << 11;
    public static final int EXT_EDX_NX = 1 << 20;
    public static final int EXT_EDX_LM = 1 << 29;

    /** CPUID.01H:EDX: what Linux also reports as AT_HWCAP on x86-64. */
    public static final int LEAF1_EDX = EDX_FPU | EDX_TSC | EDX_CX8 | EDX_CMOV | EDX_CLFSH | EDX_MMX | EDX_FXSR
            | EDX_SSE | EDX_SSE2;
    static final int LEAF1_ECX = ECX_SSE3 | ECX_SSSE3 | ECX_CX16 | ECX_SSE4_1 | ECX_SSE4_2 | ECX_MOVBE | ECX_POPCNT;
    /** CLFLUSH line size 8 (x 8 bytes) in bits 15:8, one logical processor in 23:16, APIC id 0. */
    static final int LEAF1_EBX = (8 << 8) | (1 << 16);

    private static final String VENDOR = "GenuineIntel";
    private static final String BRAND = "linux4j virtual x86-64 CPU";

    /** Leaf 4 subleaves: {EAX, EBX, ECX, EDX} per cache, then the terminating null entry. */
    private static final int[][] CACHES = {
        cache(1, 1, 32 << 10, 8, 0),
        cache(2, 1, 32 << 10, 8, 0),
        cache(3, 2, 1 << 20, 16, 0),
        cache(3, 3, 8 << 20, 16, 2),
    };

    /** A leaf 4 entry (SDM Vol. 2A, Table 3-8): type, level, size, ways; 64-byte lines, 1 partition. */
    private static int[] cache(int type, int level, int size, int ways, int edx) {
        int line = 64;
        int sets = size / (ways * line);
        int eax = type | (level << 5) | (1 << 8);
        int ebx = (line - 1) | ((ways - 1) << 22);
        return new int[] {eax, ebx, sets - 1, edx};
    }

    /** CPUID (SDM Vol. 2A): leaf in EAX, subleaf in ECX; writes EAX, EBX, ECX, EDX (zero-extended). */
    static void cpuid(Cpu cpu) {
        int leaf = (int) cpu.r[Cpu.RAX];
        int subleaf = (int) cpu.r[Cpu.RCX];
        int[] v = query(leaf, subleaf);
        cpu.r[Cpu.RAX] = v[0] & 0xffffffffL;
        cpu.r[Cpu.RBX] = v[1] & 0xffffffffL;
        cpu.r[Cpu.RCX] = v[2] & 0xffffffffL;
        cpu.r[Cpu.RDX] = v[3] & 0xffffffffL;
    }

    /** The four registers CPUID returns for {@code leaf}/{@code subleaf}, as {EAX, EBX, ECX, EDX}. */
    public static int[] query(int leaf, int subleaf) {
        return switch (leaf) {
            case 0 -> new int[] {MAX_BASIC_LEAF, chars(VENDOR, 0), chars(VENDOR, 8), chars(VENDOR, 4)};
            case 1 -> new int[] {SIGNATURE, LEAF1_EBX, LEAF1_ECX, LEAF1_EDX};
            // One iteration; descriptor 0xFF: "use leaf 4" (SDM Vol. 2A, Table 3-12).
            case 2 -> new int[] {0x0000ff01, 0, 0, 0};
            case 4 -> subleaf >= 0 && subleaf < CACHES.length ? CACHES[subleaf].clone() : new int[4];
            case 7 -> subleaf == 0 ? new int[] {0, LEAF7_EBX_ERMS, 0, 0} : new int[4];
            case 0xb -> topology(subleaf);
            case 0x80000000 -> new int[] {MAX_EXTENDED_LEAF, 0, 0, 0};
            case 0x80000001 -> new int[] {0, 0, EXT_ECX_LAHF_LM, EXT_EDX_SYSCALL | EXT_EDX_NX | EXT_EDX_LM};
            case 0x80000002, 0x80000003, 0x80000004 -> brand(leaf - 0x80000002);
            // L2: 1024 KiB, 16-way (encoding 8), 64-byte lines.
            case 0x80000006 -> new int[] {0, 0, (1024 << 16) | (8 << 12) | 64, 0};
            // 46 physical, 48 linear address bits.
            case 0x80000008 -> new int[] {46 | (48 << 8), 0, 0, 0};
            default -> new int[4];
        };
    }

    /**
     * Leaf 0xB, extended topology (SDM Vol. 2A, Table 3-8): one SMT level and one core level,
     * each holding one logical processor with x2APIC id 0.
     */
    private static int[] topology(int subleaf) {
        return switch (subleaf) {
            case 0 -> new int[] {0, 1, (1 << 8), 0};
            case 1 -> new int[] {0, 1, (2 << 8) | 1, 0};
            default -> new int[] {0, 0, subleaf & 0xff, 0};
        };
    }

    /** Four characters of {@code s} from {@code at}, little-endian, NUL-padded. */
    private static int chars(String s, int at) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        int v = 0;
        for (int k = 3; k >= 0; k--) {
            int idx = at + k;
            v = (v << 8) | (idx < b.length ? b[idx] & 0xff : 0);
        }
        return v;
    }

    private static int[] brand(int part) {
        int base = part * 16;
        return new int[] {chars(BRAND, base), chars(BRAND, base + 4), chars(BRAND, base + 8), chars(BRAND, base + 12)};
    }

    // ---------------------------------------------------------------- time stamp counter

    /** The TSC runs at a nominal 2.5 GHz from an arbitrary origin, monotonic (System.nanoTime). */
    public static final long TSC_HZ = 2_500_000_000L;
    private static final long ORIGIN = System.nanoTime();

    /** The current TSC value. */
    public static long tsc() {
        long ns = System.nanoTime() - ORIGIN;
        return ns * 5 / 2;
    }

    /** RDTSC (SDM Vol. 2B): EDX:EAX = TSC, upper halves of RAX and RDX cleared. */
    static void rdtsc(Cpu cpu) {
        long t = tsc();
        cpu.r[Cpu.RAX] = t & 0xffffffffL;
        cpu.r[Cpu.RDX] = t >>> 32;
    }
}
