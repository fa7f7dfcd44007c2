package dev.switchboard.client;

import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Serialises writes to one {@link WebSocket}: the JDK's implementation allows a single outstanding send and
 * throws {@link IllegalStateException} on a second, while our callers send from any thread.
 */
final class OutboundQueue {

    /** A text frame, or a close frame when {@code closeCode > 0} (then {@code text} is the reason). */
    private record Item(String text, int closeCode, CompletableFuture<Void> sent) {
    }

    private final WebSocket socket;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private boolean inFlight;
    private boolean closed;

    OutboundQueue(WebSocket socket) {
        this.socket = socket;
    }

    /** Queues a text frame; the future completes when the JDK has written it, or fails if the socket is gone. */
    CompletableFuture<Void> sendText(String text) {
        return enqueue(new Item(text, 0, new CompletableFuture<>()));
    }

    /** Queues a close frame after everything already queued. Later sends fail. */
    CompletableFuture<Void> sendClose(int code, String reason) {
        CompletableFuture<Void> sent = enqueue(new Item(reason, code, new CompletableFuture<>()));
        synchronized (this) {
            closed = true;
        }
        return sent;
    }

    private CompletableFuture<Void> enqueue(Item item) {
        synchronized (this) {
            if (closed) {
                item.sent.completeExceptionally(new SwitchboardException(SwitchboardException.DISCONNECTED,
                        "the connection is closing"));
                return item.sent;
            }
            queue.add(item);
        }
        pump();
        return item.sent;
    }

    private void pump() {
        // a loop, not recursion: sends that complete at once would otherwise nest one stack frame per message
        while (true) {
            Item item;
            synchronized (this) {
                if (inFlight || queue.isEmpty()) {
                    return;
                }
                inFlight = true;
                item = queue.poll();
            }
            CompletableFuture<WebSocket> write;
            try {
                write = item.closeCode > 0 ? socket.sendClose(item.closeCode, item.text) : socket.sendText(item.text, true);
            } catch (RuntimeException e) {
                write = CompletableFuture.failedFuture(e);
            }
            if (!write.isDone()) {
                write.whenComplete((ws, error) -> {
                    finish(item, error);
                    pump();
                });
                return;
            }
            finish(item, write.isCompletedExceptionally() ? write.exceptionNow() : null);
        }
    }

    private void finish(Item item, Throwable error) {
        synchronized (this) {
            inFlight = false;
        }
        if (error == null) {
            item.sent.complete(null);
        } else {
            item.sent.completeExceptionally(error);
        }
    }

    /** Fails everything still queued (the socket is gone). */
    void abandon() {
        ArrayDeque<Item> dropped;
        synchronized (this) {
            closed = true;
            dropped = new ArrayDeque<>(queue);
            queue.clear();
        }
        for (Item item : dropped) {
            item.sent.completeExceptionally(new SwitchboardException(SwitchboardException.DISCONNECTED,
                    "the connection closed before the frame was written"));
        }
    }
}
