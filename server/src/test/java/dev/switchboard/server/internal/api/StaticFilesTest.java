package dev.switchboard.server.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.server.internal.transport.HttpRequestData;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The static file cache holds files that exist, never made-up paths (each 404 used to stay cached for ever). */
class StaticFilesTest {

    private static HttpRequestData get(String path) {
        return new HttpRequestData("GET", path, Map.of(), Map.of(), new DefaultHttpHeaders(), new byte[0]);
    }

    @Test
    void unknownPathsAreNotCached() {
        StaticFiles files = new StaticFiles();
        for (int i = 0; i < 2_000; i++) {
            assertEquals(404, files.handle(get("/nope-" + i + "-" + "x".repeat(200))).join().status());
        }
        assertEquals(0, files.cached());
        assertEquals(200, files.handle(get("/")).join().status());
        assertEquals(200, files.handle(get("/")).join().status());
        assertEquals(1, files.cached());
    }
}
