package dev.linux4j.elf;

/** Little-endian field access on byte arrays (ELF64 x86-64 is little-endian). */
final class Bytes {
    private Bytes() {}

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static int i32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static long u32(byte[] b, int off) {
        return i32(b, off) & 0xffffffffL;
    }

    static long i64(byte[] b, int off) {
        return u32(b, off) | u32(b, off + 4) << 32;
    }
}
