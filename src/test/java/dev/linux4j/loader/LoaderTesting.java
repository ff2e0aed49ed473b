package dev.linux4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.linux4j.abi.Errno;
import dev.linux4j.memory.AddressSpace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers for the loader tests. */
final class LoaderTesting {
    private LoaderTesting() {}

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> strings(String... s) {
        List<byte[]> out = new ArrayList<>();
        for (String x : s) {
            out.add(b(x));
        }
        return out;
    }

    static ExecParams params(List<byte[]> argv, List<byte[]> envp, String execfn) {
        return new ExecParams(argv, envp, b(execfn), 1000, 1000, 1000, 1000, false, new byte[16], 0x1f8bfbffL, 2,
                "x86_64", 0x2eb0);
    }

    static ExecParams params() {
        return params(strings("prog"), strings(), "prog");
    }

    static final ImageOpener NO_FILES = path -> {
        throw dev.linux4j.abi.ErrnoException.of(Errno.ENOENT);
    };

    static LoadedImage load(byte[] image) throws ExecException {
        return ElfLoader.load(new AddressSpace(), new MemoryImageFile("/test/prog", image), HostImageFile.hostOpener(),
                params());
    }

    static ExecException failure(byte[] image) {
        ExecException e = catchThrowableOfType(ExecException.class, () -> load(image));
        assertThat(e).as("the loader must refuse this image").isNotNull();
        return e;
    }
}
