package dev.linux4j.abi;

/**
 * The terminal interface of {@code include/uapi/asm-generic/termbits.h} and
 * {@code termbits-common.h}: the flag bits of {@code struct termios}, the indexes of its
 * {@code c_cc}, and the kernel's 36-byte structure (TCGETS/TCSETS) with its codec.
 */
public final class Termios {
    // c_iflag
    public static final int IGNBRK = 0x001;
    public static final int BRKINT = 0x002;
    public static final int IGNPAR = 0x004;
    public static final int PARMRK = 0x008;
    public static final int INPCK = 0x010;
    public static final int ISTRIP = 0x020;
    public static final int INLCR = 0x040;
    public static final int IGNCR = 0x080;
    public static final int ICRNL = 0x100;
    public static final int IUCLC = 0x200;
    public static final int IXON = 0x400;
    public static final int IXANY = 0x800;
    public static final int IXOFF = 0x1000;
    public static final int IMAXBEL = 0x2000;
    public static final int IUTF8 = 0x4000;

    // c_oflag
    public static final int OPOST = 0x01;
    public static final int OLCUC = 0x02;
    public static final int ONLCR = 0x04;
    public static final int OCRNL = 0x08;
    public static final int ONOCR = 0x10;
    public static final int ONLRET = 0x20;
    public static final int TABDLY = 0x1800;
    public static final int XTABS = 0x1800;

    // c_cflag
    public static final int B38400 = 0x0f;
    public static final int CS8 = 0x30;
    public static final int CREAD = 0x80;

    // c_lflag
    public static final int ISIG = 0x001;
    public static final int ICANON = 0x002;
    public static final int ECHO = 0x008;
    public static final int ECHOE = 0x010;
    public static final int ECHOK = 0x020;
    public static final int ECHONL = 0x040;
    public static final int NOFLSH = 0x080;
    public static final int TOSTOP = 0x100;
    public static final int ECHOCTL = 0x200;
    public static final int ECHOPRT = 0x400;
    public static final int ECHOKE = 0x800;
    public static final int IEXTEN = 0x8000;
    public static final int EXTPROC = 0x10000;

    // c_cc indexes
    public static final int VINTR = 0;
    public static final int VQUIT = 1;
    public static final int VERASE = 2;
    public static final int VKILL = 3;
    public static final int VEOF = 4;
    public static final int VTIME = 5;
    public static final int VMIN = 6;
    public static final int VSWTC = 7;
    public static final int VSTART = 8;
    public static final int VSTOP = 9;
    public static final int VSUSP = 10;
    public static final int VEOL = 11;
    public static final int VREPRINT = 12;
    public static final int VDISCARD = 13;
    public static final int VWERASE = 14;
    public static final int VLNEXT = 15;
    public static final int VEOL2 = 16;
    /** The kernel's NCCS (glibc's struct termios has 32, but TCGETS copies 19). */
    public static final int NCCS = 19;

    /** tcflush's queue selectors (TCFLSH) and tcflow's actions (TCXONC). */
    public static final int TCIFLUSH = 0;
    public static final int TCOFLUSH = 1;
    public static final int TCIOFLUSH = 2;
    public static final int TCOOFF = 0;
    public static final int TCOON = 1;
    public static final int TCIOFF = 2;
    public static final int TCION = 3;

    /** sizeof(struct termios) as TCGETS copies it: four flag words, c_line, c_cc[NCCS]. */
    public static final int SIZE = 36;

    private Termios() {}

    /**
     * tty_std_termios of drivers/tty/tty_io.c, which a pty slave starts with: ICRNL IXON, OPOST
     * ONLCR, B38400 CS8 CREAD, ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN, and INIT_C_CC
     * (^C ^\ DEL ^U ^D 0 1 0 ^Q ^S ^Z 0 ^R ^O ^W ^V 0).
     */
    public static byte[] standard() {
        byte[] t = new byte[SIZE];
        putInt(t, 0, ICRNL | IXON);
        putInt(t, 4, OPOST | ONLCR);
        putInt(t, 8, B38400 | CS8 | CREAD);
        putInt(t, 12, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
        byte[] cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0};
        System.arraycopy(cc, 0, t, 17, NCCS);
        return t;
    }

    public static int iflag(byte[] t) {
        return getInt(t, 0);
    }

    public static int oflag(byte[] t) {
        return getInt(t, 4);
    }

    public static int cflag(byte[] t) {
        return getInt(t, 8);
    }

    public static int lflag(byte[] t) {
        return getInt(t, 12);
    }

    /** c_cc[index], unsigned. */
    public static int cc(byte[] t, int index) {
        return t[17 + index] & 0xff;
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }
}
