package dev.linux4j.loader;

import static dev.linux4j.abi.Resource._STK_LIM;
import static dev.linux4j.elf.Auxv.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.Mman;
import dev.linux4j.memory.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The new program's stack, built as fs/exec.c and fs/binfmt_elf.c build it. From the top
 * (STACK_TOP = 0x7ffffffff000) down: 8 zero bytes, the execfn string, the envp strings, the
 * argv strings (each list copied last string first, so they read in order upwards, with no
 * padding between them); then, after aligning down to 16, the platform string "x86_64", the 16
 * AT_RANDOM bytes, and the pointer block (argc, argv[], NULL, envp[], NULL, auxv pairs) placed so
 * that the stack pointer, which points at argc, is 16-byte aligned.
 */
final class InitialStack {
    /** STACK_TOP on x86-64 with 4-level paging and no randomisation. */
    static final long STACK_TOP = Mman.TASK_SIZE;
    /** MAX_ARG_STRLEN: one string, with its NUL, may be at most 32 pages. */
    static final int MAX_ARG_STRLEN = 32 * 4096;
    /** ARG_MAX: the strings may always take 32 pages, even with a smaller stack limit. */
    static final long ARG_MAX = 32 * 4096;
    /** AT_CLKTCK: USER_HZ. */
    static final long CLOCKS_PER_SEC = 100;
    /** offsetof(struct rseq, end) and __alignof__(struct rseq) in Linux 6.x. */
    static final long RSEQ_FEATURE_SIZE = 28;
    static final long RSEQ_ALIGN = 32;

    private final byte[] block;
    /** bprm->p after the strings: the lowest string (argv[0]). */
    final long argStart;
    final long argEnd;
    final long envStart;
    final long envEnd;
    final long execfn;
    final List<Long> argv;
    final List<Long> envp;

    private InitialStack(byte[] block, long argStart, long argEnd, long envEnd, long execfn, List<Long> argv, List<Long> envp) {
        this.block = block;
        this.argStart = argStart;
        this.argEnd = argEnd;
        this.envStart = argEnd;
        this.envEnd = envEnd;
        this.execfn = execfn;
        this.argv = argv;
        this.envp = envp;
    }

    /**
     * Lays out the strings as do_execveat_common() copies them (bprm_stack_limits(),
     * copy_string_kernel(), copy_strings()), failing with E2BIG where it would.
     */
    static InitialStack copyStrings(ExecParams params, long stackRlimit) throws ExecException {
        int argc = params.argv().size();
        int envc = params.envp().size();
        long limit = Math.min(_STK_LIM / 4 * 3, Long.divideUnsigned(stackRlimit, 4)); // RLIM_INFINITY is -1
        limit = Math.max(limit, ARG_MAX);
        long ptrSize = ((long) Math.max(argc, 1) + envc) * 8;
        if (limit <= ptrSize) {
            throw new ExecException(Errno.E2BIG, "too many arguments and environment strings");
        }
        long top = STACK_TOP - 8;
        long argmin = top - (limit - ptrSize);

        List<byte[]> strings = new ArrayList<>();
        strings.add(cString(params.execfn()));
        for (byte[] s : params.envp()) {
            strings.add(cString(s));
        }
        for (byte[] s : params.argv()) {
            strings.add(cString(s));
        }
        if (argc == 0) {
            strings.add(new byte[0]);
        }
        long p = top;
        long[] addr = new long[strings.size()];
        // Linux copies execfn, then envp last-to-first, then argv last-to-first, each below the previous.
        p = place(strings, 0, 1, addr, p, argmin);
        p = placeReversed(strings, 1, 1 + envc, addr, p, argmin);
        p = placeReversed(strings, 1 + envc, 1 + envc + argc, addr, p, argmin);
        if (argc == 0) {
            p = place(strings, strings.size() - 1, strings.size(), addr, p, argmin);
        }
        byte[] block = new byte[(int) (STACK_TOP - p)];
        for (int i = 0; i < strings.size(); i++) {
            byte[] s = strings.get(i);
            System.arraycopy(s, 0, block, (int) (addr[i] - p), s.length);
        }
        List<Long> argvAddrs = new ArrayList<>();
        long argEnd = p;
        if (argc == 0) {
            argvAddrs.add(addr[strings.size() - 1]);
            argEnd += 1;
        }
        for (int i = 0; i < argc; i++) {
            argvAddrs.add(addr[1 + envc + i]);
            argEnd += strings.get(1 + envc + i).length + 1;
        }
        List<Long> envAddrs = new ArrayList<>();
        long envEnd = argEnd;
        for (int i = 0; i < envc; i++) {
            envAddrs.add(addr[1 + i]);
            envEnd += strings.get(1 + i).length + 1;
        }
        return new InitialStack(block, p, argEnd, envEnd, addr[0], List.copyOf(argvAddrs), List.copyOf(envAddrs));
    }

    private static long place(List<byte[]> strings, int from, int to, long[] addr, long p, long argmin) throws ExecException {
        for (int i = from; i < to; i++) {
            p = placeOne(strings.get(i), p, argmin);
            addr[i] = p;
        }
        return p;
    }

    private static long placeReversed(List<byte[]> strings, int from, int to, long[] addr, long p, long argmin)
            throws ExecException {
        for (int i = to - 1; i >= from; i--) {
            p = placeOne(strings.get(i), p, argmin);
            addr[i] = p;
        }
        return p;
    }

    private static long placeOne(byte[] s, long p, long argmin) throws ExecException {
        long len = s.length + 1L;
        if (len > MAX_ARG_STRLEN) {
            throw new ExecException(Errno.E2BIG, "argument or environment string longer than " + (MAX_ARG_STRLEN - 1) + " bytes");
        }
        p -= len;
        if (p < argmin) {
            throw new ExecException(Errno.E2BIG, "argument list too long");
        }
        return p;
    }

    /** The bytes of a C string: everything before the first NUL. */
    private static byte[] cString(byte[] s) {
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) {
                return java.util.Arrays.copyOf(s, i);
            }
        }
        return s;
    }

    /** stack_expand: what setup_arg_pages() adds below the strings' pages, 128 KiB. */
    static final long STACK_EXPAND = 128L << 10;

    /**
     * Maps the [stack] region and writes the strings (setup_arg_pages()): the pages of the
     * strings and 128 KiB below them, or down to RLIMIT_STACK from the top if that is less. It
     * grows down from there as the program touches pages below it, as on Linux.
     */
    void mapAndWrite(AddressSpace space, boolean executable, long stackRlimit) {
        int prot = Mman.PROT_READ | Mman.PROT_WRITE | (executable ? Mman.PROT_EXEC : 0);
        long vmStart = argStart & -Mman.PAGE_SIZE;
        long rlimit = stackRlimit & -Mman.PAGE_SIZE;
        long base = Long.compareUnsigned(STACK_TOP - vmStart + STACK_EXPAND, rlimit) > 0 ? STACK_TOP - rlimit
                : vmStart - STACK_EXPAND;
        base = Math.min(base, vmStart); // the strings' pages are mapped whatever the limit
        space.map(base, STACK_TOP - base, prot,
                Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_FIXED | Mman.MAP_GROWSDOWN, "[stack]", 0);
        space.poke(argStart, block, 0, block.length);
    }

    /** What create_elf_tables() needs besides the strings. */
    record Tables(long phdr, long phnum, long interpBase, long entry, long vdso) {}

    /** Where create_elf_tables() put things. */
    record Placed(long sp, long auxv, int auxvLength) {}

    /** create_elf_tables(): platform string, AT_RANDOM bytes, argc, argv, envp and auxv. */
    Placed createElfTables(AddressSpace space, ExecParams params, Tables t) {
        long p = argStart & ~15L; // arch_align_stack() without randomisation
        long platform = 0;
        if (params.platform() != null) {
            byte[] s = params.platform().getBytes(StandardCharsets.US_ASCII);
            p -= s.length + 1;
            space.poke(p, java.util.Arrays.copyOf(s, s.length + 1), 0, s.length + 1);
            platform = p;
        }
        byte[] random = java.util.Arrays.copyOf(params.random16() == null ? new byte[16] : params.random16(), 16);
        p -= 16;
        space.poke(p, random, 0, 16);
        long randomAddr = p;

        List<long[]> aux = new ArrayList<>();
        aux.add(new long[] {AT_SYSINFO_EHDR, t.vdso()}); // ARCH_DLINFO
        aux.add(new long[] {AT_MINSIGSTKSZ, params.minSigStkSz()});
        aux.add(new long[] {AT_HWCAP, params.hwcap()});
        aux.add(new long[] {AT_PAGESZ, Mman.PAGE_SIZE});
        aux.add(new long[] {AT_CLKTCK, CLOCKS_PER_SEC});
        aux.add(new long[] {AT_PHDR, t.phdr()});
        aux.add(new long[] {AT_PHENT, 56});
        aux.add(new long[] {AT_PHNUM, t.phnum()});
        aux.add(new long[] {AT_BASE, t.interpBase()});
        aux.add(new long[] {AT_FLAGS, 0});
        aux.add(new long[] {AT_ENTRY, t.entry()});
        aux.add(new long[] {AT_UID, params.uid() & 0xffffffffL});
        aux.add(new long[] {AT_EUID, params.euid() & 0xffffffffL});
        aux.add(new long[] {AT_GID, params.gid() & 0xffffffffL});
        aux.add(new long[] {AT_EGID, params.egid() & 0xffffffffL});
        aux.add(new long[] {AT_SECURE, params.secure() ? 1 : 0});
        aux.add(new long[] {AT_RANDOM, randomAddr});
        aux.add(new long[] {AT_HWCAP2, params.hwcap2()}); // x86 defines ELF_HWCAP2: always present
        aux.add(new long[] {AT_EXECFN, execfn});
        if (params.platform() != null) {
            aux.add(new long[] {AT_PLATFORM, platform});
        }
        aux.add(new long[] {AT_RSEQ_FEATURE_SIZE, RSEQ_FEATURE_SIZE});
        aux.add(new long[] {AT_RSEQ_ALIGN, RSEQ_ALIGN});
        aux.add(new long[] {AT_NULL, 0});

        int eiIndex = aux.size() * 2;
        int items = (argv.size() + 1) + (envp.size() + 1) + 1;
        long sp = (p - 8L * eiIndex - 8L * items) & ~15L; // STACK_ADD, then STACK_ROUND

        ByteBuffer b = ByteBuffer.allocate(8 * (items + eiIndex)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(argv.size());
        argv.forEach(b::putLong);
        b.putLong(0);
        envp.forEach(b::putLong);
        b.putLong(0);
        long auxvAddr = sp + 8L * items;
        for (long[] e : aux) {
            b.putLong(e[0]).putLong(e[1]);
        }
        space.poke(sp, b.array(), 0, b.position());
        return new Placed(sp, auxvAddr, eiIndex * 8);
    }

    /** The string block, for tests. */
    byte[] stringBlock() {
        return block.clone();
    }
}
