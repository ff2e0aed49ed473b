package dev.linux4j.elf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One ELF note (gABI 5.2, "Note Section"): {@code Elf64_Nhdr} {namesz, descsz, type} followed by
 * the name and the descriptor, each padded to 4 bytes (8 for PT_NOTE segments with p_align 8,
 * as GNU property notes use).
 *
 * @param name the owner, without its terminating NUL ("GNU", "FreeBSD", ...)
 * @param type the note type, meaningful per owner
 * @param desc the descriptor bytes
 */
public record ElfNote(String name, int type, byte[] desc) {
    /**
     * Decodes the notes of one PT_NOTE segment. A malformed tail ends the list: notes are
     * informative, and Linux itself never rejects a binary for them.
     */
    public static List<ElfNote> parseAll(byte[] seg, long align) {
        int pad = align == 8 ? 8 : 4;
        List<ElfNote> notes = new ArrayList<>();
        int pos = 0;
        while (seg.length - pos >= 12) {
            long namesz = Bytes.u32(seg, pos);
            long descsz = Bytes.u32(seg, pos + 4);
            int type = Bytes.i32(seg, pos + 8);
            long nameStart = pos + 12L;
            long descStart = roundUp(nameStart + namesz, pad);
            long next = roundUp(descStart + descsz, pad);
            if (descStart + descsz > seg.length) {
                break;
            }
            int nameLen = (int) namesz;
            while (nameLen > 0 && seg[(int) nameStart + nameLen - 1] == 0) {
                nameLen--;
            }
            String name = new String(seg, (int) nameStart, nameLen, StandardCharsets.ISO_8859_1);
            byte[] desc = java.util.Arrays.copyOfRange(seg, (int) descStart, (int) (descStart + descsz));
            notes.add(new ElfNote(name, type, desc));
            if (next <= pos || next > Integer.MAX_VALUE) {
                break;
            }
            pos = (int) next;
        }
        return notes;
    }

    private static long roundUp(long v, int pad) {
        return (v + pad - 1) & -pad;
    }

    /** The descriptor's 32-bit little-endian word {@code i}, or -1 when the descriptor is shorter. */
    public long word(int i) {
        return desc.length >= 4 * (i + 1) ? Bytes.u32(desc, 4 * i) : -1;
    }
}
