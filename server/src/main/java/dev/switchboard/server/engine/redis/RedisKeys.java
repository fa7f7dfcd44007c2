package dev.switchboard.server.engine.redis;

/**
 * Key and Pub/Sub channel names. Every key of one channel carries the same hash tag {@code {c:NAME}}, so in
 * Redis Cluster they live in one slot together with the channel's shard Pub/Sub channel: the publish script
 * can touch them all atomically, and SPUBLISH from the script reaches that slot's subscribers.
 */
final class RedisKeys {

    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    private String tagged(String channel, String suffix) {
        return prefix + ":{c:" + channel + "}:" + suffix;
    }

    /** Hash {@code e} → epoch, {@code t} → top offset. */
    String meta(String channel) {
        return tagged(channel, "m");
    }

    /** Stream of retained publications, entry id {@code <offset>-0}. */
    String stream(String channel) {
        return tagged(channel, "s");
    }

    /** String {@code offset\nepoch\nts} of the publication made under an idempotency key (expires with the window). */
    String idempotency(String channel, String key) {
        return tagged(channel, "i:" + key);
    }

    /** Sorted set of the channel's idempotency key names by time: what bounds their number. */
    String idempotencyIndex(String channel) {
        return tagged(channel, "ik");
    }

    /** Pub/Sub (shard) channel carrying the channel's publications. */
    String pubsub(String channel) {
        return tagged(channel, "p");
    }

    /** Hash connection id → user id. */
    String presenceConnections(String channel) {
        return tagged(channel, "pc");
    }

    /** Sorted set connection id → expiry time (ms). */
    String presenceExpiry(String channel) {
        return tagged(channel, "pe");
    }

    /** Hash user id → what a joining connection said about the user (JSON). */
    String presenceInfo(String channel) {
        return tagged(channel, "pi");
    }

    /** Hash user id → when their first connection was written (ms, Redis time). */
    String presenceFirstAdded(String channel) {
        return tagged(channel, "pf");
    }

    /** Sorted set user id → when a leave removed their last connection (ms, Redis time). */
    String presenceLastLeft(String channel) {
        return tagged(channel, "pl");
    }

    /** Hash user id → number of connections. */
    String presenceUsers(String channel) {
        return tagged(channel, "pu");
    }

    /**
     * Sorted set channel → when its presence entries were last renewed plus the TTL (ms, the renewing node's
     * clock): a channel whose time has passed has no live node renewing it, and a sweep reports its entries.
     */
    String presenceIndex() {
        return prefix + ":{presence}:index";
    }

    /** The one Pub/Sub channel every node listens on for deliveries and disconnect commands. */
    String nodes() {
        return prefix + ":{nodes}:cmd";
    }

    /** Hash node id → the node's latest {@link dev.switchboard.server.engine.NodeInfo}, as JSON. */
    String nodeInfo() {
        return prefix + ":{nodes}:info";
    }

    /** The channel name inside a publication Pub/Sub channel name, or null if it is not one. */
    String channelOf(String pubsubChannel) {
        String head = prefix + ":{c:";
        if (pubsubChannel.startsWith(head) && pubsubChannel.endsWith("}:p")) {
            return pubsubChannel.substring(head.length(), pubsubChannel.length() - 3);
        }
        return null;
    }
}
