package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** The Switchboard envelope ({@code {id, type, data}}), spoken by the gateway, the Node baseline and the floor. */
public final class SwitchboardDialect implements Dialect {

    public static final SwitchboardDialect INSTANCE = new SwitchboardDialect();

    private SwitchboardDialect() {
    }

    @Override
    public String path() {
        return "/ws";
    }

    @Override
    public String subscribe(String channel) {
        return "{\"id\":\"" + SUBSCRIBE_ID + "\",\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}";
    }

    @Override
    public String publish(String channel, String data) {
        return "{\"type\":\"publish\",\"data\":{\"channel\":\"" + channel + "\",\"data\":" + data + "}}";
    }

    @Override
    public String request(String type, long id, String data) {
        return "{\"id\":\"" + Long.toString(id, 36) + "\",\"type\":\"" + type + "\",\"data\":" + data + "}";
    }

    /** {@code POST /api/publish} with the dev mode's API key (bench targets run with {@code --dev}). */
    @Override
    public HttpRequest httpPublish(URI base, String channel, String data) {
        return HttpRequest.newBuilder(base.resolve("/api/publish")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer dev-api-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + channel + "\",\"data\":" + data + "}"))
                .build();
    }

    @Override
    public Kind kind(ByteBuf frame) {
        String type = FrameScan.type(frame);
        if (type == null) {
            return Kind.OTHER; // e.g. the bare "pong" text frame
        }
        return switch (type) {
            case "message", "chunk" -> Kind.MESSAGE; // a streamed reply's chunks carry stamps like messages
            case "reply", "end" -> Kind.REPLY;
            case "welcome" -> Kind.WELCOME;
            case "error" -> Kind.ERROR;
            default -> Kind.OTHER; // presence, pong, chunk...: not measured
        };
    }

    @Override
    public String re(ByteBuf frame) {
        return FrameScan.re(frame);
    }
}
