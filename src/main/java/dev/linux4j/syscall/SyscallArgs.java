package dev.linux4j.syscall;

import dev.linux4j.cpu.Cpu;

/**
 * The six argument registers of an x86-64 syscall (RDI, RSI, RDX, R10, R8, R9), read through
 * typed accessors so a handler's first lines name its arguments.
 */
public final class SyscallArgs {
    private static final int[] REGS = {Cpu.RDI, Cpu.RSI, Cpu.RDX, Cpu.R10, Cpu.R8, Cpu.R9};

    private final long[] raw = new long[6];

    void load(Cpu cpu) {
        for (int i = 0; i < 6; i++) {
            raw[i] = cpu.r[REGS[i]];
        }
    }

    /** The raw 64-bit register value. */
    public long raw(int i) {
        return raw[i];
    }

    /** A C {@code int} (the low 32 bits, sign-extended), as the kernel's SYSCALL_DEFINE truncates. */
    public int int32(int i) {
        return (int) raw[i];
    }

    /** A C {@code unsigned int}. */
    public long uint32(int i) {
        return raw[i] & 0xffffffffL;
    }

    /** A {@code long} or {@code off_t}. */
    public long int64(int i) {
        return raw[i];
    }

    /** A user pointer. */
    public long pointer(int i) {
        return raw[i];
    }

    /** A {@code size_t}: unsigned 64-bit; callers clamp before allocating. */
    public long sizeT(int i) {
        return raw[i];
    }

    /**
     * A {@code size_t} clamped to {@code max} as Linux clamps counts (an unsigned compare: a
     * size past 2^63, negative as a long, is more than any maximum).
     */
    public long sizeT(int i, long max) {
        return Long.compareUnsigned(raw[i], max) > 0 ? max : raw[i];
    }

    /** Test and diagnostic access. */
    long[] all() {
        return raw.clone();
    }
}
