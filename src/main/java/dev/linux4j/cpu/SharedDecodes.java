package dev.linux4j.cpu;

import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.GuestFault;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded blocks shared by every address space of the JVM (DESIGN.md decision 5: the JVM is
 * the kernel, so a shell that starts five hundred programs should decode busybox once, not five
 * hundred times). A decoding is reused at the same guest address only when the address space
 * holds exactly the bytes it was decoded from, compared byte for byte with execute permission —
 * so the reuse is correct whatever mapping, file or self-modifying code put them there, and
 * never needs to be told that anything changed.
 *
 * <p>An {@link Insn} depends only on its bytes and its address (RIP-relative operands and branch
 * targets are resolved at decode time), which is what makes the comparison sufficient.
 * Bounded: past {@link #MAX_BLOCKS} decodings the table starts over.
 */
final class SharedDecodes {
    /** Most decodings kept (a few tens of megabytes of instructions at most). */
    private static final int MAX_BLOCKS = 1 << 16;
    /** Different programs put different code at the same address (0x401000): a few per address. */
    private static final int WAYS = 4;

    /** A decoding: the instructions and the bytes they came from (from the block's start). */
    record Decoding(Insn[] insns, byte[] code) {}

    private static final ConcurrentHashMap<Long, Decoding[]> TABLE = new ConcurrentHashMap<>();

    private SharedDecodes() {}

    /**
     * A decoding of the block at {@code pc} whose bytes {@code space} holds now, or null. The
     * caller has marked the block's pages as code before calling, so a later write is noticed.
     */
    static Decoding find(AddressSpace space, long pc) {
        Decoding[] ways = TABLE.get(pc);
        if (ways == null) {
            return null;
        }
        for (Decoding d : ways) {
            if (d != null && holds(space, pc, d.code)) {
                return d;
            }
        }
        return null;
    }

    private static boolean holds(AddressSpace space, long pc, byte[] code) {
        try {
            return space.executableBytesEqual(pc, code);
        } catch (GuestFault f) {
            return false;
        }
    }

    /** Offers a fresh decoding for reuse by other address spaces. */
    static void offer(long pc, Insn[] insns) {
        int length = (int) (insns[insns.length - 1].next - pc);
        byte[] code = new byte[length];
        int at = 0;
        for (Insn i : insns) {
            if (i.opcode == -1 || i.bytes.length < i.length) {
                return; // an undefined or cut-off instruction: its report depends on more bytes
            }
            System.arraycopy(i.bytes, 0, code, at, i.length);
            at += i.length;
        }
        Decoding d = new Decoding(insns, code);
        if (TABLE.size() >= MAX_BLOCKS) {
            TABLE.clear();
        }
        TABLE.compute(pc, (k, old) -> {
            Decoding[] ways = new Decoding[WAYS];
            ways[0] = d;
            if (old != null) {
                System.arraycopy(old, 0, ways, 1, WAYS - 1); // the oldest falls out
            }
            return ways;
        });
    }
}
