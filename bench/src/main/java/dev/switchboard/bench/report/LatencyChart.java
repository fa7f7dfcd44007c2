package dev.switchboard.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** A PNG bar chart of latency percentiles, one series per target, so the run can be compared at a glance. */
public final class LatencyChart {

    private static final Color[] COLORS = {new Color(0x2b6cb0), new Color(0xdd6b20), new Color(0x38a169)};

    private LatencyChart() {
    }

    /** Renders the report's latency percentiles to {@code file} (PNG); returns false when no run has latencies. */
    public static boolean write(Report report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520)
                .title("Switchboard bench: " + report.scenario() + " latency")
                .xAxisTitle("percentile").yAxisTitle("latency (ms)").build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setSeriesColors(COLORS);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.DARK_GRAY);
        List<String> labels = Arrays.asList(Percentiles.LABELS);
        int series = 0;
        for (RunResult r : report.runs()) {
            Map<String, Double> p = Percentiles.of(r.latency());
            if (p.isEmpty()) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (String l : labels) {
                values.add(p.get(l));
            }
            chart.addSeries(r.target(), labels, values);
            series++;
        }
        if (series == 0) {
            return false;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
