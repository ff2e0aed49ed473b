package dev.linux4j.elf;

/**
 * ELF constants from the System V gABI and Linux's {@code include/uapi/linux/elf.h}: identification
 * bytes, object types, program header types and flags, and note types used for branding.
 */
public final class Elf {
    private Elf() {}

    // e_ident[] indexes and values (gABI 4.1, "ELF Identification").
    public static final int EI_MAG0 = 0;
    public static final int EI_CLASS = 4;
    public static final int EI_DATA = 5;
    public static final int EI_VERSION = 6;
    public static final int EI_OSABI = 7;
    public static final int EI_ABIVERSION = 8;
    public static final int EI_NIDENT = 16;

    public static final int ELFCLASSNONE = 0;
    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;

    public static final int ELFDATA2LSB = 1;
    public static final int ELFDATA2MSB = 2;

    public static final int ELFOSABI_SYSV = 0;
    public static final int ELFOSABI_HPUX = 1;
    public static final int ELFOSABI_NETBSD = 2;
    public static final int ELFOSABI_GNU = 3;
    public static final int ELFOSABI_SOLARIS = 6;
    public static final int ELFOSABI_AIX = 7;
    public static final int ELFOSABI_IRIX = 8;
    public static final int ELFOSABI_FREEBSD = 9;
    public static final int ELFOSABI_TRU64 = 10;
    public static final int ELFOSABI_MODESTO = 11;
    public static final int ELFOSABI_OPENBSD = 12;
    public static final int ELFOSABI_ARM = 97;
    public static final int ELFOSABI_STANDALONE = 255;

    // e_type
    public static final int ET_NONE = 0;
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    // p_type
    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_SHLIB = 5;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_LOOS = 0x60000000;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PT_GNU_RELRO = 0x6474e552;
    public static final int PT_GNU_PROPERTY = 0x6474e553;
    public static final int PT_LOPROC = 0x70000000;
    public static final int PT_HIPROC = 0x7fffffff;

    // p_flags
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    // Note types used for branding (gABI notes; FreeBSD's sys/elf_common.h; glibc's elf.h).
    public static final int NT_GNU_ABI_TAG = 1;
    public static final int NT_FREEBSD_ABI_TAG = 1;
    public static final int NT_NETBSD_IDENT = 1;
    public static final int NT_OPENBSD_IDENT = 1;
    /** OS values in the descriptor of an NT_GNU_ABI_TAG note. */
    public static final int ELF_NOTE_OS_LINUX = 0;
    public static final int ELF_NOTE_OS_GNU = 1;
    public static final int ELF_NOTE_OS_SOLARIS2 = 2;
    public static final int ELF_NOTE_OS_FREEBSD = 3;

    /** The four magic bytes {@code \177ELF}. */
    public static boolean hasMagic(byte[] b) {
        return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }
}
