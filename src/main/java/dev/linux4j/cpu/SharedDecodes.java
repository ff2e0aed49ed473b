package dev.linux4j.cpu;

import static dev.linux4j.abi.Mman.PAGE_SHIFT;
import static dev.linux4j.abi.Mman.PAGE_SIZE;

import dev.linux4j.memory.AddressSpace;
import dev.linux4j.memory.GuestFault;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded blocks shared by every address space of the JVM (DESIGN.md decision 5: the JVM is
 * the kernel, so a shell that starts five hundred programs should decode busybox once, not five
 * hundred times).
 *
 * <p>Sharing is by code page: a {@link PageCode} holds a copy of a page's bytes as some address
 * space had them at some address, and the blocks decoded from them. Another address space uses
 * those blocks only after comparing its own page at the same address with the copy, byte for
 * byte and with execute permission — so the reuse is correct whatever mapping, file or
 * self-modifying code put the bytes there, and never needs to be told that anything changed.
 * An {@link Insn} depends only on its bytes and its address (RIP-relative operands and branch
 * targets are resolved at decode time), which is what makes the comparison sufficient. A block
 * that runs into the next page also names the {@link PageCode} of that page.
 *
 * <p>Bounded: past {@link #MAX_PAGES} pages the table starts over (address spaces keep what they
 * hold).
 */
final class SharedDecodes {
    /** Most pages kept: 32 MiB of copies, about the text of a large compiler. */
    private static final int MAX_PAGES = 8192;
    /** Different programs put different code at the same address (0x401000): a few per address. */
    private static final int WAYS = 4;

    /** A decoded block, and the page it runs into (null when it stays in its first page). */
    record Decoded(Insn[] insns, PageCode next) {}

    /**
     * One page of code as some address space held it, and the blocks decoded from it by their
     * offset in the page. Readers take no lock: the table of blocks is filled in place under the
     * page's lock and replaced when it grows. A slot only ever goes from empty to one block, its
     * offset written before the block is stored with release semantics, so a reader that loads
     * the block with acquire semantics sees its offset; a reader that finds the slot empty decodes
     * the block itself (a wasted decode, never a wrong block).
     */
    static final class PageCode {
        private final byte[] bytes;
        private volatile Slots slots = new Slots(16);

        private PageCode(byte[] bytes) {
            this.bytes = bytes;
        }

        Decoded block(long pc) {
            Slots t = slots;
            int offset = (int) pc & (PAGE_SIZE - 1);
            int mask = t.offsets.length - 1;
            for (int i = Slots.slot(offset, mask); ; i = (i + 1) & mask) {
                Decoded d = (Decoded) Slots.BLOCK.getAcquire(t.blocks, i);
                if (d == null) {
                    return null;
                }
                if (t.offsets[i] == offset) {
                    return d;
                }
            }
        }

        synchronized void add(long pc, Insn[] insns, PageCode next) {
            if (!shareable(insns) || block(pc) != null) {
                return;
            }
            Slots t = slots;
            if ((t.size + 1) * 2 > t.offsets.length) {
                t = t.grown();
            }
            t.put((int) pc & (PAGE_SIZE - 1), new Decoded(insns, next));
            slots = t; // publishes a grown table; a table filled in place needs no publishing
        }
    }

    /** A page's blocks by offset: open addressing, grown by copying (see {@link PageCode}). */
    private static final class Slots {
        static final java.lang.invoke.VarHandle BLOCK = java.lang.invoke.MethodHandles.arrayElementVarHandle(Decoded[].class);
        final int[] offsets;
        final Decoded[] blocks;
        int size;

        Slots(int capacity) {
            offsets = new int[capacity];
            blocks = new Decoded[capacity];
        }

        /** Stores a block at an offset the table lacks: the offset first, then the block. */
        void put(int offset, Decoded d) {
            int mask = offsets.length - 1;
            int i = slot(offset, mask);
            while (blocks[i] != null) {
                i = (i + 1) & mask;
            }
            offsets[i] = offset;
            BLOCK.setRelease(blocks, i, d);
            size++;
        }

        Slots grown() {
            Slots t = new Slots(offsets.length * 2);
            for (int i = 0; i < offsets.length; i++) {
                if (blocks[i] != null) {
                    t.put(offsets[i], blocks[i]);
                }
            }
            return t;
        }

        static int slot(int offset, int mask) {
            return (offset * 0x9E3779B1 >>> 16) & mask;
        }
    }

    private static final ConcurrentHashMap<Long, PageCode[]> TABLE = new ConcurrentHashMap<>();

    private SharedDecodes() {}

    /**
     * The shared code of the page at {@code page} (a page number) whose bytes {@code space}
     * holds now — an existing one, or a new copy of the page. Null when the page cannot be
     * executed. The caller has marked the page as code first, so a later write is noticed.
     */
    static PageCode page(AddressSpace space, long page) {
        long addr = page << PAGE_SHIFT;
        PageCode[] ways = TABLE.get(page);
        try {
            if (ways != null) {
                for (PageCode c : ways) {
                    if (c != null && space.executableBytesEqual(addr, c.bytes)) {
                        return c;
                    }
                }
            }
            byte[] copy = new byte[PAGE_SIZE];
            space.readExecutable(addr, copy);
            PageCode c = new PageCode(copy);
            if (TABLE.size() >= MAX_PAGES) {
                TABLE.clear();
            }
            TABLE.compute(page, (k, old) -> {
                PageCode[] w = new PageCode[WAYS];
                w[0] = c;
                if (old != null) {
                    System.arraycopy(old, 0, w, 1, WAYS - 1); // the oldest falls out
                }
                return w;
            });
            return c;
        } catch (GuestFault f) {
            return null;
        }
    }

    /** An undefined or cut-off instruction's report depends on more bytes than it has: not shared. */
    private static boolean shareable(Insn[] insns) {
        for (Insn i : insns) {
            if (i.undecoded() != null) {
                return false;
            }
        }
        return true;
    }
}
