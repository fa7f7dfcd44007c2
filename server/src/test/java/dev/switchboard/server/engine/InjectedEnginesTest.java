package dev.switchboard.server.engine;

import dev.switchboard.protocol.PresenceEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.engine.memory.MemoryBroker;
import dev.switchboard.server.engine.memory.MemoryPresence;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A gateway runs on the broker and presence manager an application hands it, not only on configured ones. */
class InjectedEnginesTest {

    /** The application's own presence manager: here one that keeps a journal and delegates the rest. */
    static final class JournalingPresence implements PresenceManager {
        final List<String> journal = new CopyOnWriteArrayList<>();
        private final MemoryPresence inner = new MemoryPresence();

        @Override
        public void start(PresenceListener listener) {
            inner.start(listener);
        }

        @Override
        public CompletableFuture<Boolean> join(String channel, String user, String connectionId) {
            journal.add("join " + channel + " " + user);
            return inner.join(channel, user, connectionId);
        }

        @Override
        public CompletableFuture<Boolean> leave(String channel, String user, String connectionId) {
            journal.add("leave " + channel + " " + user);
            return inner.leave(channel, user, connectionId);
        }

        @Override
        public CompletableFuture<List<PresenceEntry>> presence(String channel) {
            return inner.presence(channel);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void anInjectedPresenceManagerAnswersTheGatewaysPresence() {
        JournalingPresence presence = new JournalingPresence();
        List<String> openedFor = new CopyOnWriteArrayList<>();
        Engines.Provider provider = nodeId -> {
            openedFor.add(nodeId);
            return new Engines(new MemoryBroker(RetentionRules.defaults(), Clock.systemUTC()), presence,
                    NodeDirectory.SINGLE_NODE);
        };
        try (TestGateway gw = TestGateway.start(c -> c.nodeId = "injected", g -> { }, provider);
             WsClient a = gw.connect("ada")) {
            assertEquals(List.of("injected"), openedFor, "opened once, for this node");
            a.call("subscribe", Map.of("channel", "chat:lab"));
            a.await(f -> "presence".equals(f.path("type").asText()));
            JsonNode list = a.call("presence", Map.of("channel", "chat:lab"));
            assertEquals("ada", list.at("/users/0/user").asText());
            assertEquals(List.of("join chat:lab ada"), presence.journal);
            JsonNode published = a.call("publish", Map.of("channel", "chat:lab", "data", "hi"));
            assertEquals(1, published.get("offset").asLong(), "the injected memory broker assigns offsets");
            a.call("unsubscribe", Map.of("channel", "chat:lab"));
            assertEquals(List.of("join chat:lab ada", "leave chat:lab ada"), presence.journal);
        }
    }
}
