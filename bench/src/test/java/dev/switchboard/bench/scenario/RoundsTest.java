package dev.switchboard.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.RunResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {

    @Test
    void picksTheMedianRoundAndKeepsEveryRoundsValue() {
        RunResult a = new RunResult("sb", "").put("delivered_per_s", 300.0);
        RunResult b = new RunResult("sb", "").put("delivered_per_s", 100.0);
        RunResult c = new RunResult("sb", "").put("delivered_per_s", 200.0);
        RunResult m = Rounds.median(List.of(a, b, c), List.of(new Headline("delivered_per_s", true)));
        assertSame(c, m);
        assertEquals(3, m.figures().get("rounds"));
        assertTrue(m.notes().get(0).contains("[300.0, 100.0, 200.0]"), m.notes().toString());
    }

    @Test
    void atAFixedRateTheRoundsAreRankedByTheFigureThatDiffers() {
        RunResult a = new RunResult("sb", "").put("delivered_per_s", 25_000.0).put("p99_ms", 45.0);
        RunResult b = new RunResult("sb", "").put("delivered_per_s", 24_990.0).put("p99_ms", 2.0);
        RunResult c = new RunResult("sb", "").put("delivered_per_s", 24_998.0).put("p99_ms", 7.0);
        RunResult m = Rounds.median(List.of(a, b, c),
                List.of(new Headline("delivered_per_s", true), new Headline("p99_ms", false)));
        assertSame(c, m, "the rate is pinned by the offered load: the p99 decides");
        assertEquals("p99_ms", m.figures().get("median_by"));
        assertTrue(m.notes().get(0).contains("by p99_ms"), m.notes().toString());
    }
}
