package dev.tern.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from /proc (Linux). CPU is reported per process so
 * the server's share and the generator's share of the two shared cores can be told apart.
 */
public final class ProcStats {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private ProcStats() {}

    /** User + system CPU seconds used by the process so far. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name (which may contain spaces) start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size in bytes. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** Open file descriptors of the process. */
    public static int openFiles(long pid) {
        String[] fds = new java.io.File("/proc/" + pid + "/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** CPU cores the machine has, for converting CPU seconds to a share. */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** A CPU meter over an interval. */
    public static final class Meter {
        private final long pid;
        private final long startNanos = System.nanoTime();
        private final double startCpu;

        public Meter(long pid) {
            this.pid = pid;
            this.startCpu = cpuSeconds(pid);
        }

        /** Average cores used since construction (1.0 = one core fully busy). */
        public double cores() {
            double wall = (System.nanoTime() - startNanos) / 1e9;
            return (cpuSeconds(pid) - startCpu) / wall;
        }
    }
}
