package dev.switchboard.client;

import dev.switchboard.protocol.SerialExecutor;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.protocol.ProtocolException;
import java.util.function.Consumer;

/** Routes each frame from the server by its {@code type} and {@code re} to the part of the client it concerns. */
final class Inbound {

    private static final System.Logger LOG = System.getLogger(Inbound.class.getName());

    private final Lifecycle life;
    private final Requests requests;
    private final Subscriptions subscriptions;
    private final TicketRefresher refresher;
    private final Consumer<Message> onMessage;
    private final SerialExecutor callbacks;

    Inbound(Lifecycle life, Requests requests, Subscriptions subscriptions, TicketRefresher refresher,
            Consumer<Message> onMessage, SerialExecutor callbacks) {
        this.life = life;
        this.requests = requests;
        this.subscriptions = subscriptions;
        this.refresher = refresher;
        this.onMessage = onMessage;
        this.callbacks = callbacks;
    }

    /** One complete text frame from the server, on the connection's reader thread. */
    void onFrame(Connection conn, String text) {
        JsonNode frame;
        try {
            frame = Json.parse(text);
        } catch (ProtocolException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring a frame that is not JSON: {0}", e.getMessage());
            return;
        }
        String type = Wire.text(frame, "type");
        String re = Wire.text(frame, "re");
        if (re != null && type != null && !MessageTypes.PONG.equals(type)) {
            requests.onCorrelated(conn, type, re, frame);
            return;
        }
        switch (type == null ? "" : type) {
            case MessageTypes.WELCOME -> {
                life.onWelcome(conn, Wire.welcome(frame));
                refresher.connected(frame.path("expiresAt").asLong(0));
            }
            case MessageTypes.MESSAGE -> onPush(conn, Wire.message(frame, null));
            case MessageTypes.PRESENCE -> onPresence(conn, Wire.presenceEvent(frame));
            case MessageTypes.ERROR -> LOG.log(System.Logger.Level.WARNING, "server error: {0}", frame.path("error"));
            case MessageTypes.PONG -> { }
            case MessageTypes.REFRESH -> refresher.refreshNow(); // the credential expired: renew within the grace
            default -> LOG.log(System.Logger.Level.DEBUG, "ignoring frame of type {0}", type);
        }
    }

    private void onPush(Connection conn, Message message) {
        synchronized (life.lock) {
            if (!life.isCurrentLocked(conn)) {
                return;
            }
            if (message.channel() == null) {
                callbacks.execute(() -> onMessage.accept(message));
            } else {
                subscriptions.onMessageLocked(message);
            }
        }
    }

    private void onPresence(Connection conn, PresenceEvent event) {
        synchronized (life.lock) {
            if (life.isCurrentLocked(conn)) {
                subscriptions.onPresenceLocked(event);
            }
        }
    }
}
