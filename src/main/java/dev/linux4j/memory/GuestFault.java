package dev.linux4j.memory;

/**
 * A guest memory access that the page table refuses: the guest's page fault. The CPU turns it
 * into a fault exit and the kernel into SIGSEGV (or SIGBUS for a file mapping beyond EOF).
 * Stackless: it is control flow, not a Java error.
 */
public final class GuestFault extends RuntimeException {
    /** What kind of fault, as Linux reports it in si_code. */
    public enum Kind {
        /** No mapping at the address: SEGV_MAPERR. */
        NOT_MAPPED,
        /** A mapping that forbids the access: SEGV_ACCERR. */
        PROTECTION,
        /** A file mapping beyond the end of its file: SIGBUS, BUS_ADRERR. */
        BEYOND_EOF
    }

    private final long address;
    private final Kind kind;
    private final boolean write;

    public GuestFault(long address, Kind kind, boolean write) {
        super(null, null, false, false);
        this.address = address;
        this.kind = kind;
        this.write = write;
    }

    public long address() {
        return address;
    }

    public Kind kind() {
        return kind;
    }

    public boolean write() {
        return write;
    }

    @Override
    public String getMessage() {
        return kind + (write ? " write at 0x" : " read at 0x") + Long.toHexString(address);
    }
}
