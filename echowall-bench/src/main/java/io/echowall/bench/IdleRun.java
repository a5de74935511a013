package io.echowall.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bench idle}: opens many connections that send nothing, holds them, and reads the
 * server's resident memory before opening, once all are open, and after a settle time.
 */
final class IdleRun {
    private IdleRun() {
    }

    static IdleResult run(IdleSettings settings, Progress progress) {
        FileDescriptors.requireRoomFor(settings.connections(), "--connections");
        Long pid = settings.serverPid();
        long rssBefore = pid == null ? -1 : ResidentMemory.kib(pid);
        try (ClientFleet fleet = new ClientFleet(settings.client())) {
            List<WebSocketConnection> connections = new ArrayList<>(settings.connections());
            for (int i = 0; i < settings.connections(); i++) {
                connections.add(new WebSocketConnection());
            }
            progress.show("opening " + Table.count(settings.connections()) + " connections");
            long openStart = System.nanoTime();
            List<WebSocketConnection> opened = fleet.openAll(connections, settings.concurrency());
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            long rssOpen = pid == null ? -1 : ResidentMemory.kib(pid);

            long holdStart = System.nanoTime();
            long settleEnd = holdStart + settings.settle().toNanos();
            long holdEnd = holdStart + settings.hold().toNanos();
            long rssSettled = -1;
            while (true) {
                long now = System.nanoTime();
                if (rssSettled < 0 && pid != null && now >= settleEnd) {
                    rssSettled = ResidentMemory.kib(pid);
                }
                if (now >= holdEnd) {
                    break;
                }
                progress.show(String.format(Locale.ROOT, "%5.0fs holding %,d of %,d connections   errors %,d",
                        (now - holdStart) / 1e9, countOpen(opened), settings.connections(), fleet.errors().total()));
                long wake = Math.min(holdEnd, now + TimeUnit.SECONDS.toNanos(1));
                if (rssSettled < 0 && pid != null) {
                    wake = Math.min(wake, settleEnd);
                }
                RunWatch.sleepNanos(wake - now);
            }
            int held = countOpen(opened);
            progress.done();
            fleet.closeAll(opened);
            return new IdleResult(settings, fleet.settings().transport(), opened.size(), held, openSeconds,
                    rssBefore, rssOpen, rssSettled, fleet.errors());
        }
    }

    private static int countOpen(List<WebSocketConnection> connections) {
        int open = 0;
        for (WebSocketConnection connection : connections) {
            if (connection.isConnected()) {
                open++;
            }
        }
        return open;
    }
}
