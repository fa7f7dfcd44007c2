package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;

/** What a scenario does with the frames its connections receive. Called on the connection's event loop. */
public interface Inbound {

    /** A channel {@code message} carrying a bench stamp (nanoTime of its intended send). */
    default void message(BenchConnection connection, long stampNanos) {
    }

    /** A {@code reply} to request {@code re}; {@code frame} is only valid during the call. */
    default void reply(BenchConnection connection, String re, ByteBuf frame) {
    }

    /** An {@code error} frame; {@code frame} is only valid during the call. */
    default void error(BenchConnection connection, String re, ByteBuf frame) {
    }

    /** The connection closed, for whatever reason. */
    default void closed(BenchConnection connection) {
    }

    /** An inbound that ignores everything. */
    Inbound NONE = new Inbound() {
    };
}
