package io.echowall.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a process's resident set size from Linux's {@code /proc/<pid>/status}. */
final class ResidentMemory {
    private ResidentMemory() {
    }

    /** The {@code VmRSS} of process {@code pid}, in KiB (the unit /proc reports as "kB"). */
    static long kib(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            return parseVmRss(Files.readString(status));
        } catch (NoSuchFileException e) {
            throw new BenchException(BenchException.SETUP, "--server-pid " + pid + ": no such process (" + status + " is missing)");
        } catch (IOException e) {
            throw new BenchException(BenchException.SETUP, "--server-pid " + pid + ": cannot read " + status + ": " + e.getMessage());
        }
    }

    /** The VmRSS value, in KiB, of the text of a /proc status file. */
    static long parseVmRss(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        throw new BenchException(BenchException.SETUP, "no VmRSS line in the process status (a kernel thread, or not Linux?)");
    }
}
