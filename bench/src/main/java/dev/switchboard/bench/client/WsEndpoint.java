package dev.switchboard.bench.client;

import java.net.URI;

/** Where a load-client connection goes and the dialect the server there speaks. */
public record WsEndpoint(URI uri, Dialect dialect) {
}
