package io.echowall.bench;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** Checks up front that this process may open enough sockets, so a large run fails clearly instead of half-way. */
final class FileDescriptors {
    /** Descriptors the JVM and Netty need besides the sockets (jars, epoll, event fds, stdio). */
    static final int RESERVE = 64;

    private FileDescriptors() {
    }

    /** Fails unless {@code sockets} more file descriptors can be opened; {@code option} names the setting to lower. */
    static void requireRoomFor(long sockets, String option) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean unix)) {
            return;
        }
        long limit = unix.getMaxFileDescriptorCount();
        long open = unix.getOpenFileDescriptorCount();
        long room = limit - open - RESERVE;
        if (sockets > room) {
            throw new BenchException(BenchException.SETUP, String.format(
                    "%d connections need %d file descriptors, but this process may open only %d (ulimit -n) and %d are in use;"
                            + " use %s %d or fewer, or raise the limit",
                    sockets, sockets, limit, open, option, Math.max(0, room)));
        }
    }
}
