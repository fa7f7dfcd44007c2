package dev.switchboard.server.internal.outbound;

import dev.switchboard.server.app.HandlerContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An outbound HTTP exchange tied to a client request: when the client cancels (or leaves), a call still
 * waiting for its answer is abandoned and a streaming body is closed under its reader, so the upstream sees
 * its connection close and stops working for nobody.
 */
public final class CancellableExchange {

    private CancellableExchange() {
    }

    /**
     * Waits for the answer's status and headers (on the handler's virtual thread).
     *
     * @return the response, or {@code null} when the request was cancelled meanwhile
     * @throws ExecutionException when the exchange failed
     */
    public static HttpResponse<InputStream> await(HandlerContext ctx, CompletableFuture<HttpResponse<InputStream>> pending)
            throws ExecutionException, InterruptedException {
        AtomicReference<InputStream> body = new AtomicReference<>();
        ctx.onCancel(() -> {
            pending.cancel(true);
            closeQuietly(body.get());
        });
        HttpResponse<InputStream> response;
        try {
            response = pending.get();
        } catch (CancellationException e) {
            return null;
        }
        body.set(response.body());
        if (ctx.isCancelled()) { // cancelled between the answer and the line above
            closeQuietly(response.body());
            return null;
        }
        return response;
    }

    public static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }
}
