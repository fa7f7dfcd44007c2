package dev.switchboard.server.internal.delivery;

import dev.switchboard.protocol.Publication;

/**
 * How the channels of a namespace reach their subscribers when those speak another protocol than the native
 * one (Pusher's): a publication and a presence change become that protocol's frames, encoded once per
 * delivery like the native ones. Registered per namespace in {@link ChannelFormats}.
 */
public interface ChannelFormat {

    /** A frame for every subscriber, and a connection to leave out (the publisher's, Pusher's socket_id). */
    record Encoded(byte[] frame, String exclude) {
    }

    /** The frame of a publication of the channel. */
    Encoded publication(Publication p);

    /**
     * The frame telling subscribers that {@code member} joined ({@code joined}) or left; null: none. The
     * connection that joined is left out of its own join when {@code joiner} is given.
     */
    Encoded presence(String channel, boolean joined, Member member, String joiner);
}
