package dev.switchboard.server.internal.transport;

import java.util.Map;

/**
 * How a {@link HttpRoutes.PrefixHandler} answers: once, with a whole result, or as a chunked stream it writes
 * over time (Server-Sent Events, a long body). Either may be called from any thread, exactly once.
 */
public interface HttpResponder {

    /** Answers with a whole result. */
    void answer(HttpResult result);

    /** Starts a chunked response with {@code status} and {@code headers}; the body follows through the stream. */
    ResponseStream stream(int status, Map<String, String> headers);

    /** A chunked response being written. Its methods may be called from any thread. */
    interface ResponseStream {

        /** Queues {@code bytes} as the next chunk. */
        void write(byte[] bytes);

        /** Ends the response (the connection stays open for the next request when it may). */
        void end();

        /** Whether the client is still there. */
        boolean isOpen();

        /** Whether the socket can take more now (past its high-water mark it cannot: a slow reader). */
        boolean isWritable();

        /** Runs {@code action} once when the socket closes (the client went away, or the response closed it). */
        void onClose(Runnable action);
    }
}
