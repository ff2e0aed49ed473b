package dev.linux4j.elf;

import java.util.Map;

/** e_machine values (gABI and Linux's {@code include/uapi/linux/elf-em.h}) with readable names. */
public final class ElfMachine {
    private ElfMachine() {}

    public static final int EM_NONE = 0;
    public static final int EM_SPARC = 2;
    public static final int EM_386 = 3;
    public static final int EM_68K = 4;
    public static final int EM_MIPS = 8;
    public static final int EM_PARISC = 15;
    public static final int EM_SPARC32PLUS = 18;
    public static final int EM_PPC = 20;
    public static final int EM_PPC64 = 21;
    public static final int EM_S390 = 22;
    public static final int EM_ARM = 40;
    public static final int EM_SH = 42;
    public static final int EM_SPARCV9 = 43;
    public static final int EM_IA_64 = 50;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;
    public static final int EM_BPF = 247;
    public static final int EM_LOONGARCH = 258;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EM_NONE, "no machine"),
            Map.entry(EM_SPARC, "SPARC"),
            Map.entry(EM_386, "i386"),
            Map.entry(EM_68K, "m68k"),
            Map.entry(EM_MIPS, "MIPS"),
            Map.entry(EM_PARISC, "PA-RISC"),
            Map.entry(EM_SPARC32PLUS, "SPARC32+"),
            Map.entry(EM_PPC, "PowerPC"),
            Map.entry(EM_PPC64, "PowerPC64"),
            Map.entry(EM_S390, "S/390"),
            Map.entry(EM_ARM, "ARM"),
            Map.entry(EM_SH, "SuperH"),
            Map.entry(EM_SPARCV9, "SPARC v9"),
            Map.entry(EM_IA_64, "IA-64"),
            Map.entry(EM_X86_64, "x86-64"),
            Map.entry(EM_AARCH64, "AArch64"),
            Map.entry(EM_RISCV, "RISC-V"),
            Map.entry(EM_BPF, "BPF"),
            Map.entry(EM_LOONGARCH, "LoongArch"));

    /** "AArch64", or "machine 1234" for a value without a name here. */
    public static String name(int machine) {
        String n = NAMES.get(machine);
        return n != null ? n : "machine " + machine;
    }
}
