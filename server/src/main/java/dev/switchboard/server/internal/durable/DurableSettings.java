package dev.switchboard.server.internal.durable;

import java.time.Duration;

/**
 * The Durable Streams face's options.
 *
 * @param prefix          where the streams live ({@code /streams}): every path below is a stream
 * @param longPollTimeout how long a long-poll read waits for data before {@code 204}
 * @param sseMaxDuration  how long one SSE response lasts before the server ends it (the client reconnects from
 *                        its last offset; lets CDNs collapse readers, as the protocol recommends)
 * @param maxAppend       the largest append (and initial body) in bytes
 * @param tls             whether the node serves TLS (for {@code Location} URLs)
 */
public record DurableSettings(String prefix, Duration longPollTimeout, Duration sseMaxDuration, int maxAppend,
                              boolean tls) {
}
