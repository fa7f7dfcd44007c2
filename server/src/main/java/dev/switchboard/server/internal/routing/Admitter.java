package dev.switchboard.server.internal.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.GlobPattern;
import dev.switchboard.server.internal.auth.Permissions;
import dev.switchboard.server.internal.auth.Ticket;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.app.ChannelGrants;
import dev.switchboard.server.app.ConnectRequest;
import dev.switchboard.server.app.ConnectResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Decides who a connection is: the ticket (when one is given) is verified first, then the connect hook (when
 * one decides) may accept, replace the user and permissions, refuse, or disconnect.
 */
final class Admitter {

    private Admitter() {
    }

    /**
     * @param token   the ticket, or {@code null}
     * @param data    {@code data} of an {@code auth} message, or {@code null}
     * @param headers the forwarded upgrade headers
     * @return the admission, or {@code null} when nothing decided (no ticket, and no hook accepted); fails with
     *         {@link ProtocolException} when refused and {@link HookDisconnect} when the hook disconnects
     */
    static CompletableFuture<Admission> admit(ClientSettings settings, Connection c, String token, JsonNode data, Map<String, String> headers) {
        Ticket ticket = token == null ? null : settings.verifier().verify(token); // throws token_invalid/expired
        Admission byTicket = ticket == null ? null
                : new Admission(ticket.user(), ticket.permissions(), ticket.claims(), ticket.expiresAt(), null);
        if (!settings.hooks().decidesConnect()) {
            return CompletableFuture.completedFuture(byTicket);
        }
        ConnectRequest request = new ConnectRequest(c.id(), c.endpoint(), c.transportName(), c.remoteAddress(), headers,
                ticket == null ? null : ticket.claims(), data);
        return settings.hooks().connect(request).toCompletableFuture()
                .thenApply(result -> decide(result, ticket, byTicket, settings));
    }

    private static Admission decide(ConnectResult result, Ticket ticket, Admission byTicket, ClientSettings settings) {
        return switch (result) {
            case ConnectResult.Undecided u -> byTicket;
            case ConnectResult.Refused r -> throw new ProtocolException(r.code(), r.message());
            case ConnectResult.Disconnected d -> throw new HookDisconnect(d.code(), d.reason());
            case ConnectResult.Accepted a -> {
                Permissions permissions = a.channels() != null ? permissions(a.channels())
                        : ticket != null ? ticket.permissions() : settings.defaultPermissions();
                long expiresAt = a.expiresAt() != null ? a.expiresAt() : ticket != null ? ticket.expiresAt() : 0;
                Map<String, Object> claims = ticket != null ? ticket.claims() : Map.of("sub", a.user());
                yield new Admission(a.user(), permissions, claims, expiresAt, a.data());
            }
        };
    }

    /** A hook's grants as the permissions a connection checks. */
    static Permissions permissions(ChannelGrants grants) {
        return new Permissions(globs(grants.subscribe()), globs(grants.publish()), grants.broadcast());
    }

    private static List<GlobPattern> globs(List<String> patterns) {
        return patterns.stream().map(GlobPattern::new).toList();
    }

    /** A connect hook's {@code disconnect} answer, carried to the place that closes the socket. */
    static final class HookDisconnect extends RuntimeException {
        final int code;

        HookDisconnect(int code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }
    }

    /** The error a failed admission answers with: a refusal's own code, or {@code unavailable}. */
    static ProtocolException refusal(Throwable failure) {
        Throwable cause = RequestContext.unwrap(failure);
        if (cause instanceof ProtocolException pe) {
            return pe;
        }
        return new ProtocolException(ErrorCode.UNAVAILABLE, "the connect hook failed; retry later");
    }
}
