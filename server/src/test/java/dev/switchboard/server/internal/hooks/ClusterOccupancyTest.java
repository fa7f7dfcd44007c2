package dev.switchboard.server.internal.hooks;

import dev.switchboard.server.app.GatewayEvents;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import dev.switchboard.server.support.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Three gateway nodes on one real redis-server: a channel with subscribers on every node is occupied once
 * and vacated once, cluster-wide, and presence join/leave are told once too.
 */
class ClusterOccupancyTest {

    @Test
    void occupiedAndVacatedAreToldExactlyOncePerClusterNotPerNode() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        GatewayEvents recorder = new GatewayEvents() {
            @Override
            public void channelOccupied(String channel) {
                events.add("occupied " + channel);
            }

            @Override
            public void channelVacated(String channel) {
                events.add("vacated " + channel);
            }

            @Override
            public void presenceJoined(String channel, String user) {
                events.add("join " + channel + " " + user);
            }

            @Override
            public void presenceLeft(String channel, String user) {
                events.add("leave " + channel + " " + user);
            }

            @Override
            public boolean wantsOccupancy() {
                return true;
            }
        };
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            List<TestGateway> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    String id = "n" + i;
                    nodes.add(TestGateway.start(c -> {
                        c.engine = "redis";
                        c.redis = redis.uri();
                        c.nodeId = id;
                    }, gw -> gw.events(recorder)));
                }
                for (int round = 0; round < 2; round++) { // twice: a vacated channel can be occupied again
                    List<WsClient> clients = new ArrayList<>();
                    for (int i = 0; i < 6; i++) { // two subscribers per node, users shared across nodes
                        WsClient c = nodes.get(i % 3).connect("user" + (i % 2));
                        c.call("subscribe", Map.of("channel", "chat:room"));
                        clients.add(c);
                    }
                    Poll.until("one occupied, two joins", Duration.ofSeconds(10), () -> List.copyOf(events),
                            e -> e.size() == 3);
                    for (WsClient c : clients) {
                        c.call("unsubscribe", Map.of("channel", "chat:room"));
                        c.close();
                    }
                    Poll.until("one vacated, two leaves", Duration.ofSeconds(10), () -> List.copyOf(events),
                            e -> e.size() == 6);
                    assertEquals(List.of("join chat:room user0", "join chat:room user1", "leave chat:room user0",
                            "leave chat:room user1", "occupied chat:room", "vacated chat:room"),
                            events.stream().sorted().toList(), events.toString());
                    assertEquals("occupied chat:room", events.get(0), events.toString());
                    events.clear();
                }
            } finally {
                nodes.forEach(TestGateway::close);
            }
        }
    }
}
