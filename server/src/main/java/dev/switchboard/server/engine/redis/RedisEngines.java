package dev.switchboard.server.engine.redis;

import dev.switchboard.server.engine.Engines;

/** The cluster engines of one node: broker, presence and node directory over one shared {@link RedisLink}. */
public final class RedisEngines {

    private RedisEngines() {
    }

    public static Engines open(RedisEngineOptions options) {
        RedisLink link = new RedisLink(options);
        return new Engines(new RedisBroker(link), new RedisPresence(link), new RedisNodeDirectory(link));
    }

    /** Stops like a crashed node: no presence cleanup, the heartbeats just stop (tests). */
    static void halt(Engines engines) {
        ((RedisPresence) engines.presence()).forget();
        engines.close();
    }
}
