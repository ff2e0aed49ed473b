package dev.linux4j.cpu;

/**
 * The x87 FPU state (SDM Vol. 1, chapter 8): eight 80-bit registers as a stack, control,
 * status and tag words. Registers hold true 80-bit extended values: a 64-bit significand with
 * explicit integer bit, a 15-bit exponent and a sign.
 */
public final class X87 {
    /** Significand (64 bits, explicit integer bit) of physical register i. */
    public final long[] mantissa = new long[8];
    /** Sign (bit 15) and biased exponent (bits 0-14) of physical register i. */
    public final int[] signExp = new int[8];
    /** FCW: power-on / FNINIT value 0x037f (all masked, 64-bit precision, round to nearest). */
    public int control = 0x037f;
    /** FSW without TOP (bits 11-13 come from {@link #top}). */
    public int status;
    /** TOP of stack, 0-7. */
    public int top;
    /** FTW, two bits per physical register: 00 valid, 01 zero, 10 special, 11 empty. */
    public int tag = 0xffff;

    /** FNINIT. */
    public void reset() {
        control = 0x037f;
        status = 0;
        top = 0;
        tag = 0xffff;
    }
}
