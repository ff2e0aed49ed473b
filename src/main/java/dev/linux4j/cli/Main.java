package dev.linux4j.cli;

import dev.linux4j.host.HostEnvironment;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code linux4j [options] [--] PROGRAM [ARGS...]}: runs a Linux x86-64 program. Exits with the
 * program's status (128 + N after death by signal N); its own errors are one line starting
 * {@code linux4j: } with status 126 (cannot execute), 127 (not found) or 2 (bad usage).
 */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: linux4j [options] [--] PROGRAM [ARGS...]
            Runs a Linux x86-64 program on the JVM.

            options:
              --root DIR            guest root file system (default /)
              --bind HOST:GUEST[:ro]  mount a host directory at GUEST in the guest (ro: EROFS on writes)
              --host-fallback       look a path up in the host root when the guest root lacks it
              --fake-root           run as uid/gid 0; chown is recorded, host ownership untouched
              --strace[=FILE]       log every syscall in strace's format (to stderr or FILE)
              --osrelease R         kernel release uname reports (default %s)
              --hostname NAME       host name uname reports (default the host's)
              --warn-unimplemented  report each unimplemented syscall once
              --jit=on|off|always   translate hot code to JVM bytecode (default on)
              --cpus N              CPUs the guest is given (default the JVM's available processors)
              --debug               show Java stack traces for internal errors
              --help                show this help
            """.formatted(Machine.DEFAULT_OSRELEASE);

    public static void main(String[] args) {
        Machine.warmUpInBackground();
        System.exit(run(args));
    }

    static int run(String[] args) {
        Machine.Builder builder = Machine.builder().forwardHostSignals(true);
        boolean debug = false;
        int i = 0;
        try {
            for (; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--")) {
                    i++;
                    break;
                }
                if (!a.startsWith("--") || a.length() == 2) {
                    break;
                }
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                String inline = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
                switch (name) {
                    case "--root" -> builder.root(Path.of(value(args, ++i, inline, name, true)));
                    case "--osrelease" -> builder.osRelease(value(args, ++i, inline, name, true));
                    case "--hostname" -> builder.hostname(value(args, ++i, inline, name, true));
                    case "--bind" -> {
                        try {
                            builder.bind(Machine.Bind.parse(value(args, ++i, inline, name, true)));
                        } catch (IllegalArgumentException e) {
                            throw new UsageError(e.getMessage());
                        }
                    }
                    case "--host-fallback" -> builder.hostFallback(true);
                    case "--fake-root" -> builder.fakeRoot(true);
                    case "--strace" -> builder.strace(inline == null ? System.err
                            : new PrintStream(new FileOutputStream(inline), true));
                    case "--warn-unimplemented" -> builder.warnUnimplemented(true);
                    case "--jit" -> builder.jit(switch (inline == null ? "on" : inline) {
                        case "on" -> Machine.Jit.ON;
                        case "off" -> Machine.Jit.OFF;
                        case "always" -> Machine.Jit.ALWAYS;
                        default -> throw new UsageError("--jit takes on, off or always");
                    });
                    case "--cpus" -> {
                        try {
                            builder.cpus(Integer.parseInt(value(args, ++i, inline, name, true)));
                        } catch (IllegalArgumentException e) {
                            throw new UsageError("--cpus takes a number from 1 to 64");
                        }
                    }
                    case "--debug" -> debug = true;
                    case "--help" -> {
                        System.out.print(USAGE);
                        return 0;
                    }
                    default -> throw new UsageError("unknown option " + name);
                }
                if (inline != null && (name.equals("--root") || name.equals("--osrelease") || name.equals("--hostname")
                        || name.equals("--bind") || name.equals("--cpus"))) {
                    i--; // the value was inline; do not consume the next argument
                }
            }
            if (i >= args.length) {
                throw new UsageError("no program given (try --help)");
            }
        } catch (UsageError e) {
            System.err.println("linux4j: " + e.getMessage());
            return 2;
        } catch (FileNotFoundException e) {
            System.err.println("linux4j: cannot open strace file: " + e.getMessage());
            return 2;
        }
        List<String> argv = new ArrayList<>(List.of(args).subList(i, args.length));
        try {
            return builder.build().run(argv, HostEnvironment.ordered(), System.in, System.out, System.err);
        } catch (Machine.ExecFailure e) {
            System.err.println("linux4j: " + e.getMessage());
            return e.status();
        } catch (RuntimeException | Error e) {
            System.err.println("linux4j: internal error: " + e);
            if (debug) {
                e.printStackTrace();
            } else {
                System.err.println("linux4j: run with --debug for details");
            }
            return 125;
        }
    }

    private static String value(String[] args, int index, String inline, String name, boolean required)
            throws UsageError {
        if (inline != null) {
            return inline;
        }
        if (index >= args.length) {
            throw new UsageError(name + " needs a value");
        }
        return args[index];
    }

    private static final class UsageError extends Exception {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }
}
