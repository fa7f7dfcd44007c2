package dev.switchboard.server.internal.routing;

import dev.switchboard.protocol.Envelope;

/** Decides, per request, whether its answer goes through a {@link ReplyOutput} (a resumable reply) or straight out. */
@FunctionalInterface
public interface ReplyOutputs {

    ReplyOutputs NONE = (client, msg, request, byDefault) -> null;

    /**
     * The output of {@code msg}'s answer, or null to answer straight to the connection.
     *
     * @param request   the request, which the output may stop (a reader's cancel, the maximum duration)
     * @param byDefault whether the endpoint makes every request resumable
     */
    ReplyOutput open(Client client, Envelope msg, Stoppable request, boolean byDefault);

    /** A request an output may stop: the handler sees it cancelled, and {@code reason} ends the answer (null: no frame). */
    interface Stoppable {
        void stop(String reason);
    }
}
