package dev.linux4j.host;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
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

    /**
     * The C library's {@code name} taking up to five integer or pointer arguments and returning
     * one, every one passed as a 64-bit word, with errno captured: all such functions share one
     * stub, so linking the second costs microseconds instead of milliseconds (start-up links
     * statx, readlink and close before the program's first instruction). Call it with
     * {@link #callWords}; an {@code int} result must be narrowed with {@code (int)}, as the upper
     * half of the return register is undefined. Only for functions that are not variadic.
     */
    static Downcall findWords(String name) {
        return find(name, WORDS, ERRNO);
    }

    /** Captures errno right after the call, before the JVM can change it. */
    static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout()
            .byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    /** Room in {@code arena} for the errno a call captures. */
    static MemorySegment errnoState(SegmentAllocator arena) {
        return arena.allocate(Linker.Option.captureStateLayout());
    }

    /** The errno captured into {@code state}. */
    static int errno(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    /** Links each available one now rather than on first use (start-up threads call this). */
    static void prelink(Downcall... downcalls) {
        for (Downcall d : downcalls) {
            if (d.available()) {
                d.handle();
            }
        }
    }

    private static final FunctionDescriptor WORDS = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);

    /**
     * Whether the host's C calling convention passes variadic integer and pointer arguments in
     * the same registers as fixed ones, so that a variadic function such as open(2) can share the
     * word stub: x86-64 System V (which also wants AL to bound the vector registers used; a
     * variadic callee only tests it to decide whether to spill XMM registers into its own
     * frame) and AArch64 Linux. Not PowerPC, whose variadic callees may write a parameter save
     * area the caller did not allocate.
     */
    static final boolean VARIADIC_AS_WORDS = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64", "aarch64" -> true;
        default -> false;
    };

    /** Calls a {@link #findWords} function; unused trailing arguments are 0. */
    long callWords(MemorySegment errnoState, long a, long b, long c, long d, long e) throws Throwable {
        return (long) handle().invokeExact(errnoState, a, b, c, d, e);
    }

    /** Calls a {@link #findWords} function that returns 0, or -1 and sets errno: 0 or -errno. */
    int callStatus(MemorySegment errnoState, long a, long b, long c, long d, long e) throws Throwable {
        return (int) callWords(errnoState, a, b, c, d, e) == 0 ? 0 : -errno(errnoState);
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
        return h != null ? h : link();
    }

    /**
     * Links under one lock: a start-up thread links ahead of the main thread ({@link
     * HostFiles#prelink}), and a thread that wants a stub being generated waits for it and then
     * finds it in the linker's cache, rather than generating the same stub a second time.
     */
    private MethodHandle link() {
        synchronized (LINKING) {
            MethodHandle h = handle;
            if (h == null) {
                h = LINKER.downcallHandle(symbol, descriptor, options);
                handle = h;
            }
            return h;
        }
    }

    private static final Object LINKING = new Object();
}
