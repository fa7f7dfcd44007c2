package dev.switchboard.bench.scenario;

import picocli.CommandLine.Option;

/**
 * The publisher side of the fan-out scenarios (fanout, cluster, rooms): how fast, how much in flight, how
 * big, how many. A picocli mixin; each scenario gives its own defaults through the constructor.
 */
public final class PublishOptions {

    @Option(names = "--rate", converter = RateConverter.class,
            description = "Publications per second (over all channels), or max (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--window",
            description = "With --rate max: publications allowed in flight, undelivered (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--size", description = "Payload bytes (default: ${DEFAULT-VALUE}).")
    int size = 100;

    @Option(names = "--max-publications",
            description = "Count bound on publications per target (default: ${DEFAULT-VALUE}).")
    long maxPublications;

    PublishOptions(double rate, int window, long maxPublications) {
        this.rate = rate;
        this.window = window;
        this.maxPublications = maxPublications;
    }

    /** How the rate reads in a report. */
    Object describeRate() {
        return rate == 0 ? "max (window " + window + ")" : rate;
    }
}
