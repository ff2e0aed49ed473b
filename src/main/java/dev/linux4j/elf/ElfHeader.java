package dev.linux4j.elf;

import static dev.linux4j.elf.Elf.*;

/**
 * An ELF64 file header, {@code Elf64_Ehdr} (gABI 4.1, "ELF Header"):
 * <pre>
 * typedef struct {
 *     unsigned char e_ident[16];
 *     Elf64_Half e_type;      Elf64_Half e_machine;  Elf64_Word e_version;
 *     Elf64_Addr e_entry;     Elf64_Off  e_phoff;    Elf64_Off  e_shoff;
 *     Elf64_Word e_flags;     Elf64_Half e_ehsize;   Elf64_Half e_phentsize;
 *     Elf64_Half e_phnum;     Elf64_Half e_shentsize; Elf64_Half e_shnum; Elf64_Half e_shstrndx;
 * } Elf64_Ehdr;   // 64 bytes
 * </pre>
 * Fields are decoded little-endian, as the x86-64 kernel reads them; {@link #machineAsEncoded()}
 * honours EI_DATA, for naming the machine of a foreign file.
 */
public record ElfHeader(
        int elfClass,
        int data,
        int identVersion,
        int osAbi,
        int abiVersion,
        int type,
        int machine,
        int version,
        long entry,
        long phoff,
        long shoff,
        int flags,
        int ehsize,
        int phentsize,
        int phnum,
        int shentsize,
        int shnum,
        int shstrndx,
        int machineBigEndian) {

    /** sizeof(Elf64_Ehdr). */
    public static final int SIZE = 64;

    /**
     * Decodes a header from the first bytes of a file. Bytes past the end of {@code b} read as
     * zero, as in the kernel's zero-filled {@code bprm->buf}.
     */
    public static ElfHeader parse(byte[] b) {
        byte[] h = b.length >= SIZE ? b : java.util.Arrays.copyOf(b, SIZE);
        return new ElfHeader(
                h[EI_CLASS] & 0xff,
                h[EI_DATA] & 0xff,
                h[EI_VERSION] & 0xff,
                h[EI_OSABI] & 0xff,
                h[EI_ABIVERSION] & 0xff,
                Bytes.u16(h, 16),
                Bytes.u16(h, 18),
                Bytes.i32(h, 20),
                Bytes.i64(h, 24),
                Bytes.i64(h, 32),
                Bytes.i64(h, 40),
                Bytes.i32(h, 48),
                Bytes.u16(h, 52),
                Bytes.u16(h, 54),
                Bytes.u16(h, 56),
                Bytes.u16(h, 58),
                Bytes.u16(h, 60),
                Bytes.u16(h, 62),
                ((h[18] & 0xff) << 8) | (h[19] & 0xff));
    }

    /** e_machine decoded in the byte order EI_DATA declares. */
    public int machineAsEncoded() {
        return data == ELFDATA2MSB ? machineBigEndian : machine;
    }
}
