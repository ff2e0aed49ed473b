package dev.linux4j.host;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * A C library function called through the FFM API, linked on first use: linking a downcall
 * generates code and costs milliseconds, so start-up links only what the program asks for.
 * Unavailable (no symbol) on hosts other than Linux, where callers use java.nio instead.
 */
final class Downcall {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    private final MemorySegment symbol;
    private final FunctionDescriptor descriptor;
    private final Linker.Option[] options;
    private volatile MethodHandle handle;

    private Downcall(MemorySegment symbol, FunctionDescriptor descriptor, Linker.Option[] options) {
        this.symbol = symbol;
        this.descriptor = descriptor;
        this.options = options;
    }

    /** The C library's {@code name} with the given signature (not linked yet). */
    static Downcall find(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment sym = "Linux".equals(System.getProperty("os.name")) ? LIBC.find(name).orElse(null) : null;
        return new Downcall(sym, fd, options);
    }

    boolean available() {
        return symbol != null;
    }

    MethodHandle handle() {
        MethodHandle h = handle;
        if (h == null) {
            h = LINKER.downcallHandle(symbol, descriptor, options);
            handle = h;
        }
        return h;
    }
}
