package dev.switchboard.server.internal.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where one request's answer frames ({@code chunk}, {@code end}, {@code error}, {@code reply}) go when not
 * straight to its connection: a resumable reply writes each to its stream first and then to the requester,
 * and goes on producing into the stream after the requester left.
 */
public interface ReplyOutput {

    /** One frame of the answer, in order. */
    void send(ObjectNode frame);

    /** The requester's connection closed: the answer goes on into the stream alone. */
    void detach();
}
