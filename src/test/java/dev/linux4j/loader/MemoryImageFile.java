package dev.linux4j.loader;

/** An in-memory image file. */
record MemoryImageFile(String path, byte[] bytes) implements ImageFile {
    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public int read(long offset, byte[] dst, int off, int len) {
        if (offset < 0 || offset >= bytes.length) {
            return 0;
        }
        int n = (int) Math.min(len, bytes.length - offset);
        System.arraycopy(bytes, (int) offset, dst, off, n);
        return n;
    }
}
