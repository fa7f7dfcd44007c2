package dev.switchboard.bench.scenario;

import picocli.CommandLine;

/** Parses a send rate: a number per second, or "max" (0: as fast as the closed-loop window allows). */
public final class RateConverter implements CommandLine.ITypeConverter<Double> {

    @Override
    public Double convert(String value) {
        String v = value.trim().toLowerCase().replace("/s", "").replace("_", "");
        if (v.equals("max")) {
            return 0.0;
        }
        double d = Double.parseDouble(v.endsWith("k") ? v.substring(0, v.length() - 1) : v);
        return v.endsWith("k") ? d * 1000 : d;
    }
}
