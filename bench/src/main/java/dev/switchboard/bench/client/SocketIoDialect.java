package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * Socket.IO 4 over a plain WebSocket (Engine.IO protocol 4, {@code transport=websocket}): the server opens with
 * {@code 0{sid,…}}, the client joins the default namespace with {@code 40} and is welcomed by {@code 40{sid}};
 * events are {@code 42["name",arg]}, with an acknowledgement id {@code 42<id>["name",arg]} answered by
 * {@code 43<id>[result]}; the server pings with {@code 2} and expects {@code 3}. Acknowledgement ids are
 * non-negative integers: 0 is the subscription's, a request's id is used as it is.
 */
public final class SocketIoDialect implements Dialect {

    public static final SocketIoDialect INSTANCE = new SocketIoDialect();

    private SocketIoDialect() {
    }

    @Override
    public String path() {
        return "/socket.io/";
    }

    @Override
    public String queryPrefix() {
        return "EIO=4&transport=websocket&";
    }

    @Override
    public String afterOpen() {
        return "40";
    }

    @Override
    public String pong() {
        return "3";
    }

    @Override
    public String subscribe(String channel) {
        return "420[\"subscribe\",{\"channel\":\"" + channel + "\"}]";
    }

    @Override
    public String publish(String channel, String data) {
        return "42[\"publish\",{\"channel\":\"" + channel + "\",\"data\":" + data + "}]";
    }

    @Override
    public String request(String type, long id, String data) {
        return "42" + id + "[\"" + type + "\"," + data + "]";
    }

    @Override
    public Kind kind(ByteBuf frame) {
        int i = frame.readerIndex();
        int n = frame.readableBytes();
        if (n == 0) {
            return Kind.OTHER;
        }
        byte engine = frame.getByte(i);
        if (engine == '0') {
            return Kind.OPEN;
        }
        if (engine == '2' && n == 1) {
            return Kind.PING;
        }
        if (engine != '4' || n < 2) {
            return Kind.OTHER;
        }
        return switch (frame.getByte(i + 1)) {
            case '0' -> Kind.WELCOME;
            case '2' -> Kind.MESSAGE; // the only event the server emits
            case '3' -> Kind.REPLY;
            case '4' -> Kind.ERROR;   // CONNECT_ERROR
            default -> Kind.OTHER;
        };
    }

    @Override
    public String re(ByteBuf frame) {
        int i = frame.readerIndex() + 2;
        int end = frame.writerIndex();
        if (i >= end || frame.getByte(i) < '0' || frame.getByte(i) > '9') {
            return null;
        }
        long id = 0;
        while (i < end && frame.getByte(i) >= '0' && frame.getByte(i) <= '9') {
            id = id * 10 + (frame.getByte(i) - '0');
            i++;
        }
        return id == 0 ? SUBSCRIBE_ID : Long.toString(id, 36);
    }
}
