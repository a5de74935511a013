/**
 * RedisBroker: the rooms of an Echowall app across several servers that share a Redis.
 *
 * <p>Lettuce publishes no module descriptor; it is required here by its automatic module name,
 * {@code lettuce.core}, which its jar's manifest declares.
 */
module io.echowall.redis {
    exports io.echowall.redis;

    requires io.echowall;
    requires lettuce.core;
    requires org.slf4j;
}
