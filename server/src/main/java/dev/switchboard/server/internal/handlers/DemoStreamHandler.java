package dev.switchboard.server.internal.handlers;

import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.app.HandlerContext;
import dev.switchboard.server.app.MessageHandler;

/**
 * The demo "LLM": streams an answer word by word ({@code demo.stream}), the way a model's tokens arrive.
 * It blocks between words on purpose, to show that a blocking handler does not stall the I/O thread and
 * that cancellation reaches a handler mid-stream.
 */
public final class DemoStreamHandler implements MessageHandler {

    /** The type it is registered under. */
    public static final String TYPE = "demo.stream";

    private static final String ANSWER = "Switchboard streams replies chunk by chunk, the way a language model "
            + "produces tokens. Each word you see arrived as its own chunk frame correlated with your request id, "
            + "and pressing Stop sends a cancel frame that the handler observes between two words. A disconnect "
            + "cancels the stream too, so no work continues for a client that has gone away.";

    private final long delayMillis;

    public DemoStreamHandler(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    /** The words answered to {@code prompt}, each sent as {@code word + " "}. */
    public static String answer(String prompt) {
        return prompt.isBlank() ? ANSWER : "You asked: \"" + prompt + "\". " + ANSWER;
    }

    @Override
    public void handle(HandlerContext ctx, Envelope msg) throws InterruptedException {
        String text = answer(msg.data().path("prompt").asText(""));
        for (String word : text.split(" ")) {
            if (ctx.isCancelled()) {
                return;
            }
            ctx.chunk(Json.object().put("text", word + " "));
            Thread.sleep(delayMillis);
        }
        ctx.end();
    }
}
