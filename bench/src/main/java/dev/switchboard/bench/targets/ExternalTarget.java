package dev.switchboard.bench.targets;

import java.net.URI;
import java.util.OptionalLong;

/** A server someone else started ({@code --url}); the tool neither owns nor stops it. */
public final class ExternalTarget extends Target {

    private final OptionalLong pid;

    /** A target at {@code http}, optionally with its pid (for RSS readings). */
    public ExternalTarget(String name, URI http, OptionalLong pid) {
        super(name, http);
        this.pid = pid;
    }

    @Override
    public OptionalLong pid() {
        return pid;
    }

    @Override
    public boolean isJvm() {
        return true;
    }

    @Override
    public String describe() {
        return name() + " at " + http() + " (started elsewhere" + (pid.isPresent() ? ", pid " + pid.getAsLong() : "")
                + ")";
    }

    @Override
    public void close() {
    }
}
