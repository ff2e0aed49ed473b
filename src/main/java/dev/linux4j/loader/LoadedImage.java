package dev.linux4j.loader;

/**
 * The result of loading an executable: where the new program starts and what the kernel
 * records in its {@code mm_struct}.
 *
 * @param entry where RIP starts: the interpreter's entry when there is one, else the program's
 * @param stackPointer RSP at the first instruction (points at argc; 16-byte aligned)
 * @param programEntry the program's entry point (AT_ENTRY)
 * @param phdr the program headers' address in memory (AT_PHDR)
 * @param phnum AT_PHNUM
 * @param interpreterBase the interpreter's load bias (AT_BASE), 0 without one
 * @param brkStart the initial program break (mm->start_brk)
 * @param auxvAddress where the auxiliary vector starts on the stack
 * @param auxvLength its length in bytes including the AT_NULL pair (what /proc/self/auxv shows)
 * @param interpreterPath the PT_INTERP path, or null
 * @param executableStack whether PT_GNU_STACK asked for an executable stack (the stack is mapped so)
 * @param stackTop the end of the stack mapping (STACK_TOP)
 * @param argStart mm->arg_start: argv[0]'s string (for /proc/self/cmdline)
 * @param argEnd mm->arg_end
 * @param envStart mm->env_start (for /proc/self/environ)
 * @param envEnd mm->env_end
 * @param execfnAddress AT_EXECFN's string
 * @param startCode mm->start_code
 * @param endCode mm->end_code
 * @param startData mm->start_data
 * @param endData mm->end_data
 */
public record LoadedImage(
        long entry,
        long stackPointer,
        long programEntry,
        long phdr,
        int phnum,
        long interpreterBase,
        long brkStart,
        long auxvAddress,
        int auxvLength,
        String interpreterPath,
        boolean executableStack,
        long stackTop,
        long argStart,
        long argEnd,
        long envStart,
        long envEnd,
        long execfnAddress,
        long startCode,
        long endCode,
        long startData,
        long endData) {}
