package dev.linux4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Unit tests of the 80-bit arithmetic unit. Expected bit patterns were produced on the host
 * CPU (long double in C, or the x87 instruction in inline asm); the exhaustive comparison
 * against recorded host results is {@link X87DifferentialTest}.
 */
class Float80Test {
    private static final int NEAREST = 0x037f;
    private static final int DOWN = 0x077f;
    private static final int UP = 0x0b7f;
    private static final int PC53 = 0x027f;

    private static String bits(Float80 f) {
        return String.format("%04x%016x", f.se, f.m);
    }

    private static Float80 unit(int fcw) {
        Float80 f = new Float80();
        f.begin(fcw);
        return f;
    }

    @Test
    void divisionIsCorrectlyRounded() {
        Float80 f = unit(NEAREST);
        f.div(0x3fff, Float80.INT_BIT, 0x4000, 0xC000000000000000L); // 1 / 3
        assertThat(bits(f)).isEqualTo("3ffdaaaaaaaaaaaaaaab");
        assertThat(f.flags & 0x3f).isEqualTo(Float80.PE);
        assertThat(f.flags & Float80.C1).isEqualTo(Float80.C1);
        f.begin(DOWN);
        f.div(0x3fff, Float80.INT_BIT, 0x4000, 0xC000000000000000L);
        assertThat(bits(f)).isEqualTo("3ffdaaaaaaaaaaaaaaaa");
        assertThat(f.flags & Float80.C1).isZero();
    }

    @Test
    void precisionControlRoundsTheSignificand() {
        Float80 f = unit(PC53);
        f.div(0x3fff, Float80.INT_BIT, 0x4000, 0xC000000000000000L); // 1 / 3 to 53 bits
        assertThat(bits(f)).isEqualTo("3ffdaaaaaaaaaaaaa800");
    }

    @Test
    void squareRootOfTwo() {
        Float80 f = unit(NEAREST);
        f.sqrt(0x4000, Float80.INT_BIT);
        assertThat(bits(f)).isEqualTo("3fffb504f333f9de6484");
        f.begin(UP);
        f.sqrt(0x4000, Float80.INT_BIT);
        assertThat(bits(f)).isEqualTo("3fffb504f333f9de6485");
    }

    @Test
    void invalidOperationsGiveTheRealIndefinite() {
        Float80 f = unit(NEAREST);
        f.add(0x7fff, Float80.INT_BIT, 0xffff, Float80.INT_BIT, false); // +inf + -inf
        assertThat(bits(f)).isEqualTo("ffffc000000000000000");
        assertThat(f.flags & Float80.IE).isEqualTo(Float80.IE);
        f.begin(NEAREST);
        f.mul(0x3fff, 0x4000000000000000L, 0x3fff, Float80.INT_BIT); // unnormal operand
        assertThat(bits(f)).isEqualTo("ffffc000000000000000");
    }

    @Test
    void exactCancellationIsPositiveZeroExceptRoundingDown() {
        Float80 f = unit(NEAREST);
        f.add(0x3fff, Float80.INT_BIT, 0x3fff, Float80.INT_BIT, true);
        assertThat(bits(f)).isEqualTo("00000000000000000000");
        f.begin(DOWN);
        f.add(0x3fff, Float80.INT_BIT, 0x3fff, Float80.INT_BIT, true);
        assertThat(bits(f)).isEqualTo("80000000000000000000");
    }

    @Test
    void storesToDoubleAndFloatRoundAndFlag() {
        Float80 f = unit(NEAREST);
        // 0.1L = 3ffb cccccccccccccccd -> 0.1 = 0x3fb999999999999a
        assertThat(f.toBinary(0x3ffb, 0xCCCCCCCCCCCCCCCDL, 52, 11)).isEqualTo(0x3fb999999999999aL);
        assertThat(f.flags & Float80.PE).isEqualTo(Float80.PE);
        f.begin(NEAREST);
        // the largest extended value overflows binary32 to +inf with OE, PE and C1
        assertThat(f.toBinary(0x7ffe, -1L, 23, 8)).isEqualTo(0x7f800000L);
        assertThat(f.flags & 0x3f).isEqualTo(Float80.OE | Float80.PE);
        f.begin(NEAREST);
        f.fromBinary(0x7f800001L, 23, 8); // SNaN load: quieted, IE
        assertThat(bits(f)).isEqualTo("7fffc000010000000000");
        assertThat(f.flags & Float80.IE).isEqualTo(Float80.IE);
    }

    @Test
    void integerStoresHonourRoundingAndOverflowToTheIndefinite() {
        Float80 f = unit(NEAREST);
        assertThat(f.toInteger(0x4000, 0xA000000000000000L, 4, false)).isEqualTo(2); // 2.5 -> 2 (even)
        f.begin(UP);
        assertThat(f.toInteger(0x4000, 0xA000000000000000L, 4, false)).isEqualTo(3);
        f.begin(NEAREST);
        assertThat(f.toInteger(0x400e, Float80.INT_BIT, 2, false)).isEqualTo(0x8000L); // 32768 -> indefinite
        assertThat(f.flags & Float80.IE).isEqualTo(Float80.IE);
        f.begin(NEAREST);
        assertThat(f.toInteger(0xc00e, Float80.INT_BIT, 2, false)).isEqualTo(-32768L);
        f.begin(NEAREST);
        assertThat(f.toInteger(0x4000, 0xB000000000000000L, 8, true)).isEqualTo(2); // FISTTP 2.75
    }

    @Test
    void remainderKeepsQuotientBits() {
        Float80 f = unit(NEAREST);
        f.remainder(0x4001, 0xE000000000000000L, 0x4000, 0xC000000000000000L, false); // 7 rem 3
        assertThat(bits(f)).isEqualTo("3fff8000000000000000");
        assertThat(f.quotient).isEqualTo(2);
        f.begin(NEAREST);
        f.remainder(0x4001, 0xA000000000000000L, 0x4000, 0xC000000000000000L, true); // 5 rem1 3 = -1
        assertThat(bits(f)).isEqualTo("bfff8000000000000000");
        assertThat(f.quotient).isEqualTo(2);
    }

    @Test
    void packedBcdRoundTrip() {
        Float80 f = unit(NEAREST);
        f.fromBcd(0x0000000987654321L, 0x8000);
        assertThat(bits(f)).isEqualTo("c01ceb79a2c400000000"); // host FBLD
        f.toBcd(f.se, f.m);
        assertThat(f.bcdLo).isEqualTo(0x0000000987654321L);
        assertThat(f.bcdHi).isEqualTo(0x8000);
    }
}
