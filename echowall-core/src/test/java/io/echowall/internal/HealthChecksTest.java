package io.echowall.internal;

import io.echowall.rooms.TestSeats;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/** Liveness asks every event loop to answer; readiness ends when the server begins to stop. */
@Timeout(10)
class HealthChecksTest {

    private final EventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final HealthChecks health = new HealthChecks(TestSeats.hub());

    @AfterEach
    void stopLoops() {
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aServerIsAliveWhileEveryEventLoopAnswers() throws InterruptedException {
        health.serving(loops);
        assertThat(health.liveness()).containsEntry("status", "UP");

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        loops.next().execute(() -> {
            stuck.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stuck.await();
        assertThat(health.liveness()).containsEntry("status", "DOWN");

        release.countDown();
        assertThat(health.liveness()).containsEntry("status", "UP");
    }

    @Test
    void aServerIsReadyUntilItBeginsToStop() {
        assertThat(health.readiness()).containsEntry("status", "DOWN").containsEntry("server", "DOWN");
        health.serving(loops);
        assertThat(health.readiness()).containsExactly(entry("status", "UP"), entry("server", "UP"), entry("broker", "UP"));
        health.stopping();
        assertThat(health.readiness()).containsEntry("status", "DOWN").containsEntry("server", "STOPPING");
    }
}
