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
    public static final int TIOCGWINSZ = 0x5413;
    public static final int TIOCSWINSZ = 0x5414;
    public static final int FIONREAD = 0x541B;
    public static final int FIONBIO = 0x5421;
    public static final int FIONCLEX = 0x5450;
    public static final int FIOCLEX = 0x5451;
    public static final int FIOASYNC = 0x5452;
    public static final int FIOQSIZE = 0x5460;

    /** The kernel's {@code struct termios} (include/uapi/asm-generic/termbits.h: four flags, c_line, c_cc[19]). */
    public static final int SIZEOF_TERMIOS = 36;
    /** {@code struct winsize}: ws_row, ws_col, ws_xpixel, ws_ypixel (unsigned short each). */
    public static final int SIZEOF_WINSIZE = 8;
}
