package dev.linux4j.abi;

/**
 * ioctl(2) request numbers of {@code include/uapi/asm-generic/ioctls.h} (the x86-64 values) and
 * the sizes of the structures they copy.
 */
public final class Ioctls {
    private Ioctls() {}

    public static final int TCGETS = 0x5401;
    public static final int TCSETS = 0x5402;
    public static final int TCSETSW = 0x5403;
    public static final int TCSETSF = 0x5404;
    public static final int TCSBRK = 0x5409;
    public static final int TCXONC = 0x540A;
    public static final int TCFLSH = 0x540B;
    public static final int TIOCEXCL = 0x540C;
    public static final int TIOCNXCL = 0x540D;
    public static final int TIOCSCTTY = 0x540E;
    public static final int TIOCGPGRP = 0x540F;
    public static final int TIOCSPGRP = 0x5410;
    public static final int TIOCOUTQ = 0x5411;
    public static final int TIOCGWINSZ = 0x5413;
    public static final int TIOCSWINSZ = 0x5414;
    public static final int FIONREAD = 0x541B;
    public static final int FIONBIO = 0x5421;
    public static final int TIOCNOTTY = 0x5422;
    public static final int TIOCGSID = 0x5429;
    /** _IOR('T', 0x2A, struct termios2) and friends: the termios2 forms with explicit speeds (44 bytes). */
    public static final int TCGETS2 = 0x802C542A;
    public static final int TCSETS2 = 0x402C542B;
    public static final int TCSETSW2 = 0x402C542C;
    public static final int TCSETSF2 = 0x402C542D;
    /** _IOR('T', 0x30, unsigned int): the pty number. */
    public static final int TIOCGPTN = 0x80045430;
    /** _IOW('T', 0x31, int): lock or unlock the slave. */
    public static final int TIOCSPTLCK = 0x40045431;
    public static final int TIOCGPTLCK = 0x80045439;
    /** _IO('T', 0x41): open the slave, the argument being open(2)'s flags. */
    public static final int TIOCGPTPEER = 0x5441;
    public static final int FIONCLEX = 0x5450;
    public static final int FIOCLEX = 0x5451;
    public static final int FIOASYNC = 0x5452;
    public static final int FIOQSIZE = 0x5460;

    /** The kernel's {@code struct termios} (include/uapi/asm-generic/termbits.h: four flags, c_line, c_cc[19]). */
    public static final int SIZEOF_TERMIOS = 36;
    /** {@code struct winsize}: ws_row, ws_col, ws_xpixel, ws_ypixel (unsigned short each). */
    public static final int SIZEOF_WINSIZE = 8;
    /** {@code struct termios2}: struct termios followed by c_ispeed and c_ospeed. */
    public static final int SIZEOF_TERMIOS2 = 44;
}
