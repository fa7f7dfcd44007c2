package dev.switchboard.bench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String TEXT = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.5E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4.0E7
            jvm_buffer_memory_used_bytes{id="direct"} 65536.0
            jvm_buffer_memory_used_bytes{id="mapped"} 1.0
            switchboard_netty_direct_memory_bytes 4194304.0
            """;

    @Test
    void sumsSamplesByNameAndLabel() {
        PrometheusText m = PrometheusText.parse(TEXT);
        assertEquals(35_000_000L, m.sum("jvm_memory_used_bytes", "area=\"heap\""));
        assertEquals(65_536L, m.sum("jvm_buffer_memory_used_bytes", "id=\"direct\""));
        assertEquals(4_194_304L, m.sumPrefix("switchboard_netty_direct_memory", ""));
        assertEquals(-1L, m.sum("no_such_metric", ""));
    }
}
