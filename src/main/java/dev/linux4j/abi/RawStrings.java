package dev.linux4j.abi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Byte strings of the guest (arguments, environment) held as Java strings without loss: UTF-8,
 * with each byte that is not part of a valid sequence held as the lone surrogate U+DC80..U+DCFF
 * (the "surrogateescape" of Python and of PEP 383). Valid UTF-8 never decodes to a lone
 * surrogate, so {@link #encode} gives back exactly the bytes {@link #decode} was given.
 */
public final class RawStrings {
    private RawStrings() {}

    private static final char ESCAPE = 0xdc00;

    /** The bytes as a string, each invalid byte escaped. */
    public static String decode(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // never more chars than bytes
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    out.put((char) (ESCAPE | (in.get() & 0xff)));
                }
                continue;
            }
            break; // underflow: all decoded
        }
        d.flush(out);
        return out.flip().toString();
    }

    /** The string's bytes: UTF-8, each escaped byte as itself. */
    public static byte[] encode(String s) {
        int start = 0;
        ByteArrayOutputStream out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escaped = c >= 0xdc80 && c <= 0xdcff && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            if (escaped) {
                if (out == null) {
                    out = new ByteArrayOutputStream(s.length() + 8);
                }
                out.writeBytes(s.substring(start, i).getBytes(StandardCharsets.UTF_8));
                out.write(c & 0xff);
                start = i + 1;
            }
        }
        if (out == null) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        out.writeBytes(s.substring(start).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
