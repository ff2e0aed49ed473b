package dev.linux4j.loader;

import static dev.linux4j.elf.Elf.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ELF64 x86-64 executables by hand for the loader's tests. The default is one
 * R+X PT_LOAD at 0x400000 covering the whole file, whose code is {@code exit(42)}.
 */
final class ElfBuilder {
    /** mov edi, 42; mov eax, 60 (exit); syscall. */
    static final byte[] EXIT_42 = {(byte) 0xbf, 42, 0, 0, 0, (byte) 0xb8, 60, 0, 0, 0, 0x0f, 0x05};
    static final long BASE = 0x400000;

    record Phdr(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {}

    byte[] ident = {0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    int type = ET_EXEC;
    int machine = 62;
    int phentsize = 56;
    long phoff = 64;
    Integer phnumOverride;
    long entry = -1;
    final List<Phdr> phdrs = new ArrayList<>();
    /** Bytes placed after the program header table; {@link #dataOffset()} says where. */
    final java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    private boolean defaultLoad = true;

    ElfBuilder() {}

    /** The standard exit(42) program. */
    static ElfBuilder exit42() {
        return new ElfBuilder();
    }

    ElfBuilder noDefaultLoad() {
        defaultLoad = false;
        return this;
    }

    ElfBuilder phdr(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
        phdrs.add(new Phdr(type, flags, offset, vaddr, filesz, memsz, align));
        return this;
    }

    int phnum() {
        return phnumOverride != null ? phnumOverride : phdrs.size() + (defaultLoad ? 1 : 0);
    }

    long dataOffset() {
        return 64 + 56L * (phdrs.size() + (defaultLoad ? 1 : 0));
    }

    /** Appends bytes to the data area; returns their file offset. */
    long append(byte[] bytes) {
        long off = dataOffset() + data.size();
        data.writeBytes(bytes);
        return off;
    }

    byte[] build() {
        long codeOff = dataOffset() + data.size();
        int total = (int) codeOff + EXIT_42.length;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ident);
        b.putShort((short) type).putShort((short) machine).putInt(1);
        b.putLong(entry == -1 ? BASE + codeOff : entry);
        b.putLong(phoff).putLong(0).putInt(0);
        b.putShort((short) 64).putShort((short) phentsize).putShort((short) phnum());
        b.putShort((short) 64).putShort((short) 0).putShort((short) 0);
        List<Phdr> all = new ArrayList<>();
        if (defaultLoad) {
            all.add(new Phdr(PT_LOAD, PF_R | PF_X, 0, BASE, total, total, 0x1000));
        }
        all.addAll(phdrs);
        for (Phdr p : all) {
            b.putInt(p.type()).putInt(p.flags()).putLong(p.offset()).putLong(p.vaddr()).putLong(p.vaddr())
                    .putLong(p.filesz()).putLong(p.memsz()).putLong(p.align());
        }
        b.put(data.toByteArray());
        b.put(EXIT_42);
        return b.array();
    }

    /** A note with the given owner, type and 32-bit descriptor words. */
    static byte[] note(String name, int type, int... words) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int nameSize = n.length + 1;
        int padded = (nameSize + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(12 + padded + 4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(nameSize).putInt(4 * words.length).putInt(type);
        b.put(n);
        b.position(12 + padded);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }
}
