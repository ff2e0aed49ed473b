package dev.linux4j.elf;

import static dev.linux4j.elf.Elf.*;

/**
 * An ELF64 program header, {@code Elf64_Phdr} (gABI 5.1, "Program Header"):
 * <pre>
 * typedef struct {
 *     Elf64_Word p_type;    Elf64_Word  p_flags;
 *     Elf64_Off  p_offset;  Elf64_Addr  p_vaddr;  Elf64_Addr p_paddr;
 *     Elf64_Xword p_filesz; Elf64_Xword p_memsz;  Elf64_Xword p_align;
 * } Elf64_Phdr;   // 56 bytes
 * </pre>
 * The 64-bit fields are unsigned in C: compare them with {@link Long#compareUnsigned}.
 */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz, long align) {
    /** sizeof(Elf64_Phdr): the only e_phentsize Linux accepts. */
    public static final int SIZE = 56;

    public static ProgramHeader parse(byte[] b, int off) {
        return new ProgramHeader(
                Bytes.i32(b, off),
                Bytes.i32(b, off + 4),
                Bytes.i64(b, off + 8),
                Bytes.i64(b, off + 16),
                Bytes.i64(b, off + 24),
                Bytes.i64(b, off + 32),
                Bytes.i64(b, off + 40),
                Bytes.i64(b, off + 48));
    }

    /** Decodes {@code count} consecutive headers from a table read out of the file. */
    public static java.util.List<ProgramHeader> parseTable(byte[] table, int count) {
        ProgramHeader[] out = new ProgramHeader[count];
        for (int i = 0; i < count; i++) {
            out[i] = parse(table, i * SIZE);
        }
        return java.util.List.of(out);
    }

    public boolean readable() {
        return (flags & PF_R) != 0;
    }

    public boolean writable() {
        return (flags & PF_W) != 0;
    }

    public boolean executable() {
        return (flags & PF_X) != 0;
    }

    /** A short name for the type, as readelf prints it. */
    public static String typeName(int type) {
        return switch (type) {
            case PT_NULL -> "NULL";
            case PT_LOAD -> "LOAD";
            case PT_DYNAMIC -> "DYNAMIC";
            case PT_INTERP -> "INTERP";
            case PT_NOTE -> "NOTE";
            case PT_SHLIB -> "SHLIB";
            case PT_PHDR -> "PHDR";
            case PT_TLS -> "TLS";
            case PT_GNU_EH_FRAME -> "GNU_EH_FRAME";
            case PT_GNU_STACK -> "GNU_STACK";
            case PT_GNU_RELRO -> "GNU_RELRO";
            case PT_GNU_PROPERTY -> "GNU_PROPERTY";
            default -> String.format("0x%x", type);
        };
    }
}
