package dev.linux4j.elf;

import static dev.linux4j.elf.Elf.*;

import java.util.List;

/**
 * The operating system an ELF file was built for, from e_ident[EI_OSABI] and ABI-tag notes, as
 * FreeBSD's {@code __elfN(get_brandinfo)} decides it. Linux itself ignores both; linux4j refuses
 * a binary branded for another system, which would otherwise run into foreign system calls.
 *
 * @param os "Linux" when the file may run here, else the system it names ("FreeBSD", ...)
 * @param linux whether the file may be loaded as a Linux binary
 * @param minimumKernel the kernel version from a GNU ABI tag ("3.2.0"), or null
 */
public record ElfBrand(String os, boolean linux, String minimumKernel) {

    /** Decides the brand from the header and the notes of every PT_NOTE segment. */
    public static ElfBrand of(ElfHeader header, List<ElfNote> notes) {
        int osAbi = header.osAbi();
        if (osAbi != ELFOSABI_SYSV && osAbi != ELFOSABI_GNU) {
            return new ElfBrand(osAbiName(osAbi), false, null);
        }
        String kernel = null;
        for (ElfNote note : notes) {
            switch (note.name()) {
                case "FreeBSD" -> {
                    if (note.type() == NT_FREEBSD_ABI_TAG) {
                        return new ElfBrand("FreeBSD", false, null);
                    }
                }
                case "NetBSD" -> {
                    if (note.type() == NT_NETBSD_IDENT) {
                        return new ElfBrand("NetBSD", false, null);
                    }
                }
                case "OpenBSD" -> {
                    if (note.type() == NT_OPENBSD_IDENT) {
                        return new ElfBrand("OpenBSD", false, null);
                    }
                }
                case "GNU" -> {
                    if (note.type() == NT_GNU_ABI_TAG && note.desc().length >= 16) {
                        long os = note.word(0);
                        if (os != ELF_NOTE_OS_LINUX) {
                            return new ElfBrand(gnuOsName(os), false, null);
                        }
                        kernel = note.word(1) + "." + note.word(2) + "." + note.word(3);
                    }
                }
                default -> { }
            }
        }
        return new ElfBrand("Linux", true, kernel);
    }

    static String osAbiName(int osAbi) {
        return switch (osAbi) {
            case ELFOSABI_SYSV -> "System V";
            case ELFOSABI_HPUX -> "HP-UX";
            case ELFOSABI_NETBSD -> "NetBSD";
            case ELFOSABI_GNU -> "GNU/Linux";
            case ELFOSABI_SOLARIS -> "Solaris";
            case ELFOSABI_AIX -> "AIX";
            case ELFOSABI_IRIX -> "IRIX";
            case ELFOSABI_FREEBSD -> "FreeBSD";
            case ELFOSABI_TRU64 -> "Tru64";
            case ELFOSABI_MODESTO -> "Novell Modesto";
            case ELFOSABI_OPENBSD -> "OpenBSD";
            case ELFOSABI_ARM -> "ARM EABI";
            case ELFOSABI_STANDALONE -> "standalone (embedded)";
            default -> "OS/ABI " + osAbi;
        };
    }

    static String gnuOsName(long os) {
        return switch ((int) os) {
            case ELF_NOTE_OS_GNU -> "GNU/Hurd";
            case ELF_NOTE_OS_SOLARIS2 -> "Solaris";
            case ELF_NOTE_OS_FREEBSD -> "GNU/kFreeBSD";
            default -> "GNU OS " + os;
        };
    }
}
