package dev.linux4j.fs.proc;

import dev.linux4j.abi.Resource;
import dev.linux4j.vfs.ProcessDirectory;
import dev.linux4j.vfs.ProcessView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A process directory with one hand-made process, pid 100, as the caller. */
final class FakeProcesses implements ProcessDirectory {
    final Proc proc = new Proc();
    boolean hasCurrent = true;

    /** The process: fields tests may change. */
    static final class Proc implements ProcessView {
        String comm = "prog";
        String exe = "/usr/bin/prog";
        byte[] cmdline = "prog\0-x\0".getBytes(StandardCharsets.UTF_8);
        byte[] environ = "A=1\0".getBytes(StandardCharsets.UTF_8);
        List<OpenFile> files = new ArrayList<>();
        List<Mapping> maps = new ArrayList<>();
        int uid = 1000;

        @Override
        public int pid() {
            return 100;
        }

        @Override
        public int ppid() {
            return 1;
        }

        @Override
        public int pgrp() {
            return 100;
        }

        @Override
        public int session() {
            return 100;
        }

        @Override
        public int[] tids() {
            return new int[] {100, 101};
        }

        @Override
        public String comm() {
            return comm;
        }

        @Override
        public String exe() {
            return exe;
        }

        @Override
        public String cwd() {
            return "/home/user";
        }

        @Override
        public String root() {
            return "/";
        }

        @Override
        public byte[] cmdline() {
            return cmdline;
        }

        @Override
        public byte[] environ() {
            return environ;
        }

        @Override
        public byte[] auxv() {
            return new byte[16];
        }

        @Override
        public char state(int tid) {
            return tid == 100 ? 'R' : 'S';
        }

        @Override
        public int[] uids() {
            return new int[] {uid, uid, uid, uid};
        }

        @Override
        public int[] gids() {
            return new int[] {1000, 1000, 1000, 1000};
        }

        @Override
        public int[] groups() {
            return new int[] {1000, 27};
        }

        @Override
        public int umask() {
            return 022;
        }

        @Override
        public List<OpenFile> files() {
            return files;
        }

        @Override
        public OpenFile file(int fd) {
            return files.stream().filter(f -> f.fd() == fd).findFirst().orElse(null);
        }

        @Override
        public List<Mapping> maps() {
            return maps;
        }

        @Override
        public Layout layout() {
            return new Layout(0x400000, 0x401000, 0x402000, 0x403000, 0x404000, 0x405000, 0x7ffffffde000L,
                    0x7ffffffde100L, 0x7ffffffde108L, 0x7ffffffde108L, 0x7ffffffde10cL);
        }

        @Override
        public long[] rlimit(int resource) {
            return resource == Resource.RLIMIT_STACK ? new long[] {8L << 20, Resource.RLIM_INFINITY}
                    : resource == Resource.RLIMIT_NOFILE ? new long[] {1024, 1048576}
                    : new long[] {Resource.RLIM_INFINITY, Resource.RLIM_INFINITY};
        }

        @Override
        public long startNanos() {
            return 2_500_000_000L;
        }

        @Override
        public long blockedSignals(int tid) {
            return 1L << 9;
        }

        @Override
        public long ignoredSignals() {
            return 1L << 12;
        }

        @Override
        public long caughtSignals() {
            return 1L << 1;
        }
    }

    @Override
    public ProcessView current() {
        return hasCurrent ? proc : null;
    }

    @Override
    public int currentTid() {
        return hasCurrent ? 101 : 0;
    }

    @Override
    public ProcessView byPid(int pid) {
        return pid == 100 ? proc : null;
    }

    @Override
    public int[] pids() {
        return new int[] {100};
    }

    @Override
    public int lastPid() {
        return 101;
    }

    @Override
    public String osRelease() {
        return "6.12.0";
    }

    @Override
    public String osVersion() {
        return "#1 SMP PREEMPT_DYNAMIC linux4j";
    }

    @Override
    public String hostname() {
        return "guest";
    }

    @Override
    public int cpuCount() {
        return 2;
    }

    @Override
    public long uptimeNanos() {
        return 12_340_000_000L;
    }

    @Override
    public long bootTimeSeconds() {
        return 1_700_000_000L;
    }

    /** Four ASCII characters as CPUID packs them into a register (little-endian). */
    private static int chars(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    /** The CPUID leaves cpuinfo reads, as linux4j's CPU reports them (fs must not use the cpu package). */
    @Override
    public int[] cpuid(int leaf, int subleaf) {
        String brand = "linux4j virtual x86-64 CPU\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        return switch (leaf) {
            case 0 -> new int[] {13, chars("Genu"), chars("ntel"), chars("ineI")};
            case 1 -> new int[] {0x306a9, (8 << 8) | (1 << 16),
                (1 << 0) | (1 << 9) | (1 << 13) | (1 << 19) | (1 << 20) | (1 << 22) | (1 << 23),
                (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 19) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26)};
            case 4 -> subleaf == 0 ? new int[] {0x121, (63) | (7 << 22), 63, 0}
                    : subleaf == 1 ? new int[] {0x163, (63) | (15 << 22), 8191, 0} : new int[4];
            case 7 -> subleaf == 0 ? new int[] {0, 1 << 9, 0, 0} : new int[4];
            case 0x80000001 -> new int[] {0, 0, 1, (1 << 11) | (1 << 20) | (1 << 29)};
            case 0x80000002, 0x80000003, 0x80000004 -> {
                int base = (leaf - 0x80000002) * 16;
                yield new int[] {chars(brand.substring(base, base + 4)), chars(brand.substring(base + 4, base + 8)),
                    chars(brand.substring(base + 8, base + 12)), chars(brand.substring(base + 12, base + 16))};
            }
            case 0x80000008 -> new int[] {46 | (48 << 8), 0, 0, 0};
            default -> new int[4];
        };
    }

    @Override
    public String bootId() {
        return "0b1d5c9e-2f55-4a35-9a3e-6f0e1b2c3d4e";
    }
}
