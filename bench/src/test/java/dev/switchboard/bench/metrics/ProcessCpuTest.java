package dev.switchboard.bench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void addsUserAndSystemTicksEvenWhenTheNameHasSpaces() {
        String stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 8 0 100 0 0";
        assertEquals(3.0, ProcessCpu.parse(stat), 1e-9);
    }

    @Test
    void readsThisProcess() {
        assertTrue(ProcessCpu.seconds(ProcessHandle.current().pid()) >= 0);
    }
}
