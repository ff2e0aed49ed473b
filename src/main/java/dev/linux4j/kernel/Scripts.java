package dev.linux4j.kernel;

import dev.linux4j.abi.Errno;
import dev.linux4j.loader.ExecException;
import dev.linux4j.loader.ImageFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code #!} scripts: fs/binfmt_script.c. */
final class Scripts {
    private Scripts() {}

    /** BINPRM_BUF_SIZE: only the first 256 bytes are examined. */
    static final int BUF_SIZE = 256;
    /** How many interpreters may be nested (search_binary_handler's depth limit). */
    static final int MAX_DEPTH = 5;

    /**
     * The interpreter and its optional single argument when the file starts with "#!", else
     * null. ENOEXEC when the line names no interpreter, or the name does not fit the buffer.
     */
    static List<String> interpreter(ImageFile image) throws ExecException {
        byte[] buf = new byte[BUF_SIZE];
        int n = image.read(0, buf, 0, buf.length);
        if (n < 2 || buf[0] != '#' || buf[1] != '!') {
            return null;
        }
        int end = 2;
        while (end < n && buf[end] != '\n') {
            end++;
        }
        boolean truncated = end == n && n == BUF_SIZE;
        int i = 2;
        while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        int nameStart = i;
        while (i < end && buf[i] != ' ' && buf[i] != '\t' && buf[i] != 0) {
            i++;
        }
        if (i == nameStart || truncated && i == end) {
            throw new ExecException(Errno.ENOEXEC, Errno.ENOEXEC.message());
        }
        List<String> out = new ArrayList<>();
        out.add(new String(buf, nameStart, i - nameStart, StandardCharsets.UTF_8));
        while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        int argEnd = end;
        while (argEnd > i && (buf[argEnd - 1] == ' ' || buf[argEnd - 1] == '\t')) {
            argEnd--;
        }
        if (argEnd > i) {
            out.add(new String(buf, i, argEnd - i, StandardCharsets.UTF_8));
        }
        return out;
    }
}
