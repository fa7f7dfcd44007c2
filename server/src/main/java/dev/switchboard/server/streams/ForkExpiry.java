package dev.switchboard.server.streams;

/**
 * A fork's configuration from its request and its source's (the protocol's table): a TTL or expiry the fork
 * asks for is its own; without one it inherits the source's (a TTL as its own sliding window, an absolute
 * expiry as it is); a fork without a content type takes the source's.
 */
public final class ForkExpiry {

    private ForkExpiry() {
    }

    public static StreamSpec resolve(StreamSpec requested, StreamSpec source, String sourceContentType) {
        String contentType = requested.contentType() != null ? requested.contentType() : sourceContentType;
        Long ttl = requested.ttlSeconds();
        String expiresAt = requested.expiresAt();
        if (ttl == null && expiresAt == null) {
            ttl = source.ttlSeconds();
            expiresAt = source.ttlSeconds() == null ? source.expiresAt() : null;
        }
        return new StreamSpec(contentType, ttl, expiresAt, requested.closed(), requested.owner());
    }
}
