package dev.switchboard.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The lossless-recovery property, end to end through real sockets: a client that keeps dropping its
 * connection and resubscribing with {@code since} while a publisher sends 10,000 messages ends up with
 * exactly those 10,000, in offset order, none twice, none missing. Subclasses run it on each engine.
 */
abstract class LosslessRecoveryContract {

    static final int TOTAL = 10_000;

    /** Gateways sharing one engine backend; the client rotates between them on every reconnect. */
    protected abstract List<TestGateway> gateways();

    @Test
    void aClientThatKeepsReconnectingWithSinceGetsEveryMessageOnceAndInOrder() throws Exception {
        List<TestGateway> gws = gateways();
        String channel = "feed:" + UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(42);

        // Subscribe first, so that every one of the 10,000 is published after the client's starting point.
        WsClient client = gws.get(0).connect("reader");
        JsonNode first = client.call("subscribe", Map.of("channel", channel));
        long last = first.get("offset").asLong();
        String epoch = first.get("epoch").asText();
        assertEquals(0, last);

        AtomicInteger published = new AtomicInteger();
        AtomicReference<Throwable> publishFailure = new AtomicReference<>();
        Thread[] publishers = new Thread[2];
        for (int t = 0; t < publishers.length; t++) {
            int from = t * TOTAL / publishers.length;
            int to = (t + 1) * TOTAL / publishers.length;
            publishers[t] = new Thread(() -> {
                try {
                    for (int n = from; n < to; n++) {
                        TestGateway via = gws.get(n % gws.size());
                        TestGateway.Response r = via.api("POST", "/api/publish",
                                "{\"channel\":\"" + channel + "\",\"data\":{\"n\":" + n + "}}");
                        if (r.status() != 200) {
                            throw new AssertionError("publish " + n + " answered " + r.status() + " " + r.text());
                        }
                        published.incrementAndGet();
                    }
                } catch (Throwable e) {
                    publishFailure.set(e);
                }
            }, "publisher-" + t);
            publishers[t].start();
        }

        BitSet seen = new BitSet(TOTAL);
        int received = 0;
        int reconnects = 0;
        int recoveredMessages = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (received < TOTAL) {
            assertTrue(System.nanoTime() < deadline, "timed out with " + received + " of " + TOTAL + " received");
            if (publishFailure.get() != null) {
                throw new AssertionError("publisher failed", publishFailure.get());
            }
            // Read a random number of frames on this connection, then drop it without a close handshake.
            int budget = 1 + random.nextInt(400);
            for (int i = 0; i < budget && received < TOTAL; i++) {
                JsonNode f;
                try {
                    f = client.await(x -> "message".equals(x.path("type").asText()) && channel.equals(x.path("channel").asText()),
                            Duration.ofMillis(300));
                } catch (AssertionError quiet) {
                    break; // nothing for a while: the publisher is slower than us, reconnect anyway
                }
                last = accept(f, last, epoch, seen);
                received++;
            }
            client.abort();
            if (received >= TOTAL) {
                break;
            }
            TestGateway next = gws.get(++reconnects % gws.size());
            client = next.connect("reader");
            ObjectSince since = new ObjectSince(last, epoch);
            JsonNode reply = client.call("subscribe", Map.of("channel", channel, "since", since.toJson()));
            assertTrue(reply.get("recovered").asBoolean(), "recovery must succeed while history retains the gap: " + reply);
            assertEquals(epoch, reply.get("epoch").asText());
            for (JsonNode p : reply.get("publications")) {
                last = accept(p, last, epoch, seen);
                received++;
                recoveredMessages++;
            }
        }
        client.close();
        for (Thread t : publishers) {
            t.join(30_000);
        }
        assertEquals(TOTAL, published.get());
        assertEquals(TOTAL, received);
        assertEquals(TOTAL, seen.cardinality(), "every message exactly once");
        assertEquals(TOTAL, last, "offsets 1..10000, in order");
        System.out.printf("%s: %d messages, %d reconnects, %d delivered through recovery%n",
                getClass().getSimpleName(), received, reconnects, recoveredMessages);
        assertTrue(reconnects >= 10, "the client reconnected often enough to matter: " + reconnects);
        // nothing more arrives after the last one
        client.assertNone(x -> channel.equals(x.path("channel").asText()), Duration.ofMillis(100));
    }

    /** Checks that {@code frame} is the next offset of the epoch and records its payload. */
    private static long accept(JsonNode frame, long last, String epoch, BitSet seen) {
        long offset = frame.get("offset").asLong();
        assertEquals(epoch, frame.get("epoch").asText(), "epoch changed unexpectedly");
        assertEquals(last + 1, offset, () -> "expected offset " + (last + 1) + " got " + frame);
        int n = frame.path("data").path("n").asInt();
        assertTrue(!seen.get(n), "duplicate payload " + n);
        seen.set(n);
        return offset;
    }

    /** The {@code since} object of a recovering subscribe. */
    private record ObjectSince(long offset, String epoch) {
        JsonNode toJson() {
            return Json.object().put("offset", offset).put("epoch", epoch);
        }
    }
}
