package dev.switchboard.bench.targets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway with a hook pointed at a loopback {@link HookBackend}: the RPC hook ({@code --hook-rpc-url},
 * types {@code bench.*}) or the connect hook ({@code --hook-connect-url}). What the hook costs over an
 * in-process handler (or over a ticket alone), with the backend as cheap as a backend can be.
 */
public final class HookedTarget extends GatewayWithCompanion {

    /** The message type the rpc scenario sends to this target. */
    public static final String TYPE = "bench.echo";

    /** Which hook the load goes through. */
    public enum Hook {
        RPC, CONNECT
    }

    private final HookBackend backend;

    private HookedTarget(String name, ServerProcess gateway, HookBackend backend) {
        super(name, gateway);
        this.backend = backend;
    }

    /** The target name for {@code hook} through {@code kind}: switchboard-rpc-hook, switchboard-connect-hook-node, … */
    public static String name(Hook hook, HookBackend.Kind kind) {
        return "switchboard-" + hook.name().toLowerCase(java.util.Locale.ROOT) + "-hook"
                + (kind == HookBackend.Kind.JDK ? "" : "-" + kind.label());
    }

    public static HookedTarget start(Hook hook, HookBackend.Kind kind, Path jar, List<String> jvmOptions,
                                     List<String> serverArgs, Path log) throws IOException {
        String name = name(hook, kind);
        HookBackend backend = HookBackend.start(kind, log.resolveSibling(name + "-backend.log"));
        List<String> args = new ArrayList<>(serverArgs);
        if (hook == Hook.RPC) {
            args.add("--hook-rpc-url=" + backend.base() + "/rpc");
            args.add("--hook-rpc-types=bench.*");
        } else {
            args.add("--hook-connect-url=" + backend.base() + "/connect");
        }
        args.add("--hook-concurrency=100000");
        try {
            return new HookedTarget(name, Launchers.gateway(name, jar, jvmOptions, args, Map.of(), log), backend);
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    @Override
    protected String companion() {
        return backend.describe();
    }

    @Override
    protected void closeCompanion() {
        backend.close();
    }
}
