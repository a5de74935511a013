package io.echowall.redis;

import io.echowall.Echowall;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * An Echowall server in a JVM of its own, for the test that kills one: {@code ServerMain redisUri
 * keyPrefix leaseMillis graceMillis}. It prints {@code PORT n} once it listens, then runs until killed.
 */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        RedisBrokerOptions options = RedisBrokerOptions.defaults().withKeyPrefix(args[1])
                .withLeaseTime(Duration.ofMillis(Long.parseLong(args[2])));
        Echowall app = RoomServers.app(RedisBroker.connect(args[0], options),
                Duration.ofMillis(Long.parseLong(args[3])), event -> { });
        app.start(0);
        System.out.println("PORT " + app.port());
        System.out.flush();
        new CountDownLatch(1).await(); // until the test kills this JVM
    }
}
