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
}
