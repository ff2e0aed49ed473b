package dev.linux4j.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The host environment in the order the host process received it. System.getenv() is a hash
 * map; on Linux /proc/self/environ keeps the original order, which a guest printing its
 * environ should see as a native run would.
 */
public final class HostEnvironment {
    private HostEnvironment() {}

    public static Map<String, String> ordered() {
        Map<String, String> env = System.getenv();
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/self/environ"));
            Map<String, String> ordered = new LinkedHashMap<>();
            for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0 && env.containsKey(entry.substring(0, eq))) {
                    ordered.put(entry.substring(0, eq), env.get(entry.substring(0, eq)));
                }
            }
            if (ordered.size() == env.size()) {
                return ordered;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc unavailable: hash order it is
        }
        return env;
    }
}
