package dev.linux4j.cpu;

/** Translates hot blocks; implemented by the {@code cpu.jit} package. */
public interface BlockCompiler {
    /** The translation of {@code block}, or null if it cannot be translated. */
    CompiledBlock compile(Block block);

    /**
     * The translation of {@code block}, which may also cover blocks reachable from it through
     * direct branches ({@code cache} decodes them); by default the block alone.
     */
    default CompiledBlock compile(Block block, CodeCache cache) {
        return compile(block);
    }
}
