package io.echowall.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The two connections a broker holds, one for commands and publications (so they stay in order) and
 * one for subscriptions, to a single Redis or to a Redis Cluster. The two differ in how room messages
 * travel: plain pub/sub on a single Redis (any version), sharded pub/sub on a cluster (Redis 7+), so that
 * each message goes to the shard that owns its room instead of to every node.
 */
sealed interface Link permits Link.Single, Link.Cluster {

    /** Commands, for both kinds of Redis. */
    RedisClusterAsyncCommands<byte[], byte[]> commands();

    /** The command that publishes a room message, which {@code publish.lua} calls: PUBLISH or SPUBLISH. */
    byte[] publishCommand();

    /** Subscribes to rooms' message channels. */
    RedisFuture<Void> subscribe(byte[]... channels);

    /** Unsubscribes from rooms' message channels. */
    RedisFuture<Void> unsubscribe(byte[]... channels);

    /** Subscribes to the presence channel, plain pub/sub on both kinds (the scripts publish to it). */
    RedisFuture<Void> subscribePresence(byte[] channel);

    /** Whether both connections are up. */
    boolean isOpen();

    /** Closes both connections and the client. */
    void close();

    /**
     * Client options for both kinds: reconnect by itself; on a single Redis, refuse commands while
     * disconnected. Refused rather than queued: a publication is for now or never, and presence is
     * repaired in one piece after a reconnection, from this server's own state. A cluster client opens
     * its connections to the nodes lazily and would refuse the first command for each node, so there
     * commands wait for their node (up to the command timeout) instead.
     */
    private static <B extends ClientOptions.Builder> B configure(B builder, Duration commandTimeout,
                                                              ClientOptions.DisconnectedBehavior disconnected) {
        builder.autoReconnect(true)
                .disconnectedBehavior(disconnected)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build());
        return builder;
    }

    /** Resources for one broker: a few threads, and retries every 50 ms to 1 s while Redis is gone. */
    static ClientResources resources() {
        return ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /** A single Redis (or a proxy in front of several). */
    final class Single implements Link {
        private final ClientResources resources;
        private final RedisClient client;
        private final StatefulRedisConnection<byte[], byte[]> commands;
        private final StatefulRedisPubSubConnection<byte[], byte[]> subscriptions;

        Single(String uri, Duration commandTimeout, RedisPubSubListener<byte[], byte[]> listener,
               RedisConnectionStateListener states) {
            resources = resources();
            client = RedisClient.create(resources, RedisURI.create(uri));
            client.setOptions(configure(ClientOptions.builder(), commandTimeout,
                    ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            client.addListener(states);
            try {
                commands = client.connect(ByteArrayCodec.INSTANCE);
                subscriptions = client.connectPubSub(ByteArrayCodec.INSTANCE);
            } catch (RuntimeException e) {
                shutdown(client, resources);
                throw e;
            }
            subscriptions.addListener(listener);
        }

        @Override
        public RedisClusterAsyncCommands<byte[], byte[]> commands() {
            return commands.async();
        }

        @Override
        public byte[] publishCommand() {
            return Keys.bytes("PUBLISH");
        }

        @Override
        public RedisFuture<Void> subscribe(byte[]... channels) {
            return subscriptions.async().subscribe(channels);
        }

        @Override
        public RedisFuture<Void> unsubscribe(byte[]... channels) {
            return subscriptions.async().unsubscribe(channels);
        }

        @Override
        public RedisFuture<Void> subscribePresence(byte[] channel) {
            return subscriptions.async().subscribe(channel);
        }

        @Override
        public boolean isOpen() {
            return commands.isOpen() && subscriptions.isOpen();
        }

        @Override
        public void close() {
            closeAll(List.of(subscriptions, commands));
            shutdown(client, resources);
        }
    }

    /** A Redis Cluster: rooms' messages over sharded pub/sub. */
    final class Cluster implements Link {
        private final ClientResources resources;
        private final RedisClusterClient client;
        private final StatefulRedisClusterConnection<byte[], byte[]> commands;
        private final StatefulRedisClusterPubSubConnection<byte[], byte[]> subscriptions;

        Cluster(List<String> uris, Duration commandTimeout, RedisPubSubListener<byte[], byte[]> listener,
                RedisConnectionStateListener states) {
            resources = resources();
            client = RedisClusterClient.create(resources, uris.stream().map(RedisURI::create).toList());
            client.setOptions(configure(ClusterClientOptions.builder(), commandTimeout,
                    ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS).build());
            client.addListener(states);
            try {
                commands = client.connect(ByteArrayCodec.INSTANCE);
                subscriptions = client.connectPubSub(ByteArrayCodec.INSTANCE);
            } catch (RuntimeException e) {
                shutdown(client, resources);
                throw e;
            }
            subscriptions.setNodeMessagePropagation(true);
            subscriptions.addListener(listener);
        }

        @Override
        public RedisClusterAsyncCommands<byte[], byte[]> commands() {
            return commands.async();
        }

        @Override
        public byte[] publishCommand() {
            return Keys.bytes("SPUBLISH"); // from a script, allowed since the channel hashes to the room's slot
        }

        @Override
        public RedisFuture<Void> subscribe(byte[]... channels) {
            return subscriptions.async().ssubscribe(channels);
        }

        @Override
        public RedisFuture<Void> unsubscribe(byte[]... channels) {
            return subscriptions.async().sunsubscribe(channels);
        }

        @Override
        public RedisFuture<Void> subscribePresence(byte[] channel) {
            return subscriptions.async().subscribe(channel);
        }

        @Override
        public boolean isOpen() {
            return commands.isOpen() && subscriptions.isOpen();
        }

        @Override
        public void close() {
            closeAll(List.of(subscriptions, commands));
            shutdown(client, resources);
        }
    }

    private static void closeAll(List<StatefulConnection<?, ?>> connections) {
        connections.forEach(StatefulConnection::close);
    }

    private static void shutdown(AbstractRedisClient client, ClientResources resources) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
