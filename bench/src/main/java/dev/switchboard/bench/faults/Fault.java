package dev.switchboard.bench.faults;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** The faults a run injects, each with its remedy: what an operator's network or supervisor would do. */
enum Fault {

    PARTITION_GATEWAY("partition-gateway", "one gateway's link to Redis down (its clients still reach it)") {
        @Override
        void inject(Lab lab, int gw) throws IOException {
            lab.net.gatewayBackplane(gw, false);
        }

        @Override
        void heal(Lab lab, int gw) throws IOException {
            lab.net.gatewayBackplane(gw, true);
        }
    },
    PARTITION_REDIS("partition-redis", "Redis's link to every gateway down") {
        @Override
        void inject(Lab lab, int gw) throws IOException {
            lab.net.redisLink(false);
        }

        @Override
        void heal(Lab lab, int gw) throws IOException {
            lab.net.redisLink(true);
        }
    },
    PAUSE_GATEWAY("pause-gateway", "SIGSTOP of one gateway, longer than --presence-ttl, then SIGCONT") {
        @Override
        void inject(Lab lab, int gw) throws IOException {
            lab.signalGateway(gw, "STOP");
        }

        @Override
        void heal(Lab lab, int gw) throws IOException {
            lab.signalGateway(gw, "CONT");
        }
    },
    PAUSE_REDIS("pause-redis", "SIGSTOP of redis-server, then SIGCONT") {
        @Override
        void inject(Lab lab, int gw) throws IOException {
            lab.signalRedis("STOP");
        }

        @Override
        void heal(Lab lab, int gw) throws IOException {
            lab.signalRedis("CONT");
        }
    },
    KILL_GATEWAY("kill-gateway", "kill -9 of one gateway, restarted after the hold") {
        @Override
        void inject(Lab lab, int gw) throws IOException {
            lab.killGateway(gw);
        }

        @Override
        void heal(Lab lab, int gw) throws IOException {
            lab.startGateway(gw);
        }
    },
    KILL_REDIS("kill-redis", "kill -9 of redis-server (append-only file, fsync always), restarted after the hold") {
        @Override
        void inject(Lab lab, int gw) throws IOException, InterruptedException {
            lab.killRedis();
        }

        @Override
        void heal(Lab lab, int gw) throws IOException {
            lab.startRedis(false);
        }
    },
    KILL_REDIS_WIPED("kill-redis-wiped", "kill -9 of redis-server, restarted with its data gone (no persistence)") {
        @Override
        void inject(Lab lab, int gw) throws IOException, InterruptedException {
            lab.killRedis();
        }

        @Override
        void heal(Lab lab, int gw) throws IOException {
            lab.startRedis(true);
        }
    },
    FAILOVER("failover", "kill -9 of the Redis primary under Sentinel; the replica is promoted, the old primary returns as its replica") {
        @Override
        void inject(Lab lab, int gw) throws IOException, InterruptedException {
            lab.sentinel().killPrimary();
        }

        @Override
        void heal(Lab lab, int gw) throws IOException {
            lab.sentinel().restartKilled();
        }
    },
    SLOW_LINK("slow-link", "one gateway's link to Redis limited to 256 kbit/s both ways (tc tbf)") {
        @Override
        void inject(Lab lab, int gw) throws IOException {
            lab.net.slowBackplane(gw, "256kbit");
        }

        @Override
        void heal(Lab lab, int gw) throws IOException {
            lab.net.slowBackplane(gw, null);
        }
    };

    final String label;
    final String description;

    /** Whether the fault acts on one plain Redis server (and so cannot run under Sentinel). */
    boolean needsPlainRedis() {
        return this == PARTITION_REDIS || this == PAUSE_REDIS || this == KILL_REDIS || this == KILL_REDIS_WIPED;
    }

    Fault(String label, String description) {
        this.label = label;
        this.description = description;
    }

    abstract void inject(Lab lab, int gw) throws IOException, InterruptedException;

    abstract void heal(Lab lab, int gw) throws IOException, InterruptedException;

    static Fault of(String label) {
        return Arrays.stream(values()).filter(f -> f.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + label + "'; known: " + labels()));
    }

    static List<String> labels() {
        return Arrays.stream(values()).map(f -> f.label).toList();
    }
}
