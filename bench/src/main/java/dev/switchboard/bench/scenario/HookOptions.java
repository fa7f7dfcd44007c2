package dev.switchboard.bench.scenario;

import dev.switchboard.bench.targets.HookBackend;
import dev.switchboard.bench.targets.HookedTarget;
import dev.switchboard.bench.targets.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --via-hook} and {@code --hook-backend}: the same load also through a hook to a loopback backend, one
 * target per backend, placed right after the gateway so that the report's ratios read hook / in-process.
 */
public final class HookOptions {

    @Option(names = "--via-hook", description = "Also run the same load through a hook to a loopback HTTP backend"
            + " and report it next to the gateway without the hook, as a ratio.")
    boolean viaHook;

    @Option(names = "--hook-backend", split = ",", defaultValue = "jdk",
            description = "Backends for --via-hook: jdk (HttpServer in the load client), node (node:http in its own"
                    + " process), or both: jdk,node (default: ${DEFAULT-VALUE}).")
    List<String> backends;

    /** {@code targets} with the hooked targets inserted after the first (the gateway). */
    List<String> with(List<String> targets, HookedTarget.Hook hook) {
        List<String> all = new ArrayList<>(targets);
        if (viaHook) {
            int at = Math.min(1, all.size());
            for (String b : backends) {
                all.add(at++, HookedTarget.name(hook, HookBackend.Kind.parse(b)));
            }
        }
        return all;
    }

    /** Starts {@code targetName} when it is one of the hooked targets for {@code hook}; null when it is not. */
    Target start(String targetName, HookedTarget.Hook hook, Path jar, CommonOptions common, Path log) throws IOException {
        for (HookBackend.Kind k : HookBackend.Kind.values()) {
            if (HookedTarget.name(hook, k).equals(targetName)) {
                return HookedTarget.start(hook, k, jar, common.serverJvmOptions(), common.serverArgs, log);
            }
        }
        return null;
    }
}
