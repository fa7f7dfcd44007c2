package dev.switchboard.server.internal.outbound.client;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.Map;

/**
 * One POST to a backend: the body (already serialized into a buffer, the only copy the client makes of it),
 * extra headers (the hook's name, trace context), how long the answer may take and how large it may be.
 * The client owns {@code body} from the call on and releases it.
 *
 * @param timeout a buffered answer must be complete within it; a streamed one must start within it
 */
public record BackendRequest(String contentType, ByteBuf body, Map<String, String> headers, Duration timeout,
                             int maxBody) {
}
