package dev.switchboard.client;

import dev.switchboard.protocol.SerialExecutor;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.protocol.HistoryPage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A Switchboard client that keeps its connection alive: it reconnects with exponential backoff and full jitter,
 * fetches a fresh ticket for every attempt, resubscribes its channels with the last position seen so missed
 * messages are recovered, and correlates requests, replies and streams.
 *
 * <pre>{@code
 * SwitchboardClient client = SwitchboardClient.builder()
 *         .url("ws://localhost:8080/ws")
 *         .tokenSupplier(DevTickets.forUser("http://localhost:8080", "alice"))
 *         .build();
 * client.connect().get(5, TimeUnit.SECONDS);
 * client.subscribe("chat:lobby", m -> System.out.println(m.from() + ": " + m.data()));
 * client.publish("chat:lobby", Map.of("text", "hi")).join();
 * }</pre>
 *
 * <h2>Threads</h2>
 * Every method is thread-safe and non-blocking. Frames are written in call order: sends from any thread go
 * through the socket's Netty channel, which queues them on its event loop. Application callbacks (connection
 * events, messages, presence, stream chunks) run one at a time, in the order the server sent things, on a
 * callback executor (default: a virtual thread) — never on the event loop, so a slow callback does not stall
 * reading. Futures returned by requests complete on the event loop or the timer thread: attach blocking work
 * with the {@code ...Async} variants, and do not block on a reply inside a subscription callback if later
 * callbacks are needed to make progress.
 *
 * <h2>While disconnected</h2>
 * Requests made while the client is (re)connecting wait for the connection and are sent once it is up, within
 * their timeout. Requests in flight when a connection drops fail with {@link SwitchboardException#DISCONNECTED}:
 * the client cannot know whether the server acted on them, so it does not resend them.
 */
public final class SwitchboardClient implements AutoCloseable {

    /** Close code reported when the socket failed without a close frame (RFC 6455's "abnormal closure"). */
    public static final int ABNORMAL_CLOSURE = Lifecycle.ABNORMAL_CLOSURE;

    private final Lifecycle life;
    private final Requests requests;
    private final Subscriptions subscriptions;
    private final Duration requestTimeout;
    private final SerialExecutor callbacks;

    SwitchboardClient(ClientSettings settings) {
        this.requestTimeout = settings.requestTimeout();
        this.callbacks = settings.callbacks();
        TicketRefresher refresher = new TicketRefresher(settings.tokens(), this::request);
        this.life = new Lifecycle(settings, refresher);
        this.requests = new Requests(life);
        this.subscriptions = new Subscriptions(life, requests, callbacks);
        life.wire(requests, subscriptions, new Inbound(life, requests, subscriptions, refresher, settings.onMessage(), callbacks));
    }

    /** Starts configuring a client. */
    public static SwitchboardClientBuilder builder() {
        return new SwitchboardClientBuilder();
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /**
     * Starts connecting (if not already) and returns a future that completes with the server's {@code welcome}
     * when the client is next connected. It keeps retrying on failures, so bound the wait yourself; the future
     * fails only if the client is closed or the server closes with a code that forbids reconnecting
     * (4003, 4009). After such a close, calling {@code connect()} again starts over.
     */
    public CompletableFuture<Welcome> connect() {
        return life.connect();
    }

    /** The current state. */
    public ConnectionState state() {
        return life.state();
    }

    /** The {@code welcome} of the current connection, or {@code null} when not connected. */
    public Welcome welcome() {
        return life.welcome();
    }

    /**
     * Closes the connection (code 1000) and stops reconnecting, for good. Requests and streams still waiting fail
     * with {@link SwitchboardException#CLOSED}. Idempotent.
     */
    @Override
    public void close() {
        life.close();
    }

    // ------------------------------------------------------------------------------------------ subscriptions

    /**
     * Subscribes to a channel for the life of the client (across reconnects) until {@link Subscription#unsubscribe()}.
     * Works while disconnected: the subscription is sent once connected. A lambda is a message handler:
     * {@code client.subscribe("chat:lobby", m -> show(m))}; implement more of {@link SubscriptionListener} for
     * presence, recovery failures and errors.
     *
     * @throws IllegalStateException when this client already has a subscription to the channel, or is closed
     */
    public Subscription subscribe(String channel, SubscriptionListener listener) {
        return subscriptions.subscribe(channel, listener);
    }

    // ------------------------------------------------------------------------------------------ requests

    /**
     * Sends {@code {"id","type","data"}} and completes with the {@code reply}'s data, or fails with a
     * {@link SwitchboardException}: the server's error code, {@code timeout}, {@code disconnected} or {@code closed}.
     *
     * @param data any value Jackson can turn into JSON (a {@link JsonNode}, a record, a map), or {@code null}
     */
    public CompletableFuture<JsonNode> request(String type, Object data, Duration timeout) {
        Objects.requireNonNull(type, "type");
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        String id = requests.nextId();
        requests.submit(new Pending(id, Wire.envelope(id, type, data), Pending.Sink.into(reply, type)), timeout);
        return reply;
    }

    /** {@link #request(String, Object, Duration)} with the client's default timeout. */
    public CompletableFuture<JsonNode> request(String type, Object data) {
        return request(type, data, requestTimeout);
    }

    /** Starts a streamed request whose chunks are read by iterating the returned {@link ReplyStream}. */
    public ReplyStream stream(String type, Object data) {
        return openStream(type, data, null);
    }

    /** Starts a streamed request whose chunks go to {@code onChunk}, in order, on the callback thread. */
    public ReplyStream stream(String type, Object data, Consumer<JsonNode> onChunk) {
        return openStream(type, data, Objects.requireNonNull(onChunk, "onChunk"));
    }

    /**
     * Starts a request whose answer is resumable: the gateway writes it to a stream as it is produced, and this
     * client resumes it from its last offset after a reconnect (on any node), so chunks are neither lost nor
     * repeated. {@link ReplyStream#stream()} names it for {@link #resume} from elsewhere.
     */
    public ReplyStream resumableStream(String type, Object data, Consumer<JsonNode> onChunk) {
        Objects.requireNonNull(type, "type");
        String id = requests.nextId();
        ReplyStream stream = new ReplyStream(requests, id, onChunk);
        requests.submit(new Pending(id, Wire.envelope(id, type, data, true), stream.sink(callbacks), true), null);
        return stream;
    }

    /**
     * Follows a stream from {@code offset} ({@code "-1"} or null: its start): a resumable reply (its frames as
     * they were) or any Durable Stream this connection may read (each message a chunk). Resumed again after a
     * reconnect.
     */
    public ReplyStream resume(String stream, String offset, Consumer<JsonNode> onChunk) {
        Objects.requireNonNull(stream, "stream");
        String id = requests.nextId();
        ReplyStream reply = new ReplyStream(requests, id, onChunk);
        Pending p = new Pending(id, Wire.envelope(id, "resume", java.util.Map.of("stream", stream,
                "offset", offset == null ? "-1" : offset)), reply.sink(callbacks), true);
        p.stream = stream;
        p.offset = offset;
        requests.submit(p, null);
        return reply;
    }

    private ReplyStream openStream(String type, Object data, Consumer<JsonNode> onChunk) {
        Objects.requireNonNull(type, "type");
        String id = requests.nextId();
        ReplyStream stream = new ReplyStream(requests, id, onChunk);
        requests.submit(new Pending(id, Wire.envelope(id, type, data), stream.sink(callbacks)), null);
        return stream;
    }

    /** Publishes to a channel; completes with the publication's position. */
    public CompletableFuture<StreamPosition> publish(String channel, Object data) {
        return request(MessageTypes.PUBLISH, channelAnd(channel, "data", data)).thenApply(Wire::position);
    }

    /** Sends to every connection of {@code user} (on every endpoint and node). */
    public CompletableFuture<Void> send(String user, Object data) {
        ObjectNode body = Json.object();
        body.put("user", Objects.requireNonNull(user, "user"));
        body.set("data", Json.toTree(data));
        return request(MessageTypes.SEND, body).thenApply(reply -> null);
    }

    /** Who is in a channel now. */
    public CompletableFuture<List<PresenceUser>> presence(String channel) {
        return request(MessageTypes.PRESENCE, channelAnd(channel, null, null)).thenApply(Wire::presenceUsers);
    }

    /**
     * A page of a channel's history.
     *
     * @param since   only publications after this position's offset, or {@code null} for the oldest retained.
     *                If the page's {@link HistoryPage#position()} has another epoch, the offsets are not comparable.
     * @param limit   at most this many ({@code 0}: the server's default)
     * @param reverse newest first
     */
    public CompletableFuture<HistoryPage<Message>> history(String channel, StreamPosition since, int limit, boolean reverse) {
        ObjectNode body = channelAnd(channel, null, null);
        if (since != null) {
            body.put("since", since.offset()); // the gateway's history takes the offset alone; compare epochs on the page
        }
        if (limit > 0) {
            body.put("limit", limit);
        }
        if (reverse) {
            body.put("reverse", true);
        }
        return request(MessageTypes.HISTORY, body).thenApply(data -> Wire.historyPage(data, channel));
    }

    private static ObjectNode channelAnd(String channel, String field, Object value) {
        ObjectNode body = Json.object();
        body.put("channel", Objects.requireNonNull(channel, "channel"));
        if (field != null) {
            body.set(field, Json.toTree(value));
        }
        return body;
    }
}
