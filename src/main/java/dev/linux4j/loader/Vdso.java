package dev.linux4j.loader;

import dev.linux4j.abi.Mman;
import dev.linux4j.elf.Elf;
import dev.linux4j.memory.AddressSpace;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The vDSO ({@code arch/x86/entry/vdso}, vdso(7)): the small shared object the kernel maps into
 * every process, which the C libraries find through AT_SYSINFO_EHDR and call for the time
 * functions. Linux's reads the clock from the [vvar] pages without entering the kernel; linux4j's
 * functions make the system call (a system call costs no mode switch here), which is what the
 * kernel's own vDSO does when its clock cannot be read in user mode. The image is an ELF
 * ET_DYN object built here, with Linux's exported symbols (the __vdso_ names global, the plain
 * ones weak), symbol versions (LINUX_2.6) and soname (linux-vdso.so.1), so that glibc's and
 * musl's lookups, ldd and dl_iterate_phdr see what they see on Linux.
 *
 * <p>{@link #map} lays out the mappings as map_vdso() of the host's kernel (6.x) does: [vvar]
 * (4 pages), [vvar_vclock] (2 pages) and [vdso] (2 pages, the image), top-down below the other
 * mappings, after the program and its interpreter. The [vvar] pages read as zeros.
 */
public final class Vdso {
    private Vdso() {}

    static final int VVAR_PAGES = 4;
    static final int VVAR_VCLOCK_PAGES = 2;
    static final int VDSO_PAGES = 2;

    /** The exported functions and the system call each makes (asm/unistd_64.h). */
    private static final String[] FUNCTIONS = {"clock_gettime", "gettimeofday", "time", "getcpu", "clock_getres"};
    private static final int[] SYSCALLS = {228, 96, 201, 309, 229};

    private static final int DT_NULL = 0;
    private static final int DT_HASH = 4;
    private static final int DT_STRTAB = 5;
    private static final int DT_SYMTAB = 6;
    private static final int DT_STRSZ = 10;
    private static final int DT_SYMENT = 11;
    private static final int DT_SONAME = 14;
    private static final int DT_VERSYM = 0x6ffffff0;
    private static final int DT_VERDEF = 0x6ffffffc;
    private static final int DT_VERDEFNUM = 0x6ffffffd;
    private static final int STB_GLOBAL = 1;
    private static final int STB_WEAK = 2;
    private static final int STT_FUNC = 2;
    private static final int SHT_PROGBITS = 1;
    private static final int SHT_STRTAB = 3;
    private static final int SHT_HASH = 5;
    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_DYNSYM = 11;
    private static final int SHT_GNU_VERDEF = 0x6ffffffd;
    private static final int SHT_GNU_VERSYM = 0x6fffffff;
    private static final int SHF_ALLOC = 2;
    private static final int SHF_EXECINSTR = 4;
    private static final int SHF_WRITE = 1;
    private static final int VER_FLG_BASE = 1;

    /** The image (built once: it does not depend on the process). */
    private static final byte[] IMAGE = build();

    /**
     * map_vdso(): maps [vvar], [vvar_vclock] and [vdso] top-down and copies the image in.
     *
     * @return the address of the image (AT_SYSINFO_EHDR)
     */
    static long map(AddressSpace space) {
        long page = Mman.PAGE_SIZE;
        int flags = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
        long vvar = space.map(0, (VVAR_PAGES + VVAR_VCLOCK_PAGES + VDSO_PAGES) * page, Mman.PROT_READ, flags,
                "[vvar]", 0);
        long vclock = vvar + VVAR_PAGES * page;
        space.map(vclock, VVAR_VCLOCK_PAGES * page, Mman.PROT_READ, flags | Mman.MAP_FIXED, "[vvar_vclock]", 0);
        long text = vclock + VVAR_VCLOCK_PAGES * page;
        space.map(text, VDSO_PAGES * page, Mman.PROT_READ | Mman.PROT_EXEC, flags | Mman.MAP_FIXED, "[vdso]", 0);
        space.poke(text, IMAGE, 0, IMAGE.length);
        return text;
    }

    // ---------------------------------------------------------------- the image

    /** The SysV ELF hash (the System V ABI's elf_hash), as DT_HASH and vd_hash use it. */
    static long elfHash(String name) {
        long h = 0;
        for (byte c : name.getBytes(StandardCharsets.US_ASCII)) {
            h = (h << 4) + (c & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) {
                h ^= g >>> 24;
            }
            h &= ~g;
        }
        return h;
    }

    private static byte[] build() {
        // .dynstr
        Strings dynstr = new Strings();
        int soname = dynstr.add("linux-vdso.so.1");
        int version = dynstr.add("LINUX_2.6");
        int symbols = 1 + 2 * FUNCTIONS.length;
        int[] names = new int[symbols];
        for (int k = 0; k < FUNCTIONS.length; k++) {
            names[1 + 2 * k] = dynstr.add(FUNCTIONS[k]);
            names[2 + 2 * k] = dynstr.add("__vdso_" + FUNCTIONS[k]);
        }
        byte[] strtab = dynstr.bytes();

        // Section offsets (the image's addresses are its offsets: one PT_LOAD at 0).
        int ehdr = 64;
        int phnum = 2;
        int hash = align(ehdr + 56 * phnum, 8);
        int hashSize = 4 * (2 + 1 + symbols); // nbucket, nchain, one bucket, the chain
        int dynsym = align(hash + hashSize, 8);
        int dynstrAt = dynsym + 24 * symbols;
        int versym = align(dynstrAt + strtab.length, 2);
        int verdef = align(versym + 2 * symbols, 4);
        int verdefSize = 2 * (20 + 8);
        int text = align(verdef + verdefSize, 16);
        int stub = 16; // mov $nr, %eax; syscall; ret; padding
        int textSize = stub * FUNCTIONS.length;
        int dynamic = align(text + textSize, 8);
        int dynamicEntries = 10;
        int dynamicSize = 16 * dynamicEntries;
        Strings shstr = new Strings();
        String[] sectionNames = {"", ".hash", ".dynsym", ".dynstr", ".gnu.version", ".gnu.version_d", ".text",
            ".dynamic", ".shstrtab"};
        int[] shName = new int[sectionNames.length];
        for (int k = 1; k < sectionNames.length; k++) {
            shName[k] = shstr.add(sectionNames[k]);
        }
        byte[] shstrtab = shstr.bytes();
        int shstrAt = dynamic + dynamicSize;
        int shoff = align(shstrAt + shstrtab.length, 8);
        int size = shoff + 64 * sectionNames.length;
        if (size > VDSO_PAGES * Mman.PAGE_SIZE) {
            throw new IllegalStateException("vDSO image of " + size + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);

        // ELF header
        b.put(new byte[] {0x7f, 'E', 'L', 'F', Elf.ELFCLASS64, Elf.ELFDATA2LSB, 1, Elf.ELFOSABI_SYSV});
        b.position(16);
        b.putShort((short) Elf.ET_DYN).putShort((short) 62 /* EM_X86_64 */).putInt(1);
        b.putLong(0).putLong(ehdr).putLong(shoff);
        b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) phnum);
        b.putShort((short) 64).putShort((short) sectionNames.length).putShort((short) (sectionNames.length - 1));

        // Program headers: the whole image, and its dynamic section
        b.position(ehdr);
        phdr(b, Elf.PT_LOAD, Elf.PF_R | Elf.PF_X, 0, size, Mman.PAGE_SIZE);
        phdr(b, Elf.PT_DYNAMIC, Elf.PF_R, dynamic, dynamicSize, 8);

        // .hash: one bucket chaining every symbol
        b.position(hash);
        b.putInt(1).putInt(symbols).putInt(1);
        for (int k = 0; k < symbols; k++) {
            b.putInt(k == 0 || k == symbols - 1 ? 0 : k + 1);
        }

        // .dynsym: the null symbol, then each function's weak and __vdso_ global names
        b.position(dynsym + 24);
        for (int k = 0; k < FUNCTIONS.length; k++) {
            for (int bind : new int[] {STB_WEAK, STB_GLOBAL}) {
                b.putInt(names[(b.position() - dynsym) / 24]);
                b.put((byte) (bind << 4 | STT_FUNC)).put((byte) 0).putShort((short) 6 /* .text */);
                b.putLong(text + stub * k).putLong(stub);
            }
        }

        b.position(dynstrAt);
        b.put(strtab);

        // .gnu.version: every defined symbol in LINUX_2.6 (index 2; 1 is the object's base version)
        b.position(versym);
        b.putShort((short) 0);
        for (int k = 1; k < symbols; k++) {
            b.putShort((short) 2);
        }

        // .gnu.version_d: the base version (the soname) and LINUX_2.6
        b.position(verdef);
        b.putShort((short) 1).putShort((short) VER_FLG_BASE).putShort((short) 1).putShort((short) 1);
        b.putInt((int) elfHash("linux-vdso.so.1")).putInt(20).putInt(28);
        b.putInt(soname).putInt(0);
        b.putShort((short) 1).putShort((short) 0).putShort((short) 2).putShort((short) 1);
        b.putInt((int) elfHash("LINUX_2.6")).putInt(20).putInt(0);
        b.putInt(version).putInt(0);

        // .text
        for (int k = 0; k < FUNCTIONS.length; k++) {
            b.position(text + stub * k);
            b.put((byte) 0xb8).putInt(SYSCALLS[k]); // mov $nr, %eax
            b.put((byte) 0x0f).put((byte) 0x05); // syscall
            b.put((byte) 0xc3); // ret
            while (b.position() < text + stub * (k + 1)) {
                b.put((byte) 0xcc); // int3
            }
        }

        // .dynamic
        b.position(dynamic);
        long[][] dyn = {{DT_HASH, hash}, {DT_STRTAB, dynstrAt}, {DT_SYMTAB, dynsym}, {DT_STRSZ, strtab.length},
            {DT_SYMENT, 24}, {DT_SONAME, soname}, {DT_VERSYM, versym}, {DT_VERDEF, verdef}, {DT_VERDEFNUM, 2},
            {DT_NULL, 0}};
        for (long[] d : dyn) {
            b.putLong(d[0]).putLong(d[1]);
        }

        b.position(shstrAt);
        b.put(shstrtab);

        // Section headers (for readelf and debuggers; the loaders use the dynamic section)
        b.position(shoff + 64);
        shdr(b, shName[1], SHT_HASH, SHF_ALLOC, hash, hashSize, 2, 0, 4, 4);
        shdr(b, shName[2], SHT_DYNSYM, SHF_ALLOC, dynsym, 24L * symbols, 3, 1, 8, 24);
        shdr(b, shName[3], SHT_STRTAB, SHF_ALLOC, dynstrAt, strtab.length, 0, 0, 1, 0);
        shdr(b, shName[4], SHT_GNU_VERSYM, SHF_ALLOC, versym, 2L * symbols, 2, 0, 2, 2);
        shdr(b, shName[5], SHT_GNU_VERDEF, SHF_ALLOC, verdef, verdefSize, 3, 2, 4, 0);
        shdr(b, shName[6], SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text, textSize, 0, 0, 16, 0);
        shdr(b, shName[7], SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE, dynamic, dynamicSize, 3, 0, 8, 16);
        shdr(b, shName[8], SHT_STRTAB, 0, shstrAt, shstrtab.length, 0, 0, 1, 0);
        return b.array();
    }

    private static void phdr(ByteBuffer b, int type, int flags, long offset, long size, long align) {
        b.putInt(type).putInt(flags).putLong(offset).putLong(offset).putLong(offset);
        b.putLong(size).putLong(size).putLong(align);
    }

    private static void shdr(ByteBuffer b, int name, int type, long flags, long addr, long size, int link, int info,
            long align, long entsize) {
        b.putInt(name).putInt(type).putLong(flags).putLong(addr).putLong(addr).putLong(size);
        b.putInt(link).putInt(info).putLong(align).putLong(entsize);
    }

    private static int align(int n, int to) {
        return (n + to - 1) & -to;
    }

    /** A string table: offset 0 is the empty string. */
    private static final class Strings {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Strings() {
            out.write(0);
        }

        int add(String s) {
            int at = out.size();
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            out.write(0);
            return at;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
