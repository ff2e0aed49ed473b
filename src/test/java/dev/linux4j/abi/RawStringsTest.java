package dev.linux4j.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawStringsTest {
    @Test
    void anyBytesComeBackUnchanged() {
        Random r = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            byte[] b = new byte[r.nextInt(12)];
            for (int i = 0; i < b.length; i++) {
                // mostly bytes that start or continue UTF-8 sequences, so that valid and invalid mix
                b[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(0x80) : 0x80 + r.nextInt(0x80));
            }
            assertArrayEquals(b, RawStrings.encode(RawStrings.decode(b)), () -> java.util.Arrays.toString(b));
        }
    }

    @Test
    void validUtf8IsDecodedAsUsual() {
        String s = "café € 𝄞 plain";
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(s, RawStrings.decode(b));
        assertArrayEquals(b, RawStrings.encode(s));
    }

    @Test
    void invalidBytesBecomeLoneSurrogates() {
        assertEquals("a\udcff\udcc3", RawStrings.decode(new byte[] {'a', (byte) 0xff, (byte) 0xc3}));
        // an encoded surrogate is not valid UTF-8: each of its bytes is escaped
        assertEquals("\udced\udca0\udc80", RawStrings.decode(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
    }
}
