package dev.switchboard.server.engine.redis;

import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;

/** Reads the engine's Redis address: which topology it names and the Lettuce URIs for it. */
final class RedisUris {

    private RedisUris() {
    }

    /** True when {@code uri} names a Redis Cluster: {@code redis-cluster://…} or several comma-separated hosts. */
    static boolean isCluster(String uri) {
        return uri.startsWith("redis-cluster://") || uri.startsWith("rediss-cluster://")
                || (!uri.startsWith("redis-sentinel") && hostPart(uri).contains(","));
    }

    /** The seed nodes of a cluster URI, each as a plain {@code redis://} (or {@code rediss://}) URI. */
    static List<RedisURI> clusterSeeds(String uri) {
        boolean tls = uri.startsWith("rediss");
        String rest = uri.substring(uri.indexOf("://") + 3);
        String userInfo = "";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            userInfo = rest.substring(0, at + 1);
            rest = rest.substring(at + 1);
        }
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            rest = rest.substring(0, slash); // a cluster has only database 0
        }
        List<RedisURI> seeds = new ArrayList<>();
        for (String host : rest.split(",")) {
            if (!host.isBlank()) {
                seeds.add(RedisURI.create((tls ? "rediss://" : "redis://") + userInfo + host.trim()));
            }
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no host in Redis URI " + uri);
        }
        return seeds;
    }

    /** A single-server or Sentinel URI as Lettuce reads it. */
    static RedisURI single(String uri) {
        return RedisURI.create(uri);
    }

    private static String hostPart(String uri) {
        String rest = uri.contains("://") ? uri.substring(uri.indexOf("://") + 3) : uri;
        int slash = rest.indexOf('/');
        return slash >= 0 ? rest.substring(0, slash) : rest;
    }
}
