package dev.linux4j.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host kernel as the oracle: compiles probes with the host's gcc and runs them natively. */
final class NativeOracle {
    private static Path dir;

    private NativeOracle() {}

    static synchronized Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("linux4j-loader");
            dir.toFile().deleteOnExit();
        }
        return dir;
    }

    static boolean available() {
        return System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")
                && Files.isExecutable(Path.of("/usr/bin/gcc"));
    }

    /** Compiles a probe from the test resources with {@code compiler flags...}; returns the binary. */
    static synchronized Path compile(String resource, String name, String... command) throws IOException, InterruptedException {
        Path out = dir().resolve(name);
        if (Files.exists(out)) {
            return out;
        }
        Path src = dir().resolve(resource);
        try (InputStream in = NativeOracle.class.getResourceAsStream(resource)) {
            Files.write(src, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.add("-o");
        cmd.add(out.toString());
        cmd.add(src.toString());
        String result = run(cmd, dir());
        if (!Files.exists(out)) {
            throw new IOException("compile failed: " + cmd + "\n" + result);
        }
        return out;
    }

    /** Runs a command (10 s limit) and returns its stdout. */
    static String run(List<String> cmd, Path cwd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timeout: " + cmd);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** How the host kernel's execve(2) treats {@code image}: "errno N", "exit N" or "signal N". */
    static String exec(byte[] image) throws IOException, InterruptedException {
        Path probe = compile("execprobe.c", "execprobe", "gcc", "-O2");
        Path file = Files.createTempFile(dir(), "image", "");
        Files.write(file, image);
        file.toFile().setExecutable(true);
        try {
            return run(List.of(probe.toString(), file.toString()), dir()).trim();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
