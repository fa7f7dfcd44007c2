package dev.switchboard.server.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.server.internal.transport.HttpRequestData;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Static files come from an index built at start: made-up paths are 404 and touch nothing (each used to cost
 * a class-loader lookup that kept ~4 KB of heap per distinct path).
 */
class StaticFilesTest {

    private static HttpRequestData get(String path) {
        return new HttpRequestData("GET", path, Map.of(), Map.of(), new DefaultHttpHeaders(), new byte[0]);
    }

    @Test
    void unknownPathsAreNotFoundAndTheIndexDoesNotGrow() {
        StaticFiles files = new StaticFiles();
        int indexed = files.size();
        assertTrue(indexed > 5, "the demo's files are indexed: " + indexed);
        for (int i = 0; i < 2_000; i++) {
            assertEquals(404, files.handle(get("/nope-" + i + "-" + "x".repeat(200))).join().status());
        }
        assertEquals(indexed, files.size());
        assertEquals(200, files.handle(get("/")).join().status());
        assertEquals(200, files.handle(get("/js/chat.js")).join().status());
        assertEquals(404, files.handle(get("/../pom.xml")).join().status());
    }

    @Test
    void twentyThousandMadeUpPathsAddNoLiveHeap() {
        StaticFiles files = new StaticFiles();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        for (int i = 0; i < 20_000; i++) {
            files.handle(get("/made-up/" + i + ".js")).join();
        }
        System.gc();
        long grown = (rt.totalMemory() - rt.freeMemory()) - before;
        assertTrue(grown < 16L << 20, "live heap grew by " + (grown >> 20) + " MiB");
    }
}
