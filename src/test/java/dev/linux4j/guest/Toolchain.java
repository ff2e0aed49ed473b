package dev.linux4j.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles guest test programs with the host's compilers, once per source content: each
 * {@link Variant} is one way Linux programs are built (static glibc, static musl, dynamic glibc).
 * Binaries are cached under target/guest-bin keyed by a hash of the source and flags.
 */
public final class Toolchain {
    private Toolchain() {}

    /** How a guest program is built. */
    public enum Variant {
        GLIBC_STATIC("gcc", "-static"),
        MUSL_STATIC("musl-gcc", "-static"),
        GLIBC_DYNAMIC("gcc");

        final String compiler;
        final List<String> flags;

        Variant(String compiler, String... flags) {
            this.compiler = compiler;
            this.flags = List.of(flags);
        }

        /** Whether the compiler is installed (the README's test command installs it on Debian). */
        public boolean available() {
            return onPath(compiler);
        }
    }

    static final Path CACHE = Path.of(System.getProperty("linux4j.guestBin", "target/guest-bin")).toAbsolutePath();

    /** Compiles {@code source} (C) with {@code variant} and extra flags; returns the binary. */
    public static Path compile(Path source, Variant variant, String... extraFlags) {
        try {
            String text = Files.readString(source);
            String key = hash(variant + "|" + String.join(" ", extraFlags) + "|" + text + localHeaders(source, text));
            String name = source.getFileName().toString().replaceAll("\\.c$", "");
            Path out = CACHE.resolve(variant.name().toLowerCase()).resolve(name + "-" + key.substring(0, 12));
            if (Files.isExecutable(out)) {
                return out;
            }
            Files.createDirectories(out.getParent());
            List<String> cmd = new ArrayList<>();
            cmd.add(variant.compiler);
            cmd.addAll(variant.flags);
            cmd.add("-O2");
            cmd.addAll(List.of(extraFlags));
            cmd.add("-o");
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp" + ProcessHandle.current().pid());
            cmd.add(tmp.toString());
            cmd.add(source.toAbsolutePath().toString());
            cmd.add("-lm");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("compiling " + source + " failed:\n" + log);
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of the {@code #include "..."} files of a source, so that changing one rebuilds it. */
    private static String localHeaders(Path source, String text) throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^#include \"([^\"]+)\"").matcher(text);
        while (m.find()) {
            Path header = source.toAbsolutePath().getParent().resolve(m.group(1));
            sb.append('|').append(Files.isRegularFile(header) ? Files.readString(header) : m.group(1));
        }
        return sb.toString();
    }

        static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
