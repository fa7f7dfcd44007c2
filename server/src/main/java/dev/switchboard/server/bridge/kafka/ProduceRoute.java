package dev.switchboard.server.bridge.kafka;

import dev.switchboard.protocol.GlobPattern;

/** One {@code --kafka-produce} route: publications of channels matching a glob go to a topic (key = channel). */
record ProduceRoute(GlobPattern channels, String topic) {

    static ProduceRoute parse(String spec) {
        int arrow = spec.indexOf("->");
        if (arrow <= 0 || spec.substring(arrow + 2).isBlank()) {
            throw new IllegalArgumentException("--kafka-produce must be CHANNEL-GLOB->TOPIC: " + spec);
        }
        return new ProduceRoute(new GlobPattern(spec.substring(0, arrow).trim()), spec.substring(arrow + 2).trim());
    }

    boolean takes(String channel) {
        return channels.matches(channel);
    }
}
