package dev.linux4j.cpu;

/**
 * The x87 FPU state (SDM Vol. 1, chapter 8): eight 80-bit registers as a stack, control,
 * status and tag words. Registers hold true 80-bit extended values: a 64-bit significand with
 * explicit integer bit, a 15-bit exponent and a sign. Registers are indexed physically
 * (R0-R7); ST(i) is R((TOP + i) mod 8).
 */
public final class X87 {
    // FSW bits (SDM Vol. 1, 8.1.3) beyond the exception flags of Float80.
    public static final int FSW_ES = 0x80;
    public static final int FSW_C0 = 0x100;
    public static final int FSW_C1 = 0x200;
    public static final int FSW_C2 = 0x400;
    public static final int FSW_TOP = 0x3800;
    public static final int FSW_C3 = 0x4000;
    public static final int FSW_B = 0x8000;

    // FTW tags (SDM Vol. 1, 8.1.7).
    public static final int TAG_VALID = 0;
    public static final int TAG_ZERO = 1;
    public static final int TAG_SPECIAL = 2;
    public static final int TAG_EMPTY = 3;

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
    /** Last non-control instruction: FPU instruction pointer, data pointer and opcode (11 bits). */
    public long fip;
    public long fdp;
    public int fop;

    /** The arithmetic unit instructions compute with. */
    final Float80 f = new Float80();

    /** FNINIT (SDM Vol. 2A): FCW 0x037f, FSW 0, all registers empty, pointers cleared. */
    public void reset() {
        control = 0x037f;
        status = 0;
        top = 0;
        tag = 0xffff;
        fip = 0;
        fdp = 0;
        fop = 0;
    }

    /** The full FSW with TOP. */
    public int statusWord() {
        return (status & ~FSW_TOP) | (top << 11);
    }

    /** Loads a full FSW (TOP included). */
    public void setStatusWord(int fsw) {
        status = fsw & ~FSW_TOP & 0xffff;
        top = (fsw >> 11) & 7;
    }

    /** Physical register number of ST(i). */
    public int phys(int i) {
        return (top + i) & 7;
    }

    public boolean isEmpty(int i) {
        return tagOfPhys(phys(i)) == TAG_EMPTY;
    }

    public int tagOfPhys(int p) {
        return (tag >> (2 * p)) & 3;
    }

    public int se(int i) {
        return signExp[phys(i)];
    }

    public long m(int i) {
        return mantissa[phys(i)];
    }

    /** The tag a value gets when written (SDM Vol. 1, Figure 8-7). */
    public static int tagOf(int se, long m) {
        int exp = se & 0x7fff;
        if (exp == 0) {
            return m == 0 ? TAG_ZERO : TAG_SPECIAL;
        }
        if (exp == 0x7fff || m >= 0) {
            return TAG_SPECIAL;
        }
        return TAG_VALID;
    }

    /** Writes ST(i) and tags it. */
    public void set(int i, int se, long m) {
        setPhys(phys(i), se, m);
    }

    public void setPhys(int p, int se, long m) {
        signExp[p] = se & 0xffff;
        mantissa[p] = m;
        tag = (tag & ~(3 << (2 * p))) | (tagOf(se, m) << (2 * p));
    }

    /** Decrements TOP and writes the new ST(0). */
    public void push(int se, long m) {
        top = (top - 1) & 7;
        set(0, se, m);
    }

    /** Marks ST(0) empty and increments TOP. */
    public void pop() {
        tag |= 3 << (2 * top);
        top = (top + 1) & 7;
    }

    /** Marks physical register p empty (FFREE). */
    public void free(int p) {
        tag |= 3 << (2 * p);
    }

    /** Recomputes the ES and B summary bits from the flags and masks (after FLDCW, FLDENV, FRSTOR). */
    public void updateSummary() {
        if ((status & ~control & 0x3f) != 0) {
            status |= FSW_ES | FSW_B;
        } else {
            status &= ~(FSW_ES | FSW_B);
        }
    }

    /** The FTW recomputed from the register contents, keeping empty tags (FNSTENV/FNSAVE). */
    public int fullTagWord() {
        int t = 0;
        for (int p = 0; p < 8; p++) {
            int old = tagOfPhys(p);
            t |= (old == TAG_EMPTY ? TAG_EMPTY : tagOf(signExp[p], mantissa[p])) << (2 * p);
        }
        return t;
    }

    /** Loads an FTW: empty tags as given, the others recomputed from the registers. */
    public void setTagWord(int ftw) {
        int t = 0;
        for (int p = 0; p < 8; p++) {
            int given = (ftw >> (2 * p)) & 3;
            t |= (given == TAG_EMPTY ? TAG_EMPTY : tagOf(signExp[p], mantissa[p])) << (2 * p);
        }
        tag = t;
    }
}
