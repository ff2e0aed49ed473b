package dev.linux4j.cpu;

import static dev.linux4j.abi.Mman.*;

import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.Mmu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a snippet of x86-64 code on a bare {@link Cpu}: code at {@link #CODE}, a data page at
 * {@link #DATA}, a stack below {@link #STACK_TOP}. The snippet ends where the harness appends
 * UD2; {@link #run()} returns when execution reaches it (or on any other exit).
 *
 * <p>{@link #assemble(String)} uses the host's GNU as (Intel syntax) so tests can be written in
 * assembly; expected values must come from the SDM or from running the same code natively.
 */
public final class CpuHarness {
    public static final long CODE = 0x400000;
    public static final long DATA = 0x600000;
    public static final long STACK_TOP = 0x7ff000;

    public final AddressSpace space = new AddressSpace();
    public final Cpu cpu;
    public final long end;

    public CpuHarness(byte[] code) {
        space.map(CODE, code.length + 2, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, "", 0);
        byte[] withEnd = java.util.Arrays.copyOf(code, code.length + 2);
        withEnd[code.length] = 0x0f;
        withEnd[code.length + 1] = 0x0b;
        space.poke(CODE, withEnd, 0, withEnd.length);
        space.map(DATA, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, "", 0);
        space.map(STACK_TOP - 0x10000, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, "", 0);
        cpu = new Cpu(new Mmu(space), new CodeCache(space, Instructions.decoder()));
        cpu.rip = CODE;
        cpu.r[Cpu.RSP] = STACK_TOP - 256;
        end = CODE + code.length;
    }

    public static CpuHarness ofAsm(String asm) {
        return new CpuHarness(assemble(asm));
    }

    /** Runs until the appended UD2 is reached or another exit happens; returns the exit. */
    public CpuExit run() {
        return cpu.run();
    }

    /** Runs and asserts the snippet ran to its end. */
    public CpuHarness runToEnd() {
        CpuExit exit = cpu.run();
        if (!(exit instanceof CpuExit.Fault f) || f.rip() != end
                || (f.kind() != CpuExit.FaultKind.INVALID_OPCODE && f.kind() != CpuExit.FaultKind.UNIMPLEMENTED_OPCODE)) {
            throw new AssertionError("snippet did not run to its end: " + exit);
        }
        return this;
    }

    /** Assembles Intel-syntax x86-64 assembly with the host's GNU as. */
    public static byte[] assemble(String asm) {
        try {
            Path dir = Files.createTempDirectory("l4jasm");
            Path src = dir.resolve("a.s");
            Files.writeString(src, ".intel_syntax noprefix\n.text\n" + asm + "\n");
            exec(List.of("as", "--64", "-o", dir.resolve("a.o").toString(), src.toString()));
            exec(List.of("objcopy", "-O", "binary", "-j", ".text", dir.resolve("a.o").toString(),
                    dir.resolve("a.bin").toString()));
            byte[] bytes = Files.readAllBytes(dir.resolve("a.bin"));
            for (String f : new String[] {"a.s", "a.o", "a.bin"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.delete(dir);
            return bytes;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot assemble: " + e, e);
        }
    }

    private static void exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(cmd.get(0) + " failed: " + out);
        }
    }
}
