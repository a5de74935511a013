package io.echowall.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the CPU time a server has used from Linux's {@code /proc}: its own process and every process
 * below it, since some servers (uWSGI) serve from worker processes under the PID they were started as.
 * Server CPU per message is steadier than messages per second on a shared machine: it does not count
 * the time the server waited for the generator.
 */
final class ServerCpu {

    /** USER_HZ, the unit of /proc's CPU times: 100 on every architecture Linux runs Java on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ServerCpu() {
    }

    /** User plus system CPU time, in nanoseconds, of process {@code pid} and its descendants. */
    static long nanos(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            return ticks(Files.readString(stat)) * NANOS_PER_TICK + childrenNanos(pid);
        } catch (NoSuchFileException e) {
            throw new BenchException(BenchException.SETUP, "--server-pid " + pid + ": no such process (" + stat + " is missing)");
        } catch (IOException e) {
            throw new BenchException(BenchException.SETUP, "--server-pid " + pid + ": cannot read " + stat + ": " + e.getMessage());
        }
    }

    /** A table cell for {@code micros} of server CPU per {@code unit} (NaN: not measured). */
    static String describe(double micros, String unit) {
        return Double.isNaN(micros) ? "not measured (give --server-pid)"
                : String.format(Locale.ROOT, "%.2f us per %s (user + system, the whole process)", micros, unit);
    }

    /** utime + stime, in ticks, of the text of a /proc stat file (fields 14 and 15, counted after the name). */
    static long ticks(String stat) {
        // The name (field 2) is in parentheses and may hold spaces and parentheses itself.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long childrenNanos(long pid) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String children;
                try {
                    children = Files.readString(task.resolve("children")).trim();
                } catch (NoSuchFileException e) {
                    continue; // the thread ended while we looked
                }
                for (String child : children.isEmpty() ? new String[0] : children.split(" ")) {
                    try {
                        sum += nanos(Long.parseLong(child));
                    } catch (BenchException e) {
                        // the child ended while we looked: its time is no longer the server's to count
                    }
                }
            }
        }
        return sum;
    }
}
