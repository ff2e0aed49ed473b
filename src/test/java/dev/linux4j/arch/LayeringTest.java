package dev.linux4j.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's layer table, enforced: each package may depend only on the packages listed for it
 * (dependencies point down). One deviation from the table, recorded here: fs.* may use host,
 * because the host file system needs host's IOException-to-errno table and statx; and syscall may
 * use memory and cpu directly, to copy arguments from guest memory and read registers.
 */
class LayeringTest {
    private static JavaClasses classes;

    /** package (under dev.linux4j) → the packages it may use besides itself and the JDK. */
    static final Map<String, List<String>> ALLOWED = Map.ofEntries(
            Map.entry("abi", List.of()),
            Map.entry("elf", List.of("abi")),
            Map.entry("memory", List.of("abi")),
            Map.entry("cpu", List.of("memory", "abi")),
            Map.entry("vfs", List.of("abi", "memory")),
            Map.entry("fs", List.of("vfs", "abi", "host")),
            Map.entry("host", List.of("abi")),
            Map.entry("loader", List.of("elf", "memory", "vfs", "abi")),
            Map.entry("kernel", List.of("cpu", "memory", "vfs", "loader", "abi")),
            Map.entry("syscall", List.of("kernel", "vfs", "fs", "abi", "memory", "cpu", "loader")),
            Map.entry("cli", List.of("abi", "elf", "memory", "cpu", "vfs", "fs", "host", "loader", "kernel", "syscall")));

    @BeforeAll
    static void importClasses() {
        // Main classes only, whatever the build directory is called.
        ImportOption mainOnly = location -> !location.contains("/test-classes/");
        classes = new ClassFileImporter().withImportOption(mainOnly).importPackages("dev.linux4j");
    }

    @Test
    void everyPackageHasARow() {
        for (var c : classes) {
            String pkg = c.getPackageName();
            if (pkg.equals("dev.linux4j")) {
                continue;
            }
            String top = pkg.substring("dev.linux4j.".length()).split("\\.")[0];
            if (!ALLOWED.containsKey(top)) {
                throw new AssertionError("package " + pkg + " has no row in DESIGN.md's layer table / LayeringTest");
            }
        }
    }

    @Test
    void dependenciesPointDown() {
        for (var e : ALLOWED.entrySet()) {
            String[] forbidden = ALLOWED.keySet().stream()
                    .filter(p -> !p.equals(e.getKey()) && !e.getValue().contains(p))
                    .map(p -> "dev.linux4j." + p + "..")
                    .toArray(String[]::new);
            ArchRule rule = noClasses().that().resideInAPackage("dev.linux4j." + e.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .allowEmptyShould(true);
            rule.check(classes);
        }
    }

    @Test
    void nothingDependsOnTheCli() {
        noClasses().that().resideOutsideOfPackage("dev.linux4j.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.linux4j.cli..")
                .check(classes);
    }

    @Test
    void noCycles() {
        slices().matching("dev.linux4j.(*)..").should().beFreeOfCycles().check(classes);
    }
}
