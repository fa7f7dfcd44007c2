package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void ticketIsAddedAsAnEncodedQueryParameter() {
        assertEquals(URI.create("ws://h:1/ws?token=a.b%2Bc"), Lifecycle.withToken(URI.create("ws://h:1/ws"), "a.b+c"));
        assertEquals(URI.create("ws://h:1/ws?x=1&token=t"), Lifecycle.withToken(URI.create("ws://h:1/ws?x=1"), "t"));
        assertEquals(URI.create("ws://h:1/ws"), Lifecycle.withToken(URI.create("ws://h:1/ws"), null));
    }

    @Test
    void envelopeCarriesIdTypeAndData() {
        assertEquals("{\"id\":\"j1\",\"type\":\"publish\",\"data\":{\"channel\":\"c\"}}",
                Wire.envelope("j1", "publish", Map.of("channel", "c")));
        assertEquals("{\"type\":\"cancel\",\"data\":{\"re\":\"j7\"}}", Wire.envelope(null, "cancel", Map.of("re", "j7")));
    }
}
