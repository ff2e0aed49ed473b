package dev.linux4j.cpu;

/** Translates hot blocks; implemented by the {@code cpu.jit} package. */
public interface BlockCompiler {
    /** The translation of {@code block}, or null if it cannot be translated. */
    CompiledBlock compile(Block block);
}
