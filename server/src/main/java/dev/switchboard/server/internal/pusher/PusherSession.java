package dev.switchboard.server.internal.pusher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.server.engine.Target;
import dev.switchboard.server.internal.auth.Permissions;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.delivery.Member;
import dev.switchboard.server.internal.routing.NodeServices;
import dev.switchboard.server.internal.routing.RateLimiter;
import dev.switchboard.server.internal.routing.SocketSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Pusher Channels connection (protocol 7) on the gateway's registry, channels and limits: the handshake
 * ({@code pusher:connection_established}, or {@code pusher:error} for an unknown app), {@code pusher:ping},
 * subscriptions to public, private, encrypted and presence channels with Pusher's signatures, client events,
 * and user sign-in. Every refusal is Pusher's own error event and code.
 */
final class PusherSession implements SocketSession {

    private static final Logger log = LoggerFactory.getLogger(PusherSession.class);

    private final Connection connection;
    private final PusherApps.App app;
    private final String protocolVersion;
    private final NodeServices node;
    private final PusherSettings settings;
    private final SocketIds sockets;
    private final PusherWebhooks webhooks;
    private final PusherMetrics.AppMeters meters;
    private final RateLimiter inbound;
    private final RateLimiter clientEvents;
    /** Who this connection is in each presence channel it joined (by the gateway's channel name). */
    private final Map<String, Member> members = new ConcurrentHashMap<>(2);
    private volatile String socketId;
    /** The user this connection signed in as ({@code pusher:signin}), or null. */
    private volatile String signedInUser;
    private int refusedInARow;

    PusherSession(Connection connection, PusherApps.App app, String protocolVersion, NodeServices node,
                  PusherSettings settings, SocketIds sockets, PusherWebhooks webhooks, PusherMetrics.AppMeters meters) {
        this.connection = connection;
        this.app = app;
        this.protocolVersion = protocolVersion;
        this.node = node;
        this.settings = settings;
        this.sockets = sockets;
        this.webhooks = webhooks;
        this.meters = meters;
        long now = System.nanoTime();
        this.inbound = new RateLimiter(settings.messagesPerSecond(), settings.burst(), now);
        this.clientEvents = new RateLimiter(settings.clientEventsPerSecond(), settings.clientEventsPerSecond(), now);
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public void start(String queryToken, Map<String, String> headers) {
        node.registry().register(connection);
        if (app == null) {
            refuse(4001, "App key " + appKey() + " does not exist");
            return;
        }
        if (!supported(protocolVersion)) {
            refuse(4007, "Unsupported protocol version: " + protocolVersion + " (this server speaks 7)");
            return;
        }
        if (!node.registry().welcome(connection, null, Permissions.NONE, Map.of(), 0)) {
            return; // closed meanwhile
        }
        socketId = sockets.assign(connection.id());
        meters.opened();
        send(PusherFrames.encoded("pusher:connection_established", null, Json.object().put("socket_id", socketId)
                .put("activity_timeout", settings.activityTimeoutSeconds())));
    }

    private static boolean supported(String version) {
        try {
            int v = Integer.parseInt(version);
            return v >= 5 && v <= 7;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String appKey() {
        String path = connection.endpoint();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Pusher's refusal: the error event, then the socket closed with the same code. */
    private void refuse(int code, String message) {
        error(code, message);
        connection.close(code, message.length() > 120 ? message.substring(0, 120) : message);
    }

    @Override
    public boolean admitControl() {
        return admit();
    }

    /** The connection's inbound rate; a connection that keeps flooding after being told is closed (4301). */
    private boolean admit() {
        if (inbound.tryAcquire(System.nanoTime())) {
            refusedInARow = 0;
            return true;
        }
        if (++refusedInARow > settings.burst()) {
            refuse(4301, "Too many messages: slow down");
        } else if (refusedInARow == 1) {
            error(4301, "Too many messages: slow down");
        }
        return false;
    }

    @Override
    public void onText(byte[] utf8) {
        meters.received();
        if (socketId == null || !admit()) {
            return;
        }
        JsonNode message;
        try {
            message = Json.parse(utf8);
        } catch (RuntimeException e) {
            error(null, "Invalid JSON: " + e.getMessage());
            return;
        }
        String event = message.path("event").asText("");
        JsonNode data = message.path("data");
        if (data.isTextual() && !event.startsWith("client-")) {
            data = parseOrEmpty(data.asText()); // some clients send the data of protocol events as a JSON string
        }
        switch (event) {
            case "pusher:ping" -> send(PusherFrames.event("pusher:pong", null, Json.object()));
            case "pusher:pong" -> { } // the activity is what counts
            case "pusher:subscribe" -> subscribe(data);
            case "pusher:unsubscribe" -> unsubscribe(data.path("channel").asText(""));
            case "pusher:signin" -> signIn(data);
            default -> {
                if (event.startsWith("client-")) {
                    clientEvent(event, message.path("channel").asText(""), message.get("data"));
                } else {
                    error(null, "Unknown event: " + event);
                }
            }
        }
    }

    private static JsonNode parseOrEmpty(String text) {
        try {
            return Json.parse(text);
        } catch (RuntimeException e) {
            return Json.object();
        }
    }

    // ---- subscriptions ----------------------------------------------------------------------------------

    private void subscribe(JsonNode data) {
        String channel = data.path("channel").asText("");
        if (!PusherChannels.valid(channel)) {
            subscriptionError(channel, "InvalidChannel", "Invalid channel name (at most "
                    + PusherChannels.MAX_LENGTH + " of A-Z a-z 0-9 _ - = @ , . ;)", 4009);
            return;
        }
        String internal = app.internal(channel);
        if (!connection.isSubscribed(internal) && connection.channels().size() >= settings.maxSubscriptions()) {
            subscriptionError(channel, "LimitReached", "At most " + settings.maxSubscriptions()
                    + " channels per connection", 4009);
            return;
        }
        if (PusherChannels.isUserChannel(channel) && !PusherChannels.userOf(channel).equals(signedInUser)) {
            subscriptionError(channel, "AuthError", "Only a connection signed in as "
                    + PusherChannels.userOf(channel) + " may subscribe to " + channel, 401);
            return;
        }
        String channelData = PusherChannels.isPresence(channel) ? data.path("channel_data").asText(null) : null;
        if (PusherChannels.needsAuth(channel) && !PusherSignatures.channelAuthorized(app, socketId, channel, channelData,
                data.path("auth").asText(null))) {
            subscriptionError(channel, "AuthError", "Invalid signature: the auth of "
                    + channel + " does not sign " + socketId + ":" + channel + (channelData == null ? "" : ":channel_data")
                    + " with the app's secret", 401);
            return;
        }
        Member member = null;
        if (PusherChannels.isPresence(channel)) {
            member = presenceMember(channelData);
            if (member == null) {
                subscriptionError(channel, "AuthError",
                        "channel_data must be JSON with a user_id", 400);
                return;
            }
            members.put(internal, member);
        }
        Member joined = member;
        node.channels().subscribe(connection, internal, member).whenComplete((position, failure) -> {
            if (failure != null) {
                members.remove(internal);
                log.debug("pusher subscribe to {} failed: {}", internal, failure.toString());
                subscriptionError(channel, "ServerError", "The server cannot subscribe now", 503);
            } else if (joined == null) {
                send(PusherFrames.event("pusher_internal:subscription_succeeded", channel, Json.object()));
            } else {
                sendPresence(channel, internal);
            }
        });
    }

    private static Member presenceMember(String channelData) {
        if (channelData == null) {
            return null;
        }
        JsonNode d = parseOrEmpty(channelData);
        JsonNode id = d.get("user_id");
        if (id == null || !(id.isTextual() || id.isNumber()) || id.asText().isEmpty()) {
            return null;
        }
        JsonNode info = d.get("user_info");
        return new Member(id.asText(), info == null || info.isNull() ? null : info);
    }

    /** A presence channel's {@code subscription_succeeded}: everyone there, this member included. */
    private void sendPresence(String channel, String internal) {
        node.operations().presence(internal).whenComplete((entries, failure) -> {
            if (failure != null) {
                subscriptionError(channel, "ServerError", "The server cannot list the members now", 503);
                return;
            }
            send(PusherFrames.encoded("pusher_internal:subscription_succeeded", channel, presenceData(entries)));
        });
    }

    /** {@code {presence: {ids, hash, count}}}. */
    static ObjectNode presenceData(List<PresenceEntry> entries) {
        ObjectNode presence = Json.object();
        var ids = presence.putArray("ids");
        ObjectNode hash = presence.putObject("hash");
        for (PresenceEntry e : entries) {
            ids.add(e.user());
            if (e.info() == null) {
                hash.putNull(e.user());
            } else {
                hash.set(e.user(), e.info());
            }
        }
        presence.put("count", entries.size());
        ObjectNode data = Json.object();
        data.set("presence", presence);
        return data;
    }

    private void unsubscribe(String channel) {
        if (!PusherChannels.valid(channel)) {
            return;
        }
        String internal = app.internal(channel);
        node.channels().unsubscribe(connection, internal, members.remove(internal));
    }

    // ---- client events and sign-in ------------------------------------------------------------------------

    private void clientEvent(String event, String channel, JsonNode data) {
        if (!app.clientEvents()) {
            error(4301, "To send client events, you must enable this feature in the app's settings");
            return;
        }
        String internal = PusherChannels.valid(channel) ? app.internal(channel) : null;
        if (internal == null || !PusherChannels.takesClientEvents(channel) || !connection.isSubscribed(internal)) {
            error(4301, "Client event rejected - only supported on private and presence channels"
                    + " this connection is subscribed to");
            return;
        }
        int size = data == null ? 0 : data.toString().length();
        if (event.length() > settings.maxEventNameLength() || size > settings.maxEventBytes()) {
            error(4301, "Client event rejected - the name is longer than "
                    + settings.maxEventNameLength() + " or the data larger than " + settings.maxEventBytes() + " bytes");
            return;
        }
        if (!clientEvents.tryAcquire(System.nanoTime())) {
            error(4301, "Client event rejected - more than " + settings.clientEventsPerSecond()
                    + " per second");
            return;
        }
        Member member = members.get(internal);
        ObjectNode frame = PusherFrames.event(event, channel, data);
        if (member != null) {
            frame.put("user_id", member.user());
        }
        // Straight to the other subscribers, on every node; never echoed to the sender, never stored.
        node.operations().deliver(new Target(Target.Kind.CHANNEL, internal, null, connection.id()), Json.bytes(frame));
        meters.clientEvent();
        webhooks.clientEvent(app, channel, event, data, socketId, member == null ? null : member.user());
    }

    private void signIn(JsonNode data) {
        String userData = data.path("user_data").asText(null);
        if (userData == null || !PusherSignatures.signedIn(app, socketId, userData, data.path("auth").asText(null))) {
            refuse(4009, "Connection not authorized: the sign-in's auth does not sign " + socketId
                    + "::user::user_data with the app's secret");
            return;
        }
        JsonNode user = parseOrEmpty(userData);
        JsonNode id = user.get("id");
        if (id == null || !(id.isTextual() || id.isNumber()) || id.asText().isEmpty()) {
            refuse(4009, "The user data must contain the \"id\" field");
            return;
        }
        if (!node.registry().signIn(connection, app.namespace() + ":" + id.asText())) {
            error(4009, "This connection is already signed in");
            return;
        }
        signedInUser = id.asText();
        send(PusherFrames.event("pusher:signin_success", null, Json.object().put("user_data", userData)));
    }

    /** A {@code pusher:error}, counted by its code. */
    private void error(Integer code, String message) {
        meters.refused(code);
        send(PusherFrames.error(code, message));
    }

    /** A {@code pusher:subscription_error}, counted by its status. */
    private void subscriptionError(String channel, String type, String message, int status) {
        meters.refused(status);
        send(PusherFrames.subscriptionError(channel, type, message, status));
    }

    private void send(ObjectNode frame) {
        connection.send(Json.bytes(frame));
    }

    @Override
    public void onClosed() {
        if (socketId != null) {
            sockets.forget(socketId);
            meters.closed();
        }
        if (!node.registry().unregister(connection)) {
            return;
        }
        for (String internal : connection.channels()) {
            node.channels().unsubscribe(connection, internal, members.remove(internal));
        }
    }
}
